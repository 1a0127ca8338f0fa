"""Use cases: each owns its transaction, writes the audit log and enqueues notifications."""
