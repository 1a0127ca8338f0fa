"""A fast path for the common, plainly valid fix; anything it is unsure of goes to FixSchema.

marshmallow costs about 0.15 ms per fix, most of a batch's budget. This accepts only items it can
prove valid under FixSchema's rules and returns exactly what FixSchema would; a property test holds
the two together. Error messages always come from FixSchema.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from backend.schemas.common import PLATE_COLORS, PLATE_RE

_ALLOWED = frozenset({"plate", "plate_color", "lat", "lon", "speed_kmh", "heading", "at", "alarm_flags",
                      "status_flags", "adas", "dsm"})
_REQUIRED = frozenset({"plate", "plate_color", "lat", "lon", "speed_kmh", "heading", "at"})
_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")
_NUMBER = (int, float)
_EMPTY: list[Any] = []
_U32 = 2**32 - 1


def fast_load(item: Any) -> dict[str, Any] | None:
    """FixSchema().load(item) for a plainly valid item, or None when FixSchema must decide.

    Written flat on purpose (it runs once per fix): NaN and infinities fail the range comparisons, and
    `type(x) in _NUMBER` leaves booleans to FixSchema.
    """
    if type(item) is not dict or not _ALLOWED.issuperset(item) or not _REQUIRED.issubset(item):
        return None
    if item.get("adas", _EMPTY) != _EMPTY or item.get("dsm", _EMPTY) != _EMPTY:
        return None
    plate, color, at = item["plate"], item["plate_color"], item["at"]
    lat, lon, speed, heading = item["lat"], item["lon"], item["speed_kmh"], item["heading"]
    alarm, status = item.get("alarm_flags", 0), item.get("status_flags", 0)
    if not (type(plate) is str and PLATE_RE.match(plate) and type(color) is int and color in PLATE_COLORS
            and type(at) is str and _ISO.match(at)
            and type(lat) in _NUMBER and -90 <= lat <= 90 and type(lon) in _NUMBER and -180 <= lon <= 180
            and type(speed) in _NUMBER and 0 <= speed <= 300 and type(heading) in _NUMBER and 0 <= heading <= 360
            and type(alarm) is int and 0 <= alarm <= _U32 and type(status) is int and 0 <= status <= _U32):
        return None
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return None
    if not 2000 <= when.year <= 2100:
        return None
    return {"plate": plate, "plate_color": color, "at": when, "lat": float(lat), "lon": float(lon),
            "speed_kmh": float(speed), "heading": float(heading), "alarm_flags": alarm, "status_flags": status,
            "adas": [], "dsm": []}
