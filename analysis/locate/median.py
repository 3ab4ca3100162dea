"""The p-median's building blocks on sparse (site, demand, cost) pairs: greedy, swaps, Lagrange.

Demand point ``i`` (weight ``w_i``) always has a fallback of cost ``c0_i`` (its nearest fixed
site, or the unassigned penalty; ``inf`` for none) and the pairs ``(j, i, d_ij)`` with
``d_ij < c0_i`` of the free sites; the cost of a set ``S`` of open sites is
``sum_i w_i min(c0_i, min_{j in S} d_ij)``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from analysis.locate.prep import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class Pairs:
    """Free-site pairs of a p-median (sites as rows ``0..n-1``), fallbacks and weights."""

    site: IntArray
    col: IntArray
    dist: FloatArray
    c0: FloatArray
    w: FloatArray
    n: int

    @property
    def big(self) -> float:
        """A finite stand-in for "no option": more than any cost in the model."""
        finite = self.c0[np.isfinite(self.c0)]
        top = max(float(self.dist.max(initial=0.0)), float(finite.max(initial=0.0)))
        return 2.0 * top + 1.0


def cost_of(p: Pairs, is_open: BoolArray) -> float:
    """The exact cost of the open sites (``inf`` if some demand has no option)."""
    cur = p.c0.copy()
    at = is_open[p.site]
    np.minimum.at(cur, p.col[at], p.dist[at])
    return float(np.sum(p.w * cur)) if np.isfinite(cur).all() else float("inf")


def greedy_median(p: Pairs, k: int) -> BoolArray:
    """Add the site saving most weighted cost, ``k`` times."""
    cur = np.where(np.isfinite(p.c0), p.c0, p.big)
    is_open = np.zeros(p.n, dtype=bool)
    for _ in range(k):
        save = np.bincount(
            p.site, weights=p.w[p.col] * np.maximum(cur[p.col] - p.dist, 0.0), minlength=p.n
        )
        save[is_open] = -np.inf
        j = int(np.argmax(save))
        is_open[j] = True
        at = p.site == j
        np.minimum.at(cur, p.col[at], p.dist[at])
    return is_open


def two_nearest(p: Pairs, is_open: BoolArray) -> tuple[FloatArray, IntArray, FloatArray]:
    """Per demand: the nearest option's cost and site (-1: the fallback), the second's cost."""
    m = len(p.c0)
    big = p.big
    d1 = np.where(np.isfinite(p.c0), p.c0, big)
    s1 = np.full(m, -1, dtype=np.int64)
    d2 = np.full(m, big)
    at = np.flatnonzero(is_open[p.site])
    o = at[np.lexsort((p.dist[at], p.col[at]))]
    col, dist, site = p.col[o], p.dist[o], p.site[o]
    first = np.r_[True, col[1:] != col[:-1]] if len(col) else np.zeros(0, dtype=bool)
    second = np.r_[False, (col[1:] == col[:-1]) & first[:-1]] if len(col) else first
    c, dd, ss = col[first], dist[first], site[first]
    d2[c] = d1[c]  # the fallback is the second option of a demand a site serves
    d1[c], s1[c] = dd, ss
    sc, sd = col[second], dist[second]
    d2[sc] = np.minimum(d2[sc], sd)
    return d1, s1, d2


def swap_median(p: Pairs, is_open: BoolArray, *, rounds: int = 200) -> tuple[BoolArray, float]:
    """Best-improvement swaps (Teitz & Bart 1968, evaluated all at once as in Whitaker's fast
    interchange) until none lowers the cost; returns the sites and their exact cost."""
    is_open = is_open.copy()
    value = cost_of(p, is_open)
    for _ in range(rounds):
        d1, s1, d2 = two_nearest(p, is_open)
        rows = np.flatnonzero(is_open)
        slot = np.full(p.n, -1, dtype=np.int64)
        slot[rows] = np.arange(len(rows))
        wc = p.w[p.col]
        gain = np.bincount(p.site, weights=wc * np.maximum(d1[p.col] - p.dist, 0.0), minlength=p.n)
        served = s1 >= 0
        loss = np.bincount(slot[s1[served]], weights=(p.w * (d2 - d1))[served], minlength=len(rows))
        hit = served[p.col]
        extra = wc[hit] * (
            np.maximum(d2[p.col[hit]] - p.dist[hit], 0.0)
            - np.maximum(d1[p.col[hit]] - p.dist[hit], 0.0)
        )
        key = p.site[hit] * len(rows) + slot[s1[p.col[hit]]]
        inter = np.bincount(key, weights=extra, minlength=p.n * len(rows)).reshape(p.n, len(rows))
        delta = gain[:, None] - loss[None, :] + inter
        delta[rows, :] = -np.inf
        j, s = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if not delta[j, s] > 1e-9 * max(value, 1.0):
            break
        trial = is_open.copy()
        trial[rows[s]], trial[j] = False, True
        new = cost_of(p, trial)
        if not new < value - 1e-12 * max(value, 1.0):
            break
        is_open, value = trial, new
    return is_open, value


@dataclass(frozen=True)
class Lagrange:
    """The best Lagrangian lower bound, and per site the bound when it is forced open/closed."""

    bound: float
    if_open: FloatArray
    if_closed: FloatArray


def lagrangian_median(
    p: Pairs,
    k: int,
    upper: float,
    *,
    iterations: int = 400,
    u0: FloatArray | None = None,
    deadline: float = float("inf"),
) -> Lagrange:
    """Lower bound of the p-median by relaxing ``sum_j z_ij + z_i0 = 1`` with multipliers ``u``:

        L(u) = sum_i u_i + sum_i min(0, w_i c0_i - u_i) + (sum of the k smallest rho_j),
        rho_j = sum_{i: (j, i)} min(0, w_i d_ij - u_i)

    a lower bound for every ``u`` (Cornuejols, Fisher & Nemhauser 1977), maximised by
    subgradient steps (Polyak's rule towards ``upper``). Forcing site ``j`` open (closed)
    swaps it for the k-th (k+1-th) smallest ``rho``: the bounds ``if_open``/``if_closed``
    decide which sites cannot be in (out of) a solution better than ``upper``.
    """
    m = len(p.c0)
    wc = p.w[p.col]
    fin0 = np.isfinite(p.c0)
    wc0 = np.where(fin0, p.w * np.where(fin0, p.c0, 0.0), np.inf)
    u = np.array(u0, dtype=np.float64) if u0 is not None else np.minimum(wc0, p.big * p.w)
    best = -np.inf
    best_rho: FloatArray = np.zeros(p.n)
    theta, stall = 1.0, 0
    kk = min(k, p.n)
    for _ in range(iterations):
        red = np.minimum(wc * p.dist - u[p.col], 0.0)
        rho = np.bincount(p.site, weights=red, minlength=p.n)
        top = np.argpartition(rho, kk - 1)[:kk] if kk < p.n else np.arange(p.n)
        value = float(u.sum() + np.minimum(wc0 - u, 0.0)[fin0].sum() + rho[top].sum())
        if not np.isfinite(best) or value > best + 1e-9 * max(abs(best), 1.0):
            best, best_rho, stall = value, np.asarray(rho, dtype=np.float64), 0
        else:
            stall += 1
            if stall >= 10:
                theta, stall = theta / 2, 0
        if theta < 1e-5 or best >= upper * (1 - 1e-9) or time.perf_counter() > deadline:
            break
        is_top = np.zeros(p.n, dtype=bool)
        is_top[top] = True
        grad = 1.0 - (fin0 & (wc0 < u)).astype(np.float64)
        sel = is_top[p.site] & (red < 0)
        grad -= np.bincount(p.col[sel], minlength=m)
        norm = float(grad @ grad)
        if norm == 0:
            break
        u = u + theta * (upper - value) / norm * grad
        u = np.maximum(u, 0.0)
    return _forced(best, best_rho, kk, p.n)


def _forced(best: float, rho: FloatArray, k: int, n: int) -> Lagrange:
    order = np.sort(rho)
    kth = order[k - 1]
    nxt = order[k] if k < n else np.inf
    in_top = rho <= kth
    if_open = np.where(in_top, best, best + rho - kth)
    if_closed = np.where(in_top, best - rho + nxt, best)
    return Lagrange(best, if_open, if_closed)
