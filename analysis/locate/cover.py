"""The covering model's building blocks: greedy, swaps, the Lagrangian and LP bounds, the MILP.

All work on a preprocessed coverage matrix ``b`` (free candidates x merged demand columns, see
:func:`analysis.locate.prep.merge_columns`) with weights ``w``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, linprog

from analysis.locate.prep import (
    BoolArray,
    FloatArray,
    IntArray,
    as_csr,
    group_rows,
    highs,
    top_sum,
)


def greedy_mclp(
    a: object,
    w: FloatArray,
    k: int,
    *,
    covered: BoolArray | None = None,
    groups: Sequence[IntArray] = (),
) -> tuple[IntArray, FloatArray, float]:
    """Greedy maximal covering with incremental gains and the submodular upper bound.

    Parameters
    ----------
    a
        ``(n_cand, n_dem)`` coverage of the candidates that may open.
    w
        Demand weights.
    k
        Sites to open.
    covered
        Demand already covered (by fixed sites).
    groups
        Candidate rows of which at least one must open; each group's best site is taken first.

    Returns
    -------
    chosen, gains, bound
        Sites in the order taken, their marginal gains, and an upper bound on the weight the
        best ``k`` sites can add: ``min_t (f(S_t) + sum of the k largest gains at step t)``
        (Nemhauser, Wolsey & Fisher 1978), valid without the group constraints hence with them.
    """
    b = as_csr(a)
    n_cand, n_dem = b.shape
    cov = np.zeros(n_dem, dtype=bool) if covered is None else covered.copy()
    ac = sp.csc_matrix(b, dtype=np.float64)
    gain = sp.csr_matrix(b, dtype=np.float64) @ np.where(cov, 0.0, w)
    chosen: list[int] = []
    gains: list[float] = []
    value, bound = 0.0, np.inf
    pending = [np.asarray(g, dtype=np.int64) for g in groups]
    is_open = np.zeros(n_cand, dtype=bool)
    for step in range(k):
        avail = np.where(is_open, -np.inf, gain)
        bound = min(bound, value + top_sum(avail, k))
        pending = [g for g in pending if not is_open[g].any()]
        if pending and len(pending) >= k - step:
            # the remaining picks must satisfy the groups: best site of the best group
            best_g = max(pending, key=lambda g: float(avail[g].max()))
            j = int(best_g[np.argmax(avail[best_g])])
        else:
            j = int(np.argmax(avail))
        is_open[j] = True
        new = b.indices[b.indptr[j] : b.indptr[j + 1]]
        new = new[~cov[new]]
        g_j = float(w[new].sum())
        chosen.append(j)
        gains.append(g_j)
        value += g_j
        if len(new):
            cov[new] = True
            gain -= ac[:, new] @ w[new]
    bound = min(bound, value + top_sum(np.where(is_open, -np.inf, gain), k))
    return np.asarray(chosen, dtype=np.int64), np.asarray(gains), float(max(bound, value))


def swap_mclp(b: sp.csr_matrix, w: FloatArray, sel: IntArray) -> tuple[IntArray, float]:
    """Best-improvement 1-swaps (one open site out, one closed in) until none gains.

    Each round evaluates every swap at once: with ``n_i`` the open sites covering ``i``,
    ``delta(j in, s out) = add_j - loss_s + sum_{i in N(j) & N(s), n_i = 1} w_i`` where ``add_j``
    is the uncovered weight ``j`` reaches and ``loss_s`` the weight only ``s`` covers.
    """
    bf = sp.csr_matrix(b, dtype=np.float64)
    bt = sp.csr_matrix(bf.T)
    is_open = np.zeros(bf.shape[0], dtype=bool)
    is_open[sel] = True
    for _ in range(10 * max(len(sel), 1)):
        cnt = bt @ is_open.astype(np.float64)
        add = bf @ np.where(cnt < 0.5, w, 0.0)
        rows = np.flatnonzero(is_open)
        only = bf[rows].multiply(np.where(np.abs(cnt - 1.0) < 0.5, w, 0.0)[None, :])
        loss = np.asarray(only.sum(axis=1)).ravel()
        delta = add[:, None] - loss[None, :] + (bf @ sp.csr_matrix(only).T).toarray()
        delta[rows, :] = -np.inf
        j, s = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if not delta[j, s] > 1e-9 * max(float(w.sum()), 1.0):
            break
        is_open[rows[s]] = False
        is_open[j] = True
    cnt = bt @ is_open.astype(np.float64)
    return np.flatnonzero(is_open).astype(np.int64), float(w[cnt > 0.5].sum())


def lagrangian_bound(
    b: object,
    w: FloatArray,
    k: int,
    *,
    lower: float = 0.0,
    iterations: int = 300,
) -> float:
    """Upper bound on the weight ``k`` sites can cover: Lagrangian relaxation of MCLP.

    Relaxing ``y_i <= sum_j a_ji x_j`` with multipliers ``0 <= lambda_i <= w_i`` gives

        L(lambda) = sum_i (w_i - lambda_i) + (sum of the k largest c_j),  c_j = sum_{i: a_ji} lambda_i

    which is an upper bound for every ``lambda``; subgradient steps (Polyak's rule towards the
    best known solution ``lower``) drive it down towards the LP bound at the cost of a sparse
    matrix-vector product per step (Galvao & ReVelle 1996).
    """
    bf = sp.csr_matrix(b, dtype=np.float64)
    bt = sp.csr_matrix(bf.T)
    n_cand = bf.shape[0]
    kk = min(k, n_cand)
    lam = 0.5 * w
    best = np.inf
    theta, stall = 2.0, 0
    for _ in range(iterations):
        c = bf @ lam
        top = np.argpartition(-c, kk - 1)[:kk] if kk < n_cand else np.arange(n_cand)
        value = float((w - lam).sum() + c[top].sum())
        if value < best - 1e-9:
            best, stall = value, 0
        else:
            stall += 1
            if stall >= 15:
                theta, stall = theta / 2, 0
        if theta < 1e-4 or best <= lower + 1e-9:
            break
        x = np.zeros(n_cand)
        x[top] = 1.0
        grad = bt @ x - 1.0  # d L / d lambda_i = (open sites covering i) - 1
        norm = float(grad @ grad)
        if norm == 0:
            break
        lam = np.clip(lam - theta * (value - lower) / norm * grad, 0.0, w)
    return best


@dataclass(frozen=True)
class CoverMilp:
    """A solved covering MILP on some rows: the rows opened, status, value and dual bound."""

    rows: IntArray
    status: str
    value: float
    bound: float
    n_vars: int


def cover_milp(
    c: sp.csr_matrix,
    w: FloatArray,
    k: int,
    groups: Sequence[IntArray],
    *,
    forced: BoolArray | None = None,
    time_limit: float,
    mip_gap: float,
) -> CoverMilp | None:
    """``max sum_i w_i y_i, y_i <= sum_j c_ji x_j, sum_j x_j <= k`` (+ groups) with HiGHS.

    ``groups`` hold row positions of ``c``; ``forced`` rows are fixed open. ``None`` when HiGHS
    found no solution in time.
    """
    n, m = c.shape
    cost = np.concatenate([np.zeros(n), -w])
    link = sp.hstack([-sp.csc_matrix(c.T, dtype=np.float64), sp.eye(m)], format="csr")
    cons = [
        LinearConstraint(link, -np.inf, 0.0),
        LinearConstraint(sp.csr_matrix(np.concatenate([np.ones(n), np.zeros(m)])[None, :]), 0, k),
    ]
    cons += group_rows(groups, n + m, np.arange(n))
    lb = np.zeros(n + m)
    if forced is not None:
        lb[:n][forced] = 1.0
    integrality = np.concatenate([np.ones(n, dtype=int), np.zeros(m, dtype=int)])
    x, status, fun, dual = highs(
        cost, cons, integrality, lb, np.ones(n + m), time_limit=time_limit, mip_gap=mip_gap
    )
    if x is None:
        return None
    bound = -dual if np.isfinite(dual) else np.inf
    return CoverMilp(np.flatnonzero(x[:n] > 0.5).astype(np.int64), status, -fun, bound, n + m)


@dataclass(frozen=True)
class CoverLp:
    """The LP relaxation of the covering MILP: its bound, ``x`` and the reduced costs of ``x``.

    ``down[j] >= 0`` bounds what the optimum loses when ``x_j`` is raised to 1 (``x_j`` at 0),
    ``up[j] >= 0`` what it loses when ``x_j`` is lowered to 0 (``x_j`` at 1): the LP value is
    concave in a bound, so ``bound - down[j]`` is an upper bound of every solution with
    ``x_j = 1`` (reduced-cost fixing).
    """

    bound: float
    x: FloatArray
    down: FloatArray
    up: FloatArray


def cover_lp(c: sp.csr_matrix, w: FloatArray, k: int, groups: Sequence[IntArray]) -> CoverLp | None:
    """Solve the LP relaxation of :func:`cover_milp` with HiGHS; ``None`` if it failed."""
    n, m = c.shape
    link = sp.hstack([-sp.csc_matrix(c.T, dtype=np.float64), sp.eye(m)], format="csr")
    rows = [link, sp.csr_matrix(np.concatenate([np.ones(n), np.zeros(m)])[None, :])]
    rhs = [np.zeros(m), np.array([float(k)])]
    for g in groups:
        row = np.zeros(n + m)
        row[np.asarray(g, dtype=np.int64)] = -1.0
        rows.append(sp.csr_matrix(row[None, :]))
        rhs.append(np.array([-1.0]))
    res = linprog(
        np.concatenate([np.zeros(n), -w]),
        A_ub=sp.vstack(rows, format="csr"),
        b_ub=np.concatenate(rhs),
        bounds=(0, 1),
        method="highs",
    )
    if res.status != 0:
        return None
    down = np.maximum(np.asarray(res.lower.marginals[:n], dtype=np.float64), 0.0)
    up = np.maximum(-np.asarray(res.upper.marginals[:n], dtype=np.float64), 0.0)
    return CoverLp(float(-res.fun), np.asarray(res.x[:n], dtype=np.float64), down, up)
