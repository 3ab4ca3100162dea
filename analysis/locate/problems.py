"""spopt-like problems: built from a cost matrix, ``solve()`` returns a frozen result.

``MCLP.from_cost_matrix(cost, weights, service_radius=..., p_facilities=...)`` takes the matrix
as spopt does, **demand points as rows and facilities as columns** (dense, ``inf`` where a
facility cannot serve; or scipy sparse, its stored entries the pairs that can), so code written
for :mod:`spopt.locate` swaps in. Unlike spopt's, ``solve()`` does not mutate the problem: it
returns a :class:`~analysis.locate.result.LocateResult` (objective, chosen facilities, proven
bound and gap, status, time). The functions :func:`~analysis.locate.maximal_covering.mclp`,
:func:`~analysis.locate.set_covering.lscp` and :func:`~analysis.locate.p_median.pmedian` underneath take
the matrices the other way round (candidates x demand), as the siting adapter builds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from analysis.locate.maximal_covering import MclpSolver, mclp
from analysis.locate.p_median import PmedianSolver, pmedian
from analysis.locate.prep import FloatArray, IntArray
from analysis.locate.result import LocateResult
from analysis.locate.set_covering import lscp


def _within(cost: object, radius: float) -> sp.csr_matrix:
    """Facilities x demand coverage ``cost_ij <= radius`` of a demand x facilities matrix."""
    if not np.isfinite(radius) or radius < 0:
        msg = f"service_radius must be finite and >= 0, got {radius}"
        raise ValueError(msg)
    if sp.issparse(cost):
        coo = sp.coo_matrix(cost)
        ok = np.asarray(coo.data <= radius)
        return sp.csr_matrix(
            (np.ones(int(ok.sum()), dtype=bool), (coo.col[ok], coo.row[ok])),
            shape=(coo.shape[1], coo.shape[0]),
        )
    dense = np.asarray(cost, dtype=np.float64)
    if dense.ndim != 2:
        msg = f"the cost matrix must be 2-D (demand x facilities), got shape {dense.shape}"
        raise ValueError(msg)
    return sp.csr_matrix((dense <= radius).T)


def _transposed(cost: object) -> object:
    if sp.issparse(cost):
        return sp.csr_matrix(sp.coo_matrix(cost).T)
    return np.asarray(cost, dtype=np.float64).T


@dataclass(frozen=True)
class MCLP:
    """Maximal covering: ``p_facilities`` new sites covering the most weighted demand.

    See :mod:`analysis.locate.maximal_covering` for the model and the solvers. ``coverage`` is facilities x
    demand (``coverage[j, i]``: facility ``j`` reaches demand ``i``).
    """

    coverage: sp.csr_matrix
    weights: FloatArray
    p_facilities: int
    fixed: IntArray | None = None
    capacity: FloatArray | float | None = None
    groups: Sequence[IntArray] = field(default_factory=tuple)

    @classmethod
    def from_cost_matrix(
        cls,
        cost_matrix: object,
        weights: FloatArray,
        *,
        service_radius: float,
        p_facilities: int,
        fixed: IntArray | None = None,
        capacity: FloatArray | float | None = None,
        groups: Sequence[IntArray] = (),
    ) -> MCLP:
        """From a demand x facilities cost matrix: covered when ``cost <= service_radius``."""
        cov = _within(cost_matrix, service_radius)
        return cls(
            cov, np.asarray(weights, dtype=np.float64), p_facilities, fixed, capacity, groups
        )

    def solve(
        self, solver: MclpSolver = "auto", *, time_limit: float = 60.0, mip_gap: float = 0.0
    ) -> LocateResult:
        """Solve with ``solver`` (``"auto"``, ``"exact"``, ``"core"``, ``"highs"``, ``"greedy"``)."""
        return mclp(
            self.coverage,
            self.weights,
            self.p_facilities,
            fixed=self.fixed,
            capacity=self.capacity,
            groups=self.groups,
            solver=solver,
            time_limit=time_limit,
            mip_gap=mip_gap,
        )


@dataclass(frozen=True)
class LSCP:
    """Set covering: the fewest new sites covering every reachable demand (or a share of it)."""

    coverage: sp.csr_matrix
    weights: FloatArray | None = None
    share: float = 1.0
    fixed: IntArray | None = None
    groups: Sequence[IntArray] = field(default_factory=tuple)

    @classmethod
    def from_cost_matrix(
        cls,
        cost_matrix: object,
        *,
        service_radius: float,
        weights: FloatArray | None = None,
        share: float = 1.0,
        fixed: IntArray | None = None,
        groups: Sequence[IntArray] = (),
    ) -> LSCP:
        """From a demand x facilities cost matrix: covered when ``cost <= service_radius``."""
        return cls(_within(cost_matrix, service_radius), weights, share, fixed, groups)

    def solve(self, *, time_limit: float = 60.0, mip_gap: float = 0.0) -> LocateResult:
        """Solve with HiGHS."""
        return lscp(
            self.coverage,
            self.weights,
            fixed=self.fixed,
            share=self.share,
            groups=self.groups,
            time_limit=time_limit,
            mip_gap=mip_gap,
        )


@dataclass(frozen=True)
class PMedian:
    """p-median: ``p_facilities`` new sites minimising the total weighted cost.

    ``cost`` is facilities x demand (see :func:`analysis.locate.p_median.pmedian`).
    """

    cost: object
    weights: FloatArray
    p_facilities: int
    fixed: IntArray | None = None
    capacity: FloatArray | float | None = None
    groups: Sequence[IntArray] = field(default_factory=tuple)
    unassigned_cost: float | None = None

    @classmethod
    def from_cost_matrix(
        cls,
        cost_matrix: object,
        weights: FloatArray,
        *,
        p_facilities: int,
        fixed: IntArray | None = None,
        capacity: FloatArray | float | None = None,
        groups: Sequence[IntArray] = (),
        unassigned_cost: float | None = None,
    ) -> PMedian:
        """From a demand x facilities cost matrix (``inf`` or absent: cannot serve)."""
        return cls(
            _transposed(cost_matrix),
            np.asarray(weights, dtype=np.float64),
            p_facilities,
            fixed,
            capacity,
            groups,
            unassigned_cost,
        )

    def solve(
        self, solver: PmedianSolver = "auto", *, time_limit: float = 60.0, mip_gap: float = 0.0
    ) -> LocateResult:
        """Solve with ``solver`` (``"auto"``, ``"exact"``, ``"core"``, ``"lagrangian"``,
        ``"highs"``)."""
        return pmedian(
            self.cost,
            self.weights,
            self.p_facilities,
            fixed=self.fixed,
            capacity=self.capacity,
            groups=self.groups,
            unassigned_cost=self.unassigned_cost,
            solver=solver,
            time_limit=time_limit,
            mip_gap=mip_gap,
        )
