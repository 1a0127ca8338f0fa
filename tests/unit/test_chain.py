"""The audit chain: canonical JSON equals RFC 8785, and verification names the first broken entry."""

from __future__ import annotations

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain import chain

keys = st.text(max_size=6)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**60), 2**60),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=12)


@settings(max_examples=600, deadline=None)
@given(values)
def test_canonical_equals_rfc8785(value):
    try:
        expected = rfc8785.dumps(value)
    except Exception:  # the reference refuses it (e.g. an integer beyond 2**53): so must we
        try:
            chain.canonical(value)
        except Exception:
            return
        raise AssertionError("canonical accepted a value RFC 8785 refuses") from None
    assert chain.canonical(value) == expected


def test_known_forms():
    assert chain.canonical({"b": 55000.0, "a": [1e-7, 0.5, "é\n"], "c": -0.0}) == \
        rfc8785.dumps({"b": 55000.0, "a": [1e-7, 0.5, "é\n"], "c": -0.0})
    assert chain.canonical({"b": 1, "a": 2}) == b'{"a":2,"b":1}'


def _entries(n):
    prev, out = chain.GENESIS, []
    for seq in range(1, n + 1):
        entry = {"seq": seq, "at": f"2026-11-22T00:00:{seq:02d}+00:00", "actor": "t", "action": "x",
                 "entity": "e", "entity_id": str(seq), "data": {"n": seq}}
        entry["prev_hash"], entry["hash"] = prev, chain.entry_hash(prev, entry)
        prev = entry["hash"]
        out.append(entry)
    return out


def test_verify_names_the_first_broken_entry():
    entries = _entries(5)
    assert chain.verify(entries).ok and chain.verify(entries).checked == 5
    entries[2]["data"] = {"n": 99}
    result = chain.verify(entries)
    assert not result.ok and result.broken_seq == 3 and result.checked == 2
    assert chain.verify(_entries(5)[:2] + _entries(5)[3:]).broken_seq == 4
