"""Fence geometry: validation that explains itself in words a commander can act on, and geodesic helpers."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import shapely
from pyproj import Geod

__all__ = ["FenceGeometryError", "geodesic_area_m2", "parse_fence_geometry", "to_multipolygon"]

_GEOD: Final = Geod(ellps="WGS84")
# A ring with thousands of swapped coordinates would otherwise produce thousands of identical complaints.
_MAX_COORDINATE_MESSAGES: Final = 20
_GEOS_REASON = re.compile(r"^(?P<text>.*?)\s*\[(?P<x>\S+) (?P<y>\S+)\]\s*$")


class FenceGeometryError(ValueError):
    """Raised when a fence geometry is unusable; ``messages`` lists every problem found, in English."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages: list[str] = list(messages)
        super().__init__("; ".join(self.messages))


def _num(value: float) -> str:
    return repr(float(value))


def _short(value: object) -> str:
    """repr() cut to a readable length: messages echo client input, which may be huge."""
    try:
        text = repr(value)
    except ValueError:  # ints beyond sys.get_int_max_str_digits()
        return "<huge integer>"
    return text if len(text) <= 60 else text[:57] + "..."


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except OverflowError:  # JSON integers are unbounded
        return math.inf


def _pos(x: float, y: float) -> str:
    return f"[{_num(x)}, {_num(y)}]"


def _area_text(area_m2: float) -> str:
    if area_m2 >= 1e6:
        km2 = area_m2 / 1e6
        return f"{km2:,.0f} km²" if km2 >= 100 else f"{km2:,.2f}".rstrip("0").rstrip(".") + " km²"
    if area_m2 >= 100:
        return f"{area_m2:,.0f} m²"
    return f"{area_m2:.2f}".rstrip("0").rstrip(".") + " m²"


def _explain(reason: str) -> str:
    """Turn a GEOS validity reason like 'Self-intersection[113.52 37.87]' into readable English."""
    match = _GEOS_REASON.match(reason)
    if match is None:
        return reason[:1].lower() + reason[1:]
    text = match["text"]
    where = _pos(round(float(match["x"]), 9), round(float(match["y"]), 9))
    if text.startswith("Too few points"):
        return f"has fewer than 3 distinct positions (near {where})"
    return f"{text[:1].lower() + text[1:]} at {where}"


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple)


def _is_number(value: object) -> bool:
    # bool is an int subclass but true/false in a coordinate is always a client bug.
    numeric = isinstance(value, int | float | np.integer | np.floating)
    return numeric and not isinstance(value, bool | np.bool_)


def _depth(value: object) -> int | None:
    """Nesting depth along first elements; None when an empty list makes it undecidable."""
    depth = 0
    while _is_list(value):
        if not value:
            return None
        depth += 1
        value = value[0]  # type: ignore[index]
    return depth


class _Collector:
    """Accumulates messages, capping the repetitive per-coordinate ones."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.coordinate_errors = 0

    def add(self, message: str) -> None:
        self.messages.append(message)

    def add_coordinate(self, message: str) -> None:
        self.coordinate_errors += 1
        if self.coordinate_errors <= _MAX_COORDINATE_MESSAGES:
            self.messages.append(message)

    def finish(self) -> list[str]:
        hidden = self.coordinate_errors - _MAX_COORDINATE_MESSAGES
        if hidden > 0:
            self.messages.append(f"... and {hidden:,} more coordinate errors")
        return self.messages


def _check_position(pos: object, where: str, out: _Collector) -> tuple[float, float] | None:
    if not _is_list(pos) or not 2 <= len(pos) <= 3:  # type: ignore[arg-type]
        out.add_coordinate(f"{where}: expected [longitude, latitude], got {_short(pos)}")
        return None
    assert isinstance(pos, list | tuple)
    ok = True
    for axis, value in zip(("longitude", "latitude", "altitude"), pos, strict=False):
        if not _is_number(value):
            out.add_coordinate(f"{where}: {axis} {_short(value)} is not a number")
            ok = False
        elif not math.isfinite(_as_float(value)):
            out.add_coordinate(f"{where}: {axis} {_short(value)} is not finite")
            ok = False
    if not ok:
        return None
    lon, lat = _as_float(pos[0]), _as_float(pos[1])
    if not -180.0 <= lon <= 180.0:
        out.add_coordinate(f"{where}: longitude {_num(lon)} out of range [-180, 180]")
        ok = False
    if not -90.0 <= lat <= 90.0:
        hint = " — coordinates must be [longitude, latitude]" if -90.0 <= lon <= 90.0 else ""
        out.add_coordinate(f"{where}: latitude {_num(lat)} out of range [-90, 90]{hint}")
        ok = False
    return (lon, lat) if ok else None


def _check_ring(ring: object, label: str, out: _Collector) -> list[tuple[float, float]] | None:
    if not _is_list(ring):
        out.add(f"{label} is not a list of positions: got {_short(ring)}")
        return None
    assert isinstance(ring, list | tuple)
    parsed = [_check_position(pos, f"coordinate {i} of {label}", out) for i, pos in enumerate(ring)]
    ok = True
    if len(ring) < 4:
        out.add(f"{label} has {len(ring)} positions; a ring needs at least 4")
        ok = False
    first, last = parsed[0] if parsed else None, parsed[-1] if parsed else None
    if first is not None and last is not None and first != last:
        out.add(f"{label} is not closed: first {_pos(*first)} != last {_pos(*last)}")
        ok = False
    if not ok or any(p is None for p in parsed):
        return None
    return [p for p in parsed if p is not None]


def _check_polygon(rings: object, suffix: str, out: _Collector) -> shapely.Polygon | None:
    """Structural checks of one polygon's rings; ``suffix`` is '' or ' of polygon N'."""
    name = f"polygon{suffix.removeprefix(' of polygon')}" if suffix else "Polygon"
    if not _is_list(rings):
        out.add(f"{name} is not a list of rings: got {_short(rings)}")
        return None
    assert isinstance(rings, list | tuple)
    if not rings:
        out.add(f"{name} has no rings; a polygon needs an exterior ring")
        return None
    parsed = [_check_ring(ring, f"ring {i}{suffix}", out) for i, ring in enumerate(rings)]
    if any(p is None for p in parsed):
        return None
    return shapely.Polygon(parsed[0], parsed[1:])


def _check_polygon_validity(poly: shapely.Polygon, suffix: str, out: _Collector) -> bool:
    """Validity checks ring by ring so that several problems are reported at once."""
    shell = shapely.Polygon(poly.exterior)
    rings_ok = True
    for i, ring in enumerate([poly.exterior, *poly.interiors]):
        reason = shapely.is_valid_reason(shapely.Polygon(ring))
        if reason != "Valid Geometry":
            out.add(f"ring {i}{suffix}: {_explain(reason)}")
            rings_ok = False
    if not rings_ok:
        return False
    holes_ok = True
    for i, ring in enumerate(poly.interiors, start=1):
        hole = shapely.Polygon(ring)
        if not shapely.intersects(shell, hole) or shapely.touches(shell, hole):
            out.add(f"ring {i}{suffix} is a hole outside its exterior ring (ring 0{suffix})")
            holes_ok = False
        elif not shapely.within(hole, shell):
            where = _explain(shapely.is_valid_reason(poly))
            out.add(f"ring {i}{suffix} is a hole that crosses its exterior ring: {where}")
            holes_ok = False
    holes = [shapely.Polygon(ring) for ring in poly.interiors]
    for i, j in itertools.combinations(range(len(holes)), 2):
        if shapely.intersects(holes[i], holes[j]) and not shapely.touches(holes[i], holes[j]):
            out.add(f"ring {i + 1}{suffix} and ring {j + 1}{suffix} are holes that overlap")
            holes_ok = False
    if holes_ok and not shapely.is_valid(poly):
        name = f"polygon{suffix.removeprefix(' of polygon')}" if suffix else "Polygon"
        out.add(f"{name}: {_explain(shapely.is_valid_reason(poly))}")
        return False
    return holes_ok


def parse_fence_geometry(
    geometry: Mapping[str, Any], *, min_area_m2: float = 100.0, max_area_m2: float = 2e11
) -> shapely.MultiPolygon | shapely.Polygon:
    """Parse a GeoJSON Polygon/MultiPolygon ([longitude, latitude], WGS-84) into a valid shapely geometry.

    Rule: structure, numbers, coordinate ranges, ring size and closure, OGC validity and the geodesic area
    (between ``min_area_m2`` and ``max_area_m2``) are checked; every problem found is reported together in a
    FenceGeometryError. Altitudes are accepted and dropped. Antimeridian-crossing fences are not supported.
    """
    if not isinstance(geometry, Mapping):
        raise FenceGeometryError([f"geometry must be a GeoJSON object, got {type(geometry).__name__}"])
    gtype = geometry.get("type")
    if gtype not in ("Polygon", "MultiPolygon"):
        if gtype is None:
            message = "geometry has no 'type'; use Polygon or MultiPolygon"
        else:
            message = f"type {gtype!r} not allowed; use Polygon or MultiPolygon"
            if gtype == "Feature":
                message += " (pass the Feature's 'geometry' member)"
        raise FenceGeometryError([message])
    if "coordinates" not in geometry:
        raise FenceGeometryError([f"{gtype} has no 'coordinates'"])
    coords = geometry["coordinates"]
    expected = 3 if gtype == "Polygon" else 4
    if not _is_list(coords):
        raise FenceGeometryError([f"coordinates must be an array, got {type(coords).__name__}"])
    depth = _depth(coords)
    if depth is not None and depth != expected:
        shape = "[ring][position][longitude, latitude]"
        shape = shape if gtype == "Polygon" else "[polygon]" + shape
        raise FenceGeometryError([f"coordinates are nested {depth} levels deep; a {gtype} needs {expected} ({shape})"])
    out = _Collector()
    if gtype == "Polygon":
        polygon = _check_polygon(coords, "", out)
        parts = None if polygon is None else [polygon]
    else:
        if not coords:
            raise FenceGeometryError(["MultiPolygon has no polygons"])
        checked = [_check_polygon(p, f" of polygon {i}", out) for i, p in enumerate(coords)]
        parts = None if any(p is None for p in checked) else [p for p in checked if p is not None]
    if parts is None:
        raise FenceGeometryError(out.finish())

    suffixes = [""] if gtype == "Polygon" else [f" of polygon {i}" for i in range(len(parts))]
    valid = all([_check_polygon_validity(p, s, out) for p, s in zip(parts, suffixes, strict=True)])
    result: shapely.Polygon | shapely.MultiPolygon = parts[0] if gtype == "Polygon" else shapely.MultiPolygon(parts)
    if valid and gtype == "MultiPolygon" and not shapely.is_valid(result):
        valid = False
        tree = shapely.STRtree(parts)
        left, right = tree.query(parts, predicate="intersects")
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i < j and not shapely.touches(parts[i], parts[j]):
                out.add(f"polygon {i} and polygon {j} overlap")
        if not out.messages:
            out.add(f"polygons touch along an edge: {_explain(shapely.is_valid_reason(result))}")
    if valid:
        area = geodesic_area_m2(result)
        if area < min_area_m2:
            out.add(f"area {_area_text(area)} is too small (minimum {_area_text(min_area_m2)})")
        elif area > max_area_m2:
            out.add(f"area {_area_text(area)} is too large (maximum {_area_text(max_area_m2)})")
    if out.messages:
        raise FenceGeometryError(out.finish())
    return result


def to_multipolygon(geom: shapely.Polygon | shapely.MultiPolygon) -> shapely.MultiPolygon:
    """``geom`` as the MultiPolygon the database stores (a Polygon becomes a one-part MultiPolygon)."""
    if isinstance(geom, shapely.MultiPolygon):
        return geom
    if isinstance(geom, shapely.Polygon):
        return shapely.MultiPolygon([geom])
    raise TypeError(f"expected Polygon or MultiPolygon, got {type(geom).__name__}")


def geodesic_area_m2(geom: shapely.Polygon | shapely.MultiPolygon) -> float:
    """Area in m² on the WGS-84 ellipsoid (x = longitude): shells minus holes, independent of orientation."""
    polygons = geom.geoms if isinstance(geom, shapely.MultiPolygon) else (geom,)
    total = 0.0
    for polygon in polygons:
        for i, ring in enumerate([polygon.exterior, *polygon.interiors]):
            xy = shapely.get_coordinates(ring)
            ring_area = abs(_GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])[0])
            total += ring_area if i == 0 else -ring_area
    return float(total)
