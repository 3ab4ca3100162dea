"""Benchmark: maximal covering (MCLP) with Tongan's core versus PySAL spopt, same instance, same run.

Instances resemble walking reach: households clustered in hamlets (40 per hamlet on average,
spread 150 m) over a county-sized square, candidate sites uniform, a site reaches a household
within 1,000 m (the walking standard). Printed: medians, the ratio, status and gap.

1. 20,000 demand points, 1,000 candidates, k = 20, 30 km square: Tongan (HiGHS after
   preprocessing) versus spopt 0.7 (PuLP + CBC, its default), both to the proven optimum.
2. 200,000 demand points, 5,000 candidates, k = 50, 60 km square: Tongan alone (spopt would
   need a dense 200,000 x 5,000 matrix), exact, or greedy with a proven bound.
3. A stress case with dense reach (20,000 points and 1,000 candidates in a 10 km square, about
   28 candidates per household): greedy with its bound, and HiGHS within the time limit.
4. With ``--scale S`` (and only then, alone, so the peak memory is its own): ``site_facilities``
   end to end on the synthetic county (``benchmarks/synthetic_county.py``; 1.0 = 200,000
   households, 250,000 road nodes, no facility yet), MCLP with k = 3 and the default settings:
   generated candidates (capped by ``max_candidates``), the sparse (site, household) pairs
   within the standard, the solve, coverage before and after. Printed: the median time, the peak
   RSS, the candidates, the coverage, and the sparse pairs against the dense
   ``distance_matrix`` on a block of ``--dense-sites`` sites (the peer: what siting ran before).

Run: ``.venv/bin/python benchmarks/bench_siting.py [--repeat 3] [--skip-spopt]``, or
``.venv/bin/python benchmarks/bench_siting.py --scale 1.0 [--repeat 3]`` for the county.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from analysis.locate import LocateResult, mclp

RADIUS_M = 1000.0
HAMLET_SIZE = 40
HAMLET_SPREAD_M = 150.0


def instance(
    n_dem: int, n_cand: int, side_m: float, seed: int
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """Coverage (candidates x demand), weights, and the coordinates of both."""
    rng = np.random.default_rng(seed)
    n_h = max(n_dem // HAMLET_SIZE, 1)
    centres = rng.uniform(0, side_m, (n_h, 2))
    dem = centres[rng.integers(0, n_h, n_dem)] + rng.normal(0, HAMLET_SPREAD_M, (n_dem, 2))
    cand = rng.uniform(0, side_m, (n_cand, 2))
    pairs = cKDTree(cand).query_ball_point(dem, RADIUS_M)
    rows = np.concatenate([np.asarray(p, dtype=np.int64) for p in pairs])
    cols = np.repeat(np.arange(n_dem), [len(p) for p in pairs])
    a = sp.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n_cand, n_dem))
    w = rng.integers(1, 5, n_dem).astype(np.float64)
    return a, w, dem, cand


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def spopt_mclp(
    dem: np.ndarray, cand: np.ndarray, w: np.ndarray, k: int, time_limit: float
) -> tuple[float, str]:
    import pulp
    from spopt.locate import MCLP

    cost = np.sqrt(((dem[:, None, :] - cand[None, :, :]) ** 2).sum(axis=2, dtype=np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MCLP.from_cost_matrix(cost, w, service_radius=RADIUS_M, p_facilities=k)
        model = model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    return float(pulp.value(model.problem.objective)), pulp.LpStatus[model.problem.status]


def report(name: str, seconds: float, res: LocateResult) -> None:
    print(
        f"  {name:<28} median {seconds:8.2f} s  objective {res.objective:12.1f}  "
        f"bound {res.bound:12.1f}  gap {100 * res.gap:6.3f} %  {res.solver}/{res.status}"
    )


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def county(scale: float, repeat: int, dense_sites: int) -> None:
    """Section 4: ``site_facilities`` on the synthetic county."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic_county import synthetic_county

    from analysis.siting import site_facilities
    from geo.network import build_network, distance_matrix, distance_pairs, snap_points
    from geo.settings import Settings

    settings = Settings()
    t = time.perf_counter()
    layers = synthetic_county(scale=scale).to_metric()
    gen_s = time.perf_counter() - t
    print(
        f"4. site_facilities on the synthetic county at scale {scale}: "
        f"{len(layers.households):,} households (generated in {gen_s:.1f} s; "
        f"peak RSS so far {peak_rss_gib():.2f} GiB)"
    )
    # as the CLI runs it: a fresh network (its snapping index is built on first use), then siting
    net_times, times, res = [], [], None
    for _ in range(repeat):
        t = time.perf_counter()
        network = build_network(layers.roads)
        net_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        res = site_facilities(layers, settings=settings, model="mclp", k=3, network=network)
        times.append(time.perf_counter() - t)
    assert res is not None
    total = [a + b for a, b in zip(net_times, times, strict=True)]
    s = settings.siting
    thinned = (
        f", thinned from {res.candidates_thinned_from:,} at {s.candidate_spacing_m:g} m "
        f"(max_candidates {s.max_candidates:,})"
        if res.candidates_thinned_from
        else ""
    )
    print(
        f"  {len(res.candidates):,} candidates at {res.candidate_spacing_m:g} m{thinned}; "
        f"{len(res.existing):,} existing"
    )
    print(
        f"  mclp k = 3: median {statistics.median(total):.2f} s over {repeat} run(s) "
        f"({', '.join(f'{x:.2f}' for x in total)}): build_network "
        f"{statistics.median(net_times):.2f} s + site_facilities {statistics.median(times):.2f} s "
        f"(solve {res.time_s:.2f} s, {res.solver}/{res.status}, gap {100 * res.gap:.3f} %); "
        f"{network.n_nodes:,} road nodes; peak RSS {peak_rss_gib():.2f} GiB "
        "(target: within 60 s, under 4 GB)"
    )
    print(
        f"  coverage (weighted share within {res.standard_m:g} m): before "
        f"{100 * res.coverage_before:.2f} %, after {100 * res.coverage_after:.2f} %; "
        f"households gained {res.chosen['households_gained'].tolist()}"
    )
    # the distance step alone, sparse against the dense matrix on a block of sites
    sites = snap_points(network, res.candidates.geometry, limit_m=settings.snap_limit_m)
    homes = snap_points(network, layers.households.geometry, limit_m=settings.snap_limit_m)
    standard = settings.walking_standard_m
    t = time.perf_counter()
    pairs = distance_pairs(network, sites, homes, limit_m=standard)
    pairs_s = time.perf_counter() - t
    per_site_gb = (network.n_nodes + len(homes)) * 8 / 1e9  # a dense row, points inserted
    before_cap = res.candidates_thinned_from or len(sites)
    print(
        f"  distance_pairs, all {len(sites):,} sites: {pairs_s:.2f} s, {len(pairs):,} pairs "
        f"within {standard:g} m ({len(pairs) * 24 / 1e6:.0f} MB); the dense distance_matrix "
        f"would need ~{len(sites) * per_site_gb:,.1f} GB for them, "
        f"~{before_cap * per_site_gb:,.1f} GB for the {before_cap:,} sites before the cap"
    )
    block = min(dense_sites, len(sites))
    few = replace(sites, table=sites.table.iloc[:block])
    t = time.perf_counter()
    sparse = distance_pairs(network, few, homes, limit_m=standard)
    sparse_s = time.perf_counter() - t
    t = time.perf_counter()
    dense = distance_matrix(network, few, homes, limit_m=standard)
    dense_s = time.perf_counter() - t
    same = np.allclose(sparse.to_dense(), dense, rtol=0, atol=1e-6)
    print(
        f"  {block} sites: distance_pairs {sparse_s:.2f} s, distance_matrix (dense, the peer) "
        f"{dense_s:.2f} s, ratio {dense_s / sparse_s:.1f}x; same distances: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-spopt", action="store_true")
    parser.add_argument("--spopt-limit", type=float, default=600.0)
    parser.add_argument(
        "--scale", type=float, default=None, help="run section 4 alone, on the county at this scale"
    )
    parser.add_argument("--dense-sites", type=int, default=100)
    args = parser.parse_args()
    if args.scale is not None:
        county(args.scale, args.repeat, args.dense_sites)
        return

    print("1. MCLP 20,000 demand x 1,000 candidates, k = 20 (30 km square)")
    a, w, dem, cand = instance(20_000, 1_000, 30_000.0, seed=1)
    print(f"  reach: {a.nnz / a.shape[1]:.1f} candidates per demand point")
    t_ours, ours = timed(lambda: mclp(a, w, 20, solver="exact"), args.repeat)
    report("tongan (HiGHS, exact)", t_ours, ours)  # type: ignore[arg-type]
    t_greedy, greedy = timed(lambda: mclp(a, w, 20, solver="greedy"), args.repeat)
    report("tongan (greedy + bound)", t_greedy, greedy)  # type: ignore[arg-type]
    if not args.skip_spopt:  # spopt takes minutes here: --skip-spopt to leave it out
        t0 = time.perf_counter()
        obj, status = spopt_mclp(dem, cand, w, 20, args.spopt_limit)
        t_spopt = time.perf_counter() - t0
        print(
            f"  {'spopt 0.7 (PuLP + CBC)':<28} once   {t_spopt:8.2f} s  objective {obj:12.1f}"
            f"  {status}"
        )
        same = abs(obj - ours.objective) <= 1e-6  # type: ignore[attr-defined]
        print(
            f"  same optimum: {same};  ratio spopt / tongan = {t_spopt / t_ours:.1f}x "
            f"(target >= 5x, tongan < 20 s)"
        )

    print("2. MCLP 200,000 demand x 5,000 candidates, k = 50 (60 km square)")
    a, w, _, _ = instance(200_000, 5_000, 60_000.0, seed=2)
    print(f"  reach: {a.nnz / a.shape[1]:.1f} candidates per demand point")
    t_auto, auto = timed(lambda: mclp(a, w, 50, time_limit=60.0), max(1, args.repeat - 2))
    report("tongan (auto)", t_auto, auto)  # type: ignore[arg-type]
    t_greedy, greedy = timed(lambda: mclp(a, w, 50, solver="greedy"), args.repeat)
    report("tongan (greedy + bound)", t_greedy, greedy)  # type: ignore[arg-type]
    print("  target: within 60 s, exact or gap < 1 %")

    print("3. stress: dense reach, 20,000 x 1,000 in a 10 km square, k = 20")
    a, w, _, _ = instance(20_000, 1_000, 10_000.0, seed=3)
    print(f"  reach: {a.nnz / a.shape[1]:.1f} candidates per demand point")
    t_greedy, greedy = timed(lambda: mclp(a, w, 20, solver="greedy"), args.repeat)
    report("tongan (greedy + bound)", t_greedy, greedy)  # type: ignore[arg-type]
    t_exact, exact = timed(lambda: mclp(a, w, 20, solver="exact", time_limit=20.0), 1)
    report("tongan (HiGHS, 20 s limit)", t_exact, exact)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
