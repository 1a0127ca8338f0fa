"""Field steps beyond the state change: the re-weigh's evaluation, case numbers, partners' confirmations."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import select

from backend.clock import now
from backend.domain import lifecycle, overload
from backend.domain.errors import Conflict, Forbidden, Invalid, NotFound
from backend.extensions import db
from backend.models import StepConfirmation, Task, TaskTransition, User, Vehicle, WarningRecord, Weighing
from backend.services import audit
from backend.services.auth import Principal


def _vehicle_facts(task: Task) -> tuple[int | None, str | None, bool]:
    """Axles, kind and single-drive-axle of the chased truck: its departure weighing, else the registry."""
    warning = db.session.get(WarningRecord, task.warning_id)
    weighing = db.session.get(Weighing, warning.weighing_id) if warning and warning.weighing_id else None
    vehicle = db.session.execute(select(Vehicle).where(
        Vehicle.plate == (warning.plate if warning else ""),
        Vehicle.plate_color == (warning.plate_color if warning else -1))).scalar_one_or_none()
    axles = weighing.axles if weighing else (vehicle.axles if vehicle else None)
    kind = (weighing.vehicle_kind if weighing else None) or (vehicle.kind if vehicle else None)
    return axles, kind, bool(vehicle.single_drive_axle) if vehicle else False


def step_details(task: Task, to: str, disposal: str | None, form: dict[str, Any]) -> dict[str, Any]:
    """What a step keeps besides its state: its form; for a re-weigh the evaluation under the current rules
    (axles from the departure record or the registry, else the form must give them) and the Art. 43
    sanction; for a source backtrack a case number."""
    details: dict[str, Any] = {"form": form} if form else {}
    if disposal:
        details["disposal"] = disposal
    if to == "reweighed":
        axles, kind, single_drive = _vehicle_facts(task)
        axles = form.get("axles") or axles
        if axles is None:
            raise Invalid({"form": {"axles": ["the truck's axles are not on record: count them"]}})
        evaluation = overload.evaluate(form["gross_kg"], int(axles), cast(overload.VehicleKind | None, kind),
                                       single_drive_axle=single_drive)
        details["evaluation"] = evaluation.as_dict()
        sanction = overload.road_sanction(evaluation.excess_kg) if evaluation.overloaded else None
        details["sanction"] = {"kind": sanction.kind, "fine_yuan": sanction.fine_yuan} if sanction else None
    if to == "source_traced":
        details["case_no"] = f"DC-{now():%Y}-{task.id:06d}"
    return details


def awaiting(step: TaskTransition) -> dict[str, Any] | None:
    """The confirmation a two-officer step waits for: the named partners who have not confirmed yet."""
    if step.to_status not in lifecycle.TWO_OFFICER_STEPS:
        return None
    partners = [o for o in step.officers if o != step.actor_id]
    return {"step_id": step.id, "to": step.to_status, "actor_id": step.actor_id, "officers": partners}


def remember_unconfirmed(task: Task, step: TaskTransition) -> None:
    """Note on the task that the step waits for its partners (clients show it; closing checks it)."""
    entry = awaiting(step)
    if entry:
        task.details = {**(task.details or {}), "unconfirmed": [*(task.details or {}).get("unconfirmed", []), entry]}


def confirm(principal: Principal, task_id: int, step_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """A partner named on a two-officer step confirms it on their own phone: only that partner, once (a
    second confirmation answers the first); the confirmation is audited and the team is told."""
    from backend.services.tasks import publish_task, task_view, visible_task

    task = visible_task(principal, task_id)
    step = db.session.get(TaskTransition, step_id)
    if step is None or step.task_id != task_id:
        raise NotFound(f"no step {step_id} of task {task_id}")
    entry = awaiting(step)
    if entry is None:
        raise Conflict(f"step {step_id} ({step.to_status}) needs no partner's confirmation", status=task.status)
    if principal.user_id not in entry["officers"]:
        raise Forbidden("only an officer named on this step as the partner may confirm it")
    db.session.refresh(task, with_for_update=True)
    done = db.session.execute(select(StepConfirmation).where(
        StepConfirmation.transition_id == step_id, StepConfirmation.officer_id == principal.user_id)).scalar()
    if done is None:
        position = body.get("position") or {}
        done = StepConfirmation(transition_id=step_id, officer_id=principal.user_id, server_time=now(),
                                device_time=body.get("device_time"), lon=position.get("lon"),
                                lat=position.get("lat"), accuracy_m=position.get("accuracy_m"))
        db.session.add(done)
        remaining = []
        for item in (task.details or {}).get("unconfirmed", []):
            if item["step_id"] == step_id:
                item = {**item, "officers": [o for o in item["officers"] if o != principal.user_id]}
            if item["officers"]:
                remaining.append(item)
        task.details = {**(task.details or {}), "unconfirmed": remaining}
        task.version += 1
        audit.append(principal.username, "task.step_confirmed", "task", task_id, {
            "step_id": step_id, "step": step.to_status, "officer_id": principal.user_id,
            "device_time": done.device_time.isoformat() if done.device_time else None,
            "server_time": done.server_time.isoformat(), "position": position or None})
        publish_task(task, "task.updated")
        db.session.commit()
    return {"step_id": step_id, "officer_id": done.officer_id, "confirmed_at": done.server_time.isoformat(),
            "task": task_view(task)}


def steps_of(task: Task) -> list[dict[str, Any]]:
    """The task's steps, oldest first, with officers' names and partners' confirmations."""
    steps = list(db.session.execute(select(TaskTransition).where(TaskTransition.task_id == task.id)
                                    .order_by(TaskTransition.id)).scalars())
    confirmations: dict[int, list[StepConfirmation]] = {}
    for c in db.session.execute(select(StepConfirmation).where(
            StepConfirmation.transition_id.in_([s.id for s in steps]))).scalars():
        confirmations.setdefault(c.transition_id, []).append(c)
    ids = {o for s in steps for o in s.officers} | {s.actor_id for s in steps}
    names = {u.id: u.display_name or u.username for u in db.session.execute(
        select(User).where(User.id.in_(ids))).scalars()}
    return [{
        "id": s.id, "from": s.from_status, "to": s.to_status, "actor": names.get(s.actor_id, "system"),
        "officers": [{"id": o, "name": names.get(o)} for o in s.officers], "reason": s.reason,
        "server_time": s.server_time.isoformat(), "device_time": s.device_time.isoformat() if s.device_time else None,
        "position": {"lon": s.lon, "lat": s.lat, "accuracy_m": s.accuracy_m} if s.lon is not None else None,
        "evidence": s.evidence, "details": s.details,
        "confirmed_by": [{"id": c.officer_id, "name": names.get(c.officer_id), "at": c.server_time.isoformat()}
                         for c in confirmations.get(s.id, [])],
    } for s in steps]

