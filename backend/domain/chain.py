"""The audit hash chain: canonical JSON (RFC 8785), SHA-256 leaf hashes linked to the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

GENESIS = "0" * 64
ENTRY_FIELDS = ("seq", "at", "actor", "action", "entity", "entity_id", "data")


def canonical(obj: Any) -> bytes:
    """RFC 8785 canonical JSON bytes of obj: the same value always hashes the same.

    Values whose RFC 8785 form Python's json module writes identically (the common case: strings, ints,
    floats between 1e-4 and 1e16, BMP-only keys) take the fast path; everything else goes to the
    reference implementation. A property test holds the two equal.
    """
    try:
        plain = _plain(obj)
    except _NeedsReference:
        return rfc8785.dumps(obj)
    try:
        return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return rfc8785.dumps(obj)


class _NeedsReference(Exception):
    """The value has a part whose RFC 8785 form Python's json module would write differently."""


_MAX_SAFE = 2**53


def _plain(value: Any) -> Any:
    if value is None or value is True or value is False or type(value) is str:
        return value
    if type(value) is int:
        if -_MAX_SAFE < value < _MAX_SAFE:
            return value
        raise _NeedsReference
    if type(value) is float:
        if value.is_integer() and abs(value) < 1e16:
            return int(value)  # ECMAScript prints 55000.0 as 55000 (and -0.0 as 0)
        if 1e-4 <= abs(value) < 1e16:
            return value  # repr and ECMAScript agree on the shortest round-trip digits here
        raise _NeedsReference
    if type(value) is dict:
        if any(type(k) is not str or any(ord(c) > 0xFFFF for c in k) for k in value):
            raise _NeedsReference  # RFC 8785 sorts keys by UTF-16 code units
        return {k: _plain(v) for k, v in value.items()}
    if type(value) in (list, tuple):
        return [_plain(v) for v in value]
    raise _NeedsReference


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of data."""
    return hashlib.sha256(data).hexdigest()


def leaf_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the entry's fields (ENTRY_FIELDS, nothing else)."""
    return sha256_hex(canonical({k: entry[k] for k in ENTRY_FIELDS}))


def link_hash(prev_hash: str, leaf: str) -> str:
    """The chained hash: SHA-256 over the previous hash and the leaf hash (both as raw bytes)."""
    return sha256_hex(bytes.fromhex(prev_hash) + bytes.fromhex(leaf))


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The hash an entry must carry given its predecessor's hash."""
    return link_hash(prev_hash, leaf_hash(entry))


@dataclass(frozen=True)
class Verification:
    """The outcome of walking a chain: how many entries were good and the first broken one."""

    ok: bool
    checked: int
    head_hash: str
    broken_seq: int | None = None
    reason: str | None = None


def verify(entries: Iterable[Mapping[str, Any]], *, start_hash: str = GENESIS, start_seq: int = 0) -> Verification:
    """Walk entries in seq order: each seq follows the last, links to its predecessor and hashes right.

    Entries carry ENTRY_FIELDS plus "prev_hash" and "hash". The first failure ends the walk and is named.
    """
    prev, expected_seq, checked = start_hash, start_seq + 1, 0
    for entry in entries:
        seq = int(entry["seq"])
        if seq != expected_seq:
            return Verification(False, checked, prev, seq, f"sequence gap: expected {expected_seq}, found {seq}")
        if entry["prev_hash"] != prev:
            return Verification(False, checked, prev, seq, "prev_hash does not match the previous entry's hash")
        if entry["hash"] != entry_hash(prev, entry):
            return Verification(False, checked, prev, seq, "hash does not match the entry's content")
        prev, expected_seq, checked = entry["hash"], seq + 1, checked + 1
    return Verification(True, checked, prev)
