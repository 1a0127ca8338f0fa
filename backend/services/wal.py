"""Asynchronous commits with an acknowledgement barrier: the chain lock is not held through the disk flush.

Every audited or event-publishing transaction locks the audit chain's head row at commit (that lock
orders commits and event cursors), and PostgreSQL releases row locks only after the commit record is
flushed to disk. With synchronous commits the appenders therefore queue behind one another's fsyncs: when
the disk stalls for 40 ms, a 200/s stream falls behind and its tail grows several times longer than the
stall. Instead an audited transaction commits asynchronously (the lock goes at once) and the caller then
waits for a barrier: a one-record transaction committed synchronously, whose flush carries every earlier
WAL record, its own transaction's commit included. So:

- nothing is acknowledged before it is on disk (the barrier runs before the caller answers);
- concurrent appenders share one flush instead of queueing for one each;
- after a crash, the WAL is replayed in order: a transaction chained on an unflushed one is lost with it,
  and neither was acknowledged, so the chain never has a hole;
- anything that tells the outside world about rows it did not write (replays, event catch-up, the
  notifier) first makes sure they are on disk (ensure_read_durable, read_durably).
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import Select, func, literal_column, text
from sqlalchemy.engine import Connection, Engine, Row

from backend.extensions import db

# A transactional logical message is the smallest WAL record that makes its transaction flush at commit;
# it touches no table, so barriers never wait on one another's locks. A server default of
# synchronous_commit = off must not void the acknowledgement, so the barrier turns "off" into "on"; any
# stronger setting (remote_write, remote_apply with synchronous standbys) is kept as configured.
_BARRIER = text("SELECT set_config('synchronous_commit', CASE current_setting('synchronous_commit') "
                "WHEN 'off' THEN 'on' ELSE current_setting('synchronous_commit') END, true), "
                "pg_logical_emit_message(true, 'zhichao.flush', '')")
_ASYNC = "SELECT set_config('synchronous_commit', 'off', true)"
# With synchronous standbys (and a commit level that waits for them) the local flush position says nothing
# of the standby: only a barrier of one's own waits for it.
_STANDBYS = ("(current_setting('synchronous_standby_names') <> '' "
             "AND current_setting('synchronous_commit') <> 'local')")
# Insert position ahead of the flushed one: something written may not be on disk yet.
_BEHIND = text(f"SELECT {_STANDBYS} OR pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn()")
# Positions as numbers of bytes, so that Python can take the smallest.
_WRITTEN = (func.pg_current_wal_insert_lsn() - literal_column("'0/0'::pg_lsn")).label("wal_written")
_FLUSHED_BEFORE = text(f"SELECT {_STANDBYS} OR pg_current_wal_flush_lsn() - '0/0'::pg_lsn < :position")


def uses_barrier(conn: Connection) -> bool:
    """Asynchronous commit plus barrier applies on PostgreSQL; SQLite commits locally and alone."""
    return bool(conn.dialect.name == "postgresql")


def commit_asynchronously(conn: Connection) -> None:
    """Make the transaction in progress commit without waiting for its flush (the caller must flush())."""
    conn.exec_driver_sql(_ASYNC)


def flush(conn: Connection) -> None:
    """Return once every WAL record written so far is on disk (conn must not be in a transaction).

    Rule: one synchronous commit flushes the log up to its own record, and so every earlier one. A failure
    propagates as the database's own error (the API answers 503: stored perhaps, confirmed not, resend).
    """
    conn.execution_options(isolation_level="AUTOCOMMIT")
    try:
        conn.execute(_BARRIER)
        conn.commit()  # ends SQLAlchemy's logical transaction; the server committed already
    except BaseException:
        with contextlib.suppress(Exception):  # the barrier's own error is the one to report
            conn.rollback()
            conn.execution_options(isolation_level=conn.default_isolation_level)
        raise
    # The connection may be used again before it goes back to the pool.
    conn.execution_options(isolation_level=conn.default_isolation_level)


def flush_bind(bind: Engine | Connection | Any) -> None:
    """flush() on a connection of its own, for callers that hold a transaction open on the session.

    A session bound to one connection rather than an engine runs inside an enclosing transaction (a
    test's, rolled back at its end): nothing there was committed, so there is nothing to flush.
    """
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            flush(conn)


def _barrier_in_session() -> None:
    # The barrier on the session's own connection: a request never holds one pooled connection while it
    # waits for another. It ends the session's transaction, which on these paths only read.
    db.session.execute(_BARRIER)
    db.session.commit()


def ensure_read_durable() -> None:
    """Before answering from rows this session read (a replay), make sure they are on disk.

    Rule: rows another transaction committed asynchronously are visible before they are durable; if the
    log is flushed as far as it is written there is nothing to wait for, otherwise a barrier is passed
    (which ends the session's transaction: take what the answer needs from ORM objects first).
    """
    conn = db.session.connection()
    if uses_barrier(conn) and conn.execute(_BEHIND).scalar():
        _barrier_in_session()


def read_durably(stmt: Select[Any], *, keep_transaction: bool = False) -> list[Row[Any]]:
    """Run a query whose rows will be told to others; return them once every one of them is on disk.

    Rule: the statement's snapshot precedes the WAL insert position read as each row is produced, so every
    returned row's commit record lies before the smallest such position; once the log is flushed that far
    nothing needs waiting for (usually the writer's own barrier did it), otherwise a barrier is passed.
    Reading the position in the query itself keeps the row locks a claim writes out of the comparison.
    keep_transaction: the caller holds row locks it still needs, so the barrier runs on a connection of its
    own; otherwise it ends the session's transaction.
    """
    conn = db.session.connection()
    if not uses_barrier(conn):
        return list(db.session.execute(stmt).all())
    rows = list(db.session.execute(stmt.add_columns(_WRITTEN)).all())
    if rows and conn.execute(_FLUSHED_BEFORE, {"position": min(r.wal_written for r in rows)}).scalar():
        if keep_transaction:
            flush_bind(db.session.get_bind())
        else:
            _barrier_in_session()
    return rows
