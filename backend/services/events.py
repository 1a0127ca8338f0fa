"""The event log: written in the same transaction as the change, read back by cursor, pushed by the notifier."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, or_, select

from backend.extensions import db
from backend.models import Event
from backend.services import wal
from backend.services.auth import Principal

_INSERT = insert(Event).returning(Event.id)
PUBLISHED = "zhichao_events_published"  # session flag: the commit should wake the notifier


def publish(kind: str, team_id: int | None, payload: dict[str, Any]) -> int:
    """Record an event in the caller's transaction; its id is the cursor clients resume from.

    team_id names the team that may see it; None keeps it to the command center and auditors.
    """
    db.session().info[PUBLISHED] = True
    return int(db.session.connection().execute(
        _INSERT, {"kind": kind, "team_id": team_id, "payload": payload, "sent_at": None}).scalar_one())


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
