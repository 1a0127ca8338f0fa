"""The demo world: seeded once (idempotent), its keys work, its sites' warnings go to the right team."""

from __future__ import annotations

import json

import pytest

from backend.extensions import db
from backend.models import Geofence, SourceSite, Team, User, WarningRecord
from backend.services import demo
from tests.conftest import make_app


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    application = make_app(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")
    with application.app_context():
        assert demo.seed()["created"] == 1
        assert demo.seed()["created"] == 0  # make run may seed again at any time
    return application


def test_demo_users_and_teams(demo_app):
    with demo_app.app_context():
        users = {u.username: u for u in db.session.query(User)}
        assert set(users) == {"admin", "commander", "officer1", "officer2", "officer3", "officer4", "auditor"}
        assert users["officer1"].team_id == users["officer2"].team_id != users["officer3"].team_id
        assert users["officer3"].team_id == users["officer4"].team_id
        assert db.session.query(Team).count() == 2
        assert db.session.query(Geofence).filter_by(kind="jurisdiction").count() >= 3
        assert db.session.query(Geofence).filter_by(kind="checkpoint").count() == 2
        assert db.session.query(SourceSite).count() == 5


def test_every_demo_site_warns_its_jurisdictions_team(demo_app):
    client = demo_app.test_client()
    login = client.post("/api/v1/auth/login", json={"username": "commander", "password": demo.DEMO_PASSWORD})
    assert login.status_code == 200
    sites = json.loads((demo.DEMO_REGION / "sites.geojson").read_text(encoding="utf-8"))["features"]
    with demo_app.app_context():
        teams = {t.code: t.id for t in db.session.query(Team)}
    for feature in sites:
        code = feature["properties"]["code"]
        body = {"record_id": f"demo-{code}", "plate": "晋C76276", "plate_color": 2, "axles": 6,
                "vehicle_kind": "combination", "gross_kg": 60_000, "weighed_at": "2026-11-22T17:10:00+08:00"}
        r = client.post("/api/v1/weighings", json=body, headers={"X-Api-Key": demo.site_key(code)})
        assert r.status_code == 201, r.get_json()
        with demo_app.app_context():
            warning = db.session.get(WarningRecord, r.get_json()["warning_id"])
            assert warning.team_id == teams[feature["properties"]["team"]], code


def test_demo_feed_key(demo_app):
    client = demo_app.test_client()
    fix = {"plate": "晋C76276", "plate_color": 2, "lon": 113.45, "lat": 38.06, "speed_kmh": 50, "heading": 180,
           "at": "2026-11-22T17:11:00+08:00"}
    r = client.post("/api/v1/fixes", json=[fix], headers={"X-Api-Key": demo.FEED_KEY})
    assert r.status_code == 202 and r.get_json()["accepted"] == 1
