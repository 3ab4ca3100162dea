"""Benchmark of the walking-distance hot path (a script, not a test).

Builds a seeded synthetic grid-ish road network of about 20,000 edges, snaps 3,000 households and
20 facilities onto it, and times (median of 5 runs) the walking distance from every household to
its nearest facility three ways:

* ``distances_from``: ours, one multi-source scipy Dijkstra on the augmented graph (end to end,
  including inserting the snapped points into the graph);
* naive peer: one networkx ``single_source_dijkstra_path_length`` per household, timed on a
  subset of households and extrapolated to all of them;
* one scipy Dijkstra per facility, then the minimum.

The peers get the augmented graph (points inserted) for free: building it is outside their
timing, so the ratios favour them. All three must agree.

Run: ``.venv/bin/python benchmarks/bench_network.py``
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

import geopandas as gpd
import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString

from geo.network import build_network, distances_from, snap_points
from geo.network.placement import STUB_SHIFT, augment

CRS = "EPSG:32649"
X0, Y0 = 500_000.0, 3_300_000.0
GRID = 101  # 101 x 101 junctions -> 2 * 101 * 100 = 20,200 edges before gaps
SPACING = 80.0
N_HOUSEHOLDS = 3_000
N_FACILITIES = 20
NX_SUBSET = 100
RUNS = 5
SEED = 20240611

T = TypeVar("T")


def synthetic_roads(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Jittered grid; every row and column is a few long lines with a bent vertex mid-block."""
    jit = rng.uniform(-12, 12, size=(GRID, GRID, 2))
    ij = np.stack(np.meshgrid(np.arange(GRID), np.arange(GRID), indexing="ij"), axis=-1)
    xy = ij * SPACING + jit + np.array([X0, Y0])
    lines: list[LineString] = []
    for i in range(GRID):
        for run in (xy[i, :, :], xy[:, i, :]):
            # a bend between consecutive junctions, so edges have interior vertices
            mid = (run[:-1] + run[1:]) / 2 + rng.uniform(-6, 6, size=(GRID - 1, 2))
            coords = np.empty((2 * GRID - 1, 2))
            coords[0::2], coords[1::2] = run, mid
            # cut into pieces of random length, dropping about 3 % of the blocks (dead ends)
            cuts = np.flatnonzero(rng.random(GRID - 1) < 0.03)
            start = 0
            for c in [*cuts.tolist(), GRID - 1]:
                if c > start:
                    lines.append(LineString(coords[2 * start : 2 * c + 1]))
                start = c + 1
    return gpd.GeoDataFrame(
        {"id": [f"r{i}" for i in range(len(lines))], "kind": "village_road"},
        geometry=lines,
        crs=CRS,
    )


def random_points(rng: np.random.Generator, n: int) -> gpd.GeoSeries:
    """Uniform random points over the grid's extent."""
    xy = rng.uniform(0, (GRID - 1) * SPACING, size=(n, 2)) + np.array([X0, Y0])
    return gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS)


def median_time(fn: Callable[[], T], runs: int = RUNS) -> tuple[float, T]:
    """Median wall time of ``runs`` calls, and the last result."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    rng = np.random.default_rng(SEED)
    roads = synthetic_roads(rng)
    t_build, net = median_time(lambda: build_network(roads), runs=3)
    hh = random_points(rng, N_HOUSEHOLDS)
    fac = random_points(rng, N_FACILITIES)
    t_snap, households = median_time(lambda: snap_points(net, hh, limit_m=300))
    facilities = snap_points(net, fac, limit_m=300)

    # --- ours: one multi-source Dijkstra ------------------------------------------------------
    t_ours, res = median_time(lambda: distances_from(net, facilities, households))
    ours = res.distance_m
    t_aug, aug = median_time(lambda: augment(net, facilities, households))

    # the augmented graph without the source stubs, undirected, for the peers
    n_aug = aug.source_stub[0]
    road_csr = aug.csr[:n_aug, :n_aug].tocsr()
    f_node = aug.csr[aug.source_stub].tocoo()  # stub -> node rows give each facility's node
    f_order = np.argsort(f_node.row)
    fac_node = f_node.col[f_order]
    fac_conn = f_node.data[f_order] - STUB_SHIFT
    h_node, h_conn = aug.target_node, aug.target_connector

    # --- peer: one scipy Dijkstra per facility, then the minimum -----------------------------
    def per_facility() -> np.ndarray:
        best = np.full(n_aug, np.inf)
        for node, conn in zip(fac_node, fac_conn, strict=True):
            d = dijkstra(road_csr, directed=True, indices=int(node))
            np.minimum(best, d + conn, out=best)
        return best[h_node] + h_conn

    t_scipy, per_fac = median_time(per_facility)

    # --- naive peer: one networkx Dijkstra per household (subset, extrapolated) --------------
    graph = nx.from_scipy_sparse_array(road_csr, create_using=nx.Graph)
    subset = np.arange(min(NX_SUBSET, len(h_node)))

    def per_household() -> np.ndarray:
        out = np.full(len(subset), np.inf)
        for k in subset:
            lengths = nx.single_source_dijkstra_path_length(graph, int(h_node[k]), weight="weight")
            for node, conn in zip(fac_node, fac_conn, strict=True):
                d = lengths.get(int(node))
                if d is not None:
                    out[k] = min(out[k], d + conn + h_conn[k])
        return out

    t_nx_subset, per_hh = median_time(per_household)
    t_nx = t_nx_subset * len(h_node) / len(subset)

    # --- agreement ----------------------------------------------------------------------------
    snapped_ours = ours[aug.target_pos]
    np.testing.assert_allclose(snapped_ours, per_fac, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(snapped_ours[subset], per_hh, rtol=1e-9, atol=1e-6)

    print(f"network: {net.n_nodes:,} nodes, {net.n_edges:,} edges ({len(roads):,} road lines)")
    print(
        f"points: {int(households.snapped.sum()):,}/{N_HOUSEHOLDS:,} households and "
        f"{int(facilities.snapped.sum())}/{N_FACILITIES} facilities snapped (limit 300 m); "
        f"augmented graph {aug.csr.shape[0]:,} nodes"
    )
    print(f"build_network (median of 3): {t_build * 1e3:9.1f} ms")
    print(f"snap_points 3,000 households: {t_snap * 1e3:9.1f} ms")
    print(f"median of {RUNS} runs, all households to their nearest facility:")
    print(
        f"  ours, distances_from (1 multi-source dijkstra): {t_ours * 1e3:9.1f} ms"
        f"   (of which building the augmented graph {t_aug * 1e3:.1f} ms)"
    )
    print(
        f"  scipy dijkstra per facility ({N_FACILITIES} runs), min: {t_scipy * 1e3:9.1f} ms"
        f"   ratio {t_scipy / t_ours:6.1f}x"
    )
    print(
        f"  networkx dijkstra per household:              {t_nx * 1e3:9.1f} ms"
        f"   ratio {t_nx / t_ours:6.1f}x  (EXTRAPOLATED: measured {t_nx_subset * 1e3:.1f} ms "
        f"on {len(subset)} households, x{len(h_node) / len(subset):.0f})"
    )
    print("all three agree (max abs diff < 1e-6 m).")


if __name__ == "__main__":
    main()
