"""Officers' own positions and the chased truck's live position, delivered to the right team only."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.extensions import db
from backend.models import OfficerPosition

T0 = datetime.fromisoformat("2026-11-22T10:00:00+08:00")


def _events(api, user, kind="position.updated"):
    return [e for e in api.as_user(user, "GET", "/api/v1/events").get_json()["events"] if e["event"] == kind]


def test_officer_reports_own_position_to_team(api, ids):
    r = api.as_user("officer1", "POST", "/api/v1/positions/me",
                    json={"lon": 113.3, "lat": 37.8, "accuracy_m": 6, "at": T0.isoformat()})
    assert r.status_code == 200 and r.get_json() == {"stored": True}
    assert db.session.query(OfficerPosition).one().team_id == ids["T1"]
    assert [e["data"]["kind"] for e in _events(api, "officer2")] == ["officer"]
    assert _events(api, "officer3") == []
    assert len(_events(api, "commander")) == 1
    older = api.as_user("officer1", "POST", "/api/v1/positions/me",
                        json={"lon": 113.0, "lat": 37.0, "at": (T0 - timedelta(minutes=1)).isoformat()})
    assert older.get_json()["stored"] is False and db.session.query(OfficerPosition).one().lon == 113.3


def test_position_validation_and_roles(api):
    bad = api.as_user("officer1", "POST", "/api/v1/positions/me", json={"lon": 500, "lat": 37})
    assert bad.status_code == 422 and {"lon", "at"} <= set(bad.get_json()["errors"])
    assert api.as_user("commander", "POST", "/api/v1/positions/me",
                       json={"lon": 113, "lat": 37, "at": T0.isoformat()}).status_code == 403


def test_chased_truck_position_goes_to_the_assigned_team(api, ids):
    body = {"record_id": "POS-1", "plate": "晋C76276", "plate_color": 2, "axles": 2, "gross_kg": 25_000,
            "weighed_at": "2026-11-22T09:00:00+08:00"}
    warning_id = api.site("S1", body).get_json()["warning_id"]
    task = api.as_user("commander", "POST", "/api/v1/tasks", json={"warning_id": warning_id}).get_json()
    fix = {"plate": "晋C76276", "plate_color": 2, "lon": 113.25, "lat": 37.72, "speed_kmh": 55, "heading": 80,
           "at": T0.isoformat()}
    other = {**fix, "plate": "晋A00001"}
    assert api.fixes([fix, other]).status_code == 202
    trucks = [e["data"] for e in _events(api, "officer1") if e["data"]["kind"] == "truck"]
    assert [(t["task_id"], t["plate"], t["lon"]) for t in trucks] == [(task["id"], "晋C76276", 113.25)]
    assert [e for e in _events(api, "officer3") if e["data"]["kind"] == "truck"] == []
