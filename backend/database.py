"""Engine set-up: SpatiaLite through an extension-capable SQLite driver, or PostGIS."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

SPATIALITE_CANDIDATES = ("mod_spatialite", "/usr/lib/x86_64-linux-gnu/mod_spatialite.so",
                         "/usr/lib/aarch64-linux-gnu/mod_spatialite.so", "/usr/local/lib/mod_spatialite.so")


class SpatialiteUnavailable(RuntimeError):
    """The SQLite driver cannot load mod_spatialite; the message says how to fix it."""


def is_sqlite(url: str) -> bool:
    """True for sqlite:// URLs (the embedded SpatiaLite mode)."""
    return url.startswith("sqlite")


def engine_options(url: str) -> dict[str, Any]:
    """Engine keyword arguments for the URL: the sqlean driver for SQLite, psycopg 3 for PostgreSQL."""
    if is_sqlite(url):
        try:
            import sqlean  # type: ignore[import-untyped]
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise SpatialiteUnavailable(
                "the sqlean-py package is missing: run `make run` (or `.venv/bin/pip install sqlean-py`)"
            ) from exc
        return {"module": sqlean.dbapi2, "connect_args": {"check_same_thread": False, "timeout": 30}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def load_spatialite(dbapi_conn: Any) -> None:
    """Load mod_spatialite into a raw connection, or explain exactly what is missing."""
    if not hasattr(dbapi_conn, "enable_load_extension"):
        raise SpatialiteUnavailable(
            "this SQLite driver cannot load extensions (no enable_load_extension); "
            "Zhichao uses sqlean-py for SQLite: check that it is installed in .venv"
        )
    dbapi_conn.enable_load_extension(True)
    candidates = [os.environ["SPATIALITE_LIBRARY_PATH"]] if os.environ.get("SPATIALITE_LIBRARY_PATH") else []
    errors = []
    for path in [*candidates, *SPATIALITE_CANDIDATES]:
        try:
            dbapi_conn.load_extension(path)
            break
        except Exception as exc:  # each candidate may be missing; report all of them
            errors.append(f"{path}: {exc}")
    else:
        raise SpatialiteUnavailable(
            "mod_spatialite could not be loaded (" + "; ".join(errors) + "). "
            "Install it with: sudo apt-get install -y libsqlite3-mod-spatialite"
        )
    dbapi_conn.enable_load_extension(False)


def install_sqlite_hooks(engine: Engine) -> None:
    """Per connection: SpatiaLite, WAL, foreign keys; every transaction starts with BEGIN IMMEDIATE.

    pysqlite-style drivers defer BEGIN and mishandle SAVEPOINT; taking over BEGIN fixes both, and
    IMMEDIATE avoids the read-then-write upgrade deadlock between two writers.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        load_spatialite(dbapi_conn)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        if cur.execute("SELECT CheckSpatialMetaData()").fetchone()[0] < 1:
            cur.execute("SELECT InitSpatialMetaData(1, 'WGS84')")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
