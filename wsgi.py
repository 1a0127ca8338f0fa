"""WSGI entry point: `app` for gunicorn, and `python wsgi.py` serves Flask + Socket.IO in one process."""

from __future__ import annotations

import os

from backend import create_app, freeze_startup_heap, warm_up
from backend.extensions import socketio
from backend.realtime.notifier import start_notifier

app = create_app()
# `flask db upgrade` and other commands may find this module: they only want the app, not a serving process
# (whose warm-up reads tables the upgrade has yet to create).
SERVING = os.environ.get("FLASK_RUN_FROM_CLI") != "true"
# Every process may drain the outbox (rows are claimed with SKIP LOCKED); ZHICHAO_NOTIFIER=0 leaves it to others.
notifier = start_notifier(app) if SERVING and os.environ.get("ZHICHAO_NOTIFIER", "1") != "0" else None
if SERVING:
    warm_up(app)
    freeze_startup_heap()

if __name__ == "__main__":
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")),
                 allow_unsafe_werkzeug=True)
