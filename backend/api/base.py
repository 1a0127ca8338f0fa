"""The API object: flask-smorest with Zhichao's error body ({"error", "errors"?})."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from flask_smorest import Api
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from backend.domain.errors import DomainError
from backend.extensions import db

log = logging.getLogger(__name__)
RETRY_AFTER_S = 5


def _flatten(errors: Any) -> Any:
    """webargs nests messages under the location ("json"); clients want {field: [messages]}."""
    if isinstance(errors, dict) and set(errors) <= {"json", "query", "headers", "form", "path"}:
        merged: dict[str, Any] = {}
        for value in errors.values():
            if isinstance(value, dict):
                merged.update(value)
            else:
                merged.setdefault("_schema", []).extend(value if isinstance(value, list) else [value])
        return merged
    return errors


class ZhichaoApi(Api):  # type: ignore[misc]
    """flask-smorest Api whose errors follow the contract: {"error": text, "errors": {field: [...]}}."""

    def handle_http_exception(self, error: HTTPException) -> tuple[dict[str, Any], int, dict[str, Any]]:
        data = getattr(error, "data", None) or {}
        payload: dict[str, Any] = {"error": data.get("message") or error.description or error.name}
        errors = data.get("errors") or data.get("messages")
        if errors:
            payload["errors"] = _flatten(errors)
            if error.code == 422:
                payload["error"] = "invalid input"
        return payload, error.code or 500, data.get("headers", {})

    def init_app(self, app: Flask, *args: Any, **kwargs: Any) -> None:
        super().init_app(app, *args, **kwargs)

        @app.errorhandler(DomainError)
        def _domain_error(exc: DomainError) -> Any:
            return jsonify(exc.body()), exc.status

        @app.errorhandler(OperationalError)
        @app.errorhandler(PoolTimeout)
        def _database_unavailable(exc: OperationalError | PoolTimeout) -> Any:
            # Down, restarting, out of connections, a lock or serialisation timeout: the client's request was
            # fine and may be sent again (ingest and field steps are idempotent), so say so instead of a 500.
            log.warning("database unavailable: %s", exc)
            db.session.remove()
            return (jsonify({"error": "the database is unavailable or busy; send the request again shortly",
                             "retry_after_s": RETRY_AFTER_S}), 503, {"Retry-After": str(RETRY_AFTER_S)})
