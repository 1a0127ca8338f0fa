"""FenceIndex / KindGrid agree with a brute-force shapely.contains_xy over every fence."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.domain.fence_geometry import geodesic_area_m2
from backend.domain.fence_index import KindGrid
from backend.domain.fences import FenceIndex, FenceRecord

Geom: TypeAlias = shapely.Polygon | shapely.MultiPolygon
IntArray = npt.NDArray[np.int64]
KINDS = ("jurisdiction", "restricted")


# ---------------------------------------------------------------- brute force reference


def brute_match(
    fences: Sequence[FenceRecord], x: np.ndarray, y: np.ndarray, kind: str | None
) -> tuple[IntArray, IntArray]:
    chosen = sorted((f for f in fences if kind is None or f.kind == kind), key=lambda f: f.id)
    if not chosen:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    inside = np.array([shapely.contains_xy(f.geometry, x, y) for f in chosen]).reshape(len(chosen), -1)
    point, which = np.nonzero(inside.T)  # row-major over points, then fences in id order
    ids = np.array([f.id for f in chosen], dtype=np.int64)
    return point.astype(np.int64), ids[which]


def brute_locate(fences: Sequence[FenceRecord], x: np.ndarray, y: np.ndarray, kind: str) -> IntArray:
    out = np.full(x.shape[0], -1, dtype=np.int64)
    best: list[tuple[float, int]] = [(math.inf, 0)] * x.shape[0]
    for f in fences:
        if f.kind != kind:
            continue
        key = (geodesic_area_m2(f.geometry), f.id)
        for i in np.flatnonzero(shapely.contains_xy(f.geometry, x, y)):
            if key < best[i]:
                best[i] = key
                out[i] = f.id
    return out


def check_against_brute_force(fences: Sequence[FenceRecord], x: np.ndarray, y: np.ndarray) -> None:
    index = FenceIndex(fences)
    for kind in (*KINDS, None):
        got_p, got_f = index.match(x, y, kind)
        exp_p, exp_f = brute_match(fences, x, y, kind)
        assert got_p.dtype == np.int64 and got_f.dtype == np.int64
        np.testing.assert_array_equal(got_p, exp_p, err_msg=f"match points, kind={kind}")
        np.testing.assert_array_equal(got_f, exp_f, err_msg=f"match fences, kind={kind}")
    for kind in KINDS:
        got = index.locate(x, y, kind)
        assert got.dtype == np.int64 and got.shape == x.shape
        np.testing.assert_array_equal(got, brute_locate(fences, x, y, kind), err_msg=f"locate, kind={kind}")


def probe_points(fences: Sequence[FenceRecord], rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Random points over the extent plus the nastiest ones: vertices, edge midpoints, NaN, inf, far away."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    if fences:
        x0, y0, x1, y1 = shapely.total_bounds([f.geometry for f in fences])
        w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
        xs.append(rng.uniform(x0 - 0.05 * w, x1 + 0.05 * w, n))
        ys.append(rng.uniform(y0 - 0.05 * h, y1 + 0.05 * h, n))
        for f in fences:
            xy = shapely.get_coordinates(f.geometry)
            mid = (xy[1:] + xy[:-1]) / 2
            xs += [xy[:, 0], mid[:, 0]]
            ys += [xy[:, 1], mid[:, 1]]
        xs.append(np.array([x0, x1, x0, x1, np.nextafter(x0, -np.inf), np.nextafter(x1, np.inf)]))
        ys.append(np.array([y0, y1, y1, y0, y0, y1]))
    xs.append(np.array([np.nan, 0.5, np.inf, -np.inf, 1e300, np.nan, -1e300]))
    ys.append(np.array([0.5, np.nan, 0.5, np.inf, 0.0, np.nan, -1e300]))
    return np.concatenate(xs), np.concatenate(ys)


# ---------------------------------------------------------------- random fences


def star(rng: np.random.Generator, cx: float, cy: float, r: float, k: int, lo: float, hi: float) -> np.ndarray:
    # Jittered, evenly spread angles keep every angular gap below pi: star-shaped, hence simple.
    angle = (np.arange(k) + rng.uniform(-0.35, 0.35, k)) * (2 * math.pi / k)
    radius = r * rng.uniform(lo, hi, k)
    out: np.ndarray = np.column_stack([cx + radius * np.cos(angle), cy + radius * np.sin(angle)])
    return out


def make_geometry(shape: str, cx: float, cy: float, r: float, k: int, seed: int) -> Geom:
    rng = np.random.default_rng(seed)
    if shape == "box":
        return shapely.box(cx - r, cy - r * 0.7, cx + r, cy + r * 0.7)
    if shape == "convex":
        hull = shapely.MultiPoint(star(rng, cx, cy, r, max(k, 3), 0.2, 1.0)).convex_hull
        return hull if isinstance(hull, shapely.Polygon) else shapely.box(cx, cy, cx + r, cy + r)
    if shape == "star":
        return shapely.Polygon(star(rng, cx, cy, r, k, 0.3, 1.0))
    if shape == "holed":
        # Outer vertices at >= 0.6 r with gaps < 1.8 rad keep every edge beyond 0.37 r; holes stay within 0.35 r.
        k = max(k, 6)
        return shapely.Polygon(star(rng, cx, cy, r, k, 0.6, 1.0), [star(rng, cx, cy, r, 5, 0.05, 0.35)])
    parts = [shapely.Polygon(star(rng, cx + 2.2 * r * i, cy, r, k, 0.3, 1.0)) for i in range(int(rng.integers(2, 4)))]
    return shapely.MultiPolygon(parts)


ORIGINS = [(0.0, 0.0), (113.0, 34.5), (-75.0, -60.0), (165.0, 75.0)]
fence_spec = st.tuples(
    st.sampled_from(["box", "convex", "star", "holed", "multi"]),
    st.floats(0.0, 10.0),
    st.floats(0.0, 10.0),
    st.floats(0.002, 3.0),
    st.integers(3, 40),
    st.integers(0, 2**32 - 1),
    st.sampled_from(KINDS),
    st.booleans(),
)


@st.composite
def fence_sets(draw: st.DrawFn) -> list[FenceRecord]:
    ox, oy = draw(st.sampled_from(ORIGINS))
    scale = draw(st.sampled_from([1.0, 0.01]))
    records: list[FenceRecord] = []
    for i, (shape, cx, cy, r, k, seed, kind, duplicate) in enumerate(draw(st.lists(fence_spec, max_size=12))):
        geom = make_geometry(shape, ox + cx * scale, oy + cy * scale, r * scale, k, seed)
        assert geom.is_valid, shapely.is_valid_reason(geom)
        records.append(FenceRecord(10 * i + 3, kind, None, geom))
        if duplicate:  # identical twin: locate must break the area tie by the smaller id
            records.append(FenceRecord(10 * i + 7, kind, 1, geom))
    return records


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fences=fence_sets(), seed=st.integers(0, 2**32 - 1))
def test_matches_brute_force(fences: list[FenceRecord], seed: int) -> None:
    x, y = probe_points(fences, np.random.default_rng(seed), 400)
    check_against_brute_force(fences, x, y)


@settings(max_examples=60, deadline=None)
@given(
    fences=fence_sets(),
    points=st.lists(st.tuples(st.floats(-0.5, 10.5), st.floats(-0.5, 10.5)), min_size=1, max_size=30),
)
def test_matches_brute_force_on_drawn_points(fences: list[FenceRecord], points: list[tuple[float, float]]) -> None:
    if fences:
        ox, oy = shapely.total_bounds([f.geometry for f in fences])[:2]
        points = [(ox + px, oy + py) for px, py in points]
    x, y = np.array(points).T
    check_against_brute_force(fences, x, y)


# ---------------------------------------------------------------- grid edge cases


def grid_of(geoms: Sequence[Geom], cell_size: float | None = None) -> KindGrid:
    arr = shapely.from_wkb(shapely.to_wkb(list(geoms)))
    areas = np.array([geodesic_area_m2(g) for g in geoms])
    return KindGrid(arr, np.arange(1, len(geoms) + 1, dtype=np.int64), areas, cell_size)


def brute_grid(geoms: Sequence[Geom], x: np.ndarray, y: np.ndarray) -> tuple[IntArray, IntArray]:
    fences = [FenceRecord(i + 1, "restricted", None, g) for i, g in enumerate(geoms)]
    return brute_locate(fences, x, y, "restricted"), np.concatenate(brute_match(fences, x, y, None))


def assert_grid_exact(grid: KindGrid, geoms: Sequence[Geom], x: np.ndarray, y: np.ndarray) -> None:
    located, matched = brute_grid(geoms, x, y)
    np.testing.assert_array_equal(grid.locate(x, y), located)
    np.testing.assert_array_equal(np.concatenate(grid.match(x, y)), matched)


def lattice(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Every lattice value also with its floating-point neighbours on both sides.
    v = np.concatenate([values, np.nextafter(values, -np.inf), np.nextafter(values, np.inf)])
    gx, gy = np.meshgrid(v, v)
    return gx.ravel(), gy.ravel()


def test_edges_on_cell_borders() -> None:
    # Extent starts at 0 and cells are 0.25 wide, so every fence edge lies exactly on a cell border.
    geoms = [
        shapely.box(0.0, 0.0, 2.0, 2.0),
        shapely.box(0.5, 0.5, 1.0, 1.0),
        shapely.Polygon([(0.25, 0.25), (1.75, 0.25), (1.75, 1.75)]),  # diagonal through cell corners
        shapely.Polygon(shapely.box(1.0, 1.0, 2.0, 2.0).exterior, [shapely.box(1.25, 1.25, 1.75, 1.75).exterior]),
    ]
    grid = grid_of(geoms, cell_size=0.25)
    assert grid._g == 0.25 and grid._x0 == -0.25
    x, y = lattice(np.arange(-0.5, 2.6, 0.125))
    assert_grid_exact(grid, geoms, x, y)
    # Points on a boundary are outside (contains_xy semantics), even where a cell is otherwise covered.
    np.testing.assert_array_equal(grid.locate(np.array([0.5, 0.75, 1.0]), np.array([0.75, 1.0, 0.9])), [1, 1, 3])
    np.testing.assert_array_equal(grid.locate(np.array([0.75]), np.array([0.75])), [2])


def test_points_exactly_on_computed_cell_borders() -> None:
    geoms = [shapely.Polygon(star(np.random.default_rng(s), 3 * s, 2 * s, 2.0, 30, 0.3, 1.0)) for s in range(4)]
    grid = grid_of(geoms)
    k = np.arange(-2, max(grid._nx, grid._ny) + 3)
    # x0 + k*g is exactly where the cell formula flips; rounding may go either way and must not matter.
    xs = grid._x0 + k * grid._g
    ys = grid._y0 + k * grid._g
    gx, gy = np.meshgrid(
        np.concatenate([xs, np.nextafter(xs, np.inf)]), np.concatenate([ys, np.nextafter(ys, -np.inf)])
    )
    assert_grid_exact(grid, geoms, gx.ravel(), gy.ravel())


def test_points_at_and_just_beyond_the_extent() -> None:
    geoms = [shapely.box(0.0, 0.0, 1.0, 1.0), shapely.Polygon([(1.0, 0.0), (3.0, 0.0), (3.0, 2.0), (1.0, 0.0)])]
    grid = grid_of(geoms)
    edges = np.array([0.0, 1.0, 2.0, 3.0, 0.5, 2.5])
    x, y = lattice(edges)
    assert_grid_exact(grid, geoms, x, y)
    inside = np.array([np.nextafter(3.0, 0.0)]), np.array([np.nextafter(0.0, 1.0)])
    np.testing.assert_array_equal(grid.locate(*inside), [2])


def test_fence_smaller_than_a_cell() -> None:
    tiny = shapely.box(0.3, 0.3, 0.3 + 1e-6, 0.3 + 1e-6)
    geoms = [shapely.box(0.0, 0.0, 10.0, 10.0), tiny, shapely.box(0.29, 0.29, 0.31, 0.31)]
    grid = grid_of(geoms, cell_size=1.0)
    x = np.array([0.3 + 5e-7, 0.3 + 2e-6, 0.3 - 1e-9, 0.295, 5.0, 0.3 + 1e-6])
    y = np.array([0.3 + 5e-7, 0.3 + 5e-7, 0.3 + 5e-7, 0.295, 5.0, 0.3 + 5e-7])
    np.testing.assert_array_equal(grid.locate(x, y), [2, 3, 3, 3, 1, 3])
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(0.3 - 1e-6, 0.3 + 2e-6, 2000), rng.uniform(-1, 11, 2000)])
    y = np.concatenate([rng.uniform(0.3 - 1e-6, 0.3 + 2e-6, 2000), rng.uniform(-1, 11, 2000)])
    assert_grid_exact(grid, geoms, x, y)


def test_lone_fence_inside_a_single_cell() -> None:
    # Every cell under the fence is a boundary cell: nothing to classify as covered.
    geoms = [shapely.box(0.2, 0.2, 0.3, 0.3)]
    grid = grid_of(geoms, cell_size=10.0)
    np.testing.assert_array_equal(grid.locate(np.array([0.25, 0.35, 0.3]), np.array([0.25, 0.25, 0.25])), [1, -1, -1])


@pytest.mark.parametrize(("max_cells", "chunk_cells"), [(64, 1 << 22), (1 << 20, 16), (300, 7)])
def test_tiny_cell_budget_and_chunking_stay_exact(
    monkeypatch: pytest.MonkeyPatch, max_cells: int, chunk_cells: int
) -> None:
    import backend.domain.fence_index as kernel

    monkeypatch.setattr(kernel, "_MAX_CELLS", max_cells)
    monkeypatch.setattr(kernel, "_CHUNK_CELLS", chunk_cells)
    rng = np.random.default_rng(max_cells)
    geoms = [
        shapely.Polygon(star(rng, rng.uniform(0, 4), rng.uniform(0, 4), rng.uniform(0.05, 1.5), 20, 0.3, 1.0))
        for _ in range(25)
    ]
    grid = grid_of(geoms)
    assert (grid._nx + 2) * (grid._ny + 2) <= 1.5 * max_cells + 50
    x, y = rng.uniform(-1, 6, 5000), rng.uniform(-1, 6, 5000)
    assert_grid_exact(grid, geoms, x, y)


def test_fence_larger_than_the_extent_of_the_others() -> None:
    rng = np.random.default_rng(11)
    small = [
        shapely.Polygon(star(rng, 50 + rng.uniform(-5, 5), 40 + rng.uniform(-5, 5), 0.3, 12, 0.4, 1)) for _ in range(30)
    ]
    big = shapely.Polygon(star(rng, 50, 40, 30.0, 60, 0.8, 1.0))
    geoms = [*small, big]
    grid = grid_of(geoms)
    x = np.concatenate([rng.uniform(44, 56, 5000), rng.uniform(15, 85, 5000)])
    y = np.concatenate([rng.uniform(34, 46, 5000), rng.uniform(5, 75, 5000)])
    assert_grid_exact(grid, geoms, x, y)
    located = grid.locate(x, y)
    assert (located == len(geoms)).sum() > 1000 and ((located >= 1) & (located <= 30)).sum() > 100


def test_multipolygon_with_far_apart_parts() -> None:
    geom = shapely.MultiPolygon([shapely.box(0, 0, 0.01, 0.01), shapely.box(40, 30, 40.01, 30.01)])
    geoms: list[Geom] = [geom, shapely.box(20, 15, 20.5, 15.5)]
    grid = grid_of(geoms)
    x = np.array([0.005, 40.005, 20.2, 20.0, 10.0])
    y = np.array([0.005, 30.005, 15.2, 15.0, 10.0])
    np.testing.assert_array_equal(grid.locate(x, y), [1, 1, 2, -1, -1])


def test_kind_grid_rejects_unsorted_ids() -> None:
    arr = np.array([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)], dtype=object)
    with pytest.raises(ValueError, match="strictly increasing"):
        KindGrid(arr, np.array([2, 1], dtype=np.int64), np.ones(2))


# ---------------------------------------------------------------- FenceIndex behaviour


def rec(fid: int, kind: str, geom: Geom, team: int | None = None) -> FenceRecord:
    return FenceRecord(fid, kind, team, geom)


def test_empty_index_and_empty_input() -> None:
    index = FenceIndex([], version=4)
    assert len(index) == 0 and index.version == 4 and index.get(1) is None
    out = index.locate([113.0, np.nan], [37.0, 1.0], "jurisdiction")
    np.testing.assert_array_equal(out, [-1, -1])
    assert out.dtype == np.int64
    p, f = index.match([113.0], [37.0])
    assert p.shape == f.shape == (0,) and p.dtype == f.dtype == np.int64

    index = FenceIndex([rec(1, "jurisdiction", shapely.box(113, 37, 114, 38))])
    assert index.locate([], [], "jurisdiction").shape == (0,)
    assert index.locate([], [], "checkpoint").shape == (0,)
    p, f = index.match(np.empty(0), np.empty(0))
    assert p.shape == f.shape == (0,) and p.dtype == f.dtype == np.int64


def test_non_finite_and_outside_points_never_match() -> None:
    everywhere = shapely.box(100, 30, 120, 45)
    index = FenceIndex([rec(1, "restricted", everywhere), rec(2, "restricted", shapely.box(113, 37, 114, 38))])
    x = [np.nan, np.inf, -np.inf, 113.5, np.nan, 1e308, 200.0, 113.5]
    y = [37.5, 37.5, 37.5, np.nan, np.nan, 0.0, 0.0, 37.5]
    np.testing.assert_array_equal(index.locate(x, y, "restricted"), [-1, -1, -1, -1, -1, -1, -1, 2])
    p, f = index.match(x, y)
    np.testing.assert_array_equal(p, [7, 7])
    np.testing.assert_array_equal(f, [1, 2])


def test_boundary_points_are_not_contained() -> None:
    a, b = shapely.box(113, 37, 114, 38), shapely.box(114, 37, 115, 38)
    index = FenceIndex([rec(1, "jurisdiction", a), rec(2, "jurisdiction", b)])
    x = [114.0, 113.0, 113.5, 114.0, 113.5, 114.5]
    y = [37.5, 37.0, 38.0, 38.0, 37.5, 37.5]
    np.testing.assert_array_equal(index.locate(x, y, "jurisdiction"), [-1, -1, -1, -1, 1, 2])


def test_locate_prefers_smallest_area_then_smallest_id() -> None:
    county = shapely.box(113, 37, 114, 38)
    district = shapely.box(113.2, 37.2, 113.4, 37.4)
    index = FenceIndex(
        [
            rec(9, "jurisdiction", county),
            rec(5, "jurisdiction", district),
            rec(3, "jurisdiction", shapely.box(113.2, 37.2, 113.4, 37.4)),  # same area as 5: id decides
            rec(1, "restricted", shapely.box(112, 36, 115, 39)),
        ]
    )
    x, y = [113.3, 113.7, 112.5], [37.3, 37.7, 36.5]
    np.testing.assert_array_equal(index.locate(x, y, "jurisdiction"), [3, 9, -1])
    np.testing.assert_array_equal(index.locate(x, y, "restricted"), [1, 1, 1])
    np.testing.assert_array_equal(index.locate(x, y, "checkpoint"), [-1, -1, -1])
    p, f = index.match(x, y)
    np.testing.assert_array_equal(p, [0, 0, 0, 0, 1, 1, 2])
    np.testing.assert_array_equal(f, [1, 3, 5, 9, 1, 9, 1])
    p, f = index.match(x, y, "jurisdiction")
    np.testing.assert_array_equal(p, [0, 0, 0, 1])
    np.testing.assert_array_equal(f, [3, 5, 9, 9])


def test_records_versions_and_errors() -> None:
    r1 = rec(1, "source_site", shapely.box(113, 37, 113.01, 37.01), team=7)
    r2 = rec(2, "checkpoint", shapely.box(114, 37, 114.01, 37.01))
    index = FenceIndex([r1, r2], version=12)
    assert len(index) == 2 and index.version == 12
    assert index.get(1) is r1 and index.get(2) is r2 and index.get(3) is None
    with pytest.raises(ValueError, match="duplicate fence id 1"):
        FenceIndex([r1, rec(1, "checkpoint", shapely.box(0, 0, 1, 1))])
    with pytest.raises(ValueError, match="unknown fence kind 'site'"):
        index.locate([113.0], [37.0], "site")
    with pytest.raises(ValueError, match="unknown fence kind"):
        index.match([113.0], [37.0], "Jurisdiction")
    with pytest.raises(ValueError, match="unknown kind 'county'"):
        rec(3, "county", shapely.box(0, 0, 1, 1))
    with pytest.raises(ValueError, match="non-empty Polygon or MultiPolygon"):
        rec(4, "checkpoint", shapely.Polygon())
    with pytest.raises(ValueError, match="differ in length"):
        index.locate([113.0, 114.0], [37.0], "checkpoint")


def test_accepts_lists_scalars_and_integer_arrays() -> None:
    index = FenceIndex([rec(1, "restricted", shapely.box(0, 0, 10, 10))])
    np.testing.assert_array_equal(index.locate(5, 5, "restricted"), [1])
    np.testing.assert_array_equal(index.locate(np.array([5, 20]), np.array([5, 5]), "restricted"), [1, -1])
    np.testing.assert_array_equal(index.locate((5.0, 0.0), [5.0, 5.0], "restricted"), [1, -1])


def test_callers_geometries_are_left_unprepared() -> None:
    geom = shapely.box(113, 37, 114, 38)
    FenceIndex([rec(1, "jurisdiction", geom)])
    assert not shapely.is_prepared(geom)


def test_results_are_fresh_arrays() -> None:
    index = FenceIndex([rec(1, "restricted", shapely.box(0, 0, 10, 10))])
    first = index.locate([5.0], [5.0], "restricted")
    first[0] = 99
    np.testing.assert_array_equal(index.locate([5.0], [5.0], "restricted"), [1])


def test_concurrent_readers_get_identical_answers() -> None:
    rng = np.random.default_rng(3)
    fences = [
        rec(
            i,
            KINDS[i % 2],
            shapely.Polygon(star(rng, rng.uniform(0, 5), rng.uniform(0, 5), rng.uniform(0.1, 1), 25, 0.3, 1)),
        )
        for i in range(60)
    ]
    index = FenceIndex(fences)
    x, y = rng.uniform(-1, 6, 20_000), rng.uniform(-1, 6, 20_000)
    expected = index.locate(x, y, "restricted")
    failures: list[str] = []

    def reader() -> None:
        for _ in range(5):
            if not np.array_equal(index.locate(x, y, "restricted"), expected):
                failures.append("mismatch")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    np.testing.assert_array_equal(expected, brute_locate(fences, x, y, "restricted"))


def test_county_like_tiling_and_scattered_sites() -> None:
    rng = np.random.default_rng(21)
    region = shapely.box(110, 34.5, 116, 39.5)
    seeds = shapely.multipoints(np.c_[rng.uniform(110, 116, 25), rng.uniform(34.5, 39.5, 25)])
    cells = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=region)), region)
    fences = [rec(i + 1, "jurisdiction", shapely.segmentize(c, 0.05)) for i, c in enumerate(cells.tolist())]
    fences += [
        rec(
            1000 + i,
            "restricted",
            shapely.Polygon(star(rng, rng.uniform(110, 116), rng.uniform(34.5, 39.5), 0.01, 12, 0.5, 1)),
        )
        for i in range(300)
    ]
    x, y = rng.uniform(109.9, 116.1, 20_000), rng.uniform(34.4, 39.6, 20_000)
    check_against_brute_force(fences, x, y)
