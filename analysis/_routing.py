"""The route heuristic core: a prize-collecting (orienteering) tour on a travel-time matrix.

Pure numpy; no geometry. :mod:`analysis.patrol` and :mod:`analysis.visits` build the matrix on
the road network and turn the tour back into roads.

The problem
-----------
Node 0 is the depot (the start), nodes ``1..n`` the candidates with prize ``p_i`` and service
time ``s_i``. Find a closed tour ``0 -> i_1 -> ... -> i_k -> 0`` that maximises

.. math:: \\sum_j p_{i_j}
   \\quad \\text{s.t.} \\quad
   t_{0 i_1} + \\sum_j t_{i_j i_{j+1}} + t_{i_k 0} + \\sum_j s_{i_j} \\le B

where ``t`` is the travel-time matrix and ``B`` the budget. The problem is NP-hard; the heuristic
below is a constructive best-ratio insertion followed by local search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Below this, a time difference (minutes) is treated as zero: guards the ratio and comparisons.
_EPS = 1e-9


@dataclass(frozen=True)
class Tour:
    """A closed tour from the depot (node 0) through ``stops`` and back.

    Attributes
    ----------
    stops
        Candidate nodes (``1..n``, rows of the matrix) in visiting order; empty when none fits.
    prize
        Sum of the prizes collected.
    travel
        Travel time of the closed tour (matrix units).
    service
        Sum of the service times of the stops.
    """

    stops: tuple[int, ...]
    prize: float
    travel: float
    service: float

    @property
    def total(self) -> float:
        """Travel plus service time."""
        return self.travel + self.service


def tour_travel(travel: FloatArray, stops: Sequence[int]) -> float:
    """Travel time of the closed tour ``0 -> stops... -> 0``."""
    seq = np.asarray([0, *stops, 0], dtype=np.int64)
    return float(travel[seq[:-1], seq[1:]].sum())


def _make(travel: FloatArray, prize: FloatArray, service: FloatArray, seq: list[int]) -> Tour:
    inner = seq[1:-1]
    return Tour(
        stops=tuple(int(i) for i in inner),
        prize=float(sum(prize[i] for i in inner)),
        travel=tour_travel(travel, inner),
        service=float(sum(service[i] for i in inner)),
    )


def _insert(
    travel: FloatArray,
    prize: FloatArray,
    service: FloatArray,
    seq: list[int],
    visited: NDArray[np.bool_],
    budget: float,
    alpha: float,
) -> bool:
    """Best-ratio insertion until nothing fits; returns whether anything was inserted.

    The ratio of inserting ``c`` between ``a`` and ``b`` is ``p_c / delta ** alpha`` with
    ``delta = t_ac + s_c + t_cb - t_ab`` at the cheapest position.
    """
    changed = False
    while True:
        cand = np.flatnonzero(~visited & (prize > 0))
        if len(cand) == 0:
            return changed
        arr = np.asarray(seq, dtype=np.int64)
        a, b = arr[:-1], arr[1:]
        used = float(travel[a, b].sum()) + float(service[arr].sum())
        with np.errstate(invalid="ignore"):
            delta = (
                travel[np.ix_(cand, a)].T + travel[np.ix_(cand, b)].T - travel[a, b][:, None]
            ).T + service[cand][:, None]
        delta = np.where(np.isnan(delta), np.inf, delta)
        pos = np.argmin(delta, axis=1)
        dmin = delta[np.arange(len(cand)), pos]
        ok = used + dmin <= budget + _EPS
        if not ok.any():
            return changed
        ratio = np.where(ok, prize[cand] / np.maximum(dmin, _EPS) ** alpha, -np.inf)
        best = int(np.argmax(ratio))
        seq.insert(int(pos[best]) + 1, int(cand[best]))
        visited[cand[best]] = True
        changed = True


def _two_opt(travel: FloatArray, seq: list[int]) -> bool:
    """Reverse segments while that shortens the tour (first improvement per ``i``)."""
    improved = False
    again = True
    while again:
        again = False
        n = len(seq)
        arr = np.asarray(seq, dtype=np.int64)
        for i in range(1, n - 2):
            a, b = arr[i - 1], arr[i]
            j = np.arange(i + 1, n - 1)
            c, d = arr[j], arr[j + 1]
            # reversing seq[i..j] replaces legs a-b and c-d by a-c and b-d (and reverses the
            # middle, which costs the same on a symmetric matrix; checked exactly below)
            with np.errstate(invalid="ignore"):
                gain = travel[a, b] + travel[c, d] - travel[a, c] - travel[b, d]
            gain = np.where(np.isnan(gain), -np.inf, gain)
            k = int(np.argmax(gain))
            if gain[k] > _EPS:
                jj = int(j[k])
                new = seq[:i] + seq[i : jj + 1][::-1] + seq[jj + 1 :]
                if tour_travel(travel, new[1:-1]) < tour_travel(travel, seq[1:-1]) - _EPS:
                    seq[:] = new
                    arr = np.asarray(seq, dtype=np.int64)
                    improved = again = True
    return improved


def _or_opt(travel: FloatArray, seq: list[int], max_len: int) -> bool:
    """Move segments of 1..``max_len`` stops (also reversed) to their best other place."""
    improved = False
    again = True
    while again:
        again = False
        base = tour_travel(travel, seq[1:-1])
        best_gain, best_new = _EPS, None
        n = len(seq)
        for length in range(1, max_len + 1):
            for i in range(1, n - length):
                seg = seq[i : i + length]
                rest = np.asarray(seq[:i] + seq[i + length :], dtype=np.int64)
                x, y = rest[:-1], rest[1:]
                inner = float(travel[seg[:-1], seg[1:]].sum()) if length > 1 else 0.0
                with np.errstate(invalid="ignore"):
                    removed = (
                        travel[seq[i - 1], seg[0]]
                        + travel[seg[-1], seq[i + length]]
                        - travel[seq[i - 1], seq[i + length]]
                    )
                for piece in (seg, seg[::-1]):
                    inner_p = float(travel[piece[:-1], piece[1:]].sum()) if length > 1 else 0.0
                    with np.errstate(invalid="ignore"):
                        added = travel[x, piece[0]] + travel[piece[-1], y] - travel[x, y]
                        gain = removed + inner - added - inner_p
                    gain = np.where(np.isnan(gain), -np.inf, gain)
                    gain[i - 1] = -np.inf  # the place it came from
                    p = int(np.argmax(gain))
                    if gain[p] > best_gain:
                        best_gain = float(gain[p])
                        r = rest.tolist()
                        best_new = r[: p + 1] + list(piece) + r[p + 1 :]
        if best_new is not None and tour_travel(travel, best_new[1:-1]) < base - _EPS:
            seq[:] = best_new
            improved = again = True
        else:
            again = False
    return improved


def _swap(
    travel: FloatArray,
    prize: FloatArray,
    service: FloatArray,
    seq: list[int],
    visited: NDArray[np.bool_],
    budget: float,
) -> bool:
    """Replace one stop by one unvisited candidate of a larger prize where the budget allows."""
    cand = np.flatnonzero(~visited & (prize > 0))
    if len(cand) == 0 or len(seq) <= 2:
        return False
    best_gain, best = _EPS, None
    for p in range(1, len(seq) - 1):
        v = seq[p]
        better = cand[prize[cand] > prize[v] + _EPS]
        if len(better) == 0:
            continue
        rest = np.asarray(seq[:p] + seq[p + 1 :], dtype=np.int64)
        a, b = rest[:-1], rest[1:]
        used = float(travel[a, b].sum()) + float(service[rest].sum())
        if not np.isfinite(used):  # its neighbours are not linked directly
            continue
        with np.errstate(invalid="ignore"):
            delta = (
                travel[np.ix_(better, a)] + travel[np.ix_(better, b)] - travel[a, b][None, :]
            ) + service[better][:, None]
        delta = np.where(np.isnan(delta), np.inf, delta)
        pos = np.argmin(delta, axis=1)
        dmin = delta[np.arange(len(better)), pos]
        ok = used + dmin <= budget + _EPS
        gain = np.where(ok, prize[better] - prize[v], -np.inf)
        k = int(np.argmax(gain))
        if gain[k] > best_gain:
            best_gain = float(gain[k])
            best = (p, int(better[k]), int(pos[k]))
    if best is None:
        return False
    p, u, q = best
    v = seq.pop(p)
    seq.insert(q + 1, u)
    visited[v], visited[u] = False, True
    return True


def _drop_refill(
    travel: FloatArray,
    prize: FloatArray,
    service: FloatArray,
    seq: list[int],
    visited: NDArray[np.bool_],
    budget: float,
    alpha: float,
) -> bool:
    """Drop one stop, shorten the tour, refill it by insertion; keep the first that gains prize."""
    current = float(prize[seq].sum())
    for p in range(1, len(seq) - 1):
        if not np.isfinite(travel[seq[p - 1], seq[p + 1]]):
            continue
        trial = seq[:p] + seq[p + 1 :]
        vis = visited.copy()
        vis[seq[p]] = False
        mask = vis.copy()
        mask[seq[p]] = True  # refill with other candidates only
        _two_opt(travel, trial)
        _insert(travel, prize, service, trial, mask, budget, alpha)
        if float(prize[trial].sum()) > current + _EPS:
            seq[:] = trial
            visited[:] = False
            visited[np.asarray(trial, dtype=np.int64)] = True
            return True
    return False


def _improve(
    travel: FloatArray,
    prize: FloatArray,
    service: FloatArray,
    seq: list[int],
    budget: float,
    alpha: float,
    or_opt_len: int,
    max_rounds: int,
) -> None:
    """One construction from ``seq`` (in place): insertion, then rounds of local search."""
    visited = np.zeros(len(prize), dtype=bool)
    visited[np.asarray(seq)] = True
    _insert(travel, prize, service, seq, visited, budget, alpha)
    for _ in range(max_rounds):
        changed = _two_opt(travel, seq)
        changed |= _or_opt(travel, seq, or_opt_len)
        changed |= _insert(travel, prize, service, seq, visited, budget, alpha)
        changed |= _swap(travel, prize, service, seq, visited, budget)
        if not changed:
            changed = _drop_refill(travel, prize, service, seq, visited, budget, alpha)
        if not changed:
            break


def solve_orienteering(
    travel: FloatArray,
    prize: FloatArray,
    service: FloatArray,
    budget: float,
    *,
    alphas: Sequence[float] = (1.0, 0.5, 0.0),
    n_starts: int = 8,
    or_opt_len: int = 3,
    max_rounds: int = 50,
) -> Tour:
    """Choose and order stops to collect the most prize within the time budget.

    Parameters
    ----------
    travel
        ``(n + 1, n + 1)`` travel times, node 0 the depot; ``inf`` where no path is known.
        Symmetric matrices are expected (walking both ways along the same roads).
    prize
        ``(n + 1,)`` prize of each node; ``prize[0]`` (the depot) is ignored. Nodes with a prize
        of 0 or less are never visited.
    service
        ``(n + 1,)`` service (stop) time of each node, in the units of ``travel``.
    budget
        Largest travel plus service time of the closed tour.
    alphas
        Exponents of the insertion ratio ``p / delta ** alpha``: 1 is pure prize per time, 0 pure
        prize; a construction is run for each and the best tour after local search is kept.
    or_opt_len
        Longest segment the or-opt move relocates.
    max_rounds
        Cap on improvement rounds per construction.

    Returns
    -------
    Tour

    Notes
    -----
    Per construction: (1) best-ratio insertion until nothing fits; then repeat (2) 2-opt and
    or-opt to shorten the tour, (3) insertion into the time saved, (4) swapping a stop for an
    unvisited candidate of larger prize that fits, and when nothing else helps (5) dropping one
    stop and refilling the time by insertion, until a round changes nothing.
    """
    n = travel.shape[0]
    if travel.shape != (n, n) or prize.shape != (n,) or service.shape != (n,):
        msg = f"travel must be (n, n) and prize, service (n,); got {travel.shape}, {prize.shape}, {service.shape}"
        raise ValueError(msg)
    prize = prize.astype(np.float64).copy()
    prize[0] = 0.0
    service = service.astype(np.float64).copy()
    service[0] = 0.0
    best = Tour(stops=(), prize=0.0, travel=0.0, service=0.0)
    if budget <= 0 or n <= 1:
        return best
    loop = travel[0, :] + service + travel[:, 0]
    fits = np.flatnonzero((prize > 0) & (loop <= budget + _EPS))
    ratio = prize[fits] / np.maximum(loop[fits], _EPS)
    seeds = fits[np.argsort(-ratio, kind="stable")][:n_starts]
    starts: list[tuple[float, int | None]] = [(a, None) for a in alphas]
    starts += [(alphas[0], int(c)) for c in seeds] if alphas else []
    for alpha, seed in starts:
        seq = [0, 0] if seed is None else [0, seed, 0]
        _improve(travel, prize, service, seq, budget, alpha, or_opt_len, max_rounds)
        tour = _make(travel, prize, service, seq)
        if tour.prize > best.prize + _EPS or (
            abs(tour.prize - best.prize) <= _EPS and tour.total < best.total - _EPS
        ):
            best = tour
    return best
