"""Tasks over HTTP on both databases: dispatch, the whole field path, 409s, idempotency, visibility, events."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend import clock
from backend.extensions import db
from backend.models import AuditEntry, TaskTransition, User, WarningRecord
from backend.services import audit


def _warning(api, site="S1", record_id="T-1"):
    body = {"record_id": record_id, "plate": "晋C76276", "plate_color": 2, "axles": 2, "gross_kg": 25_000,
            "weighed_at": "2026-11-22T08:00:00+08:00"}
    return api.site(site, body).get_json()["warning_id"]


def _uid(username):
    return db.session.query(User.id).filter_by(username=username).scalar()


def _step(api, user, task_id, key=None, **body):
    headers = {"Idempotency-Key": key} if key else {}
    return api.as_user(user, "POST", f"/api/v1/tasks/{task_id}/transitions", json=body, headers=headers)


def test_dispatch_defaults_to_the_jurisdictions_team(api, ids):
    r = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)})
    assert r.status_code == 201, r.get_json()
    task = r.get_json()
    assert task["status"] == "dispatched" and task["team_id"] == ids["T1"]
    assert task["intercept_at"] == [113.2, 37.7] and "accepted" in task["next"]
    assert db.session.get(WarningRecord, task["warning_id"]).status == "dispatched"


def test_dispatch_validates(api):
    assert api.as_user("officer1", "POST", "/api/v1/tasks", json={"warning_id": 1}).status_code == 403
    r = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": 999_999})
    assert r.status_code == 422 and "warning_id" in r.get_json()["errors"]
    r = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api), "team_id": 999})
    assert r.status_code == 422 and "team_id" in r.get_json()["errors"]


def test_the_whole_field_path_with_audit(api, ids):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    partner = _uid("officer2")
    where = {"lon": 113.21, "lat": 37.71, "accuracy_m": 8}
    plate = api.photo("officer1", task["id"], "plate").get_json()
    ref = {"kind": "plate", "sha256": plate["sha256"], "id": plate["id"]}
    steps = [("accepted", {}), ("en_route", {}), ("intercepted", {"evidence": [ref]}),
             ("inspecting", {"officers": [partner], "form": {"credentials_shown": True}}),
             ("reweighed", {"form": {"ticket_no": "FZ-1", "scale_id": "CP-1", "gross_kg": 24_800}}),
             ("disposed", {"officers": [partner], "disposal": "seized", "form": {
                 "decision_no": "晋阳交扣〔2026〕1号", "inventory": [{"item": "货车", "quantity": 1, "unit": "辆"}],
                 "party_signed": True}}),
             ("source_traced", {"form": {"summary": "源头未登记出场", "weighing_found": True}})]
    for to, extra in steps:
        r = _step(api, "officer1", task["id"], key=f"k-{to}", to=to, position=where,
                  device_time="2026-11-22T08:30:00+08:00", **extra)
        assert r.status_code == 200, (to, r.get_json())
        assert r.get_json()["status"] == to
    waiting = _step(api, "commander", task["id"], to="closed")
    assert waiting.status_code == 409 and "confirmation" in waiting.get_json()["error"]
    for pending in api.as_user("officer2", "GET", f"/api/v1/tasks/{task['id']}").get_json()["details"]["unconfirmed"]:
        r = api.as_user("officer2", "POST", f"/api/v1/tasks/{task['id']}/steps/{pending['step_id']}/confirm", json={})
        assert r.status_code == 200, r.get_json()
    assert _step(api, "commander", task["id"], to="closed").get_json()["status"] == "closed"
    actions = [a for (a,) in db.session.query(AuditEntry.action).filter(AuditEntry.entity == "task")
               .order_by(AuditEntry.seq)]
    assert actions == (["task.dispatched", "evidence.uploaded"] + [f"task.{to}" for to, _ in steps]
                       + ["task.step_confirmed"] * 2 + ["task.closed"])
    seized = db.session.query(TaskTransition).filter_by(task_id=task["id"], to_status="disposed").one()
    assert sorted(seized.officers) == sorted([_uid("officer1"), partner])
    assert seized.lon == 113.21 and seized.accuracy_m == 8 and seized.device_time is not None
    assert audit.verify().ok


def test_illegal_transition_is_409_with_current_state(api):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    r = _step(api, "officer1", task["id"], to="intercepted")
    assert r.status_code == 409 and r.get_json()["status"] == "dispatched"


def test_other_team_cannot_see_or_act(api):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    assert api.as_user("officer3", "GET", f"/api/v1/tasks/{task['id']}").status_code == 404
    assert _step(api, "officer3", task["id"], to="accepted").status_code == 404
    assert api.as_user("officer3", "GET", "/api/v1/tasks").get_json() == []
    assert [t["id"] for t in api.as_user("officer2", "GET", "/api/v1/tasks").get_json()] == [task["id"]]


def test_two_officers_and_reasons(api):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    for to in ("accepted", "en_route", "intercepted"):
        _step(api, "officer1", task["id"], to=to)
    alone = _step(api, "officer1", task["id"], to="inspecting", form={"credentials_shown": True})
    assert alone.status_code == 422 and "officers" in alone.get_json()["errors"]
    foreign = _step(api, "officer1", task["id"], to="inspecting", officers=[_uid("officer3")],
                    form={"credentials_shown": True})
    assert foreign.status_code == 422
    declined = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api, "S1", "T-2")})
    r = _step(api, "officer1", declined.get_json()["id"], to="declined")
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]


def test_idempotency_key(api):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    first = _step(api, "officer1", task["id"], key="same", to="accepted")
    again = _step(api, "officer1", task["id"], key="same", to="accepted")
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert db.session.query(TaskTransition).filter_by(task_id=task["id"]).count() == 1
    other = _step(api, "officer1", task["id"], key="same", to="declined", reason="x")
    assert other.status_code == 409


def test_a_retry_after_reassignment_gets_the_first_answer(api, ids):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    first = _step(api, "officer1", task["id"], key="k-accept", to="accepted")
    _step(api, "commander", task["id"], to="dispatched", team_id=ids["T2"], reason="改派")
    again = _step(api, "officer1", task["id"], key="k-accept", to="accepted")
    assert again.status_code == 200 and again.get_json() == first.get_json()  # applied once, and said so
    assert _step(api, "officer2", task["id"], key="k-accept", to="accepted").status_code == 409
    assert _step(api, "officer1", task["id"], key="k-other", to="accepted").status_code == 404


def test_reassignment_moves_the_task_and_tells_both_teams(api, ids):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    _step(api, "officer1", task["id"], to="declined", reason="车辆故障")
    cursor3 = api.as_user("officer3", "GET", "/api/v1/events").get_json()["cursor"]
    r = _step(api, "commander", task["id"], to="dispatched", team_id=ids["T2"], reason="改派二中队")
    assert r.status_code == 200 and r.get_json()["team_id"] == ids["T2"]
    new = api.as_user("officer3", "GET", f"/api/v1/events?since={cursor3}").get_json()["events"]
    assert [e["event"] for e in new] == ["task.updated"] and new[0]["data"]["team_id"] == ids["T2"]
    assert api.as_user("officer1", "GET", f"/api/v1/tasks/{task['id']}").status_code == 404


@pytest.mark.parametrize("body", [{"to": "accepted", "officers": "x"}, {"to": "nowhere"}, {"to": "accepted", "x": 1},
                                  {"to": "accepted", "position": {"lon": 500, "lat": 0}}])
def test_bad_transition_bodies_are_422(api, body):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    assert _step(api, "officer1", task["id"], **body).status_code == 422


def test_events_are_filtered_by_team(api, ids):
    west = _warning(api, "S1", "E-1")
    east = _warning(api, "S2", "E-2")
    seen = {u: [e for e in api.as_user(u, "GET", "/api/v1/events").get_json()["events"]] for u in
            ("officer1", "officer3", "commander")}
    ids1 = {e["data"]["id"] for e in seen["officer1"] if e["event"] == "warning.created"}
    ids3 = {e["data"]["id"] for e in seen["officer3"] if e["event"] == "warning.created"}
    assert west in ids1 and east not in ids1 and east in ids3 and west not in ids3
    cursors = [e["cursor"] for e in seen["commander"]]
    assert cursors == sorted(cursors) and len(cursors) >= 2
    assert api.as_user("officer1", "GET", "/api/v1/events?since=-1").status_code == 422


def test_proposal_uses_the_checkpoint_ahead_and_the_nearest_team(api, ids):
    checkpoint = {"type": "Feature", "properties": {"name": "CP", "kind": "checkpoint", "team_id": ids["T1"]},
                  "geometry": {"type": "Polygon", "coordinates": [[[113.300, 37.700], [113.302, 37.700],
                                                                   [113.302, 37.702], [113.300, 37.700]]]}}
    assert api.as_user("commander", "POST", "/api/v1/geofences", json=checkpoint).status_code == 201
    warning_id = _warning(api)
    fix = {"plate": "晋C76276", "plate_color": 2, "lon": 113.22, "lat": 37.70, "speed_kmh": 60, "heading": 90,
           "at": (clock.now() + timedelta(minutes=1)).isoformat()}  # fresher than the warning
    api.fixes([fix])
    proposal = api.as_user("commander", "GET", f"/api/v1/warnings/{warning_id}/proposal").get_json()
    assert proposal["team_id"] == ids["T1"] and proposal["reason"] == "jurisdiction"
    assert proposal["intercept"]["kind"] == "checkpoint"
    assert proposal["intercept"]["lon"] == pytest.approx(113.3013, abs=1e-3)
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": warning_id}).get_json()
    assert task["intercept_at"] == [proposal["intercept"]["lon"], proposal["intercept"]["lat"]]
    assert api.as_user("officer1", "GET", f"/api/v1/warnings/{warning_id}/proposal").status_code == 403


def test_task_follows_the_truck_into_the_next_jurisdiction(api, ids):
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": _warning(api)}).get_json()
    _step(api, "officer1", task["id"], to="accepted")
    fix = {"plate": "晋C76276", "plate_color": 2, "lon": 113.6, "lat": 37.7, "speed_kmh": 60, "heading": 90,
           "at": (clock.now() + timedelta(minutes=2)).isoformat()}
    assert api.fixes([fix]).status_code == 202
    moved = api.as_user("officer3", "GET", f"/api/v1/tasks/{task['id']}").get_json()
    assert moved["team_id"] == ids["T2"] and moved["status"] == "dispatched"
    assert api.as_user("officer1", "GET", f"/api/v1/tasks/{task['id']}").status_code == 404
    step = db.session.query(TaskTransition).filter_by(task_id=task["id"], to_status="dispatched").one()
    assert step.details["handover"] is True and step.details["from_team_id"] == ids["T1"]
    told = [e["data"]["id"] for e in api.as_user("officer1", "GET", "/api/v1/events").get_json()["events"]
            if e["event"] == "task.updated"]
    assert task["id"] in told  # the team that lost it is told too


def test_auto_dispatch_policy(api, app, ids):
    settings = app.config["ZHICHAO"]
    settings.auto_dispatch_pct = 30.0
    try:
        low = api.site("S1", {"record_id": "AUTO-1", "plate": "晋C76276", "plate_color": 2, "axles": 2,
                              "gross_kg": 20_000, "weighed_at": "2026-11-22T08:00:00+08:00"}).get_json()
        high = api.site("S1", {"record_id": "AUTO-2", "plate": "晋C76277", "plate_color": 2, "axles": 2,
                               "gross_kg": 25_000, "weighed_at": "2026-11-22T08:00:00+08:00"}).get_json()
    finally:
        settings.auto_dispatch_pct = None
    assert low["excess_pct"] < 30 <= high["excess_pct"]
    tasks = api.as_user("commander", "GET", "/api/v1/tasks").get_json()
    assert [t["warning_id"] for t in tasks] == [high["warning_id"]]
    assert tasks[0]["team_id"] == ids["T1"] and tasks[0]["created_by"] == "policy:auto-dispatch"
