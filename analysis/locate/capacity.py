"""Capacitated MCLP: splittable assignment ``z_ij`` in [0, 1] under ``sum_i w_i z_ij <= c_j x_j``.

::

    max  sum_i sum_j w_i z_ij
    s.t. sum_j z_ij <= 1,  z_ij <= x_j (a_ji),  sum_i w_i z_ij <= c_j x_j,
         sum_{j not fixed} x_j = k,  x_j = 1 (j fixed),  x binary

Solved whole by HiGHS (spopt 0.7 has no capacitated MCLP).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint

from analysis.locate.prep import (
    EPS,
    BoolArray,
    FloatArray,
    IntArray,
    capacities,
    gap,
    highs,
    merge_columns,
)
from analysis.locate.result import LocateResult


def _constraints(
    site: IntArray, col: IntArray, wz: FloatArray, cap: FloatArray, fx: BoolArray, k: int, m: int
) -> list[LinearConstraint]:
    """Rows of the model with variables ``x`` (one per site) then ``z`` (one per pair)."""
    n_cand, nz = len(cap), len(site)
    nv = n_cand + nz
    zi = n_cand + np.arange(nz)
    one_each = sp.csr_matrix((np.ones(nz), (col, zi)), shape=(m, nv))
    load = sp.csr_matrix(
        (
            np.concatenate([wz, -cap]),
            (np.concatenate([site, np.arange(n_cand)]), np.concatenate([zi, np.arange(n_cand)])),
        ),
        shape=(n_cand, nv),
    )
    open_link = sp.csr_matrix(
        (
            np.concatenate([np.ones(nz), -np.ones(nz)]),
            (np.tile(np.arange(nz), 2), np.concatenate([zi, site])),
        ),
        shape=(nz, nv),
    )
    count = np.zeros(nv)
    count[np.flatnonzero(~fx)] = 1.0
    return [
        LinearConstraint(one_each, -np.inf, 1.0),
        LinearConstraint(load, -np.inf, 0.0),
        LinearConstraint(open_link, -np.inf, 0.0),
        LinearConstraint(sp.csr_matrix(count[None, :]), k, k),
    ]


def mclp_capacity(
    cov: sp.csr_matrix,
    w: FloatArray,
    k: int,
    fx: BoolArray,
    capacity: FloatArray | float,
    groups: Sequence[IntArray],
    t0: float,
    uncoverable: IntArray,
    time_limit: float,
    mip_gap: float,
) -> LocateResult:
    """Capacitated MCLP with splittable assignment (see the module docstring)."""
    n_cand, _ = cov.shape
    cap = capacities(capacity, n_cand)
    dem = np.flatnonzero((w > 0) & (np.asarray(cov.sum(axis=0)).ravel() > 0))
    bm, wm, grp = merge_columns(sp.csc_matrix(cov[:, dem]), w[dem])
    pairs = sp.coo_matrix(bm)
    site, col = pairs.row.astype(np.int64), pairs.col.astype(np.int64)
    m = bm.shape[1]
    nv = n_cand + len(site)
    cons = _constraints(site, col, wm[col], cap, fx, k, m)
    for g in groups:
        row = np.zeros(nv)
        row[g] = 1.0
        cons.append(LinearConstraint(sp.csr_matrix(row[None, :]), 1.0, np.inf))
    lb = np.zeros(nv)
    lb[np.flatnonzero(fx)] = 1.0
    integrality = np.concatenate([np.ones(n_cand, dtype=int), np.zeros(len(site), dtype=int)])
    cost = np.concatenate([np.zeros(n_cand), -wm[col]])
    x, status, fun, dual = highs(
        cost, cons, integrality, lb, np.ones(nv), time_limit=time_limit, mip_gap=mip_gap
    )
    if x is None:
        msg = "the capacitated covering model found no solution within the time limit"
        raise ValueError(msg)
    sel = np.flatnonzero((x[:n_cand] > 0.5) & ~fx)
    zval = x[n_cand:]
    # rank by served weight, the capacitated analogue of marginal coverage
    served = np.bincount(site, weights=zval * wm[col], minlength=n_cand).astype(np.float64)
    order = sel[np.argsort(-served[sel], kind="stable")]
    assign = np.full(cov.shape[1], -1, dtype=np.int64)
    assign[dem] = _main_site(site, col, zval, m)[grp]
    objective = -fun
    bound = objective if status == "optimal" else (-dual if np.isfinite(dual) else np.nan)
    return LocateResult(
        model="mclp",
        chosen=order.astype(np.int64),
        gains=served[order],
        objective=float(objective),
        bound=float(bound),
        gap=0.0 if status == "optimal" else gap(objective, bound),
        status=status,
        time_s=time.perf_counter() - t0,
        solver="highs",
        uncoverable=uncoverable,
        assignment=assign,
        n_vars=nv,
        method="compact",
    )


def _main_site(site: IntArray, col: IntArray, zval: FloatArray, m: int) -> IntArray:
    """Per merged column, the site serving the largest share of it, -1 for none."""
    best = np.full(m, -1, dtype=np.int64)
    o = np.lexsort((-zval, col))
    firsts = o[np.r_[True, col[o][1:] != col[o][:-1]]]
    firsts = firsts[zval[firsts] > EPS]
    best[col[firsts]] = site[firsts]
    return best
