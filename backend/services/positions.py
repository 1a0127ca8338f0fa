"""Officers' own positions, and the live position of trucks that a team is working."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from backend.domain.errors import Forbidden, Invalid
from backend.extensions import db
from backend.models import OfficerPosition, Task, WarningRecord
from backend.schemas import field_errors
from backend.schemas.position import OwnPositionSchema
from backend.services import events
from backend.services.auth import Principal

_schema = OwnPositionSchema()
ACTIVE_TASK_STATES = ("dispatched", "accepted", "en_route", "intercepted", "inspecting", "reweighed")


def report_own(principal: Principal, body: Any) -> dict[str, Any]:
    """Store an officer's position (newest wins) and tell the team and the command center."""
    if principal.role != "officer":
        raise Forbidden("only officers report their own position")
    try:
        data = _schema.load(body if isinstance(body, dict) else {})
    except ValidationError as exc:
        raise Invalid(field_errors(exc)) from exc
    row = db.session.get(OfficerPosition, principal.user_id)
    if row is not None and row.at >= data["at"]:
        return {"stored": False, "reason": "a newer position is already stored"}
    if row is None:
        row = OfficerPosition(user_id=principal.user_id)
        db.session.add(row)
    row.team_id, row.lon, row.lat, row.accuracy_m, row.at = (principal.team_id, data["lon"], data["lat"],
                                                            data["accuracy_m"], data["at"])
    events.publish("position.updated", principal.team_id, {
        "kind": "officer", "user_id": principal.user_id, "team_id": principal.team_id, "lon": data["lon"],
        "lat": data["lat"], "accuracy_m": data["accuracy_m"], "at": data["at"].isoformat()})
    db.session.commit()
    return {"stored": True}


def publish_target_positions(latest: Sequence[dict[str, Any]]) -> int:
    """For trucks that an active task is chasing, send their newest fix to that task's team (in the batch's
    transaction). `latest` holds one dict per vehicle: plate, plate_color, lon, lat, speed_kmh, heading, at."""
    if not latest:
        return 0
    by_plate = {(f["plate"], f["plate_color"]): f for f in latest}
    rows = db.session.execute(
        select(Task.id, Task.team_id, WarningRecord.plate, WarningRecord.plate_color)
        .join(WarningRecord, WarningRecord.id == Task.warning_id)
        .where(Task.status.in_(ACTIVE_TASK_STATES), WarningRecord.plate.in_(sorted({p for p, _ in by_plate})))
    ).all()
    sent = 0
    for task_id, team_id, plate, color in rows:
        fix = by_plate.get((plate, color))
        if fix is None:
            continue
        events.publish("position.updated", team_id, {
            "kind": "truck", "task_id": task_id, "plate": plate, "plate_color": color, "lon": fix["lon"],
            "lat": fix["lat"], "speed_kmh": fix["speed_kmh"], "heading": fix["heading"],
            "at": fix["at"].isoformat()})
        sent += 1
    return sent
