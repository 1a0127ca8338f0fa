"""Field types shared by several schemas: plates, plate colours, aware timestamps."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

# JT/T 697.7 plate colours: 1 blue, 2 yellow, 3 black, 4 white, 5 green, 9 other.
PLATE_COLORS = (1, 2, 3, 4, 5, 9)
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
PLATE_RE = re.compile(rf"^[{PROVINCES}][A-Z][A-Z0-9]{{4,6}}[A-Z0-9挂学警港澳]?$")


class Plate(fields.String):
    """A Chinese plate such as 晋C76276 (upper-cased, spaces and dots removed before checking)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        plate = re.sub(r"[\s·.\-]", "", text).upper()
        if not PLATE_RE.match(plate):
            raise ValidationError(f"'{text}' is not a plate like 晋C76276")
        return plate


def plate_color() -> fields.Integer:
    """The JT/T 697.7 colour code field."""
    return fields.Integer(required=True, strict=True, validate=validate.OneOf(
        PLATE_COLORS, error="must be a JT/T 697.7 colour code: 1 blue, 2 yellow, 3 black, 4 white, 5 green, 9 other"))


class AwareDateTime(fields.DateTime):
    """ISO 8601 with an explicit UTC offset; a naive time is ambiguous in a country on UTC+8."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        if result.tzinfo is None:
            raise ValidationError("needs a UTC offset, e.g. 2026-11-22T17:10:00+08:00")
        if not 2000 <= result.year <= 2100:
            raise ValidationError("year out of range 2000-2100")
        return result


def nul_errors(value: Any, path: str = "") -> dict[str, list[str]]:
    """Fields (dotted paths) whose keys or strings hold NUL characters, which PostgreSQL cannot store."""
    found: dict[str, list[str]] = {}
    if isinstance(value, str):
        if "\x00" in value:
            found[path or "_schema"] = ["must not contain NUL (\\u0000) characters"]
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                found[path or "_schema"] = ["keys must not contain NUL (\\u0000) characters"]
            else:
                found.update(nul_errors(item, child))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.update(nul_errors(item, f"{path}.{i}" if path else str(i)))
    return found
