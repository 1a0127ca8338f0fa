"""The fast fix validator never disagrees with FixSchema: whatever it accepts, FixSchema accepts identically."""

from __future__ import annotations

from hypothesis import given, settings
from marshmallow import ValidationError

from backend.schemas.fix import FixSchema
from backend.schemas.fix_fast import fast_load
from tests.integration.test_fuzz_ingest import fix_items

schema = FixSchema()
VALID = {"plate": "晋C76276", "plate_color": 2, "lat": 37.9, "lon": 113.5, "speed_kmh": 61.5, "heading": 270,
         "at": "2026-11-22T17:10:00+08:00", "alarm_flags": 3}


def test_plain_valid_fix_takes_the_fast_path():
    assert fast_load(VALID) == schema.load(VALID)
    utc = {**VALID, "at": "2026-11-22T09:10:00.123Z"}
    assert fast_load(utc) == schema.load(utc)


def test_unusual_items_go_to_marshmallow():
    for item in ({**VALID, "plate": "晋c 76276"}, {**VALID, "lat": True}, {**VALID, "adas": [{"flag": 1}]},
                 {**VALID, "extra": 1}, {**VALID, "at": "2026-11-22T17:10:00"}, {**VALID, "lat": float("nan")}):
        assert fast_load(item) is None


@settings(max_examples=400, deadline=None)
@given(item=fix_items)
def test_fast_path_agrees_with_schema(item):
    fast = fast_load(item)
    if fast is None:
        return
    try:
        slow = schema.load(item)
    except ValidationError as exc:  # pragma: no cover - this is the failure being looked for
        raise AssertionError(f"fast path accepted what FixSchema rejects: {exc.messages}") from exc
    assert fast == slow
