"""Location set covering (LSCP, Toregas et al. 1971), whole or to a target share.

::

    min  sum_{j not fixed} x_j
    s.t. sum_{j: a_ji} x_j >= 1 for every demand i some site reaches
         (or, with a target share s: sum_i w_i y_i >= s * sum_i w_i,  y_i <= sum_{j: a_ji} x_j)
         sum_{j in g} x_j >= 1 for every required group g,  x binary

Solved by HiGHS after the preprocessing of :mod:`analysis.locate.maximal_covering` (fixed sites' demand out,
equal columns merged, dominated rows dropped).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint

from analysis.locate.prep import (
    EPS,
    FloatArray,
    IntArray,
    as_csr,
    check_input,
    dominated,
    fixed_mask,
    group_key,
    group_rows,
    highs,
    merge_columns,
)
from analysis.locate.result import LocateResult, Outcome, cover_result


def _model(
    c: sp.csr_matrix, wm: FloatArray, share: float, need_w: float
) -> tuple[int, FloatArray, list[LinearConstraint], np.ndarray]:
    """Variables, costs, covering rows and integrality of the (partial) set-covering MILP."""
    nk, m = c.shape
    if share >= 1.0:
        cons = [LinearConstraint(sp.csr_matrix(c.T, dtype=np.float64), 1.0, np.inf)]
        return nk, np.ones(nk), cons, np.ones(nk, dtype=int)
    nv = nk + m
    link = sp.hstack([-sp.csc_matrix(c.T, dtype=np.float64), sp.eye(m)], format="csr")
    cons = [
        LinearConstraint(link, -np.inf, 0.0),
        LinearConstraint(
            sp.csr_matrix(np.concatenate([np.zeros(nk), wm])[None, :]), need_w, np.inf
        ),
    ]
    cost = np.concatenate([np.ones(nk), np.zeros(m)])
    return nv, cost, cons, np.concatenate([np.ones(nk, dtype=int), np.zeros(m, dtype=int)])


def lscp(
    a: object,
    weights: FloatArray | None = None,
    *,
    fixed: object = None,
    share: float = 1.0,
    groups: Sequence[IntArray] = (),
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
) -> LocateResult:
    """Location set covering: the fewest new sites covering every reachable demand point.

    Parameters
    ----------
    a
        ``(n_cand, n_dem)`` boolean coverage matrix; fixed sites are rows.
    weights
        Demand weights; only used with ``share < 1`` (ones by default).
    fixed
        Sites already open.
    share
        Weighted share of the *reachable* demand to cover (1.0: all of it), in (0, 1].
    groups
        Row-index arrays each needing at least one new site.
    time_limit, mip_gap
        HiGHS options.

    Returns
    -------
    LocateResult
        ``objective`` is the number of new sites, ``bound`` a proven lower bound;
        ``uncoverable`` lists the demand no site reaches, reported instead of making the model
        infeasible.
    """
    t0 = time.perf_counter()
    cov = as_csr(a)
    n_cand, n_dem = cov.shape
    w = np.ones(n_dem) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
    fx = fixed_mask(fixed, n_cand)
    gl = [np.asarray(g, dtype=np.int64) for g in groups]
    check_input(n_dem, w, fx, None, gl)
    if not 0.0 < share <= 1.0:
        msg = f"share must be in (0, 1], got {share}"
        raise ValueError(msg)
    reach_any = np.asarray(cov.sum(axis=0)).ravel() > 0
    uncoverable = np.flatnonzero(~reach_any)
    base_cov = np.asarray(cov[np.flatnonzero(fx)].sum(axis=0)).ravel() > 0
    need_w = share * float(w[reach_any].sum()) - float(w[base_cov].sum())
    dem = np.flatnonzero(~base_cov & reach_any & ((w > 0) | (share >= 1.0)))
    if ((share < 1.0 and need_w <= EPS) or len(dem) == 0) and not gl:
        none = Outcome(np.empty(0, np.int64), 0.0, 0.0, "optimal", "trivial", 0, "trivial")
        return cover_result("lscp", cov, w, fx, uncoverable, none, t0)
    out = _solve(cov, w, fx, dem, gl, share, need_w, time_limit, mip_gap)
    return cover_result("lscp", cov, w, fx, uncoverable, out, t0)


def _solve(
    cov: sp.csr_matrix,
    w: FloatArray,
    fx: np.ndarray,
    dem: IntArray,
    groups: list[IntArray],
    share: float,
    need_w: float,
    time_limit: float,
    mip_gap: float,
) -> Outcome:
    n_cand = cov.shape[0]
    free = np.flatnonzero(~fx)
    bm, wm, _ = merge_columns(sp.csc_matrix(cov[free][:, dem]), w[dem])
    bm_csr = sp.csr_matrix(bm)
    pos_in_free = np.full(n_cand, -1, dtype=np.int64)
    pos_in_free[free] = np.arange(len(free))
    g_free = [pos_in_free[g] for g in groups]
    drop = dominated(bm_csr, group_key(n_cand, groups)[free])
    for g in g_free:
        if drop[g].all():
            drop[g[0]] = False
    keep = np.flatnonzero(~drop)
    keep_pos = np.full(len(free), -1, dtype=np.int64)
    keep_pos[keep] = np.arange(len(keep))
    nv, cost, cons, integrality = _model(bm_csr[keep], wm, share, need_w)
    cons += group_rows(g_free, nv, keep_pos)
    x, status, fun, dual = highs(
        cost, cons, integrality, np.zeros(nv), np.ones(nv), time_limit=time_limit, mip_gap=mip_gap
    )
    if x is None:
        msg = "the set-covering model found no solution within the time limit"
        raise ValueError(msg)
    sel = free[keep[np.flatnonzero(x[: len(keep)] > 0.5)]]
    bound = float(np.ceil(dual - 1e-6)) if np.isfinite(dual) else np.nan
    bound = fun if status == "optimal" else bound
    return Outcome(sel, float(round(fun)), bound, status, "highs", nv, "compact")
