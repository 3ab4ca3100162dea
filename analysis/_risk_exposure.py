"""Bounded walking distances between many spots and many homes (private helper of analysis.risk).

The hot path of the risk analysis. Spots are grouped in square tiles; for each tile one
``scipy.sparse.csgraph.dijkstra`` call runs from the end nodes of every spot's edge (``indices=``)
with ``limit=`` the exposure distance, on the road subgraph induced by the nodes within the tile's
box grown by that distance. A walk of at most ``limit`` from a point never leaves the disc of that
radius around it, so the subgraph gives exact distances up to the limit while keeping the dense
Dijkstra output small (sources x subgraph nodes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from geo.network import RoadNetwork, SnapResult

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _ends(
    network: RoadNetwork, table: pd.DataFrame
) -> tuple[IntArray, IntArray, FloatArray, FloatArray, FloatArray, IntArray, NDArray[np.bool_]]:
    """Edge end nodes, offsets to them, connector, edge and snapped mask of snapped points."""
    elen = network.edges["length"].to_numpy(dtype=float)
    snapped = table["snapped"].to_numpy(dtype=bool)
    edge = table["edge"].to_numpy(dtype=np.int64)
    safe = np.maximum(edge, 0)
    off = np.clip(table["offset_m"].to_numpy(dtype=float), 0.0, elen[safe])
    u = table["u"].to_numpy(dtype=np.int64)
    v = table["v"].to_numpy(dtype=np.int64)
    conn = table["connector_m"].to_numpy(dtype=float)
    return u, v, off, elen[safe] - off, conn, edge, snapped


def _by_tile(
    sxy: FloatArray, sok: NDArray[np.bool_], pair_spot: IntArray, tile_m: float
) -> tuple[IntArray, IntArray, IntArray]:
    """Order of the pairs by the ``tile_m`` tile of their spot, and where each tile's run of
    pairs starts and ends in that order."""
    tile = np.floor(sxy / tile_m)
    tile[~sok] = 0
    tkey = np.unique(tile, axis=0, return_inverse=True)[1].reshape(-1)
    # few tiles: a stable sort of small integers is a radix sort, linear in the pairs
    small = np.uint16 if tkey.max(initial=0) < 2**16 else np.int64
    order = np.argsort(tkey[pair_spot].astype(small), kind="stable")
    bounds = np.flatnonzero(np.diff(tkey[pair_spot[order]])) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(pair_spot)]])
    return order, starts, ends


def pair_walking_distances(
    network: RoadNetwork,
    spots: SnapResult,
    people: SnapResult,
    pair_spot: IntArray,
    pair_person: IntArray,
    *,
    limit_m: float,
    tile_m: float,
) -> FloatArray:
    """Walking distance of each (spot, person) pair, ``inf`` beyond ``limit_m`` or unsnapped.

    The distance is ``connector(spot) + along-road distance + connector(person)``: the minimum
    over the two end nodes ``a`` of the spot's edge and ``b`` of the person's edge of
    ``offset(spot, a) + d(a, b) + offset(person, b)``, or the direct stretch along the edge when
    both lie on the same edge.
    """
    n_pairs = len(pair_spot)
    out = np.full(n_pairs, np.inf)
    if n_pairs == 0:
        return out
    su, sv, sou, sov, sconn, sedge, sok = _ends(network, spots.table)
    pu, pv, pou, pov, pconn, pedge, pok = _ends(network, people.table)
    sxy = spots.table[["snap_x", "snap_y"]].to_numpy(dtype=float)
    valid = sok[pair_spot] & pok[pair_person]
    pair_spot, pair_person = pair_spot[valid], pair_person[valid]
    pos = np.flatnonzero(valid)
    if len(pos) == 0:
        return out

    order, starts, ends = _by_tile(sxy, sok, pair_spot, tile_m)
    pair_spot, pair_person, pos = pair_spot[order], pair_person[order], pos[order]

    node_xy = network.node_xy
    by_x = np.argsort(node_xy[:, 0], kind="stable")
    xs = node_xy[by_x, 0]
    local = np.full(network.n_nodes, -1, dtype=np.int64)
    csr = network.csr
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        ps, pp = pair_spot[a:b], pair_person[a:b]
        tspots = np.unique(ps)
        lo = sxy[tspots].min(axis=0) - limit_m
        hi = sxy[tspots].max(axis=0) + limit_m
        cand = by_x[np.searchsorted(xs, lo[0], "left") : np.searchsorted(xs, hi[0], "right")]
        y = node_xy[cand, 1]
        nodes = np.sort(cand[(y >= lo[1]) & (y <= hi[1])])
        local[nodes] = np.arange(len(nodes))
        sub = csr[nodes][:, nodes]
        src_global = np.unique(np.concatenate([su[tspots], sv[tspots]]))
        src_global = src_global[local[src_global] >= 0]
        best = np.full(len(ps), np.inf)
        # no end node of these spots' edges within reach (a long edge): only same-edge pairs
        if len(src_global):
            dist = dijkstra(sub, directed=True, indices=local[src_global], limit=limit_m)
            for s_node, s_off in ((su[ps], sou[ps]), (sv[ps], sov[ps])):
                row = np.searchsorted(src_global, s_node)
                row_ok = (row < len(src_global)) & (
                    src_global[np.minimum(row, len(src_global) - 1)] == s_node
                )
                row = np.minimum(row, len(src_global) - 1)
                for p_node, p_off in ((pu[pp], pou[pp]), (pv[pp], pov[pp])):
                    col = local[p_node]
                    ok = row_ok & (col >= 0)
                    d = np.full(len(ps), np.inf)
                    d[ok] = s_off[ok] + dist[row[ok], col[ok]] + p_off[ok]
                    np.minimum(best, d, out=best)
        same = sedge[ps] == pedge[pp]
        best[same] = np.minimum(best[same], np.abs(sou[ps][same] - pou[pp][same]))
        total = best + sconn[ps] + pconn[pp]
        total[total > limit_m] = np.inf
        out[pos[a:b]] = total
        local[nodes] = -1
    return out
