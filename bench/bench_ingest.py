"""End-to-end ingest benchmark on PostGIS: fixes through POST /api/v1/fixes, and weighing latency.

Run: .venv/bin/python bench/bench_ingest.py [--quick]
Each figure is compared, in the same run, with a baseline: fixes posted one per request; weighings at
200 records/s beside a bare durable commit probe (the disk's own floor: when fsync stalls, every
acknowledged write stalls with it), and a single client posting back to back or paced.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate

from backend import create_app, freeze_startup_heap, warm_up
from backend.config import Settings
from backend.extensions import db
from backend.services import demo

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
barrier: Any = None
WEIGH_WORKERS = int(os.environ.get("BENCH_WEIGH_WORKERS", "2"))
PROBE_RATE = 50.0  # bare commits/s beside the weighings: often enough to see a stall of the disk, too few to load it


def make_db() -> tuple[str, str]:
    name = f"zhichao_bench_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql://postgres@127.0.0.1:5432/{name}"


def prepare_db(url: str) -> Any:
    """Migrate and seed the demo world; the app, for callers that drive it in-process."""
    app = create_app({}, Settings(database_url=url, secret_key="bench-secret-key-0123456789abcdef", demo=True))
    with app.app_context():
        flask_migrate.upgrade()
        demo.seed()
        db.session.remove()
    return app


def checkpoint(url: str) -> None:
    """Start from a quiet database: flush dirty pages so a checkpoint does not land inside a measurement."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")


def drop_db(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fixes_batch(rng: random.Random, trucks: int, t0: datetime, n: int) -> list[dict[str, object]]:
    """n fixes of `trucks` trucks over the demo region (113.0-113.9 E, 37.6-38.3 N), 10 s apart per truck."""
    out = []
    for i in range(n):
        truck = i % trucks
        out.append({"plate": f"晋C{truck:05d}", "plate_color": 2, "lon": round(rng.uniform(113.0, 113.9), 6),
                    "lat": round(rng.uniform(37.6, 38.3), 6), "speed_kmh": 55.0, "heading": 90.0,
                    "at": (t0 + timedelta(seconds=10 * (i // trucks))).isoformat()})
    return out


def bench_fixes(client, batches: int, batch_size: int, trucks: int) -> float:
    rng = random.Random(1)
    t0 = datetime(2026, 11, 22, 8, tzinfo=UTC)
    payloads = [fixes_batch(rng, trucks, t0 + timedelta(hours=h), batch_size) for h in range(batches)]
    started = time.perf_counter()
    for payload in payloads:
        r = client.post("/api/v1/fixes", json=payload, headers={"X-Api-Key": demo.FEED_KEY})
        assert r.status_code == 202 and r.get_json()["accepted"] == len(payload), r.get_json()
    return batches * batch_size / (time.perf_counter() - started)


def _worker(args: tuple[str, int, int, int]) -> int:
    """One process as one server worker would be: its own app and connection pool, its own trucks."""
    url, worker, batches, batch_size = args
    app = create_app({}, Settings(database_url=url, secret_key="bench-secret-key-0123456789abcdef", demo=True))
    client = app.test_client()
    warm_up(app)
    freeze_startup_heap()
    rng = random.Random(100 + worker)
    t0 = datetime(2026, 11, 23, 8, tzinfo=UTC)
    payloads = []
    for h in range(batches):
        batch = fixes_batch(rng, batch_size, t0 + timedelta(hours=h), batch_size)
        for item in batch:  # distinct trucks per worker, as a feed sharded by plate would send
            item["plate"] = f"晋{'ABCDEFGHJK'[worker]}{str(item['plate'])[2:]}"
        payloads.append(batch)
    barrier.wait()
    for payload in payloads:
        r = client.post("/api/v1/fixes", json=payload, headers={"X-Api-Key": demo.FEED_KEY})
        assert r.status_code == 202, r.get_json()
    return batches * batch_size


def bench_parallel(url: str, workers: int, batches: int, batch_size: int = 1000) -> float:
    """Fixes/s with several worker processes posting at once (gunicorn-style), wall clock."""
    global barrier
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(workers + 1)
    with ctx.Pool(workers) as pool:
        pending = pool.map_async(_worker, [(url, w, batches, batch_size) for w in range(workers)])
        barrier.wait()
        started = time.perf_counter()
        total = sum(pending.get(timeout=600))
    return total / (time.perf_counter() - started)


def _weighing_worker(args: tuple[str, int, float, float]) -> list[float]:
    """One worker process taking weighings on a fixed schedule (open loop): latency counts from the
    scheduled send time, so a worker that falls behind shows it as queueing delay."""
    url, worker, rate, seconds = args
    app = create_app({}, Settings(database_url=url, secret_key="bench-secret-key-0123456789abcdef", demo=True))
    client = app.test_client()
    warm_up(app)  # as wsgi.py does in every server process
    freeze_startup_heap()
    rng = random.Random(200 + worker)
    count = int(rate * seconds)
    bodies = [{"record_id": f"P{worker}-{uuid.uuid4().hex}", "plate": f"晋K{i % 99999:05d}", "plate_color": 2,
               "axles": 6, "vehicle_kind": "combination", "gross_kg": rng.choice([45_000, 52_000, 60_000]),
               "weighed_at": "2026-11-22T17:10:00+08:00"} for i in range(count)]
    client.get("/healthz")

    def send(i: int) -> None:
        r = client.post("/api/v1/weighings", json=bodies[i], headers={"X-Api-Key": demo.site_key(f"DEMO-S{1 + i % 5}")})
        assert r.status_code == 201, r.get_json()

    barrier.wait()
    return _open_loop(rate, count, send)


def _open_loop(rate: float, count: int, send: Any) -> list[float]:
    """Call send(i) on a fixed schedule of `rate` per second; each latency (ms) counts from the scheduled
    time, so a sender that falls behind shows it as queueing delay."""
    start = time.perf_counter()
    latencies = []
    for i in range(count):
        scheduled = start + i / rate
        time.sleep(max(0.0, scheduled - time.perf_counter()))
        send(i)
        latencies.append((time.perf_counter() - scheduled) * 1000)
    return latencies


def _commit_probe(args: tuple[str, float, float]) -> list[float]:
    """The floor: a bare durable commit (one tiny row) on the same schedule style, alongside the weighings.

    Every acknowledged weighing waits for its WAL flush; when the disk stalls, this probe stalls too, and
    no durable design could have answered sooner."""
    url, rate, seconds = args
    with psycopg.connect(url) as conn:

        def send(_i: int) -> None:
            conn.execute("INSERT INTO bench_probe DEFAULT VALUES")
            conn.commit()

        send(0)  # connected and warm before the clock starts
        barrier.wait()
        return _open_loop(rate, int(rate * seconds), send)


def bench_weighings_parallel(url: str, workers: int, total_rate: float,
                             seconds: float) -> tuple[list[float], list[float]]:
    """All latencies (ms) of `workers` processes sharing `total_rate` weighings/s for `seconds`, and those of
    the commit probe running at the same time (PROBE_RATE commits/s)."""
    global barrier
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_probe (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())")
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(workers + 2)
    with ctx.Pool(workers + 1) as pool:
        probe = pool.apply_async(_commit_probe, [(url, PROBE_RATE, seconds)])
        pending = pool.map_async(_weighing_worker,
                                 [(url, w, total_rate / workers, seconds) for w in range(workers)])
        barrier.wait()
        return [ms for part in pending.get(timeout=600) for ms in part], probe.get(timeout=600)


def bench_single(client, count: int) -> float:
    """The naive baseline: one fix per request."""
    rng = random.Random(3)
    payload = fixes_batch(rng, count, datetime(2026, 11, 21, 8, tzinfo=UTC), count)
    started = time.perf_counter()
    for item in payload:
        r = client.post("/api/v1/fixes", json=[item], headers={"X-Api-Key": demo.FEED_KEY})
        assert r.status_code == 202
    return count / (time.perf_counter() - started)


def bench_weighings(client, count: int, rate: float | None) -> list[float]:
    rng = random.Random(2)
    latencies = []
    interval = 1.0 / rate if rate else 0.0
    next_at = time.perf_counter()
    for i in range(count):
        if rate:
            time.sleep(max(0.0, next_at - time.perf_counter()))
            next_at += interval
        site = f"DEMO-S{1 + i % 5}"
        body = {"record_id": f"B-{uuid.uuid4().hex}", "plate": f"晋K{i % 99999:05d}", "plate_color": 2, "axles": 6,
                "vehicle_kind": "combination", "gross_kg": rng.choice([45_000, 52_000, 60_000]),
                "weighed_at": "2026-11-22T17:10:00+08:00"}
        started = time.perf_counter()
        r = client.post("/api/v1/weighings", json=body, headers={"X-Api-Key": demo.site_key(site)})
        latencies.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 201, r.get_json()
    return latencies


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    batches, weighings = (3, 200) if args.quick else (20, 2000)
    name, url = make_db()
    try:
        client = prepare_db(url).test_client()
        # Weighings first: the fix runs leave ~100k fresh rows whose autovacuum and checkpoint I/O would
        # land in the weighing latencies (a separate concern, measured by the fix figures).
        checkpoint(url)
        loaded = []
        for _ in range(1 if args.quick else 3):
            loaded.append(bench_weighings_parallel(url, WEIGH_WORKERS, 200.0, 5.0 if args.quick else 20.0))
        paced = bench_weighings(client, weighings, 200.0)
        unpaced = bench_weighings(client, max(200, weighings // 4), None)
        single = bench_single(client, 300)
        batched = bench_fixes(client, batches, 1000, trucks=1000)
        parallel = {n: bench_parallel(url, n, batches) for n in (2, 3)}
    finally:
        drop_db(name)
    print(f"{'measure':48} {'value':>12}")
    print(f"{'fixes/s, batches of 1,000 (PostGIS)':48} {batched:12,.0f}")
    print(f"{'fixes/s, one per request (baseline)':48} {single:12,.0f}")
    print(f"{'ratio batched / one per request':48} {batched / single:12.1f}x")
    for n, rate in parallel.items():
        print(f"{f'fixes/s, batches of 1,000, {n} worker processes':48} {rate:12,.0f}")
    for run, (values, probe) in enumerate(loaded, 1):
        print(f"{f'weighings, {WEIGH_WORKERS} workers, 200/s, run {run}: p50 / p99 / max ms':48} "
              f"{pct(values, 50):6.1f} / {pct(values, 99):5.1f} / {max(values):5.0f}")
        print(f"{'  bare durable commit alongside: p50 / p99 / max ms':48} "
              f"{pct(probe, 50):6.1f} / {pct(probe, 99):5.1f} / {max(probe):5.0f}")
    for label, values in (("weighings, 1 client, back to back", unpaced), ("weighings, 1 client, paced", paced)):
        print(f"{label + ': p50 / p99 ms':48} {pct(values, 50):6.1f} / {pct(values, 99):5.1f}")


if __name__ == "__main__":
    main()
