"""Benchmark of the drowning-risk analysis on the synthetic county (a script, not a test).

Issue 3's target: the full analysis of a county with 200,000 households, 2,000 km of water and a
250,000-node road network in under 60 s and 4 GiB on the 2-core machine. This script

1. builds the county with :func:`benchmarks.synthetic_county.synthetic_county` (``--scale``
   shrinks it; 1.0 is the target size);
2. times :func:`analysis.risk.assess_risk` end to end (network building included), median of
   ``--runs``, and reports the peak resident memory of the process;
3. times the walking-distance exposure step two ways on the same snapped points and pairs:
   ours (tiled bounded multi-source ``scipy.sparse.csgraph.dijkstra``) on every spot, and the
   named peer, networkx ``single_source_dijkstra_path_length`` with ``cutoff`` from both end nodes
   of each spot's edge (on a ``networkx.Graph`` of the same compact graph, built outside the
   timing), on a random subset of ``--nx-subset`` spots, extrapolated to all spots. Both must
   agree on the subset.

Run: ``.venv/bin/python benchmarks/bench_risk.py --scale 0.25``
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_county import synthetic_county

from analysis._risk_exposure import pair_walking_distances
from analysis.risk import _people, assess_risk
from geo.network import build_network, snap_points
from geo.settings import Settings

DATE = dt.date(2026, 7, 15)


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def nx_pair_distances(
    graph: nx.Graph,
    spots: gpd.GeoDataFrame,
    people: gpd.GeoDataFrame,
    pair_spot: np.ndarray,
    pair_person: np.ndarray,
    elen: np.ndarray,
    limit: float,
) -> np.ndarray:
    """The peer: per spot, two networkx Dijkstra runs with cutoff, then the same formula."""
    s_u, s_v, s_off, s_edge, s_conn, s_ok = (
        spots[c].to_numpy() for c in ("u", "v", "offset_m", "edge", "connector_m", "snapped")
    )
    p_u, p_v, p_off, p_edge, p_conn, p_ok = (
        people[c].to_numpy() for c in ("u", "v", "offset_m", "edge", "connector_m", "snapped")
    )
    out = np.full(len(pair_spot), np.inf)
    order = np.argsort(pair_spot, kind="stable")
    bounds = np.flatnonzero(np.diff(pair_spot[order])) + 1
    for group in np.split(order, bounds):
        if len(group) == 0:
            continue
        s = int(pair_spot[group[0]])
        if not s_ok[s]:
            continue
        su, sv, so, se = int(s_u[s]), int(s_v[s]), float(s_off[s]), int(s_edge[s])
        from_u = nx.single_source_dijkstra_path_length(graph, su, cutoff=limit, weight="weight")
        from_v = nx.single_source_dijkstra_path_length(graph, sv, cutoff=limit, weight="weight")
        for k in group.tolist():
            p = int(pair_person[k])
            if not p_ok[p]:
                continue
            pu, pv, po, pe = int(p_u[p]), int(p_v[p]), float(p_off[p]), int(p_edge[p])
            best = np.inf
            for dmap, a_off in ((from_u, so), (from_v, elen[se] - so)):
                for b, b_off in ((pu, po), (pv, elen[pe] - po)):
                    if b in dmap:
                        best = min(best, a_off + dmap[b] + b_off)
            if se == pe:
                best = min(best, abs(so - po))
            total = best + s_conn[s] + p_conn[p]
            out[k] = total if total <= limit else np.inf
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.25, help="1.0 is the issue's target")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--nx-subset", type=int, default=100)
    args = parser.parse_args()
    settings = Settings()
    limit = settings.exposure_distance_m

    t = time.perf_counter()
    layers = synthetic_county(scale=args.scale)
    gen_s = time.perf_counter() - t
    water_km = (
        shapely.length(
            np.where(
                shapely.get_type_id(layers.waters.geometry.to_numpy()) == 3,
                shapely.get_exterior_ring(layers.waters.geometry.to_numpy()),
                layers.waters.geometry.to_numpy(),
            )
        ).sum()
        / 1000
    )
    print(
        f"synthetic county at scale {args.scale}: {len(layers.households):,} households, "
        f"{water_km:,.0f} km of water, generated in {gen_s:.1f} s "
        f"(peak RSS so far {peak_rss_gib():.2f} GiB)"
    )

    times = []
    result = None
    for _ in range(args.runs):
        t = time.perf_counter()
        result = assess_risk(layers, settings=settings, date=DATE)
        times.append(time.perf_counter() - t)
    assert result is not None
    s = result.spots
    print(
        f"assess_risk end to end (network build included): median {statistics.median(times):.2f} s "
        f"over {args.runs} run(s); {len(s):,} spots "
        f"({(s['risk_class'] == 'red').sum():,} red, {(s['risk_class'] == 'yellow').sum():,} yellow); "
        f"peak RSS {peak_rss_gib():.2f} GiB"
    )

    # --- the exposure step, ours vs networkx ----------------------------------------------
    metric = layers.to_metric()
    t = time.perf_counter()
    network = build_network(metric.roads)
    net_s = time.perf_counter() - t
    print(f"road network: {network.n_nodes:,} nodes, {network.n_edges:,} edges ({net_s:.1f} s)")
    people = _people(metric, settings.risk)
    spot_snap = snap_points(network, s.geometry, limit_m=limit)
    people_snap = snap_points(
        network, people, limit_m=settings.snap_limit_m, barriers=metric.waters
    )
    ps, pp = shapely.STRtree(people.geometry.to_numpy()).query(
        s.geometry.to_numpy(), predicate="dwithin", distance=limit
    )
    ps, pp = ps.astype(np.int64), pp.astype(np.int64)
    t = time.perf_counter()
    ours = pair_walking_distances(
        network, spot_snap, people_snap, ps, pp, limit_m=limit, tile_m=settings.risk.network_tile_m
    )
    ours_s = time.perf_counter() - t
    print(
        f"exposure step, ours (tiled csgraph.dijkstra, limit {limit:.0f} m): {ours_s:.2f} s for "
        f"{len(s):,} spots x {len(ps):,} candidate pairs ({np.isfinite(ours).sum():,} within reach)"
    )

    graph = nx.from_scipy_sparse_array(network.csr)  # outside the timing: favours the peer
    rng = np.random.default_rng(0)
    subset = rng.choice(len(s), size=min(args.nx_subset, len(s)), replace=False)
    mask = np.isin(ps, subset)
    elen = network.edges["length"].to_numpy(dtype=float)
    t = time.perf_counter()
    peer = nx_pair_distances(
        graph, spot_snap.table, people_snap.table, ps[mask], pp[mask], elen, limit
    )
    nx_s = time.perf_counter() - t
    both = np.isfinite(peer) | np.isfinite(ours[mask])
    agree = np.allclose(peer[both], ours[mask][both], atol=1e-6)
    nx_full = nx_s / len(subset) * len(s)
    print(
        f"exposure step, networkx peer: {nx_s:.2f} s for {len(subset)} spots -> "
        f"{nx_full:.1f} s extrapolated to {len(s):,} spots; agree on the subset: {agree}"
    )
    print(f"ratio networkx / ours (exposure step): {nx_full / ours_s:.1f}x")
    print(f"peak RSS of the whole run: {peak_rss_gib():.2f} GiB")


if __name__ == "__main__":
    main()
