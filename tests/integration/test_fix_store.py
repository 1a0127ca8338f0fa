"""The PostgreSQL array literals of the bulk fix path round-trip any value (checked by PostgreSQL itself)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.services.fix_store import array_literal
from tests.conftest import PG_ADMIN

ROUND_TRIP = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@pytest.fixture(scope="module")
def pg():
    """A plain connection to the PostgreSQL server (the array literals are the PostgreSQL path only)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        yield conn


def cast(conn, literal, sql_type):
    return conn.execute(f"SELECT %s::{sql_type}", (literal,)).fetchone()[0]


@ROUND_TRIP
@given(values=st.lists(st.one_of(st.none(), texts), min_size=1, max_size=8))
def test_text_arrays_round_trip(pg, values):
    assert cast(pg, array_literal(values), "text[]") == values


@ROUND_TRIP
@given(values=st.lists(st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64)),
                       min_size=1, max_size=8))
def test_float_arrays_round_trip(pg, values):
    assert cast(pg, array_literal(values), "float8[]") == values


def test_time_and_int_arrays(pg):
    t = datetime(2026, 11, 22, 17, 10, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
    times = cast(pg, array_literal([t, None, t]), "timestamptz[]")
    assert times[0] == t and times[1] is None and times[0].astimezone(UTC) == t.astimezone(UTC)
    ints = cast(pg, array_literal([1, None, 2**32 - 1]), "bigint[]")
    assert ints == [1, None, 2**32 - 1]
