"""The event log: written in the same transaction as the change, read back by cursor, pushed by the notifier."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from backend.extensions import db
from backend.models import Event
from backend.services import wal
from backend.services.auth import Principal

_INSERT = insert(Event)
PUBLISHED = "zhichao_events_published"  # session flag: the commit should wake the notifier
_PENDING = "zhichao_events_pending"


def publish(kind: str, team_id: int | None, payload: dict[str, Any]) -> None:
    """Record an event in the caller's transaction; it is written, and given its cursor, as that commits.

    team_id names the team that may see it; None keeps it to the command center and auditors. Cursors are
    assigned at commit under the audit chain's lock (services/audit.py), so they follow commit order: a
    client that has seen cursor n never misses an event below n that commits later.
    """
    info = db.session().info
    info[PUBLISHED] = True
    info.setdefault(_PENDING, []).append({"kind": kind, "team_id": team_id, "payload": payload, "sent_at": None})


def take_pending(session: Session) -> list[dict[str, Any]]:
    """The events this transaction published and has not written yet (the commit hook takes them)."""
    return list(session.info.pop(_PENDING, None) or [])


def write(conn: Connection, pending: list[dict[str, Any]]) -> None:
    """Insert the transaction's events; the caller holds the lock that orders commits."""
    conn.execute(_INSERT, pending)


@sa_event.listens_for(Session, "after_transaction_end")
def _discard(session: Session, transaction: SessionTransaction) -> None:
    # A rolled-back transaction publishes nothing.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def visible_to(principal: Principal) -> Any:
    """The filter on events for this caller: officers see their own team's, everyone else sees all."""
    if principal.role == "officer":
        return Event.team_id == (principal.team_id if principal.team_id is not None else -1)
    return or_(Event.team_id.is_(None), Event.team_id.is_not(None))


def since(principal: Principal, cursor: int, limit: int) -> list[dict[str, Any]]:
    """Events after the cursor that the caller may see, oldest first (at most `limit`)."""
    # A cursor handed out must never be lost in a crash and reused for another event.
    rows = wal.read_durably(
        select(Event.id, Event.kind, Event.payload, Event.created_at)
        .where(Event.id > cursor, visible_to(principal)).order_by(Event.id).limit(limit))
    return [as_message(r.id, r.kind, r.payload, r.created_at) for r in rows]


def as_message(cursor: int, kind: str, payload: dict[str, Any], at: Any) -> dict[str, Any]:
    """The wire form of an event (Socket.IO and GET /events alike)."""
    return {"cursor": cursor, "event": kind, "at": at.isoformat() if at else None, "data": payload}
