"""The routable road network: walking distances along roads, the hot path of Tongan.

The roads layer is turned once into a :class:`RoadNetwork`; households, children's homes and water
spots are then snapped onto its edges (:func:`snap_points`) and walking distances are computed
with one multi-source Dijkstra run (:func:`distances_from`) or one many-to-many run
(:func:`distance_matrix`).

Topology rules (:func:`build_network`)
--------------------------------------
* Vertices closer than ``tolerance_m`` are merged (KD-tree clustering, single linkage), so road
  ends digitised a few decimetres apart still meet.
* A junction is a line end, or a vertex used more than once: shared by two lines or visited twice
  by the same line. Lines are split at junctions; each piece between two junctions is an edge.
* Two lines that merely *cross* without a shared vertex are **not** connected: bridges and
  overpasses must not become junctions. Digitise a shared vertex where roads really meet.
* Every edge is walkable in both directions.

Walking distance
----------------
The distance from a point A to a point B is ``connector(A) + along-network distance between
their snapped positions + connector(B)``, where a connector is the straight segment from a point
to the nearest point of the nearest edge it may reach (not crossing a barrier such as a river).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyproj
import shapely
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from geo.crs import require_metric
from geo.errors import CRSError, NetworkError

__all__ = [
    "SNAP_REASONS",
    "NearestSource",
    "RoadNetwork",
    "SnapResult",
    "build_network",
    "distance_matrix",
    "distances_from",
    "snap_points",
]

#: Why a point was or was not snapped: ``ok``; ``too_far`` (no edge within the snap limit);
#: ``across_barrier`` (every edge within the limit lies across a barrier); ``empty`` (no geometry).
SNAP_REASONS = ("ok", "too_far", "across_barrier", "empty")
_OK, _TOO_FAR, _ACROSS, _EMPTY = range(4)

_DEFAULT_KIND = "village_road"
#: Offsets this close (m) to an edge end count as the end node itself; snapped positions are
#: rounded to this resolution so two points at the same place share one inserted node.
_OFFSET_EPS = 1e-6
#: Barrier contacts within this distance (m) of a connector's ends are touches, not crossings.
_TOUCH_EPS = 1e-3
#: Constant added to every source stub edge so no edge weight is zero (csgraph reads explicit
#: zeros of a sparse matrix as edges, but many sparse operations drop them); subtracted after.
_STUB_SHIFT = 1.0
#: Snapping index (:class:`_SnapIndex`): every edge segment is cut into equal pieces no longer
#: than this (m) and the centre of each piece goes into a KD-tree.
_SNAP_SPACING = 16.0
#: Samples fetched per point, first pass and retry; points still unsettled use the STRtree.
_SNAP_K = (6, 16, 64)
#: Points per block of the vectorised candidate search (bounds the temporary arrays).
_SNAP_CHUNK = 1 << 16

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """A routable, undirected walking network built from the roads layer.

    Attributes
    ----------
    graph
        osmnx-compatible ``networkx.MultiDiGraph``: graph attribute ``crs``; nodes ``0..n-1`` with
        ``x``, ``y``; every road edge in both directions with ``length`` (m), ``geometry``
        (LineString oriented from ``u`` to ``v``), ``osmid`` and ``road_id`` (the road's id),
        ``kind``, ``edge`` (row of :attr:`edges`), ``oneway=False`` and ``reversed``.
    node_xy
        ``(n, 2)`` node coordinates.
    csr
        ``(n, n)`` symmetric sparse matrix of edge lengths, the shortest of parallel edges;
        self-loops are left out.
    edges
        One row per undirected edge: ``u``, ``v``, ``length``, ``kind``, ``road_id``, geometry
        oriented from ``u`` to ``v``.
    tree
        ``shapely.STRtree`` over ``edges.geometry`` for nearest-edge queries.
    components
        Connected-component label of every node.
    crs
        The projected metric CRS of every coordinate.
    routable
        Mask of the edges in :attr:`csr`: not a self-loop, and the shortest of parallel edges
        (a longer parallel edge is never on a shortest path).
    key
        A fingerprint of the network, stored in each :class:`SnapResult` made on it.
    """

    node_xy: FloatArray = field(repr=False)
    csr: csr_matrix = field(repr=False)
    edges: gpd.GeoDataFrame = field(repr=False)
    tree: shapely.STRtree = field(repr=False)
    components: IntArray = field(repr=False)
    crs: pyproj.CRS = field(repr=False)
    routable: NDArray[np.bool_] = field(repr=False)
    key: tuple[int, int, float]

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The osmnx-compatible MultiDiGraph, built on first use.

        Shortest paths run on :attr:`csr`; the graph is the interface to osmnx and networkx
        (plotting, export, checks), so the hot path never pays for building it.
        """
        return _to_graph(self.edges, self.node_xy, self.crs)

    @functools.cached_property
    def snap_index(self) -> _SnapIndex:
        """The KD-tree over densified edge segments used by :func:`snap_points`, built on first use."""
        return _SnapIndex.build(self.edges.geometry.to_numpy(), _SNAP_SPACING)

    @property
    def n_nodes(self) -> int:
        """Number of nodes (junctions and dead ends)."""
        return int(self.node_xy.shape[0])

    @property
    def n_edges(self) -> int:
        """Number of undirected edges."""
        return len(self.edges)

    @property
    def n_components(self) -> int:
        """Number of connected parts of the network."""
        return int(self.components.max()) + 1 if len(self.components) else 0

    def arrays(self) -> tuple[IntArray, IntArray, FloatArray]:
        """``u``, ``v`` and ``length`` of every edge as numpy arrays."""
        e = self.edges
        return (
            e["u"].to_numpy(dtype=np.int64),
            e["v"].to_numpy(dtype=np.int64),
            e["length"].to_numpy(dtype=np.float64),
        )


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
        return self.table["snapped"].to_numpy(dtype=bool)

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


@dataclass(frozen=True, eq=False)
class NearestSource:
    """Walking distance from each target to its nearest source.

    Unpacks as ``distance_m, nearest_source = distances_from(...)``.

    Attributes
    ----------
    distance_m
        ``(n_targets,)`` walking distance in metres; ``inf`` when the target is unsnapped, no
        snapped source is in its connected part of the network, or it is beyond ``limit_m``.
    nearest_source
        ``(n_targets,)`` position (0-based row) of the nearest source in ``sources.table``;
        -1 where the distance is ``inf``.
    reason
        ``(n_targets,)`` ``"ok"``, the target's snap reason when it is unsnapped (``too_far``,
        ``across_barrier``, ``empty``), or ``"unreachable"``.
    index
        Index of the targets (``targets.table.index``).
    """

    distance_m: FloatArray
    nearest_source: IntArray
    reason: NDArray[np.object_]
    index: pd.Index

    def __iter__(self) -> Iterator[Any]:
        yield self.distance_m
        yield self.nearest_source

    def to_frame(self) -> pd.DataFrame:
        """The result as a DataFrame indexed like the targets."""
        return pd.DataFrame(
            {
                "distance_m": self.distance_m,
                "nearest_source": self.nearest_source,
                "reason": self.reason,
            },
            index=self.index,
        )


# --------------------------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------------------------


def _cluster_vertices(xy: FloatArray, tolerance_m: float) -> tuple[IntArray, FloatArray]:
    """Merge vertices closer than ``tolerance_m`` (single linkage).

    Returns the cluster label of every vertex and the coordinates of every cluster (the mean of
    its members; identical coordinates collapse exactly).
    """
    # one complex number per vertex: a 1-D unique, several times faster than unique(axis=0)
    as_complex = np.ascontiguousarray(xy, dtype=np.float64).view(np.complex128).reshape(-1)
    uniq_c, inverse = np.unique(as_complex, return_inverse=True)
    uniq = np.column_stack([uniq_c.real, uniq_c.imag])
    inverse = inverse.reshape(-1)
    if tolerance_m > 0 and len(uniq) > 1:
        pairs = cKDTree(uniq).query_pairs(r=tolerance_m, output_type="ndarray")
    else:
        pairs = np.empty((0, 2), dtype=np.int64)
    if len(pairs) == 0:
        return inverse.astype(np.int64), uniq
    n = len(uniq)
    adj = csr_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(adj, directed=False)
    counts = np.bincount(labels)
    centers = np.column_stack([np.bincount(labels, weights=uniq[:, i]) / counts for i in range(2)])
    return labels[inverse].astype(np.int64), centers


def _line_parts(roads: gpd.GeoDataFrame) -> tuple[NDArray[np.object_], IntArray]:
    """Single LineStrings of the layer and the row position each comes from."""
    geoms = roads.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    types = shapely.get_type_id(geoms)
    bad = present & ~np.isin(types, [1, 5])  # LineString, MultiLineString
    if bad.any():
        kinds = sorted({g.geom_type for g in geoms[bad]})
        msg = f"the roads layer must hold lines; found {', '.join(kinds)} in {int(bad.sum())} rows"
        raise NetworkError(msg)
    rows = np.flatnonzero(present)
    parts, part_of = shapely.get_parts(geoms[rows], return_index=True)
    return parts, rows[part_of].astype(np.int64)


def build_network(roads: gpd.GeoDataFrame, *, tolerance_m: float = 0.5) -> RoadNetwork:
    """Turn the roads layer into a routable walking network.

    Parameters
    ----------
    roads
        The roads layer (``ROADS`` schema) in a projected metric CRS. ``id`` and ``kind`` are
        used when present (the row index and ``"village_road"`` otherwise). MultiLineStrings are
        split into their parts.
    tolerance_m
        Vertices closer than this are merged into one, so line ends that nearly meet connect.
        Merging is transitive (a chain of vertices each within the tolerance of the next becomes
        one node); keep it well below the length of the shortest real road segment.

    Returns
    -------
    RoadNetwork

    Raises
    ------
    CRSError
        The layer is not in a projected CRS in metres.
    NetworkError
        The layer has no usable line, or holds non-line geometries.

    Notes
    -----
    Lines are split (noded) at every junction: a line end, or a vertex shared by several lines
    (or visited twice by one line), after merging vertices within ``tolerance_m``. Lines that
    merely cross each other without a shared vertex are **not** connected, so a bridge over a road
    stays a bridge; where two roads really meet, the data must have a vertex there.
    """
    require_metric(roads, layer="roads")
    if tolerance_m < 0:
        msg = f"tolerance_m must be >= 0, got {tolerance_m}"
        raise ValueError(msg)
    if len(roads) == 0:
        msg = "the roads layer is empty: no walking distance can be computed"
        raise NetworkError(msg)
    crs = pyproj.CRS.from_user_input(roads.crs)
    parts, part_row = _line_parts(roads)
    if len(parts) == 0:
        msg = "the roads layer has no line geometry: no walking distance can be computed"
        raise NetworkError(msg)

    # --- vertices, merged within the tolerance ----------------------------------------------
    xy, vpart = shapely.get_coordinates(parts, return_index=True)
    vpart = vpart.astype(np.int64)
    vid, centers = _cluster_vertices(xy, tolerance_m)
    # drop repeated consecutive vertices of a part (created by the merge, or in the data)
    keep = np.ones(len(vid), dtype=bool)
    keep[1:] = (vid[1:] != vid[:-1]) | (vpart[1:] != vpart[:-1])
    vid, vpart = vid[keep], vpart[keep]
    # drop parts left with fewer than two vertices (zero length)
    nvert = np.bincount(vpart, minlength=len(parts))
    keep = nvert[vpart] >= 2
    vid, vpart = vid[keep], vpart[keep]
    if len(vid) == 0:
        msg = "every road line has zero length: no walking distance can be computed"
        raise NetworkError(msg)
    first = np.ones(len(vid), dtype=bool)
    first[1:] = vpart[1:] != vpart[:-1]
    last = np.ones(len(vid), dtype=bool)
    last[:-1] = vpart[1:] != vpart[:-1]

    # --- junctions: line ends and vertices used more than once ------------------------------
    uses = np.bincount(vid, minlength=len(centers))
    is_junction = np.zeros(len(centers), dtype=bool)
    is_junction[uses >= 2] = True
    is_junction[vid[first | last]] = True
    node_ids = np.flatnonzero(is_junction)
    node_of = np.full(len(centers), -1, dtype=np.int64)
    node_of[node_ids] = np.arange(len(node_ids))
    node_xy = centers[node_ids]

    # --- split parts at junctions into edges ------------------------------------------------
    at_node = is_junction[vid]
    # run index of the part each vertex belongs to (0, 1, 2... over the surviving parts)
    part_run = np.cumsum(first) - 1
    # edge starting at (or running through) each vertex: nodes seen so far minus one, shifted
    # by one per earlier part because a part with k nodes makes k - 1 edges
    edge_of = np.cumsum(at_node) - 1 - part_run
    vert_index = np.arange(len(vid))
    own = ~last
    dup = at_node & ~first  # an interior junction also ends the previous edge
    e_ids = np.concatenate([edge_of[own], edge_of[dup] - 1])
    v_pos = np.concatenate([vert_index[own], vert_index[dup]])
    order = np.lexsort((v_pos, e_ids))
    e_ids, v_pos = e_ids[order], v_pos[order]
    geoms = shapely.linestrings(centers[vid[v_pos]], indices=e_ids)
    n_edges = len(geoms)
    starts = np.searchsorted(e_ids, np.arange(n_edges), side="left")
    ends = np.searchsorted(e_ids, np.arange(n_edges), side="right") - 1
    u = node_of[vid[v_pos[starts]]]
    v = node_of[vid[v_pos[ends]]]
    length = shapely.length(geoms)
    src_row = part_row[vpart[v_pos[starts]]]

    road_ids = roads["id"].to_numpy(dtype=object) if "id" in roads else roads.index.to_numpy()
    if "kind" in roads:
        kinds = roads["kind"].astype(object).where(roads["kind"].notna(), _DEFAULT_KIND)
        kind_arr = kinds.to_numpy(dtype=object)
    else:
        kind_arr = np.full(len(roads), _DEFAULT_KIND, dtype=object)
    edges = gpd.GeoDataFrame(
        {
            "u": u,
            "v": v,
            "length": length,
            "kind": kind_arr[src_row],
            "road_id": road_ids[src_row],
        },
        geometry=gpd.GeoSeries(geoms, crs=crs),
        crs=crs,
    )

    n = len(node_xy)
    routable = _shortest_of_parallel(u, v, length)
    ru, rv, rw = u[routable], v[routable], length[routable]
    csr = csr_matrix(
        (np.concatenate([rw, rw]), (np.concatenate([ru, rv]), np.concatenate([rv, ru]))),
        shape=(n, n),
    )
    _, components = connected_components(csr, directed=False)
    return RoadNetwork(
        node_xy=node_xy,
        csr=csr,
        edges=edges,
        tree=shapely.STRtree(geoms),
        components=components.astype(np.int64),
        crs=crs,
        routable=routable,
        key=(n, n_edges, round(float(length.sum()), 3)),
    )


def _shortest_of_parallel(u: IntArray, v: IntArray, w: FloatArray) -> NDArray[np.bool_]:
    """Mask of edges that are no self-loop and the shortest of their parallel edges."""
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((w, hi, lo))
    first = np.ones(len(u), dtype=bool)
    first[1:] = (lo[order][1:] != lo[order][:-1]) | (hi[order][1:] != hi[order][:-1])
    out = np.zeros(len(u), dtype=bool)
    out[order[first]] = True
    return out & (u != v)


def _to_graph(edges: gpd.GeoDataFrame, node_xy: FloatArray, crs: pyproj.CRS) -> nx.MultiDiGraph:
    """The osmnx-style MultiDiGraph: both directions, geometry oriented from u to v."""
    graph = nx.MultiDiGraph(crs=crs)
    graph.add_nodes_from(
        (i, {"x": float(x), "y": float(y)}) for i, (x, y) in enumerate(node_xy.tolist())
    )
    geoms = edges.geometry.to_numpy()
    rev = shapely.reverse(geoms)
    u = edges["u"].to_numpy(dtype=np.int64)
    v = edges["v"].to_numpy(dtype=np.int64)
    length = edges["length"].to_numpy(dtype=np.float64).tolist()
    kind = edges["kind"].to_numpy()
    rid = edges["road_id"].to_numpy()
    # both directions; explicit keys 0, 1, ... per (u, v) as osmnx numbers parallel edges
    # (much faster than letting networkx find a free key edge by edge)
    du, dv = np.concatenate([u, v]), np.concatenate([v, u])
    order = np.lexsort((np.arange(len(du)), dv, du))
    new = np.ones(len(du), dtype=bool)
    new[1:] = (du[order][1:] != du[order][:-1]) | (dv[order][1:] != dv[order][:-1])
    run_start = np.maximum.accumulate(np.where(new, np.arange(len(du)), 0))
    keys = np.empty(len(du), dtype=np.int64)
    keys[order] = np.arange(len(du)) - run_start
    m = len(u)
    ul, vl, kl = u.tolist(), v.tolist(), keys.tolist()
    graph.add_edges_from(
        (
            a,
            b,
            k,
            {
                "length": length[i],
                "geometry": g,
                "osmid": rid[i],
                "road_id": rid[i],
                "kind": kind[i],
                "edge": i,
                "oneway": False,
                "reversed": r,
            },
        )
        for i, a, b, k, g, r in itertools.chain(
            zip(range(m), ul, vl, kl[:m], geoms, [False] * m, strict=True),
            zip(range(m), vl, ul, kl[m:], rev, [True] * m, strict=True),
        )
    )
    return graph


# --------------------------------------------------------------------------------------------
# snapping
# --------------------------------------------------------------------------------------------


def _point_segment_distance(
    px: FloatArray, py: FloatArray, ax: FloatArray, ay: FloatArray, bx: FloatArray, by: FloatArray
) -> FloatArray:
    """Distance from points to segments, elementwise, with GEOS' formula and order of operations.

    This is ``geos::algorithm::Distance::pointToSegment``, so the distance to the nearest
    segment of a line is bit for bit what ``shapely.distance`` and ``STRtree.query_nearest``
    report for the line. Segments have a non-zero length (:func:`build_network` drops repeated
    vertices).
    """
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    qx, qy = px - ax, py - ay
    r = (qx * dx + qy * dy) / len2
    out = np.abs((ay - py) * dx - (ax - px) * dy)
    out /= len2
    out *= np.sqrt(len2)
    at_a = r <= 0.0
    at_b = r >= 1.0
    if at_a.any():
        out[at_a] = np.sqrt(qx[at_a] * qx[at_a] + qy[at_a] * qy[at_a])
    if at_b.any():
        ex, ey = (px - bx)[at_b], (py - by)[at_b]
        out[at_b] = np.sqrt(ex * ex + ey * ey)
    return out


@dataclass(frozen=True, eq=False)
class _SnapIndex:
    """Exact nearest-edge search for many points: a KD-tree over densified edge segments.

    Every segment of every edge is cut into equal pieces at most ``spacing`` long and the centre
    of each piece is a sample; every point of a segment is within ``half`` (half the longest
    piece) of one of the segment's samples. So a segment at distance ``d`` from a point P has a
    sample within ``d + half`` of P: once the exact distances to the segments of P's ``k``
    nearest samples give a best ``d``, and the ``k``-th sample is farther than ``d + half``, no
    other segment can be as near, and the best is P's nearest segment (ties included).
    """

    tree: cKDTree
    sample_seg: IntArray  # segment of each sample
    seg: FloatArray  # (m, 4): start x, y and end x, y of each segment
    seg_edge: IntArray  # edge of each segment
    seg_d: FloatArray  # (m, 2): end minus start
    seg_len2: FloatArray  # squared length, as GEOS computes it
    seg_root: FloatArray  # its square root
    seg_len: FloatArray  # GEOS' segment length
    seg_start: FloatArray  # distance along the edge to the segment's start, summed as GEOS does
    seg_last: NDArray[np.bool_]  # the segment ends its edge
    half: float
    cell: float  # cell size used to sort query points spatially

    @classmethod
    def build(cls, edge_geoms: NDArray[np.object_], spacing: float) -> _SnapIndex:
        xy, part = shapely.get_coordinates(edge_geoms, return_index=True)
        inner = np.flatnonzero(part[1:] == part[:-1])
        seg = np.column_stack([xy[inner], xy[inner + 1]])
        seg_edge = part[inner].astype(np.int64)
        dx, dy = seg[:, 0] - seg[:, 2], seg[:, 1] - seg[:, 3]
        seg_len = np.sqrt(dx * dx + dy * dy)
        seg_d = seg[:, 2:] - seg[:, :2]
        seg_len2 = seg_d[:, 0] * seg_d[:, 0] + seg_d[:, 1] * seg_d[:, 1]
        # start measure: summed segment after segment along each edge, as GEOS does
        first = np.ones(len(seg), dtype=bool)
        first[1:] = seg_edge[1:] != seg_edge[:-1]
        last = np.ones(len(seg), dtype=bool)
        last[:-1] = first[1:]
        pos = np.arange(len(seg)) - np.maximum.accumulate(np.where(first, np.arange(len(seg)), 0))
        seg_start = np.zeros(len(seg))
        by_pos = np.argsort(pos, kind="stable")
        bounds = np.searchsorted(pos[by_pos], np.arange(1, int(pos.max(initial=0)) + 2))
        for a, b in itertools.pairwise(bounds):
            i = by_pos[a:b]
            seg_start[i] = seg_start[i - 1] + seg_len[i - 1]
        pieces = np.maximum(np.ceil(seg_len / spacing), 1).astype(np.int64)
        sample_seg = np.repeat(np.arange(len(seg), dtype=np.int64), pieces)
        j = np.arange(len(sample_seg), dtype=np.int64) - (np.cumsum(pieces) - pieces)[sample_seg]
        t = (j + 0.5) / pieces[sample_seg]
        ss = seg[sample_seg]
        samples = ss[:, :2] + (ss[:, 2:] - ss[:, :2]) * t[:, None]
        half = float((seg_len / pieces).max()) / 2
        return cls(
            tree=cKDTree(samples, balanced_tree=False),
            sample_seg=sample_seg,
            seg=seg,
            seg_edge=seg_edge,
            seg_d=seg_d,
            seg_len2=seg_len2,
            seg_root=np.sqrt(seg_len2),
            seg_len=seg_len,
            seg_start=seg_start,
            seg_last=last,
            half=half,
            cell=16 * spacing,
        )

    def _distance(self, p: FloatArray, seg: IntArray) -> FloatArray:
        """GEOS' distance from each point (row of ``p``) to the segments ``seg`` (``(n, k)``).

        :func:`_point_segment_distance` on the stored segments, computed in place.
        """
        px, py = p[:, 0, None], p[:, 1, None]
        s = self.seg
        qx = px - s[:, 0][seg]
        qy = py - s[:, 1][seg]
        dx, dy = self.seg_d[:, 0][seg], self.seg_d[:, 1][seg]
        r = qx * dx
        r += qy * dy
        out = qx * dy
        out -= qy * dx
        len2 = self.seg_len2[seg]
        r /= len2
        np.abs(out, out=out)
        out /= len2
        out *= self.seg_root[seg]
        at = r <= 0.0
        if at.any():
            ex, ey = qx[at], qy[at]
            out[at] = np.sqrt(ex * ex + ey * ey)
        at = r >= 1.0
        if at.any():
            sb = seg[at]
            ex = np.broadcast_to(px, seg.shape)[at] - s[sb, 2]
            ey = np.broadcast_to(py, seg.shape)[at] - s[sb, 3]
            out[at] = np.sqrt(ex * ex + ey * ey)
        return out

    def _search(self, xy: FloatArray, k: int) -> tuple[IntArray, FloatArray]:
        """Nearest segment (-1 when ``k`` samples cannot prove it) and distance of each point."""
        n_samples = len(self.sample_seg)
        k = min(k, n_samples)
        seg_out = np.full(len(xy), -1, dtype=np.int64)
        dist_out = np.full(len(xy), np.inf)
        for lo in range(0, len(xy), _SNAP_CHUNK):
            p = xy[lo : lo + _SNAP_CHUNK]
            d, j = self.tree.query(p, k=[*range(1, k + 1)], workers=-1)
            seg = self.sample_seg[j]
            sd = self._distance(p, seg)
            best = sd.min(axis=1)
            # ties: the lowest segment, i.e. the lowest edge and its first segment, as GEOS'
            # line_locate_point takes the first of equally near segments
            bseg = np.where(sd == best[:, None], seg, np.iinfo(np.int64).max).min(axis=1)
            # margin for the rounding of the KD-tree's distances: a false doubt only costs time
            proven = d[:, -1] > (best + self.half) * (1 + 1e-9) + 1e-9
            if k == n_samples:
                proven[:] = True
            seg_out[lo : lo + len(p)] = np.where(proven, bseg, -1)
            dist_out[lo : lo + len(p)] = best
        return seg_out, dist_out

    def nearest(self, xy: FloatArray) -> tuple[IntArray, FloatArray]:
        """Nearest segment of every point and the exact distance to it (GEOS' value).

        The lowest segment wins ties. Points the search cannot settle (many equally near
        samples: far from every road, or in a dense tangle of roads) get segment -1.
        """
        n = len(xy)
        seg = np.full(n, -1, dtype=np.int64)
        dist = np.full(n, np.inf)
        if n == 0 or len(self.sample_seg) == 0:
            return seg, dist
        # queries in spatial order are several times faster (the tree stays in cache)
        c = ((xy - xy.min(axis=0)) / self.cell).astype(np.int64)
        order = np.argsort(c[:, 1] * (int(c[:, 0].max()) + 1) + c[:, 0])
        todo = order
        for k in _SNAP_K:
            s, d = self._search(xy[todo], k)
            seg[todo], dist[todo] = s, d
            todo = todo[s < 0]
            if len(todo) == 0:
                break
        return seg, dist

    def locate(self, xy: FloatArray, seg: IntArray) -> tuple[FloatArray, FloatArray]:
        """Offset along the edge and nearest point of each point on its segment ``seg``.

        Bit for bit ``shapely.line_locate_point`` and ``shapely.line_interpolate_point`` (GEOS'
        ``LengthIndexedLine``) when ``seg`` is the first nearest segment of the edge.
        """
        s = self.seg[seg]
        ax, ay, bx, by = s[:, 0], s[:, 1], s[:, 2], s[:, 3]
        px, py = xy[:, 0], xy[:, 1]
        start, length = self.seg_start[seg], self.seg_len[seg]
        dx, dy = bx - ax, by - ay
        r = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
        r[(px == ax) & (py == ay)] = 0.0
        r[(px == bx) & (py == by)] = 1.0
        off = np.where(r <= 0.0, start, np.where(r <= 1.0, start + r * length, start + length))
        # LengthLocationMap.getLocation(off), then LinearLocation.pointAlongSegmentByFraction
        frac = (off - start) / length
        frac[start + length <= off] = 1.0
        frac[off <= 0.0] = 0.0
        inner = (frac > 0.0) & (frac < 1.0)
        f = np.where(inner, frac, 0.0)
        x = np.where(frac >= 1.0, bx, np.where(inner, dx * f + ax, ax))
        y = np.where(frac >= 1.0, by, np.where(inner, dy * f + ay, ay))
        return off, np.column_stack([x, y])


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


def _crossing(
    starts: FloatArray, ends: FloatArray, barrier_tree: shapely.STRtree | None
) -> NDArray[np.bool_]:
    """Whether each connector (start -> end) crosses a barrier; touching at an end is allowed."""
    out = np.zeros(len(starts), dtype=bool)
    if barrier_tree is None or len(starts) == 0:
        return out
    d = ends - starts
    dist = np.hypot(d[:, 0], d[:, 1])
    long = dist > 2 * _TOUCH_EPS
    if not long.any():
        return out
    unit = d[long] / dist[long, None]
    a = starts[long] + unit * _TOUCH_EPS
    b = ends[long] - unit * _TOUCH_EPS
    lines = shapely.linestrings(np.stack([a, b], axis=1))
    hit = barrier_tree.query(lines, predicate="intersects")[0]
    idx = np.flatnonzero(long)
    out[idx[np.unique(hit)]] = True
    return out


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
    segment is nearer, and the distances, offsets and snapped positions are computed with
    GEOS' own formulas, so they are bit for bit those of ``shapely``. The few points the
    samples cannot settle use the STRtree. Among equally near edges the lowest one wins.
    """
    if not limit_m >= 0:
        msg = f"limit_m must be >= 0, got {limit_m}"
        raise ValueError(msg)
    pts = _as_geoseries(points, network.crs, "points")
    geoms = pts.to_numpy()
    n = len(geoms)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    non_point = ~empty & (shapely.get_type_id(geoms) != 0)
    if non_point.any():
        msg = f"only points can be snapped; {int(non_point.sum())} geometries are not points"
        raise NetworkError(msg)
    barrier_tree = None
    if barriers is not None:
        bar = _as_geoseries(barriers, network.crs, "barriers").to_numpy()
        bar = bar[~(shapely.is_missing(bar) | shapely.is_empty(bar))]
        if len(bar):
            barrier_tree = shapely.STRtree(bar)

    edge_geoms = network.edges.geometry.to_numpy()
    xy = np.full((n, 2), np.nan)
    present = np.flatnonzero(~empty)
    xy[present] = shapely.get_coordinates(geoms[present])

    edge = np.full(n, -1, dtype=np.int64)
    connector = np.full(n, np.nan)
    offset = np.full(n, np.nan)
    snap_xy = np.full((n, 2), np.nan)
    reason = np.full(n, _EMPTY, dtype=np.int8)  # code: position in SNAP_REASONS

    # nearest edge of every point, whatever the limit, so too-far points report their distance
    index = network.snap_index
    pseg, dist = index.nearest(xy[present])
    ei = index.seg_edge[np.maximum(pseg, 0)]
    unsettled = np.flatnonzero(pseg < 0)
    if len(unsettled):  # rare: exact search in the STRtree of the edges
        (_, ue), ud = network.tree.query_nearest(
            geoms[present[unsettled]], return_distance=True, all_matches=False
        )
        ei[unsettled], dist[unsettled] = ue, ud
    connector[present] = dist
    reason[present] = _TOO_FAR
    near = dist <= limit_m
    pi, ei, pseg = present[near], ei[near], pseg[near]
    off = np.empty(len(pi))
    sxy = np.empty((len(pi), 2))
    fast = pseg >= 0
    off[fast], sxy[fast] = index.locate(xy[pi[fast]], pseg[fast])
    slow = ~fast
    if slow.any():
        off[slow] = shapely.line_locate_point(edge_geoms[ei[slow]], geoms[pi[slow]])
        sxy[slow] = shapely.get_coordinates(
            shapely.line_interpolate_point(edge_geoms[ei[slow]], off[slow])
        )
    crossing = _crossing(xy[pi], sxy, barrier_tree)
    good = ~crossing
    edge[pi[good]] = ei[good]
    offset[pi[good]] = off[good]
    snap_xy[pi[good]] = sxy[good]
    reason[pi[good]] = _OK

    # the nearest edge is across a barrier: try every edge within the limit, nearest first
    blocked = pi[crossing]
    if len(blocked):
        reason[blocked] = _ACROSS
        bp, be = network.tree.query(geoms[blocked], predicate="dwithin", distance=limit_m)
        bp = blocked[bp]
        bd = shapely.distance(geoms[bp], edge_geoms[be])
        order = np.lexsort((be, bd, bp))
        bp, be, bd = bp[order], be[order], bd[order]
        boff = shapely.line_locate_point(edge_geoms[be], geoms[bp])
        bsxy = shapely.get_coordinates(shapely.line_interpolate_point(edge_geoms[be], boff))
        ok = ~_crossing(xy[bp], bsxy, barrier_tree)
        bp, be, bd, boff, bsxy = bp[ok], be[ok], bd[ok], boff[ok], bsxy[ok]
        _, firsts = np.unique(bp, return_index=True)
        chosen = bp[firsts]
        edge[chosen] = be[firsts]
        connector[chosen] = bd[firsts]
        offset[chosen] = boff[firsts]
        snap_xy[chosen] = bsxy[firsts]
        reason[chosen] = _OK

    snapped = edge >= 0
    eu = network.edges["u"].to_numpy()
    ev = network.edges["v"].to_numpy()
    table = pd.DataFrame(
        {
            "edge": edge,
            "u": np.where(snapped, eu[np.maximum(edge, 0)], -1),
            "v": np.where(snapped, ev[np.maximum(edge, 0)], -1),
            "offset_m": offset,
            "connector_m": connector,
            "snapped": snapped,
            "too_far": reason == _TOO_FAR,
            "crosses_barrier": reason == _ACROSS,
            "reason": np.array(SNAP_REASONS, dtype=object)[reason],
            "x": xy[:, 0],
            "y": xy[:, 1],
            "snap_x": snap_xy[:, 0],
            "snap_y": snap_xy[:, 1],
        },
        index=pts.index,
    )
    return SnapResult(table=table, limit_m=float(limit_m), crs=network.crs, network_key=network.key)


# --------------------------------------------------------------------------------------------
# distances
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Augmented:
    """The network with snapped points inserted as nodes and one stub node per source."""

    csr: csr_matrix
    source_stub: IntArray  # stub node of each snapped source
    source_pos: IntArray  # row position (in sources.table) of each snapped source
    target_node: IntArray  # augmented node of each snapped target
    target_pos: IntArray  # row position (in targets.table) of each snapped target
    target_connector: FloatArray


def _check(network: RoadNetwork, snap: SnapResult, what: str) -> None:
    if snap.network_key != network.key:
        msg = f"the {what} were snapped onto another road network; snap them onto this one"
        raise NetworkError(msg)


def _augment(network: RoadNetwork, sources: SnapResult, targets: SnapResult) -> _Augmented:
    """Insert every snapped source and target point as a node splitting its edge.

    Each source gets a private stub node with one outgoing edge of weight
    ``connector + _STUB_SHIFT`` to its inserted node. Starting a ``min_only`` Dijkstra from all
    stubs at distance 0 is the same as starting from a single super-source linked to each
    source's position by an edge as long as its connector, and it tells which source won.
    """
    _check(network, sources, "sources")
    _check(network, targets, "targets")
    n = network.n_nodes
    eu, ev, elen = network.arrays()

    s_tab, t_tab = sources.table, targets.table
    s_pos = np.flatnonzero(s_tab["snapped"].to_numpy(dtype=bool))
    t_pos = np.flatnonzero(t_tab["snapped"].to_numpy(dtype=bool))
    p_edge = np.concatenate(
        [
            s_tab["edge"].to_numpy(dtype=np.int64)[s_pos],
            t_tab["edge"].to_numpy(dtype=np.int64)[t_pos],
        ]
    )
    p_off = np.concatenate(
        [
            s_tab["offset_m"].to_numpy(dtype=float)[s_pos],
            t_tab["offset_m"].to_numpy(dtype=float)[t_pos],
        ]
    )
    p_off = np.round(np.clip(p_off, 0.0, elen[p_edge]) / _OFFSET_EPS) * _OFFSET_EPS

    # points at an edge end are that end node; the others become new nodes
    p_node = np.empty(len(p_edge), dtype=np.int64)
    at_u = p_off <= _OFFSET_EPS
    at_v = ~at_u & (p_off >= elen[p_edge] - _OFFSET_EPS)
    p_node[at_u] = eu[p_edge[at_u]]
    p_node[at_v] = ev[p_edge[at_v]]
    inner = ~(at_u | at_v)
    i_edge, i_off = p_edge[inner], p_off[inner]
    order = np.lexsort((i_off, i_edge))  # by edge, then offset along it
    new = np.ones(len(order), dtype=bool)
    new[1:] = (i_edge[order][1:] != i_edge[order][:-1]) | (i_off[order][1:] != i_off[order][:-1])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.cumsum(new) - 1  # points at the same place share one node
    p_node[inner] = n + rank
    k_edge = i_edge[order][new]
    k_off = i_off[order][new]
    k_node = n + np.arange(len(k_edge), dtype=np.int64)
    n_aug = n + len(k_edge)

    # chain the inserted nodes of each edge: u -> p1 -> ... -> pk -> v
    group_first = np.ones(len(k_edge), dtype=bool)
    group_first[1:] = k_edge[1:] != k_edge[:-1]
    group_last = np.ones(len(k_edge), dtype=bool)
    group_last[:-1] = k_edge[1:] != k_edge[:-1]
    prev_node = np.where(group_first, eu[k_edge], np.roll(k_node, 1))
    prev_off = np.where(group_first, 0.0, np.roll(k_off, 1))
    w_in = k_off - prev_off
    # a self-loop holding a single point: u -> p and p -> u are the same pair, keep the shorter
    lone = group_first & group_last & (eu[k_edge] == ev[k_edge])
    w_in[lone] = np.minimum(k_off[lone], elen[k_edge[lone]] - k_off[lone])
    closing = group_last & ~lone
    a = [prev_node, k_node[closing]]
    b = [k_node, ev[k_edge[closing]]]
    w = [w_in, elen[k_edge[closing]] - k_off[closing]]
    # edges without inserted points stay whole, except self-loops and the longer of parallel
    # edges, which are never on a shortest path; so no (row, col) pair occurs twice below
    plain = network.routable.copy()
    plain[k_edge] = False
    a.append(eu[plain])
    b.append(ev[plain])
    w.append(elen[plain])
    ua, ub, uw = np.concatenate(a), np.concatenate(b), np.concatenate(w)

    # source stubs: one node each, a single outgoing edge (directed: nobody walks through it)
    n_src = len(s_pos)
    stubs = n_aug + np.arange(n_src, dtype=np.int64)
    s_conn = s_tab["connector_m"].to_numpy(dtype=float)[s_pos]
    rows = np.concatenate([ua, ub, stubs])
    cols = np.concatenate([ub, ua, p_node[:n_src]])
    weights = np.concatenate([uw, uw, s_conn + _STUB_SHIFT])
    csr = csr_matrix((weights, (rows, cols)), shape=(n_aug + n_src, n_aug + n_src))
    return _Augmented(
        csr=csr,
        source_stub=stubs,
        source_pos=s_pos,
        target_node=p_node[n_src:],
        target_pos=t_pos,
        target_connector=t_tab["connector_m"].to_numpy(dtype=float)[t_pos],
    )


def _target_reasons(targets: SnapResult) -> NDArray[np.object_]:
    return targets.table["reason"].to_numpy(dtype=object).copy()


def distances_from(
    network: RoadNetwork,
    sources: SnapResult,
    targets: SnapResult,
    *,
    limit_m: float | None = None,
) -> NearestSource:
    """Walking distance from every target to its nearest source, in one Dijkstra run.

    The distance is ``source connector + along-network distance + target connector``.

    Parameters
    ----------
    network
        The road network both point sets were snapped onto.
    sources, targets
        Snapped points (e.g. children's homes and households).
    limit_m
        Give up beyond this total walking distance (faster on large networks); farther targets
        get ``inf``. ``None`` for no limit.

    Returns
    -------
    NearestSource
        ``distance_m`` and ``nearest_source`` (row position in ``sources.table``, -1 when
        none), ``reason`` per target; unpacks as ``distance, nearest = distances_from(...)``.

    Notes
    -----
    Every snapped point is inserted into the graph as a node splitting its edge (two points on
    one edge are joined directly along it; a point at an edge end is the end node). With
    ``min_only=True`` scipy starts every source at distance 0, which would ignore the source
    connectors; so each source gets a private stub node with a single outgoing edge as long as
    its connector, and the run starts from the stubs. This equals one run from a super-source
    linked to every source by its connector, and ``min_only`` also returns which stub, hence
    which source, reached each node first. Targets that are unsnapped, in another connected part
    of the network than every source, or beyond ``limit_m`` get ``inf``.
    """
    aug = _augment(network, sources, targets)
    n_t = len(targets)
    out = np.full(n_t, np.inf)
    nearest = np.full(n_t, -1, dtype=np.int64)
    reason = _target_reasons(targets)
    reason[aug.target_pos] = "unreachable"
    if len(aug.source_stub) and len(aug.target_pos):
        limit = np.inf if limit_m is None else float(limit_m) + _STUB_SHIFT
        dist, _, src = dijkstra(
            aug.csr,
            directed=True,
            indices=aug.source_stub,
            return_predecessors=True,
            limit=limit,
            min_only=True,
        )
        d = dist[aug.target_node] - _STUB_SHIFT + aug.target_connector
        s = src[aug.target_node].astype(np.int64)
        if limit_m is not None:
            d[d > limit_m] = np.inf
        ok = np.isfinite(d) & (s >= 0)
        pos = aug.target_pos[ok]
        out[pos] = d[ok]
        nearest[pos] = aug.source_pos[s[ok] - aug.source_stub[0]]
        reason[pos] = "ok"
    return NearestSource(
        distance_m=out, nearest_source=nearest, reason=reason, index=targets.table.index
    )


def distance_matrix(
    network: RoadNetwork,
    sources: SnapResult,
    targets: SnapResult,
    *,
    limit_m: float | None = None,
) -> FloatArray:
    """Walking distance from every source to every target, in one many-to-many Dijkstra run.

    Parameters
    ----------
    network
        The road network both point sets were snapped onto.
    sources, targets
        Snapped points.
    limit_m
        Give up beyond this total walking distance; farther pairs get ``inf``.

    Returns
    -------
    numpy.ndarray
        ``(n_sources, n_targets)`` distances in metres, ``inf`` for unsnapped points,
        disconnected pairs and pairs beyond ``limit_m``.

    Notes
    -----
    One ``dijkstra(indices=<source stubs>, min_only=False)`` call on the same augmented graph as
    :func:`distances_from`; memory grows as ``n_sources x n_nodes``, so keep the sources to the
    candidate sites (tens to a few hundred).
    """
    aug = _augment(network, sources, targets)
    out = np.full((len(sources), len(targets)), np.inf)
    if len(aug.source_stub) and len(aug.target_pos):
        limit = np.inf if limit_m is None else float(limit_m) + _STUB_SHIFT
        dist = dijkstra(
            aug.csr, directed=True, indices=aug.source_stub, limit=limit, min_only=False
        )
        d = dist[:, aug.target_node] - _STUB_SHIFT + aug.target_connector[None, :]
        if limit_m is not None:
            d[d > limit_m] = np.inf
        out[np.ix_(aug.source_pos, aug.target_pos)] = d
    return out
