"""JT/T 808-2019 alarm/status decoding, active-safety classification, dedup policy and labels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import pytest

from backend.domain.alarms import (
    DEFAULT_ALARM_POLICY,
    AlarmEvent,
    AlarmPolicy,
    Status,
    alarm_codes,
    classify,
    decode_status,
    label,
    rising_edges,
    should_raise,
    validate_active_safety_item,
)

# JT/T 808-2019 table 24, bit by bit.
BITS = [
    "emergency", "overspeed", "fatigue", "dangerous_driving", "gnss_fault", "antenna_cut", "antenna_short",
    "power_low", "power_lost", "display_fault", "tts_fault", "camera_fault", "ic_card_fault",
    "overspeed_prewarning", "fatigue_prewarning", "illegal_driving", "tyre_pressure", "right_turn_blind_zone",
    "daily_driving_time_exceeded", "overtime_parking", "area_enter_leave", "route_enter_leave",
    "section_time", "route_deviation", "speed_sensor_fault", "fuel_abnormal", "theft", "illegal_ignition",
    "illegal_displacement", "collision", "rollover", "illegal_door_opening",
]
ADAS_CODES = {1: "adas.forward_collision", 2: "adas.lane_departure", 3: "adas.following_too_close",
              4: "adas.pedestrian_collision", 5: "adas.frequent_lane_change", 7: "adas.obstacle"}
DSM_CODES = {1: "dsm.fatigue", 2: "dsm.phone_call", 3: "dsm.smoking", 4: "dsm.distraction",
             5: "dsm.driver_abnormal", 6: "dsm.user_defined"}
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
IDENT = "0123456789ABCDEF0123456789abcdef"


def item(kind: int, flag: int = 1, **extra: Any) -> dict[str, Any]:
    return {"alarm_id": 7, "flag": flag, "type": kind, "level": 2, **extra}


def test_bit_table_has_32_entries() -> None:
    assert len(BITS) == 32


@pytest.mark.parametrize(("bit", "name"), list(enumerate(BITS)))
def test_each_alarm_bit(bit: int, name: str) -> None:
    assert alarm_codes(1 << bit) == [f"jt808.{name}"]


def test_alarm_codes_ascending_and_empty() -> None:
    assert alarm_codes(0) == []
    assert alarm_codes((1 << 31) | (1 << 2) | 1) == ["jt808.emergency", "jt808.fatigue",
                                                       "jt808.illegal_door_opening"]
    assert len(alarm_codes(2**32 - 1)) == 32


@pytest.mark.parametrize("bad", [-1, 2**32, True])
def test_alarm_flags_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        alarm_codes(bad)
    with pytest.raises(ValueError):
        rising_edges(bad, 0)


@pytest.mark.parametrize(
    ("previous", "now", "edges"),
    [(None, 0b101, 0b101), (0b011, 0b110, 0b100), (0b111, 0b111, 0), (0b111, 0, 0), (0, 1 << 31, 1 << 31)],
)
def test_rising_edges(previous: int | None, now: int, edges: int) -> None:
    assert rising_edges(previous, now) == edges


@pytest.mark.parametrize(("bits", "state"), [(0b00, "empty"), (0b01, "half"), (0b10, "reserved"),
                                             (0b11, "full")])
def test_load_state_bits(bits: int, state: str) -> None:
    assert decode_status(bits << 8).load_state == state
    assert decode_status(bits << 8 | 0xFF).load_state == state


def test_status_bits() -> None:
    assert decode_status(0) == Status(False, False, False, False, False, "empty")
    assert decode_status(0b1) == Status(True, False, False, False, False, "empty")
    assert decode_status(0b10) == Status(False, True, False, False, False, "empty")
    assert decode_status(0b100) == Status(False, False, True, False, False, "empty")
    assert decode_status(0b1000) == Status(False, False, False, True, False, "empty")
    assert decode_status(0b10_0000) == Status(False, False, False, False, True, "empty")
    # Bit 4 (operating state) must not leak into the encryption flag.
    assert decode_status(0b1_0000) == Status(False, False, False, False, False, "empty")
    assert decode_status(0x30F) == Status(True, True, True, True, False, "full")


def test_classify_rising_edges_only() -> None:
    events = classify(0b101, 0b001)
    assert events == [AlarmEvent("jt808.fatigue", "jt808", None, None, None)]
    assert [e.code for e in classify(0b101, None)] == ["jt808.emergency", "jt808.fatigue"]


def test_classify_road_sign_weight_vs_other_signs() -> None:
    events = classify(0, 0, adas=[item(6, sign_type=3, identifier=IDENT), item(6, sign_type=1),
                                  item(6, sign_type=2)])
    assert [e.code for e in events] == ["adas.road_sign_weight", "adas.road_sign_limit",
                                        "adas.road_sign_limit"]
    assert events[0] == AlarmEvent("adas.road_sign_weight", "adas", 2, 7, IDENT.lower())


@pytest.mark.parametrize(("kind", "code"), list(ADAS_CODES.items()))
def test_classify_adas_types(kind: int, code: str) -> None:
    assert [e.code for e in classify(0, None, adas=[item(kind)])] == [code]


@pytest.mark.parametrize(("kind", "code"), list(DSM_CODES.items()))
def test_classify_dsm_types(kind: int, code: str) -> None:
    (event,) = classify(0, None, dsm=[item(kind)])
    assert (event.code, event.source, event.level, event.alarm_id) == (code, "dsm", 2, 7)


def test_classify_flags_and_unknown_types() -> None:
    events = classify(1, None, adas=[item(1, flag=2), item(0x1A, flag=0)], dsm=[item(1, flag=2), item(0x99)])
    assert [e.code for e in events] == ["jt808.emergency", "adas.type_0x1a", "dsm.type_0x99"]


def test_classify_rejects_invalid_items() -> None:
    with pytest.raises(ValueError, match="flag"):
        classify(0, None, dsm=[item(1, flag=3)])


def test_validate_active_safety_item() -> None:
    assert validate_active_safety_item(item(1, identifier=IDENT, speed=62), "adas") == []
    assert validate_active_safety_item(item(6, sign_type=3, unknown_extra=1), "adas") == []
    assert validate_active_safety_item(item(0xFF), "dsm") == []
    assert len(validate_active_safety_item({}, "adas")) == 4
    assert validate_active_safety_item(item(6), "adas") == [
        "sign_type is required on ADAS road-sign alarms (type 0x06)"]
    assert len(validate_active_safety_item(item(6, sign_type=3), "dsm")) == 1
    assert len(validate_active_safety_item(item(6, sign_type=300), "adas")) == 1
    assert len(validate_active_safety_item(item(1, identifier=IDENT[:-1]), "adas")) == 1
    assert len(validate_active_safety_item(item(1, identifier="z" * 32), "adas")) == 1
    assert len(validate_active_safety_item(item(1, speed=-1), "adas")) == 1
    assert len(validate_active_safety_item(item(1, level=3, flag=True), "adas")) == 2
    assert len(validate_active_safety_item(item(256, alarm_id=2**32), "adas")) == 2


def test_default_policy() -> None:
    assert DEFAULT_ALARM_POLICY.dedup_window_s == 600
    assert "adas.road_sign_weight" in DEFAULT_ALARM_POLICY.codes
    assert "adas.road_sign_limit" not in DEFAULT_ALARM_POLICY.codes


@pytest.mark.parametrize(
    ("code", "last", "at", "expected"),
    [
        ("jt808.emergency", None, T0, True),
        ("jt808.overspeed", None, T0, False),
        ("jt808.emergency", T0, T0 + timedelta(seconds=600), True),
        ("jt808.emergency", T0, T0 + timedelta(seconds=600) - timedelta(microseconds=1), False),
        ("jt808.emergency", T0, T0, False),
        ("jt808.emergency", T0, T0 - timedelta(hours=1), False),
    ],
)
def test_should_raise_dedup_window(code: str, last: datetime | None, at: datetime, expected: bool) -> None:
    assert should_raise(DEFAULT_ALARM_POLICY, code, last, at) is expected


def test_should_raise_custom_policy_and_naive_times() -> None:
    policy = AlarmPolicy(codes=frozenset({"dsm.smoking"}), dedup_window_s=0)
    assert should_raise(policy, "dsm.smoking", T0, T0)
    with pytest.raises(ValueError):
        should_raise(policy, "dsm.smoking", T0.replace(tzinfo=None), T0)
    with pytest.raises(ValueError):
        AlarmPolicy(codes=frozenset(), dedup_window_s=-1)


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("jt808.emergency", "紧急报警", "Emergency alarm"),
    ("jt808.overspeed", "超速报警", "Overspeed alarm"),
    ("jt808.fatigue", "疲劳驾驶", "Fatigue driving"),
    ("adas.road_sign_weight", "道路标识超限（限重）", "Road sign limit exceeded (weight)"),
    ("adas.type_0x1a", "未知ADAS报警（类型0x1A）", "Unknown ADAS alarm (type 0x1A)"),
    ("something.else", "something.else", "something.else"),
])
def test_label_examples(code: str, zh: str, en: str) -> None:
    assert label(code) == zh
    assert label(code, "en") == en


def test_every_known_code_has_distinct_labels() -> None:
    codes = [*alarm_codes(2**32 - 1), *ADAS_CODES.values(), *DSM_CODES.values(), "adas.road_sign_limit",
             "adas.road_sign_weight"]
    langs: tuple[Literal["zh", "en"], ...] = ("zh", "en")
    for lang in langs:
        labels = [label(code, lang) for code in codes]
        assert all(text != code for text, code in zip(labels, codes, strict=True))
        assert len(set(labels)) == len(codes)
