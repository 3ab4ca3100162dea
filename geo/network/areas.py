"""Service areas: the part of the road network within a walking distance of each source."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.ops import substring

from geo.network.build import RoadNetwork
from geo.network.distances import reach
from geo.network.snap import SnapResult

__all__ = ["service_areas"]


def service_areas(
    network: RoadNetwork,
    facilities: SnapResult,
    *,
    standard_m: float,
    buffer_m: float,
) -> list[tuple[int, float, shapely.Geometry | None]]:
    """The road network within ``standard_m`` of each snapped facility, as a polygon.

    Parameters
    ----------
    network
        The road network.
    facilities
        Snapped facilities.
    standard_m
        Walking standard ``S`` (m), connector included.
    buffer_m
        Half-width of the band around the reached roads.

    Returns
    -------
    list
        ``(row position in facilities.table, reached road length m, polygon or None)`` per
        snapped facility.

    Notes
    -----
    One bounded Dijkstra per facility (``limit = S``) gives the walking distance ``d(n)`` to each
    node. Of an edge ``(u, v)`` of length ``L`` the part within the standard is ``[0, S - d(u)]``
    from ``u`` and ``[L - (S - d(v)), L]`` from ``v``; the whole edge when they overlap. The
    facility's own edge adds ``[o - (S - c), o + (S - c)]`` around its snapped offset ``o``
    (connector ``c``). The pieces and the connector are buffered by ``buffer_m``.
    """
    eu, ev, elen = network.arrays()
    geoms = network.edges.geometry.to_numpy()
    tab = facilities.table
    out: list[tuple[int, float, shapely.Geometry | None]] = []
    for pos, d in reach(network, facilities, limit_m=standard_m):
        ru = standard_m - d[eu]  # reach left at u (negative or -inf: not reached)
        rv = standard_m - d[ev]
        ru = np.where(np.isfinite(ru), ru, -1.0)
        rv = np.where(np.isfinite(rv), rv, -1.0)
        whole = (ru >= elen) | (rv >= elen) | ((ru >= 0) & (rv >= 0) & (ru + rv >= elen))
        pieces: list[shapely.Geometry] = list(geoms[whole])
        length = float(elen[whole].sum())
        for e in np.flatnonzero(~whole & ((ru > 0) | (rv > 0))):
            if ru[e] > 0:
                pieces.append(substring(geoms[e], 0.0, float(ru[e])))
                length += float(ru[e])
            if rv[e] > 0:
                pieces.append(substring(geoms[e], float(elen[e] - rv[e]), float(elen[e])))
                length += float(rv[e])
        row = tab.iloc[int(pos)]
        left = standard_m - float(row["connector_m"])
        if left > 0:
            own = int(row["edge"])
            off = float(row["offset_m"])
            lo, hi = max(0.0, off - left), min(float(elen[own]), off + left)
            if not whole[own] and hi > lo:
                pieces.append(substring(geoms[own], lo, hi))
            pieces.append(
                shapely.LineString([(row["x"], row["y"]), (row["snap_x"], row["snap_y"])])
            )
        lines = np.asarray([p for p in pieces if not p.is_empty], dtype=object)
        # buffering each piece and dissolving the bands is 8x faster than buffering the union
        # of the pieces (GEOS nodes the whole network first); the polygon is the same
        poly = shapely.union_all(shapely.buffer(lines, buffer_m)) if len(lines) else None
        out.append((int(pos), length, poly))
    return out
