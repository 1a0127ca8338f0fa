"""Generate the Zhichao (治超) demo region around 阳泉 (Yangquan), Shanxi.

Writes four RFC 7946 GeoJSON files (WGS-84, x = longitude, counter-clockwise
exterior rings, closed rings, coordinates rounded to 6 decimals) to
``geofences/demo/``:

* ``jurisdictions.geojson`` - four county-level jurisdictions (盂县, 阳泉市区,
  平定县, 寿阳县) that tile one connected area.  The tiling is built from a
  small planar graph: hand-placed junction points joined by "edges" (shared
  boundary polylines).  Every edge is densified and given a seeded, smooth
  wiggle that tapers to zero at its end points, is rounded once, and is then
  reused verbatim by both polygons on either side of it, so neighbours share
  exactly the same vertices (no slivers, no gaps, no overlaps).
* ``sites.geojson`` - five source sites (源头单位), small irregular yard
  polygons with a gate (weigh-house / exit) point inside the yard.
* ``checkpoints.geojson`` - two overload checkpoints (治超检测站), small
  rectangles aligned with the road through them.
* ``routes.geojson`` - truck routes as smooth LineStrings (centripetal
  Catmull-Rom splines through hand-placed road waypoints, with seeded jitter
  between waypoints).  Each starts exactly at a site's gate; the ``passes``
  property is computed from the geometry.

The shapes are approximate demo shapes loosely modelled on the real area;
they are NOT official administrative boundaries, and the enterprises are
fictitious.

All randomness comes from ``random.Random`` instances seeded with fixed
strings (string seeds are hashed with SHA-512, so they do not depend on
PYTHONHASHSEED); all geometry is plain float arithmetic, so running the
script again reproduces the committed files byte for byte.

Usage (from the repository root)::

    .venv/bin/python tools/make_demo_region.py          # (re)write the files
    .venv/bin/python tools/make_demo_region.py --check  # exit 1 if they differ
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shapely.geometry import LinearRing, LineString, Point, Polygon
from shapely.ops import unary_union

SEED = "zhichao-demo-yangquan-v1"
ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "geofences" / "demo"
DECIMALS = 6

Coord = tuple[float, float]

# --------------------------------------------------------------------------
# Local metric approximation (equirectangular around the region).  Only used
# to size and perturb shapes; the output is plain WGS-84 lon/lat.
# --------------------------------------------------------------------------
LON0, LAT0 = 113.45, 37.95
KM_PER_DEG_LAT = 111.0
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(LAT0))


def to_km(p: Coord) -> Coord:
    return ((p[0] - LON0) * KM_PER_DEG_LON, (p[1] - LAT0) * KM_PER_DEG_LAT)


def from_km(p: Coord) -> Coord:
    return (LON0 + p[0] / KM_PER_DEG_LON, LAT0 + p[1] / KM_PER_DEG_LAT)


def rnd(p: Coord) -> Coord:
    return (round(p[0], DECIMALS), round(p[1], DECIMALS))


def rng_for(name: str) -> random.Random:
    return random.Random(f"{SEED}:{name}")


# --------------------------------------------------------------------------
# Jurisdictions: planar graph of junctions and shared boundary edges.
# --------------------------------------------------------------------------
# Triple junctions (three jurisdictions meet) and points where an internal
# boundary meets the outer boundary of the demo area.
J_YSC = (113.455, 37.955)  # 盂县 / 寿阳县 / 阳泉市区
J_SCP = (113.465, 37.815)  # 寿阳县 / 阳泉市区 / 平定县
J_YCP = (113.735, 37.945)  # 盂县 / 阳泉市区 / 平定县
O_YS = (112.985, 38.035)  # 盂县 / 寿阳县 on the outer boundary (west)
O_SP = (113.425, 37.625)  # 寿阳县 / 平定县 on the outer boundary (south)
O_YP = (113.760, 37.995)  # 盂县 / 平定县 on the outer boundary (north-east)

# name -> (control polyline, densify spacing km, wiggle amplitude km)
EDGE_SPECS: dict[str, tuple[list[Coord], float, float]] = {
    # internal boundaries
    "YS": ([O_YS, (113.10, 38.040), (113.22, 38.020), (113.33, 37.990), J_YSC], 1.5, 1.6),
    "YC": ([J_YSC, (113.52, 37.970), (113.60, 37.962), (113.67, 37.966), J_YCP], 1.4, 1.0),
    "YP": ([J_YCP, (113.755, 37.972), O_YP], 1.2, 0.5),
    "SC": ([J_YSC, (113.442, 37.900), (113.455, 37.860), J_SCP], 1.3, 0.8),
    "CP": (
        [
            J_SCP,
            (113.520, 37.815),
            (113.580, 37.825),
            (113.640, 37.830),
            (113.700, 37.845),
            (113.745, 37.880),
            (113.755, 37.920),
            J_YCP,
        ],
        1.4,
        1.0,
    ),
    "SP": ([J_SCP, (113.450, 37.760), (113.440, 37.700), O_SP], 1.4, 1.2),
    # outer boundary, split into one arc per jurisdiction
    "OUT_Y": (
        [
            O_YP,
            (113.690, 38.080),
            (113.660, 38.180),
            (113.620, 38.280),
            (113.520, 38.345),
            (113.350, 38.340),
            (113.200, 38.300),
            (113.080, 38.240),
            (113.010, 38.150),
            (112.990, 38.080),
            O_YS,
        ],
        2.3,
        2.6,
    ),
    "OUT_S": (
        [
            O_YS,
            (112.950, 37.980),
            (112.960, 37.880),
            (112.980, 37.780),
            (113.050, 37.710),
            (113.150, 37.690),
            (113.280, 37.680),
            (113.380, 37.660),
            O_SP,
        ],
        2.2,
        2.2,
    ),
    "OUT_P": (
        [
            O_SP,
            (113.480, 37.570),
            (113.600, 37.550),
            (113.750, 37.570),
            (113.880, 37.620),
            (113.950, 37.720),
            (113.960, 37.830),
            (113.930, 37.930),
            (113.860, 37.990),
            O_YP,
        ],
        2.3,
        2.6,
    ),
}

# Each ring is a counter-clockwise walk over edges; -1 means "walk reversed".
JURISDICTIONS: list[dict[str, Any]] = [
    {
        "name": "盂县",
        "name_en": "Yu County",
        "team": "T1",
        "code": "140322",
        "ring": [("YS", 1), ("YC", 1), ("YP", 1), ("OUT_Y", 1)],
    },
    {
        "name": "阳泉市区",
        "name_en": "Yangquan city districts (Chengqu, Kuangqu, Jiaoqu)",
        "team": "T1",
        "code": "140301",
        "ring": [("SC", 1), ("CP", 1), ("YC", -1)],
    },
    {
        "name": "平定县",
        "name_en": "Pingding County",
        "team": "T2",
        "code": "140321",
        "ring": [("OUT_P", 1), ("YP", -1), ("CP", -1), ("SP", 1)],
    },
    {
        "name": "寿阳县",
        "name_en": "Shouyang County",
        "team": "T2",
        "code": "140725",
        "ring": [("OUT_S", 1), ("SP", -1), ("SC", -1), ("YS", -1)],
    },
]


def densify_km(ctrl: Sequence[Coord], spacing: float) -> tuple[list[Coord], list[float]]:
    """Densify a km polyline; returns the points and their arc-length positions."""
    pts: list[Coord] = [ctrl[0]]
    cum: list[float] = [0.0]
    for a, b in itertools.pairwise(ctrl):
        seg = math.hypot(b[0] - a[0], b[1] - a[1])
        n = max(1, math.ceil(seg / spacing))
        for i in range(1, n + 1):
            t = i / n
            pts.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
            cum.append(cum[-1] + seg / n)
    return pts, cum


def smoothstep(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3.0 - 2.0 * t)


def wiggly_edge(name: str) -> list[Coord]:
    """A shared boundary polyline in lon/lat, end points kept exactly."""
    ctrl_ll, spacing, amp = EDGE_SPECS[name]
    rng = rng_for(f"edge:{name}")
    pts, cum = densify_km([to_km(p) for p in ctrl_ll], spacing)
    total = cum[-1]
    taper = min(3.0, total / 3.0)
    # multi-scale smooth noise: broad bends, medium lobes, small ridges
    waves = [
        (amp * rng.uniform(0.55, 0.85), rng.uniform(16.0, 32.0), rng.uniform(0.0, 2.0 * math.pi)),
        (amp * rng.uniform(0.25, 0.40), rng.uniform(6.0, 11.0), rng.uniform(0.0, 2.0 * math.pi)),
        (amp * rng.uniform(0.10, 0.18), spacing * rng.uniform(2.6, 4.0), rng.uniform(0.0, 2.0 * math.pi)),
    ]
    jitter = 0.12 * spacing
    out: list[Coord] = [rnd(ctrl_ll[0])]
    for i in range(1, len(pts) - 1):
        s = cum[i]
        w = smoothstep(min(s, total - s) / taper)
        dx = pts[i + 1][0] - pts[i - 1][0]
        dy = pts[i + 1][1] - pts[i - 1][1]
        norm = math.hypot(dx, dy)
        nx, ny = -dy / norm, dx / norm
        off = sum(a * math.sin(2.0 * math.pi * s / lam + ph) for a, lam, ph in waves)
        off = w * (off + rng.uniform(-jitter, jitter))
        out.append(rnd(from_km((pts[i][0] + off * nx, pts[i][1] + off * ny))))
    out.append(rnd(ctrl_ll[-1]))
    return out


def ccw_ring(coords: list[Coord]) -> list[Coord]:
    """Close the ring and make it counter-clockwise (RFC 7946 exterior)."""
    if coords[0] != coords[-1]:
        coords = [*coords, coords[0]]
    if not LinearRing(coords).is_ccw:
        coords = coords[::-1]
    return coords


def build_jurisdictions() -> list[dict[str, Any]]:
    edges = {name: wiggly_edge(name) for name in EDGE_SPECS}
    features = []
    for spec in JURISDICTIONS:
        ring: list[Coord] = []
        for edge_name, direction in spec["ring"]:
            part = edges[edge_name] if direction == 1 else edges[edge_name][::-1]
            if ring:
                assert ring[-1] == part[0], (spec["name"], edge_name)
                part = part[1:]
            ring.extend(part)
        assert ring[0] == ring[-1], spec["name"]
        ring = ccw_ring(ring)
        poly = Polygon(ring)
        assert poly.is_valid, spec["name"]
        assert 40 <= len(ring) - 1 <= 120, (spec["name"], len(ring) - 1)
        features.append(
            {
                "type": "Feature",
                "id": spec["code"],
                "properties": {
                    "name": spec["name"],
                    "name_en": spec["name_en"],
                    "kind": "jurisdiction",
                    "team": spec["team"],
                    "code": spec["code"],
                    "valid": True,
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    polys = [Polygon(f["geometry"]["coordinates"][0]) for f in features]
    union = unary_union(polys)
    assert union.geom_type == "Polygon" and not union.interiors, "jurisdictions must tile one area"
    assert abs(union.area - sum(p.area for p in polys)) < 1e-12, "jurisdictions overlap"
    return features


# --------------------------------------------------------------------------
# Source sites and checkpoints
# --------------------------------------------------------------------------
# center, access point on the main road (the gate faces it), yard half sizes (m),
# orientation (deg), vertex count
SITES: list[dict[str, Any]] = [
    {
        "code": "DEMO-S1",
        "name": "盂县金星商贸有限公司",
        "enterprise": "盂县金星商贸有限公司",
        "enterprise_kind": "logistics",
        "center": (113.4520, 38.0660),
        "access": (113.4470, 38.0520),
        "half": (230.0, 140.0),
        "angle": 35.0,
        "n": 9,
    },
    {
        "code": "DEMO-S2",
        "name": "平定县岔口宏达石料有限公司",
        "enterprise": "平定县岔口宏达石料有限公司",
        "enterprise_kind": "quarry",
        "center": (113.7050, 37.6830),
        "access": (113.6950, 37.6950),
        "half": (260.0, 190.0),
        "angle": -20.0,
        "n": 11,
    },
    {
        "code": "DEMO-S3",
        "name": "阳泉市郊区荫营宏盛洗煤有限公司",
        "enterprise": "阳泉市郊区荫营宏盛洗煤有限公司",
        "enterprise_kind": "coal_washery",
        "center": (113.6000, 37.9150),
        "access": (113.6050, 37.9050),
        "half": (190.0, 120.0),
        "angle": 70.0,
        "n": 8,
    },
    {
        "code": "DEMO-S4",
        "name": "寿阳县宗艾晋华水泥有限公司",
        "enterprise": "寿阳县宗艾晋华水泥有限公司",
        "enterprise_kind": "cement",
        "center": (113.2450, 37.9350),
        "access": (113.2520, 37.9280),
        "half": (250.0, 160.0),
        "angle": 10.0,
        "n": 10,
    },
    {
        "code": "DEMO-S5",
        "name": "盂县西烟兴盛煤业有限公司",
        "enterprise": "盂县西烟兴盛煤业有限公司",
        "enterprise_kind": "mine",
        "center": (113.2980, 38.1820),
        "access": (113.3050, 38.1720),
        "half": (210.0, 150.0),
        "angle": -45.0,
        "n": 7,
    },
]

CHECKPOINTS: list[dict[str, Any]] = [
    {
        "code": "CP1",
        "name": "盂县路家村治超检测站",
        "center": (113.5000, 38.0000),
        "toward": (113.5300, 37.9550),
        "half": (90.0, 40.0),
    },
    {
        "code": "CP2",
        "name": "寿阳县平头治超检测站",
        "center": (113.3200, 37.8850),
        "toward": (113.3700, 37.8790),
        "half": (85.0, 35.0),
    },
]


def rect_radius(theta: float, a: float, b: float) -> float:
    """Distance from the centre to the edge of an a x b (half sizes) rectangle."""
    c, s = abs(math.cos(theta)), abs(math.sin(theta))
    return 1.0 / max(c / a if c else 0.0, s / b if s else 0.0)


def yard_polygon(spec: dict[str, Any]) -> list[Coord]:
    """Irregular, rectangle-like, star-shaped (hence simple) yard outline."""
    rng = rng_for(f"site:{spec['code']}")
    cx, cy = to_km(spec["center"])
    a, b = spec["half"][0] / 1000.0, spec["half"][1] / 1000.0
    rot = math.radians(spec["angle"])
    n = spec["n"]
    # start from the four corners so the yard looks rectangular, then add points
    corners = [
        math.atan2(b, a),
        math.pi - math.atan2(b, a),
        math.pi + math.atan2(b, a),
        2 * math.pi - math.atan2(b, a),
    ]
    extra = sorted(rng.uniform(0.0, 2.0 * math.pi) for _ in range(n - 4))
    angles = sorted(corners + extra)
    pts: list[Coord] = []
    for th in angles:
        th2 = th + rng.uniform(-0.06, 0.06)
        r = rect_radius(th2, a, b) * rng.uniform(0.82, 1.0)
        x, y = r * math.cos(th2 + rot), r * math.sin(th2 + rot)
        pts.append(rnd(from_km((cx + x, cy + y))))
    return ccw_ring(pts)


def gate_point(ring: list[Coord], center: Coord, toward: Coord) -> Coord:
    """A point just inside the yard edge, on the side facing the access road."""
    poly = Polygon(ring)
    c, t = to_km(center), to_km(toward)
    d = math.hypot(t[0] - c[0], t[1] - c[1])
    ux, uy = (t[0] - c[0]) / d, (t[1] - c[1]) / d
    ray = LineString([from_km(c), from_km((c[0] + ux * 2.0, c[1] + uy * 2.0))])
    hit = ray.intersection(poly.exterior)
    hx, hy = to_km((hit.x, hit.y)) if hit.geom_type == "Point" else to_km(hit.geoms[0].coords[0])
    gate = rnd(from_km((c[0] + (hx - c[0]) * 0.93, c[1] + (hy - c[1]) * 0.93)))
    assert poly.contains(Point(gate))
    return gate


def checkpoint_polygon(spec: dict[str, Any]) -> list[Coord]:
    c, t = to_km(spec["center"]), to_km(spec["toward"])
    ang = math.atan2(t[1] - c[1], t[0] - c[0])
    a, b = spec["half"][0] / 1000.0, spec["half"][1] / 1000.0
    ca, sa = math.cos(ang), math.sin(ang)
    # rectangle along the road plus a small bump for the weigh-in-motion booth
    local = [(-a, -b), (a, -b), (a, b), (0.25 * a, b), (0.0, 1.6 * b), (-0.25 * a, b), (-a, b)]
    pts = [rnd(from_km((c[0] + x * ca - y * sa, c[1] + x * sa + y * ca))) for x, y in local]
    return ccw_ring(pts)


def containing(poly_or_point: Any, jurisdictions: list[dict[str, Any]]) -> dict[str, Any]:
    hits = [j for j in jurisdictions if Polygon(j["geometry"]["coordinates"][0]).contains(poly_or_point)]
    assert len(hits) == 1, hits
    return hits[0]


def build_sites(jurisdictions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    features = []
    for spec in SITES:
        ring = yard_polygon(spec)
        gate = gate_point(ring, spec["center"], spec["access"])
        j = containing(Polygon(ring), jurisdictions)
        features.append(
            {
                "type": "Feature",
                "id": spec["code"],
                "properties": {
                    "name": spec["name"],
                    "kind": "source_site",
                    "code": spec["code"],
                    "enterprise": spec["enterprise"],
                    "enterprise_kind": spec["enterprise_kind"],
                    "gate": list(gate),
                    "team": j["properties"]["team"],
                    "valid": True,
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return features


def build_checkpoints(jurisdictions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    features = []
    for spec in CHECKPOINTS:
        ring = checkpoint_polygon(spec)
        j = containing(Polygon(ring), jurisdictions)
        features.append(
            {
                "type": "Feature",
                "id": spec["code"],
                "properties": {
                    "name": spec["name"],
                    "kind": "checkpoint",
                    "code": spec["code"],
                    "team": j["properties"]["team"],
                    "valid": True,
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return features


# --------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------
CP1 = CHECKPOINTS[0]["center"]
CP2 = CHECKPOINTS[1]["center"]

# Waypoints after the site's gate and access point, loosely following the
# real roads (阳盂线, G207, G307, 阳五高速 ...).
ROUTES: list[dict[str, Any]] = [
    {
        "code": "DEMO-R1",
        "from_site": "DEMO-S1",
        "name": "金星商贸 → 平定锁簧（阳盂线、G207 南行，经路家村站）",
        "via": [
            CP1,
            (113.545, 37.935),
            (113.570, 37.875),
            (113.605, 37.825),
            (113.632, 37.786),
            (113.640, 37.720),
            (113.625, 37.655),
        ],
    },
    {
        "code": "DEMO-R2",
        "from_site": "DEMO-S1",
        "name": "金星商贸 → 寿阳西（太原方向）",
        "via": [
            (113.410, 38.085),
            (113.350, 38.060),
            (113.290, 38.020),
            (113.230, 37.960),
            (113.185, 37.900),
            (113.120, 37.883),
            (113.050, 37.870),
        ],
    },
    {
        "code": "DEMO-R3",
        "from_site": "DEMO-S5",
        "name": "西烟煤业 → 阳泉站货场（经路家村站）",
        "via": [
            (113.335, 38.145),
            (113.375, 38.112),
            (113.410, 38.088),
            (113.455, 38.045),
            CP1,
            (113.530, 37.955),
            (113.555, 37.905),
            (113.572, 37.870),
        ],
    },
    {
        "code": "DEMO-R4",
        "from_site": "DEMO-S5",
        "name": "西烟煤业 → 寿阳南",
        "via": [
            (113.270, 38.140),
            (113.235, 38.085),
            (113.205, 38.025),
            (113.190, 37.960),
            (113.178, 37.895),
            (113.170, 37.830),
            (113.160, 37.770),
        ],
    },
    {
        "code": "DEMO-R5",
        "from_site": "DEMO-S3",
        "name": "荫营洗煤 → 娘子关（G307 东行，出省方向）",
        "via": [
            (113.650, 37.905),
            (113.700, 37.907),
            (113.760, 37.922),
            (113.810, 37.940),
            (113.855, 37.955),
        ],
    },
    {
        "code": "DEMO-R6",
        "from_site": "DEMO-S3",
        "name": "荫营洗煤 → 寿阳西（G307 西行，经平头站）",
        "via": [
            (113.560, 37.885),
            (113.500, 37.876),
            (113.430, 37.874),
            (113.370, 37.879),
            CP2,
            (113.250, 37.889),
            (113.180, 37.892),
            (113.110, 37.882),
            (113.045, 37.876),
        ],
    },
    {
        "code": "DEMO-R7",
        "from_site": "DEMO-S2",
        "name": "宏达石料 → 盂县城（经阳泉市区、路家村站）",
        "via": [
            (113.675, 37.725),
            (113.640, 37.765),
            (113.605, 37.825),
            (113.570, 37.875),
            (113.545, 37.935),
            CP1,
            (113.460, 38.040),
            (113.420, 38.080),
        ],
    },
    {
        "code": "DEMO-R8",
        "from_site": "DEMO-S2",
        "name": "宏达石料 → 寿阳（经冶西）",
        "via": [
            (113.640, 37.705),
            (113.575, 37.722),
            (113.510, 37.742),
            (113.440, 37.765),
            (113.360, 37.795),
            (113.280, 37.840),
            (113.200, 37.880),
        ],
    },
    {
        "code": "DEMO-R9",
        "from_site": "DEMO-S4",
        "name": "宗艾水泥 → 平定（经平头站、阳泉市区）",
        "via": [
            (113.285, 37.895),
            CP2,
            (113.400, 37.874),
            (113.470, 37.866),
            (113.530, 37.862),
            (113.590, 37.845),
            (113.625, 37.800),
            (113.660, 37.765),
            (113.710, 37.750),
        ],
    },
    {
        "code": "DEMO-R10",
        "from_site": "DEMO-S4",
        "name": "宗艾水泥 → 盂县北",
        "via": [
            (113.270, 37.975),
            (113.310, 38.025),
            (113.360, 38.062),
            (113.405, 38.090),
            (113.430, 38.150),
            (113.450, 38.210),
        ],
    },
]


def catmull_rom(points: Sequence[Coord], step_km: float) -> list[Coord]:
    """Centripetal Catmull-Rom spline (km coords) through all points."""
    pts = [points[0], *points, points[-1]]
    # extend the ends so the first and last segments have sensible tangents
    pts[0] = (2 * points[0][0] - points[1][0], 2 * points[0][1] - points[1][1])
    pts[-1] = (2 * points[-1][0] - points[-2][0], 2 * points[-1][1] - points[-2][1])
    out: list[Coord] = [points[0]]
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]

        def tj(ti: float, a: Coord, b: Coord) -> float:
            return ti + math.sqrt(max(math.hypot(b[0] - a[0], b[1] - a[1]), 1e-9))

        t0 = 0.0
        t1 = tj(t0, p0, p1)
        t2 = tj(t1, p1, p2)
        t3 = tj(t2, p2, p3)
        seg = math.hypot(p2[0] - p1[0], p2[1] - p1[1])
        n = max(1, round(seg / step_km))
        for k in range(1, n + 1):
            if k == n:
                out.append(p2)
                continue
            t = t1 + (t2 - t1) * k / n

            def lerp(a: Coord, b: Coord, ta: float, tb: float, t: float = t) -> Coord:
                wa, wb = (tb - t) / (tb - ta), (t - ta) / (tb - ta)
                return (wa * a[0] + wb * b[0], wa * a[1] + wb * b[1])

            a1 = lerp(p0, p1, t0, t1)
            a2 = lerp(p1, p2, t1, t2)
            a3 = lerp(p2, p3, t2, t3)
            b1 = lerp(a1, a2, t0, t2)
            b2 = lerp(a2, a3, t1, t3)
            out.append(lerp(b1, b2, t1, t2))
    return out


def route_passes(line: LineString, jurisdictions: list[dict[str, Any]]) -> list[str]:
    """Jurisdictions traversed by ``line``, in order (consecutive repeats merged)."""
    pieces: list[tuple[float, str]] = []
    for j in jurisdictions:
        inter = line.intersection(Polygon(j["geometry"]["coordinates"][0]))
        parts = getattr(inter, "geoms", [inter])
        for part in parts:
            if part.geom_type == "LineString" and part.length > 1e-9:
                pos = line.project(part.interpolate(0.5, normalized=True))
                pieces.append((pos, j["properties"]["name"]))
    pieces.sort()
    names: list[str] = []
    for _, name in pieces:
        if not names or names[-1] != name:
            names.append(name)
    return names


def build_routes(jurisdictions: list[dict[str, Any]], sites: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_code = {s["properties"]["code"]: s for s in sites}
    site_specs = {s["code"]: s for s in SITES}
    region = unary_union([Polygon(j["geometry"]["coordinates"][0]) for j in jurisdictions])
    features = []
    for spec in ROUTES:
        rng = rng_for(f"route:{spec['code']}")
        gate = tuple(by_code[spec["from_site"]]["properties"]["gate"])
        access = site_specs[spec["from_site"]]["access"]
        fixed = [to_km(p) for p in [gate, access, *spec["via"]]]
        # seeded jitter: a displaced midpoint between consecutive road waypoints
        way: list[Coord] = fixed[:2]
        for a, b in itertools.pairwise(fixed[1:]):
            seg = math.hypot(b[0] - a[0], b[1] - a[1])
            nx, ny = -(b[1] - a[1]) / seg, (b[0] - a[0]) / seg
            off = seg * rng.uniform(-0.06, 0.06)
            way.append(((a[0] + b[0]) / 2 + off * nx, (a[1] + b[1]) / 2 + off * ny))
            way.append(b)
        length = sum(math.hypot(q[0] - p[0], q[1] - p[1]) for p, q in itertools.pairwise(way))
        step = max(0.7, length / 55.0)
        coords = [rnd(from_km(p)) for p in catmull_rom(way, step)]
        coords[0] = gate  # exact, not re-projected
        dedup = [coords[0]]
        for c in coords[1:]:
            if c != dedup[-1]:
                dedup.append(c)
        line = LineString(dedup)
        assert 20 <= len(dedup) <= 80, (spec["code"], len(dedup))
        assert line.is_simple, spec["code"]
        assert region.contains(line), spec["code"]
        passes = route_passes(line, jurisdictions)
        assert len(passes) >= 2, (spec["code"], passes)
        features.append(
            {
                "type": "Feature",
                "id": spec["code"],
                "properties": {"name": spec["name"], "from_site": spec["from_site"], "passes": passes},
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in dedup]},
            }
        )
    return features


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
_PAIR = re.compile(r"\[\s+(-?\d+(?:\.\d+)?),\s+(-?\d+(?:\.\d+)?)\s+\]")


def to_geojson_text(features: list[dict[str, Any]]) -> str:
    for f in features:
        geom = f["geometry"]
        if geom["type"] == "Polygon":
            geom["coordinates"] = [[list(c) for c in ring] for ring in geom["coordinates"]]
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=2)
    # one [lon, lat] pair per line
    return _PAIR.sub(r"[\1, \2]", text) + "\n"


def build_all() -> dict[str, str]:
    """File name -> file content for all generated files."""
    jurisdictions = build_jurisdictions()
    sites = build_sites(jurisdictions)
    checkpoints = build_checkpoints(jurisdictions)
    routes = build_routes(jurisdictions, sites)
    return {
        "jurisdictions.geojson": to_geojson_text(jurisdictions),
        "sites.geojson": to_geojson_text(sites),
        "checkpoints.geojson": to_geojson_text(checkpoints),
        "routes.geojson": to_geojson_text(routes),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the files on disk")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    files = build_all()
    stale = []
    for name, text in files.items():
        path = args.out_dir / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(name)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8", newline="\n")
    if args.check:
        for name in stale:
            print(f"out of date: {args.out_dir / name}", file=sys.stderr)
        return 1 if stale else 0
    for name in files:
        print(f"{'wrote' if name in stale else 'unchanged'}: {args.out_dir / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
