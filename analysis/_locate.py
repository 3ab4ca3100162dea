"""Facility-location models on a coverage or cost matrix: the pure numpy/scipy core of siting.

Like spopt's ``from_cost_matrix``, every model here takes matrices, never layers: a boolean
coverage matrix ``a`` (candidates x demand, ``a[j, i]`` true when site ``j`` reaches demand
point ``i`` within the standard) or a cost matrix ``d`` (walking metres, ``inf`` where unreachable;
or sparse, its stored entries the reachable pairs) and a weight per demand point. Both may be
scipy sparse matrices, so a county's sites and households never make a dense matrix.
:mod:`analysis.siting` builds them from the layers.

Models (``x_j`` = 1 when site ``j`` is open; sites in ``fixed`` are open already):

* **MCLP** (maximal covering, Church & ReVelle 1974)::

      max  sum_i w_i y_i
      s.t. y_i <= sum_{j: a_ji} x_j          (covered only by an open site in reach)
           sum_{j not fixed} x_j = k,  x_j = 1 (j fixed),  x binary,  0 <= y_i <= 1

* **LSCP** (set covering, Toregas et al. 1971)::

      min  sum_{j not fixed} x_j
      s.t. sum_{j: a_ji} x_j >= 1 for every demand i some site reaches
           (or, with a target share s: sum_i w_i y_i >= s * sum_i w_i, y_i <= sum_{j: a_ji} x_j)

* **p-median** (Hakimi 1964; ReVelle & Swain 1970)::

      min  sum_i sum_j w_i d_ij z_ij
      s.t. sum_j z_ij = 1,  z_ij <= x_j,  sum_{j not fixed} x_j = k,  x binary, z >= 0

* **capacity** (MCLP and p-median): ``sum_i w_i z_ij <= c_j x_j`` with splittable assignment
  ``z_ij`` in [0, 1] (``sum_j z_ij <= 1`` for MCLP);
* **required groups** (policy: a home in every village that lacks one): ``sum_{j in g} x_j >= 1``.

Exact solutions come from HiGHS through :func:`scipy.optimize.milp` after preprocessing that keeps
the optimum: demand covered by a fixed site leaves the model (its weight is a constant), demand
points with the same set of reaching sites merge into one (weights summed), and a candidate whose
reach is a subset of another's (in the same required group) is dropped. Instances larger than
``exact_max_nnz`` are solved by greedy selection with incremental gain updates (what lazy
evaluation buys, vectorised), and the Nemhauser-Wolsey-Fisher bound
``OPT <= f(S_t) + sum of the k largest marginal gains at step t`` (MCLP objective is submodular)
gives a proven gap.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = [
    "LocateResult",
    "greedy_mclp",
    "lagrangian_bound",
    "lscp",
    "mclp",
    "pmedian",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
Method = Literal["auto", "exact", "greedy"]

#: Gains below this are treated as zero (floating-point noise of summed weights).
_EPS = 1e-9


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
        Best proven bound on the optimum (upper for MCLP, lower for LSCP and p-median).
    gap
        Relative gap ``|bound - objective| / max(|objective|, tiny)``; 0 when proven optimal.
    status
        ``"optimal"``, ``"time_limit"`` (best found, gap reported), ``"heuristic"`` (greedy) or
        ``"infeasible"``.
    time_s
        Wall time of the solve, preprocessing included.
    solver
        ``"highs"``, ``"greedy"`` or ``"trivial"`` (nothing to decide).
    uncoverable
        Demand points (columns) no candidate and no fixed site can reach.
    assignment
        Column -> row of the open site serving it (nearest for p-median, any reaching site for
        the covering models, the one with the most assigned weight under capacity), -1 if none.
    n_vars
        Variables of the integer program actually solved (0 for greedy).
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


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _as_csr(a: object) -> sp.csr_matrix:
    m = sp.csr_matrix(a, dtype=bool)
    m.eliminate_zeros()
    m.sort_indices()
    return m


def _check(
    n_cand: int,
    n_dem: int,
    weights: FloatArray,
    fixed: BoolArray,
    k: int | None,
    groups: Sequence[IntArray],
) -> None:
    if n_dem == 0 or weights.sum() <= 0:
        msg = "no demand: every weight is zero or there are no demand points"
        raise ValueError(msg)
    if len(weights) != n_dem:
        msg = f"{len(weights)} weights for {n_dem} demand points"
        raise ValueError(msg)
    if (weights < 0).any() or not np.isfinite(weights).all():
        msg = "weights must be finite and >= 0"
        raise ValueError(msg)
    n_free = int((~fixed).sum())
    if n_free == 0:
        msg = "no candidate site: every row is a fixed (existing) site"
        raise ValueError(msg)
    if k is not None:
        if k < 1:
            msg = f"k must be at least 1, got {k}"
            raise ValueError(msg)
        if k > n_free:
            msg = f"k = {k} new sites asked for but only {n_free} candidate sites exist"
            raise ValueError(msg)
        if len(groups) > k:
            msg = f"{len(groups)} required groups cannot each get a site with k = {k}"
            raise ValueError(msg)
    for g in groups:
        g = np.asarray(g)
        if len(g) == 0 or fixed[g].any():
            msg = "a required group is empty or already holds a fixed site"
            raise ValueError(msg)
    _ = n_cand


def _fixed_mask(fixed: object, n: int) -> BoolArray:
    if fixed is None:
        return np.zeros(n, dtype=bool)
    f = np.asarray(fixed)
    if f.dtype == bool:
        if len(f) != n:
            msg = f"fixed mask has {len(f)} entries for {n} candidates"
            raise ValueError(msg)
        return f.copy()
    mask = np.zeros(n, dtype=bool)
    mask[f.astype(np.int64)] = True
    return mask


def _merge_columns(b: sp.csc_matrix, w: FloatArray) -> tuple[sp.csc_matrix, FloatArray, IntArray]:
    """Merge demand columns with the same set of reaching rows, summing their weights.

    Returns the merged matrix, merged weights and, per original column, its merged column.
    """
    b = sp.csc_matrix(b)
    b.sort_indices()
    keys = [b.indices[b.indptr[i] : b.indptr[i + 1]].tobytes() for i in range(b.shape[1])]
    index: dict[bytes, int] = {}
    group = np.fromiter((index.setdefault(key, len(index)) for key in keys), np.int64, len(keys))
    first = np.full(len(index), -1, dtype=np.int64)
    first[group[::-1]] = np.arange(len(group))[::-1]
    merged_w = np.bincount(group, weights=w, minlength=len(index)).astype(np.float64)
    return sp.csc_matrix(b[:, first]), merged_w, group


def _dominated(b: sp.csr_matrix, group_key: IntArray) -> BoolArray:
    """Rows whose column set is contained in another row's (same group, or none).

    Row ``j`` is dropped when some row ``i`` covers every column ``j`` covers and either covers
    more or is the same set with a smaller index, and ``i`` is in ``j``'s required group (or
    ``j`` is in none). The optimum of MCLP and LSCP is unchanged: swapping ``j`` for ``i`` never
    loses coverage and keeps every group constraint.
    """
    bf = sp.csr_matrix(b, dtype=np.float64)
    size = np.asarray(bf.sum(axis=1)).ravel()
    overlap = sp.coo_matrix(bf @ bf.T)
    i, j, v = overlap.row, overlap.col, overlap.data
    cand = (i != j) & (v >= size[j] - 0.5)
    cand &= (size[i] > size[j]) | ((size[i] == size[j]) & (i < j))
    cand &= (group_key[j] < 0) | (group_key[i] == group_key[j])
    out = np.zeros(b.shape[0], dtype=bool)
    out[j[cand]] = True
    out[size == 0] = True
    return out


def _group_key(n: int, groups: Sequence[IntArray]) -> IntArray:
    key = np.full(n, -1, dtype=np.int64)
    for g_id, g in enumerate(groups):
        g = np.asarray(g, dtype=np.int64)
        if (key[g] >= 0).any():
            msg = "a candidate belongs to two required groups; give disjoint groups"
            raise ValueError(msg)
        key[g] = g_id
    return key


def _highs(
    c: FloatArray,
    constraints: list[LinearConstraint],
    integrality: NDArray[np.int_],
    lb: FloatArray,
    ub: FloatArray,
    *,
    time_limit: float,
    mip_gap: float,
) -> tuple[FloatArray | None, str, float, float]:
    """Solve a minimisation MILP; returns x, status, objective and dual bound."""
    res = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options={"time_limit": time_limit, "mip_rel_gap": mip_gap, "disp": False},
    )
    if res.x is None:
        status = "infeasible" if res.status == 2 else "time_limit"
        return None, status, np.nan, np.nan
    status = "optimal" if res.status == 0 else "time_limit"
    bound = getattr(res, "mip_dual_bound", None)
    bound = float(res.fun) if bound is None or not np.isfinite(bound) else float(bound)
    return np.asarray(res.x), status, float(res.fun), bound


def _rank_cover(
    a: sp.csr_matrix, w: FloatArray, base: BoolArray, sites: IntArray
) -> tuple[IntArray, FloatArray]:
    """Order ``sites`` greedily by the weight each newly covers after ``base`` and earlier ones."""
    covered = base.copy()
    left = list(int(s) for s in sites)
    order: list[int] = []
    gains: list[float] = []
    while left:
        g = [
            float(
                w[a.indices[a.indptr[s] : a.indptr[s + 1]]][
                    ~covered[a.indices[a.indptr[s] : a.indptr[s + 1]]]
                ].sum()
            )
            for s in left
        ]
        best = int(np.argmax(g))
        s = left.pop(best)
        order.append(s)
        gains.append(g[best])
        covered[a.indices[a.indptr[s] : a.indptr[s + 1]]] = True
    return np.asarray(order, dtype=np.int64), np.asarray(gains, dtype=np.float64)


def _gap(objective: float, bound: float) -> float:
    if not np.isfinite(bound):
        return np.nan
    return float(abs(bound - objective) / max(abs(objective), 1e-12))


def _cover_assignment(a: sp.csr_matrix, open_mask: BoolArray) -> IntArray:
    ac = sp.csc_matrix(a[np.flatnonzero(open_mask)])
    rows = np.flatnonzero(open_mask)
    out = np.full(a.shape[1], -1, dtype=np.int64)
    has = np.diff(ac.indptr) > 0
    out[has] = rows[ac.indices[ac.indptr[:-1][has]]]
    return out


# --------------------------------------------------------------------------------------------
# MCLP
# --------------------------------------------------------------------------------------------


def greedy_mclp(
    a: sp.csr_matrix,
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
        best ``k`` sites can add: ``min_t (f(S_t) + sum of the k - t largest gains at step t)``
        (Nemhauser, Wolsey & Fisher 1978), valid without the group constraints hence with them.
    """
    a = _as_csr(a)
    n_cand, n_dem = a.shape
    cov = np.zeros(n_dem, dtype=bool) if covered is None else covered.copy()
    ac = sp.csc_matrix(a, dtype=np.float64)
    af = sp.csr_matrix(a, dtype=np.float64)
    gain = af @ np.where(cov, 0.0, w)
    chosen: list[int] = []
    gains: list[float] = []
    value = 0.0
    bound = np.inf
    pending = [np.asarray(g, dtype=np.int64) for g in groups]
    is_open = np.zeros(n_cand, dtype=bool)
    for step in range(k):
        avail = np.where(is_open, -np.inf, gain)
        rest = k - step
        bound = min(bound, value + _top_sum(avail, k))
        pending = [g for g in pending if not is_open[g].any()]
        if pending and len(pending) >= rest:
            # the remaining picks must satisfy the groups: best site of the best group
            best_g = max(pending, key=lambda g: float(avail[g].max()))
            j = int(best_g[np.argmax(avail[best_g])])
        else:
            j = int(np.argmax(avail))
        is_open[j] = True
        new = a.indices[a.indptr[j] : a.indptr[j + 1]]
        new = new[~cov[new]]
        g_j = float(w[new].sum())
        chosen.append(j)
        gains.append(g_j)
        value += g_j
        if len(new):
            cov[new] = True
            gain -= ac[:, new] @ w[new]
    bound = min(bound, value + _top_sum(np.where(is_open, -np.inf, gain), k))
    return np.asarray(chosen, dtype=np.int64), np.asarray(gains), float(max(bound, value))


def _top_sum(values: FloatArray, k: int) -> float:
    """Sum of the ``k`` largest positive finite values."""
    v = values[np.isfinite(values) & (values > 0)]
    if len(v) > k:
        v = np.partition(v, len(v) - k)[len(v) - k :]
    return float(v.sum())


def lagrangian_bound(
    b: sp.csr_matrix,
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


def mclp(
    a: object,
    weights: FloatArray,
    k: int,
    *,
    fixed: object = None,
    capacity: FloatArray | float | None = None,
    groups: Sequence[IntArray] = (),
    method: Method = "auto",
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
        ``(n_dem,)`` demand weights (children counted for the service).
    k
        New sites to open (fixed sites do not count).
    fixed
        Boolean mask or row indices of the sites already open.
    capacity
        Weight each site can serve (scalar or per row); ``None`` for none.
    groups
        Row-index arrays, each needing at least one new site (disjoint, no fixed row).
    method
        ``"exact"`` (HiGHS), ``"greedy"``, or ``"auto"``: exact unless the preprocessed coverage
        holds more than ``exact_max_nnz`` non-zeros. Capacitated models are always exact.
    exact_max_nnz, time_limit, mip_gap
        Size limit of the exact model, HiGHS time limit (s) and relative MIP gap.

    Returns
    -------
    LocateResult
        ``objective`` is the covered weight including what fixed sites cover.

    Notes
    -----
    The model is written out in the module docstring. Preprocessing keeps the optimum: demand
    covered by a fixed site is a constant, demand columns with the same reaching set merge, and
    dominated candidates drop (uncapacitated only). When the greedy solution reaches the bound
    (every coverable weight covered, or the submodular bound), it is proven optimal and HiGHS is
    not called.
    """
    t0 = time.perf_counter()
    cov = _as_csr(a)
    n_cand, n_dem = cov.shape
    w = np.asarray(weights, dtype=np.float64)
    fx = _fixed_mask(fixed, n_cand)
    groups = [np.asarray(g, dtype=np.int64) for g in groups]
    _check(n_cand, n_dem, w, fx, k, groups)
    reach_any = np.asarray(cov.sum(axis=0)).ravel() > 0
    uncoverable = np.flatnonzero(~reach_any)
    if capacity is not None:
        return _mclp_capacity(cov, w, k, fx, capacity, groups, t0, uncoverable, time_limit, mip_gap)

    base_cov = np.asarray(cov[np.flatnonzero(fx)].sum(axis=0)).ravel() > 0
    base = float(w[base_cov].sum())
    free = np.flatnonzero(~fx)
    pos_in_free = np.full(n_cand, -1, dtype=np.int64)
    pos_in_free[free] = np.arange(len(free))
    gkey_all = _group_key(n_cand, groups)
    dem = np.flatnonzero(~base_cov & (w > 0) & reach_any)
    b = sp.csc_matrix(cov[free][:, dem])
    bm, wm, _ = _merge_columns(b, w[dem])
    bm_csr = sp.csr_matrix(bm)
    g_free = [pos_in_free[g] for g in groups]

    # greedy first: a warm start, an upper bound, and the answer when too large
    g_chosen, g_gains, g_bound = greedy_mclp(bm_csr, wm, k, groups=g_free)
    g_value = float(g_gains.sum())
    total = float(wm.sum())
    nnz = int(bm.nnz)
    use_exact = method == "exact" or (method == "auto" and nnz <= exact_max_nnz)
    proven = g_value >= min(total, g_bound) - _EPS * max(total, 1.0)
    if not proven and not use_exact:
        # the greedy answer stands: tighten its bound towards the LP bound
        g_bound = min(g_bound, lagrangian_bound(bm_csr, wm, k, lower=g_value))
        proven = g_value >= g_bound - _EPS * max(total, 1.0)
    if method == "greedy" or not use_exact or proven:
        sel = free[g_chosen]
        bound = base + (g_value if proven else max(min(g_bound, total), g_value))
        objective = base + g_value
        status = "optimal" if proven else "heuristic"
        return _cover_result(
            "mclp",
            cov,
            w,
            fx,
            sel,
            objective,
            bound,
            status,
            t0,
            "trivial" if nnz == 0 else "greedy",
            uncoverable,
            0,
        )

    drop = _dominated(bm_csr, gkey_all[free])
    keep = np.flatnonzero(~drop)
    for g in g_free:  # a group must keep a member (dominance within the group keeps one)
        if not np.isin(g, keep).any():
            keep = np.union1d(keep, g[:1])
    c_mat = bm_csr[keep]
    nk, m = c_mat.shape
    k_eff = min(k, nk)
    # variables: x (nk binary), y (m in [0, 1]); minimise -sum w y
    cost = np.concatenate([np.zeros(nk), -wm])
    link = sp.hstack([-sp.csc_matrix(c_mat.T, dtype=np.float64), sp.eye(m)], format="csr")
    cons = [
        LinearConstraint(link, -np.inf, 0.0),
        LinearConstraint(
            sp.csr_matrix(np.concatenate([np.ones(nk), np.zeros(m)])[None, :]), 0, k_eff
        ),
    ]
    keep_pos = np.full(len(free), -1, dtype=np.int64)
    keep_pos[keep] = np.arange(nk)
    for g in g_free:
        members = keep_pos[g][keep_pos[g] >= 0]
        row = np.zeros(nk + m)
        row[members] = 1.0
        cons.append(LinearConstraint(sp.csr_matrix(row[None, :]), 1.0, np.inf))
    integrality = np.concatenate([np.ones(nk, dtype=int), np.zeros(m, dtype=int)])
    x, status, fun, dual = _highs(
        cost,
        cons,
        integrality,
        np.zeros(nk + m),
        np.ones(nk + m),
        time_limit=time_limit,
        mip_gap=mip_gap,
    )
    if x is None or -fun < g_value:
        sel_free = g_chosen
        value = g_value
        status = "heuristic" if x is None else status
    else:
        sel_free = keep[np.flatnonzero(x[:nk] > 0.5)]
        value = -fun
    if x is not None and -fun < g_value:
        status = "time_limit"  # HiGHS stopped with a worse incumbent than greedy's
    bound_add = min(g_bound, -dual if np.isfinite(dual) else np.inf, total)
    if status == "optimal":
        bound_add = value
    else:  # stopped early: the Lagrangian bound may be tighter than HiGHS's dual bound
        bound_add = max(min(bound_add, lagrangian_bound(c_mat, wm, k_eff, lower=value)), value)
    sel_free = _pad(sel_free, k, len(free), bm_csr)
    return _cover_result(
        "mclp",
        cov,
        w,
        fx,
        free[sel_free],
        base + value,
        base + bound_add,
        status,
        t0,
        "highs",
        uncoverable,
        nk + m,
    )


def _pad(sel: IntArray, k: int, n: int, b: sp.csr_matrix) -> IntArray:
    """Fill up to ``k`` sites (dominance may leave fewer useful ones) by reach size."""
    sel = np.asarray(sel, dtype=np.int64)
    if len(sel) >= k:
        return sel
    size = np.diff(b.indptr).astype(np.float64)
    size[sel] = -1.0
    extra = np.argsort(-size, kind="stable")[: k - len(sel)]
    return np.concatenate([sel, extra]).astype(np.int64)


def _cover_result(
    model: str,
    cov: sp.csr_matrix,
    w: FloatArray,
    fx: BoolArray,
    sel: IntArray,
    objective: float,
    bound: float,
    status: str,
    t0: float,
    solver: str,
    uncoverable: IntArray,
    n_vars: int,
) -> LocateResult:
    base_cov = np.asarray(cov[np.flatnonzero(fx)].sum(axis=0)).ravel() > 0
    order, gains = _rank_cover(cov, w, base_cov, sel)
    open_mask = fx.copy()
    open_mask[sel] = True
    return LocateResult(
        model=model,
        chosen=order,
        gains=gains,
        objective=float(objective),
        bound=float(bound),
        gap=0.0 if status == "optimal" else _gap(objective, bound),
        status=status,
        time_s=time.perf_counter() - t0,
        solver=solver,
        uncoverable=uncoverable,
        assignment=_cover_assignment(cov, open_mask),
        n_vars=n_vars,
    )


def _capacities(capacity: FloatArray | float, n: int) -> FloatArray:
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64), (n,)).copy()
    if (cap < 0).any() or np.isnan(cap).any():
        msg = "capacities must be >= 0"
        raise ValueError(msg)
    return cap


def _mclp_capacity(
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
    """Capacitated MCLP with splittable assignment ``z_ij`` (see the module docstring)."""
    n_cand, _ = cov.shape
    cap = _capacities(capacity, n_cand)
    dem = np.flatnonzero((w > 0) & (np.asarray(cov.sum(axis=0)).ravel() > 0))
    bm, wm, _ = _merge_columns(sp.csc_matrix(cov[:, dem]), w[dem])
    pairs = sp.coo_matrix(bm)
    site, col = pairs.row.astype(np.int64), pairs.col.astype(np.int64)
    nz, m = len(site), bm.shape[1]
    nv = n_cand + nz
    # variables: x (n_cand), z (nz, the share of merged demand col served by site)
    cost = np.concatenate([np.zeros(n_cand), -wm[col]])
    zi = n_cand + np.arange(nz)
    one_each = sp.csr_matrix((np.ones(nz), (col, zi)), shape=(m, nv))
    load = sp.csr_matrix(
        (
            np.concatenate([wm[col], -cap]),
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
    cons = [
        LinearConstraint(one_each, -np.inf, 1.0),
        LinearConstraint(load, -np.inf, 0.0),
        LinearConstraint(open_link, -np.inf, 0.0),
        LinearConstraint(sp.csr_matrix(count[None, :]), k, k),
    ]
    for g in groups:
        row = np.zeros(nv)
        row[g] = 1.0
        cons.append(LinearConstraint(sp.csr_matrix(row[None, :]), 1.0, np.inf))
    lb = np.zeros(nv)
    lb[np.flatnonzero(fx)] = 1.0
    integrality = np.concatenate([np.ones(n_cand, dtype=int), np.zeros(nz, dtype=int)])
    x, status, fun, dual = _highs(
        cost, cons, integrality, lb, np.ones(nv), time_limit=time_limit, mip_gap=mip_gap
    )
    if x is None:
        msg = "the capacitated covering model found no solution within the time limit"
        raise ValueError(msg)
    sel = np.flatnonzero((x[:n_cand] > 0.5) & ~fx)
    # rank by served weight, the capacitated analogue of marginal coverage
    served = np.bincount(site, weights=x[n_cand:] * wm[col], minlength=n_cand).astype(np.float64)
    order = sel[np.argsort(-served[sel], kind="stable")]
    best = np.full(m, -1, dtype=np.int64)
    zval = x[n_cand:]
    o = np.lexsort((-zval, col))
    firsts = o[np.r_[True, col[o][1:] != col[o][:-1]]]
    firsts = firsts[zval[firsts] > _EPS]
    best[col[firsts]] = site[firsts]
    assign = np.full(cov.shape[1], -1, dtype=np.int64)
    _, _, grp = _merge_columns(sp.csc_matrix(cov[:, dem]), w[dem])
    assign[dem] = best[grp]
    objective = -fun
    bound = -dual if np.isfinite(dual) else np.nan
    return LocateResult(
        model="mclp",
        chosen=order.astype(np.int64),
        gains=served[order],
        objective=float(objective),
        bound=float(objective if status == "optimal" else bound),
        gap=0.0 if status == "optimal" else _gap(objective, bound),
        status=status,
        time_s=time.perf_counter() - t0,
        solver="highs",
        uncoverable=uncoverable,
        assignment=assign,
        n_vars=nv,
    )


# --------------------------------------------------------------------------------------------
# LSCP
# --------------------------------------------------------------------------------------------


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
        Weighted share of the *reachable* demand to cover (1.0: all of it).
    groups
        Row-index arrays each needing at least one new site.
    time_limit, mip_gap
        HiGHS options.

    Returns
    -------
    LocateResult
        ``objective`` is the number of new sites; ``uncoverable`` lists the demand no site
        reaches, reported instead of making the model infeasible.
    """
    t0 = time.perf_counter()
    cov = _as_csr(a)
    n_cand, n_dem = cov.shape
    w = np.ones(n_dem) if weights is None else np.asarray(weights, dtype=np.float64)
    fx = _fixed_mask(fixed, n_cand)
    groups = [np.asarray(g, dtype=np.int64) for g in groups]
    _check(n_cand, n_dem, w, fx, None, groups)
    if not 0.0 < share <= 1.0:
        msg = f"share must be in (0, 1], got {share}"
        raise ValueError(msg)
    reach_any = np.asarray(cov.sum(axis=0)).ravel() > 0
    uncoverable = np.flatnonzero(~reach_any)
    base_cov = np.asarray(cov[np.flatnonzero(fx)].sum(axis=0)).ravel() > 0
    free = np.flatnonzero(~fx)
    need_w = share * float(w[reach_any].sum()) - float(w[base_cov].sum())
    dem = np.flatnonzero(~base_cov & reach_any & ((w > 0) | (share >= 1.0)))
    if ((share < 1.0 and need_w <= _EPS) or len(dem) == 0) and not groups:
        return _cover_result(
            "lscp",
            cov,
            w,
            fx,
            np.empty(0, np.int64),
            0.0,
            0.0,
            "optimal",
            t0,
            "trivial",
            uncoverable,
            0,
        )
    b = sp.csc_matrix(cov[free][:, dem])
    bm, wm, _ = _merge_columns(b, w[dem])
    bm_csr = sp.csr_matrix(bm)
    pos_in_free = np.full(n_cand, -1, dtype=np.int64)
    pos_in_free[free] = np.arange(len(free))
    g_free = [pos_in_free[g] for g in groups]
    drop = _dominated(bm_csr, _group_key(n_cand, groups)[free])
    for g in g_free:
        if drop[g].all():
            drop[g[0]] = False
    keep = np.flatnonzero(~drop)
    c_mat = bm_csr[keep]
    nk, m = c_mat.shape
    keep_pos = np.full(len(free), -1, dtype=np.int64)
    keep_pos[keep] = np.arange(nk)
    if share >= 1.0:
        nv = nk
        cost = np.ones(nk)
        cons = [LinearConstraint(sp.csr_matrix(c_mat.T, dtype=np.float64), 1.0, np.inf)]
        integrality = np.ones(nk, dtype=int)
    else:
        nv = nk + m
        cost = np.concatenate([np.ones(nk), np.zeros(m)])
        link = sp.hstack([-sp.csc_matrix(c_mat.T, dtype=np.float64), sp.eye(m)], format="csr")
        cons = [
            LinearConstraint(link, -np.inf, 0.0),
            LinearConstraint(
                sp.csr_matrix(np.concatenate([np.zeros(nk), wm])[None, :]), need_w, np.inf
            ),
        ]
        integrality = np.concatenate([np.ones(nk, dtype=int), np.zeros(m, dtype=int)])
    for g in g_free:
        row = np.zeros(nv)
        members = keep_pos[g][keep_pos[g] >= 0]
        row[members] = 1.0
        cons.append(LinearConstraint(sp.csr_matrix(row[None, :]), 1.0, np.inf))
    x, status, fun, dual = _highs(
        cost, cons, integrality, np.zeros(nv), np.ones(nv), time_limit=time_limit, mip_gap=mip_gap
    )
    if x is None:
        msg = "the set-covering model found no solution within the time limit"
        raise ValueError(msg)
    sel = free[keep[np.flatnonzero(x[:nk] > 0.5)]]
    bound = float(np.ceil(dual - 1e-6)) if np.isfinite(dual) else np.nan
    return _cover_result(
        "lscp",
        cov,
        w,
        fx,
        sel,
        float(round(fun)),
        fun if status == "optimal" else bound,
        status,
        t0,
        "highs",
        uncoverable,
        nv,
    )


# --------------------------------------------------------------------------------------------
# p-median
# --------------------------------------------------------------------------------------------


def _cost_pairs(d: object) -> tuple[IntArray, IntArray, FloatArray, tuple[int, int]]:
    """Row, column and value of the finite entries of a cost matrix, sorted by row then column.

    A dense array lists its finite entries; a scipy sparse matrix its **stored** entries
    (explicit zeros included: 0 m is a distance), the ``inf`` or NaN ones left out.
    """
    if sp.issparse(d):
        coo = sp.coo_matrix(d)
        coo.sum_duplicates()  # sorts by row, then column
        row = coo.row.astype(np.int64)
        col = coo.col.astype(np.int64)
        val = np.asarray(coo.data, dtype=np.float64)
        shape = (int(coo.shape[0]), int(coo.shape[1]))
    else:
        dense = np.asarray(d, dtype=np.float64)
        if dense.ndim != 2:
            msg = f"the cost matrix must be 2-D, got shape {dense.shape}"
            raise ValueError(msg)
        row, col = np.nonzero(np.isfinite(dense))
        row, col = row.astype(np.int64), col.astype(np.int64)
        val = dense[row, col]
        shape = (int(dense.shape[0]), int(dense.shape[1]))
    ok = np.isfinite(val)
    if not ok.all():
        row, col, val = row[ok], col[ok], val[ok]
    return row, col, val, shape


def pmedian(
    d: object,
    weights: FloatArray,
    k: int,
    *,
    fixed: object = None,
    capacity: FloatArray | float | None = None,
    groups: Sequence[IntArray] = (),
    unassigned_cost: float | None = None,
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
        Demand weights.
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
    time_limit, mip_gap
        HiGHS options.

    Returns
    -------
    LocateResult
        ``objective`` is ``sum_i w_i d_i,assigned`` (+ penalties); ``uncoverable`` are demand
        points no site reaches (left out of the model).

    Notes
    -----
    Without capacity the fixed sites collapse into one option per demand point at the distance
    of its nearest fixed site, and a new site is a variable for that point only when it is
    nearer (the others can never serve it in an optimum). Dense and sparse inputs with the same
    finite entries give the same model, variable for variable.
    """
    t0 = time.perf_counter()
    p_row, p_col, p_val, (n_cand, n_dem) = _cost_pairs(d)
    w = np.asarray(weights, dtype=np.float64)
    fx = _fixed_mask(fixed, n_cand)
    groups = [np.asarray(g, dtype=np.int64) for g in groups]
    _check(n_cand, n_dem, w, fx, k, groups)
    reach_any = np.bincount(p_col, minlength=n_dem) > 0
    uncoverable = np.flatnonzero(~reach_any)
    dem = np.flatnonzero(reach_any & (w > 0))
    wd = w[dem]
    m = len(dem)
    # the pairs of the demand points in the model, columns renumbered 0..m-1 (order kept)
    dem_pos = np.full(n_dem, -1, dtype=np.int64)
    dem_pos[dem] = np.arange(m)
    in_dem = dem_pos[p_col] >= 0
    p_row, p_col, p_val = p_row[in_dem], dem_pos[p_col[in_dem]], p_val[in_dem]
    free = np.flatnonzero(~fx)
    fixed_min = np.full(m, np.inf)
    at_fixed = fx[p_row]
    np.minimum.at(fixed_min, p_col[at_fixed], p_val[at_fixed])
    if capacity is None:
        fixed_best = fixed_min
        allowed = (p_val < fixed_best[p_col]) & ~at_fixed
    else:
        fixed_best = np.full(m, np.inf)
        allowed = np.ones(len(p_val), dtype=bool)
    site, col, dist = p_row[allowed], p_col[allowed], p_val[allowed]
    nz = len(site)
    has_fix = np.isfinite(fixed_best)
    fcol = np.flatnonzero(has_fix)
    ucol = np.arange(m) if unassigned_cost is not None else np.empty(0, np.int64)
    nf, nu = len(fcol), len(ucol)
    nv = n_cand + nz + nf + nu
    zi = n_cand + np.arange(nz)
    fi = n_cand + nz + np.arange(nf)
    ui = n_cand + nz + nf + np.arange(nu)
    cost = np.concatenate(
        [
            np.zeros(n_cand),
            wd[col] * dist,
            wd[fcol] * fixed_best[fcol],
            wd[ucol] * (unassigned_cost or 0.0),
        ]
    )
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
    count[free] = 1.0
    cons = [
        LinearConstraint(one_each, 1.0, 1.0),
        LinearConstraint(open_link, -np.inf, 0.0),
        LinearConstraint(sp.csr_matrix(count[None, :]), k, k),
    ]
    if capacity is not None:
        cap = _capacities(capacity, n_cand)
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
    lb[np.flatnonzero(fx)] = 1.0
    integrality = np.concatenate([np.ones(n_cand, dtype=int), np.zeros(nv - n_cand, dtype=int)])
    x, status, fun, dual = _highs(
        cost, cons, integrality, lb, np.ones(nv), time_limit=time_limit, mip_gap=mip_gap
    )
    if x is None:
        msg = (
            "the p-median model is infeasible: some demand cannot be served by the chosen sites; "
            "give an unassigned cost or more sites"
        )
        raise ValueError(msg)
    sel = np.flatnonzero((x[:n_cand] > 0.5) & ~fx)
    open_mask = fx.copy()
    open_mask[sel] = True
    # rank by weighted distance saved, greedily from the fixed sites; a site's distances as a
    # dense row over the m demand points (k rows, never the whole matrix)
    row_start = _row_pointer(p_row, n_cand)
    big = float(p_val.max()) if len(p_val) else 0.0  # "no site yet" costs the longest distance

    def dense_row(s: int) -> FloatArray:
        out = np.full(m, np.inf)
        lo, hi = row_start[s], row_start[s + 1]
        out[p_col[lo:hi]] = p_val[lo:hi]
        return out

    def fin(x: FloatArray) -> FloatArray:
        return np.where(np.isfinite(x), x, big)

    penalty = np.inf if unassigned_cost is None else float(unassigned_cost)
    cur = np.minimum(fixed_min, penalty)
    order: list[int] = []
    gains: list[float] = []
    left = [int(s) for s in sel]
    rows_of = {s: dense_row(s) for s in left}
    while left:
        sv = [
            float(np.sum(wd * np.maximum(np.subtract(fin(cur), fin(rows_of[s])), 0.0)))
            for s in left
        ]
        b = int(np.argmax(sv))
        s = left.pop(b)
        order.append(s)
        gains.append(sv[b])
        cur = np.minimum(cur, rows_of[s])
    # each demand point to its nearest open site (the lowest row among equally near ones)
    assign = np.full(n_dem, -1, dtype=np.int64)
    at_open = open_mask[p_row]
    o_row, o_col, o_val = p_row[at_open], p_col[at_open], p_val[at_open]
    by_col = np.lexsort((o_row, o_val, o_col))
    o_row, o_col = o_row[by_col], o_col[by_col]
    first = np.ones(len(o_col), dtype=bool)
    first[1:] = o_col[1:] != o_col[:-1]
    assign[dem[o_col[first]]] = o_row[first]
    bound = fun if status == "optimal" else dual
    return LocateResult(
        model="pmedian",
        chosen=np.asarray(order, dtype=np.int64),
        gains=np.asarray(gains, dtype=np.float64),
        objective=float(fun),
        bound=float(bound),
        gap=0.0 if status == "optimal" else _gap(fun, bound),
        status=status,
        time_s=time.perf_counter() - t0,
        solver="highs",
        uncoverable=uncoverable,
        assignment=assign,
        n_vars=nv,
    )


def _row_pointer(rows: IntArray, n: int) -> IntArray:
    """CSR row pointer of ``n`` rows holding the (sorted) ``rows`` entries."""
    out = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=out[1:])
    return out
