"""Uniform-grid point-in-polygon kernel behind FenceIndex (one KindGrid per fence kind)."""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import shapely

__all__ = ["KindGrid", "as_points"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# ~8 bytes per cell (int32 cell code + int32 match offset): 2**20 cells cost ~8 MB per kind.
_MAX_CELLS: Final = 1 << 20
# Finer cells than this relative to a typical fence only add memory: tests are already rare and cheap.
_CELLS_PER_FENCE: Final = 48
# Bounds the temporary arrays while classifying the cells under each fence's bounding box.
_CHUNK_CELLS: Final = 1 << 22


def as_points(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Coerce longitudes/latitudes to equal-length 1-D float64 arrays (a scalar becomes one point)."""
    x = np.ascontiguousarray(lon, dtype=np.float64).reshape(-1)
    y = np.ascontiguousarray(lat, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"lon and lat differ in length: {x.shape[0]} != {y.shape[0]}")
    return x, y


def _expand(starts: IntArray, counts: IntArray) -> tuple[IntArray, IntArray]:
    """For CSR slices [start, start+count): (owner index of each element, element position)."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(counts.shape[0], dtype=np.int64), counts)
    offsets = np.cumsum(counts) - counts
    pos = np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, counts)
    return owner, pos


class KindGrid:
    """Exact point-in-polygon lookups over one set of fences, accelerated by a uniform grid.

    Rule: a point is in fence f iff ``shapely.contains_xy(f, x, y)``. The grid only decides which fences
    must be asked: each cell lists the fences whose interior covers it entirely (answered without a test)
    and the fences whose boundary may cross it (tested). A cell counts as covered only if no boundary
    segment (densified, bounding boxes dilated by a few ulps) reaches it, so the whole cell lies on one side
    of the boundary and testing its centre decides it. Query points are mapped to cells with the very same
    floating-point formula, so rounding cannot put a point into a cell its boundary was not seen in.
    Instances are read-only after ``__init__`` (prepared geometries are warmed up there too): thread-safe.
    ``geoms`` are prepared in place and must be aligned with ``ids`` (strictly increasing) and ``areas``
    (the locate ranking); ``cell_size`` forces the cell edge for tests and tuning, within the cell budget.
    """

    def __init__(
        self,
        geoms: npt.NDArray[np.object_],
        ids: IntArray,
        areas: FloatArray,
        cell_size: float | None = None,
    ) -> None:
        n = ids.shape[0]
        if n == 0 or np.any(np.diff(ids) <= 0):
            raise ValueError("KindGrid needs at least one fence and strictly increasing ids")
        self._n = n
        self._geoms = geoms
        self._ids = ids
        shapely.prepare(geoms)
        # GEOS builds a prepared polygon's point locator lazily on first use; do it now, single-threaded.
        # A vertex passes the envelope short-cut, so it reaches the locator.
        xy, owner = shapely.get_coordinates(geoms, return_index=True)
        first_vertex = xy[np.unique(owner, return_index=True)[1]]
        shapely.contains_xy(geoms, first_vertex[:, 0], first_vertex[:, 1])

        parts, part_fence = shapely.get_parts(geoms, return_index=True)
        bounds = shapely.bounds(parts)
        minx, miny = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        maxx, maxy = float(bounds[:, 2].max()), float(bounds[:, 3].max())
        span = np.maximum(bounds[:, 2:] - bounds[:, :2], 0.0).max(axis=1)
        fence_span = np.zeros(n)
        np.maximum.at(fence_span, part_fence, span)
        typical = float(np.median(fence_span))
        extent_area = max(maxx - minx, 1e-12) * max(maxy - miny, 1e-12)
        g = cell_size or max(typical / _CELLS_PER_FENCE, math.sqrt(extent_area / _MAX_CELLS), 1e-9)
        while (((maxx - minx) / g) + 5) * (((maxy - miny) / g) + 5) > 1.5 * _MAX_CELLS:
            g *= 1.25
        self._g = g
        self._inv = 1.0 / g
        # One spare cell on each side keeps dilated boundaries off the padding cells, which must stay empty
        # because every NaN/outside point is clamped into them.
        self._x0 = minx - g
        self._y0 = miny - g
        self._nx = int((maxx + g - self._x0) * self._inv + 1.0)
        self._ny = int((maxy + g - self._y0) * self._inv + 1.0)
        self._w = self._nx + 2
        ncells = self._w * (self._ny + 2)
        self._eps = max(g * 1e-6, 64.0 * float(np.spacing(max(abs(minx), abs(maxx), abs(miny), abs(maxy)))))

        boundary = self._boundary_keys(parts, part_fence, ncells)
        e_key, e_full = self._classify(parts, part_fence, bounds, boundary, ncells)
        e_fence = e_key // ncells
        e_cell = e_key % ncells

        # Match lists: per cell, fences in id order (ids are sorted, so fence index order == id order).
        order = np.argsort(e_cell * n + e_fence, kind="stable")
        counts = np.bincount(e_cell, minlength=ncells)
        m_ptr = np.zeros(ncells + 1, dtype=np.int64)
        np.cumsum(counts, out=m_ptr[1:])
        self._m_ptr: npt.NDArray[np.signedinteger[Any]] = m_ptr.astype(np.int32 if m_ptr[-1] < 2**31 else np.int64)
        self._m_fence = e_fence[order].astype(np.int32)
        self._m_full = e_full[order]

        # Locate lists: per cell, fences by (area, id); whatever ranks after the first covering fence is moot.
        rank = np.empty(n, dtype=np.int64)
        rank[np.lexsort((ids, areas))] = np.arange(n)
        order = np.argsort(e_cell * n + rank[e_fence], kind="stable")
        cells, fences, full = e_cell[order], e_fence[order], e_full[order]
        full_before: IntArray = np.cumsum(full, dtype=np.int64) - full
        full_before -= full_before[m_ptr[cells]]
        tested = ~full & (full_before == 0)
        first_full = full & (full_before == 0)
        default = np.full(ncells, -1, dtype=np.int64)
        default[cells[first_full]] = fences[first_full]
        test_count = np.bincount(cells[tested], minlength=ncells)
        test_cells = np.flatnonzero(test_count)
        # Cell codes: 0..n-1 = answered by that fence, n = no fence, n+1+t = run test list t.
        code = np.where(default >= 0, default, n)
        code[test_cells] = n + 1 + np.arange(test_cells.shape[0])
        self._code: npt.NDArray[np.signedinteger[Any]] = code.astype(
            np.int32 if n + 1 + test_cells.shape[0] < 2**31 else np.int64
        )
        self._t_ptr = np.zeros(test_cells.shape[0] + 1, dtype=np.int64)
        np.cumsum(test_count[test_cells], out=self._t_ptr[1:])
        self._t_fence = fences[tested].astype(np.int32)
        fallback = default[test_cells]
        fallback_ids = np.where(fallback >= 0, ids[np.maximum(fallback, 0)], -1)
        self._lut: IntArray = np.concatenate([ids, np.array([-1], dtype=np.int64), fallback_ids]).astype(np.int64)
        for arr in (self._code, self._m_ptr, self._m_fence, self._m_full, self._t_ptr, self._t_fence):
            arr.flags.writeable = False
        self._lut.flags.writeable = False

    def _cell_x(self, x: FloatArray) -> IntArray:
        """Padded column of each x; below/above the grid and NaN go to the empty padding columns."""
        with np.errstate(over="ignore", invalid="ignore"):  # huge/inf inputs are clamped just below
            f = (x - self._x0) * self._inv + 1.0
        np.fmax(f, 0.0, out=f)
        np.fmin(f, self._nx + 1.0, out=f)
        return f.astype(np.int64)

    def _cell_y(self, y: FloatArray) -> IntArray:
        with np.errstate(over="ignore", invalid="ignore"):  # huge/inf inputs are clamped just below
            f = (y - self._y0) * self._inv + 1.0
        np.fmax(f, 0.0, out=f)
        np.fmin(f, self._ny + 1.0, out=f)
        return f.astype(np.int64)

    def _cells(self, x: FloatArray, y: FloatArray) -> IntArray:
        return self._cell_y(y) * self._w + self._cell_x(x)

    def _boundary_keys(self, parts: npt.NDArray[np.object_], part_fence: IntArray, ncells: int) -> IntArray:
        """Sorted unique fence*ncells+cell keys of every cell a ring segment may touch."""
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        rings = shapely.segmentize(rings, self._g * 0.5)
        xy, coord_ring = shapely.get_coordinates(rings, return_index=True)
        same = coord_ring[1:] == coord_ring[:-1]
        a, b = xy[:-1][same], xy[1:][same]
        seg_fence = part_fence[ring_part[coord_ring[:-1][same]]]
        lo, hi = np.minimum(a, b) - self._eps, np.maximum(a, b) + self._eps
        cx0, cx1 = self._cell_x(lo[:, 0]), self._cell_x(hi[:, 0])
        cy0, cy1 = self._cell_y(lo[:, 1]), self._cell_y(hi[:, 1])
        sx = cx1 - cx0 + 1
        seg, pos = _expand(np.zeros(sx.shape[0], dtype=np.int64), sx * (cy1 - cy0 + 1))
        cells = (cy0[seg] + pos // sx[seg]) * self._w + cx0[seg] + pos % sx[seg]
        return np.unique(seg_fence[seg] * ncells + cells)

    def _classify(
        self,
        parts: npt.NDArray[np.object_],
        part_fence: IntArray,
        bounds: FloatArray,
        boundary: IntArray,
        ncells: int,
    ) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """(key, covered) for every cell under a part's bounding box that is a boundary cell or inside."""
        cx0 = self._cell_x(bounds[:, 0] - self._eps)
        cx1 = self._cell_x(bounds[:, 2] + self._eps)
        cy0 = self._cell_y(bounds[:, 1] - self._eps)
        cy1 = self._cell_y(bounds[:, 3] + self._eps)
        width = cx1 - cx0 + 1
        size = width * (cy1 - cy0 + 1)
        keys: list[IntArray] = [boundary]
        chunk_start = 0
        cumulative = np.cumsum(size)
        while chunk_start < parts.shape[0]:
            done = int(cumulative[chunk_start - 1]) if chunk_start else 0
            limit = done + _CHUNK_CELLS
            chunk_end = max(int(np.searchsorted(cumulative, limit, side="right")), chunk_start + 1)
            sl = slice(chunk_start, chunk_end)
            part, pos = _expand(np.zeros(chunk_end - chunk_start, dtype=np.int64), size[sl])
            part += chunk_start
            col = pos % width[part]
            cx = cx0[part] + col
            cy = cy0[part] + pos // width[part]
            fence = part_fence[part]
            key = fence * ncells + cy * self._w + cx
            at = np.minimum(np.searchsorted(boundary, key), boundary.shape[0] - 1)
            is_boundary = boundary[at] == key
            # A horizontal run of boundary-free cells is connected and boundary-free, hence all in or all out.
            start = ~is_boundary
            start[1:] &= (col[1:] == 0) | is_boundary[:-1]
            run = np.cumsum(start) - 1
            first = np.flatnonzero(start)
            if first.size:  # else every cell of the chunk is a boundary cell
                inside_run = shapely.contains_xy(
                    self._geoms[fence[first]],
                    self._x0 + (cx[first] - 0.5) * self._g,
                    self._y0 + (cy[first] - 0.5) * self._g,
                )
                inside = ~is_boundary & inside_run[np.maximum(run, 0)]
                keys.append(key[inside])
            chunk_start = chunk_end
        inside_keys = np.unique(np.concatenate(keys[1:] or [np.empty(0, np.int64)]))
        all_keys = np.concatenate([boundary, inside_keys])
        full = np.concatenate([np.zeros(boundary.shape[0], bool), np.ones(inside_keys.shape[0], bool)])
        return all_keys, full

    def locate(self, x: FloatArray, y: FloatArray) -> IntArray:
        """Per point, the id of the containing fence with the smallest (area, id) rank, or -1."""
        code = self._code[self._cells(x, y)]
        out: IntArray = self._lut[code]
        need = np.flatnonzero(code > self._n)
        if need.size:
            t = code[need].astype(np.int64) - (self._n + 1)
            start = self._t_ptr[t]
            owner, pos = _expand(start, self._t_ptr[t + 1] - start)
            point = need[owner]
            fence = self._t_fence[pos]
            hit = shapely.contains_xy(self._geoms[fence], x[point], y[point])
            point, fence = point[hit], fence[hit]
            if point.size:
                # Candidates are in rank order per point, so the first hit is the most specific fence.
                first = np.ones(point.shape[0], dtype=bool)
                np.not_equal(point[1:], point[:-1], out=first[1:])
                out[point[first]] = self._ids[fence[first]]
        return out

    def match(self, x: FloatArray, y: FloatArray) -> tuple[IntArray, IntArray]:
        """All (point index, fence id) containment pairs, sorted by point index then fence id."""
        cells = self._cells(x, y)
        start = self._m_ptr[cells]
        count = self._m_ptr[cells + 1] - start
        owner, pos = _expand(start, count)
        fence = self._m_fence[pos]
        keep = self._m_full[pos]
        test = np.flatnonzero(~keep)
        if test.size:
            keep[test] = shapely.contains_xy(self._geoms[fence[test]], x[owner[test]], y[owner[test]])
        return owner[keep], self._ids[fence[keep]]
