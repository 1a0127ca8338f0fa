"""Bulk writes of fixes and latest positions: unnest() arrays on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import shapely
from geoalchemy2 import WKBElement
from sqlalchemy import String, any_, bindparam, select, tuple_
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from backend.extensions import db
from backend.models import Fix, VehiclePosition

FIX_COLUMNS = ("feed_id", "plate", "plate_color", "at", "received_at", "lon", "lat", "speed_kmh", "heading",
               "alarm_flags", "status_flags", "jurisdiction_id", "extra")
LATEST_COLUMNS = ("plate", "plate_color", "at", "lon", "lat", "speed_kmh", "heading", "alarm_flags",
                  "status_flags", "jurisdiction_id")
# One statement with one array per column: constant SQL text, no per-row placeholders to parse.
PG_INSERT_FIXES = """
INSERT INTO fixes (feed_id, plate, plate_color, at, received_at, lon, lat, speed_kmh, heading, alarm_flags,
                   status_flags, jurisdiction_id, extra)
SELECT feed_id, plate, plate_color, at, received_at, lon, lat, speed_kmh, heading, alarm_flags, status_flags,
       jurisdiction_id, extra::jsonb
FROM unnest(%s::int[], %s::varchar[], %s::int[], %s::timestamptz[], %s::timestamptz[], %s::float8[],
            %s::float8[], %s::float8[], %s::float8[], %s::bigint[], %s::bigint[], %s::int[], %s::text[])
     AS t(feed_id, plate, plate_color, at, received_at, lon, lat, speed_kmh, heading, alarm_flags, status_flags,
          jurisdiction_id, extra)
ON CONFLICT (plate, plate_color, at) DO NOTHING
RETURNING plate, plate_color, at
"""
PG_UPSERT_LATEST = """
INSERT INTO vehicle_positions (plate, plate_color, at, lon, lat, geom, speed_kmh, heading, alarm_flags,
                               status_flags, jurisdiction_id)
SELECT plate, plate_color, at, lon, lat, ST_SetSRID(ST_MakePoint(lon, lat), 4326), speed_kmh, heading,
       alarm_flags, status_flags, jurisdiction_id
FROM unnest(%s::varchar[], %s::int[], %s::timestamptz[], %s::float8[], %s::float8[], %s::float8[],
            %s::float8[], %s::bigint[], %s::bigint[], %s::int[])
     AS t(plate, plate_color, at, lon, lat, speed_kmh, heading, alarm_flags, status_flags, jurisdiction_id)
ON CONFLICT (plate, plate_color) DO UPDATE SET
  at = excluded.at, lon = excluded.lon, lat = excluded.lat, geom = excluded.geom,
  speed_kmh = excluded.speed_kmh, heading = excluded.heading, alarm_flags = excluded.alarm_flags,
  status_flags = excluded.status_flags, jurisdiction_id = excluded.jurisdiction_id
WHERE excluded.at > vehicle_positions.at
"""


PG_PREVIOUS_FLAGS = """
SELECT p.plate, p.plate_color, p.alarm_flags FROM vehicle_positions p
JOIN unnest(%s::varchar[], %s::int[]) AS k(plate, plate_color)
  ON p.plate = k.plate AND p.plate_color = k.plate_color
"""
SQLITE_CHUNK = 400


def previous_flags(vehicles: Sequence[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Alarm flags of each vehicle's stored latest fix, for rising-edge detection."""
    keys = sorted(set(vehicles))
    if not keys:
        return {}
    if _is_postgres():
        rows = db.session.connection().exec_driver_sql(
            PG_PREVIOUS_FLAGS, (array_literal([p for p, _ in keys]), array_literal([c for _, c in keys]))).all()
        return {(p, c): int(flags) for p, c, flags in rows}
    out: dict[tuple[str, int], int] = {}
    for start in range(0, len(keys), SQLITE_CHUNK):
        chunk = keys[start:start + SQLITE_CHUNK]
        out.update({(p, c): int(flags) for p, c, flags in db.session.execute(
            select(VehiclePosition.plate, VehiclePosition.plate_color, VehiclePosition.alarm_flags)
            .where(tuple_(VehiclePosition.plate, VehiclePosition.plate_color).in_(chunk)))})
    return out


def plate_filter(column: Any, plates: Sequence[str]) -> Any:
    """column IN plates: one array parameter on PostgreSQL instead of thousands of placeholders."""
    if _is_postgres():
        return column == any_(bindparam("plates", list(plates), type_=ARRAY(String)))
    return column.in_(list(plates))


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _columns(rows: Sequence[dict[str, Any]], names: Sequence[str]) -> list[list[Any]]:
    return [[row[name] for row in rows] for name in names]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_literal(values: Sequence[Any]) -> str:
    """A PostgreSQL array literal for one column: psycopg's per-element list dumping costs ~60 ms a batch.

    The first non-null value decides the column's kind: numbers use repr (exact round trip), datetimes
    ISO 8601 with offset, strings are quoted and escaped; None is NULL.
    """
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, str):
        parts = ["NULL" if v is None else _quote(v) for v in values]
    elif isinstance(sample, datetime):
        cache: dict[datetime, str] = {}  # received_at is the same for a whole batch
        parts = ["NULL" if v is None else cache.get(v) or cache.setdefault(v, '"' + v.isoformat() + '"')
                 for v in values]
    elif isinstance(sample, bool):
        parts = ["NULL" if v is None else ("true" if v else "false") for v in values]
    elif sample is None or None in values:
        parts = ["NULL" if v is None else repr(v) for v in values]
    else:
        parts = list(map(repr, values))
    return "{" + ",".join(parts) + "}"


def batch_digest(rows: Sequence[dict[str, Any]]) -> str:
    """SHA-256 over one line per stored fix: plate|colour|POSIX time|lon|lat, numbers as Python repr.

    Cheaper than RFC 8785 per fix, and as reproducible: an exported batch can be re-hashed offline.
    """
    lines = "\n".join(f"{r['plate']}|{r['plate_color']}|{r['at'].timestamp()!r}|{r['lon']!r}|{r['lat']!r}"
                      for r in rows)
    return hashlib.sha256(lines.encode()).hexdigest()


def insert_fixes(rows: Sequence[dict[str, Any]]) -> set[tuple[str, int, datetime]]:
    """Insert fix rows, skipping ones already stored; returns the (plate, colour, at) keys that were new."""
    if not rows:
        return set()
    conn = db.session.connection()
    if _is_postgres():
        columns = _columns(rows, FIX_COLUMNS)
        columns[-1] = [None if e is None else json.dumps(e, ensure_ascii=False) for e in columns[-1]]
        result = conn.exec_driver_sql(PG_INSERT_FIXES, tuple(array_literal(c) for c in columns))
    else:
        insert = sqlite.insert(Fix).on_conflict_do_nothing(index_elements=["plate", "plate_color", "at"])
        result = conn.execute(insert.returning(Fix.plate, Fix.plate_color, Fix.at), list(rows))
    return {(p, c, at) for p, c, at in result.all()}  # aware datetimes compare by instant


def upsert_latest(rows: Sequence[dict[str, Any]]) -> None:
    """One row per vehicle; a fix older than the stored one never overwrites it."""
    if not rows:
        return
    conn = db.session.connection()
    if _is_postgres():
        conn.exec_driver_sql(PG_UPSERT_LATEST, tuple(array_literal(c) for c in _columns(rows, LATEST_COLUMNS)))
        return
    points = shapely.points([r["lon"] for r in rows], [r["lat"] for r in rows])
    wkb = shapely.to_wkb(shapely.set_srid(points, 4326), include_srid=True)
    values = [{**r, "geom": WKBElement(w, srid=4326, extended=True)} for r, w in zip(rows, wkb, strict=True)]
    stmt = sqlite.insert(VehiclePosition)
    update = (*LATEST_COLUMNS[2:], "geom")
    conn.execute(stmt.on_conflict_do_update(
        index_elements=["plate", "plate_color"], set_={c: stmt.excluded[c] for c in update},
        where=stmt.excluded.at > VehiclePosition.at,
    ), values)


