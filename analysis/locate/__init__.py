"""Facility-location models on a coverage or cost matrix: the public core of siting.

Like spopt's ``from_cost_matrix``, every model here takes matrices, never layers, and
:mod:`analysis.siting` builds them from the layers. Two ways in:

* problems built as in spopt, solved into a frozen result::

      from analysis.locate import MCLP
      result = MCLP.from_cost_matrix(cost, weights, service_radius=1000, p_facilities=5).solve()
      result.objective, result.chosen, result.bound, result.gap, result.status, result.time_s

  (``cost``: demand x facilities, dense with ``inf`` where unreachable, or scipy sparse);
* the functions :func:`mclp`, :func:`lscp` and :func:`pmedian` on a candidates x demand boolean
  coverage or cost matrix (dense or scipy sparse, so a county never makes a dense matrix), with
  fixed (existing) sites, capacities and required groups.

``solver=`` picks the method: ``"core"`` (``"exact"``; an LP or Lagrangian bound, a heuristic
and a core MILP in HiGHS, reduced-cost fixing when they differ), ``"highs"`` (the whole MILP in
HiGHS), ``"greedy"`` (MCLP) or ``"lagrangian"`` (p-median) with a proven bound, or ``"auto"``.
Every ``bound`` is proven (an LP, Lagrangian, submodular or HiGHS dual bound), never an estimate.
The models and solvers are written out in :mod:`analysis.locate.maximal_covering`,
:mod:`analysis.locate.set_covering`, :mod:`analysis.locate.p_median` and
:mod:`analysis.locate.capacity`.
"""

from __future__ import annotations

from analysis.locate.cover import greedy_mclp, lagrangian_bound
from analysis.locate.maximal_covering import MCLP_SOLVERS, MclpSolver, mclp
from analysis.locate.p_median import PMEDIAN_SOLVERS, PmedianSolver, pmedian
from analysis.locate.problems import LSCP, MCLP, PMedian
from analysis.locate.result import LocateResult
from analysis.locate.set_covering import lscp

__all__ = [
    "LSCP",
    "MCLP",
    "MCLP_SOLVERS",
    "PMEDIAN_SOLVERS",
    "LocateResult",
    "MclpSolver",
    "PMedian",
    "PmedianSolver",
    "greedy_mclp",
    "lagrangian_bound",
    "lscp",
    "mclp",
    "pmedian",
]
