"""Task dispatch, transition and event schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, post_load, validate

from backend.domain.lifecycle import DISPOSALS, STATES
from backend.schemas.common import AwareDateTime
from backend.schemas.steps import load_form

EVIDENCE_KINDS = ("plate", "vehicle", "load", "documents", "credentials", "ticket", "scale", "unloading",
                  "seizure", "record", "driver", "other")
CLIENT_ID = validate.Regexp(r"^[A-Za-z0-9_-]{8,64}$", error="8-64 letters, digits, '-' or '_' (a client-generated id)")


class DispatchSchema(Schema):
    """POST /api/v1/tasks."""

    class Meta:
        unknown = RAISE

    warning_id = fields.Integer(required=True, strict=True)
    team_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    intercept_at = fields.List(fields.Float(allow_nan=False), validate=validate.Length(equal=2),
                               load_default=None, metadata={"description": "[lon, lat], WGS-84"})
    deadline = AwareDateTime(load_default=None)


class PositionSchema(Schema):
    """Where the step was taken."""

    class Meta:
        unknown = RAISE

    lon = fields.Float(required=True, validate=validate.Range(-180, 180))
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    accuracy_m = fields.Float(validate=validate.Range(0, 100_000), load_default=None)


class EvidenceSchema(Schema):
    """A reference to a captured file: its SHA-256 computed on the device when captured."""

    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf(EVIDENCE_KINDS))
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$", error="64 lower-case hex"))
    id = fields.String(required=True, validate=CLIENT_ID, metadata={"description": "the uploaded evidence's id"})
    taken_at = AwareDateTime()

    @post_load
    def _json(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data.get("taken_at") is not None:  # kept in the step's JSON and the audit entry as text
            data["taken_at"] = data["taken_at"].isoformat()
        return data


class EvidenceUploadSchema(Schema):
    """The form fields of POST /api/v1/tasks/<id>/evidence (multipart, the photo in `file`)."""

    class Meta:
        unknown = RAISE

    id = fields.String(required=True, validate=CLIENT_ID)
    kind = fields.String(required=True, validate=validate.OneOf(EVIDENCE_KINDS))
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$", error="64 lower-case hex"),
                           metadata={"description": "SHA-256 computed on the phone when the photo was taken"})
    taken_at = AwareDateTime(load_default=None)
    lon = fields.Float(validate=validate.Range(-180, 180), load_default=None)
    lat = fields.Float(validate=validate.Range(-90, 90), load_default=None)
    accuracy_m = fields.Float(validate=validate.Range(0, 100_000), load_default=None)

    @post_load
    def _position(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        lon, lat, accuracy = data.pop("lon"), data.pop("lat"), data.pop("accuracy_m")
        located = lon is not None and lat is not None
        data["position"] = {"lon": lon, "lat": lat, "accuracy_m": accuracy} if located else None
        return data


class TransitionSchema(Schema):
    """POST /api/v1/tasks/<id>/transitions."""

    class Meta:
        unknown = RAISE

    to = fields.String(required=True, validate=validate.OneOf(STATES))
    officers = fields.List(fields.Integer(strict=True), validate=validate.Length(max=6), load_default=list)
    reason = fields.String(validate=validate.Length(max=500), load_default=None)
    team_id = fields.Integer(strict=True, load_default=None, metadata={"description": "new team (reassignment)"})
    disposal = fields.String(validate=validate.OneOf(DISPOSALS), load_default=None)
    position = fields.Nested(PositionSchema, load_default=None)
    device_time = AwareDateTime(load_default=None)
    evidence = fields.List(fields.Nested(EvidenceSchema), validate=validate.Length(max=50), load_default=list)
    form = fields.Dict(load_default=None, metadata={"description": "the step's form (see the Step* schemas)"})

    @post_load
    def _form(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["form"] = load_form(data["to"], data.get("disposal"), data.get("form"))
        return data


class ConfirmSchema(Schema):
    """POST /api/v1/tasks/<id>/steps/<step_id>/confirm: the partner's own confirmation."""

    class Meta:
        unknown = RAISE

    position = fields.Nested(PositionSchema, load_default=None)
    device_time = AwareDateTime(load_default=None)


class TaskQuerySchema(Schema):
    """Filters of the task list."""

    status = fields.String(validate=validate.OneOf(STATES))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))


class EventQuerySchema(Schema):
    """GET /api/v1/events?since=CURSOR."""

    since = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=200, validate=validate.Range(1, 1000))
