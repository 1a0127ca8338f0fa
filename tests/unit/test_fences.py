"""Fence geometry validation messages and the geodesic helpers (domain/fence_geometry.py)."""

from __future__ import annotations

import math
import re
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pytest
import shapely
from pyproj import Transformer

from backend.domain.fence_geometry import (
    FenceGeometryError,
    geodesic_area_m2,
    parse_fence_geometry,
    to_multipolygon,
)


def square(x0: float, y0: float, d: float) -> list[list[float]]:
    return [[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]


def poly(*rings: Any) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def multi(*polygons: Any) -> dict[str, Any]:
    return {"type": "MultiPolygon", "coordinates": list(polygons)}


def errors(geometry: Any, **kwargs: float) -> list[str]:
    with pytest.raises(FenceGeometryError) as info:
        parse_fence_geometry(geometry, **kwargs)
    assert info.value.messages, "an error must explain itself"
    assert str(info.value) == "; ".join(info.value.messages)
    return info.value.messages


SWAP = " — coordinates must be [longitude, latitude]"
BOWTIE = [[113.50, 37.85], [113.54, 37.89], [113.54, 37.85], [113.50, 37.89], [113.50, 37.85]]

# (case id, geometry, exact expected messages)
EXACT_CASES: list[tuple[str, Any, list[str]]] = [
    (
        "ring not closed",
        poly([[113.1, 37.9], [113.2, 37.9], [113.2, 38.0], [113.2, 37.9]]),
        ["ring 0 is not closed: first [113.1, 37.9] != last [113.2, 37.9]"],
    ),
    (
        "ring not closed in a multipolygon",
        multi([square(110, 30, 1)], [[[113.1, 37.9], [113.2, 37.9], [113.2, 38.0], [113.2, 37.9]]]),
        ["ring 0 of polygon 1 is not closed: first [113.1, 37.9] != last [113.2, 37.9]"],
    ),
    ("self-intersection", poly(BOWTIE), ["ring 0: self-intersection at [113.52, 37.87]"]),
    (
        "self-intersection in part 1",
        multi([square(110, 30, 1)], [BOWTIE]),
        ["ring 0 of polygon 1: self-intersection at [113.52, 37.87]"],
    ),
    (
        "swapped latitude/longitude",
        poly([[37.9, 113.4], [38.0, 113.4], [38.0, 113.5], [37.9, 113.4]]),
        [
            f"coordinate 0 of ring 0: latitude 113.4 out of range [-90, 90]{SWAP}",
            f"coordinate 1 of ring 0: latitude 113.4 out of range [-90, 90]{SWAP}",
            f"coordinate 2 of ring 0: latitude 113.5 out of range [-90, 90]{SWAP}",
            f"coordinate 3 of ring 0: latitude 113.4 out of range [-90, 90]{SWAP}",
        ],
    ),
    (
        "latitude out of range, not a swap",
        poly([[170.0, 37.0], [171.0, 37.0], [171.0, 95.0], [170.0, 37.0]]),
        ["coordinate 2 of ring 0: latitude 95.0 out of range [-90, 90]"],
    ),
    (
        "longitude out of range",
        poly([[179.5, 37.0], [180.5, 37.0], [180.0, 38.0], [179.5, 37.0]]),
        ["coordinate 1 of ring 0: longitude 180.5 out of range [-180, 180]"],
    ),
    (
        "hole ring too short",
        poly(square(113, 37, 1), [[113.2, 37.2], [113.3, 37.2], [113.2, 37.2]]),
        ["ring 1 has 3 positions; a ring needs at least 4"],
    ),
    ("point", {"type": "Point", "coordinates": [113, 37]}, ["type 'Point' not allowed; use Polygon or MultiPolygon"]),
    (
        "geometry collection",
        {"type": "GeometryCollection", "geometries": []},
        ["type 'GeometryCollection' not allowed; use Polygon or MultiPolygon"],
    ),
    (
        "feature instead of geometry",
        {"type": "Feature", "geometry": poly(square(113, 37, 1)), "properties": {}},
        ["type 'Feature' not allowed; use Polygon or MultiPolygon (pass the Feature's 'geometry' member)"],
    ),
    ("no type", {"coordinates": [square(113, 37, 1)]}, ["geometry has no 'type'; use Polygon or MultiPolygon"]),
    ("no coordinates", {"type": "Polygon"}, ["Polygon has no 'coordinates'"]),
    ("not a mapping", [square(113, 37, 1)], ["geometry must be a GeoJSON object, got list"]),
    ("coordinates not an array", poly() | {"coordinates": "113,37"}, ["coordinates must be an array, got str"]),
    (
        "polygon nested too shallow",
        {"type": "Polygon", "coordinates": square(113, 37, 1)},
        ["coordinates are nested 2 levels deep; a Polygon needs 3 ([ring][position][longitude, latitude])"],
    ),
    (
        "multipolygon given polygon coordinates",
        {"type": "MultiPolygon", "coordinates": [square(113, 37, 1)]},
        [
            "coordinates are nested 3 levels deep; a MultiPolygon needs 4 "
            "([polygon][ring][position][longitude, latitude])"
        ],
    ),
    (
        "polygon nested too deep",
        {"type": "Polygon", "coordinates": [[square(113, 37, 1)]]},
        ["coordinates are nested 4 levels deep; a Polygon needs 3 ([ring][position][longitude, latitude])"],
    ),
    ("polygon without rings", poly(), ["Polygon has no rings; a polygon needs an exterior ring"]),
    ("multipolygon without polygons", multi(), ["MultiPolygon has no polygons"]),
    (
        "multipolygon part without rings",
        multi([square(113, 37, 1)], []),
        ["polygon 1 has no rings; a polygon needs an exterior ring"],
    ),
    (
        "ring is not a list",
        poly(square(113, 37, 1), 5),
        ["ring 1 is not a list of positions: got 5"],
    ),
    (
        "non-numeric, NaN, inf, bool and short positions",
        poly(
            [
                [113.0, 37.0],
                [113.1, "37"],
                [113.1, 37.1],
                [math.nan, 37.05],
                [113.05, -math.inf],
                [True, 37.0],
                [113.0],
                [113.0, 37.0],
            ]
        ),
        [
            "coordinate 1 of ring 0: latitude '37' is not a number",
            "coordinate 3 of ring 0: longitude nan is not finite",
            "coordinate 4 of ring 0: latitude -inf is not finite",
            "coordinate 5 of ring 0: longitude True is not a number",
            "coordinate 6 of ring 0: expected [longitude, latitude], got [113.0]",
        ],
    ),
    (
        "hole outside the shell",
        poly(square(113, 37, 1), square(115, 37, 0.1)),
        ["ring 1 is a hole outside its exterior ring (ring 0)"],
    ),
    (
        "hole crossing the shell",
        poly(square(113, 37, 1), square(113.9, 37.5, 0.3)),
        ["ring 1 is a hole that crosses its exterior ring: self-intersection at [114.0, 37.5]"],
    ),
    (
        "overlapping holes",
        poly(square(113, 37, 1), square(113.2, 37.2, 0.3), square(113.3, 37.3, 0.3)),
        ["ring 1 and ring 2 are holes that overlap"],
    ),
    (
        "overlapping polygons",
        multi([square(113, 37, 1)], [square(114.2, 37, 1)], [square(113.5, 37.5, 1)]),
        ["polygon 0 and polygon 2 overlap", "polygon 1 and polygon 2 overlap"],
    ),
    (
        "polygons sharing an edge",
        multi([square(113, 37, 1)], [square(114, 37, 1)]),
        ["polygons touch along an edge: self-intersection at [114.0, 38.0]"],
    ),
    (
        "degenerate ring",
        poly([[113.0, 37.0], [113.1, 37.0], [113.0, 37.0], [113.0, 37.0]]),
        ["ring 0: has fewer than 3 distinct positions (near [113.0, 37.0])"],
    ),
]


@pytest.mark.parametrize(("geometry", "expected"), [c[1:] for c in EXACT_CASES], ids=[c[0] for c in EXACT_CASES])
def test_invalid_geometry_messages(geometry: Any, expected: list[str]) -> None:
    assert errors(geometry) == expected


def test_area_too_small_is_measured_in_square_metres() -> None:
    # 1e-5° x 1e-5° at 37°N is about 1.11 m x 0.89 m.
    [message] = errors(poly(square(113, 37, 1e-5)))
    match = re.fullmatch(r"area (\S+) m² is too small \(minimum 100 m²\)", message)
    assert match is not None, message
    assert 0.95 < float(match[1]) < 1.05


def test_area_too_large_is_measured_in_square_kilometres() -> None:
    [message] = errors(poly(square(100, 30, 7)))
    assert message == "area 504,752 km² is too large (maximum 200,000 km²)"


def test_area_limits_are_configurable() -> None:
    geometry = poly(square(113, 37, 0.001))  # about 9,800 m²
    assert parse_fence_geometry(geometry).area > 0
    [message] = errors(geometry, min_area_m2=20_000)
    assert message.startswith("area 9,8") and message.endswith("is too small (minimum 20,000 m²)")
    [message] = errors(geometry, max_area_m2=5_000)
    assert message.endswith("is too large (maximum 5,000 m²)")


def test_several_problems_are_reported_together() -> None:
    messages = errors(
        multi(
            [[[113.1, 37.9], [113.2, 37.9], [113.2, 38.0], [113.2, 37.9]]],
            [[[37.9, 113.4], [38.0, 113.4], [38.0, 113.5], [37.9, 113.4]], [[1, 2], [3, 4], [1, 2]]],
        )
    )
    assert messages[0] == "ring 0 of polygon 0 is not closed: first [113.1, 37.9] != last [113.2, 37.9]"
    assert f"coordinate 0 of ring 0 of polygon 1: latitude 113.4 out of range [-90, 90]{SWAP}" in messages
    assert "ring 1 of polygon 1 has 3 positions; a ring needs at least 4" in messages
    assert len(messages) == 6


def test_ring_problems_of_several_parts_are_all_reported() -> None:
    messages = errors(multi([BOWTIE], [square(110, 30, 1), square(112, 30, 0.1)]))
    assert messages == [
        "ring 0 of polygon 0: self-intersection at [113.52, 37.87]",
        "ring 1 of polygon 1 is a hole outside its exterior ring (ring 0 of polygon 1)",
    ]


def test_huge_values_are_reported_briefly() -> None:
    messages = errors(poly([[10**400, 37.0], [113.0, 37.0], [113.0, 38.0], list(range(100)), [10**400, 37.0]]))
    assert messages[0] == "coordinate 0 of ring 0: longitude 1" + "0" * 56 + "... is not finite"
    assert (
        messages[1]
        == "coordinate 3 of ring 0: expected [longitude, latitude], got " + repr(list(range(100)))[:57] + "..."
    )
    assert len(messages) == 3


def test_coordinate_messages_are_capped() -> None:
    ring = [[37.9 + i * 1e-3, 113.1] for i in range(30)] + [[37.9, 113.1]]
    messages = errors(poly(ring))
    assert len(messages) == 21
    assert messages[-1] == "... and 11 more coordinate errors"


def test_valid_polygon_with_hole() -> None:
    geom = parse_fence_geometry(poly(square(113, 37, 1), square(113.2, 37.2, 0.3)))
    assert isinstance(geom, shapely.Polygon)
    assert len(geom.interiors) == 1
    assert shapely.contains_xy(geom, 113.1, 37.1)
    assert not shapely.contains_xy(geom, 113.3, 37.3)


def test_valid_multipolygon_with_holes_and_touching_corners() -> None:
    geom = parse_fence_geometry(
        multi(
            [square(113, 37, 1), square(113.2, 37.2, 0.3)],
            [square(114, 38, 1), square(114.5, 38.5, 0.2)],
        )
    )
    assert isinstance(geom, shapely.MultiPolygon)
    assert [len(p.interiors) for p in geom.geoms] == [1, 1]


def test_hole_touching_shell_at_a_point_is_valid() -> None:
    hole = [[113.0, 37.5], [113.3, 37.4], [113.3, 37.6], [113.0, 37.5]]
    assert parse_fence_geometry(poly(square(113, 37, 1), hole)).is_valid


def test_altitude_is_dropped_and_integers_accepted() -> None:
    geom = parse_fence_geometry(poly([[113, 37, 1200], [114, 37, 1210.5], [114, 38, 990], [113, 37, 1200]]))
    assert not geom.has_z
    assert shapely.get_coordinates(geom).tolist()[1] == [114.0, 37.0]


def test_clockwise_and_counter_clockwise_rings_are_both_accepted() -> None:
    ccw = parse_fence_geometry(poly(square(113, 37, 0.5)))
    cw = parse_fence_geometry(poly(square(113, 37, 0.5)[::-1]))
    assert geodesic_area_m2(ccw) == pytest.approx(geodesic_area_m2(cw), rel=1e-12)


def _equal_area_m2(geom: shapely.Polygon) -> float:
    # Independent check: planar area in a Lambert azimuthal equal-area projection centred on the shape.
    c = geom.centroid
    t = Transformer.from_crs("EPSG:4326", f"+proj=laea +lat_0={c.y} +lon_0={c.x} +datum=WGS84", always_xy=True)

    def project(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.column_stack(t.transform(xy[:, 0], xy[:, 1]))

    return float(shapely.transform(geom, project).area)


@pytest.mark.parametrize(
    "geom",
    [
        shapely.box(113, 37, 114, 38),
        shapely.box(0, 0, 1, 1),
        shapely.box(-70, -55, -69.5, -54),
        shapely.Polygon(square(113, 37, 1), [square(113.2, 37.2, 0.5)]),
        shapely.MultiPolygon([shapely.box(113, 37, 113.5, 37.5), shapely.box(120, 40, 120.1, 40.3)]),
    ],
)
def test_geodesic_area_matches_equal_area_projection(geom: shapely.Polygon | shapely.MultiPolygon) -> None:
    expected = sum(_equal_area_m2(p) for p in to_multipolygon(geom).geoms)
    assert geodesic_area_m2(geom) == pytest.approx(expected, rel=2e-4)


def _band_area_m2(lat0: float, lat1: float, dlon: float) -> float:
    """Closed-form WGS-84 area between two parallels over ``dlon`` degrees of longitude."""
    a, f = 6_378_137.0, 1 / 298.257223563
    e = math.sqrt(f * (2 - f))
    b2 = (a * (1 - f)) ** 2

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - (e * s) ** 2) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return b2 * math.radians(dlon) / 2 * (q(lat1) - q(lat0))


@pytest.mark.parametrize(("lat0", "lat1"), [(0.0, 1.0), (37.0, 38.0), (-55.0, -54.5)])
def test_geodesic_area_matches_closed_form(lat0: float, lat1: float) -> None:
    # Box edges along parallels are not geodesics; over 1° the difference stays below 1e-4.
    assert geodesic_area_m2(shapely.box(113, lat0, 114, lat1)) == pytest.approx(
        _band_area_m2(lat0, lat1, 1.0), rel=1e-4
    )


def test_geodesic_area_subtracts_holes_regardless_of_orientation() -> None:
    shell = square(113, 37, 1)
    hole = square(113.2, 37.2, 0.5)
    with_hole = geodesic_area_m2(shapely.Polygon(shell, [hole]))
    same_orientation = geodesic_area_m2(shapely.Polygon(shell, [hole[::-1]]))
    expected = geodesic_area_m2(shapely.Polygon(shell)) - geodesic_area_m2(shapely.Polygon(hole))
    assert with_hole == pytest.approx(expected, rel=1e-12)
    assert same_orientation == pytest.approx(expected, rel=1e-12)


def test_to_multipolygon() -> None:
    p = shapely.box(113, 37, 114, 38)
    m = to_multipolygon(p)
    assert isinstance(m, shapely.MultiPolygon)
    assert list(m.geoms) == [p]
    already = shapely.MultiPolygon([p, shapely.box(115, 37, 116, 38)])
    assert to_multipolygon(already) is already
    with pytest.raises(TypeError):
        to_multipolygon(cast(Any, shapely.Point(1, 2)))
