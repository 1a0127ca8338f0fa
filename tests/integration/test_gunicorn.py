"""The production shape: gunicorn with a gevent websocket worker on PostGIS serves HTTP and Socket.IO."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from backend.extensions import db
from tests import world
from tests.conftest import _drop_pg, _pg_database, make_app
from tests.integration.test_realtime import Listener, _free_port
from tests.integration.test_two_processes import _wait_up

ROOT = Path(__file__).resolve().parents[2]
WORKER = "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    name, url = _pg_database()
    app = make_app(url)
    with app.app_context():
        world.build()
        db.session.remove()
        db.engine.dispose()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
           "ZHICHAO_ASYNC_MODE": "gevent", "ZHICHAO_INSTANCE": str(tmp_path_factory.mktemp("instance"))}
    env.pop("ZHICHAO_DEMO", None)
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-k", WORKER, "-w", "1", "-b", f"127.0.0.1:{port}",
                             "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        _drop_pg(name)


def test_dispatch_arrives_live_through_gunicorn_gevent(gunicorn_server):
    url = gunicorn_server
    officer = Listener(url, "officer2")
    try:
        r = requests.post(f"{url}/api/v1/weighings", headers={"X-Api-Key": world.SITE_KEYS["S1"]}, timeout=5,
                          json={"record_id": "GUNI-1", "plate": "晋C76276", "plate_color": 2, "axles": 2,
                                "gross_kg": 25_000, "weighed_at": "2026-11-22T08:00:00+08:00"})
        assert r.status_code == 201
        token = requests.post(f"{url}/api/v1/auth/login", timeout=5,
                              json={"username": "commander", "password": world.PASSWORD}).json()["access_token"]
        task = requests.post(f"{url}/api/v1/tasks", json={"warning_id": r.json()["warning_id"]}, timeout=5,
                             headers={"Authorization": f"Bearer {token}"}).json()
        officer.wait_for("task.created", lambda d: d["data"]["id"] == task["id"], timeout=8)
    finally:
        Listener.close_all(officer)
