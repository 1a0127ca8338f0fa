"""Task use cases: dispatch from a warning, transitions through the state machine, reading by team."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from backend.clock import now
from backend.domain import coords, lifecycle
from backend.domain.chain import canonical, sha256_hex
from backend.domain.errors import Conflict, Forbidden, Invalid, NotFound
from backend.extensions import db
from backend.models import Task, TaskTransition, Team, User, WarningRecord
from backend.services import audit, events, evidence, field_steps, wal
from backend.services.auth import Principal
from backend.services.proposal import propose

_ERRORS = {"illegal": Conflict, "forbidden": Forbidden}


def task_view(task: Task) -> dict[str, Any]:
    """A task as clients see it, with the steps it may take next."""
    return {
        "id": task.id, "warning_id": task.warning_id, "team_id": task.team_id, "status": task.status,
        "intercept_at": [task.intercept_lon, task.intercept_lat] if task.intercept_lon is not None else None,
        "deadline": task.deadline.isoformat() if task.deadline else None, "created_by": task.created_by,
        "created_at": task.created_at.isoformat(), "updated_at": task.updated_at.isoformat(),
        "version": task.version, "next": lifecycle.allowed_next(task.status), "details": task.details,
        "nav": coords.nav_links(task.intercept_lon, task.intercept_lat, "拦截点")
        if task.intercept_lon is not None and task.intercept_lat is not None else None,
    }


def publish_task(task: Task, kind: str, extra_team: int | None = None) -> None:
    """Tell the task's team (and the team that just lost it) what became of it."""
    view = task_view(task)
    events.publish(kind, task.team_id, view)
    if extra_team is not None and extra_team != task.team_id:
        events.publish(kind, extra_team, view)  # the team that lost it is told too


def dispatch(principal: Principal, warning_id: int, team_id: int | None,
             intercept_at: list[float] | None, deadline: datetime | None) -> dict[str, Any]:
    """Create a dispatched task for a warning: the given team and point, else the proposal's
    (services.proposal); the warning becomes 'dispatched'."""
    task = create_task(principal.username, warning_id, team_id, intercept_at, deadline)
    db.session.commit()
    return task_view(task)


def create_task(actor: str, warning_id: int, team_id: int | None, intercept_at: list[float] | None,
                deadline: datetime | None) -> Task:
    """dispatch() inside the caller's transaction (the auto-dispatch policy calls it from ingest)."""
    warning = db.session.get(WarningRecord, warning_id)
    if warning is None:
        raise Invalid({"warning_id": [f"no warning {warning_id}"]})
    if warning.status not in ("open", "dispatched"):
        raise Conflict(f"warning {warning_id} is {warning.status}", status=warning.status)
    proposed = propose(warning) if team_id is None or not intercept_at else None
    team_id = team_id if team_id is not None else (proposed or {}).get("team_id")
    if team_id is None or db.session.get(Team, team_id) is None:
        raise Invalid({"team_id": ["name a team: no jurisdiction holds the truck and no team position is known"
                                   if team_id is None else f"no team {team_id}"]})
    if intercept_at:
        lon, lat = intercept_at
    else:
        point = (proposed or {})["intercept"]
        lon, lat = point["lon"], point["lat"]
    at = now()
    task = Task(warning_id=warning_id, team_id=team_id, status="dispatched", intercept_lon=lon,
                intercept_lat=lat, deadline=deadline, created_by=actor, created_at=at,
                updated_at=at, version=1, details={"plate": warning.plate, "title": warning.title,
                                                   "proposal": proposed})
    db.session.add(task)
    db.session.flush()
    warning.status, warning.updated_at = "dispatched", at
    audit.append(actor, "task.dispatched", "task", task.id, {
        "warning_id": warning_id, "team_id": team_id, "intercept_at": [lon, lat],
        "deadline": deadline.isoformat() if deadline else None})
    publish_task(task, "task.created")
    events.publish("warning.updated", warning.team_id, {"id": warning.id, "status": warning.status})
    return task


def visible_task(principal: Principal, task_id: int) -> Task:
    """A task the caller may see; another team's task is 'not found' to an officer."""
    task = db.session.get(Task, task_id)
    if task is None or (principal.role == "officer" and task.team_id != principal.team_id):
        raise NotFound(f"no task {task_id}")
    return task


def list_tasks(principal: Principal, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Newest first; officers see only their team's tasks."""
    stmt = select(Task).order_by(Task.id.desc()).limit(limit)
    if principal.role == "officer":
        stmt = stmt.where(Task.team_id == (principal.team_id if principal.team_id is not None else -1))
    if status:
        stmt = stmt.where(Task.status == status)
    return [task_view(t) for t in db.session.execute(stmt).scalars()]


def _replayed(principal: Principal, task_id: int, key: str | None, digest: str) -> dict[str, Any] | None:
    """The stored answer of a step already taken under this key by this caller (None: not taken yet)."""
    if not key:
        return None
    done = db.session.execute(select(TaskTransition).where(
        TaskTransition.task_id == task_id, TaskTransition.idempotency_key == key)).scalar_one_or_none()
    if done is None:
        return None
    ours = done.actor_id == principal.user_id and done.request_sha256 == digest
    status, answer = done.to_status, dict(done.response)
    wal.ensure_read_durable()  # the first request may still be waiting for its flush: tell only what is kept
    if not ours:
        raise Conflict("this Idempotency-Key was used with a different request", status=status)
    return answer


def transition(principal: Principal, task_id: int, body: dict[str, Any], raw: Any,
               key: str | None) -> dict[str, Any]:
    """Move a task one step; the same Idempotency-Key returns the first answer, another body under it 409s.

    Rules live in domain.lifecycle: the allowed-transition table (409 with the current state otherwise),
    field steps by officers of the assigned team, two officers for inspection and disposal, reasons for
    declines, misses, cancellations and reassignments. Every step is audited with actor(s), server and
    device time, position and evidence, and published to the teams concerned.
    """
    digest = sha256_hex(canonical(raw))
    # A retry is answered from the stored step even if the task has since moved to another team.
    replay = _replayed(principal, task_id, key, digest)
    if replay is not None:
        return replay
    task = visible_task(principal, task_id)
    db.session.refresh(task, with_for_update=True)  # one transition at a time per task
    replay = _replayed(principal, task_id, key, digest)  # the same key may have won the lock just before us
    if replay is not None:
        return replay
    request = lifecycle.Request(to=body["to"], officers=body.get("officers") or [], reason=body.get("reason"),
                                new_team_id=body.get("team_id"), disposal=body.get("disposal"),
                                unconfirmed_steps=[u["step_id"] for u in (task.details or {}).get("unconfirmed", [])])
    officer_ids = set(request.officers) | {principal.user_id}
    teams = {u.id: (u.team_id if u.role == "officer" else None) for u in
             db.session.execute(select(User).where(User.id.in_(officer_ids))).scalars()}
    try:
        lifecycle.check(task.status, task.team_id, lifecycle.Actor(principal.user_id, principal.role,
                                                                  principal.team_id), request, teams)
    except lifecycle.TransitionError as exc:
        if exc.kind == "invalid":
            raise Invalid({exc.field or "to": [exc.message]}) from exc
        raise _ERRORS[exc.kind](exc.message, status=task.status) from exc
    evidence.check_refs(task.id, body.get("evidence") or [])
    details = field_steps.step_details(task, request.to, request.disposal, body.get("form") or {})
    previous_team = task.team_id
    if request.to == "dispatched":
        if db.session.get(Team, request.new_team_id) is None:
            raise Invalid({"team_id": [f"no team {request.new_team_id}"]})
        task.team_id = int(request.new_team_id or 0)
        # A fresh dispatch restarts the acceptance clock and its escalation steps.
        task.details = {k: v for k, v in (task.details or {}).items() if k != "escalation"}
    position = body.get("position") or {}
    step = TaskTransition(
        task_id=task.id, from_status=task.status, to_status=request.to, actor_id=principal.user_id,
        officers=sorted(officer_ids) if request.to in lifecycle.TWO_OFFICER_STEPS else [principal.user_id],
        reason=request.reason, lon=position.get("lon"), lat=position.get("lat"),
        accuracy_m=position.get("accuracy_m"), device_time=body.get("device_time"), server_time=now(),
        evidence=body.get("evidence") or [], details=details, idempotency_key=key, request_sha256=digest,
    )
    db.session.add(step)
    db.session.flush()
    field_steps.remember_unconfirmed(task, step)
    task.status, task.updated_at, task.version = request.to, step.server_time, task.version + 1
    if request.to in ("closed", "cancelled"):
        warning = db.session.get(WarningRecord, task.warning_id)
        if warning is not None:
            warning.status = "closed" if request.to == "closed" else "open"
    audit.append(principal.username, f"task.{request.to}", "task", task.id, {
        "from": step.from_status, "to": request.to, "officers": step.officers, "reason": request.reason,
        "position": position or None, "device_time": step.device_time.isoformat() if step.device_time else None,
        "server_time": step.server_time.isoformat(), "evidence": step.evidence, "team_id": task.team_id,
        "previous_team_id": previous_team if previous_team != task.team_id else None, "step_id": step.id,
        **step.details})
    publish_task(task, "task.updated", extra_team=previous_team)
    step.response = task_view(task)
    db.session.commit()
    return dict(step.response)




HANDOVER_STATES = ("dispatched", "accepted", "en_route")


def hand_over_tasks(warning_id: int, to_team_id: int | None, reason: str) -> list[int]:
    """Re-dispatch the warning's not-yet-intercepted tasks to the team now responsible (in the caller's
    transaction): the truck left the jurisdiction before it was stopped. Both teams are told."""
    moved: list[int] = []
    if to_team_id is None:
        return moved
    for task in db.session.execute(select(Task).where(
            Task.warning_id == warning_id, Task.status.in_(HANDOVER_STATES), Task.team_id != to_team_id)).scalars():
        previous_team, at = task.team_id, now()
        db.session.add(TaskTransition(
            task_id=task.id, from_status=task.status, to_status="dispatched", actor_id=0, officers=[],
            reason=reason, server_time=at, evidence=[], details={"handover": True, "from_team_id": previous_team}))
        task.team_id, task.status, task.updated_at, task.version = to_team_id, "dispatched", at, task.version + 1
        task.details = {k: v for k, v in (task.details or {}).items() if k != "escalation"}
        audit.append("system", "task.handed_over", "task", task.id,
                     {"from_team_id": previous_team, "to_team_id": to_team_id, "reason": reason})
        publish_task(task, "task.updated", extra_team=previous_team)
        moved.append(task.id)
    return moved
