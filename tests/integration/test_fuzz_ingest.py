"""Fuzzing the ingest endpoints: no input answers 500, and every acknowledged record is in the database."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.extensions import db
from backend.models import Fix, Weighing

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
plates = st.one_of(st.sampled_from(["晋C76276", "晋A12345", "京B0000挂", "晋c 762 76"]), st.text(max_size=10))
times = st.one_of(st.sampled_from(["2026-11-22T17:10:00+08:00", "2026-11-22T09:10:00Z", "2026-11-22T17:10:00",
                                   "1999-01-01T00:00:00+08:00", "not a time"]), json_values)

weighing_bodies = st.fixed_dictionaries(
    {"record_id": st.one_of(st.text(min_size=1, max_size=12), json_values), "plate": plates,
     "plate_color": st.one_of(st.sampled_from([1, 2, 3, 4, 5, 9]), json_values),
     "axles": st.one_of(st.integers(0, 14), json_values), "gross_kg": st.one_of(st.floats(-1e6, 3e5), json_values),
     "weighed_at": times},
    optional={"vehicle_kind": st.one_of(st.sampled_from(["rigid", "combination"]), json_values),
              "single_drive_axle": json_values, "tare_kg": json_values, "lane": json_values, "goods": json_values,
              "snapshots": st.lists(st.fixed_dictionaries({"kind": st.sampled_from(["front", "x"])},
                                                          optional={"sha256": st.text(max_size=64)}), max_size=2),
              "site_code": st.sampled_from(["S1", "S2", "X"])},
)

fix_items = st.fixed_dictionaries(
    {"plate": plates, "plate_color": st.one_of(st.just(2), json_values),
     "lat": st.one_of(st.floats(-100, 100), json_values), "lon": st.one_of(st.floats(100, 120), json_values),
     "speed_kmh": st.one_of(st.floats(0, 400), json_values), "heading": st.one_of(st.floats(0, 400), json_values),
     "at": times},
    optional={"alarm_flags": st.one_of(st.integers(-1, 2**33), json_values),
              "adas": st.lists(st.dictionaries(st.sampled_from(["alarm_id", "flag", "type", "level", "sign_type"]),
                                               st.integers(-1, 300)), max_size=2)},
)

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(body=st.one_of(weighing_bodies, json_values))
def test_weighings_never_500_and_keep_what_they_ack(api, body):
    r = api.site("S1", body)
    assert r.status_code in (201, 400, 403, 409, 422), (r.status_code, r.get_data(as_text=True))
    payload = r.get_json()
    if r.status_code == 201:
        assert db.session.get(Weighing, payload["id"]) is not None
    elif r.status_code == 422:
        assert isinstance(payload["errors"], dict) and payload["errors"]


@FUZZ
@given(items=st.one_of(st.lists(fix_items, max_size=6), json_values))
def test_fixes_never_500_and_keep_what_they_ack(api, items):
    before = db.session.query(Fix).count()
    r = api.fixes(items)
    assert r.status_code in (202, 400, 422), (r.status_code, r.get_data(as_text=True))
    if r.status_code == 202:
        body = r.get_json()
        assert body["accepted"] + len(body["rejected"]) == len(items)
        assert db.session.query(Fix).count() == before + body["accepted"] - body["duplicates"]
