"""Appending to and verifying the audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from backend.clock import now
from backend.domain import chain
from backend.extensions import db
from backend.models import AuditEntry, AuditHead

HEAD_ID = 1
_LOCKED = "zhichao_audit_head_locked"
VERIFY_PAGE = 5000


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _locked_head() -> AuditHead:
    """The chain head, locked for the rest of the transaction (SELECT … FOR UPDATE once per transaction).

    On PostgreSQL the row lock serialises appends across processes; on SQLite every write transaction
    already holds the database's write lock (BEGIN IMMEDIATE).
    """
    session = db.session
    held = session.info.get(_LOCKED)
    if isinstance(held, AuditHead):
        return held
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if head is None:
        raise RuntimeError("the audit head row is missing: run `flask db upgrade`")
    session.info[_LOCKED] = head
    return head


@event.listens_for(Session, "after_transaction_end")
def _release(session: Session, transaction: SessionTransaction) -> None:
    # A commit, rollback or savepoint end drops the claim; flush()'s internal subtransactions do not.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_LOCKED, None)


def append(actor: str, action: str, entity: str, entity_id: object, data: Mapping[str, Any]) -> AuditEntry:
    """Append one entry in the caller's transaction, chained to the head; the caller commits.

    The head is locked before it is read, so no two entries ever share a predecessor.
    """
    head = _locked_head()
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
    db.session.add(entry)
    head.seq, head.hash = int(fields["seq"]), digest
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
