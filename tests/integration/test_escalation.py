"""Escalation with a controlled clock: re-notify after the deadline, alarm the command center after twice it."""

from __future__ import annotations

from datetime import timedelta

from backend import clock
from backend.extensions import db
from backend.models import AuditEntry, Event
from backend.services import escalation


def _dispatched_task(api):
    body = {"record_id": "ESC-1", "plate": "晋C76276", "plate_color": 2, "axles": 2, "gross_kg": 25_000,
            "weighed_at": "2026-11-22T08:00:00+08:00"}
    warning_id = api.site("S1", body).get_json()["warning_id"]
    return api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": warning_id}).get_json()


def _at(offset_s):
    start = clock.now()
    clock.set_source(lambda: start + timedelta(seconds=offset_s))


def test_renotify_then_escalate_once_each(api, ids):
    task = _dispatched_task(api)
    try:
        _at(60)
        assert escalation.sweep(180) == []
        _at(181)
        assert escalation.sweep(180) == [(task["id"], "renotified")]
        assert escalation.sweep(180) == []  # once per stage
        _at(361)
        assert escalation.sweep(180) == [(task["id"], "escalated")]
        _at(2000)
        assert escalation.sweep(180) == []
    finally:
        clock.set_source(None)
    kinds = [(e.kind, e.team_id) for e in db.session.query(Event).order_by(Event.id)
             if e.kind in ("task.renotified", "task.escalated")]
    assert kinds == [("task.renotified", ids["T1"]), ("task.escalated", None)]
    actions = [a for (a,) in db.session.query(AuditEntry.action).filter(AuditEntry.entity_id == str(task["id"]))]
    assert "task.renotified" in actions and "task.escalated" in actions


def test_accepted_tasks_are_left_alone(api):
    task = _dispatched_task(api)
    api.as_user("officer1", "POST", f"/api/v1/tasks/{task['id']}/transitions", json={"to": "accepted"})
    try:
        _at(1000)
        assert escalation.sweep(180) == []
    finally:
        clock.set_source(None)
