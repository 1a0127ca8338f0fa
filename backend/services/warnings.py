"""Raising warnings, assigning them to the jurisdiction's team, and handing them over as trucks move."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from backend.clock import now
from backend.domain.fences import FenceIndex
from backend.extensions import db
from backend.models import WarningEvent, WarningRecord
from backend.services import audit, events, fix_store

OPEN_STATUSES = ("open", "dispatched")
_INSERT_WARNING = insert(WarningRecord).returning(WarningRecord.id)
_INSERT_EVENT = insert(WarningEvent)


def responsible(index: FenceIndex, lon: float, lat: float) -> tuple[int | None, int | None]:
    """The jurisdiction containing the point and the team holding it (None, None outside every one)."""
    fence_id = int(index.locate([lon], [lat], "jurisdiction")[0])
    if fence_id < 0:
        return None, None
    fence = index.get(fence_id)
    return fence_id, fence.team_id if fence else None


def raise_warning(*, kind: str, trigger: str, plate: str, plate_color: int, title: str,
                  lon: float | None, lat: float | None, jurisdiction_id: int | None, team_id: int | None,
                  actor: str, details: dict[str, Any], weighing_id: int | None = None,
                  alarm_id: int | None = None, site_id: int | None = None,
                  at: datetime | None = None) -> int:
    """Create an open warning for the responsible team, with its first event and an audit entry; its id."""
    at = at or now()
    conn = db.session.connection()
    warning_id = int(conn.execute(_INSERT_WARNING, {
        "kind": kind, "trigger": trigger, "status": "open", "plate": plate, "plate_color": plate_color,
        "title": title, "weighing_id": weighing_id, "alarm_id": alarm_id, "site_id": site_id,
        "jurisdiction_id": jurisdiction_id, "team_id": team_id, "lon": lon, "lat": lat, "details": details,
        "raised_at": at, "updated_at": at,
    }).scalar_one())
    conn.execute(_INSERT_EVENT, {
        "warning_id": warning_id, "kind": "created", "at": at, "to_team_id": team_id,
        "to_jurisdiction_id": jurisdiction_id, "from_team_id": None, "from_jurisdiction_id": None,
        "data": {"trigger": trigger}})
    events.publish("warning.created", team_id, {
        "id": warning_id, "kind": kind, "trigger": trigger, "plate": plate, "plate_color": plate_color,
        "title": title, "team_id": team_id, "jurisdiction_id": jurisdiction_id, "lon": lon, "lat": lat,
        "status": "open", "raised_at": at.isoformat()})
    audit.append(actor, "warning.raised", "warning", warning_id, {
        "kind": kind, "trigger": trigger, "plate": plate, "plate_color": plate_color,
        "team_id": team_id, "jurisdiction_id": jurisdiction_id, "weighing_id": weighing_id,
        "alarm_id": alarm_id, "site_id": site_id,
    })
    return warning_id


def open_warnings_for(plates: Sequence[str]) -> list[WarningRecord]:
    """Open or dispatched warnings of these plates (the trucks whose fixes are followed)."""
    if not plates:
        return []
    return list(db.session.execute(
        select(WarningRecord).where(fix_store.plate_filter(WarningRecord.plate, sorted(set(plates))),
                                    WarningRecord.status.in_(OPEN_STATUSES))
    ).scalars())


def hand_over(warning: WarningRecord, index: FenceIndex, jurisdiction_id: int, *, at: datetime,
              lon: float, lat: float, actor: str) -> bool:
    """Move the warning to the jurisdiction the truck entered and to its team; False if nothing changed."""
    if jurisdiction_id == warning.jurisdiction_id:
        return False
    fence = index.get(jurisdiction_id)
    to_team = fence.team_id if fence else None
    event = WarningEvent(warning_id=warning.id, kind="handover", at=at, from_team_id=warning.team_id,
                         to_team_id=to_team, from_jurisdiction_id=warning.jurisdiction_id,
                         to_jurisdiction_id=jurisdiction_id, data={"lon": lon, "lat": lat})
    db.session.add(event)
    audit.append(actor, "warning.handed_over", "warning", warning.id, {
        "from_team_id": warning.team_id, "to_team_id": to_team,
        "from_jurisdiction_id": warning.jurisdiction_id, "to_jurisdiction_id": jurisdiction_id,
        "at": at.isoformat(), "lon": lon, "lat": lat,
    })
    previous_team = warning.team_id
    warning.jurisdiction_id, warning.team_id, warning.updated_at = jurisdiction_id, to_team, now()
    warning.lon, warning.lat = lon, lat
    change = {"id": warning.id, "status": warning.status, "team_id": to_team, "previous_team_id": previous_team,
              "jurisdiction_id": jurisdiction_id, "lon": lon, "lat": lat, "handover": True}
    for team in {to_team, previous_team}:  # both teams are told
        events.publish("warning.updated", team, change)
    from backend.services.tasks import hand_over_tasks  # tasks build on warnings, not the other way round

    hand_over_tasks(warning.id, to_team, f"truck entered jurisdiction {jurisdiction_id}")
    return True
