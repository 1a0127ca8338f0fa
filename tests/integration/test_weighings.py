"""POST /api/v1/weighings: evaluation, warnings for the right team, idempotency and bad input."""

from __future__ import annotations

import pytest

from backend.extensions import db
from backend.models import AuditEntry, WarningRecord, Weighing


def record(**overrides):
    body = {"record_id": "R-1", "plate": "晋C76276", "plate_color": 2, "axles": 6,
            "vehicle_kind": "combination", "gross_kg": 55_000, "tare_kg": 15_000,
            "weighed_at": "2026-11-22T17:10:00+08:00", "scale_id": "SC1", "goods": "煤"}
    body.update(overrides)
    return body


def test_overloaded_departure_raises_warning_for_site_team(api, ids):
    r = api.site("S1", record())
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["overloaded"] is True and body["limit_kg"] == 49_000
    assert body["excess_kg"] == 6_000 and body["excess_pct"] == 12.24
    assert body["tolerance_kg"] == 0 and body["rule_version"]
    warning = db.session.get(WarningRecord, body["warning_id"])
    assert warning.team_id == ids["T1"] and warning.jurisdiction_id == ids["west"]
    assert warning.kind == "overload" and warning.status == "open"
    stored = db.session.get(Weighing, body["id"])
    assert stored.raw == record() and stored.overloaded


def test_at_limit_is_not_overloaded(api):
    body = api.site("S1", record(gross_kg=49_000)).get_json()
    assert body["overloaded"] is False and body["warning_id"] is None and body["excess_kg"] == 0


def test_site_tolerance_applies(api, ids):
    # S2 has a 2 % tolerance: 49,000 * 1.02 = 49,980 kg is still within it.
    within = api.site("S2", record(record_id="T-1", gross_kg=49_980)).get_json()
    over = api.site("S2", record(record_id="T-2", gross_kg=49_981)).get_json()
    assert within["tolerance_kg"] == pytest.approx(980) and within["overloaded"] is False
    assert over["overloaded"] is True
    assert db.session.get(WarningRecord, over["warning_id"]).team_id == ids["T2"]


def test_kind_from_registry_then_lower_limit(api):
    known = api.site("S1", record(record_id="K-1", plate="晋C00003", axles=3, vehicle_kind=None,
                                  gross_kg=26_000)).get_json()
    assert known["limit_kg"] == 27_000 and known["overloaded"] is False and known["kind_assumed"] is False
    body = record(record_id="K-2", plate="晋C99999", axles=3, gross_kg=26_000)
    del body["vehicle_kind"]
    unknown = api.site("S1", body).get_json()
    assert unknown["limit_kg"] == 25_000 and unknown["overloaded"] is True and unknown["kind_assumed"] is True
    assert unknown["notes"]


def test_replay_returns_first_answer_and_stores_once(api):
    first = api.site("S1", record())
    again = api.site("S1", record())
    assert again.status_code == first.status_code == 201
    assert first.get_json()["warning_id"] is not None  # the replay finds the warning the first one raised
    assert again.get_json() == first.get_json()
    assert db.session.query(Weighing).filter_by(record_id="R-1").count() == 1
    assert db.session.query(WarningRecord).count() == 1


def test_replay_with_other_body_conflicts(api):
    api.site("S1", record())
    r = api.site("S1", record(gross_kg=60_000))
    assert r.status_code == 409 and "record_id" in r.get_json()["error"]


def test_same_record_id_at_another_site_is_independent(api):
    assert api.site("S1", record()).status_code == 201
    assert api.site("S2", record()).status_code == 201


def test_foreign_site_is_forbidden(api):
    r = api.site("S1", record(site_code="S2"))
    assert r.status_code == 403
    assert db.session.query(Weighing).count() == 0


@pytest.mark.parametrize("key", [None, "", "wrong-key"])
def test_wrong_key_is_401(api, key):
    headers = {} if key is None else {"X-Api-Key": key}
    r = api.client.post("/api/v1/weighings", json=record(), headers=headers)
    assert r.status_code == 401


@pytest.mark.parametrize("field,value", [
    ("plate", "ABC"), ("plate", 123), ("plate_color", 7), ("plate_color", "2"), ("axles", 1), ("axles", 13),
    ("axles", 2.5), ("gross_kg", 0), ("gross_kg", -5), ("gross_kg", "heavy"), ("weighed_at", "yesterday"),
    ("weighed_at", "2026-11-22T17:10:00"), ("vehicle_kind", "truck"), ("record_id", ""), ("snapshots", [{}]),
    ("snapshots", [{"kind": "front", "sha256": "xyz"}]), ("unexpected", 1),
])
def test_invalid_field_is_422_naming_it(api, field, value):
    r = api.site("S1", record(**{field: value}))
    assert r.status_code == 422, r.get_json()
    assert field in r.get_json()["errors"]
    assert db.session.query(Weighing).count() == 0


@pytest.mark.parametrize("field", ["record_id", "plate", "plate_color", "axles", "gross_kg", "weighed_at"])
def test_missing_required_field_is_422(api, field):
    body = record()
    del body[field]
    r = api.site("S1", body)
    assert r.status_code == 422 and field in r.get_json()["errors"]


def test_non_json_and_non_object_bodies(api):
    r = api.client.post("/api/v1/weighings", data="not json", content_type="application/json",
                        headers={"X-Api-Key": "key-site-S1"})
    assert r.status_code == 400
    r = api.site("S1", [record()])
    assert r.status_code == 422 and "_schema" in r.get_json()["errors"]


def test_oversized_body_is_413(api):
    r = api.site("S1", record(goods="x" * (3 * 1024 * 1024)))
    assert r.status_code == 413


def test_every_weighing_and_warning_is_audited(api):
    body = api.site("S1", record()).get_json()
    actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.seq)]
    assert actions[-2:] == ["weighing.received", "warning.raised"]
    last = db.session.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
    assert last.entity_id == str(body["warning_id"])


def test_nul_characters_are_422_not_500(api):
    # found by the fuzzer: PostgreSQL cannot store NUL in text or JSONB
    r = api.site("S1", record(goods="coal\x00"))
    assert r.status_code == 422 and "goods" in r.get_json()["errors"]
