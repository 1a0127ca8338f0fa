"""Weighings at 200/s on a disk whose every fdatasync takes longer: does the tail follow the disk or amplify it?

Run (as root, with Debian's strace): .venv/bin/python bench/bench_slow_fsync.py [--delay-us 2000] [--runs 3]
A throwaway PostgreSQL cluster runs under `strace --seccomp-bpf`, which adds the delay to each fdatasync
and stops the server on no other call. The same loaded windows as bench_ingest.py run against it, beside
the bare durable-commit probe: the probe shows what the slowed disk costs any durable write, and the ratio
of the weighings' tail to the probe's says how much the application adds on top.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_ingest
from bench_dispatch import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def start_cluster(root: Path, port: int, delay_us: int) -> subprocess.Popen[bytes]:
    """initdb a cluster owned by `postgres` and start it with every fdatasync delayed."""
    data = root / "data"
    shutil.chown(root, "postgres")
    subprocess.run(["su", "postgres", "-c", f"{PG_BIN}/initdb -D {data} -A trust -U postgres"], check=True,
                   stdout=subprocess.DEVNULL)
    server = (f"strace -f --seccomp-bpf -qq -e trace=fdatasync -e inject=fdatasync:delay_exit={delay_us} "
              f"-o /dev/null {PG_BIN}/postgres -D {data} -p {port} -k {root} -c listen_addresses=127.0.0.1")
    proc = subprocess.Popen(["su", "postgres", "-c", server], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres").close()
            return proc
        except psycopg.OperationalError:
            time.sleep(0.1)
    raise SystemExit("the throwaway PostgreSQL cluster did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay-us", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0 or not shutil.which("strace") or not (PG_BIN / "initdb").exists():
        raise SystemExit("needs root, strace (apt-get install strace) and PostgreSQL 15's server binaries")
    root = Path(tempfile.mkdtemp(prefix="zhichao-slowdisk-"))
    port = free_port()
    proc = start_cluster(root, port, args.delay_us)
    try:
        bench_ingest.PG_ADMIN = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        _name, url = bench_ingest.make_db()  # the cluster goes whole
        url = url.replace(":5432/", f":{port}/")
        bench_ingest.prepare_db(url)
        bench_ingest.checkpoint(url)
        print(f"every fdatasync delayed by {args.delay_us / 1000:.1f} ms; 200 weighings/s over "
              f"{bench_ingest.WEIGH_WORKERS} workers, {args.runs} windows of 20 s")
        print(f"{'window':8} {'weighing p50':>13} {'p99':>7} {'max':>7} {'probe p50':>10} {'p99':>7} {'max':>7}")
        for run in range(1, args.runs + 1):
            values, probe = bench_ingest.bench_weighings_parallel(url, bench_ingest.WEIGH_WORKERS, 200.0, 20.0)
            pct = bench_ingest.pct
            print(f"{run:<8} {pct(values, 50):13.1f} {pct(values, 99):7.1f} {max(values):7.0f} "
                  f"{pct(probe, 50):10.1f} {pct(probe, 99):7.1f} {max(probe):7.0f}")
    finally:
        subprocess.run(["su", "postgres", "-c", f"{PG_BIN}/pg_ctl -D {root / 'data'} stop -m immediate"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc.wait(10)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
