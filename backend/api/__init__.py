"""HTTP API: one blueprint per resource."""

from __future__ import annotations

from typing import Any


def register_blueprints(api: Any) -> None:
    """Register every resource blueprint on the app's Api (which documents it in the OpenAPI spec)."""
    from backend.api import auth, evidence, geofences, ingest, push, tasks, teams, warnings

    for module in (auth, ingest, geofences, warnings, tasks, evidence, push, teams):
        api.register_blueprint(module.blp)
