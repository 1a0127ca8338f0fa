"""Reading warnings, filtered to what the caller may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend.domain.errors import NotFound
from backend.extensions import db
from backend.models import WarningEvent, WarningRecord
from backend.services.auth import Principal


def visible_team(principal: Principal) -> int | None:
    """Officers see their own team's warnings only; -1 stands for 'no team' (sees nothing)."""
    if principal.role == "officer":
        return principal.team_id if principal.team_id is not None else -1
    return None


def list_warnings(principal: Principal, *, status: str | None = None, kind: str | None = None,
                  team_id: int | None = None, plate: str | None = None, since: Any = None,
                  before_id: int | None = None, limit: int = 100) -> list[WarningRecord]:
    """Newest first; an officer's team filter is forced to the officer's own team."""
    stmt = select(WarningRecord).order_by(WarningRecord.id.desc()).limit(limit)
    own = visible_team(principal)
    if own is not None:
        stmt = stmt.where(WarningRecord.team_id == own)
    if team_id is not None:
        stmt = stmt.where(WarningRecord.team_id == team_id)
    if status:
        stmt = stmt.where(WarningRecord.status == status)
    if kind:
        stmt = stmt.where(WarningRecord.kind == kind)
    if plate:
        stmt = stmt.where(WarningRecord.plate == plate.upper())
    if since is not None:
        stmt = stmt.where(WarningRecord.raised_at >= since)
    if before_id is not None:
        stmt = stmt.where(WarningRecord.id < before_id)
    return list(db.session.execute(stmt).scalars())


def visible_warning(principal: Principal, warning_id: int) -> WarningRecord:
    """A warning the caller may see; another team's warning is 'not found' to an officer."""
    warning = db.session.get(WarningRecord, warning_id)
    own = visible_team(principal)
    if warning is None or (own is not None and warning.team_id != own):
        raise NotFound(f"no warning {warning_id}")
    return warning


def get_warning(principal: Principal, warning_id: int) -> dict[str, Any]:
    """One warning with its events."""
    warning = visible_warning(principal, warning_id)
    events = db.session.execute(
        select(WarningEvent).where(WarningEvent.warning_id == warning_id).order_by(WarningEvent.id)
    ).scalars().all()
    return {**{c.key: getattr(warning, c.key) for c in WarningRecord.__table__.columns}, "events": events}
