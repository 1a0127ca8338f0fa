"""What an officer needs to work a task: the warning's facts, the chased truck, the steps so far, and the
source backtrack (the site, its record of the departure, the truck's and the site's history)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import case as when
from sqlalchemy import func, select

from backend.clock import now
from backend.extensions import db
from backend.models import SourceSite, Task, VehiclePosition, WarningRecord, Weighing
from backend.services import evidence, field_steps
from backend.services.auth import Principal
from backend.services.tasks import task_view, visible_task

HISTORY_DAYS = 30
HISTORY_ROWS = 20


def _weighing(row: Weighing) -> dict[str, Any]:
    raw = row.raw or {}
    return {
        "id": row.id, "record_id": row.record_id, "plate": row.plate, "axles": row.axles,
        "gross_kg": row.gross_kg, "limit_kg": row.limit_kg, "excess_kg": row.excess_kg,
        "excess_pct": row.excess_pct, "overloaded": row.overloaded, "weighed_at": row.weighed_at.isoformat(),
        "ticket_no": raw.get("ticket_no"), "scale_id": raw.get("scale_id"), "goods": raw.get("goods"),
        "snapshots": raw.get("snapshots") or [], "rule_version": row.rule_version,
    }


def _target(warning: WarningRecord) -> dict[str, Any] | None:
    position = db.session.get(VehiclePosition, (warning.plate, warning.plate_color))
    if position is None:
        return None
    return {"lon": position.lon, "lat": position.lat, "heading": position.heading,
            "speed_kmh": position.speed_kmh, "at": position.at.isoformat()}


def case(principal: Principal, task_id: int) -> dict[str, Any]:
    """The task screen's data: the task, the warning's facts (plate, axles, weight, limit, rate, source
    site, snapshots), the truck's last position, every step with its officers and confirmations, and the
    evidence kept so far. Visible to whoever may see the task."""
    task = visible_task(principal, task_id)
    warning = db.session.get(WarningRecord, task.warning_id)
    assert warning is not None  # a task always has its warning (foreign key)
    weighing = db.session.get(Weighing, warning.weighing_id) if warning.weighing_id else None
    site = db.session.get(SourceSite, warning.site_id) if warning.site_id else None
    return {
        "task": task_view(task),
        "warning": {
            "id": warning.id, "kind": warning.kind, "trigger": warning.trigger, "plate": warning.plate,
            "plate_color": warning.plate_color, "title": warning.title, "raised_at": warning.raised_at.isoformat(),
            "facts": warning.details, "site": {"id": site.id, "code": site.code, "name": site.name} if site else None,
            "weighing": _weighing(weighing) if weighing else None,
        },
        "target": _target(warning),
        "steps": field_steps.steps_of(task),
        "evidence": evidence.for_task(task),
    }


def backtrack(principal: Principal, task_id: int) -> dict[str, Any]:
    """The source backtrack (倒查): the source site and its enterprise, its record of this departure (or
    its absence), this truck's weighings and the site's overloaded departures over the last 30 days."""
    task: Task = visible_task(principal, task_id)
    warning = db.session.get(WarningRecord, task.warning_id)
    assert warning is not None
    since = now() - timedelta(days=HISTORY_DAYS)
    weighing = db.session.get(Weighing, warning.weighing_id) if warning.weighing_id else None
    site_id = warning.site_id or (weighing.site_id if weighing else None)
    site = db.session.get(SourceSite, site_id) if site_id else None
    truck = db.session.execute(select(Weighing).where(
        Weighing.plate == warning.plate, Weighing.plate_color == warning.plate_color, Weighing.weighed_at >= since)
        .order_by(Weighing.weighed_at.desc()).limit(HISTORY_ROWS)).scalars()
    site_rows: list[Weighing] = list(db.session.execute(select(Weighing).where(
        Weighing.site_id == site_id, Weighing.overloaded.is_(True), Weighing.weighed_at >= since)
        .order_by(Weighing.weighed_at.desc()).limit(HISTORY_ROWS)).scalars()) if site else []
    site_counts = db.session.execute(select(func.count(), func.sum(when((Weighing.overloaded.is_(True), 1), else_=0)))
                                     .where(Weighing.site_id == site_id, Weighing.weighed_at >= since)).one() \
        if site else (0, 0)
    opened = next((s for s in field_steps.steps_of(task) if s["to"] == "source_traced"), None)
    return {
        "task_id": task.id, "plate": warning.plate, "days": HISTORY_DAYS,
        "site": {"id": site.id, "code": site.code, "name": site.name, "enterprise": site.enterprise.name,
                 "enterprise_code": site.enterprise.code,
                 "departures": int(site_counts[0] or 0), "overloaded": int(site_counts[1] or 0)} if site else None,
        "weighing": _weighing(weighing) if weighing else None,
        "truck_history": [_weighing(w) for w in truck],
        "site_overloads": [_weighing(w) for w in site_rows],
        "case": {"case_no": opened["details"].get("case_no"), "opened_at": opened["server_time"],
                 "summary": (opened["details"].get("form") or {}).get("summary")} if opened else None,
    }
