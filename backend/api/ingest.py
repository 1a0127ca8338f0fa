"""Ingest endpoints for source sites (weighings) and position feeds (fixes), authenticated by key."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.security import API_KEY, api_key
from backend.config import Settings
from backend.domain.alarms import DEFAULT_ALARM_POLICY, AlarmPolicy
from backend.domain.errors import DomainError
from backend.schemas.fix import FixBatchResultSchema, FixSchema
from backend.schemas.weighing import WeighingResultSchema, WeighingSchema
from backend.services import auth, fixes, weighings

blp = Blueprint("ingest", __name__, url_prefix="/api/v1", description="Weighings from source sites, fixes from feeds")


class BadJson(DomainError):
    """The body is not JSON at all."""

    status = 400


def _json_body() -> Any:
    body = request.get_json(silent=True)
    if body is None:
        raise BadJson("the body must be JSON (Content-Type: application/json)")
    return body


def _policy(settings: Settings) -> AlarmPolicy:
    if settings.alarm_codes is None:
        return AlarmPolicy(codes=DEFAULT_ALARM_POLICY.codes, dedup_window_s=settings.alarm_dedup_s)
    return AlarmPolicy(codes=frozenset(settings.alarm_codes), dedup_window_s=settings.alarm_dedup_s)


@blp.route("/weighings")
class Weighings(MethodView):
    @blp.doc(security=API_KEY, requestBody={"required": True, "content": {
        "application/json": {"schema": WeighingSchema}}})
    @blp.response(201, WeighingResultSchema)
    @blp.alt_response(401, description="missing or wrong site key")
    @blp.alt_response(403, description="the record names another site")
    @blp.alt_response(409, description="record_id replayed with a different body")
    @blp.alt_response(422, description="invalid fields: {\"errors\": {field: [messages]}}")
    def post(self) -> tuple[dict[str, Any], int]:
        """Upload one weighing record; replaying the same record_id and body returns the first answer."""
        site = auth.site_for_key(api_key())
        settings: Settings = current_app.config["ZHICHAO"]
        return weighings.ingest(site, _json_body(), settings.auto_dispatch_pct), 201


@blp.route("/fixes")
class Fixes(MethodView):
    @blp.doc(security=API_KEY, requestBody={"required": True, "content": {
        "application/json": {"schema": {"type": "array", "items": FixSchema}}}})
    @blp.response(202, FixBatchResultSchema)
    @blp.alt_response(401, description="missing or wrong feed key")
    def post(self) -> tuple[dict[str, Any], int]:
        """Post a batch of WGS-84 fixes; valid ones are stored even when others are rejected."""
        feed = auth.feed_for_key(api_key())
        settings: Settings = current_app.config["ZHICHAO"]
        result = fixes.ingest(feed, _json_body(), settings.max_fix_batch, _policy(settings))
        return result.body(), 202
