"""Concurrent writers on one PostGIS database: one linear chain, duplicates stored once, answers durable."""

from __future__ import annotations

import threading

import psycopg
import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from backend import create_app
from backend.config import Settings
from backend.extensions import db
from backend.models import Event, Weighing
from backend.services import audit, events, wal
from backend.services.auth import Principal
from tests import world
from tests.conftest import PG_ADMIN, _drop_pg, _pg_database, make_app


@pytest.fixture(scope="module")
def shared_app():
    """An app on its own PostGIS database whose writes really commit (no per-test rollback)."""
    name, url = _pg_database()
    application = make_app(url)
    with application.app_context():
        world.build()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    _drop_pg(name)


def _run_threads(target, count):
    errors: list[BaseException] = []

    def wrapped(i):
        try:
            target(i)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    if errors:
        raise errors[0]


def _weighing(record_id, gross=60_000):
    return {"record_id": record_id, "plate": "晋C76276", "plate_color": 2, "axles": 6,
            "vehicle_kind": "combination", "gross_kg": gross, "weighed_at": "2026-11-22T17:10:00+08:00"}


def test_parallel_writers_keep_one_linear_chain(shared_app):
    def post_many(i):
        client = shared_app.test_client()
        for n in range(15):
            r = client.post("/api/v1/weighings", json=_weighing(f"C-{i}-{n}"),
                            headers={"X-Api-Key": world.SITE_KEYS["S1"]})
            assert r.status_code == 201, r.get_json()

    _run_threads(post_many, 6)
    with shared_app.app_context():
        result = audit.verify()
        assert result.ok, result
        assert db.session.query(Weighing).filter(Weighing.record_id.like("C-%")).count() == 90


def test_concurrent_duplicates_are_stored_once_and_answered_alike(shared_app):
    answers = []

    def post_same(_i):
        r = shared_app.test_client().post("/api/v1/weighings", json=_weighing("DUP-1"),
                                          headers={"X-Api-Key": world.SITE_KEYS["S1"]})
        answers.append((r.status_code, r.get_json()))

    _run_threads(post_same, 8)
    assert {status for status, _ in answers} == {201}
    assert len({body["id"] for _, body in answers}) == 1
    with shared_app.app_context():
        assert db.session.query(Weighing).filter_by(record_id="DUP-1").count() == 1
        assert audit.verify().ok


def _assert_each_answer_follows_its_flush(app, prefix):
    with app.app_context():
        engine = db.engine
    positions: list[int] = []

    def after_commit_record(_session):
        # Read on another connection once the commit has returned: past the end of its commit record.
        with engine.connect() as conn:
            positions.append(int(conn.exec_driver_sql("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn").scalar()))

    sa_event.listen(Session, "after_commit", after_commit_record, insert=True)  # before the barrier runs
    try:
        client = app.test_client()
        for n in range(20):
            positions.clear()
            r = client.post("/api/v1/weighings", json=_weighing(f"{prefix}-{n}"),
                            headers={"X-Api-Key": world.SITE_KEYS["S1"]})
            assert r.status_code == 201, r.get_json()
            with engine.connect() as conn:
                flushed = int(conn.exec_driver_sql("SELECT pg_current_wal_flush_lsn() - '0/0'::pg_lsn").scalar())
            assert flushed >= positions[0], f"weighing {n} was answered before its commit reached the disk"
    finally:
        sa_event.remove(Session, "after_commit", after_commit_record)
    with app.app_context():
        assert audit.verify().ok


def test_an_acknowledged_weighing_is_on_disk_before_the_answer(shared_app):
    """Audited transactions commit asynchronously (the chain lock is not held through the flush), so the
    answer must wait for the WAL flush: after each 201 the flushed position is past that commit."""
    _assert_each_answer_follows_its_flush(shared_app, "WAL")


def test_the_answer_waits_for_the_disk_even_where_the_server_defaults_to_asynchronous_commits(shared_app):
    with shared_app.app_context():
        name = db.session.execute(text("SELECT current_database()")).scalar()
        db.session.remove()
        db.engine.dispose()
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
    try:
        with shared_app.app_context():
            assert db.session.execute(text("SHOW synchronous_commit")).scalar() == "off"
            db.session.remove()
        _assert_each_answer_follows_its_flush(shared_app, "WAL-OFF")
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" RESET synchronous_commit')
        with shared_app.app_context():
            db.engine.dispose()


def test_a_database_that_does_not_answer_is_a_503_to_retry_not_a_500():
    settings = Settings(database_url="postgresql://postgres@127.0.0.1:1/unreachable",
                        secret_key="test-secret-key-that-is-long-enough-0123456789", demo=True)
    client = create_app({"TESTING": True}, settings).test_client()
    answers = [
        client.post("/api/v1/weighings", json=_weighing("DOWN-1"), headers={"X-Api-Key": world.SITE_KEYS["S1"]}),
        client.post("/api/v1/auth/login", json={"username": "commander", "password": world.PASSWORD}),
    ]
    for r in answers:
        assert r.status_code == 503, r.get_data(as_text=True)
        assert r.headers["Retry-After"] == "5"
        assert "unavailable" in r.get_json()["error"]


def test_a_barrier_that_fails_is_a_503_and_the_resent_weighing_gets_the_first_answer(shared_app, monkeypatch):
    client = shared_app.test_client()
    headers = {"X-Api-Key": world.SITE_KEYS["S1"]}
    # The server drops the connection while the commit is being confirmed.
    monkeypatch.setattr(wal, "_BARRIER", text("SELECT pg_terminate_backend(pg_backend_pid())"))
    r = client.post("/api/v1/weighings", json=_weighing("BARRIER-1"), headers=headers)
    assert r.status_code == 503, r.get_data(as_text=True)
    assert r.headers["Retry-After"]
    monkeypatch.undo()
    again = client.post("/api/v1/weighings", json=_weighing("BARRIER-1"), headers=headers)
    assert again.status_code == 201, again.get_json()
    with shared_app.app_context():
        stored = db.session.query(Weighing).filter_by(record_id="BARRIER-1").one()
        assert again.get_json()["id"] == stored.id  # stored once: the commit had happened, only its confirmation failed
        assert audit.verify().ok


def test_a_replay_is_answered_only_once_the_first_answer_is_on_disk(shared_app, monkeypatch):
    client = shared_app.test_client()
    headers = {"X-Api-Key": world.SITE_KEYS["S1"]}
    first = client.post("/api/v1/weighings", json=_weighing("REPLAY-DURABLE"), headers=headers)
    assert first.status_code == 201
    barriers = []
    real_barrier = wal._barrier_in_session
    monkeypatch.setattr(wal, "_BEHIND", text("SELECT true"))  # as if the first commit had not reached the disk yet
    monkeypatch.setattr(wal, "_barrier_in_session", lambda: (barriers.append(1), real_barrier()))
    again = client.post("/api/v1/weighings", json=_weighing("REPLAY-DURABLE"), headers=headers)
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert len(barriers) == 1


def test_audit_entries_in_a_savepoint_are_flushed_by_the_outer_commit(shared_app, monkeypatch):
    flushes = []
    real_flush = wal.flush
    monkeypatch.setattr(wal, "flush", lambda conn: (flushes.append(conn), real_flush(conn)))
    with shared_app.app_context():
        db.session.execute(text("SELECT 1"))  # the outer transaction begins
        savepoint = db.session.begin_nested()
        audit.append("test", "test.savepoint", "test", 1, {"n": 1})
        savepoint.commit()  # releases the savepoint: nothing is durable yet, so nothing may be flushed
        assert flushes == []
        assert db.session.execute(text("SHOW synchronous_commit")).scalar() == "off"
        db.session.commit()
        assert len(flushes) == 1
        db.session.remove()


def test_events_are_told_only_once_on_disk_and_without_a_barrier_when_they_already_are(shared_app, monkeypatch):
    with shared_app.app_context():
        engine = db.engine
    # A writer commits an event without waiting for the disk, and notes where its commit ended.
    with engine.connect() as writer:
        writer.exec_driver_sql("SET synchronous_commit TO off")
        writer.exec_driver_sql("INSERT INTO events (kind, team_id, payload, created_at) "
                               "VALUES ('test.async', NULL, '{}', now())")
        writer.commit()
        committed = writer.exec_driver_sql("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn").scalar()
    barriers = []
    real_barrier = wal._barrier_in_session
    monkeypatch.setattr(wal, "_barrier_in_session", lambda: (barriers.append(1), real_barrier()))
    principal = Principal(0, "auditor", "auditor", None)
    with shared_app.app_context():
        rows = wal.read_durably(select(Event.id).where(Event.kind == "test.async"))
        # The position read with the row lies past the row's commit: flushing that far makes it durable.
        assert len(rows) == 1 and rows[0].wal_written >= committed
        with engine.connect() as conn:
            flushed = conn.exec_driver_sql("SELECT pg_current_wal_flush_lsn() - '0/0'::pg_lsn").scalar()
        assert flushed >= rows[0].wal_written
        db.session.remove()
        barriers.clear()
        # Once the log is flushed that far, telling the event again needs no barrier.
        monkeypatch.setattr(wal, "_FLUSHED_BEFORE", text("SELECT false AND :position IS NOT NULL"))
        assert [m["event"] for m in events.since(principal, 0, 1000)].count("test.async") == 1
        assert barriers == []
        monkeypatch.setattr(wal, "_FLUSHED_BEFORE", text("SELECT true OR :position IS NULL"))
        events.since(principal, 0, 1000)
        assert len(barriers) == 1
        db.session.remove()


def test_event_cursors_follow_commit_order(shared_app):
    """A client that has seen cursor n must never miss an event below n that commits later: an event
    published first but committed last gets the higher cursor."""
    slow_published, fast_committed = threading.Event(), threading.Event()

    def slow(_i):
        with shared_app.app_context():
            events.publish("test.order", None, {"who": "slow"})
            db.session.execute(text("SELECT 1"))  # its transaction is open before the other one commits
            slow_published.set()
            assert fast_committed.wait(10)
            db.session.commit()

    def fast(_i):
        assert slow_published.wait(10)
        with shared_app.app_context():
            events.publish("test.order", None, {"who": "fast"})
            db.session.commit()
        fast_committed.set()

    _run_threads(lambda i: (slow, fast)[i](i), 2)
    with shared_app.app_context():
        order = [p["who"] for (p,) in db.session.execute(
            select(Event.payload).where(Event.kind == "test.order").order_by(Event.id))]
        assert order == ["fast", "slow"]


def test_a_pool_with_no_connection_to_spare_is_a_503_to_retry(shared_app):
    with shared_app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, secret_key="test-secret-key-that-is-long-enough-0123456789", demo=True)
    app = create_app({"TESTING": True, "SQLALCHEMY_ENGINE_OPTIONS": {
        "pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}}, settings)
    with app.app_context():
        held = db.engine.connect()  # every connection of the pool is taken
        try:
            r = app.test_client().post("/api/v1/weighings", json=_weighing("POOL-1"),
                                       headers={"X-Api-Key": world.SITE_KEYS["S1"]})
        finally:
            held.close()
        assert r.status_code == 503, r.get_data(as_text=True)
        assert r.headers["Retry-After"] == "5"
        db.engine.dispose()
