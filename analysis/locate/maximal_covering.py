"""Maximal covering location (MCLP, Church & ReVelle 1974) on a coverage matrix.

::

    max  sum_i w_i y_i
    s.t. y_i <= sum_{j: a_ji} x_j          (covered only by an open site in reach)
         sum_{j not fixed} x_j = k,  x_j = 1 (j fixed),  x binary,  0 <= y_i <= 1
         sum_{j in g} x_j >= 1 for every required group g

Solvers (``solver=``):

* ``"core"`` (``"exact"``, and ``"auto"`` up to ``exact_max_nnz``): the LP relaxation gives a
  proven upper bound; greedy then best-improvement swaps, and the MILP restricted to the LP's
  support (the *core*, a few dozen sites), give solutions; when one reaches the bound it is
  optimal. Otherwise reduced-cost fixing (a site whose LP reduced cost shows it cannot beat the
  best solution is closed, or kept open) shrinks the full MILP, which HiGHS then solves. On
  radius coverage the LP bound is usually the optimum, and the core MILP finds it.
* ``"highs"``: the whole MILP (after preprocessing) in HiGHS.
* ``"benders"`` was measured and dropped: a Benders master with the closed-form cut of
  Cordeau, Furini & Ljubić (2019), re-solved as a MILP per round (no callbacks in
  :func:`scipy.optimize.milp`), did not close a 1 % gap in 570 s where ``"core"`` needs 0.3 s.
* ``"greedy"``: greedy selection with incremental gains; its bound is the better of the
  Nemhauser-Wolsey-Fisher bound and a Lagrangian bound.

Preprocessing keeps the optimum: demand covered by a fixed site leaves the model (its weight is
a constant), demand points with the same set of reaching sites merge (weights summed), and a
candidate whose reach is a subset of another's (in the same required group) is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import scipy.sparse as sp

from analysis.locate.capacity import mclp_capacity
from analysis.locate.cover import (
    cover_lp,
    cover_milp,
    greedy_mclp,
    lagrangian_bound,
    swap_mclp,
)
from analysis.locate.prep import (
    EPS,
    BoolArray,
    FloatArray,
    IntArray,
    as_csr,
    check_input,
    dominated,
    fixed_mask,
    group_key,
    merge_columns,
)
from analysis.locate.result import LocateResult, Outcome, cover_result

MclpSolver = Literal["auto", "exact", "core", "highs", "greedy"]
MCLP_SOLVERS: tuple[str, ...] = get_args(MclpSolver)


@dataclass(frozen=True)
class Prepared:
    """An MCLP after preprocessing: free rows x merged demand, groups in free positions."""

    base: float
    free: IntArray
    b: sp.csr_matrix
    w: FloatArray
    groups: list[IntArray]
    gkey: IntArray


def prepare(cov: sp.csr_matrix, w: FloatArray, fx: BoolArray, groups: list[IntArray]) -> Prepared:
    """Drop what fixed sites cover and what nobody reaches, merge equal demand columns."""
    n_cand = cov.shape[0]
    reach_any = np.asarray(cov.sum(axis=0)).ravel() > 0
    base_cov = np.asarray(cov[np.flatnonzero(fx)].sum(axis=0)).ravel() > 0
    free = np.flatnonzero(~fx)
    pos = np.full(n_cand, -1, dtype=np.int64)
    pos[free] = np.arange(len(free))
    dem = np.flatnonzero(~base_cov & (w > 0) & reach_any)
    bm, wm, _ = merge_columns(sp.csc_matrix(cov[free][:, dem]), w[dem])
    return Prepared(
        base=float(w[base_cov].sum()),
        free=free,
        b=sp.csr_matrix(bm),
        w=wm,
        groups=[pos[g] for g in groups],
        gkey=group_key(n_cand, groups)[free],
    )


def mclp(
    a: object,
    weights: FloatArray,
    k: int,
    *,
    fixed: object = None,
    capacity: FloatArray | float | None = None,
    groups: Sequence[IntArray] = (),
    solver: MclpSolver = "auto",
    exact_max_nnz: int = 2_000_000,
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
) -> LocateResult:
    """Maximal covering location: open ``k`` new sites covering the most weighted demand.

    Parameters
    ----------
    a
        ``(n_cand, n_dem)`` boolean coverage matrix (dense or scipy sparse); fixed sites are rows.
    weights
        ``(n_dem,)`` demand weights (children counted for the service), finite and >= 0.
    k
        New sites to open (fixed sites do not count).
    fixed
        Boolean mask or row indices of the sites already open.
    capacity
        Weight each site can serve (scalar or per row); ``None`` for none.
    groups
        Row-index arrays, each needing at least one new site (disjoint, no fixed row).
    solver
        ``"auto"``, ``"exact"``/``"core"``, ``"highs"`` or ``"greedy"`` (module docstring);
        ``"auto"`` is ``"core"`` unless the preprocessed coverage holds more than
        ``exact_max_nnz`` non-zeros, then ``"greedy"``. Capacitated models are solved by
        ``"highs"`` (``"auto"``, ``"exact"`` and ``"core"`` mean it there).
    exact_max_nnz, time_limit, mip_gap
        Size limit of ``"auto"``, HiGHS time limit (s) and relative MIP gap.

    Returns
    -------
    LocateResult
        ``objective`` is the covered weight including what fixed sites cover; ``bound`` a
        proven upper bound.

    Raises
    ------
    ValueError
        An unknown solver, ``k`` out of ``1..free candidates``, bad weights, groups or fixed
        rows, or (capacitated) no solution within the time limit.
    """
    t0 = time.perf_counter()
    if solver not in MCLP_SOLVERS:
        msg = f"unknown MCLP solver {solver!r}; expected one of {MCLP_SOLVERS}"
        raise ValueError(msg)
    cov = as_csr(a)
    n_cand, n_dem = cov.shape
    w = np.asarray(weights, dtype=np.float64).ravel()
    fx = fixed_mask(fixed, n_cand)
    gl = [np.asarray(g, dtype=np.int64) for g in groups]
    check_input(n_dem, w, fx, k, gl)
    uncoverable = np.flatnonzero(np.asarray(cov.sum(axis=0)).ravel() == 0)
    if capacity is not None:
        if solver == "greedy":
            msg = "the capacitated MCLP has no greedy solver; use solver='highs'"
            raise ValueError(msg)
        return mclp_capacity(cov, w, k, fx, capacity, gl, t0, uncoverable, time_limit, mip_gap)
    p = prepare(cov, w, fx, gl)
    if solver == "auto":
        solver = "core" if p.b.nnz <= exact_max_nnz else "greedy"
    out = _solve(p, k, solver, time_limit=time_limit, mip_gap=mip_gap)
    return cover_result("mclp", cov, w, fx, uncoverable, out, t0)


def _solve(p: Prepared, k: int, solver: str, *, time_limit: float, mip_gap: float) -> Outcome:
    """Greedy first (a solution, a bound, and the answer when it meets the bound)."""
    g_sel, g_gains, g_bound = greedy_mclp(p.b, p.w, k, groups=p.groups)
    g_value = float(g_gains.sum())
    total = float(p.w.sum())
    tol = EPS * max(total, 1.0)
    if g_value >= min(total, g_bound) - tol:
        solver_name = "trivial" if p.b.nnz == 0 else "greedy"
        return Outcome(
            p.free[g_sel], p.base + g_value, p.base + g_value, "optimal", solver_name, 0, "greedy"
        )
    if solver == "greedy":
        bound = min(g_bound, total, lagrangian_bound(p.b, p.w, k, lower=g_value))
        status = "optimal" if g_value >= bound - tol else "heuristic"
        bound = g_value if status == "optimal" else max(bound, g_value)
        return Outcome(
            p.free[g_sel], p.base + g_value, p.base + bound, status, "greedy", 0, "greedy"
        )
    keep = _undominated(p)
    if solver == "highs":
        return _compact(p, k, keep, g_sel, g_value, min(g_bound, total), time_limit, mip_gap)
    return _core(p, k, keep, g_sel, g_value, min(g_bound, total), time_limit, mip_gap)


def _undominated(p: Prepared) -> IntArray:
    """Free rows kept after dominance; every group keeps a member."""
    keep = np.flatnonzero(~dominated(p.b, p.gkey))
    for g in p.groups:
        if not np.isin(g, keep).any():
            keep = np.union1d(keep, g[:1])
    return keep.astype(np.int64)


def _groups_in(groups: list[IntArray], keep: IntArray, n_free: int) -> list[IntArray]:
    """Groups as positions among the rows ``keep`` (members outside it left out)."""
    pos = np.full(n_free, -1, dtype=np.int64)
    pos[keep] = np.arange(len(keep))
    return [pos[g][pos[g] >= 0] for g in groups]


def _compact(
    p: Prepared,
    k: int,
    keep: IntArray,
    g_sel: IntArray,
    g_value: float,
    g_bound: float,
    time_limit: float,
    mip_gap: float,
) -> Outcome:
    """The whole MILP in HiGHS; the greedy answer stands if HiGHS does worse in time."""
    c = p.b[keep]
    k_eff = min(k, len(keep))
    res = cover_milp(
        c,
        p.w,
        k_eff,
        _groups_in(p.groups, keep, len(p.free)),
        time_limit=time_limit,
        mip_gap=mip_gap,
    )
    if res is None or res.value < g_value:
        sel, value = g_sel, g_value
        status = "heuristic" if res is None else "time_limit"
    else:
        sel, value, status = keep[res.rows], res.value, res.status
    bound = min(g_bound, res.bound if res is not None else np.inf)
    if status == "optimal":
        bound = value
    else:  # stopped early: the Lagrangian bound may be tighter than HiGHS's dual bound
        bound = max(min(bound, lagrangian_bound(c, p.w, k_eff, lower=value)), value)
    n_vars = res.n_vars if res is not None else 0
    sel = _pad(sel, k, p.b)
    return Outcome(p.free[sel], p.base + value, p.base + bound, status, "highs", n_vars, "compact")


def _core(
    p: Prepared,
    k: int,
    keep: IntArray,
    g_sel: IntArray,
    g_value: float,
    g_bound: float,
    time_limit: float,
    mip_gap: float,
) -> Outcome:
    """LP bound, swaps and the core MILP; reduced-cost fixing and the MILP when they differ."""
    t0 = time.perf_counter()
    c = p.b[keep]
    k_eff = min(k, len(keep))
    groups = _groups_in(p.groups, keep, len(p.free))
    sel, value = g_sel, g_value
    if not p.groups:  # swaps would have to keep every group open: greedy alone then
        sel, value = swap_mclp(p.b, p.w, g_sel)
    lp = cover_lp(c, p.w, k_eff, groups)
    if lp is None:  # HiGHS failed on the LP: the whole MILP
        return _compact(p, k, keep, g_sel, g_value, g_bound, time_limit, mip_gap)
    ub = min(lp.bound, g_bound)
    integral = bool(np.all(p.w == np.round(p.w)))
    core = _core_rows(lp.x, keep, sel, groups)
    res = cover_milp(
        c[core], p.w, k_eff, _groups_in(groups, core, len(keep)), time_limit=time_limit, mip_gap=0.0
    )
    n_vars = 0
    if res is not None:
        n_vars = res.n_vars
        if res.value > value:
            sel, value = keep[core[res.rows]], res.value
    if _closed(value, ub, integral, mip_gap):
        return _done(p, k, sel, value, ub, mip_gap, n_vars)
    # reduced-cost fixing: rows that cannot lead beyond ``value`` close (or stay open)
    close = _beyond(lp.bound - lp.down, value, integral)
    force = _beyond(lp.bound - lp.up, value, integral) & ~close
    left = np.flatnonzero(~close)
    remaining = max(time_limit - (time.perf_counter() - t0), 1.0)
    full = cover_milp(
        c[left],
        p.w,
        k_eff,
        _groups_in(groups, left, len(keep)),
        forced=force[left],
        time_limit=remaining,
        mip_gap=mip_gap,
    )
    if full is None:
        return _done(p, k, sel, value, max(ub, value), mip_gap, n_vars, status="time_limit")
    n_vars = max(n_vars, full.n_vars)
    if full.value > value:
        sel, value = keep[left[full.rows]], full.value
    # the fixed-out region holds nothing better than the solution known when fixing
    bound = max(min(ub, full.bound), value)
    status = "optimal" if full.status == "optimal" else full.status
    return _done(p, k, sel, value, bound, mip_gap, n_vars, status=status)


def _core_rows(x: FloatArray, keep: IntArray, sel: IntArray, groups: list[IntArray]) -> IntArray:
    """Positions in ``keep`` of the LP support, the best solution's sites and group members."""
    pos = np.full(int(max(keep.max(initial=0), sel.max(initial=0))) + 1, -1, dtype=np.int64)
    pos[keep] = np.arange(len(keep))
    mask = x > 1e-6
    at = pos[sel]
    mask[at[at >= 0]] = True
    for g in groups:
        if not mask[g].any():
            mask[g] = True
    return np.flatnonzero(mask).astype(np.int64)


def _beyond(upper: FloatArray, value: float, integral: bool) -> BoolArray:
    """Where an upper bound shows no solution beats ``value`` (integer weights: by 1)."""
    if integral:
        return np.asarray(np.floor(upper + 1e-6) <= value + 1e-9)
    return np.asarray(upper <= value + 1e-9 * max(abs(value), 1.0))


def _closed(value: float, ub: float, integral: bool, mip_gap: float) -> bool:
    top = float(np.floor(ub + 1e-6)) if integral else ub
    return value >= top - 1e-9 * max(abs(top), 1.0) or value >= (1.0 - mip_gap) * ub


def _done(
    p: Prepared,
    k: int,
    sel: IntArray,
    value: float,
    ub: float,
    mip_gap: float,
    n_vars: int,
    *,
    status: str | None = None,
) -> Outcome:
    integral = bool(np.all(p.w == np.round(p.w)))
    bound = float(np.floor(ub + 1e-6)) if integral else ub
    bound = max(bound, value)
    if status is None or status == "optimal":
        status = "optimal" if value >= bound - 1e-9 * max(abs(bound), 1.0) else "gap_limit"
    if status == "optimal":
        bound = value
    return Outcome(
        p.free[_pad(sel, k, p.b)], p.base + value, p.base + bound, status, "highs", n_vars, "core"
    )


def _pad(sel: IntArray, k: int, b: sp.csr_matrix) -> IntArray:
    """Fill up to ``k`` sites (dominance may leave fewer useful ones) by reach size."""
    sel = np.asarray(sel, dtype=np.int64)
    if len(sel) >= k:
        return sel
    size = np.diff(b.indptr).astype(np.float64)
    size[sel] = -1.0
    extra = np.argsort(-size, kind="stable")[: k - len(sel)]
    return np.concatenate([sel, extra]).astype(np.int64)
