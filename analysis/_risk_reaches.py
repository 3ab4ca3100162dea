"""Cutting water lines and shores into reaches, vectorised (private helper of analysis.risk)."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Vertices this close (m) to a cut are dropped: the cut point itself stands for them.
_CUT_EPS = 1e-9


def water_lines(geoms: NDArray[np.object_]) -> tuple[NDArray[np.object_], IntArray]:
    """Every water as single lines: lines as they are, polygons by their exterior rings (shores).

    Returns the lines and the row position of the water each comes from.
    """
    parts, row = shapely.get_parts(geoms, return_index=True)
    is_poly = shapely.get_type_id(parts) == 3
    lines = parts.copy()
    if is_poly.any():
        rings = shapely.get_exterior_ring(parts[is_poly])
        coords, idx = shapely.get_coordinates(rings, return_index=True)
        lines[is_poly] = shapely.linestrings(coords, indices=idx)
    keep = ~shapely.is_empty(lines) & (shapely.length(lines) > 0)
    return lines[keep], row[keep].astype(np.int64)


def cut_reaches(
    lines: NDArray[np.object_], max_length_m: float
) -> tuple[NDArray[np.object_], IntArray, IntArray]:
    """Cut every line into equal reaches of at most ``max_length_m``.

    A line of length ``L`` becomes ``ceil(L / max_length_m)`` reaches of equal length. Works on
    the coordinates of all lines at once: the cut points are interpolated, each vertex is given to
    the reach its distance along the line falls in, and the reaches are rebuilt with one
    ``shapely.linestrings`` call.

    Returns
    -------
    reaches, line_of, rank
        The reach LineStrings, the position in ``lines`` each comes from, and its rank along the
        line (0-based).
    """
    if len(lines) == 0:
        empty = np.empty(0, dtype=np.int64)
        return np.empty(0, dtype=object), empty, empty
    length = shapely.length(lines)
    n_cut = np.maximum(np.ceil(length / max_length_m - 1e-9), 1).astype(np.int64)
    step = length / n_cut
    first = np.concatenate([[0], np.cumsum(n_cut)[:-1]])
    n_reach = int(n_cut.sum())
    line_of = np.repeat(np.arange(len(lines), dtype=np.int64), n_cut)
    rank = np.arange(n_reach, dtype=np.int64) - first[line_of]
    start_d = rank * step[line_of]
    end_d = np.where(rank == n_cut[line_of] - 1, length[line_of], (rank + 1) * step[line_of])
    start_xy = shapely.get_coordinates(shapely.line_interpolate_point(lines[line_of], start_d))
    end_xy = shapely.get_coordinates(shapely.line_interpolate_point(lines[line_of], end_d))

    coords, vline = shapely.get_coordinates(lines, return_index=True)
    seg = np.hypot(*np.diff(coords, axis=0).T)
    same = vline[1:] == vline[:-1]
    cum = np.concatenate([[0.0], np.cumsum(np.where(same, seg, 0.0))])
    line_start = np.concatenate([[0], np.flatnonzero(~same) + 1])
    cum = cum - cum[line_start][np.searchsorted(line_start, np.arange(len(vline)), "right") - 1]
    k = np.clip(np.floor(cum / step[vline]).astype(np.int64), 0, n_cut[vline] - 1)
    inner = (cum - k * step[vline] > _CUT_EPS) & ((k + 1) * step[vline] - cum > _CUT_EPS)
    inner &= (cum > _CUT_EPS) & (length[vline] - cum > _CUT_EPS)
    v_reach = first[vline] + k

    reach_id = np.concatenate([np.arange(n_reach), v_reach[inner], np.arange(n_reach)])
    order_key = np.concatenate([np.zeros(n_reach), 1 + cum[inner] - start_d[v_reach[inner]]])
    order_key = np.concatenate([order_key, np.full(n_reach, np.inf)])
    xy = np.concatenate([start_xy, coords[inner], end_xy])
    order = np.lexsort((order_key, reach_id))
    reaches = shapely.linestrings(xy[order], indices=reach_id[order])
    return np.asarray(reaches, dtype=object), line_of, rank
