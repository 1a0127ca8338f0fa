"""Warning list filters and the warning as clients see it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from backend.models import WARNING_KINDS, WARNING_STATUSES
from backend.schemas.common import AwareDateTime


class WarningQuerySchema(Schema):
    """Filters and paging of the warning list (newest first; pass before_id to page)."""

    status = fields.String(validate=validate.OneOf(WARNING_STATUSES))
    kind = fields.String(validate=validate.OneOf(WARNING_KINDS))
    team_id = fields.Integer()
    plate = fields.String(validate=validate.Length(min=2, max=16))
    since = AwareDateTime()
    before_id = fields.Integer(validate=validate.Range(min=1))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class WarningEventSchema(Schema):
    """A step in a warning's life (created, handover)."""

    kind = fields.String()
    at = fields.DateTime()
    from_team_id = fields.Integer(allow_none=True)
    to_team_id = fields.Integer(allow_none=True)
    from_jurisdiction_id = fields.Integer(allow_none=True)
    to_jurisdiction_id = fields.Integer(allow_none=True)
    data = fields.Dict()


class WarningSchema(Schema):
    """A warning and the team responsible for it."""

    id = fields.Integer()
    kind = fields.String()
    trigger = fields.String()
    status = fields.String()
    plate = fields.String()
    plate_color = fields.Integer()
    title = fields.String()
    team_id = fields.Integer(allow_none=True)
    jurisdiction_id = fields.Integer(allow_none=True)
    site_id = fields.Integer(allow_none=True)
    weighing_id = fields.Integer(allow_none=True)
    alarm_id = fields.Integer(allow_none=True)
    lon = fields.Float(allow_none=True)
    lat = fields.Float(allow_none=True)
    details = fields.Dict()
    raised_at = fields.DateTime()
    updated_at = fields.DateTime()


class WarningDetailSchema(WarningSchema):
    """A warning with its history."""

    events = fields.List(fields.Nested(WarningEventSchema))
