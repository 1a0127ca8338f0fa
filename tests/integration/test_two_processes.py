"""Two server processes, one PostGIS database, one Redis: an action on A reaches a client on B, once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests

from backend.extensions import db
from tests import world
from tests.conftest import _drop_pg, _pg_database, make_app
from tests.integration.test_realtime import Listener, _free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ZHICHAO_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _wait_up(url: str, proc: subprocess.Popen) -> None:
    for _ in range(200):
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            requests.get(f"{url}/healthz", timeout=2)
            return
        except requests.RequestException:  # refused, or accepted before a worker was ready
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    redis.Redis.from_url(REDIS_URL).ping()  # no skip: Redis must be there
    name, url = _pg_database()
    app = make_app(url)
    with app.app_context():
        world.build()
        db.session.remove()
        db.engine.dispose()
    channel = f"zhichao-test-{uuid.uuid4().hex[:8]}"
    procs, urls = [], []
    for notifier in ("1", "0"):  # B has no notifier: what its clients get came through Redis
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
               "REDIS_URL": REDIS_URL, "ZHICHAO_SOCKETIO_CHANNEL": channel, "HOST": "127.0.0.1", "PORT": str(port),
               "ZHICHAO_INSTANCE": str(tmp_path_factory.mktemp("instance")), "ZHICHAO_NOTIFIER": notifier}
        env.pop("ZHICHAO_DEMO", None)
        proc = subprocess.Popen([sys.executable, str(ROOT / "wsgi.py")], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(proc)
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for u, p in zip(urls, procs, strict=True):
            _wait_up(u, p)
        yield urls
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        _drop_pg(name)


def test_action_on_a_reaches_client_on_b_exactly_once(two_servers):
    a, b = two_servers
    officer_on_b = Listener(b, "officer1")
    other_team_on_b = Listener(b, "officer3")
    try:
        r = requests.post(f"{a}/api/v1/weighings", headers={"X-Api-Key": world.SITE_KEYS["S1"]}, timeout=5,
                          json={"record_id": "TWO-1", "plate": "晋C76276", "plate_color": 2, "axles": 2,
                                "gross_kg": 25_000, "weighed_at": "2026-11-22T08:00:00+08:00"})
        token = requests.post(f"{a}/api/v1/auth/login", timeout=5,
                              json={"username": "commander", "password": world.PASSWORD}).json()["access_token"]
        task = requests.post(f"{a}/api/v1/tasks", json={"warning_id": r.json()["warning_id"]}, timeout=5,
                             headers={"Authorization": f"Bearer {token}"}).json()
        got = officer_on_b.wait_for("task.created", lambda d: d["data"]["id"] == task["id"], timeout=8)
        time.sleep(1.0)  # delivered once, not once per process
        again = [e for e in officer_on_b.drain() if e[0] == "task.created" and e[1]["cursor"] == got["cursor"]]
        assert again == []
        assert [e for e in other_team_on_b.drain() if e[1]["data"].get("id") == task["id"]] == []
    finally:
        Listener.close_all(officer_on_b, other_team_on_b)


def test_an_event_committed_where_nothing_pushes_is_delivered_from_the_outbox(two_servers):
    """B commits but never pushes (no notifier, as if it died right after the commit); the committed
    outbox row is delivered by whichever process drains next (A here), so it is not lost."""
    _a, b = two_servers
    listener = Listener(b, "officer1")
    try:
        token = requests.post(f"{b}/api/v1/auth/login", timeout=5,
                              json={"username": "commander", "password": world.PASSWORD}).json()["access_token"]
        r = requests.post(f"{b}/api/v1/weighings", headers={"X-Api-Key": world.SITE_KEYS["S1"]}, timeout=5,
                          json={"record_id": "TWO-2", "plate": "晋C76276", "plate_color": 2, "axles": 2,
                                "gross_kg": 25_000, "weighed_at": "2026-11-22T08:00:00+08:00"})
        task = requests.post(f"{b}/api/v1/tasks", json={"warning_id": r.json()["warning_id"]}, timeout=5,
                             headers={"Authorization": f"Bearer {token}"}).json()
        # B has no notifier, so delivery can only come from A's periodic drain of the shared outbox.
        got = listener.wait_for("task.created", lambda d: d["data"]["id"] == task["id"], timeout=8)
        assert got["cursor"] > 0
    finally:
        Listener.close_all(listener)
