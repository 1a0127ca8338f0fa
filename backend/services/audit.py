"""Appending to and verifying the audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from backend.clock import now
from backend.domain import chain
from backend.extensions import db
from backend.models import AuditEntry, AuditHead

HEAD_ID = 1
VERIFY_PAGE = 5000


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def append(actor: str, action: str, entity: str, entity_id: object, data: Mapping[str, Any]) -> AuditEntry:
    """Append one entry in the caller's transaction, chained to the head.

    Locking the head row (UPDATE first, on PostgreSQL a row lock; on SQLite the write lock) serialises
    appends so no two entries ever share a predecessor. The caller commits.
    """
    session = db.session
    # Claim the head before reading it: the UPDATE takes the lock, the SELECT then sees the latest value.
    session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values({AuditHead.seq: AuditHead.seq}))
    head = session.execute(select(AuditHead).where(AuditHead.id == HEAD_ID)).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=HEAD_ID, seq=0, hash=chain.GENESIS)
        session.add(head)
        session.flush()
    at = now()
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "at": _iso(at),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "data": dict(data),
    }
    digest = chain.entry_hash(head.hash, fields)
    entry = AuditEntry(
        seq=fields["seq"], at=at, actor=actor, action=action, entity=entity,
        entity_id=fields["entity_id"], data=fields["data"], prev_hash=head.hash, hash=digest,
    )
    session.add(entry)
    head.seq, head.hash = int(fields["seq"]), digest
    session.flush()
    return entry


def entry_fields(entry: AuditEntry) -> dict[str, Any]:
    """The stored entry as the chain sees it (the same fields that were hashed)."""
    return {
        "seq": entry.seq, "at": _iso(entry.at), "actor": entry.actor, "action": entry.action,
        "entity": entry.entity, "entity_id": entry.entity_id, "data": entry.data,
        "prev_hash": entry.prev_hash, "hash": entry.hash,
    }


def _all_entries() -> Iterator[dict[str, Any]]:
    last = 0
    while True:
        page = db.session.execute(
            select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(VERIFY_PAGE)
        ).scalars().all()
        if not page:
            return
        for entry in page:
            yield entry_fields(entry)
        last = page[-1].seq
        db.session.expunge_all()


def verify() -> chain.Verification:
    """Walk the whole stored chain and check that the head row agrees with its last entry."""
    result = chain.verify(_all_entries())
    head = db.session.get(AuditHead, HEAD_ID)
    if result.ok and head is not None and (head.seq, head.hash) != (result.checked, result.head_hash):
        return chain.Verification(False, result.checked, result.head_hash, head.seq,
                                  "the head row does not match the last entry (entries removed?)")
    return result
