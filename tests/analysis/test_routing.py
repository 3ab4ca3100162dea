"""The orienteering heuristic against exact enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from analysis._routing import solve_orienteering, tour_travel


def _exact(travel: np.ndarray, prize: np.ndarray, service: np.ndarray, budget: float) -> float:
    n = travel.shape[0]
    best = 0.0
    for k in range(1, n):
        for perm in itertools.permutations(range(1, n), k):
            if tour_travel(travel, perm) + service[list(perm)].sum() <= budget + 1e-9:
                best = max(best, float(prize[list(perm)].sum()))
    return best


def _instance(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 8))  # up to 7 candidates
    xy = rng.uniform(0, 10, (n + 1, 2))
    travel = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))
    return travel, rng.uniform(1, 10, n + 1), rng.uniform(0, 2, n + 1), float(rng.uniform(5, 30))


@pytest.mark.parametrize("seed", range(25))
def test_within_five_percent_of_exact(seed: int) -> None:
    travel, prize, service, budget = _instance(seed)
    tour = solve_orienteering(travel, prize, service, budget)
    assert tour.total <= budget + 1e-9
    assert len(set(tour.stops)) == len(tour.stops)
    assert tour.prize >= 0.95 * _exact(travel, prize, service, budget) - 1e-9


def test_zero_budget_is_empty() -> None:
    travel, prize, service, _ = _instance(0)
    assert solve_orienteering(travel, prize, service, 0.0).stops == ()


def test_unreachable_candidate_is_skipped() -> None:
    travel = np.array([[0.0, 1.0, np.inf], [1.0, 0.0, np.inf], [np.inf, np.inf, 0.0]])
    tour = solve_orienteering(travel, np.array([0.0, 1.0, 100.0]), np.zeros(3), 10.0)
    assert tour.stops == (1,)


def test_bad_shapes() -> None:
    with pytest.raises(ValueError, match="travel must be"):
        solve_orienteering(np.zeros((3, 3)), np.zeros(2), np.zeros(3), 1.0)


def test_sparse_matrix_with_missing_legs_stays_feasible() -> None:
    # legs beyond the search limit are inf (as max_leg_minutes leaves them): no warning, no inf leg
    rng = np.random.default_rng(5)
    n = 40
    xy = rng.uniform(0, 10, (n + 1, 2))
    travel = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))
    far = travel > 3.0
    far[0, :] = far[:, 0] = False
    travel[far] = np.inf
    tour = solve_orienteering(travel, rng.uniform(1, 10, n + 1), np.full(n + 1, 0.5), 25.0)
    assert np.isfinite(tour.travel) and tour.total <= 25.0 + 1e-9 and len(tour.stops) > 3
