"""The audit log: chained on every write, append-only in the database, tampering found and named."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from backend.domain import chain
from backend.extensions import db
from backend.models import AuditEntry
from backend.services import audit


def _write_some(api):
    api.site("S1", {"record_id": "A-1", "plate": "晋C76276", "plate_color": 2, "axles": 2, "gross_kg": 20_000,
                    "weighed_at": "2026-11-22T08:00:00+08:00"})
    api.token("commander")


def test_chain_verifies_after_writes(api):
    _write_some(api)
    result = audit.verify()
    assert result.ok and result.checked >= 4
    entries = db.session.query(AuditEntry).order_by(AuditEntry.seq).all()
    for prev, entry in itertools.pairwise(entries):
        assert entry.prev_hash == prev.hash
    assert entries[0].prev_hash == chain.GENESIS


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"])
def test_database_refuses_changes(api, statement):
    _write_some(api)
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(text(statement))


def _bypass_guard():
    """Tamper as an attacker with database access would: switch the guard off first."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        db.session.execute(text("DROP TRIGGER audit_log_no_update"))
        db.session.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_altered_row_is_named(api):
    _write_some(api)
    target = db.session.query(AuditEntry).order_by(AuditEntry.seq).offset(1).first()
    _bypass_guard()
    db.session.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = :s"), {"s": target.seq})
    db.session.expire_all()
    result = audit.verify()
    assert not result.ok and result.broken_seq == target.seq and "content" in result.reason


def test_removed_row_is_found(api):
    _write_some(api)
    seq = db.session.query(AuditEntry.seq).order_by(AuditEntry.seq).offset(1).limit(1).scalar()
    _bypass_guard()
    db.session.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": seq})
    db.session.expire_all()
    result = audit.verify()
    assert not result.ok and result.broken_seq == seq + 1


def test_truncated_tail_is_found(api):
    _write_some(api)
    last = db.session.query(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1).scalar()
    _bypass_guard()
    db.session.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": last})
    db.session.expire_all()
    result = audit.verify()
    assert not result.ok and "head" in result.reason


def test_cli_verify(app, api):
    _write_some(api)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "audit chain OK" in ok.output
    _bypass_guard()
    db.session.execute(text("UPDATE audit_log SET action = 'x' WHERE seq = 2"))
    db.session.expire_all()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1 and "entry 2" in broken.output
