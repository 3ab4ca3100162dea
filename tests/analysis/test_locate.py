"""The location core on hand-computed instances, invariants, and against PySAL spopt."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.spatial import cKDTree

from analysis.locate import greedy_mclp, lscp, mclp, pmedian

# --- synthetic, solved by hand ------------------------------------------------------------

# Six demand points of weight 1. A reaches 1-4, B reaches 1, 2, 5 and C reaches 3, 4, 6.
# Greedy takes A (4) then B or C (+1) = 5; the optimum is {B, C} = 6.
TRAP = np.array(
    [
        [1, 1, 1, 1, 0, 0],  # A
        [1, 1, 0, 0, 1, 0],  # B
        [0, 0, 1, 1, 0, 1],  # C
    ],
    dtype=bool,
)


def test_mclp_exact_beats_greedy_on_the_trap() -> None:
    w = np.ones(6)
    chosen, gains, bound = greedy_mclp(sp.csr_matrix(TRAP), w, 2)
    assert gains.sum() == 5.0 and chosen[0] == 0
    assert bound >= 6.0  # the submodular bound still holds the optimum
    res = mclp(TRAP, w, 2, solver="exact")
    assert res.objective == 6.0 and res.status == "optimal" and res.gap == 0.0
    assert sorted(res.chosen.tolist()) == [1, 2]
    assert res.gains.tolist() == [3.0, 3.0]
    greedy = mclp(TRAP, w, 2, solver="greedy")
    assert greedy.objective == 5.0 and greedy.status == "heuristic"
    assert greedy.bound >= 6.0 and greedy.gap > 0


def test_mclp_fixed_site_counts_and_is_not_chosen() -> None:
    # A is open already: it covers 1-4; one new site adds 5 (B) or 6 (C) with weights 1, 3
    w = np.array([1, 1, 1, 1, 1, 3.0])
    res = mclp(TRAP, w, 1, fixed=[0])
    assert res.chosen.tolist() == [2] and res.objective == 7.0 and res.gains.tolist() == [3.0]


def test_mclp_group_forces_a_village() -> None:
    # k = 1 but the "village" holding only B must get a site: B wins though C covers more weight
    w = np.array([1, 1, 1, 1, 1, 10.0])
    assert mclp(TRAP, w, 1).chosen.tolist() == [2]
    res = mclp(TRAP, w, 1, groups=[np.array([1])])
    assert res.chosen.tolist() == [1] and res.objective == 3.0


def test_mclp_capacity_splits_demand() -> None:
    # one site reaching three points of weight 2 but serving 3: objective 3 (splittable)
    a = np.array([[1, 1, 1]], dtype=bool)
    res = mclp(a, np.array([2.0, 2.0, 2.0]), 1, capacity=3.0)
    assert res.objective == pytest.approx(3.0) and res.status == "optimal"
    # two sites of capacity 3 over four points of weight 2 (A: 1-3, B: 3-4)
    a2 = np.array([[1, 1, 1, 0], [0, 0, 1, 1]], dtype=bool)
    assert mclp(a2, np.full(4, 2.0), 2, capacity=3.0).objective == pytest.approx(6.0)
    assert mclp(a2, np.full(4, 2.0), 2).objective == pytest.approx(8.0)


def test_lscp_hand_optimum_and_uncoverable() -> None:
    # add a demand point 7 nobody reaches: reported, not infeasible
    a = np.c_[TRAP, np.zeros(3, dtype=bool)]
    res = lscp(a)
    assert res.objective == 2.0 and sorted(res.chosen.tolist()) == [1, 2]
    assert res.uncoverable.tolist() == [6]
    # a target share of 4/6 of the reachable demand: A alone
    half = lscp(a, np.ones(7), share=4 / 6)
    assert half.objective == 1.0 and half.chosen.tolist() == [0]


def test_pmedian_hand_optimum() -> None:
    # three points on a line at 0, 1, 10; candidates at 0, 1, 10; k = 2 -> {0 or 1, 10}: cost 1
    pos = np.array([0.0, 1.0, 10.0])
    d = np.abs(pos[:, None] - pos[None, :])
    res = pmedian(d, np.ones(3), 2)
    assert res.objective == pytest.approx(1.0)
    # ranked by distance saved: the 1-median first, then the far site (saving 10)
    assert res.chosen.tolist() in ([0, 2], [1, 2]) and res.gains[1] == pytest.approx(10.0)
    # the site at 0 is open already: one new site -> 10 (cost 1)
    fixed = pmedian(d, np.ones(3), 1, fixed=[0])
    assert fixed.chosen.tolist() == [2] and fixed.objective == pytest.approx(1.0)
    # capacity 1 each: every point needs its own site, k = 2 + fixed 0 -> cost 0
    cap = pmedian(d, np.ones(3), 2, fixed=[0], capacity=1.0)
    assert cap.objective == pytest.approx(0.0)


def test_pmedian_unreachable_pays_the_penalty() -> None:
    d = np.array([[0.0, np.inf], [np.inf, 5.0]])
    res = pmedian(d, np.array([1.0, 2.0]), 1, unassigned_cost=100.0)
    # site 0: 0 + 2 * 100 = 200; site 1: 100 + 10 = 110
    assert res.chosen.tolist() == [1] and res.objective == pytest.approx(110.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: mclp(TRAP, np.ones(6), 4), "only 3 candidate"),
        (lambda: mclp(TRAP, np.zeros(6), 1), "no demand"),
        (lambda: mclp(TRAP, np.ones(6), 1, fixed=[0, 1, 2]), "no candidate"),
        (lambda: mclp(TRAP, np.ones(5), 1), "5 weights for 6"),
        (lambda: pmedian(np.ones((2, 2)), np.ones(2), 0), "at least 1"),
        (
            lambda: mclp(TRAP, np.ones(6), 1, groups=[np.array([0]), np.array([1])]),
            "2 required groups",
        ),
    ],
)
def test_bad_input_is_named(call: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()  # type: ignore[operator]


# --- random instances: invariants and PySAL spopt ----------------------------------------


def _plane(seed: int, n_dem: int, n_cand: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    dem = rng.uniform(0, 1000, (n_dem, 2))
    cand = rng.uniform(0, 1000, (n_cand, 2))
    d = np.hypot(*(cand[:, None, :] - dem[None, :, :]).transpose(2, 0, 1))
    return d, rng.integers(1, 6, n_dem).astype(float)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_greedy_bound_holds_the_optimum(seed: int) -> None:
    d, w = _plane(seed, 120, 25)
    a = d <= 220
    exact = mclp(a, w, 4, solver="exact")
    greedy = mclp(a, w, 4, solver="greedy")
    assert greedy.objective <= exact.objective + 1e-9 <= greedy.bound + 1e-6


def test_preprocessing_keeps_the_optimum() -> None:
    # duplicated demand columns and a dominated candidate row change nothing
    d, w = _plane(7, 80, 15)
    a = d <= 250
    a2 = np.c_[a, a[:, :10]]
    w2 = np.r_[w, w[:10]]
    a3 = np.r_[a2, a2[:1] & a2[1:2]]  # a subset of rows 0 and 1
    w_merged = w.copy()
    w_merged[:10] *= 2
    ref = mclp(a, w_merged, 3, solver="exact").objective
    assert mclp(a3, w2, 3, solver="exact").objective == pytest.approx(ref)


@pytest.fixture(scope="module")
def spopt_locate():  # type: ignore[no-untyped-def]
    pytest.importorskip("pulp", reason="spopt (test-only) needs pulp")
    return pytest.importorskip("spopt.locate", reason="spopt is a test-only dependency")


def _cbc():  # type: ignore[no-untyped-def]
    import pulp

    return pulp.PULP_CBC_CMD(msg=False)


# PuLP 3.3 warns about its own 4.0 API inside spopt: the peer's warning, not ours.
peer_warnings = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@peer_warnings
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_mclp_equals_spopt(spopt_locate, seed: int) -> None:  # type: ignore[no-untyped-def]
    import pulp

    d, w = _plane(seed, 150, 30)
    ours = mclp(d <= 200, w, 5, solver="exact")
    peer = spopt_locate.MCLP.from_cost_matrix(d.T, w, service_radius=200, p_facilities=5)
    peer = peer.solve(_cbc())
    assert ours.objective == pytest.approx(pulp.value(peer.problem.objective), abs=1e-6)


@peer_warnings
@pytest.mark.parametrize("seed", [21, 22])
def test_lscp_equals_spopt(spopt_locate, seed: int) -> None:  # type: ignore[no-untyped-def]
    import pulp

    d, _ = _plane(seed, 100, 40)
    # keep only demand some candidate reaches: spopt's model is infeasible otherwise
    d = d[:, (d <= 230).any(axis=0)]
    ours = lscp(d <= 230)
    peer = spopt_locate.LSCP.from_cost_matrix(d.T, service_radius=230).solve(_cbc())
    assert ours.objective == pytest.approx(pulp.value(peer.problem.objective), abs=1e-6)


@peer_warnings
@pytest.mark.parametrize("seed", [31, 32])
def test_pmedian_equals_spopt(spopt_locate, seed: int) -> None:  # type: ignore[no-untyped-def]
    import pulp

    d, w = _plane(seed, 60, 15)
    ours = pmedian(d, w, 3)
    peer = spopt_locate.PMedian.from_cost_matrix(d.T, w, p_facilities=3).solve(_cbc())
    assert ours.objective == pytest.approx(pulp.value(peer.problem.objective), rel=1e-9, abs=1e-6)


def test_mclp_radius_structure_like_walking_reach() -> None:
    # clustered households, coverage within a radius: exact >= greedy, gap 0
    rng = np.random.default_rng(5)
    centres = rng.uniform(0, 5000, (20, 2))
    dem = centres[rng.integers(0, 20, 2000)] + rng.normal(0, 120, (2000, 2))
    cand = rng.uniform(0, 5000, (80, 2))
    pairs = cKDTree(cand).sparse_distance_matrix(cKDTree(dem), 700, output_type="coo_matrix")
    a = sp.csr_matrix((np.ones(pairs.nnz, bool), (pairs.row, pairs.col)), shape=(80, 2000))
    w = rng.integers(1, 4, 2000).astype(float)
    res = mclp(a, w, 6)
    assert res.status == "optimal"
    assert res.objective >= mclp(a, w, 6, solver="greedy").objective
    assert np.all(np.diff(res.gains) <= 1e-9)  # ranked by marginal gain


def test_greedy_path_gets_the_lagrangian_bound() -> None:
    # forced onto greedy by a zero size limit: the bound still holds the optimum and is at
    # least as tight as the submodular bound
    d, w = _plane(4, 300, 40)
    a = d <= 180
    exact = mclp(a, w, 5, solver="exact")
    big = mclp(a, w, 5, exact_max_nnz=0)
    _, _, nwf = greedy_mclp(sp.csr_matrix(a), w, 5)
    assert big.solver == "greedy" and big.objective <= exact.objective <= big.bound + 1e-6
    assert big.bound <= nwf + 1e-9
