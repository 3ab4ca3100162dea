"""Walking distances along the road network between snapped points.

One multi-source Dijkstra run gives every target its nearest source (:func:`distances_from`,
:func:`nearest_by_group` for several subsets of the sources); many-to-many runs give every pair,
dense for small inputs (:func:`distance_matrix`) or as a sparse list of the pairs within a limit
(:func:`distance_pairs`); :func:`reach` gives, per source, the distance to every road node.

The distance from a point A to a point B is ``connector(A) + along-network distance between
their snapped positions + connector(B)``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.errors import NetworkError
from geo.network.build import RoadNetwork
from geo.network.placement import STUB_SHIFT, OnEdges, augment, check_network
from geo.network.snap import SnapResult

__all__ = [
    "DistancePairs",
    "NearestSource",
    "distance_matrix",
    "distance_pairs",
    "distances_from",
    "nearest_by_group",
    "reach",
]

#: Distances per block of :func:`distance_pairs`' many-to-many Dijkstra (``chunk x n_nodes``,
#: 128 MB): the sources are run in blocks this large.
_PAIRS_BLOCK = 1 << 24

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


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


@dataclass(frozen=True, eq=False)
class DistancePairs:
    """Walking distances of the (source, target) pairs within a limit, as a sparse list.

    A sparse many-to-many answer with no ambiguity about zero: a pair is listed when its walking
    distance is finite and within the limit, whatever its value (0 m included, a source and a
    target at the same place); a pair not listed is farther than the limit, in another connected
    part of the network, or has an unsnapped point. Made by :func:`distance_pairs`.

    Attributes
    ----------
    source
        ``(n_pairs,)`` row position of the source in ``sources.table``.
    target
        ``(n_pairs,)`` row position of the target in ``targets.table``.
    distance_m
        ``(n_pairs,)`` walking distance in metres, finite, ``<= limit_m``.
    shape
        ``(n_sources, n_targets)``: the rows of both tables, snapped or not.
    limit_m
        The limit searched (``None``: none).

    Notes
    -----
    Pairs are sorted by source, then target, and each occurs once.
    """

    source: IntArray
    target: IntArray
    distance_m: FloatArray
    shape: tuple[int, int]
    limit_m: float | None

    def __len__(self) -> int:
        return len(self.distance_m)

    def to_dense(self) -> FloatArray:
        """The ``(n_sources, n_targets)`` matrix, ``inf`` for the pairs not listed (as
        :func:`distance_matrix` returns it); only for small inputs."""
        out = np.full(self.shape, np.inf)
        out[self.source, self.target] = self.distance_m
        return out

    def to_csr(self) -> csr_matrix:
        """The pairs as a CSR matrix whose **stored** entries are the distances.

        A stored 0 is a real distance of 0 m and an absent entry means "not within the limit":
        read ``indptr``/``indices``/``data`` (or :meth:`scipy.sparse.csr_matrix.tocoo`), never
        ``toarray()`` or ``min()``, which read absent entries as 0.
        """
        return csr_matrix(
            (self.distance_m, self.target, _indptr(self.source, self.shape[0])), shape=self.shape
        )

    def within(self, distance_m: float) -> csr_matrix:
        """Boolean ``(n_sources, n_targets)`` CSR matrix of the pairs within ``distance_m``: the
        coverage matrix of the location models."""
        ok = self.distance_m <= distance_m
        return csr_matrix(
            (
                np.ones(int(ok.sum()), dtype=bool),
                self.target[ok],
                _indptr(self.source[ok], self.shape[0]),
            ),
            shape=self.shape,
        )

    def nearest(self, select: NDArray[np.bool_] | None = None) -> FloatArray:
        """Distance from every target to its nearest source among ``select`` (a mask over the
        sources; ``None`` for all), ``inf`` when none is listed."""
        out = np.full(self.shape[1], np.inf)
        keep = slice(None) if select is None else np.asarray(select, dtype=bool)[self.source]
        np.minimum.at(out, self.target[keep], self.distance_m[keep])
        return out


# --------------------------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------------------------


def _indptr(rows: IntArray, n: int) -> IntArray:
    """CSR row pointer of ``n`` rows holding ``rows`` (sorted) entries."""
    out = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=out[1:])
    return out


@dataclass(frozen=True)
class _NearestRuns:
    """Sources and targets placed once on the network; one Dijkstra run per subset of sources
    (:meth:`run`, the nearest source), or one per block of sources (:meth:`pairs`, every pair).

    The graph is the road network (:attr:`RoadNetwork.csr`) plus one stub node per snapped
    source, ``n + i`` for the ``i``-th, with two outgoing edges: to ``u`` of the source's edge,
    ``connector + STUB_SHIFT + offset`` long, and to ``v``, ``connector + STUB_SHIFT +
    (length - offset)`` long (one edge, the shorter, on a self-loop). No household is inserted.
    See :func:`distances_from` for why this is exact.
    """

    network: RoadNetwork
    graph: csr_matrix
    src: OnEdges
    tgt: OnEdges
    # (target, source) pairs on the same edge, and the direct way between them along it
    pair_t: IntArray
    pair_s: IntArray
    pair_d: FloatArray
    targets: SnapResult
    sources: SnapResult

    @classmethod
    def build(cls, network: RoadNetwork, sources: SnapResult, targets: SnapResult) -> _NearestRuns:
        check_network(network, sources, "sources")
        check_network(network, targets, "targets")
        src = OnEdges.of(network, sources)
        tgt = OnEdges.of(network, targets)
        n, m = network.n_nodes, len(src.pos)
        # stub rows appended to the road graph's CSR arrays (no re-sorting of 2 x n_edges entries)
        base = network.csr
        start = src.connector + STUB_SHIFT
        w = np.column_stack([start + src.to_u, start + src.to_v])
        loop = src.u == src.v
        w[loop, 0] = w[loop].min(axis=1)
        keep = np.column_stack([np.ones(m, dtype=bool), ~loop])
        cols = np.column_stack([src.u, src.v])[keep]
        indptr = np.concatenate([base.indptr, base.indptr[-1] + np.cumsum(keep.sum(axis=1))])
        graph = csr_matrix(
            (
                np.concatenate([base.data, w[keep]]),
                np.concatenate([base.indices, cols.astype(base.indices.dtype)]),
                indptr.astype(base.indptr.dtype),
            ),
            shape=(n + m, n + m),
        )
        # targets sharing an edge with a source: few, found through a mask over the edges
        has_source = np.zeros(network.n_edges, dtype=bool)
        has_source[src.edge] = True
        pt = np.flatnonzero(has_source[tgt.edge])
        by_edge = np.argsort(src.edge, kind="stable")
        sorted_edge = src.edge[by_edge]
        lo = np.searchsorted(sorted_edge, tgt.edge[pt], side="left")
        hi = np.searchsorted(sorted_edge, tgt.edge[pt], side="right")
        count = hi - lo
        pair_t = np.repeat(pt, count)
        rank = np.arange(len(pair_t)) - np.repeat(np.cumsum(count) - count, count)
        pair_s = by_edge[np.repeat(lo, count) + rank]
        pair_d = start[pair_s] + np.abs(tgt.to_u[pair_t] - src.to_u[pair_s])
        return cls(network, graph, src, tgt, pair_t, pair_s, pair_d, targets, sources)

    def run(self, select: NDArray[np.bool_] | None, limit_m: float | None) -> NearestSource:
        """Nearest source of every target among the sources ``select`` (a mask over the rows of
        the sources' table; ``None`` for all)."""
        src, tgt = self.src, self.tgt
        n = self.network.n_nodes
        tab = self.targets.table
        n_t = len(tab)
        chosen = np.arange(len(src.pos)) if select is None else np.flatnonzero(select[src.pos])
        d = np.full(len(tgt.pos), np.inf)
        s = np.full(len(tgt.pos), -1, dtype=np.int64)
        if len(chosen) and len(tgt.pos):
            limit = np.inf if limit_m is None else float(limit_m) + STUB_SHIFT
            dist, _, stub = dijkstra(
                self.graph,
                directed=True,
                indices=n + chosen,
                return_predecessors=True,
                limit=limit,
                min_only=True,
            )
            # through either end of the target's edge
            d = dist[tgt.u]
            d += tgt.to_u
            via_v = dist[tgt.v]
            via_v += tgt.to_v
            use_v = via_v < d
            np.copyto(d, via_v, where=use_v)
            s = np.where(use_v, stub[tgt.v], stub[tgt.u]).astype(np.int64)
            # or directly along it from a source on the same edge
            pairs = (
                np.ones(len(self.pair_t), dtype=bool)
                if select is None
                else (select[src.pos[self.pair_s]])
            )
            if pairs.any():
                pt, ps, pd_ = self.pair_t[pairs], self.pair_s[pairs], self.pair_d[pairs]
                order = np.lexsort((pd_, pt))
                pt, ps, pd_ = pt[order], ps[order], pd_[order]
                first = np.ones(len(pt), dtype=bool)
                first[1:] = pt[1:] != pt[:-1]
                pt, ps, pd_ = pt[first], ps[first], pd_[first]
                better = pd_ < d[pt]
                d[pt[better]] = pd_[better]
                s[pt[better]] = n + ps[better]
            d -= STUB_SHIFT
            d += tgt.connector
            if limit_m is not None:
                d[d > limit_m] = np.inf
        ok = np.isfinite(d) & (s >= 0)
        out = np.full(n_t, np.inf)
        nearest = np.full(n_t, -1, dtype=np.int64)
        reached = np.zeros(n_t, dtype=bool)
        pos = tgt.pos[ok]
        out[pos] = d[ok]
        nearest[pos] = src.pos[s[ok] - n]
        reached[pos] = True
        reason = np.array(["unreachable", "ok"], dtype=object)[reached.view(np.int8)]
        if len(tgt.pos) < n_t:  # unsnapped targets keep their snap reason
            unsnapped = np.setdiff1d(np.arange(n_t), tgt.pos, assume_unique=True)
            reason[unsnapped] = tab["reason"].iloc[unsnapped].to_numpy(dtype=object)
        return NearestSource(distance_m=out, nearest_source=nearest, reason=reason, index=tab.index)

    def pairs(
        self, limit_m: float | None, *, chunk: int | None, max_pairs: int | None
    ) -> DistancePairs:
        """Every (source, target) pair within ``limit_m`` (see :func:`distance_pairs`)."""
        n = self.network.n_nodes
        m, nt = len(self.src.pos), len(self.tgt.pos)
        shape = (len(self.sources.table), len(self.targets.table))
        out_s: list[IntArray] = []
        out_t: list[IntArray] = []
        out_d: list[FloatArray] = []
        if m and nt:
            index = _TargetsByNode.of(self)
            step = chunk if chunk is not None else max(1, _PAIRS_BLOCK // (n + m))
            found = 0
            for a in range(0, m, step):
                b = min(a + step, m)
                s, t, d = self._block(a, b, limit_m, index)
                out_s.append(s)
                out_t.append(t)
                out_d.append(d)
                found += len(d)
                if max_pairs is not None and found > max_pairs:
                    within = "are connected" if limit_m is None else f"lie within {limit_m:g} m"
                    msg = (
                        f"more than {max_pairs:,} (source, target) pairs {within} (after "
                        f"{b:,} of {m:,} sources); lower the limit or give fewer sources"
                    )
                    raise NetworkError(msg)
        if not out_d:
            return DistancePairs(
                source=np.empty(0, dtype=np.int64),
                target=np.empty(0, dtype=np.int64),
                distance_m=np.empty(0, dtype=np.float64),
                shape=shape,
                limit_m=limit_m,
            )
        return DistancePairs(
            source=np.concatenate(out_s),
            target=np.concatenate(out_t),
            distance_m=np.concatenate(out_d),
            shape=shape,
            limit_m=limit_m,
        )

    def _block(
        self, a: int, b: int, limit_m: float | None, index: _TargetsByNode
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """The pairs within ``limit_m`` of the sources ``a:b`` (positions in the sources' and
        targets' tables, distance), each pair once, sorted by source then target."""
        src, tgt = self.src, self.tgt
        n = self.network.n_nodes
        m, nt = len(src.pos), len(tgt.pos)
        dist = dijkstra(
            self.graph,
            directed=True,
            indices=n + np.arange(a, b),
            limit=np.inf if limit_m is None else float(limit_m) + STUB_SHIFT,
            min_only=False,
        )
        # reached road nodes (a flat scan of the contiguous block: 5x faster than a 2-D
        # nonzero); stubs have no incoming edge, so of them only each row's own is reached
        flat = np.flatnonzero(dist < np.inf)
        d_node = dist.ravel()[flat]
        del dist
        row, node = np.divmod(flat, n + m)
        road = node < n
        row, node, d_node = row[road], node[road], d_node[road]
        # expand each reached node to the targets on its edges
        count = index.per_node[node]
        rows = np.repeat(row, count)
        start = np.repeat(index.node_start[node] - (np.cumsum(count) - count), count)
        ent = start + np.arange(len(rows))
        t = index.ent_t[ent]
        d = np.repeat(d_node, count)
        d += index.ent_off[ent]
        # or directly along the edge from a source on it
        lo, hi = np.searchsorted(index.same_s, [a, b])
        if hi > lo:
            rows = np.concatenate([rows, index.same_s[lo:hi] - a])
            t = np.concatenate([t, index.same_t[lo:hi]])
            d = np.concatenate([d, index.same_d[lo:hi]])
        d -= STUB_SHIFT
        d += tgt.connector[t]
        if limit_m is not None:
            ok = d <= limit_m
            rows, t, d = rows[ok], t[ok], d[ok]
        # the shortest way per pair
        key = rows * nt + t
        order = np.lexsort((d, key))
        key, d = key[order], d[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        key, d = key[first], d[first]
        return src.pos[a + key // nt], tgt.pos[key % nt], d


@dataclass(frozen=True)
class _TargetsByNode:
    """Road node -> the targets on its edges, with the way along the edge (one entry per end; a
    self-loop's single end takes the shorter way round), and the (target, source) pairs on one
    edge sorted by source, so a block of sources takes a slice."""

    ent_t: IntArray
    ent_off: FloatArray
    per_node: IntArray
    node_start: IntArray
    same_s: IntArray
    same_t: IntArray
    same_d: FloatArray

    @classmethod
    def of(cls, runs: _NearestRuns) -> _TargetsByNode:
        tgt = runs.tgt
        n, nt = runs.network.n_nodes, len(tgt.pos)
        loop = tgt.u == tgt.v
        ent_node = np.concatenate([tgt.u, tgt.v[~loop]])
        ent_t = np.concatenate([np.arange(nt, dtype=np.int64), np.flatnonzero(~loop)])
        ent_off = np.concatenate(
            [np.where(loop, np.minimum(tgt.to_u, tgt.to_v), tgt.to_u), tgt.to_v[~loop]]
        )
        by_node = np.argsort(ent_node, kind="stable")
        by_src = np.argsort(runs.pair_s, kind="stable")
        return cls(
            ent_t=ent_t[by_node],
            ent_off=ent_off[by_node],
            per_node=np.bincount(ent_node, minlength=n),
            node_start=_indptr(ent_node, n)[:-1],
            same_s=runs.pair_s[by_src],
            same_t=runs.pair_t[by_src],
            same_d=runs.pair_d[by_src],
        )


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
    Only the sources are joined to the graph, the targets are not inserted. Each snapped source
    gets a private stub node with two outgoing edges, to the two end nodes ``u`` and ``v`` of its
    edge, as long as ``connector + offset`` and ``connector + (length - offset)``. One
    ``dijkstra(min_only=True)`` from all stubs at once gives every road node ``n`` its distance
    ``D(n)`` to the nearest source, connector included, and which stub (which source) got there
    first. A target snapped at ``offset`` on the edge ``(u, v)`` of length ``L`` then gets

    .. math:: \\min\\big(D(u) + \\text{offset},\\; D(v) + L - \\text{offset},\\;
              \\min_{s \\text{ on the same edge}} c(s) + |\\text{offset} - \\text{offset}(s)|\\big)
              + c(\\text{target})

    This is exact because the network is undirected and a snapped point is in the interior of
    its edge: a walk from a source reaches the target either along the edge straight from a
    source snapped on that same edge, or through ``u`` or ``v`` and then along the edge (a
    shortest walk through ``u`` is a shortest walk to ``u`` followed by the piece of edge). The
    same holds at the sources: a walk leaves a source's edge through ``u`` or ``v``, which is
    what the two stub edges say. So this equals the former method, which inserted every
    snapped point as a node splitting its edge, and :func:`distance_matrix` still does:
    positions are rounded identically (:class:`OnEdges`), only the floating-point summation
    order differs (below 1e-9 m). A self-loop (``u == v``) is the same formula, the shorter way
    round. The Dijkstra runs on ``n + n_sources`` nodes instead of ``n + n_targets``, and the
    targets cost a few vectorised passes.

    Targets that are unsnapped, in another connected part of the network than every source, or
    beyond ``limit_m`` get ``inf``.
    """
    return _NearestRuns.build(network, sources, targets).run(None, limit_m)


def distance_pairs(
    network: RoadNetwork,
    sources: SnapResult,
    targets: SnapResult,
    *,
    limit_m: float | None,
    chunk: int | None = None,
    max_pairs: int | None = None,
) -> DistancePairs:
    """Walking distance of every (source, target) pair within ``limit_m``, as a sparse list.

    The many-to-many answer of :func:`distance_matrix` without its dense ``n_sources x
    n_targets`` array: only the pairs within the limit are kept, so a county's candidate sites
    and households fit in memory.

    Parameters
    ----------
    network
        The road network both point sets were snapped onto.
    sources, targets
        Snapped points (e.g. candidate sites and households).
    limit_m
        Keep the pairs whose total walking distance (connectors included) is at most this;
        ``None`` for every connected pair (then the answer grows as ``n_sources x n_targets``).
    chunk
        Sources per Dijkstra call; ``None`` for as many as keep the call's ``chunk x (n_nodes +
        n_sources)`` block of distances within 128 MB.
    max_pairs
        Raise :class:`~geo.errors.NetworkError` once more pairs than this are found (checked
        after each block of sources), before they fill the memory; ``None`` for no bound.

    Returns
    -------
    DistancePairs
        ``source``, ``target`` (row positions in the two tables) and ``distance_m`` of the
        pairs within the limit, sorted by source then target; a distance of 0 is a pair like
        any other.

    Raises
    ------
    NetworkError
        A point set was snapped onto another network, or more than ``max_pairs`` pairs.

    Notes
    -----
    The graph is the one of :func:`distances_from`: the road network plus a stub node per
    snapped source, with two edges to the ends ``u`` and ``v`` of the source's edge
    (``connector + offset`` and ``connector + (length - offset)``); no target is inserted.
    ``dijkstra(min_only=False, limit=limit_m)`` runs from blocks of ``chunk`` stubs and gives,
    per source ``s``, the distance ``D_s(n)`` of every road node within the limit. A target at
    ``offset`` on the edge ``(u, v)`` of length ``L`` then gets, from ``s``,

    .. math:: \\min\\big(D_s(u) + \\text{offset},\\; D_s(v) + L - \\text{offset},\\;
              c(s) + |\\text{offset} - \\text{offset}(s)| \\text{ if } s
              \\text{ is on the same edge}\\big) + c(\\text{target})

    for the reason given in :func:`distances_from` (a walk reaches a point inside an edge
    through one of its ends, or along the edge from a point on it). An index from each road
    node to the targets on its edges (built once) turns the reached nodes of a block into
    candidate pairs, and the minimum per pair is kept. Positions are rounded as in
    :func:`distance_matrix`, so both agree to floating-point summation order (below 1e-9 m).

    Memory: one block of ``chunk x (n_nodes + n_sources)`` distances and the candidate pairs of
    that block at a time, plus 24 bytes per pair kept. Time: each source costs its Dijkstra
    search within the limit plus a pass over its row of the block. On the synthetic county
    (250,000 road nodes, 200,000 households), 1,764 sites within 1,000 m take about 2 s.
    """
    if limit_m is not None and not limit_m >= 0:
        msg = f"limit_m must be >= 0 or None, got {limit_m}"
        raise ValueError(msg)
    if chunk is not None and chunk < 1:
        msg = f"chunk must be >= 1, got {chunk}"
        raise ValueError(msg)
    if max_pairs is not None and max_pairs < 0:
        msg = f"max_pairs must be >= 0, got {max_pairs}"
        raise ValueError(msg)
    runs = _NearestRuns.build(network, sources, targets)
    return runs.pairs(limit_m, chunk=chunk, max_pairs=max_pairs)


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
    One ``dijkstra(indices=<source stubs>, min_only=False)`` call on the graph with every
    snapped point inserted as a node splitting its edge (:func:`~geo.network.placement.augment`; the positions are
    those :func:`distances_from` uses, so both agree); memory grows as
    ``n_sources x (n_nodes + n_targets)``, so keep it to small inputs (tens to a few hundred
    sources, thousands of targets). :func:`distance_pairs` gives the same distances as a
    sparse list of the pairs within a limit, in bounded memory.
    """
    aug = augment(network, sources, targets)
    out = np.full((len(sources), len(targets)), np.inf)
    if len(aug.source_stub) and len(aug.target_pos):
        limit = np.inf if limit_m is None else float(limit_m) + STUB_SHIFT
        dist = dijkstra(
            aug.csr, directed=True, indices=aug.source_stub, limit=limit, min_only=False
        )
        d = dist[:, aug.target_node] - STUB_SHIFT + aug.target_connector[None, :]
        if limit_m is not None:
            d[d > limit_m] = np.inf
        out[np.ix_(aug.source_pos, aug.target_pos)] = d
    return out


def nearest_by_group(
    network: RoadNetwork,
    sources: SnapResult,
    targets: SnapResult,
    groups: Mapping[str, NDArray[np.bool_]],
    *,
    limit_m: float | None = None,
) -> dict[str, NearestSource]:
    """Walking distance from every target to its nearest source of each group of sources.

    Parameters
    ----------
    network
        The road network both point sets were snapped onto.
    sources, targets
        Snapped points (e.g. facilities and households).
    groups
        Group name -> boolean mask over the rows of ``sources.table`` (e.g. one group per
        facility kind).
    limit_m
        As in :func:`distances_from`.

    Returns
    -------
    dict
        Group name -> :class:`NearestSource` (``nearest_source`` is a row position in
        ``sources.table``, over all sources).

    Notes
    -----
    The points are placed on their edges once (the stub graph of :func:`distances_from`); then
    one ``dijkstra(min_only=True)`` runs per group from the stubs of its sources. Each group's
    answer equals :func:`distances_from` on that group's sources alone.
    """
    runs = _NearestRuns.build(network, sources, targets)
    return {name: runs.run(np.asarray(mask, dtype=bool), limit_m) for name, mask in groups.items()}


def reach(
    network: RoadNetwork, sources: SnapResult, *, limit_m: float
) -> Iterator[tuple[int, FloatArray]]:
    """Walking distance from each snapped source to every road node, within ``limit_m``.

    Parameters
    ----------
    network
        The road network the sources were snapped onto.
    sources
        Snapped points (e.g. facilities).
    limit_m
        Walking limit (m), the source's connector included.

    Yields
    ------
    tuple
        ``(row position in sources.table, distances)`` per snapped source, in table order;
        ``distances`` is ``(network.n_nodes,)``, ``inf`` beyond the limit or in another
        connected part of the network.

    Notes
    -----
    One bounded Dijkstra per source on the network with the source inserted as a node splitting
    its edge (:func:`~geo.network.placement.augment`), from a stub carrying its connector: the
    distances of a service area (:func:`geo.network.service_areas`), an isochrone.
    """
    aug = augment(network, sources)
    n = network.n_nodes
    for stub, pos in zip(aug.source_stub, aug.source_pos, strict=True):
        dist = dijkstra(aug.csr, directed=True, indices=int(stub), limit=limit_m + STUB_SHIFT)
        yield int(pos), dist[:n] - STUB_SHIFT
