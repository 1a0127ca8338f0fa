"""Escalation of unanswered tasks: re-notify the team, then alarm the command center."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend.clock import now
from backend.extensions import db
from backend.models import Task
from backend.services import audit, events
from backend.services.tasks import task_view


def sweep(accept_within_s: float) -> list[tuple[int, str]]:
    """Escalate dispatched tasks nobody accepted in time; returns (task id, step) for what it did.

    Rule: a task still 'dispatched' accept_within_s after it was (re)dispatched is re-notified to its team;
    after twice that it is escalated to the command center (a visible alarm) for reassignment. Each step
    happens once per dispatch and is audited.
    """
    current = now()
    due = current - timedelta(seconds=accept_within_s)
    done: list[tuple[int, str]] = []
    for task in db.session.execute(
        select(Task).where(Task.status == "dispatched", Task.updated_at <= due).with_for_update(skip_locked=True)
    ).scalars():
        stage = int((task.details or {}).get("escalation", {}).get("stage", 0))
        waited = (current - task.updated_at).total_seconds()
        step = "escalated" if stage == 1 and waited >= 2 * accept_within_s else ("renotified" if stage == 0 else None)
        if step is None:
            continue
        task.details = {**(task.details or {}),
                        "escalation": {"stage": stage + 1, "at": current.isoformat(), "step": step}}
        audit.append("system", f"task.{step}", "task", task.id, {"waited_s": round(waited), "team_id": task.team_id})
        view = task_view(task)
        if step == "renotified":
            events.publish("task.renotified", task.team_id, view)
        else:
            events.publish("task.escalated", None, view)  # the command center's alarm
        done.append((task.id, step))
    db.session.commit()
    return done
