"""The weighing record of the public contract (POST /api/v1/weighings) and its answer."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from backend.schemas.common import AwareDateTime, Plate, plate_color

SNAPSHOT_KINDS = ("front", "rear", "side", "top", "cab", "plate", "video", "other")


class SnapshotSchema(Schema):
    """A snapshot reference: a URL or a SHA-256 of the file (or both)."""

    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf(SNAPSHOT_KINDS))
    url = fields.Url(schemes={"http", "https"}, validate=validate.Length(max=2000))
    sha256 = fields.String(validate=validate.Regexp(r"^[0-9a-fA-F]{64}$", error="must be 64 hex digits"))
    taken_at = AwareDateTime()


class WeighingSchema(Schema):
    """A departing truck's weighing as a source site uploads it."""

    class Meta:
        unknown = RAISE

    record_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    site_code = fields.String(validate=validate.Length(min=1, max=64),
                              metadata={"description": "optional; must be the key's own site"})
    plate = Plate(required=True, metadata={"example": "晋C76276"})
    plate_color = plate_color()
    axles = fields.Integer(required=True, strict=True, validate=validate.Range(min=2, max=12))
    vehicle_kind = fields.String(validate=validate.OneOf(("rigid", "combination")), allow_none=True)
    single_drive_axle = fields.Boolean(load_default=False)
    single_tyre_axles = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=12))
    gross_kg = fields.Float(required=True, allow_nan=False,
                            validate=validate.Range(min=0, min_inclusive=False, max=200_000))
    tare_kg = fields.Float(allow_nan=False, validate=validate.Range(min=0, max=100_000))
    weighed_at = AwareDateTime(required=True)
    lane = fields.String(validate=validate.Length(max=32))
    scale_id = fields.String(validate=validate.Length(max=64))
    ticket_no = fields.String(validate=validate.Length(max=64))
    goods = fields.String(validate=validate.Length(max=120))
    snapshots = fields.List(fields.Nested(SnapshotSchema), validate=validate.Length(max=20))


class WeighingResultSchema(Schema):
    """The evaluation returned for a weighing (and returned again on an identical replay)."""

    id = fields.Integer()
    overloaded = fields.Boolean()
    limit_kg = fields.Integer()
    excess_kg = fields.Float()
    excess_pct = fields.Float()
    tolerance_kg = fields.Float()
    rule_version = fields.String()
    warning_id = fields.Integer(allow_none=True)
    kind_assumed = fields.Boolean()
    notes = fields.List(fields.String())
