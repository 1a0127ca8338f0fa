"""A vehicle position (fix) as a feed posts it to /api/v1/fixes."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from backend.domain.alarms import validate_active_safety_item
from backend.schemas.common import AwareDateTime, Plate, plate_color

U32 = validate.Range(min=0, max=2**32 - 1)


class FixSchema(Schema):
    """One WGS-84 fix with optional JT/T 808 flags and ADAS/DSM items."""

    class Meta:
        unknown = RAISE

    plate = Plate(required=True)
    plate_color = plate_color()
    lat = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-180, max=180))
    speed_kmh = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, max=300))
    heading = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, max=360))
    at = AwareDateTime(required=True)
    alarm_flags = fields.Integer(strict=True, load_default=0, validate=U32)
    status_flags = fields.Integer(strict=True, load_default=0, validate=U32)
    adas = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=16))
    dsm = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=16))

    @validates("adas")
    def _adas(self, value: list[dict[str, Any]], **_: Any) -> None:
        self._items(value, "adas")

    @validates("dsm")
    def _dsm(self, value: list[dict[str, Any]], **_: Any) -> None:
        self._items(value, "dsm")

    @staticmethod
    def _items(value: list[dict[str, Any]], source: str) -> None:
        errors = {i: msgs for i, item in enumerate(value)
                  if (msgs := validate_active_safety_item(item, source))}  # type: ignore[arg-type]
        if errors:
            raise ValidationError(errors)


class FixBatchResultSchema(Schema):
    """What happened to a batch: how many were accepted and which were rejected why."""

    accepted = fields.Integer()
    duplicates = fields.Integer()
    rejected = fields.List(fields.Dict())
