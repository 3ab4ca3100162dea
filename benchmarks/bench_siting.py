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

Run: ``.venv/bin/python benchmarks/bench_siting.py [--repeat 3] [--skip-spopt]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from analysis._locate import LocateResult, mclp

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-spopt", action="store_true")
    parser.add_argument("--spopt-limit", type=float, default=600.0)
    args = parser.parse_args()

    print("1. MCLP 20,000 demand x 1,000 candidates, k = 20 (30 km square)")
    a, w, dem, cand = instance(20_000, 1_000, 30_000.0, seed=1)
    print(f"  reach: {a.nnz / a.shape[1]:.1f} candidates per demand point")
    t_ours, ours = timed(lambda: mclp(a, w, 20, method="exact"), args.repeat)
    report("tongan (HiGHS, exact)", t_ours, ours)  # type: ignore[arg-type]
    t_greedy, greedy = timed(lambda: mclp(a, w, 20, method="greedy"), args.repeat)
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
    t_greedy, greedy = timed(lambda: mclp(a, w, 50, method="greedy"), args.repeat)
    report("tongan (greedy + bound)", t_greedy, greedy)  # type: ignore[arg-type]
    print("  target: within 60 s, exact or gap < 1 %")

    print("3. stress: dense reach, 20,000 x 1,000 in a 10 km square, k = 20")
    a, w, _, _ = instance(20_000, 1_000, 10_000.0, seed=3)
    print(f"  reach: {a.nnz / a.shape[1]:.1f} candidates per demand point")
    t_greedy, greedy = timed(lambda: mclp(a, w, 20, method="greedy"), args.repeat)
    report("tongan (greedy + bound)", t_greedy, greedy)  # type: ignore[arg-type]
    t_exact, exact = timed(lambda: mclp(a, w, 20, method="exact", time_limit=20.0), 1)
    report("tongan (HiGHS, 20 s limit)", t_exact, exact)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
