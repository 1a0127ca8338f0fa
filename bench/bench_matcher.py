"""Benchmark FenceIndex.locate against STRtree, a per-polygon contains_xy loop and a PostGIS batch join."""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.domain.fence_geometry import geodesic_area_m2, to_multipolygon
from backend.domain.fences import FenceIndex, FenceRecord

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

REGION = (110.0, 34.5, 116.0, 39.5)  # lon/lat box, about 6° x 5° (roughly Shanxi)
POSTGIS_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
TARGETS = {"jurisdiction": 1_000_000.0, "source_site": 500_000.0}


@dataclass(frozen=True)
class Sizes:
    """Workload sizes for one run."""

    counties: int
    county_vertices: int
    sites: int
    points: int
    site_points: int
    baseline_points: int
    postgis_points: int
    repeats: int
    baseline_repeats: int


FULL = Sizes(120, 1000, 10_000, 1_000_000, 1_000_000, 1_000_000, 100_000, 7, 3)
QUICK = Sizes(30, 300, 1_000, 50_000, 50_000, 50_000, 10_000, 2, 1)


def _warp(xy: FloatArray, rng_seed: int) -> FloatArray:
    """Smooth multi-octave displacement; gradient < 1 keeps it a homeomorphism (tilings stay tilings)."""
    rng = np.random.default_rng(rng_seed)
    out = xy.copy()
    for wavelength in (1.2, 0.4, 0.13, 0.045, 0.015):
        amplitude = 0.12 * wavelength / (2 * math.pi)
        for axis in (0, 1):
            kx, ky = rng.normal(size=2)
            norm = math.hypot(kx, ky)
            phase = rng.uniform(0, 2 * math.pi)
            k = 2 * math.pi / wavelength
            out[:, axis] += amplitude * np.sin(k * (kx * xy[:, 0] + ky * xy[:, 1]) / norm + phase)
    return out


def make_counties(n: int, vertices: int, seed: int) -> list[shapely.Polygon | shapely.MultiPolygon]:
    """Voronoi tiling of REGION into n counties, edges densified and warped to ~``vertices`` each."""
    rng = np.random.default_rng(seed)
    region = shapely.box(*REGION)
    seeds = np.c_[rng.uniform(REGION[0], REGION[2], n), rng.uniform(REGION[1], REGION[3], n)]
    for _ in range(3):  # Lloyd relaxation evens out county sizes
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=region))
        cells = shapely.intersection(cells, region)
        owner = shapely.STRtree(cells).query(shapely.points(seeds), predicate="within")
        cells = cells[owner[1][np.argsort(owner[0])]]
        seeds = shapely.get_coordinates(shapely.centroid(cells))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=region))
    cells = shapely.intersection(cells, region.buffer(0.5, join_style="mitre"))
    step = float(np.mean(shapely.length(shapely.intersection(cells, region)))) / (vertices * 1.1)
    dense = shapely.segmentize(cells, step)
    warped = shapely.transform(dense, lambda xy: _warp(xy, seed + 1))
    counties = shapely.intersection(warped, region)
    counties = shapely.set_precision(counties, 0.0)  # normalise overlay output
    out: list[shapely.Polygon | shapely.MultiPolygon] = []
    for geom in counties.tolist():
        polys = [p for p in shapely.get_parts(geom).tolist() if p.area > 1e-6]
        out.append(polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys))
    assert all(shapely.is_valid(out)), "generated counties must be valid"
    return out


def make_sites(n: int, seed: int) -> list[shapely.Polygon]:
    """n star-shaped site polygons 0.5-2 km across, 8-32 vertices, scattered uniformly over REGION."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        cx, cy = rng.uniform(REGION[0], REGION[2]), rng.uniform(REGION[1], REGION[3])
        k = int(rng.integers(8, 33))
        # Jittered even spacing keeps every angular gap < pi: star-shaped, hence simple.
        angle = (np.arange(k) + rng.uniform(-0.35, 0.35, k)) * (2 * math.pi / k)
        radius = rng.uniform(250, 1000) * rng.uniform(0.6, 1.0, k)
        dy = radius / 111_320.0
        dx = dy / math.cos(math.radians(cy))
        out.append(shapely.Polygon(np.c_[cx + dx * np.cos(angle), cy + dy * np.sin(angle)]))
    assert all(shapely.is_valid(out)), "generated sites must be valid"
    return out


def reduce_locate(point: IntArray, fence: IntArray, ids: IntArray, rank: IntArray, n: int) -> IntArray:
    """Most specific fence per point from (point, fence id) pairs; ``rank[i]`` orders sorted ``ids[i]``."""
    r = rank[np.searchsorted(ids, fence)]
    order = np.lexsort((r, point))
    point, fence = point[order], fence[order]
    first = np.ones(point.shape[0], dtype=bool)
    first[1:] = point[1:] != point[:-1]
    out = np.full(n, -1, dtype=np.int64)
    out[point[first]] = fence[first]
    return out


T = TypeVar("T")


def best_of(repeats: int, fn: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of ``repeats`` (at least one) calls, and the last result."""
    times = []
    for _ in range(max(repeats, 1)):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def best_time(repeats: int, fn: Callable[[], Any]) -> float:
    """Best wall time of ``repeats`` calls, result discarded."""
    return best_of(repeats, fn)[0]


class Baselines:
    """The comparison methods for one kind of fence."""

    def __init__(self, records: list[FenceRecord]) -> None:
        records = sorted(records, key=lambda r: r.id)
        self.ids = np.array([r.id for r in records], dtype=np.int64)
        self.geoms = np.array([r.geometry for r in records], dtype=object)
        areas = np.array([geodesic_area_m2(r.geometry) for r in records])
        self.rank = np.empty(len(records), dtype=np.int64)
        self.rank[np.lexsort((self.ids, areas))] = np.arange(len(records))
        self.tree = shapely.STRtree(self.geoms)
        self.prepared = shapely.from_wkb(shapely.to_wkb(self.geoms))
        shapely.prepare(self.prepared)
        self.bounds = shapely.bounds(self.geoms)

    def strtree(self, points: npt.NDArray[np.object_]) -> IntArray:
        """STRtree.query(points, predicate='within'), then the smallest (area, id) per point."""
        pt, tr = self.tree.query(points, predicate="within")
        return reduce_locate(pt, self.ids[tr], self.ids, self.rank, points.shape[0])

    def loop(self, x: FloatArray, y: FloatArray) -> IntArray:
        """Per-polygon loop of contains_xy on prepared polygons; points pre-sorted by x for a bbox cut."""
        order = np.argsort(x)
        xs, ys = x[order], y[order]
        pts: list[IntArray] = []
        fences: list[IntArray] = []
        for geom, fid, (x0, y0, x1, y1) in zip(self.prepared, self.ids, self.bounds, strict=True):
            lo, hi = np.searchsorted(xs, (x0, x1))
            cand = np.flatnonzero((ys[lo:hi] >= y0) & (ys[lo:hi] <= y1)) + lo
            hit = cand[shapely.contains_xy(geom, xs[cand], ys[cand])]
            pts.append(order[hit])
            fences.append(np.full(hit.shape[0], fid, dtype=np.int64))
        return reduce_locate(np.concatenate(pts), np.concatenate(fences), self.ids, self.rank, x.shape[0])


class PostGIS:
    """Fences in a temp table with a GiST index; batch point-in-polygon via unnest() + ST_Contains."""

    def __init__(self, records: list[FenceRecord], dsn: str) -> None:
        import psycopg  # local import: the rest of the benchmark must not need a database driver

        try:
            self.conn = psycopg.connect(dsn, autocommit=True, connect_timeout=5)
            self.conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg.Error as exc:
            raise SystemExit(f"FATAL: PostGIS baseline unavailable at {dsn!r}: {exc}") from exc
        self.conn.execute(
            "CREATE TEMP TABLE bench_fences (id bigint PRIMARY KEY, kind text NOT NULL, area float8 NOT NULL,"
            " geom geometry(MultiPolygon, 4326) NOT NULL)"
        )
        with self.conn.cursor() as cur, cur.copy("COPY bench_fences (id, kind, area, geom) FROM STDIN") as cp:
            for r in records:
                wkb = shapely.to_wkb(to_multipolygon(r.geometry), hex=True, include_srid=False)
                cp.write_row((r.id, r.kind, geodesic_area_m2(r.geometry), f"SRID=4326;{wkb}"))
        self.conn.execute("CREATE INDEX ON bench_fences USING gist (geom)")
        self.conn.execute("ANALYZE bench_fences")
        row = self.conn.execute("SELECT split_part(version(), ' ', 2), postgis_lib_version()").fetchone()
        self.version = f"PostgreSQL {row[0]} + PostGIS {row[1]}" if row else "PostgreSQL"

    def locate(self, x: FloatArray, y: FloatArray, kind: str) -> IntArray:
        """Most specific fence per point computed entirely in SQL (DISTINCT ON ... ORDER BY area, id)."""
        rows = self.conn.execute(
            "SELECT DISTINCT ON (p.i) p.i, f.id"
            " FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(x, y, i)"
            " JOIN bench_fences f ON f.kind = %s"
            " AND ST_Contains(f.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))"
            " ORDER BY p.i, f.area, f.id",
            (x.tolist(), y.tolist(), kind),
        ).fetchall()
        out = np.full(x.shape[0], -1, dtype=np.int64)
        if rows:
            found = np.array(rows, dtype=np.int64)
            out[found[:, 0] - 1] = found[:, 1]
        return out


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's guess."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def agree(got: IntArray, expected: IntArray, method: str) -> None:
    """Fail the run (even under python -O) when a method's answers differ from FenceIndex.locate."""
    if not np.array_equal(got, expected):
        bad = np.flatnonzero(got != expected)
        raise SystemExit(f"FATAL: {method} disagrees with FenceIndex.locate on {bad.size} points, e.g. {bad[:5]}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--dsn", default=POSTGIS_DSN, help="PostgreSQL with PostGIS (required baseline)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    t0 = time.perf_counter()
    counties = make_counties(sizes.counties, sizes.county_vertices, args.seed)
    sites = make_sites(sizes.sites, args.seed + 7)
    vertex_counts = shapely.get_num_coordinates(counties)
    print(
        f"data: {len(counties)} counties ({vertex_counts.mean():.0f} vertices avg, "
        f"{vertex_counts.min()}-{vertex_counts.max()}), {len(sites)} sites "
        f"({shapely.get_num_coordinates(sites).mean():.0f} vertices avg), generated in "
        f"{time.perf_counter() - t0:.1f}s"
    )
    records = [FenceRecord(i + 1, "jurisdiction", None, g) for i, g in enumerate(counties)]
    records += [FenceRecord(100_000 + i, "source_site", None, g) for i, g in enumerate(sites)]
    t0 = time.perf_counter()
    index = FenceIndex(records)
    build_all = time.perf_counter() - t0
    t0 = time.perf_counter()
    FenceIndex([r for r in records if r.kind == "source_site"])
    build_sites = time.perf_counter() - t0
    print(f"FenceIndex build: {build_all:.2f}s for all {len(records)} fences, {build_sites:.2f}s for the sites")
    postgis = PostGIS(records, args.dsn)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), {postgis.version}; {os.cpu_count()} CPUs ({cpu_model()})"
    )

    rng = np.random.default_rng(args.seed + 99)
    rows: list[tuple[str, str, int, float]] = []
    ok = True
    for kind, n_points in (("jurisdiction", sizes.points), ("source_site", sizes.site_points)):
        x = rng.uniform(REGION[0], REGION[2], n_points)
        y = rng.uniform(REGION[1], REGION[3], n_points)
        of_kind = [r for r in records if r.kind == kind]
        base = Baselines(of_kind)

        t_ours, ours = best_of(sizes.repeats, lambda: index.locate(x, y, kind))  # noqa: B023
        t_match, (mp, mf) = best_of(sizes.repeats, lambda: index.match(x, y, kind))  # noqa: B023
        from_match = reduce_locate(mp, mf, base.ids, base.rank, n_points)
        agree(from_match, ours, "FenceIndex.match vs FenceIndex.locate")
        rows.append((kind, "FenceIndex.locate (ours)", n_points, t_ours))
        rows.append((kind, "FenceIndex.match (ours)", n_points, t_match))

        nb = sizes.baseline_points
        bx, by = x[:nb], y[:nb]
        points: npt.NDArray[np.object_] = np.asarray(shapely.points(bx, by))
        t_points = best_time(sizes.baseline_repeats, lambda: shapely.points(bx, by))  # noqa: B023
        t_tree, res = best_of(sizes.baseline_repeats, lambda: base.strtree(points))  # noqa: B023
        agree(res, ours[:nb], "STRtree")
        rows.append((kind, "(a) STRtree within, Points prebuilt", nb, t_tree))
        rows.append((kind, "(a) STRtree within + shapely.points()", nb, t_tree + t_points))
        t_loop, res = best_of(sizes.baseline_repeats, lambda: base.loop(bx, by))  # noqa: B023
        agree(res, ours[:nb], "per-polygon loop")
        rows.append((kind, "(b) per-polygon contains_xy loop", nb, t_loop))

        npg = sizes.postgis_points
        px, py = x[:npg], y[:npg]
        t_pg, res = best_of(sizes.baseline_repeats, lambda: postgis.locate(px, py, kind))  # noqa: B023
        agree(res, ours[:npg], "PostGIS")
        rows.append((kind, "(c) PostGIS unnest + ST_Contains", npg, t_pg))
        hit_rate = float((ours >= 0).mean())
        print(f"{kind}: {hit_rate:.1%} of points inside a fence; all methods agree")
        rate = n_points / t_ours
        if rate < TARGETS[kind]:
            ok = False
            print(f"  MISSED TARGET: {rate:,.0f} points/s < {TARGETS[kind]:,.0f}")

    print()
    print("| fences | method | points | best s | points/s | ours ÷ method |")
    print("|---|---|---:|---:|---:|---:|")
    ours_rate = {kind: n / t for kind, method, n, t in rows if method.startswith("FenceIndex.locate")}
    for kind, method, n, t in rows:
        label = f"{sizes.counties} counties" if kind == "jurisdiction" else f"{sizes.sites:,} sites"
        rate = n / t
        ratio = "1.0×" if method.startswith("FenceIndex.locate") else f"{ours_rate[kind] / rate:,.1f}×"
        print(f"| {label} | {method} | {n:,} | {t:.4f} | {rate:,.0f} | {ratio} |")
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
