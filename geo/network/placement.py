"""Snapped points placed on the edges of the road network, the building blocks of the distances.

Two placements, which round the positions identically so their distances agree:

* :func:`augment` inserts every snapped point as a node splitting its edge, plus one stub node
  per source (:func:`geo.network.distance_matrix`, :func:`geo.network.reach`);
* :class:`OnEdges` only records where each point lies on its edge, for the stub graph of
  :func:`geo.network.distances_from` and :func:`geo.network.distance_pairs`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from geo.errors import NetworkError
from geo.network.build import RoadNetwork
from geo.network.snap import SnapResult

__all__ = ["OFFSET_EPS", "STUB_SHIFT", "Augmented", "OnEdges", "augment", "check_network"]

#: Offsets this close (m) to an edge end count as the end node itself; snapped positions are
#: rounded to this resolution (so two points at the same place share one inserted node in
#: :func:`augment`; :class:`OnEdges` rounds the same way, so both methods agree).
OFFSET_EPS = 1e-6
#: Constant added to every source stub edge so no edge weight is zero (csgraph reads explicit
#: zeros of a sparse matrix as edges, but many sparse operations drop them); subtract it from
#: every distance a Dijkstra run from the stubs returns.
STUB_SHIFT = 1.0

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def check_network(network: RoadNetwork, snap: SnapResult, what: str) -> None:
    """Raise :class:`~geo.errors.NetworkError` unless ``snap`` was made on ``network``."""
    if snap.network_key != network.key:
        msg = f"the {what} were snapped onto another road network; snap them onto this one"
        raise NetworkError(msg)


@dataclass(frozen=True)
class Augmented:
    """The network with snapped points inserted as nodes and one stub node per source.

    A Dijkstra run from a stub gives ``distance + STUB_SHIFT`` to every node: the road nodes
    ``0..n-1`` (``n = network.n_nodes``), then the inserted points.
    """

    csr: csr_matrix
    source_stub: IntArray  # stub node of each snapped source
    source_pos: IntArray  # row position (in sources.table) of each snapped source
    target_node: IntArray  # augmented node of each snapped target
    target_pos: IntArray  # row position (in targets.table) of each snapped target
    target_connector: FloatArray


def augment(
    network: RoadNetwork, sources: SnapResult, targets: SnapResult | None = None
) -> Augmented:
    """Insert every snapped source and target point as a node splitting its edge.

    Each source gets a private stub node with one outgoing edge of weight
    ``connector + STUB_SHIFT`` to its inserted node. Starting a ``min_only`` Dijkstra from all
    stubs at distance 0 is the same as starting from a single super-source linked to each
    source's position by an edge as long as its connector, and it tells which source won.
    ``targets`` may be ``None`` (no target: the distances to the road nodes only).
    """
    check_network(network, sources, "sources")
    if targets is not None:
        check_network(network, targets, "targets")
    n = network.n_nodes
    s_tab = sources.table
    s_pos = np.flatnonzero(s_tab["snapped"].to_numpy(dtype=bool))
    if targets is None:
        t_tab, t_pos = None, np.empty(0, dtype=np.int64)
    else:
        t_tab = targets.table
        t_pos = np.flatnonzero(t_tab["snapped"].to_numpy(dtype=bool))
    p_edge, p_off = _positions(network, [(s_tab, s_pos), (t_tab, t_pos)])
    p_node, k_edge, k_off = _insert(network, p_edge, p_off)
    n_aug = n + len(k_edge)
    ua, ub, uw = _split_edges(network, k_edge, k_off)

    # source stubs: one node each, a single outgoing edge (directed: nobody walks through it)
    n_src = len(s_pos)
    stubs = n_aug + np.arange(n_src, dtype=np.int64)
    s_conn = s_tab["connector_m"].to_numpy(dtype=float)[s_pos]
    rows = np.concatenate([ua, ub, stubs])
    cols = np.concatenate([ub, ua, p_node[:n_src]])
    weights = np.concatenate([uw, uw, s_conn + STUB_SHIFT])
    csr = csr_matrix((weights, (rows, cols)), shape=(n_aug + n_src, n_aug + n_src))
    t_conn = np.empty(0) if t_tab is None else t_tab["connector_m"].to_numpy(dtype=float)[t_pos]
    return Augmented(
        csr=csr,
        source_stub=stubs,
        source_pos=s_pos,
        target_node=p_node[n_src:],
        target_pos=t_pos,
        target_connector=t_conn,
    )


def _positions(
    network: RoadNetwork, tables: list[tuple[pd.DataFrame | None, IntArray]]
) -> tuple[IntArray, FloatArray]:
    """Edge and rounded offset of the rows ``pos`` of each table, one after the other."""
    _, _, elen = network.arrays()
    present = [(t, p) for t, p in tables if t is not None]
    p_edge = np.concatenate([t["edge"].to_numpy(dtype=np.int64)[p] for t, p in present])
    p_off = np.concatenate([t["offset_m"].to_numpy(dtype=float)[p] for t, p in present])
    p_off = np.round(np.clip(p_off, 0.0, elen[p_edge]) / OFFSET_EPS) * OFFSET_EPS
    return p_edge, p_off


def _insert(
    network: RoadNetwork, p_edge: IntArray, p_off: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Node of every point: the end node for points at an edge end, else a new node (points at
    the same place share one). Returns the node of each point and, per new node (numbered from
    ``n`` on, sorted by edge then offset), its edge and offset."""
    n = network.n_nodes
    eu, ev, elen = network.arrays()
    p_node = np.empty(len(p_edge), dtype=np.int64)
    at_u = p_off <= OFFSET_EPS
    at_v = ~at_u & (p_off >= elen[p_edge] - OFFSET_EPS)
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
    return p_node, i_edge[order][new], i_off[order][new]


def _split_edges(
    network: RoadNetwork, k_edge: IntArray, k_off: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Undirected edges of the augmented graph (``a``, ``b``, weight): the inserted nodes of
    each edge chained ``u -> p1 -> ... -> pk -> v``, and the other routable edges whole."""
    n = network.n_nodes
    eu, ev, elen = network.arrays()
    k_node = n + np.arange(len(k_edge), dtype=np.int64)
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
    return np.concatenate(a), np.concatenate(b), np.concatenate(w)


@dataclass(frozen=True)
class OnEdges:
    """The snapped rows of a :class:`SnapResult`, placed on their edges as :func:`augment` does.

    The offset is clipped to the edge, rounded to :data:`OFFSET_EPS`, and set to exactly 0 or
    the edge length within :data:`OFFSET_EPS` of an end, so both paths see the same positions.
    """

    pos: IntArray  # row position in the table
    edge: IntArray
    u: IntArray
    v: IntArray
    to_u: FloatArray  # along the edge to u (the offset)
    to_v: FloatArray  # along the edge to v
    connector: FloatArray

    @classmethod
    def of(cls, network: RoadNetwork, snap: SnapResult) -> OnEdges:
        tab = snap.table
        snapped = tab["snapped"].to_numpy(dtype=bool)
        edge = tab["edge"].to_numpy(dtype=np.int64)
        off = tab["offset_m"].to_numpy(dtype=np.float64)
        conn = tab["connector_m"].to_numpy(dtype=np.float64)
        if snapped.all():  # the usual case: no copy of the columns
            pos = np.arange(len(tab), dtype=np.int64)
        else:
            pos = np.flatnonzero(snapped).astype(np.int64)
            edge, off, conn = edge[pos], off[pos], conn[pos]
        eu, ev, elen = network.arrays()
        length = elen[edge]
        # the same operations as augment, in place
        to_u = np.clip(off, 0.0, length)
        to_u /= OFFSET_EPS
        np.round(to_u, out=to_u)
        to_u *= OFFSET_EPS
        at_u = to_u <= OFFSET_EPS
        at_v = ~at_u & (to_u >= length - OFFSET_EPS)
        to_u[at_u] = 0.0
        to_u[at_v] = length[at_v]
        to_v = length
        to_v -= to_u
        return cls(pos=pos, edge=edge, u=eu[edge], v=ev[edge], to_u=to_u, to_v=to_v, connector=conn)
