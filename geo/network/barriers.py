"""Barriers a connector may not cross (rivers, canals, ponds), for :func:`geo.network.snap_points`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

__all__ = ["Barriers", "crossing"]

#: Barrier contacts within this distance (m) of a connector's ends are touches, not crossings.
_TOUCH_EPS = 1e-3

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: The barrier raster of :class:`Barriers` has at most this many cells along its longer side.
_BARRIER_CELLS = 1024


@dataclass(frozen=True, eq=False)
class Barriers:
    """The barriers of one :func:`snap_points` call: an STRtree for the exact crossing test and
    a raster of the cells they may occupy, to skip the test for the connectors far from them.

    The raster covers the points' bounding box grown by the snap limit, so it holds every
    connector. A cell is marked when a barrier line, a polygon's ring, or a polygon's interior
    may meet it, and the marks are grown by one cell: a conservative superset (ring pieces cut
    to half a cell mark the cells of their bounding box; a cell meeting a polygon's interior
    without meeting its boundary lies inside it, so its centre does). A connector whose
    bounding box holds no marked cell (one lookup in a summed-area table) cannot meet a
    barrier; only the others are built as lines and tested in the STRtree.
    """

    tree: shapely.STRtree
    x0: float
    y0: float
    cell: float
    shape: tuple[int, int]  # rows, columns
    sat: NDArray[np.int64]  # summed-area table of the marks, (rows + 1, columns + 1)

    @classmethod
    def build(cls, bar: NDArray[np.object_], xy: FloatArray, margin: float) -> Barriers | None:
        bar = bar[~(shapely.is_missing(bar) | shapely.is_empty(bar))]
        if len(bar) == 0:
            return None
        tree = shapely.STRtree(bar)
        # extent of the points, NaN (empty points) ignored
        x0, x1 = np.fmin.reduce(xy[:, 0], initial=np.inf), np.fmax.reduce(xy[:, 0], initial=-np.inf)
        y0, y1 = np.fmin.reduce(xy[:, 1], initial=np.inf), np.fmax.reduce(xy[:, 1], initial=-np.inf)
        if not (np.isfinite(x0) and np.isfinite(y0)):  # no point: nothing to test
            return cls(tree, 0.0, 0.0, 1.0, (1, 1), np.array([[0, 0], [0, 1]]))
        x0, y0 = x0 - margin - 1.0, y0 - margin - 1.0
        x1, y1 = x1 + margin + 1.0, y1 + margin + 1.0
        cell = max(float(x1 - x0), float(y1 - y0)) / _BARRIER_CELLS
        cols = int((x1 - x0) / cell) + 1
        rows = int((y1 - y0) / cell) + 1
        marks = np.zeros((rows, cols), dtype=bool)

        parts = shapely.get_parts(bar)
        while (shapely.get_type_id(parts) == 7).any():  # nested collections
            parts = shapely.get_parts(parts)
        tid = shapely.get_type_id(parts)
        polys = parts[tid == 3]
        lines = np.concatenate([parts[(tid == 1) | (tid == 2)], shapely.boundary(polys)])
        lines = shapely.clip_by_rect(lines, x0 - cell, y0 - cell, x1 + cell, y1 + cell)
        lines = shapely.segmentize(lines, cell / 2)
        pts = np.concatenate(
            [shapely.get_coordinates(lines), shapely.get_coordinates(parts[tid == 0])]
        )
        coords, which = shapely.get_coordinates(lines, return_index=True)

        def index(v: FloatArray, lo: float, n: int) -> IntArray:
            return np.clip(np.floor((v - lo) / cell), 0, n - 1).astype(np.int64)

        ix, iy = index(pts[:, 0], x0, cols), index(pts[:, 1], y0, rows)
        marks[iy, ix] = True
        # pieces no longer than half a cell: their bounding box spans at most 2 x 2 cells
        cx, cy = index(coords[:, 0], x0, cols), index(coords[:, 1], y0, rows)
        same = np.flatnonzero(which[1:] == which[:-1])
        for a in (same, same + 1):
            for b in (same, same + 1):
                marks[cy[a], cx[b]] = True
        for poly in polys:  # interiors: the cells whose centre is inside
            bx0, by0, bx1, by1 = shapely.bounds(poly)
            c0, c1 = index(np.array([bx0, bx1]), x0, cols)
            r0, r1 = index(np.array([by0, by1]), y0, rows)
            gx, gy = np.meshgrid(np.arange(c0, c1 + 1), np.arange(r0, r1 + 1))
            shapely.prepare(poly)
            inside = shapely.contains_xy(poly, x0 + (gx + 0.5) * cell, y0 + (gy + 0.5) * cell)
            marks[gy[inside], gx[inside]] = True
        grown = marks.copy()
        grown[1:] |= marks[:-1]
        grown[:-1] |= marks[1:]
        wide = grown.copy()
        wide[:, 1:] |= grown[:, :-1]
        wide[:, :-1] |= grown[:, 1:]
        sat = np.zeros((rows + 1, cols + 1), dtype=np.int64)
        np.cumsum(np.cumsum(wide, axis=0), axis=1, out=sat[1:, 1:])
        return cls(tree, float(x0), float(y0), cell, (rows, cols), sat)

    def near(self, starts: FloatArray, ends: FloatArray) -> NDArray[np.bool_]:
        """Whether each connector's bounding box meets a marked cell (may meet a barrier)."""
        rows, cols = self.shape

        def index(v: FloatArray, lo: float, n: int) -> IntArray:
            return np.clip(np.floor((v - lo) / self.cell), 0, n - 1).astype(np.int64)

        c0 = index(np.minimum(starts[:, 0], ends[:, 0]), self.x0, cols)
        c1 = index(np.maximum(starts[:, 0], ends[:, 0]), self.x0, cols) + 1
        r0 = index(np.minimum(starts[:, 1], ends[:, 1]), self.y0, rows)
        r1 = index(np.maximum(starts[:, 1], ends[:, 1]), self.y0, rows) + 1
        s = self.sat.ravel()
        w = cols + 1
        r0 *= w
        r1 *= w
        box = np.take(s, r1 + c1)
        box -= np.take(s, r0 + c1)
        box -= np.take(s, r1 + c0)
        box += np.take(s, r0 + c0)
        return box > 0


def crossing(starts: FloatArray, ends: FloatArray, barriers: Barriers | None) -> NDArray[np.bool_]:
    """Whether each connector (start -> end) crosses a barrier; touching at an end is allowed.

    Only the connectors :meth:`Barriers.near` cannot clear are built and tested exactly.
    """
    out = np.zeros(len(starts), dtype=bool)
    if barriers is None or len(starts) == 0:
        return out
    cand = np.flatnonzero(barriers.near(starts, ends))
    if len(cand) == 0:
        return out
    starts, ends = starts[cand], ends[cand]
    d = ends - starts
    dist = np.hypot(d[:, 0], d[:, 1])
    long = dist > 2 * _TOUCH_EPS
    if not long.any():
        return out
    unit = d[long] / dist[long, None]
    a = starts[long] + unit * _TOUCH_EPS
    b = ends[long] - unit * _TOUCH_EPS
    lines = shapely.linestrings(np.stack([a, b], axis=1))
    hit = barriers.tree.query(lines, predicate="intersects")[0]
    idx = cand[np.flatnonzero(long)]
    out[idx[np.unique(hit)]] = True
    return out
