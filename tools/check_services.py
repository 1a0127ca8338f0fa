"""Fail loudly before the suite when a real service it needs is missing (CI must never skip them)."""

from __future__ import annotations

import os
import shutil
import socket
import sys

import psycopg

PG = os.environ.get("ZHICHAO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = (os.environ.get("ZHICHAO_TEST_REDIS_HOST", "127.0.0.1"), 6379)


def check_postgis() -> str | None:
    try:
        with psycopg.connect(PG, connect_timeout=5, autocommit=True) as conn:
            row = conn.execute(
                "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'").fetchone()
            if row is None:
                return "PostgreSQL is up but PostGIS is not installed (apt-get install postgresql-15-postgis-3)"
    except psycopg.Error as exc:
        return f"PostgreSQL at {PG} is unreachable: {exc}"
    return None


def check_redis() -> str | None:
    try:
        with socket.create_connection(REDIS, timeout=3) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(16).startswith(b"+PONG"):
                return "Redis did not answer PING"
    except OSError as exc:
        return f"Redis at {REDIS[0]}:{REDIS[1]} is unreachable: {exc}"
    return None


def check_chromium() -> str | None:
    return None if shutil.which("chromium") else "Chromium is missing (apt-get install chromium)"


def main() -> int:
    problems = [p for p in (check_postgis(), check_redis(), check_chromium()) if p]
    for problem in problems:
        print(f"service check failed: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
