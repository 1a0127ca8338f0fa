"""POST /api/v1/fixes: partial acceptance, idempotent storage, latest positions, alarms and hand-over."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backend.extensions import db
from backend.models import Alarm, Fix, VehiclePosition, WarningEvent, WarningRecord

T0 = datetime.fromisoformat("2026-11-22T10:00:00+08:00")


def fix(lon=113.2, lat=37.7, at=T0, plate="晋C76276", **extra):
    body = {"plate": plate, "plate_color": 2, "lon": lon, "lat": lat, "speed_kmh": 60.0, "heading": 90.0,
            "at": at.isoformat()}
    body.update(extra)
    return body


def test_batch_is_stored_with_jurisdiction(api, ids):
    r = api.fixes([fix(), fix(lon=113.7, at=T0 + timedelta(seconds=10))])
    assert r.status_code == 202 and r.get_json() == {"accepted": 2, "duplicates": 0, "rejected": []}
    rows = db.session.query(Fix).order_by(Fix.at).all()
    assert [f.jurisdiction_id for f in rows] == [ids["west"], ids["east"]]
    latest = db.session.get(VehiclePosition, ("晋C76276", 2))
    assert latest.lon == 113.7 and latest.jurisdiction_id == ids["east"]


def test_replayed_fixes_are_stored_once(api):
    batch = [fix(at=T0 + timedelta(seconds=10 * i)) for i in range(5)]
    assert api.fixes(batch).get_json()["accepted"] == 5
    again = api.fixes(batch).get_json()
    assert again == {"accepted": 5, "duplicates": 5, "rejected": []}
    assert db.session.query(Fix).count() == 5


def test_late_fix_does_not_move_latest_position_back(api):
    api.fixes([fix(lon=113.3, at=T0 + timedelta(minutes=5))])
    api.fixes([fix(lon=113.1, at=T0)])
    assert db.session.get(VehiclePosition, ("晋C76276", 2)).lon == 113.3
    assert db.session.query(Fix).count() == 2


def test_invalid_items_are_rejected_by_index_and_others_kept(api):
    batch = [fix(), fix(lat=95), {"plate": "晋C1"}, "nonsense", fix(at=T0 + timedelta(seconds=10), lon=-200)]
    body = api.fixes(batch).get_json()
    assert body["accepted"] == 1
    rejected = {r["index"]: r["errors"] for r in body["rejected"]}
    assert set(rejected) == {1, 2, 3, 4}
    assert "lat" in rejected[1] and "lon" in rejected[4] and "plate" in rejected[2] and "at" in rejected[2]
    assert db.session.query(Fix).count() == 1


@pytest.mark.parametrize("body", [{"plate": "x"}, "text", 5])
def test_body_must_be_an_array(api, body):
    r = api.fixes(body)
    assert r.status_code == 422 and "_schema" in r.get_json()["errors"]


def test_too_many_fixes_in_one_batch(api, app):
    r = api.fixes([fix(at=T0 + timedelta(seconds=i)) for i in range(app.config["ZHICHAO"].max_fix_batch + 1)])
    assert r.status_code == 422


def test_feed_key_required(api):
    r = api.client.post("/api/v1/fixes", json=[fix()], headers={"X-Api-Key": "key-site-S1"})
    assert r.status_code == 401


def test_emergency_alarm_raises_once_on_rising_edge(api, ids):
    batch = [fix(at=T0 + timedelta(seconds=10 * i), alarm_flags=1 if i >= 1 else 0) for i in range(4)]
    api.fixes(batch)
    warnings = db.session.query(WarningRecord).filter_by(kind="alarm").all()
    assert len(warnings) == 1
    assert warnings[0].trigger == "jt808.emergency" and warnings[0].team_id == ids["T1"]
    assert db.session.query(Alarm).count() == 1


def test_alarm_dedup_window(api):
    # The bit falls and rises again: a second event, but within the window no second warning.
    flags = [1, 0, 1]
    api.fixes([fix(at=T0 + timedelta(seconds=10 * i), alarm_flags=f) for i, f in enumerate(flags)])
    assert db.session.query(Alarm).count() == 2
    assert db.session.query(WarningRecord).filter_by(kind="alarm").count() == 1
    api.fixes([fix(at=T0 + timedelta(minutes=20), alarm_flags=0), fix(at=T0 + timedelta(minutes=21), alarm_flags=1)])
    assert db.session.query(WarningRecord).filter_by(kind="alarm").count() == 2


def test_unconfigured_alarm_is_recorded_without_warning(api):
    api.fixes([fix(alarm_flags=1 << 7)])  # power low
    assert db.session.query(Alarm).one().code == "jt808.power_low"
    assert db.session.query(WarningRecord).count() == 0


def test_adas_weight_sign_alarm(api):
    item = {"alarm_id": 1, "flag": 1, "type": 6, "level": 2, "sign_type": 3}
    api.fixes([fix(adas=[item])])
    assert db.session.query(WarningRecord).one().trigger == "adas.road_sign_weight"


def test_alarm_outside_every_jurisdiction_raises_nothing(api):
    api.fixes([fix(lon=110.0, alarm_flags=1)])
    assert db.session.query(Alarm).count() == 1
    assert db.session.query(WarningRecord).count() == 0


def test_bad_adas_item_is_rejected(api):
    body = api.fixes([fix(adas=[{"flag": 1}])]).get_json()
    assert body["accepted"] == 0 and "adas" in body["rejected"][0]["errors"]


def test_open_warning_is_handed_over_when_truck_crosses(api, ids):
    weighing = {"record_id": "H-1", "plate": "晋C76276", "plate_color": 2, "axles": 6,
                "vehicle_kind": "combination", "gross_kg": 60_000, "weighed_at": "2026-11-22T09:59:00+08:00"}
    warning_id = api.site("S1", weighing).get_json()["warning_id"]
    api.fixes([fix(lon=113.3, at=T0), fix(lon=113.45, at=T0 + timedelta(seconds=10))])
    assert db.session.get(WarningRecord, warning_id).team_id == ids["T1"]
    r = api.fixes([fix(lon=113.55, at=T0 + timedelta(seconds=20))])
    assert r.status_code == 202
    warning = db.session.get(WarningRecord, warning_id)
    assert warning.team_id == ids["T2"] and warning.jurisdiction_id == ids["east"]
    events = db.session.query(WarningEvent).filter_by(warning_id=warning_id).order_by(WarningEvent.id).all()
    assert [e.kind for e in events] == ["created", "handover"]
    assert (events[1].from_team_id, events[1].to_team_id) == (ids["T1"], ids["T2"])


def test_other_trucks_do_not_move_a_warning(api, ids):
    weighing = {"record_id": "H-2", "plate": "晋C76276", "plate_color": 2, "axles": 6,
                "vehicle_kind": "combination", "gross_kg": 60_000, "weighed_at": "2026-11-22T09:59:00+08:00"}
    warning_id = api.site("S1", weighing).get_json()["warning_id"]
    api.fixes([fix(lon=113.7, plate="晋A12345")])
    assert db.session.get(WarningRecord, warning_id).team_id == ids["T1"]
