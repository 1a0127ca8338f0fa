"""Zhichao (治超): the application factory."""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask

from backend.api.base import ZhichaoApi
from backend.config import INSTANCE, ROOT, Settings
from backend.database import engine_options, install_sqlite_hooks, is_sqlite, normalise_url
from backend.extensions import db, migrate, socketio


def warm_up(app: Flask) -> None:
    """Build what the first requests would otherwise build (the fence index), so none of them waits."""
    from backend.services import matching

    with app.app_context():
        matching.current_index()
        db.session.remove()


def freeze_startup_heap() -> None:
    """Move everything built at start-up out of the garbage collector's reach (call once per process).

    The app, its schemas, spec and fence index are long-lived; without this, full collections walk them
    again and again and show up as 50-100 ms stalls in the p99 of weighing ingest (docs/benchmarks.md).
    """
    gc.collect()
    gc.freeze()


def create_app(config: dict[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """Build the app: settings from the environment unless given, extensions bound, blueprints registered."""
    settings = settings or Settings.from_env()
    settings.database_url = normalise_url(settings.database_url)
    app = Flask(__name__, instance_path=str(INSTANCE), static_folder=None)
    app.config.from_mapping(settings.flask_config())
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(settings.database_url)
    app.config.update(config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    INSTANCE.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    with app.app_context():
        if is_sqlite(settings.database_url):
            install_sqlite_hooks(db.engine)
    # flask-smorest keeps one spec per Api, so each app gets its own (tests build several apps).
    api = ZhichaoApi(app, spec_kwargs={"components": {"securitySchemes": {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    }}})
    # With REDIS_URL, every process publishes through Redis, so a client on any process gets every event.
    socketio.init_app(app, async_mode=settings.async_mode, message_queue=settings.redis_url,
                      channel=settings.socketio_channel)

    from backend.api import register_blueprints
    from backend.cli import register_cli
    from backend.realtime.live import NAMESPACE, LiveNamespace
    from backend.web import register_web

    if NAMESPACE not in {ns.namespace for ns in socketio.namespace_handlers}:  # the extension is global
        socketio.on_namespace(LiveNamespace(NAMESPACE))
    register_blueprints(api)
    register_web(app)
    register_cli(app)
    return app
