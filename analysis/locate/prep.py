"""Checks, preprocessing that keeps the optimum, and the HiGHS call shared by the models.

Everything here works on a candidates x demand matrix (rows = sites, columns = demand points).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Gains below this are treated as zero (floating-point noise of summed weights).
EPS = 1e-9


def as_csr(a: object) -> sp.csr_matrix:
    """A boolean CSR copy of a coverage matrix, explicit zeros removed, indices sorted."""
    m = sp.csr_matrix(a, dtype=bool)
    m.eliminate_zeros()
    m.sort_indices()
    return m


def check_input(
    n_dem: int,
    weights: FloatArray,
    fixed: BoolArray,
    k: int | None,
    groups: Sequence[IntArray],
) -> None:
    """Raise a ``ValueError`` naming what is wrong with the demand, ``k`` or the groups."""
    if len(weights) != n_dem:
        msg = f"{len(weights)} weights for {n_dem} demand points"
        raise ValueError(msg)
    if (weights < 0).any() or not np.isfinite(weights).all():
        msg = "weights must be finite and >= 0"
        raise ValueError(msg)
    if n_dem == 0 or weights.sum() <= 0:
        msg = "no demand: every weight is zero or there are no demand points"
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
        if len(g) == 0 or fixed[np.asarray(g)].any():
            msg = "a required group is empty or already holds a fixed site"
            raise ValueError(msg)


def fixed_mask(fixed: object, n: int) -> BoolArray:
    """A boolean mask of the fixed rows from a mask, row indices or ``None``."""
    if fixed is None:
        return np.zeros(n, dtype=bool)
    f = np.asarray(fixed)
    if f.dtype == bool:
        if len(f) != n:
            msg = f"fixed mask has {len(f)} entries for {n} candidates"
            raise ValueError(msg)
        return f.copy()
    idx = f.astype(np.int64)
    if len(idx) and (idx.min() < 0 or idx.max() >= n):
        msg = f"fixed rows must lie in 0..{n - 1}"
        raise ValueError(msg)
    mask = np.zeros(n, dtype=bool)
    mask[idx] = True
    return mask


def merge_columns(b: sp.spmatrix, w: FloatArray) -> tuple[sp.csc_matrix, FloatArray, IntArray]:
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


def dominated(b: sp.csr_matrix, group_key: IntArray) -> BoolArray:
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


def group_key(n: int, groups: Sequence[IntArray]) -> IntArray:
    """Per row, the index of its required group, -1 for none; groups must be disjoint."""
    key = np.full(n, -1, dtype=np.int64)
    for g_id, g in enumerate(groups):
        gi = np.asarray(g, dtype=np.int64)
        if (key[gi] >= 0).any():
            msg = "a candidate belongs to two required groups; give disjoint groups"
            raise ValueError(msg)
        key[gi] = g_id
    return key


def group_rows(groups: Sequence[IntArray], n_vars: int, pos: IntArray) -> list[LinearConstraint]:
    """``sum_{j in g} x_j >= 1`` per group, rows mapped through ``pos`` (-1: not in the model)."""
    out = []
    for g in groups:
        members = pos[np.asarray(g, dtype=np.int64)]
        row = np.zeros(n_vars)
        row[members[members >= 0]] = 1.0
        out.append(LinearConstraint(sp.csr_matrix(row[None, :]), 1.0, np.inf))
    return out


def highs(
    c: FloatArray,
    constraints: list[LinearConstraint],
    integrality: NDArray[np.int_],
    lb: FloatArray,
    ub: FloatArray,
    *,
    time_limit: float,
    mip_gap: float,
) -> tuple[FloatArray | None, str, float, float]:
    """Solve a minimisation MILP with HiGHS; returns x, status, objective and dual bound.

    The dual bound is HiGHS's proven bound (``mip_dual_bound``), the objective when optimal.
    """
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
    dual = getattr(res, "mip_dual_bound", None)
    bound = float(res.fun) if dual is None or not np.isfinite(dual) else float(dual)
    if res.status != 0:
        status = "time_limit"
    elif mip_gap == 0 or abs(bound - float(res.fun)) <= 1e-6 * max(1.0, abs(float(res.fun))):
        status, bound = "optimal", float(res.fun)
    else:
        status = "gap_limit"  # stopped at mip_gap: the dual bound stands
    return np.asarray(res.x), status, float(res.fun), bound


def top_sum(values: FloatArray, k: int) -> float:
    """Sum of the ``k`` largest positive finite values."""
    v = values[np.isfinite(values) & (values > 0)]
    if len(v) > k:
        v = np.partition(v, len(v) - k)[len(v) - k :]
    return float(v.sum())


def gap(objective: float, bound: float) -> float:
    """``|bound - objective| / max(|objective|, tiny)``, NaN without a finite bound."""
    if not np.isfinite(bound):
        return float("nan")
    return float(abs(bound - objective) / max(abs(objective), 1e-12))


def capacities(capacity: FloatArray | float, n: int) -> FloatArray:
    """Per-row capacities from a scalar or a vector; negative or NaN ones are refused."""
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64), (n,)).copy()
    if (cap < 0).any() or np.isnan(cap).any():
        msg = "capacities must be >= 0"
        raise ValueError(msg)
    return cap


def cost_pairs(d: object) -> tuple[IntArray, IntArray, FloatArray, tuple[int, int]]:
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
    if (val < 0).any():
        msg = "costs must be >= 0 (a distance or a time)"
        raise ValueError(msg)
    ok = np.isfinite(val)
    if not ok.all():
        row, col, val = row[ok], col[ok], val[ok]
    return row, col, val, shape


def row_pointer(rows: IntArray, n: int) -> IntArray:
    """CSR row pointer of ``n`` rows holding the (sorted) ``rows`` entries."""
    out = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=out[1:])
    return out
