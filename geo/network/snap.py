"""Snapping points onto the road network (:func:`snap_points`), with the connectors recorded.

A point joins the network at the nearest point of the nearest edge it may reach: the straight
connector from the point to it must not cross a barrier such as a river (:mod:`geo.network.barriers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from numpy.typing import NDArray

from geo.errors import CRSError, NetworkError
from geo.network.barriers import Barriers, crossing
from geo.network.build import RoadNetwork

__all__ = ["SNAP_REASONS", "SnapResult", "snap_points"]

#: Why a point was or was not snapped: ``ok``; ``too_far`` (no edge within the snap limit);
#: ``across_barrier`` (every edge within the limit lies across a barrier); ``empty`` (no geometry).
SNAP_REASONS = ("ok", "too_far", "across_barrier", "empty")
_OK, _TOO_FAR, _ACROSS, _EMPTY = range(4)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class SnapResult:
    """Points snapped onto the edges of a :class:`RoadNetwork`.

    Attributes
    ----------
    table
        One row per input point, index aligned to the input: ``edge`` (row of
        ``network.edges``, -1 when unsnapped), ``u``, ``v`` (-1 when unsnapped), ``offset_m``
        (distance along the edge from ``u``; NaN when unsnapped), ``connector_m`` (straight
        distance from the point to the network; for unsnapped points the distance to the nearest
        edge, NaN for empty geometries), ``snapped``, ``too_far``, ``crosses_barrier``,
        ``reason`` (one of :data:`SNAP_REASONS`), ``x``, ``y`` (the point) and ``snap_x``,
        ``snap_y`` (where it joins the network; NaN when unsnapped).
    limit_m
        The snap limit used.
    crs
        CRS of the coordinates (the network's).
    network_key
        :attr:`RoadNetwork.key` of the network snapped onto.
    """

    table: pd.DataFrame
    limit_m: float
    crs: pyproj.CRS
    network_key: tuple[int, int, float]

    def __len__(self) -> int:
        return len(self.table)

    @property
    def snapped(self) -> NDArray[np.bool_]:
        """Boolean mask of the points that joined the network."""
        mask: NDArray[np.bool_] = self.table["snapped"].to_numpy(dtype=bool)
        return mask

    @property
    def unsnapped(self) -> pd.DataFrame:
        """The rows of the points that did not join the network, to report them."""
        return self.table.loc[~self.snapped]

    def connectors(self) -> gpd.GeoSeries:
        """The straight connector lines of the snapped points (None for unsnapped ones)."""
        t = self.table
        ok = self.snapped
        geoms = np.full(len(t), None, dtype=object)
        if ok.any():
            start = t.loc[ok, ["x", "y"]].to_numpy()
            end = t.loc[ok, ["snap_x", "snap_y"]].to_numpy()
            geoms[ok] = shapely.linestrings(np.stack([start, end], axis=1))
        return gpd.GeoSeries(geoms, index=t.index, crs=self.crs)


def _as_geoseries(
    points: gpd.GeoSeries | gpd.GeoDataFrame, crs: pyproj.CRS, what: str
) -> gpd.GeoSeries:
    s = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if s.crs is None:
        msg = f"{what} have no CRS; give them the network's CRS ({crs.name})"
        raise CRSError(msg)
    if not pyproj.CRS.from_user_input(s.crs).equals(crs):
        s = s.to_crs(crs)
    return s


def snap_points(
    network: RoadNetwork,
    points: gpd.GeoSeries | gpd.GeoDataFrame,
    *,
    limit_m: float,
    barriers: gpd.GeoSeries | gpd.GeoDataFrame | None = None,
) -> SnapResult:
    """Snap points onto the nearest point of the nearest edge, recording the connector.

    Parameters
    ----------
    network
        The road network.
    points
        Point geometries (households, facilities, water spots...); reprojected to the network's
        CRS when needed.
    limit_m
        Farthest a point may be from the network (``Settings.snap_limit_m``). Points farther
        away are **not** snapped: they are reported with ``reason == "too_far"``.
    barriers
        Lines and polygons a connector may not cross (rivers, canals, ponds). When the nearest
        edge lies across a barrier, the next-nearest edges within ``limit_m`` are tried in order
        of distance; when all of them are across a barrier the point is reported with
        ``reason == "across_barrier"``. This keeps a house from being snapped to the road on the
        far bank of a river. A connector touching a barrier only at one of its ends does not
        cross it.

    Returns
    -------
    SnapResult

    Raises
    ------
    NetworkError
        A geometry is not a point.
    CRSError
        The points or barriers have no CRS.

    Notes
    -----
    The nearest edge is found exactly, without a nearest query per point in the STRtree:
    a KD-tree over sample points along every edge segment (:attr:`RoadNetwork.snap_index`,
    built on first use) gives each point a few candidate segments with a proof that no other
    segment is nearer (see :class:`~geo.network.edge_index.SnapIndex`), and the distances, offsets and snapped
    positions are computed with GEOS' own formulas, so they are bit for bit those of
    ``shapely``. The few points the samples cannot settle use the STRtree. Among equally near
    edges the lowest one wins. The points are searched in blocks, in spatial order, by one
    thread per core; one pass per output column puts them back in input order.

    With barriers, a raster of the cells the barriers may occupy (:class:`~geo.network.barriers.Barriers`) clears
    most connectors at once; only those near a barrier are built as lines and tested exactly.
    A point whose nearest edge is across a barrier tries the edges within the limit nearest
    first (then lowest), a few at a time, and keeps the first whose connector crosses none:
    the same choice as testing them all.
    """
    if not limit_m >= 0:
        msg = f"limit_m must be >= 0, got {limit_m}"
        raise ValueError(msg)
    pts = _as_geoseries(points, network.crs, "points")
    geoms = pts.to_numpy()
    xy, present = _point_xy(geoms)
    barrier_set = None
    if barriers is not None:
        bar = _as_geoseries(barriers, network.crs, "barriers").to_numpy()
        barrier_set = Barriers.build(bar, xy, float(limit_m))
    # arrays over the present points (all of them, usually: no copies)
    pxy = xy if present is None else xy[present]
    pgeoms = geoms if present is None else geoms[present]
    found = _nearest_edges(network, pxy, pgeoms, float(limit_m))
    if barrier_set is not None:
        _around_barriers(network, pxy, pgeoms, float(limit_m), barrier_set, found)
    return _snap_table(network, pts, xy, present, found, float(limit_m))


@dataclass(frozen=True, eq=False)
class _Found:
    """Per present point: edge (row of ``network.edges``), distance to it, offset along it,
    snapped position and reason code; filled in place by the barrier pass."""

    edge: IntArray
    dist: FloatArray
    off: FloatArray
    sx: FloatArray
    sy: FloatArray
    reason: NDArray[np.int8]


def _nearest_edges(
    network: RoadNetwork, pxy: FloatArray, pgeoms: NDArray[np.object_], limit_m: float
) -> _Found:
    """The nearest edge of every point, whatever the limit, so too-far points report their
    distance; the snap index settles most points, the STRtree the rare others."""
    index = network.snap_index
    pseg, dist, off, sx, sy = index.nearest(pxy)
    ei = np.take(index.seg_edge, pseg)
    unsettled = np.flatnonzero(pseg < 0)
    if len(unsettled):  # rare: exact search in the STRtree of the edges
        edge_geoms = network.edges.geometry.to_numpy()
        (_, ue), ud = network.tree.query_nearest(
            pgeoms[unsettled], return_distance=True, all_matches=False
        )
        ei[unsettled], dist[unsettled] = ue, ud
        slow = unsettled[ud <= limit_m]
        off[slow] = shapely.line_locate_point(edge_geoms[ei[slow]], pgeoms[slow])
        slow_xy = shapely.get_coordinates(
            shapely.line_interpolate_point(edge_geoms[ei[slow]], off[slow])
        )
        sx[slow], sy[slow] = slow_xy[:, 0], slow_xy[:, 1]
    reason = np.where(dist <= limit_m, _OK, _TOO_FAR).astype(np.int8)
    return _Found(ei, dist, off, sx, sy, reason)


def _around_barriers(
    network: RoadNetwork,
    pxy: FloatArray,
    pgeoms: NDArray[np.object_],
    limit_m: float,
    barrier_set: Barriers,
    found: _Found,
) -> None:
    """Points whose nearest edge is across a barrier try every edge within the limit, nearest
    first (then lowest), and take the first whose connector crosses none; the others are
    marked ``across_barrier``. Updates ``found`` in place."""
    near = np.flatnonzero(found.reason == _OK)
    blocked = near[
        crossing(pxy[near], np.column_stack([found.sx[near], found.sy[near]]), barrier_set)
    ]
    if len(blocked) == 0:
        return
    edge_geoms = network.edges.geometry.to_numpy()
    found.reason[blocked] = _ACROSS
    bp, be = network.tree.query(pgeoms[blocked], predicate="dwithin", distance=limit_m)
    bp = blocked[bp]
    bd = shapely.distance(pgeoms[bp], edge_geoms[be])
    order = np.lexsort((be, bd, bp))
    bp, be, bd = bp[order], be[order], bd[order]
    # candidates are tried a few per point at a time (each point may have hundreds of edges
    # within the limit, and usually the second one is good)
    first = np.flatnonzero(np.r_[True, bp[1:] != bp[:-1]])
    count = np.diff(np.r_[first, len(bp)])
    owner = np.repeat(np.arange(len(first)), count)
    rank = np.arange(len(bp)) - first[owner]
    settled = np.zeros(len(first), dtype=bool)
    lo, width = 0, 4
    while lo < count.max(initial=0):
        cand = np.flatnonzero((rank >= lo) & (rank < lo + width) & ~settled[owner])
        if len(cand) == 0:
            break
        ce = edge_geoms[be[cand]]
        boff = shapely.line_locate_point(ce, pgeoms[bp[cand]])
        bsxy = shapely.get_coordinates(shapely.line_interpolate_point(ce, boff))
        ok = ~crossing(pxy[bp[cand]], bsxy, barrier_set)
        cand, boff, bsxy = cand[ok], boff[ok], bsxy[ok]
        _, firsts = np.unique(owner[cand], return_index=True)  # cand is in order
        cand, boff, bsxy = cand[firsts], boff[firsts], bsxy[firsts]
        settled[owner[cand]] = True
        chosen = bp[cand]
        found.edge[chosen] = be[cand]
        found.dist[chosen] = bd[cand]
        found.off[chosen] = boff
        found.sx[chosen], found.sy[chosen] = bsxy[:, 0], bsxy[:, 1]
        found.reason[chosen] = _OK
        lo, width = lo + width, width * 4


def _snap_table(
    network: RoadNetwork,
    pts: gpd.GeoSeries,
    xy: FloatArray,
    present: IntArray | None,
    found: _Found,
    limit_m: float,
) -> SnapResult:
    """The :class:`SnapResult` of the points, in input order (empty ones ``reason == "empty"``)."""
    failed = found.reason != _OK
    if failed.any():
        found.edge[failed] = -1
        found.off[failed] = np.nan
        found.sx[failed] = np.nan
        found.sy[failed] = np.nan
    if present is None:
        edge, connector, offset = found.edge, found.dist, found.off
        snap_x, snap_y, reason = found.sx, found.sy, found.reason
    else:
        n = len(xy)
        edge = np.full(n, -1, dtype=np.int64)
        connector = np.full(n, np.nan)
        offset = np.full(n, np.nan)
        snap_x = np.full(n, np.nan)
        snap_y = np.full(n, np.nan)
        reason = np.full(n, _EMPTY, dtype=np.int8)
        edge[present], connector[present], offset[present] = found.edge, found.dist, found.off
        snap_x[present], snap_y[present], reason[present] = found.sx, found.sy, found.reason
    snapped = edge >= 0
    eu = network.edges["u"].to_numpy()
    ev = network.edges["v"].to_numpy()
    safe = np.maximum(edge, 0)
    table = pd.DataFrame(
        {
            "edge": edge,
            "u": np.where(snapped, eu[safe], -1),
            "v": np.where(snapped, ev[safe], -1),
            "offset_m": offset,
            "connector_m": connector,
            "snapped": snapped,
            "too_far": reason == _TOO_FAR,
            "crosses_barrier": reason == _ACROSS,
            "reason": _reason_labels(reason),
            "x": xy[:, 0],
            "y": xy[:, 1],
            "snap_x": snap_x,
            "snap_y": snap_y,
        },
        index=pts.index,
    )
    return SnapResult(table=table, limit_m=limit_m, crs=network.crs, network_key=network.key)


def _point_xy(geoms: NDArray[np.object_]) -> tuple[FloatArray, IntArray | None]:
    """Coordinates of point geometries (NaN for missing or empty ones) and the positions of the
    present ones (``None`` when all are: the usual case, one pass over the geometries).

    Raises
    ------
    NetworkError
        A geometry is not a point.
    """
    tid = shapely.get_type_id(geoms)
    if (tid == 0).all():
        xy = shapely.get_coordinates(geoms)
        if len(xy) == len(geoms):  # one coordinate pair per point: none is empty
            return xy, None
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    non_point = ~empty & (tid != 0)
    if non_point.any():
        msg = f"only points can be snapped; {int(non_point.sum())} geometries are not points"
        raise NetworkError(msg)
    present = np.flatnonzero(~empty)
    xy = np.full((len(geoms), 2), np.nan)
    xy[present] = shapely.get_coordinates(geoms[present])
    return xy, present


def _reason_labels(codes: NDArray[np.int8]) -> Any:
    """:data:`SNAP_REASONS` of the codes, as the text array pandas would infer from the labels
    (taken from the four labels, not inferred from a million Python strings)."""
    if len(codes) == 0:  # pandas infers no text dtype from an empty array: keep it an object one
        return np.array(SNAP_REASONS, dtype=object)[codes]
    labels = pd.Series(np.array(SNAP_REASONS, dtype=object)).array
    return labels.take(codes.astype(np.intp))
