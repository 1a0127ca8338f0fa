"""JT/T 808-2019 alarm and status flags, T/JSATL12-2017 active-safety (ADAS/DSM) alarms, raising policy."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeGuard

Source = Literal["jt808", "adas", "dsm"]
LoadState = Literal["empty", "half", "full", "reserved"]

# (name, zh, en) per alarm DWORD bit 0..31, JT/T 808-2019 table 24.
_JT808_BITS: tuple[tuple[str, str, str], ...] = (
    ("emergency", "紧急报警", "Emergency alarm"),
    ("overspeed", "超速报警", "Overspeed alarm"),
    ("fatigue", "疲劳驾驶", "Fatigue driving"),
    ("dangerous_driving", "危险驾驶行为", "Dangerous driving behaviour"),
    ("gnss_fault", "GNSS模块故障", "GNSS module fault"),
    ("antenna_cut", "GNSS天线未接或被剪断", "GNSS antenna disconnected or cut"),
    ("antenna_short", "GNSS天线短路", "GNSS antenna short circuit"),
    ("power_low", "终端主电源欠压", "Main power undervoltage"),
    ("power_lost", "终端主电源掉电", "Main power lost"),
    ("display_fault", "终端显示器故障", "Display fault"),
    ("tts_fault", "TTS模块故障", "TTS module fault"),
    ("camera_fault", "摄像头故障", "Camera fault"),
    ("ic_card_fault", "道路运输证IC卡模块故障", "IC card module fault"),
    ("overspeed_prewarning", "超速预警", "Overspeed pre-warning"),
    ("fatigue_prewarning", "疲劳驾驶预警", "Fatigue driving pre-warning"),
    ("illegal_driving", "违规行驶报警", "Illegal driving alarm"),
    ("tyre_pressure", "胎压预警", "Tyre pressure warning"),
    ("right_turn_blind_zone", "右转盲区异常报警", "Right-turn blind zone alarm"),
    ("daily_driving_time_exceeded", "当天累计驾驶超时", "Daily driving time exceeded"),
    ("overtime_parking", "超时停车", "Overtime parking"),
    ("area_enter_leave", "进出区域", "Area entry/exit"),
    ("route_enter_leave", "进出路线", "Route entry/exit"),
    ("section_time", "路段行驶时间不足/过长", "Route section driving time too short/long"),
    ("route_deviation", "路线偏离报警", "Route deviation"),
    ("speed_sensor_fault", "车辆VSS故障", "Vehicle speed sensor fault"),
    ("fuel_abnormal", "车辆油量异常", "Abnormal fuel level"),
    ("theft", "车辆被盗", "Vehicle theft"),
    ("illegal_ignition", "车辆非法点火", "Illegal ignition"),
    ("illegal_displacement", "车辆非法位移", "Illegal displacement"),
    ("collision", "碰撞预警", "Collision warning"),
    ("rollover", "侧翻预警", "Rollover warning"),
    ("illegal_door_opening", "非法开门报警", "Illegal door opening"),
)

# ADAS (attachment 0x64) and DSM (0x65) alarm types, T/JSATL12-2017 tables 4-17 / 4-20.
_ADAS_TYPES: dict[int, str] = {
    0x01: "forward_collision", 0x02: "lane_departure", 0x03: "following_too_close",
    0x04: "pedestrian_collision", 0x05: "frequent_lane_change", 0x06: "road_sign_limit", 0x07: "obstacle",
}
_DSM_TYPES: dict[int, str] = {
    0x01: "fatigue", 0x02: "phone_call", 0x03: "smoking", 0x04: "distraction", 0x05: "driver_abnormal",
    0x06: "user_defined",
}
_ROAD_SIGN_TYPE = 0x06
_SIGN_TYPE_WEIGHT = 0x03

_ACTIVE_LABELS: dict[str, tuple[str, str]] = {
    "adas.forward_collision": ("前向碰撞报警", "Forward collision warning"),
    "adas.lane_departure": ("车道偏离报警", "Lane departure warning"),
    "adas.following_too_close": ("车距过近报警", "Following too close"),
    "adas.pedestrian_collision": ("行人碰撞报警", "Pedestrian collision warning"),
    "adas.frequent_lane_change": ("频繁变道报警", "Frequent lane change"),
    "adas.road_sign_limit": ("道路标识超限", "Road sign limit exceeded"),
    "adas.road_sign_weight": ("道路标识超限（限重）", "Road sign limit exceeded (weight)"),
    "adas.obstacle": ("障碍物报警", "Obstacle warning"),
    "dsm.fatigue": ("疲劳驾驶报警", "Driver fatigue (DSM)"),
    "dsm.phone_call": ("接打电话报警", "Phone call while driving"),
    "dsm.smoking": ("抽烟报警", "Smoking while driving"),
    "dsm.distraction": ("分神驾驶报警", "Distracted driving"),
    "dsm.driver_abnormal": ("驾驶员异常报警", "Driver abnormal"),
    "dsm.user_defined": ("DSM自定义报警", "DSM user-defined alarm"),
}
_LABELS: dict[str, tuple[str, str]] = {
    **{f"jt808.{name}": (zh, en) for name, zh, en in _JT808_BITS},
    **_ACTIVE_LABELS,
}
_UNKNOWN_TYPE = re.compile(r"^(adas|dsm)\.type_0x([0-9a-f]{2})$")
_HEX32 = re.compile(r"^[0-9A-Fa-f]{32}$")
_FLAG_MAX = 2**32


def _check_dword(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _FLAG_MAX:
        raise ValueError(f"{name} must be an integer in 0..2**32-1, got {value!r}")


def alarm_codes(alarm_flags: int) -> list[str]:
    """Codes "jt808.<name>" of the set bits of a JT/T 808 alarm DWORD, in ascending bit order."""
    _check_dword("alarm_flags", alarm_flags)
    return [f"jt808.{name}" for bit, (name, _, _) in enumerate(_JT808_BITS) if alarm_flags >> bit & 1]


def rising_edges(previous_flags: int | None, alarm_flags: int) -> int:
    """Bits set now and not in the previous fix (all set bits when there is no previous fix).

    JT/T 808 alarm bits stay set while the condition lasts, so a warning is due on the rising edge only.
    """
    _check_dword("alarm_flags", alarm_flags)
    if previous_flags is None:
        return alarm_flags
    _check_dword("previous_flags", previous_flags)
    return alarm_flags & ~previous_flags


@dataclass(frozen=True)
class Status:
    """Decoded JT/T 808 status DWORD: bit 0 ACC, 1 positioned, 2 south latitude, 3 west longitude,
    5 coordinates encrypted, bits 8-9 load state (00 empty, 01 half, 10 reserved, 11 full)."""

    acc_on: bool
    positioned: bool
    south: bool
    west: bool
    coordinates_encrypted: bool
    load_state: LoadState


_LOAD_STATES: tuple[LoadState, ...] = ("empty", "half", "reserved", "full")


def decode_status(status_flags: int) -> Status:
    """Decode the status DWORD per `Status`; other bits are ignored."""
    _check_dword("status_flags", status_flags)
    return Status(
        acc_on=bool(status_flags & 1 << 0),
        positioned=bool(status_flags & 1 << 1),
        south=bool(status_flags & 1 << 2),
        west=bool(status_flags & 1 << 3),
        coordinates_encrypted=bool(status_flags & 1 << 5),
        load_state=_LOAD_STATES[status_flags >> 8 & 0b11],
    )


@dataclass(frozen=True)
class AlarmEvent:
    """One new alarm of a fix; level, alarm_id and identifier come from active-safety items only."""

    code: str
    source: Source
    level: int | None
    alarm_id: int | None
    identifier: str | None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_active_safety_item(item: Mapping[str, Any], source: Literal["adas", "dsm"]) -> list[str]:
    """Error messages for an ADAS/DSM item (empty when valid): alarm_id DWORD, flag 0|1|2, type BYTE (unknown
    types allowed), level 1|2, optional speed 0..255 km/h, optional identifier of 32 hex chars; sign_type
    (BYTE) is required for ADAS road-sign alarms (type 0x06) and rejected everywhere else. Extra keys are
    ignored so devices may send more fields."""
    errors: list[str] = []
    if source not in ("adas", "dsm"):
        return [f"source must be 'adas' or 'dsm', got {source!r}"]
    alarm_id, flag, kind, level = (item.get(k) for k in ("alarm_id", "flag", "type", "level"))
    if not _is_int(alarm_id) or not 0 <= alarm_id < _FLAG_MAX:
        errors.append("alarm_id must be an integer in 0..2**32-1")
    if not _is_int(flag) or flag not in (0, 1, 2):
        errors.append("flag must be 0 (not available), 1 (start) or 2 (end)")
    if not _is_int(kind) or not 0 <= kind <= 0xFF:
        errors.append("type must be an integer in 0..255")
    if not _is_int(level) or level not in (1, 2):
        errors.append("level must be 1 or 2")
    road_sign = source == "adas" and kind == _ROAD_SIGN_TYPE
    if "sign_type" in item:
        if not road_sign:
            errors.append("sign_type is only allowed on ADAS road-sign alarms (type 0x06)")
        elif not _is_int(item["sign_type"]) or not 0 <= item["sign_type"] <= 0xFF:
            errors.append("sign_type must be an integer in 0..255")
    elif road_sign:
        errors.append("sign_type is required on ADAS road-sign alarms (type 0x06)")
    speed = item.get("speed")
    if speed is not None and (isinstance(speed, bool) or not isinstance(speed, int | float)
                              or not 0 <= speed <= 0xFF):
        errors.append("speed must be a number in 0..255 km/h")
    identifier = item.get("identifier")
    if identifier is not None and (not isinstance(identifier, str) or not _HEX32.match(identifier)):
        errors.append("identifier must be 32 hexadecimal characters (16-byte alarm identifier)")
    return errors


def _active_code(item: Mapping[str, Any], source: Literal["adas", "dsm"]) -> str:
    kind: int = item["type"]
    names = _ADAS_TYPES if source == "adas" else _DSM_TYPES
    if kind not in names:
        return f"{source}.type_0x{kind:02x}"
    if source == "adas" and kind == _ROAD_SIGN_TYPE and item.get("sign_type") == _SIGN_TYPE_WEIGHT:
        return "adas.road_sign_weight"
    return f"{source}.{names[kind]}"


def classify(
    alarm_flags: int,
    previous_flags: int | None,
    adas: Sequence[Mapping[str, Any]] = (),
    dsm: Sequence[Mapping[str, Any]] = (),
) -> list[AlarmEvent]:
    """The new alarm events of one fix: rising-edge JT/T 808 bits (ascending), then ADAS and DSM items in the
    given order whose flag is start (1) or not-available (0); end flags (2) produce nothing. ADAS road-sign
    alarms with sign_type 3 (weight limit) become "adas.road_sign_weight", other signs "adas.road_sign_limit";
    unknown types become e.g. "adas.type_0x1a". Raises ValueError for an invalid item (validate first)."""
    events = [AlarmEvent(code, "jt808", None, None, None)
              for code in alarm_codes(rising_edges(previous_flags, alarm_flags))]
    sources: tuple[tuple[Literal["adas", "dsm"], Sequence[Mapping[str, Any]]], ...] = (("adas", adas),
                                                                                         ("dsm", dsm))
    for source, items in sources:
        for item in items:
            errors = validate_active_safety_item(item, source)
            if errors:
                raise ValueError(f"invalid {source} item: {'; '.join(errors)}")
            if item["flag"] == 2:
                continue
            identifier = item.get("identifier")
            events.append(AlarmEvent(
                code=_active_code(item, source),
                source=source,
                level=item["level"],
                alarm_id=item["alarm_id"],
                identifier=identifier.lower() if identifier is not None else None,
            ))
    return events


@dataclass(frozen=True)
class AlarmPolicy:
    """Which alarm codes raise a warning, and the per vehicle+code suppression window in seconds."""

    codes: frozenset[str]
    dedup_window_s: float

    def __post_init__(self) -> None:
        if not self.dedup_window_s >= 0:
            raise ValueError("dedup_window_s must be a non-negative number")


DEFAULT_ALARM_POLICY = AlarmPolicy(
    codes=frozenset({
        "jt808.emergency", "jt808.fatigue", "jt808.dangerous_driving", "adas.road_sign_weight", "dsm.fatigue",
        "jt808.collision", "jt808.rollover",
    }),
    dedup_window_s=600,
)


def should_raise(policy: AlarmPolicy, code: str, last_raised_at: datetime | None, at: datetime) -> bool:
    """True when `code` is configured and was never raised for this vehicle, or was last raised at least
    dedup_window_s before `at`. An `at` earlier than the last raise (late, buffered 补传 data) is suppressed.
    Both datetimes must be timezone-aware."""
    if code not in policy.codes:
        return False
    if last_raised_at is None:
        return True
    if at.tzinfo is None or last_raised_at.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return (at - last_raised_at).total_seconds() >= policy.dedup_window_s


def label(code: str, lang: Literal["zh", "en"] = "zh") -> str:
    """Human label of an alarm code in Simplified Chinese ("zh") or English ("en"). Unknown active-safety
    types get a generic label with their hex type; any other unknown code is returned unchanged so a display
    never fails."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    if code in _LABELS:
        zh, en = _LABELS[code]
        return zh if lang == "zh" else en
    unknown = _UNKNOWN_TYPE.match(code)
    if unknown:
        source, hex_type = unknown.group(1).upper(), unknown.group(2).upper()
        if lang == "zh":
            return f"未知{source}报警（类型0x{hex_type}）"
        return f"Unknown {source} alarm (type 0x{hex_type})"
    return code
