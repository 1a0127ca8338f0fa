"""Simulated demo traffic (placeholder replaced below)."""
