"""GeoJSON Feature schemas for geofences (x = longitude, WGS-84)."""

from __future__ import annotations

from marshmallow import INCLUDE, RAISE, Schema, fields, validate
from webargs.fields import DelimitedList

from backend.models import FENCE_KINDS


class FencePropertiesSchema(Schema):
    """The properties a fence carries; anything else is kept as free-form properties."""

    class Meta:
        unknown = INCLUDE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(FENCE_KINDS))
    team_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    valid = fields.Boolean(load_default=True)
    code = fields.String(allow_none=True, validate=validate.Length(min=1, max=64), load_default=None)


class FenceFeatureSchema(Schema):
    """A GeoJSON Feature with a Polygon or MultiPolygon geometry."""

    class Meta:
        unknown = RAISE

    type = fields.String(required=True, validate=validate.Equal("Feature"))
    id = fields.Raw(allow_none=True)
    geometry = fields.Dict(required=True, metadata={"description": "GeoJSON Polygon or MultiPolygon"})
    properties = fields.Nested(FencePropertiesSchema, required=True)
    bbox = fields.List(fields.Float())


class FenceQuerySchema(Schema):
    """Filters of the fence list."""

    kind = fields.String(validate=validate.OneOf(FENCE_KINDS))
    team_id = fields.Integer()
    include_deleted = fields.Boolean(load_default=False)
    bbox = DelimitedList(fields.Float(), validate=validate.Length(equal=4),
                                metadata={"description": "minLon,minLat,maxLon,maxLat"})
