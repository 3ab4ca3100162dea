"""The public location core: optimality against enumeration and spopt, proven bounds, solvers.

Small instances are enumerated (every k-subset of the candidates), so the optimum is known
without trusting any solver; the bounds must hold it on every seed.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from analysis.locate import LSCP, MCLP, LocateResult, PMedian, lscp, mclp, pmedian


def _plane(seed: int, n_dem: int, n_cand: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidates x demand Euclidean distances and integer weights."""
    rng = np.random.default_rng(seed)
    dem = rng.uniform(0, 1000, (n_dem, 2))
    cand = rng.uniform(0, 1000, (n_cand, 2))
    d = np.hypot(*(cand[:, None, :] - dem[None, :, :]).transpose(2, 0, 1))
    return d, rng.integers(1, 6, n_dem).astype(float)


def brute_mclp(a: np.ndarray, w: np.ndarray, k: int) -> float:
    return max(
        float(w[a[list(s)].any(axis=0)].sum()) for s in itertools.combinations(range(len(a)), k)
    )


def brute_pmedian(d: np.ndarray, w: np.ndarray, k: int) -> float:
    return min(float(w @ d[list(s)].min(axis=0)) for s in itertools.combinations(range(len(d)), k))


def brute_lscp(a: np.ndarray) -> int:
    need = a.any(axis=0)
    for size in range(1, len(a) + 1):
        for s in itertools.combinations(range(len(a)), size):
            if (a[list(s)].any(axis=0) >= need).all():
                return size
    raise AssertionError("unreachable")


# --- hand-checkable --------------------------------------------------------------------------

# A reaches 1-4, B reaches 1, 2, 5 and C reaches 3, 4, 6: greedy takes A and covers 5; the
# optimum is {B, C} = 6, which the LP bound (6) proves.
TRAP = np.array([[1, 1, 1, 1, 0, 0], [1, 1, 0, 0, 1, 0], [0, 0, 1, 1, 0, 1]], dtype=bool)


def test_core_solves_the_greedy_trap() -> None:
    res = mclp(TRAP, np.ones(6), 2, solver="core")
    assert res.method == "core" and res.solver == "highs"
    assert res.objective == 6.0 and res.bound == 6.0 and res.status == "optimal"
    assert sorted(res.chosen.tolist()) == [1, 2]


def test_pmedian_core_on_a_line() -> None:
    # points at 0, 1, 10 and 11, candidates at the same places, k = 2: {0 or 1, 10 or 11}, cost 2
    pos = np.array([0.0, 1.0, 10.0, 11.0])
    d = np.abs(pos[:, None] - pos[None, :])
    for solver in ("core", "highs", "lagrangian"):
        res = pmedian(d, np.ones(4), 2, solver=solver)  # type: ignore[arg-type]
        assert res.objective == pytest.approx(2.0), solver
        assert res.bound <= res.objective + 1e-9
    assert pmedian(d, np.ones(4), 2, solver="core").status == "optimal"


# --- optimality against enumeration --------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_mclp_solvers_equal_enumeration(seed: int) -> None:
    d, w = _plane(seed, 60, 12)
    a = d <= 260
    best = brute_mclp(a, w, 3)
    for solver in ("core", "highs", "exact", "auto"):
        res = mclp(a, w, 3, solver=solver)  # type: ignore[arg-type]
        assert res.objective == pytest.approx(best), solver
        assert res.status == "optimal" and res.gap == 0.0
        covered = a[res.chosen].any(axis=0)
        assert float(w[covered].sum()) == pytest.approx(res.objective)  # the answer is real
    greedy = mclp(a, w, 3, solver="greedy")
    assert greedy.objective <= best + 1e-9 <= greedy.bound + 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_pmedian_solvers_equal_enumeration(seed: int) -> None:
    d, w = _plane(seed, 50, 10)
    best = brute_pmedian(d, w, 3)
    for solver in ("core", "highs", "exact"):
        res = pmedian(d, w, 3, solver=solver)  # type: ignore[arg-type]
        assert res.objective == pytest.approx(best, rel=1e-9), solver
        assert res.status == "optimal"
        assert float(w @ d[res.chosen].min(axis=0)) == pytest.approx(res.objective, rel=1e-9)
    lag = pmedian(d, w, 3, solver="lagrangian")
    assert lag.bound <= best * (1 + 1e-9) and lag.objective >= best * (1 - 1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_lscp_equals_enumeration(seed: int) -> None:
    d, _ = _plane(seed, 40, 10)
    a = d <= 330
    res = lscp(a)
    assert res.objective == brute_lscp(a) and res.status == "optimal"


@pytest.mark.parametrize("seed", range(4))
def test_pmedian_penalty_and_fixed_equal_enumeration(seed: int) -> None:
    # a site at index 0 open already and a 300 m penalty: the core collapses both into c0
    d, w = _plane(seed, 50, 10)
    dd = np.where(d <= 400, d, np.inf)  # beyond 400 m a site cannot serve
    reach = np.isfinite(dd).any(axis=0)  # the others are uncoverable, left out of the model
    capped = np.minimum(dd, 300.0)[:, reach]
    best = min(
        float(w[reach] @ capped[[0, *s]].min(axis=0))
        for s in itertools.combinations(range(1, 10), 2)
    )
    for solver in ("core", "highs"):
        res = pmedian(dd, w, 2, fixed=[0], unassigned_cost=300.0, solver=solver)  # type: ignore[arg-type]
        assert res.objective == pytest.approx(best, rel=1e-9), solver
        assert 0 not in res.chosen.tolist()


# --- the proven bound bounds ---------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_bounds_hold_the_optimum(seed: int) -> None:
    d, w = _plane(100 + seed, 80, 11)
    a = d <= 240
    best = brute_mclp(a, w, 4)
    for solver in ("greedy", "core", "highs"):
        res = mclp(a, w, 4, solver=solver)  # type: ignore[arg-type]
        assert res.objective <= best + 1e-9 <= res.bound + 1e-9  # max: objective <= bound
    p_best = brute_pmedian(d, w, 4)
    for solver in ("lagrangian", "core", "highs"):
        res = pmedian(d, w, 4, solver=solver)  # type: ignore[arg-type]
        assert res.bound <= p_best * (1 + 1e-9)  # min: bound <= optimum <= objective
        assert p_best <= res.objective * (1 + 1e-9)
        assert res.gap >= 0


def test_a_stopped_solve_reports_a_proven_bound() -> None:
    # the county-style p-median at a size enumeration cannot reach: the Lagrangian bound
    # must sit below every solution found, including the MILP's
    d, w = _plane(7, 400, 40)
    lag = pmedian(d, w, 6, solver="lagrangian")
    exact = pmedian(d, w, 6, solver="core")
    assert lag.bound <= exact.objective * (1 + 1e-9) <= lag.objective * (1 + 1e-9)
    assert exact.status == "optimal" and exact.bound == exact.objective


# --- the solver argument and spopt-like problems -------------------------------------------


def test_the_solver_argument_picks_the_method() -> None:
    d, w = _plane(3, 120, 25)
    a = d <= 200
    assert mclp(a, w, 4, solver="highs").method in {"compact", "greedy"}
    assert mclp(a, w, 4, solver="core").method in {"core", "greedy"}
    assert mclp(a, w, 4, solver="greedy").method == "greedy"
    assert mclp(a, w, 4, solver="greedy").n_vars == 0
    assert pmedian(d, w, 4, solver="highs").method == "compact"
    assert pmedian(d, w, 4, solver="core").method in {"core", "lagrangian"}
    assert pmedian(d, w, 4, solver="lagrangian").method == "lagrangian"
    assert pmedian(d, w, 4, solver="lagrangian").n_vars == 0
    # "auto": the whole MILP for a small p-median, the core above compact_max_pairs
    assert pmedian(d, w, 4).method == "compact"
    assert pmedian(d, w, 4, compact_max_pairs=10).method in {"core", "lagrangian"}


def test_from_cost_matrix_is_spopt_shaped_and_solve_returns_a_frozen_result() -> None:
    d, w = _plane(5, 70, 12)
    cost = d.T  # spopt: demand rows, facility columns
    problem = MCLP.from_cost_matrix(cost, w, service_radius=250, p_facilities=3)
    res = problem.solve()
    assert isinstance(res, LocateResult)
    assert res.objective == pytest.approx(brute_mclp(d <= 250, w, 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.objective = 0.0  # type: ignore[misc]
    assert problem.solve("highs").objective == res.objective  # solving again: same problem
    # a sparse cost matrix: its stored entries are the pairs
    rows, cols = np.nonzero(cost <= 400)
    sparse = sp.csr_matrix((cost[rows, cols], (rows, cols)), shape=cost.shape)
    again = MCLP.from_cost_matrix(sparse, w, service_radius=250, p_facilities=3).solve()
    assert again.objective == res.objective
    pm = PMedian.from_cost_matrix(cost, w, p_facilities=3).solve("core")
    assert pm.objective == pytest.approx(brute_pmedian(d, w, 3), rel=1e-9)
    assert LSCP.from_cost_matrix(cost, service_radius=330).solve().objective == brute_lscp(d <= 330)


@pytest.fixture(scope="module")
def spopt_locate():  # type: ignore[no-untyped-def]
    pytest.importorskip("pulp", reason="spopt (test-only) needs pulp")
    return pytest.importorskip("spopt.locate", reason="spopt is a test-only dependency")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("seed", [41, 42])
def test_problems_equal_spopt(spopt_locate, seed: int) -> None:  # type: ignore[no-untyped-def]
    import pulp

    d, w = _plane(seed, 120, 20)
    cost = d.T
    ours = MCLP.from_cost_matrix(cost, w, service_radius=180, p_facilities=4).solve("core")
    peer = spopt_locate.MCLP.from_cost_matrix(cost, w, service_radius=180, p_facilities=4)
    peer = peer.solve(pulp.PULP_CBC_CMD(msg=False))
    assert ours.objective == pytest.approx(pulp.value(peer.problem.objective), abs=1e-6)
    ours_pm = PMedian.from_cost_matrix(cost, w, p_facilities=4).solve("core")
    peer_pm = spopt_locate.PMedian.from_cost_matrix(cost, w, p_facilities=4)
    peer_pm = peer_pm.solve(pulp.PULP_CBC_CMD(msg=False))
    assert ours_pm.objective == pytest.approx(pulp.value(peer_pm.problem.objective), rel=1e-9)


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: mclp(TRAP, np.ones(6), 2, solver="benders"), "unknown MCLP solver 'benders'"),  # type: ignore[arg-type]
        (lambda: pmedian(np.ones((2, 3)), np.ones(3), 1, solver="greedy"), "unknown p-median"),  # type: ignore[arg-type]
        (lambda: mclp(TRAP, np.ones(6), 4), "k = 4 new sites asked for but only 3"),
        (lambda: pmedian(np.ones((2, 3)), np.ones(3), 3), "k = 3 new sites asked for but only 2"),
        (lambda: mclp(TRAP, np.r_[np.ones(5), -1.0], 1), "weights must be finite and >= 0"),
        (lambda: mclp(TRAP, np.r_[np.ones(5), np.nan], 1), "weights must be finite and >= 0"),
        (lambda: pmedian(-np.ones((2, 3)), np.ones(3), 1), "costs must be >= 0"),
        (lambda: mclp(TRAP, np.ones(6), 1, fixed=[5]), "fixed rows must lie in 0..2"),
        (lambda: mclp(TRAP, np.ones(6), 1, capacity=2.0, solver="greedy"), "no greedy solver"),
        (
            lambda: pmedian(np.ones((3, 3)), np.ones(3), 1, capacity=5.0, solver="core"),
            "takes neither capacity nor required groups",
        ),
        (
            lambda: MCLP.from_cost_matrix(TRAP.T, np.ones(6), service_radius=-1, p_facilities=1),
            "service_radius must be finite and >= 0",
        ),
        (lambda: lscp(TRAP, share=1.5), r"share must be in \(0, 1\]"),
    ],
)
def test_bad_input_says_what_is_wrong(call: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()  # type: ignore[operator]


def test_capacitated_mclp_keeps_working_through_every_exact_solver() -> None:
    a = np.array([[1, 1, 1, 0], [0, 0, 1, 1]], dtype=bool)
    for solver in ("auto", "exact", "core", "highs"):
        res = mclp(a, np.full(4, 2.0), 2, capacity=3.0, solver=solver)  # type: ignore[arg-type]
        assert res.objective == pytest.approx(6.0) and res.status == "optimal"
