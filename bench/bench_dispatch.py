"""Dispatch latency: from POST /api/v1/weighings (auto-dispatch on) to task.created at the right officers.

Run: .venv/bin/python bench/bench_dispatch.py [--quick]
Real server processes on PostGIS (wsgi.py in threading mode, and gunicorn with the gevent worker as
docs/deploy.md runs it), N officer clients (half per team) and the command center connected over
Socket.IO. Each server shape is measured alone and as two processes with Redis (clients on B, weighings
posted to A). Fails if any client receives an event it may not see.
Baseline in the same run: the latency to the first client reached (the server's own path) and the spread
from first to last client, which is the fan-out to 500 sockets and the clients' single event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import psycopg
import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402

from backend import create_app  # noqa: E402
from backend.config import Settings  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import Team, User  # noqa: E402
from backend.services import demo  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-secret-key-0123456789abcdef-0123456789"
REDIS = "redis://127.0.0.1:6379/0"
MODES = (("1 process", 1, None, False), ("2 processes + Redis", 2, REDIS, False),
         ("gunicorn gevent, 1 proc", 1, None, True), ("gunicorn gevent, 2 + Redis", 2, REDIS, True))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str, officers: int) -> dict[str, Any]:
    """Demo world plus `officers` extra officers split over the two teams (one shared hash: fast)."""
    app = create_app({}, Settings(database_url=url, secret_key=SECRET, demo=True))
    with app.app_context():
        flask_migrate.upgrade()
        demo.seed()
        teams = {t.code: t.id for t in db.session.query(Team)}
        pw = db.session.query(User.password_hash).filter_by(username="officer1").scalar()
        users = [User(username=f"bench{i}", role="officer", team_id=teams["T1" if i % 2 else "T2"],
                      password_hash=pw, display_name=f"bench{i}") for i in range(officers)]
        db.session.add_all(users)
        db.session.commit()
        out = {"officers": [(u.id, u.team_id) for u in users], "teams": teams,
               "commander": db.session.query(User.id).filter_by(username="commander").scalar()}
        db.session.remove()
        db.engine.dispose()
    return out


def token(user_id: int, role: str, team_id: int | None) -> str:
    """Mint an access token as the server would (same secret): 500 logins would measure argon2 instead."""
    now = datetime.now(UTC)
    return jwt.encode({"sub": str(user_id), "usr": f"u{user_id}", "role": role, "team": team_id,
                       "iat": int(now.timestamp()), "exp": int((now + timedelta(hours=1)).timestamp()),
                       "typ": "access"}, SECRET, algorithm="HS256")


GEVENT_WORKER = "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"


def start_servers(url: str, count: int, redis_url: str | None,
                  gevent: bool = False) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    """`count` server processes: wsgi.py (threading), or gunicorn with the gevent worker as docs/deploy.md runs it."""
    channel = f"bench-{uuid.uuid4().hex[:8]}"
    procs, urls = [], []
    for i in range(count):
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "HOST": "127.0.0.1", "PORT": str(port),
               "ZHICHAO_AUTO_DISPATCH_PCT": "0", "ZHICHAO_SOCKETIO_CHANNEL": channel,
               "ZHICHAO_INSTANCE": tempfile.mkdtemp(), "ZHICHAO_NOTIFIER": "1" if i == 0 else "0"}
        if redis_url:
            env["REDIS_URL"] = redis_url
        command = [sys.executable, str(ROOT / "wsgi.py")]
        if gevent:
            env["ZHICHAO_ASYNC_MODE"] = "gevent"
            command = [sys.executable, "-m", "gunicorn", "-k", GEVENT_WORKER, "-w", "1", "-b", f"127.0.0.1:{port}",
                       "wsgi:app"]
        procs.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        urls.append(f"http://127.0.0.1:{port}")
    for u in urls:
        for _ in range(300):
            try:
                requests.get(f"{u}/healthz", timeout=1)
                break
            except requests.RequestException:  # not listening yet, or still loading the app
                time.sleep(0.1)
    return procs, urls


async def run_clients(connect_url: str, post_url: str, world: dict[str, Any], weighings: int) -> dict[str, Any]:
    received: dict[int, list[tuple[int, float]]] = {}  # warning id -> (team of receiver, time)
    leaks: list[str] = []
    clients = []

    async def connect(user_id: int, role: str, team_id: int | None) -> None:
        client = socketio.AsyncClient(reconnection=False)

        async def on_task(data: dict[str, Any], team_id: int | None = team_id) -> None:
            at = time.perf_counter()
            task = data["data"]
            if team_id is not None and task["team_id"] != team_id:
                leaks.append(f"officer of team {team_id} got task {task['id']} of team {task['team_id']}")
            received.setdefault(task["warning_id"], []).append((team_id or 0, at))

        client.on("task.created", on_task, namespace="/live")
        await client.connect(connect_url, namespaces=["/live"], auth={"token": token(user_id, role, team_id)},
                             transports=["websocket"], wait_timeout=20)
        clients.append(client)

    for start in range(0, len(world["officers"]), 50):
        await asyncio.gather(*(connect(uid, "officer", tid) for uid, tid in world["officers"][start:start + 50]))
    await connect(world["commander"], "commander", None)
    # 501 clients in one process stand for 501 phones: a full collection over all of them would be a pause
    # no phone has, so the connected clients are moved out of the collector's sight.
    gc.collect()
    gc.freeze()
    sent: dict[int, tuple[float, int]] = {}
    loop = asyncio.get_running_loop()
    for i in range(weighings):
        site = f"DEMO-S{1 + i % 5}"
        body = {"record_id": f"D-{uuid.uuid4().hex}", "plate": f"晋K{i:05d}", "plate_color": 2, "axles": 6,
                "vehicle_kind": "combination", "gross_kg": 60_000, "weighed_at": datetime.now(UTC).isoformat()}
        t0 = time.perf_counter()
        r = await loop.run_in_executor(None, lambda b=body, s=site: requests.post(
            f"{post_url}/api/v1/weighings", json=b, headers={"X-Api-Key": demo.site_key(s)}, timeout=10))
        sent[r.json()["warning_id"]] = (t0, 0)
        await asyncio.sleep(0.2)
    await asyncio.sleep(2.0)
    await asyncio.gather(*(c.disconnect() for c in clients))
    per_team = {tid: sum(1 for _, t in world["officers"] if t == tid) for tid in world["teams"].values()}
    latencies, firsts, spreads, missing = [], [], [], 0
    for warning_id, (t0, _) in sent.items():
        got = received.get(warning_id, [])
        if got:  # the first arrival is the server's path; the spread after it is the fan-out to 500 sockets
            firsts.append((min(at for _, at in got) - t0) * 1000)
            spreads.append((max(at for _, at in got) - min(at for _, at in got)) * 1000)
        officers_got = [at for team, at in got if team]
        expected = max(per_team.values())  # every task went to one team; the count checks it reached all of it
        if len(officers_got) < expected or len(got) - len(officers_got) != 1:
            missing += 1
        latencies.extend((at - t0) * 1000 for _, at in got)
    return {"latencies": latencies, "leaks": leaks, "missing": missing, "deliveries": len(latencies),
            "firsts": firsts, "spreads": spreads}


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    officers, weighings = (100, 10) if args.quick else (500, 40)
    name = f"zhichao_bench_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    results = {}
    try:
        world = prepare(url, officers)
        for label, count, redis_url, gevent in MODES:
            procs, urls = start_servers(url, count, redis_url, gevent)
            try:
                results[label] = asyncio.run(run_clients(urls[-1], urls[0], world, weighings))
            finally:
                for p in procs:
                    p.terminate()
                for p in procs:
                    p.wait(10)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"{officers} officers + command center, {weighings} overloaded departures under auto-dispatch")
    print(f"{'mode':24} {'deliveries':>10} {'p50 ms':>8} {'p99 ms':>8} {'missing':>8} {'leaks':>6}")
    for label, r in results.items():
        print(f"{label:24} {r['deliveries']:10} {pct(r['latencies'], 50):8.1f} {pct(r['latencies'], 99):8.1f} "
              f"{r['missing']:8} {len(r['leaks']):6}")
    print("\nbaseline, the same runs taken apart: first client reached (POST, commit, notifier, first send) and the"
          "\nspread from first to last client of the same task (fan-out and the clients' own event loop)")
    print(f"{'mode':24} {'first p50':>10} {'first p99':>10} {'spread p50':>11} {'spread p99':>11}")
    for label, r in results.items():
        print(f"{label:24} {pct(r['firsts'], 50):10.1f} {pct(r['firsts'], 99):10.1f} "
              f"{pct(r['spreads'], 50):11.1f} {pct(r['spreads'], 99):11.1f}")
    if any(r["leaks"] for r in results.values()):
        raise SystemExit("a client received an event it may not see")


if __name__ == "__main__":
    main()
