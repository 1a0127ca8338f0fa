"""HTTP API: one blueprint per resource."""

from __future__ import annotations

from typing import Any


def register_blueprints(api: Any) -> None:
    """Register every resource blueprint on the app's Api (which documents it in the OpenAPI spec)."""
    from backend.api import auth, geofences, ingest, push, tasks, warnings

    for module in (auth, ingest, geofences, warnings, tasks, push):
        api.register_blueprint(module.blp)
