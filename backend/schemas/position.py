"""An officer's own position report."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from backend.schemas.common import AwareDateTime


class OwnPositionSchema(Schema):
    """{"lon", "lat", "accuracy_m"?, "at"} from the officer's phone (WGS-84)."""

    class Meta:
        unknown = RAISE

    lon = fields.Float(required=True, allow_nan=False, validate=validate.Range(-180, 180))
    lat = fields.Float(required=True, allow_nan=False, validate=validate.Range(-90, 90))
    accuracy_m = fields.Float(allow_nan=False, validate=validate.Range(0, 100_000), load_default=None)
    at = AwareDateTime(required=True)
