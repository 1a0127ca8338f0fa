"""Socket.IO against a real running server: authenticated connect, team rooms, live events, catch-up."""

from __future__ import annotations

import queue
import socket
import threading
import time

import pytest
import requests
import socketio
from flask import Flask

from backend.extensions import db
from backend.extensions import socketio as server_io
from backend.realtime.notifier import start_notifier
from tests import world
from tests.conftest import make_app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveUrl(str):
    """The running server's base URL; `.app` is its Flask app, for looking into its database."""

    app: Flask


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A real server (Flask-SocketIO, threading, simple-websocket) on a SQLite file, with the notifier."""
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite'}")
    with app.app_context():
        world.build()
        db.session.remove()
    port = _free_port()
    thread = threading.Thread(target=server_io.run, args=(app,), daemon=True,
                              kwargs={"host": "127.0.0.1", "port": port, "allow_unsafe_werkzeug": True,
                                      "use_reloader": False, "log_output": False})
    thread.start()
    url = LiveUrl(f"http://127.0.0.1:{port}")
    url.app = app
    for _ in range(100):
        try:
            requests.get(f"{url}/healthz", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.05)
    notifier = start_notifier(app, interval_s=0.2)
    yield url
    notifier.stop()


def _token(url, username):
    r = requests.post(f"{url}/api/v1/auth/login", json={"username": username, "password": world.PASSWORD}, timeout=5)
    return r.json()["access_token"]


class Listener:
    """A python-socketio client that records every event it receives."""

    def __init__(self, url, username):
        self.events: queue.Queue = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        for name in ("task.created", "task.updated", "warning.created", "warning.updated"):
            self.client.on(name, lambda data, name=name: self.events.put((name, data)), namespace="/live")
        self.client.connect(url, namespaces=["/live"], auth={"token": _token(url, username)},
                            transports=["websocket"], wait_timeout=5)

    def wait_for(self, name, predicate=lambda data: True, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                got, data = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if got == name and predicate(data):
                return data
        raise AssertionError(f"no {name} within {timeout}s")

    @staticmethod
    def close_all(*listeners):
        """Disconnect in parallel: a websocket client waits for the server's close frame."""
        threads = [threading.Thread(target=listener.client.disconnect) for listener in listeners]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)

    def drain(self):
        items = []
        while not self.events.empty():
            items.append(self.events.get())
        return items


def test_connect_needs_a_valid_token(live):
    for auth in (None, {}, {"token": "forged"}):
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(live, namespaces=["/live"], auth=auth, transports=["websocket"], wait_timeout=1)


def test_dispatch_reaches_the_right_team_only(live):
    team1 = [Listener(live, "officer1"), Listener(live, "officer2")]
    team2 = Listener(live, "officer3")
    command = Listener(live, "commander")
    try:
        r = requests.post(f"{live}/api/v1/weighings", headers={"X-Api-Key": world.SITE_KEYS["S1"]}, timeout=5,
                          json={"record_id": "LIVE-1", "plate": "晋C76276", "plate_color": 2, "axles": 2,
                                "gross_kg": 25_000, "weighed_at": "2026-11-22T08:00:00+08:00"})
        warning_id = r.json()["warning_id"]
        command.wait_for("warning.created", lambda d: d["data"]["id"] == warning_id)
        headers = {"Authorization": f"Bearer {_token(live, 'commander')}"}
        task = requests.post(f"{live}/api/v1/tasks", json={"warning_id": warning_id}, headers=headers,
                             timeout=5).json()
        for officer in team1:
            data = officer.wait_for("task.created", lambda d: d["data"]["id"] == task["id"])
            assert data["cursor"] > 0 and data["data"]["status"] == "dispatched"
        command.wait_for("task.created", lambda d: d["data"]["id"] == task["id"])
        time.sleep(0.5)
        leaked = [e for e in team2.drain() if e[1]["data"].get("id") in (task["id"], warning_id)]
        assert leaked == []
    finally:
        Listener.close_all(*team1, team2, command)


def test_catch_up_from_cursor_and_refused_rooms(live):
    listener = Listener(live, "officer1")
    try:
        caught = listener.client.call("catch_up", {"since": 0}, namespace="/live", timeout=5)
        assert all(isinstance(e["cursor"], int) for e in caught["events"])
        bad = listener.client.call("catch_up", {"since": "yesterday"}, namespace="/live", timeout=5)
        assert bad["errors"]["since"]
        refused = listener.client.call("join", {"room": "team:2"}, namespace="/live", timeout=5)
        assert "assigned by the server" in refused["error"]
    finally:
        Listener.close_all(listener)


def test_token_expiring_mid_connection_disconnects(live):
    from datetime import timedelta

    from backend import clock

    listener = Listener(live, "officer1")
    expired = queue.Queue()
    listener.client.on("auth.expired", lambda data: expired.put(data), namespace="/live")
    start = clock.now()
    clock.set_source(lambda: start + timedelta(hours=5))
    try:
        answer = listener.client.call("catch_up", {"since": 0}, namespace="/live", timeout=5)
        assert answer == {"error": "token expired"}
        assert "expired" in expired.get(timeout=5)["error"]
        for _ in range(50):
            if not listener.client.connected:
                break
            time.sleep(0.1)
        assert not listener.client.connected
    finally:
        clock.set_source(None)
        Listener.close_all(listener)
