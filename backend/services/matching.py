"""The process-wide fence index: rebuilt when the database's fence version moves, swapped atomically."""

from __future__ import annotations

import threading
import uuid

import shapely
from sqlalchemy import func, select

from backend.domain.fences import FenceIndex, FenceRecord
from backend.extensions import db
from backend.models import FenceState, Geofence

_lock = threading.Lock()
_index: FenceIndex | None = None
_index_key: tuple[int, str] | None = None


def fence_version() -> tuple[int, str]:
    """The database's fence version and stamp ((0, "") before any fence exists); one indexed read."""
    row = db.session.execute(select(FenceState.version, FenceState.stamp).where(FenceState.id == 1)).first()
    return (int(row[0]), str(row[1])) if row else (0, "")


def bump_version() -> int:
    """Raise the fence version in the caller's transaction (every fence write calls this)."""
    state = db.session.get(FenceState, 1, with_for_update=True)
    if state is None:
        state = FenceState(id=1, version=0)
        db.session.add(state)
    state.version += 1
    state.stamp = uuid.uuid4().hex
    db.session.flush()
    return state.version


def load_index(version: int) -> FenceIndex:
    """Build an index of the live (valid, not deleted) fences from the database."""
    rows = db.session.execute(
        select(Geofence.id, Geofence.kind, Geofence.team_id, func.ST_AsBinary(Geofence.geom))
        .where(Geofence.deleted_at.is_(None), Geofence.valid.is_(True))
    ).all()
    records = [FenceRecord(id=r[0], kind=r[1], team_id=r[2], geometry=shapely.from_wkb(bytes(r[3])))
               for r in rows]
    return FenceIndex(records, version=version)


def current_index() -> FenceIndex:
    """The index for the database's current fence version, rebuilding it if another process moved it.

    Readers keep the reference they got; a rebuild builds a new index and swaps the reference, so a
    batch never sees a half-built index.
    """
    global _index, _index_key
    key = fence_version()  # the random stamp makes the key unique across databases too
    index = _index
    if index is not None and _index_key == key:
        return index
    with _lock:
        if _index is not None and _index_key == key:
            return _index
        fresh = load_index(key[0])
        _index, _index_key = fresh, key
        return fresh
