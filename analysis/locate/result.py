"""The frozen answer of a location model, and how the covering models fill it in."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from analysis.locate.prep import BoolArray, FloatArray, IntArray, gap


@dataclass(frozen=True)
class LocateResult:
    """The answer of one location model.

    Attributes
    ----------
    model
        ``"mclp"``, ``"lscp"`` or ``"pmedian"``.
    chosen
        Candidate rows of the new sites, in order of marginal gain (the first adds most).
    gains
        Marginal gain of each chosen site given the fixed sites and the ones ranked before it:
        weight newly covered (MCLP, LSCP) or weighted distance saved (p-median).
    objective
        Covered weight (MCLP, fixed sites included), number of new sites (LSCP) or total
        weighted distance (p-median, with unassigned demand at its penalty).
    bound
        Best **proven** bound on the optimum (upper for MCLP, lower for LSCP and p-median):
        a dual bound of HiGHS, an LP bound, a Lagrangian bound or the submodular bound, never
        an estimate.
    gap
        Relative gap ``|bound - objective| / max(|objective|, tiny)``; 0 when proven optimal.
    status
        ``"optimal"``, ``"time_limit"`` (best found, gap reported), ``"gap_limit"`` (stopped at
        the requested ``mip_gap``), ``"heuristic"`` (greedy or Lagrangian, gap reported) or
        ``"infeasible"``.
    time_s
        Wall time of the solve, preprocessing included.
    solver
        The engine: ``"highs"``, ``"greedy"`` or ``"trivial"`` (nothing to decide).
    uncoverable
        Demand points (columns) no candidate and no fixed site can reach.
    assignment
        Column -> row of the open site serving it (nearest for p-median, any reaching site for
        the covering models, the one with the most assigned weight under capacity), -1 if none.
    n_vars
        Variables of the largest integer program solved (0 for greedy).
    method
        The method that gave the answer: ``"compact"`` (the whole MILP), ``"core"`` (LP bound,
        core MILP, reduced-cost fixing), ``"greedy"``, ``"lagrangian"`` or ``"trivial"``.
    """

    model: str
    chosen: IntArray
    gains: FloatArray
    objective: float
    bound: float
    gap: float
    status: str
    time_s: float
    solver: str
    uncoverable: IntArray
    assignment: IntArray
    n_vars: int = 0
    method: str = "compact"


def rank_cover(
    a: sp.csr_matrix, w: FloatArray, base: BoolArray, sites: IntArray
) -> tuple[IntArray, FloatArray]:
    """Order ``sites`` greedily by the weight each newly covers after ``base`` and earlier ones."""
    covered = base.copy()
    left = [int(s) for s in sites]
    order: list[int] = []
    gains: list[float] = []
    while left:
        g = []
        for s in left:
            reach = a.indices[a.indptr[s] : a.indptr[s + 1]]
            g.append(float(w[reach][~covered[reach]].sum()))
        best = int(np.argmax(g))
        s = left.pop(best)
        order.append(s)
        gains.append(g[best])
        covered[a.indices[a.indptr[s] : a.indptr[s + 1]]] = True
    return np.asarray(order, dtype=np.int64), np.asarray(gains, dtype=np.float64)


def cover_assignment(a: sp.csr_matrix, open_mask: BoolArray) -> IntArray:
    """Per demand column, the first open row reaching it, -1 for none."""
    rows = np.flatnonzero(open_mask)
    ac = sp.csc_matrix(a[rows])
    out = np.full(a.shape[1], -1, dtype=np.int64)
    has = np.diff(ac.indptr) > 0
    out[has] = rows[ac.indices[ac.indptr[:-1][has]]]
    return out


@dataclass(frozen=True)
class Outcome:
    """What a covering solver found, before ranking: new rows, objective, bound, report."""

    sel: IntArray
    objective: float
    bound: float
    status: str
    solver: str
    n_vars: int
    method: str


def cover_result(
    model: str,
    cov: sp.csr_matrix,
    w: FloatArray,
    fx: BoolArray,
    uncoverable: IntArray,
    out: Outcome,
    t0: float,
) -> LocateResult:
    """The covering models' result: sites ranked by marginal gain, each demand's site."""
    base_cov = np.asarray(cov[np.flatnonzero(fx)].sum(axis=0)).ravel() > 0
    order, gains = rank_cover(cov, w, base_cov, out.sel)
    open_mask = fx.copy()
    open_mask[out.sel] = True
    return LocateResult(
        model=model,
        chosen=order,
        gains=gains,
        objective=float(out.objective),
        bound=float(out.bound),
        gap=0.0 if out.status == "optimal" else gap(out.objective, out.bound),
        status=out.status,
        time_s=time.perf_counter() - t0,
        solver=out.solver,
        uncoverable=uncoverable,
        assignment=cover_assignment(cov, open_mask),
        n_vars=out.n_vars,
        method=out.method,
    )
