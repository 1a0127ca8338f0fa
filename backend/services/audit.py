"""Appending to and verifying the audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session, SessionTransaction

from backend.clock import now
from backend.domain import chain
from backend.extensions import db
from backend.models import AuditEntry, AuditHead
from backend.services import events, wal

HEAD_ID = 1
_PENDING = "zhichao_audit_pending"
_FLUSH = "zhichao_audit_flush"  # the connection whose asynchronous commit must be flushed before answering
VERIFY_PAGE = 5000


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def append(actor: str, action: str, entity: str, entity_id: object, data: Mapping[str, Any]) -> None:
    """Record an audit entry in the caller's transaction; it is chained and written as that transaction commits.

    Deferring the write to the commit keeps the chain lock (the head row) held for milliseconds, not for
    the whole request, so concurrent writers queue only for the append itself.
    """
    db.session().info.setdefault(_PENDING, []).append(
        (actor, action, entity, None if entity_id is None else str(entity_id), dict(data)))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Lock the head, write the transaction's events, chain its entries in order, insert them, move the head.

    The head lock orders commits: events written under it get cursors in commit order.
    """
    pending = session.info.pop(_PENDING, None)
    published = events.take_pending(session)
    if not pending and not published:
        return
    conn = session.connection()
    if wal.uses_barrier(conn):  # the head lock must not be held through the disk flush (see services/wal.py)
        wal.commit_asynchronously(conn)
        session.info[_FLUSH] = conn
    head = conn.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID).with_for_update()).first()
    if head is None:
        raise RuntimeError("the audit head row is missing: run `flask db upgrade`")
    if published:
        events.write(conn, published)
    if not pending:
        return
    seq, prev = int(head[0]), str(head[1])
    at = now()
    rows = []
    for actor, action, entity, entity_id, data in pending:
        seq += 1
        fields = {"seq": seq, "at": _iso(at), "actor": actor, "action": action, "entity": entity,
                  "entity_id": entity_id, "data": data}
        digest = chain.entry_hash(prev, fields)
        rows.append({**fields, "at": at, "prev_hash": prev, "hash": digest})
        prev = digest
    conn.execute(insert(AuditEntry), rows)
    conn.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=seq, hash=prev))


@event.listens_for(Session, "after_commit")
def _flush_before_answering(session: Session) -> None:
    """An audited commit returns only once it is on disk: commit() is where callers take "stored" from."""
    conn = session.info.get(_FLUSH)
    # Still inside a transaction: a savepoint was released (its outer commit flushes, the marker waits for
    # it), or a test's enclosing transaction (rolled back at its end, never flushed).
    if conn is None or conn.in_transaction():
        return
    del session.info[_FLUSH]
    wal.flush(conn)


@event.listens_for(Session, "after_transaction_end")
def _discard(session: Session, transaction: SessionTransaction) -> None:
    # A rolled-back transaction leaves no entries behind; flush()'s subtransactions are not ends.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_FLUSH, None)


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
