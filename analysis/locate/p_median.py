"""p-median (Hakimi 1964; ReVelle & Swain 1970) on a dense or sparse cost matrix.

::

    min  sum_i sum_j w_i d_ij z_ij  (+ sum_i w_i u z_i0, the unassigned penalty u)
    s.t. sum_j z_ij (+ z_i0) = 1,  z_ij <= x_j,  sum_{j not fixed} x_j = k,  x_j = 1 (j fixed)
         sum_i w_i z_ij <= c_j x_j (capacity),  sum_{j in g} x_j >= 1 (groups),  x binary

Solvers (``solver=``):

* ``"core"`` (``"exact"``): greedy and best-improvement swaps give a solution, the Lagrangian
  relaxation of the assignment rows a proven lower bound; when they meet it is optimal.
  Otherwise Lagrangian reduced-cost fixing closes the sites that cannot be in a better solution
  (and keeps open those that must be), and HiGHS solves the MILP on the sites left.
* ``"lagrangian"``: the solution and the bound alone (the county scale; the gap is proven).
* ``"highs"``: the whole MILP in HiGHS (the only solver with capacity or required groups).
* ``"auto"``: ``"highs"`` with capacity or groups or up to ``compact_max_pairs`` pairs,
  ``"core"`` otherwise.

Without capacity the fixed sites collapse into one option per demand point at the distance of
its nearest fixed site (or the penalty), and a new site is a variable for that point only when
it is nearer (the others can never serve it in an optimum).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint

from analysis.locate.median import (
    Pairs,
    greedy_median,
    lagrangian_median,
    swap_median,
    two_nearest,
)
from analysis.locate.prep import (
    BoolArray,
    FloatArray,
    IntArray,
    capacities,
    check_input,
    cost_pairs,
    fixed_mask,
    gap,
    highs,
    row_pointer,
)
from analysis.locate.result import LocateResult

PmedianSolver = Literal["auto", "exact", "core", "highs", "lagrangian"]
PMEDIAN_SOLVERS: tuple[str, ...] = get_args(PmedianSolver)


@dataclass(frozen=True)
class Demand:
    """The pairs of the demand points in the model (columns renumbered ``0..m-1``)."""

    row: IntArray
    col: IntArray
    val: FloatArray
    dem: IntArray
    w: FloatArray
    fx: BoolArray
    fixed_min: FloatArray
    n_cand: int
    n_dem: int
    uncoverable: IntArray


def _demand(d: object, weights: FloatArray, fixed: object) -> Demand:
    p_row, p_col, p_val, (n_cand, n_dem) = cost_pairs(d)
    w = np.asarray(weights, dtype=np.float64).ravel()
    fx = fixed_mask(fixed, n_cand)
    reach_any = np.bincount(p_col, minlength=n_dem) > 0
    dem = np.flatnonzero(reach_any & (w > 0)) if len(w) == n_dem else np.empty(0, np.int64)
    dem_pos = np.full(n_dem, -1, dtype=np.int64)
    dem_pos[dem] = np.arange(len(dem))
    inside = dem_pos[p_col] >= 0
    row, col, val = p_row[inside], dem_pos[p_col[inside]], p_val[inside]
    fixed_min = np.full(len(dem), np.inf)
    np.minimum.at(fixed_min, col[fx[row]], val[fx[row]])
    return Demand(row, col, val, dem, w, fx, fixed_min, n_cand, n_dem, np.flatnonzero(~reach_any))


def pmedian(
    d: object,
    weights: FloatArray,
    k: int,
    *,
    fixed: object = None,
    capacity: FloatArray | float | None = None,
    groups: Sequence[IntArray] = (),
    unassigned_cost: float | None = None,
    solver: PmedianSolver = "auto",
    compact_max_pairs: int = 200_000,
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
) -> LocateResult:
    """p-median: ``k`` new sites minimising the total weighted distance to the nearest open site.

    Parameters
    ----------
    d
        ``(n_cand, n_dem)`` distances (m): a dense array, ``inf`` where a site cannot serve a
        demand point; or a scipy sparse matrix whose **stored** entries are the pairs that can
        be served (an explicit 0 is a distance of 0 m, an absent entry cannot be served), e.g.
        :meth:`geo.network.DistancePairs.to_csr`. The model only ever holds those pairs.
    weights
        Demand weights, finite and >= 0.
    k
        New sites to open.
    fixed
        Sites already open (they serve demand, and do not count in ``k``).
    capacity
        Weight a site can serve (scalar or per row), splittable; ``None`` for none.
    groups
        Row-index arrays each needing at least one new site.
    unassigned_cost
        Cost per unit weight of leaving a demand point unserved (e.g. a distance penalty); with
        ``None`` every demand point some site reaches must be served, which may be infeasible.
    solver
        ``"auto"``, ``"exact"``/``"core"``, ``"lagrangian"`` or ``"highs"`` (module docstring).
    compact_max_pairs, time_limit, mip_gap
        Size up to which ``"auto"`` hands the whole MILP to HiGHS; HiGHS options.

    Returns
    -------
    LocateResult
        ``objective`` is ``sum_i w_i d_i,assigned`` (+ penalties), ``bound`` a proven lower
        bound; ``uncoverable`` are demand points no site reaches (left out of the model).

    Raises
    ------
    ValueError
        Unknown solver, bad weights, ``k`` or groups, negative costs, capacity or groups with
        ``"core"``/``"lagrangian"``, or an infeasible model.
    """
    t0 = time.perf_counter()
    if solver not in PMEDIAN_SOLVERS:
        msg = f"unknown p-median solver {solver!r}; expected one of {PMEDIAN_SOLVERS}"
        raise ValueError(msg)
    dm = _demand(d, weights, fixed)
    gl = [np.asarray(g, dtype=np.int64) for g in groups]
    check_input(dm.n_dem, dm.w, dm.fx, k, gl)
    plain = capacity is None and not gl
    if solver == "auto":
        solver = "highs" if not plain or len(dm.val) <= compact_max_pairs else "core"
    if solver == "highs":
        sel, status, fun, bound, nv = _compact(
            dm, k, capacity, gl, unassigned_cost, time_limit, mip_gap
        )
        method = "compact"
    elif not plain:
        msg = f"solver {solver!r} takes neither capacity nor required groups; use solver='highs'"
        raise ValueError(msg)
    else:
        sel, status, fun, bound, nv, method = _core(
            dm, k, unassigned_cost, solver, time_limit, mip_gap
        )
    return _result(dm, sel, status, fun, bound, nv, method, unassigned_cost, t0)


def _result(
    dm: Demand,
    sel: IntArray,
    status: str,
    fun: float,
    bound: float,
    nv: int,
    method: str,
    unassigned_cost: float | None,
    t0: float,
) -> LocateResult:
    """Sites ranked by distance saved, each demand to its nearest open site."""
    order, gains = _rank(dm, sel, unassigned_cost)
    open_mask = dm.fx.copy()
    open_mask[sel] = True
    return LocateResult(
        model="pmedian",
        chosen=order,
        gains=gains,
        objective=float(fun),
        bound=float(bound),
        gap=0.0 if status == "optimal" else gap(fun, bound),
        status=status,
        time_s=time.perf_counter() - t0,
        solver="highs" if nv else "lagrangian",
        uncoverable=dm.uncoverable,
        assignment=_assign(dm, open_mask),
        n_vars=nv,
        method=method,
    )


def _pairs(dm: Demand, unassigned_cost: float | None) -> tuple[Pairs, IntArray]:
    """The fallback-collapsed pairs of the free sites (rows renumbered), and those rows."""
    penalty = np.inf if unassigned_cost is None else float(unassigned_cost)
    c0 = np.minimum(dm.fixed_min, penalty)
    free = np.flatnonzero(~dm.fx)
    pos = np.full(dm.n_cand, -1, dtype=np.int64)
    pos[free] = np.arange(len(free))
    ok = ~dm.fx[dm.row] & (dm.val < c0[dm.col])
    wd = dm.w[dm.dem]
    return Pairs(pos[dm.row[ok]], dm.col[ok], dm.val[ok], c0, wd, len(free)), free


def _core(
    dm: Demand,
    k: int,
    unassigned_cost: float | None,
    solver: str,
    time_limit: float,
    mip_gap: float,
) -> tuple[IntArray, str, float, float, int, str]:
    """Greedy + swaps + Lagrange; fixing and the MILP on the sites left when they differ."""
    t0 = time.perf_counter()
    p, free = _pairs(dm, unassigned_cost)
    is_open, ub = swap_median(p, greedy_median(p, k))
    if not np.isfinite(ub):
        msg = (
            "the p-median model is infeasible: some demand cannot be served by the chosen sites; "
            "give an unassigned cost or more sites"
        )
        raise ValueError(msg)
    d2 = two_nearest(p, is_open)[2]  # multipliers start at the second-nearest cost
    lag = lagrangian_median(p, k, ub, u0=p.w * d2, deadline=t0 + time_limit / 2)
    lb = min(lag.bound, ub)
    tol = 1e-9 * max(ub, 1.0)
    if ub - lb <= tol or solver == "lagrangian" or ub - lb <= mip_gap * ub:
        status = "optimal" if ub - lb <= tol else "heuristic"
        return (
            free[np.flatnonzero(is_open)],
            status,
            ub,
            ub if status == "optimal" else lb,
            0,
            "lagrangian",
        )
    close = lag.if_open > ub - tol
    force = (lag.if_closed > ub - tol) & ~close
    left = free[~close]
    forced = free[force]
    sub = Demand(
        dm.row, dm.col, dm.val, dm.dem, dm.w, dm.fx | np.isin(np.arange(dm.n_cand), forced),
        dm.fixed_min, dm.n_cand, dm.n_dem, dm.uncoverable,
    )  # fmt: skip
    keep_rows = np.isin(sub.row, np.concatenate([left, np.flatnonzero(dm.fx)]))
    sub = _restrict(sub, keep_rows)
    k_left = k - len(forced)
    if k_left <= 0 or len(left) - len(forced) < k_left:
        return free[np.flatnonzero(is_open)], "optimal", ub, ub, 0, "core"
    remaining = max(time_limit - (time.perf_counter() - t0), 1.0)
    sel, status, fun, bound, nv = _compact(
        sub, k_left, None, [], unassigned_cost, remaining, mip_gap
    )
    if fun < ub:
        chosen, value = np.concatenate([forced, sel]), fun
    else:
        chosen, value = free[np.flatnonzero(is_open)], ub
    # sites closed by fixing cannot beat ub: the optimum is min(ub, what is left)
    bound = max(lag.bound, min(ub, bound))
    if status == "optimal":
        bound = value
    return np.sort(chosen).astype(np.int64), status, value, min(bound, value), nv, "core"


def _restrict(dm: Demand, keep: BoolArray) -> Demand:
    fixed_min = np.full(len(dm.dem), np.inf)
    at = keep & dm.fx[dm.row]
    np.minimum.at(fixed_min, dm.col[at], dm.val[at])
    return Demand(
        dm.row[keep], dm.col[keep], dm.val[keep], dm.dem, dm.w, dm.fx, fixed_min,
        dm.n_cand, dm.n_dem, dm.uncoverable,
    )  # fmt: skip


def _compact(
    dm: Demand,
    k: int,
    capacity: FloatArray | float | None,
    groups: Sequence[IntArray],
    unassigned_cost: float | None,
    time_limit: float,
    mip_gap: float,
) -> tuple[IntArray, str, float, float, int]:
    """The whole MILP (module docstring) in HiGHS: new sites, status, objective, bound, size."""
    n_cand, m = dm.n_cand, len(dm.dem)
    wd = dm.w[dm.dem]
    at_fixed = dm.fx[dm.row]
    fixed_best = dm.fixed_min if capacity is None else np.full(m, np.inf)
    allowed = (
        (dm.val < fixed_best[dm.col]) & ~at_fixed
        if capacity is None
        else np.ones(len(dm.val), bool)
    )
    site, col, dist = dm.row[allowed], dm.col[allowed], dm.val[allowed]
    nz = len(site)
    fcol = np.flatnonzero(np.isfinite(fixed_best))
    ucol = np.arange(m) if unassigned_cost is not None else np.empty(0, np.int64)
    nv = n_cand + nz + len(fcol) + len(ucol)
    zi = n_cand + np.arange(nz)
    penalty = 0.0 if unassigned_cost is None else float(unassigned_cost)
    cost = np.concatenate(
        [np.zeros(n_cand), wd[col] * dist, wd[fcol] * fixed_best[fcol], wd[ucol] * penalty]
    )
    cons = _rows(site, col, zi, fcol, ucol, dm.fx, k, n_cand, m, nv)
    if capacity is not None:
        cap = capacities(capacity, n_cand)
        load = sp.csr_matrix(
            (
                np.concatenate([wd[col], -cap]),
                (
                    np.concatenate([site, np.arange(n_cand)]),
                    np.concatenate([zi, np.arange(n_cand)]),
                ),
            ),
            shape=(n_cand, nv),
        )
        cons.append(LinearConstraint(load, -np.inf, 0.0))
    for g in groups:
        row = np.zeros(nv)
        row[g] = 1.0
        cons.append(LinearConstraint(sp.csr_matrix(row[None, :]), 1.0, np.inf))
    lb = np.zeros(nv)
    lb[np.flatnonzero(dm.fx)] = 1.0
    integrality = np.concatenate([np.ones(n_cand, dtype=int), np.zeros(nv - n_cand, dtype=int)])
    x, status, fun, dual = highs(
        cost, cons, integrality, lb, np.ones(nv), time_limit=time_limit, mip_gap=mip_gap
    )
    if x is None:
        msg = (
            "the p-median model is infeasible: some demand cannot be served by the chosen sites; "
            "give an unassigned cost or more sites"
        )
        raise ValueError(msg)
    sel = np.flatnonzero((x[:n_cand] > 0.5) & ~dm.fx).astype(np.int64)
    return sel, status, fun, fun if status == "optimal" else dual, nv


def _rows(
    site: IntArray,
    col: IntArray,
    zi: IntArray,
    fcol: IntArray,
    ucol: IntArray,
    fx: BoolArray,
    k: int,
    n_cand: int,
    m: int,
    nv: int,
) -> list[LinearConstraint]:
    """One option per demand point, ``z_ij <= x_j`` and ``k`` new sites."""
    nz, nf = len(site), len(fcol)
    fi = n_cand + nz + np.arange(nf)
    ui = n_cand + nz + nf + np.arange(len(ucol))
    assign_rows = np.concatenate([col, fcol, ucol])
    assign_cols = np.concatenate([zi, fi, ui])
    one_each = sp.csr_matrix((np.ones(len(assign_rows)), (assign_rows, assign_cols)), shape=(m, nv))
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
        LinearConstraint(one_each, 1.0, 1.0),
        LinearConstraint(open_link, -np.inf, 0.0),
        LinearConstraint(sp.csr_matrix(count[None, :]), k, k),
    ]


def _rank(dm: Demand, sel: IntArray, unassigned_cost: float | None) -> tuple[IntArray, FloatArray]:
    """Order the new sites greedily by weighted distance saved from the fixed sites.

    A site's distances are a dense row over the demand points (k rows, never the whole matrix).
    """
    m = len(dm.dem)
    wd = dm.w[dm.dem]
    row_start = row_pointer(dm.row, dm.n_cand)
    big = float(dm.val.max()) if len(dm.val) else 0.0  # "no site yet" costs the longest distance

    def dense_row(s: int) -> FloatArray:
        out = np.full(m, np.inf)
        lo, hi = row_start[s], row_start[s + 1]
        out[dm.col[lo:hi]] = dm.val[lo:hi]
        return out

    def fin(x: FloatArray) -> FloatArray:
        return np.where(np.isfinite(x), x, big)

    penalty = np.inf if unassigned_cost is None else float(unassigned_cost)
    cur = np.minimum(dm.fixed_min, penalty)
    order: list[int] = []
    gains: list[float] = []
    left = [int(s) for s in sel]
    rows_of = {s: dense_row(s) for s in left}
    while left:
        sv = [float(np.sum(wd * np.maximum(fin(cur) - fin(rows_of[s]), 0.0))) for s in left]
        b = int(np.argmax(sv))
        s = left.pop(b)
        order.append(s)
        gains.append(sv[b])
        cur = np.minimum(cur, rows_of[s])
    return np.asarray(order, dtype=np.int64), np.asarray(gains, dtype=np.float64)


def _assign(dm: Demand, open_mask: BoolArray) -> IntArray:
    """Each demand point to its nearest open site (the lowest row among equally near ones)."""
    assign = np.full(dm.n_dem, -1, dtype=np.int64)
    at_open = open_mask[dm.row]
    o_row, o_col, o_val = dm.row[at_open], dm.col[at_open], dm.val[at_open]
    by_col = np.lexsort((o_row, o_val, o_col))
    o_row, o_col = o_row[by_col], o_col[by_col]
    first = np.ones(len(o_col), dtype=bool)
    first[1:] = o_col[1:] != o_col[:-1]
    assign[dm.dem[o_col[first]]] = o_row[first]
    return assign
