"""Building the routable walking network from the roads layer (:func:`build_network`).

Topology rules
--------------
* Vertices closer than ``tolerance_m`` are merged (KD-tree clustering, single linkage), so road
  ends digitised a few decimetres apart still meet.
* A junction is a line end, or a vertex used more than once: shared by two lines or visited twice
  by the same line. Lines are split at junctions; each piece between two junctions is an edge.
* Two lines that merely *cross* without a shared vertex are **not** connected: bridges and
  overpasses must not become junctions. Digitise a shared vertex where roads really meet.
* Every edge is walkable in both directions.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import pyproj
import shapely
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from geo.crs import require_metric
from geo.errors import NetworkError
from geo.network.edge_index import SnapIndex

__all__ = ["RoadNetwork", "build_network"]

_DEFAULT_KIND = "village_road"

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


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
    def snap_index(self) -> SnapIndex:
        """The KD-tree over densified edge segments used by :func:`snap_points`, built on first use."""
        return SnapIndex.of_edges(self.edges.geometry.to_numpy())

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

    vid, vpart, centers = _merged_vertices(parts, tolerance_m)
    node_xy, geoms, u, v, edge_part = _split_at_junctions(vid, vpart, centers)
    length = shapely.length(geoms)
    edges = _edge_table(roads, geoms, u, v, length, part_row[edge_part], crs)
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
        key=(n, len(geoms), round(float(length.sum()), 3)),
    )


def _merged_vertices(
    parts: NDArray[np.object_], tolerance_m: float
) -> tuple[IntArray, IntArray, FloatArray]:
    """Vertices of the line parts merged within the tolerance: the merged vertex and the part
    of every kept vertex, and the merged coordinates.

    Repeated consecutive vertices of a part (made by the merge, or in the data) are dropped, and
    so are parts left with fewer than two vertices (zero length).
    """
    xy, vpart = shapely.get_coordinates(parts, return_index=True)
    vpart = vpart.astype(np.int64)
    vid, centers = _cluster_vertices(xy, tolerance_m)
    keep = np.ones(len(vid), dtype=bool)
    keep[1:] = (vid[1:] != vid[:-1]) | (vpart[1:] != vpart[:-1])
    vid, vpart = vid[keep], vpart[keep]
    nvert = np.bincount(vpart, minlength=len(parts))
    keep = nvert[vpart] >= 2
    vid, vpart = vid[keep], vpart[keep]
    if len(vid) == 0:
        msg = "every road line has zero length: no walking distance can be computed"
        raise NetworkError(msg)
    return vid, vpart, centers


def _split_at_junctions(
    vid: IntArray, vpart: IntArray, centers: FloatArray
) -> tuple[FloatArray, NDArray[np.object_], IntArray, IntArray, IntArray]:
    """Split the parts at the junctions (line ends and vertices used more than once).

    Returns the node coordinates, and per edge its geometry, end nodes ``u`` and ``v`` and the
    part it comes from.
    """
    first = np.ones(len(vid), dtype=bool)
    first[1:] = vpart[1:] != vpart[:-1]
    last = np.ones(len(vid), dtype=bool)
    last[:-1] = vpart[1:] != vpart[:-1]
    # junctions: line ends and vertices used more than once
    uses = np.bincount(vid, minlength=len(centers))
    is_junction = np.zeros(len(centers), dtype=bool)
    is_junction[uses >= 2] = True
    is_junction[vid[first | last]] = True
    node_ids = np.flatnonzero(is_junction)
    node_of = np.full(len(centers), -1, dtype=np.int64)
    node_of[node_ids] = np.arange(len(node_ids))
    # split parts at junctions into edges
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
    return centers[node_ids], geoms, u, v, vpart[v_pos[starts]]


def _edge_table(
    roads: gpd.GeoDataFrame,
    geoms: NDArray[np.object_],
    u: IntArray,
    v: IntArray,
    length: FloatArray,
    src_row: IntArray,
    crs: pyproj.CRS,
) -> gpd.GeoDataFrame:
    """One row per edge: ``u``, ``v``, ``length``, the road's ``kind`` and ``road_id``."""
    road_ids = roads["id"].to_numpy(dtype=object) if "id" in roads else roads.index.to_numpy()
    if "kind" in roads:
        kinds = roads["kind"].astype(object).where(roads["kind"].notna(), _DEFAULT_KIND)
        kind_arr = kinds.to_numpy(dtype=object)
    else:
        kind_arr = np.full(len(roads), _DEFAULT_KIND, dtype=object)
    return gpd.GeoDataFrame(
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


def _shortest_of_parallel(u: IntArray, v: IntArray, w: FloatArray) -> NDArray[np.bool_]:
    """Mask of edges that are no self-loop and the shortest of their parallel edges."""
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((w, hi, lo))
    first = np.ones(len(u), dtype=bool)
    first[1:] = (lo[order][1:] != lo[order][:-1]) | (hi[order][1:] != hi[order][:-1])
    out = np.zeros(len(u), dtype=bool)
    out[order[first]] = True
    mask: NDArray[np.bool_] = out & (u != v)
    return mask


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
