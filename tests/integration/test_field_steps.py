"""Field steps on both databases: evidence uploads checked by hash, step forms, partners' confirmations,
the task screen's case and the source backtrack."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest

from backend.extensions import db
from backend.models import AuditEntry, Evidence, StepConfirmation, TaskTransition, User
from backend.services import evidence as evidence_service
from tests.conftest import jpeg


def _uid(username):
    return db.session.query(User.id).filter_by(username=username).scalar()


def _task(api, record_id="F-1", gross=25_000, status="intercepted"):
    body = {"record_id": record_id, "plate": "晋C76276", "plate_color": 2, "axles": 2, "gross_kg": gross,
            "weighed_at": "2026-11-22T08:00:00+08:00", "ticket_no": "S1-77",
            "snapshots": [{"kind": "front", "url": "https://cam.example/front.jpg"}]}
    warning_id = api.site("S1", body).get_json()["warning_id"]
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": warning_id}).get_json()
    for to in ("accepted", "en_route", "intercepted", "inspecting"):
        if task["status"] == status:
            break
        extra = {"officers": [_uid("officer2")], "form": {"credentials_shown": True}} if to == "inspecting" else {}
        task = _step(api, "officer1", task["id"], to=to, **extra).get_json()
    return task


def _step(api, user, task_id, **body):
    return api.as_user(user, "POST", f"/api/v1/tasks/{task_id}/transitions", json=body)


# --- evidence -------------------------------------------------------------------------------------------

def test_photo_is_kept_under_its_hash_and_audited(api):
    task = _task(api)
    data = jpeg()
    r = api.photo("officer1", task["id"], "load", data)
    assert r.status_code == 201, r.get_json()
    item = r.get_json()
    assert item["sha256"] == hashlib.sha256(data).hexdigest() and item["mime"] == "image/jpeg"
    assert item["position"] == {"lon": 113.21, "lat": 37.71, "accuracy_m": 6.0}
    assert evidence_service.path_of(item["sha256"]).read_bytes() == data
    file = api.as_user("officer2", "GET", item["url"])
    assert file.status_code == 200 and file.data == data and file.headers["ETag"].strip('"') == item["sha256"]
    entry = db.session.query(AuditEntry).filter_by(action="evidence.uploaded").one()
    assert entry.data["sha256"] == item["sha256"] and entry.entity_id == str(task["id"])
    assert [e["id"] for e in api.as_user("auditor", "GET", f"/api/v1/tasks/{task['id']}/evidence").get_json()] \
        == [item["id"]]


def test_the_same_upload_again_is_answered_once(api):
    task = _task(api)
    data, client_id = jpeg(), uuid.uuid4().hex
    first = api.photo("officer1", task["id"], data=data, id=client_id)
    again = api.photo("officer1", task["id"], data=data, id=client_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert db.session.query(Evidence).filter_by(client_id=client_id).count() == 1
    other = api.photo("officer1", task["id"], data=jpeg(), id=client_id)
    assert other.status_code == 409


def test_a_file_changed_after_capture_is_refused(api):
    task = _task(api)
    r = api.photo("officer1", task["id"], data=jpeg(), sha256=hashlib.sha256(b"the original").hexdigest())
    assert r.status_code == 422 and "sha256" in r.get_json()["errors"]
    assert db.session.query(Evidence).count() == 0


@pytest.mark.parametrize("fields, field", [
    ({"kind": "selfie"}, "kind"), ({"sha256": "XYZ"}, "sha256"), ({"id": "short"}, "id"),
    ({"taken_at": "2026-11-22T08:31:00"}, "taken_at"), ({"lat": "91"}, "lat"), ({"colour": "red"}, "colour")])
def test_bad_upload_fields_are_422(api, fields, field):
    task = _task(api)
    r = api.photo("officer1", task["id"], **fields)
    assert r.status_code == 422 and field in r.get_json()["errors"], r.get_json()


def test_not_a_photo_and_no_file(api):
    task = _task(api)
    text = b"just some text"
    r = api.photo("officer1", task["id"], data=text)
    assert r.status_code == 422 and "file" in r.get_json()["errors"]
    r = api.as_user("officer1", "POST", f"/api/v1/tasks/{task['id']}/evidence",
                    data={"id": uuid.uuid4().hex, "kind": "plate", "sha256": "a" * 64},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "file" in r.get_json()["errors"]


def test_oversized_photo_is_413(api, app):
    task = _task(api)
    limit = app.config["ZHICHAO"].max_photo_bytes
    r = api.photo("officer1", task["id"], data=jpeg(limit + 128 * 1024))
    assert r.status_code == 413


def test_only_the_assigned_team_adds_evidence(api):
    task = _task(api)
    assert api.photo("officer3", task["id"]).status_code == 404
    assert api.photo("commander", task["id"]).status_code == 403
    item = api.photo("officer1", task["id"]).get_json()
    assert api.as_user("officer3", "GET", item["url"]).status_code == 404
    assert api.as_user("officer3", "GET", f"/api/v1/evidence/{item['id']}").status_code == 404


def test_a_step_names_only_verified_evidence(api):
    task = _task(api, status="en_route")
    item = api.photo("officer1", task["id"]).get_json()
    unknown = {"kind": "plate", "id": uuid.uuid4().hex, "sha256": "b" * 64}
    wrong = {"kind": "plate", "id": item["id"], "sha256": "c" * 64}
    r = _step(api, "officer1", task["id"], to="intercepted", evidence=[unknown, wrong])
    assert r.status_code == 422
    assert set(r.get_json()["errors"]["evidence"]) == {"0", "1"}
    ok = _step(api, "officer1", task["id"], to="intercepted", evidence=[
        {"kind": "plate", "id": item["id"], "sha256": item["sha256"], "taken_at": "2026-11-22T08:31:00+08:00"}])
    assert ok.status_code == 200, ok.get_json()
    step = db.session.query(TaskTransition).filter_by(task_id=task["id"], to_status="intercepted").one()
    assert step.evidence[0]["taken_at"] == "2026-11-22T08:31:00+08:00"


# --- step forms -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("to, extra, field", [
    ("inspecting", {"form": {"credentials_shown": False}}, "credentials_shown"),
    ("inspecting", {}, "credentials_shown"),
    ("inspecting", {"form": {"credentials_shown": True, "mood": "fine"}}, "mood"),
])
def test_inspection_form(api, to, extra, field):
    task = _task(api)
    r = _step(api, "officer1", task["id"], to=to, officers=[_uid("officer2")], **extra)
    assert r.status_code == 422 and field in r.get_json()["errors"]["form"], r.get_json()


def test_missed_says_where_the_truck_went(api):
    task = _task(api, status="en_route")
    r = _step(api, "officer1", task["id"], to="missed", reason="未能拦截")
    assert r.status_code == 422 and "went" in r.get_json()["errors"]["form"]
    r = _step(api, "officer1", task["id"], to="missed", reason="未能拦截", form={"went": "G5 北向 阳泉方向"})
    assert r.status_code == 200


def test_reweigh_is_evaluated_on_the_server(api):
    task = _task(api, status="inspecting")
    r = _step(api, "officer1", task["id"], to="reweighed", form={"ticket_no": "FZ-9", "scale_id": "CP-1",
                                                                 "gross_kg": 21_000})
    assert r.status_code == 200, r.get_json()
    step = db.session.query(TaskTransition).filter_by(task_id=task["id"], to_status="reweighed").one()
    assert step.details["evaluation"]["limit_kg"] == 18_000
    assert step.details["evaluation"]["excess_kg"] == 3_000 and step.details["evaluation"]["excess_pct"] == 16.67
    assert step.details["sanction"] == {"kind": "fine", "fine_yuan": 1_500}
    assert step.details["form"]["ticket_no"] == "FZ-9"


@pytest.mark.parametrize("disposal, form, missing", [
    ("unloaded", {}, {"unloaded_kg"}),
    ("seized", {"decision_no": "D-1"}, {"inventory", "party_signed"}),
    ("released_with_penalty", {"decision_no": "D-2"}, {"penalty_yuan"}),
])
def test_each_disposal_needs_its_facts(api, disposal, form, missing):
    task = _task(api, status="inspecting")
    r = _step(api, "officer1", task["id"], to="disposed", disposal=disposal, officers=[_uid("officer2")], form=form)
    assert r.status_code == 422 and set(r.get_json()["errors"]["form"]) == missing, r.get_json()


def test_a_step_without_a_form_takes_none(api):
    task = _task(api, status="dispatched")
    r = _step(api, "officer1", task["id"], to="accepted", form={"x": 1})
    assert r.status_code == 422 and "form" in r.get_json()["errors"]


# --- partners' confirmations ----------------------------------------------------------------------------

def test_only_the_named_partner_confirms_once(api):
    task = _task(api, status="inspecting")
    step_id = task["details"]["unconfirmed"][0]["step_id"]
    assert task["details"]["unconfirmed"][0]["officers"] == [_uid("officer2")]
    url = f"/api/v1/tasks/{task['id']}/steps/{step_id}/confirm"
    assert api.as_user("officer1", "POST", url, json={}).status_code == 403  # the actor cannot confirm for them
    assert api.as_user("officer3", "POST", url, json={}).status_code == 404
    body = {"device_time": "2026-11-22T08:40:00+08:00", "position": {"lon": 113.2, "lat": 37.7, "accuracy_m": 5}}
    first = api.as_user("officer2", "POST", url, json=body)
    again = api.as_user("officer2", "POST", url, json=body)
    assert first.status_code == 200 and again.get_json()["confirmed_at"] == first.get_json()["confirmed_at"]
    assert first.get_json()["task"]["details"]["unconfirmed"] == []
    assert db.session.query(StepConfirmation).count() == 1
    assert db.session.query(AuditEntry).filter_by(action="task.step_confirmed").count() == 1
    accepted = db.session.query(TaskTransition).filter_by(task_id=task["id"], to_status="accepted").one()
    r = api.as_user("officer2", "POST", f"/api/v1/tasks/{task['id']}/steps/{accepted.id}/confirm", json={})
    assert r.status_code == 409
    assert api.as_user("officer2", "POST", url, json={"position": {"lon": 999, "lat": 0}}).status_code == 422


# --- the task screen and the backtrack ------------------------------------------------------------------

def test_case_has_the_facts_steps_and_evidence(api):
    task = _task(api)
    item = api.photo("officer1", task["id"]).get_json()
    case = api.as_user("officer2", "GET", f"/api/v1/tasks/{task['id']}/case").get_json()
    assert case["task"]["id"] == task["id"]
    facts = case["warning"]
    assert facts["plate"] == "晋C76276" and facts["weighing"]["gross_kg"] == 25_000
    assert facts["weighing"]["limit_kg"] == 18_000 and facts["weighing"]["snapshots"][0]["kind"] == "front"
    assert facts["site"]["code"] == "S1"
    assert [s["to"] for s in case["steps"]] == ["accepted", "en_route", "intercepted"]
    assert case["steps"][-1]["actor"] and case["evidence"][0]["sha256"] == item["sha256"]
    assert api.as_user("officer3", "GET", f"/api/v1/tasks/{task['id']}/case").status_code == 404


def test_backtrack_shows_the_site_and_history(api):
    api.site("S1", {"record_id": "H-0", "plate": "晋C76276", "plate_color": 2, "axles": 2, "gross_kg": 30_000,
                    "weighed_at": "2026-11-21T08:00:00+08:00"})
    task = _task(api)
    back = api.as_user("officer1", "GET", f"/api/v1/tasks/{task['id']}/backtrack").get_json()
    assert back["site"]["code"] == "S1" and back["site"]["overloaded"] >= 2
    assert back["weighing"]["record_id"] == "F-1" and back["weighing"]["ticket_no"] == "S1-77"
    assert [w["record_id"] for w in back["truck_history"]][:2] == ["F-1", "H-0"]
    assert {w["record_id"] for w in back["site_overloads"]} >= {"F-1", "H-0"}
    assert back["case"] is None
    assert api.as_user("officer4", "GET", f"/api/v1/tasks/{task['id']}/backtrack").status_code == 404


def test_my_team_and_client_config(api):
    team = api.as_user("officer1", "GET", "/api/v1/teams/mine").get_json()
    assert {m["username"] for m in team["members"]} == {"officer1", "officer2"}
    assert [m["me"] for m in team["members"] if m["username"] == "officer1"] == [True]
    assert api.as_user("auditor", "GET", "/api/v1/teams/mine").status_code == 403
    config = api.as_user("officer1", "GET", "/api/v1/client-config").get_json()
    assert config["tiles"]["url"].startswith("https://tile.openstreetmap.org/")


def test_upload_body_is_not_json(api):
    task = _task(api)
    r = api.as_user("officer1", "POST", f"/api/v1/tasks/{task['id']}/evidence", json={"id": "x"})
    assert r.status_code == 422
    r = api.as_user("officer1", "POST", f"/api/v1/tasks/{task['id']}/evidence",
                    data={"file": (io.BytesIO(jpeg()), "p.jpg")}, content_type="multipart/form-data")
    assert r.status_code == 422 and {"id", "kind", "sha256"} <= set(r.get_json()["errors"])


def test_a_retry_racing_the_first_upload_gets_the_first_answer(api, monkeypatch):
    task = _task(api)
    data, client_id = jpeg(), uuid.uuid4().hex
    first = api.photo("officer1", task["id"], data=data, id=client_id).get_json()
    real = evidence_service._replay
    calls = []

    def late(meta, task_id):  # the retry checked before the first upload had committed
        calls.append(meta["id"])
        return None if len(calls) == 1 else real(meta, task_id)

    monkeypatch.setattr(evidence_service, "_replay", late)
    again = api.photo("officer1", task["id"], data=data, id=client_id)
    assert again.status_code == 200 and again.get_json() == first and len(calls) == 2
    assert db.session.query(Evidence).filter_by(client_id=client_id).count() == 1
