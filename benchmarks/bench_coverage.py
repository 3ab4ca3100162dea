"""Benchmark of the coverage hot path (a script, not a test): issue 4's numbers.

On one seeded synthetic county, a 500 x 500 grid of roads (250,000 junctions, 40 m blocks) with
1,000,000 households and 200 facilities, it prints medians of:

* building the routable graph from the road layer (``geo.network.build_network``; target < 2 s)
  and, for reference, the osmnx-style MultiDiGraph (``RoadNetwork.graph``);
* snapping the households and facilities (``snap_points``);
* nearest-facility walking distance of every household (``distances_from``: one stub node per
  facility joined to the graph + one multi-source Dijkstra + the better end of each household's
  edge), and the two together, end to end with the graph already built (target < 3 s), with
  the median of each stage inside the end-to-end runs;
* the shortest-path part: scipy's multi-source Dijkstra from the facilities' nodes on the road
  graph, against networkx ``multi_source_dijkstra_path_length`` on the osmnx-style graph, the
  same sources, in the same run (target: ours at least 20x faster);
* pandana's ``nearest_pois`` on the same nodes and facilities, when pandana is installed.

The load average is printed before and after: on a shared machine, quote it with the times.

Run: ``.venv/bin/python benchmarks/bench_coverage.py [--households N] [--grid K]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

import geopandas as gpd
import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString

from analysis.coverage import nearest_by_kind
from geo.network import build_network, distances_from, snap_points

CRS = "EPSG:32649"
X0, Y0 = 500_000.0, 3_300_000.0
SPACING = 40.0
SEED = 20260701
T = TypeVar("T")


def grid_roads(k: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """``k`` rows and ``k`` columns of road, jittered, sharing a vertex at every crossing."""
    jit = rng.uniform(-5, 5, size=(k, k, 2))
    ij = np.stack(np.meshgrid(np.arange(k), np.arange(k), indexing="ij"), axis=-1)
    xy = ij * SPACING + jit + np.array([X0, Y0])
    lines = [LineString(xy[i, :, :]) for i in range(k)] + [
        LineString(xy[:, i, :]) for i in range(k)
    ]
    return gpd.GeoDataFrame(
        {"id": [f"r{i}" for i in range(len(lines))], "kind": "village_road"},
        geometry=lines,
        crs=CRS,
    )


def points(rng: np.random.Generator, n: int, k: int) -> gpd.GeoSeries:
    xy = rng.uniform(0, (k - 1) * SPACING, size=(n, 2)) + np.array([X0, Y0])
    return gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS)


def median_time(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    times: list[float] = []
    out: Any = None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--facilities", type=int, default=200)
    ap.add_argument("--grid", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-pandana", action="store_true", help="skip the pandana peer")
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)
    k, runs = args.grid, args.runs
    roads = grid_roads(k, rng)
    hh = points(rng, args.households, k)
    fac = points(rng, args.facilities, k)
    print(f"grid {k}x{k}, {args.households:,} households, {args.facilities} facilities")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")

    t_build, net = median_time(lambda: build_network(roads), runs)
    print(f"build_network (routable CSR graph)       {t_build:8.3f} s  nodes={net.n_nodes:,}")
    t0 = time.perf_counter()
    graph = net.graph
    t_graph = time.perf_counter() - t0
    print(f"osmnx-style MultiDiGraph (reference)     {t_graph:8.3f} s  (not on the hot path)")

    t_snap_h, hs = median_time(lambda: snap_points(net, hh, limit_m=300.0), runs)
    t_snap_f, fs = median_time(lambda: snap_points(net, fac, limit_m=300.0), runs)
    print(f"snap households                          {t_snap_h:8.3f} s")
    print(f"snap facilities                          {t_snap_f:8.3f} s")
    t_dist, near = median_time(lambda: distances_from(net, fs, hs), runs)
    print(f"distances_from (stubs + Dijkstra + ends) {t_dist:8.3f} s")
    mask = {"all": np.ones(len(fac), dtype=bool)}
    t_kind, by_kind = median_time(lambda: nearest_by_kind(net, fs, hs, mask), runs)
    print(f"analysis.coverage.nearest_by_kind        {t_kind:8.3f} s")
    assert np.allclose(by_kind["all"].distance_m, near.distance_m)

    stages: dict[str, list[float]] = {"snap households": [], "snap facilities": [], "nearest": []}

    def end_to_end() -> object:
        t0 = time.perf_counter()
        h = snap_points(net, hh, limit_m=300.0)
        t1 = time.perf_counter()
        f = snap_points(net, fac, limit_m=300.0)
        t2 = time.perf_counter()
        out = distances_from(net, f, h)
        t3 = time.perf_counter()
        for name, dt in zip(stages, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            stages[name].append(dt)
        return out

    t_e2e, _ = median_time(end_to_end, runs)
    verdict = "ok" if t_e2e < 3 else f"over by {t_e2e - 3:.2f} s"
    print(f"END TO END snap + nearest (target < 3 s)  {t_e2e:7.3f} s  [{verdict}]")
    print(
        "  of which (medians) "
        + ", ".join(f"{name} {statistics.median(ts):.3f} s" for name, ts in stages.items())
    )
    print(
        f"build graph (target < 2 s)               {t_build:8.3f} s  [{'ok' if t_build < 2 else 'over'}]"
    )

    # --- shortest-path part: same sources (each facility's nearest edge end), same graph -----
    tab = fs.table
    src_nodes = np.unique(
        np.where(
            tab["offset_m"] <= 0.5 * net.edges["length"].to_numpy()[tab["edge"]],
            tab["u"],
            tab["v"],
        )
    ).astype(np.int64)
    t_sp, (d_sp, _, _) = median_time(
        # net.csr holds both directions of every road, so directed=True is the same walk and
        # spares scipy symmetrising the matrix on every call (distances_from does the same)
        lambda: dijkstra(
            net.csr, directed=True, indices=src_nodes, min_only=True, return_predecessors=True
        ),
        runs,
    )
    t_nx, d_nx = median_time(
        lambda: nx.multi_source_dijkstra_path_length(
            graph, {int(s) for s in src_nodes}, weight="length"
        ),
        1,
    )
    nodes = np.fromiter(d_nx.keys(), dtype=np.int64)
    vals = np.fromiter(d_nx.values(), dtype=float)
    assert np.allclose(d_sp[nodes], vals, atol=1e-6)
    ratio = t_nx / t_sp
    print(f"scipy multi-source Dijkstra (CSR)        {t_sp:8.3f} s")
    print(f"networkx multi_source_dijkstra (MultiDiGraph) {t_nx:6.3f} s")
    print(
        f"ratio networkx / ours (target >= 20x)    {ratio:8.1f}x [{'ok' if ratio >= 20 else 'under'}]"
    )
    print(f"ratio networkx / distances_from (all incl.) {t_nx / t_dist:5.1f}x")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")

    # --- pandana ---------------------------------------------------------------------------
    if args.no_pandana:
        print("pandana peer skipped (--no-pandana)")
        return
    try:
        import pandana  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        print("pandana not installed: peer skipped (pip install pandana)")
        return
    import pandas as pd

    eu, ev, elen = net.arrays()
    nodes_df = pd.DataFrame({"x": net.node_xy[:, 0], "y": net.node_xy[:, 1]})
    t0 = time.perf_counter()
    pnet = pandana.Network(
        nodes_df["x"],
        nodes_df["y"],
        pd.Series(eu),
        pd.Series(ev),
        pd.DataFrame({"length": elen}),
        twoway=True,
    )
    t_pbuild = time.perf_counter() - t0
    fx = net.node_xy[src_nodes, 0]
    fy = net.node_xy[src_nodes, 1]
    pnet.set_pois("fac", 100_000.0, 1, pd.Series(fx), pd.Series(fy))

    def pois() -> pd.DataFrame:
        return pnet.nearest_pois(100_000.0, "fac", num_pois=1)

    t_pois, res = median_time(pois, runs)
    hh_xy = hs.table[["x", "y"]]
    t_ids, _ = median_time(lambda: pnet.get_node_ids(hh_xy["x"], hh_xy["y"]), 1)
    pd_d = res[1].reindex(range(net.n_nodes)).to_numpy()
    agree = np.nanmax(np.abs(pd_d - d_sp))
    print(f"pandana Network (contraction hierarchy)  {t_pbuild:8.3f} s")
    print(f"pandana nearest_pois (all nodes)         {t_pois:8.3f} s  max |diff| {agree:.3f} m")
    print(f"pandana get_node_ids (households)        {t_ids:8.3f} s")
    print(f"ratio pandana nearest_pois / ours (Dijkstra) {t_pois / t_sp:6.2f}x")


if __name__ == "__main__":
    main()
