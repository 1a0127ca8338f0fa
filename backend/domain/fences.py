"""The immutable in-memory fence index: which fence, of which kind, holds each point of a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import shapely

from backend.domain.fence_geometry import geodesic_area_m2
from backend.domain.fence_index import KindGrid, as_points

__all__ = ["FENCE_KINDS", "FenceIndex", "FenceRecord"]

FENCE_KINDS: Final[tuple[str, ...]] = ("jurisdiction", "source_site", "checkpoint", "restricted")


@dataclass(frozen=True)
class FenceRecord:
    """One fence as the index sees it: ``kind`` is one of FENCE_KINDS, geometry valid WGS-84 lon/lat."""

    id: int
    kind: str
    team_id: int | None
    geometry: shapely.Polygon | shapely.MultiPolygon

    def __post_init__(self) -> None:
        if self.kind not in FENCE_KINDS:
            raise ValueError(f"fence {self.id}: unknown kind {self.kind!r}; expected one of {FENCE_KINDS}")
        if not isinstance(self.geometry, shapely.Polygon | shapely.MultiPolygon) or self.geometry.is_empty:
            raise ValueError(f"fence {self.id}: geometry must be a non-empty Polygon or MultiPolygon")


class FenceIndex:
    """Immutable point-in-fence index: one uniform grid per kind, exact answers via shapely.contains_xy.

    Rule: a point is in a fence iff ``shapely.contains_xy(fence, lon, lat)`` (interior only: points exactly on
    a boundary, NaN and infinite coordinates never match). Nothing is mutated after ``__init__``, so any
    number of threads may query one instance; to apply changes build a new index and swap the reference.
    """

    def __init__(self, fences: Sequence[FenceRecord], version: int = 0) -> None:
        self._version = version
        self._records: dict[int, FenceRecord] = {}
        for fence in fences:
            if fence.id in self._records:
                raise ValueError(f"duplicate fence id {fence.id}")
            self._records[fence.id] = fence
        self._grids: dict[str, KindGrid] = {}
        for kind in FENCE_KINDS:
            of_kind = sorted((f for f in fences if f.kind == kind), key=lambda f: f.id)
            if not of_kind:
                continue
            # Private copies: preparing mutates a geometry, and callers' objects should stay untouched.
            geoms = shapely.from_wkb(shapely.to_wkb([f.geometry for f in of_kind]))
            ids = np.array([f.id for f in of_kind], dtype=np.int64)
            areas = np.array([geodesic_area_m2(f.geometry) for f in of_kind], dtype=np.float64)
            self._grids[kind] = KindGrid(geoms, ids, areas)

    @property
    def version(self) -> int:
        """The version number given at construction (e.g. the fence table's change counter)."""
        return self._version

    def __len__(self) -> int:
        """Number of fences of all kinds."""
        return len(self._records)

    def of_kind(self, kind: str) -> list[FenceRecord]:
        """Every fence of one kind, by id."""
        return sorted((f for f in self._records.values() if f.kind == kind), key=lambda f: f.id)

    def get(self, fence_id: int) -> FenceRecord | None:
        """The record with ``fence_id``, or None."""
        return self._records.get(fence_id)

    def match(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike, kind: str | None = None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """All (point_index, fence_id) pairs whose fence contains the point, optionally of one ``kind`` only.

        Rule: pairs sorted by point index then fence id, as two int64 arrays of equal length.
        """
        x, y = as_points(lon, lat)
        kinds = FENCE_KINDS if kind is None else (self._check_kind(kind),)
        found = [self._grids[k].match(x, y) for k in kinds if k in self._grids]
        if not found:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        if len(found) == 1:
            return found[0]
        points = np.concatenate([p for p, _ in found])
        ids = np.concatenate([f for _, f in found])
        order = np.lexsort((ids, points))
        return points[order], ids[order]

    def locate(self, lon: npt.ArrayLike, lat: npt.ArrayLike, kind: str) -> npt.NDArray[np.int64]:
        """Per point, the id of the containing fence of ``kind``, or -1.

        Rule: when several fences of that kind contain the point the smallest geodesic area wins (the most
        specific), ties going to the smaller id. Returns an int64 array of len(lon).
        """
        x, y = as_points(lon, lat)
        grid = self._grids.get(self._check_kind(kind))
        if grid is None:
            return np.full(x.shape[0], -1, dtype=np.int64)
        return grid.locate(x, y)

    @staticmethod
    def _check_kind(kind: str) -> str:
        if kind not in FENCE_KINDS:
            raise ValueError(f"unknown fence kind {kind!r}; expected one of {FENCE_KINDS}")
        return kind
