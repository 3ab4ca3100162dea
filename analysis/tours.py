"""Tours on the road network shared by the patrols and the home visits.

A tour starts and ends at one point (a township office, a village committee), visits stops
snapped onto the roads and fits a time budget: :func:`travel_matrix` gives the walking distances
among the start and the stops, :func:`plan_day` the best tour of one day (an orienteering
problem, :func:`analysis._routing.solve_orienteering`), :func:`route_line` the walk along the
roads as one line, :func:`clock` the arrival times.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString, Point
from shapely.ops import substring

from analysis._routing import solve_orienteering
from geo.errors import InputError, NetworkError
from geo.network import RoadNetwork, SnapResult, distance_pairs, snap_points
from geo.settings import InspectionSettings

__all__ = [
    "TourDay",
    "clock",
    "concat",
    "minutes_of",
    "plan_day",
    "route_line",
    "snap_start",
    "speed_m_per_min",
    "subset",
    "travel_matrix",
]

FloatArray = NDArray[np.float64]


def minutes_of(hhmm: str) -> float:
    """Minutes since midnight of a ``"HH:MM"`` time."""
    h, m = (int(x) for x in hhmm.split(":"))
    return 60.0 * h + m


def clock(start: str, minutes: float) -> str:
    """The ``"HH:MM"`` time ``minutes`` after ``start`` (``"HH:MM"``), to the nearest minute."""
    total = round(minutes_of(start) + minutes)
    return f"{total // 60:02d}:{total % 60:02d}"


def speed_m_per_min(mode: str, ins: InspectionSettings) -> float:
    """Speed of a travel mode of ``InspectionSettings.speeds_kmh``, in metres per minute.

    Raises
    ------
    InputError
        The mode is not one of the settings.
    """
    if mode not in ins.speeds_kmh:
        msg = f"unknown travel mode {mode!r}; expected one of {sorted(ins.speeds_kmh)}"
        raise InputError(msg)
    return ins.speeds_kmh[mode] * 1000.0 / 60.0


def snap_start(
    network: RoadNetwork, start: Point, *, limit_m: float, what: str = "start point"
) -> SnapResult:
    """The start of a tour snapped onto the network.

    Raises
    ------
    NetworkError
        The point is farther than ``limit_m`` from every road (``what`` names it).
    """
    snap = snap_points(network, gpd.GeoSeries([start], crs=network.crs), limit_m=limit_m)
    if not snap.snapped[0]:
        dist = float(snap.table["connector_m"].iloc[0])
        msg = (
            f"the {what} lies {dist:.0f} m from the nearest road, farther than the snap limit "
            f"({limit_m:.0f} m, setting snap_limit_m); choose a point on or near a road"
        )
        raise NetworkError(msg)
    return snap


def subset(snap: SnapResult, positions: NDArray[np.int64]) -> SnapResult:
    """The rows ``positions`` (0-based) of a snap result, on the same network."""
    return SnapResult(
        table=snap.table.iloc[positions],
        limit_m=snap.limit_m,
        crs=snap.crs,
        network_key=snap.network_key,
    )


def concat(a: SnapResult, b: SnapResult) -> SnapResult:
    """The rows of ``a`` then those of ``b`` (renumbered from 0), on ``a``'s network."""
    table = pd.concat([a.table, b.table], ignore_index=True)
    return SnapResult(table=table, limit_m=a.limit_m, crs=a.crs, network_key=a.network_key)


def travel_matrix(
    network: RoadNetwork, points: SnapResult, *, limit_m: float | None, chunk: int
) -> FloatArray:
    """Symmetric walking distances among ``points`` (row 0 unlimited, the rest within ``limit_m``).

    The rows come from :func:`geo.network.distance_pairs` (no point inserted into the graph,
    each Dijkstra stopped at the limit), in blocks of ``chunk`` sources.
    """
    n = len(points)
    out = np.full((n, n), np.inf)
    out[0, :] = distance_pairs(
        network, subset(points, np.array([0])), points, limit_m=None
    ).to_dense()[0]
    for lo in range(1, n, chunk):
        rows = np.arange(lo, min(lo + chunk, n))
        out[rows, :] = distance_pairs(
            network, subset(points, rows), points, limit_m=limit_m, chunk=len(rows)
        ).to_dense()
    out[:, 0] = out[0, :]
    sym: FloatArray = np.minimum(out, out.T)  # walking is symmetric; guard float noise
    np.fill_diagonal(sym, 0.0)
    return sym


def _edge_lookup(network: RoadNetwork) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Sorted keys ``min(u,v) * n + max(u,v)`` of the routable edges and their edge rows."""
    u, v, _ = network.arrays()
    rows = np.flatnonzero(network.routable)
    keys = np.minimum(u[rows], v[rows]) * network.n_nodes + np.maximum(u[rows], v[rows])
    order = np.argsort(keys)
    return keys[order], rows[order]


def _piece(geom: LineString, a: float, b: float) -> list[tuple[float, float]]:
    """Coordinates along ``geom`` from offset ``a`` to offset ``b`` (reversed when b < a)."""
    if abs(a - b) < 1e-9:
        p = geom.interpolate(a)
        return [(p.x, p.y)]
    part = substring(geom, min(a, b), max(a, b))
    coords = list(part.coords) if part.geom_type == "LineString" else [(part.x, part.y)]
    return coords if a <= b else coords[::-1]


def _leg_coords(
    network: RoadNetwork,
    lookup: tuple[NDArray[np.int64], NDArray[np.int64]],
    a: pd.Series,
    b: pd.Series,
    limit_m: float = np.inf,
) -> list[tuple[float, float]]:
    """Road coordinates of the shortest walk between two snapped positions.

    One Dijkstra from both ends of A's edge (with predecessors); the walk leaves A's edge by
    the cheaper end, follows the predecessor chain over network edges, and enters B's edge by
    the cheaper end; when both lie on one edge, walking straight along it is also considered.
    ``limit_m`` (the leg's known walking distance) bounds the search.
    """
    geoms = network.edges.geometry.to_numpy()
    lengths = network.edges["length"].to_numpy(dtype=float)
    ea, eb = int(a["edge"]), int(b["edge"])
    oa, ob = float(a["offset_m"]), float(b["offset_m"])
    ga, gb = geoms[ea], geoms[eb]
    la, lb = lengths[ea], lengths[eb]
    starts = [(int(a["u"]), oa, 0.0), (int(a["v"]), la - oa, la)]
    ends = [(int(b["u"]), ob, 0.0), (int(b["v"]), lb - ob, lb)]
    dist, pred = dijkstra(
        network.csr,
        directed=False,
        indices=[s[0] for s in starts],
        return_predecessors=True,
        limit=limit_m,
    )
    best = (np.inf, -1, -1)
    for i, (_, cost_a, _) in enumerate(starts):
        for j, (node_b, cost_b, _) in enumerate(ends):
            total = cost_a + dist[i, node_b] + cost_b
            if total < best[0]:
                best = (total, i, j)
    if ea == eb and abs(oa - ob) <= best[0]:
        return _piece(ga, oa, ob)
    _, i, j = best
    if i < 0:
        msg = "two stops lie in parts of the road network that do not connect"
        raise NetworkError(msg)
    node_a, _, end_off_a = starts[i]
    node_b, _, end_off_b = ends[j]
    coords = _piece(ga, oa, end_off_a)
    path = [node_b]
    while path[-1] != node_a:
        path.append(int(pred[i, path[-1]]))
    path.reverse()
    keys, rows = lookup
    u_all = network.edges["u"].to_numpy()
    for x, y in itertools.pairwise(path):
        key = min(x, y) * network.n_nodes + max(x, y)
        e = int(rows[np.searchsorted(keys, key)])
        c = list(geoms[e].coords)
        coords += c if u_all[e] == x else c[::-1]
    coords += _piece(gb, end_off_b, ob)
    return coords


def route_line(
    network: RoadNetwork, table: pd.DataFrame, order: list[int], dist_m: FloatArray | None = None
) -> LineString | None:
    """The closed walk through the rows ``order`` of ``table`` (snapped positions), as one line."""
    if len(order) < 2:
        return None
    lookup = _edge_lookup(network)
    coords: list[tuple[float, float]] = []
    for p, q in itertools.pairwise(order):
        # the along-road part of a leg is at most its walking distance (connectors included)
        limit = np.inf if dist_m is None else float(dist_m[p, q]) + 1.0
        leg = _leg_coords(network, lookup, table.iloc[p], table.iloc[q], limit)
        coords += leg if not coords else leg[1:] if coords[-1] == leg[0] else leg
    arr = np.asarray(coords, dtype=float)
    keep = np.ones(len(arr), dtype=bool)
    keep[1:] = np.any(arr[1:] != arr[:-1], axis=1)
    arr = arr[keep]
    if len(arr) < 2:
        return None
    return LineString(arr)


@dataclass(frozen=True)
class TourDay:
    """One day's tour: the stops (rows of the travel matrix, 1..n) in order, the arrival at each
    (minutes after the start), the legs (m, back to the start included) and the totals."""

    stops: list[int]  # rows of the matrix (1..n), in order
    arrival: list[float]
    leg_m: list[float]
    distance_m: float
    travel_min: float
    stop_min: float


def plan_day(
    dist_m: FloatArray,
    prize: FloatArray,
    stop_min: float,
    budget_min: float,
    speed: float,
) -> TourDay:
    """The tour of one day from row 0 of ``dist_m`` and back, most ``prize`` within the budget.

    Parameters
    ----------
    dist_m
        ``(n, n)`` walking distances (m) among the start (row 0) and the stops.
    prize
        ``(n,)`` priority of each row (row 0 is the start: 0).
    stop_min
        Minutes spent at each stop.
    budget_min
        Minutes of the day, travel and stops.
    speed
        Metres per minute (:func:`speed_m_per_min`).
    """
    n = dist_m.shape[0]
    travel = dist_m / speed
    service = np.full(n, stop_min)
    tour = solve_orienteering(travel, prize, service, budget_min)
    seq = [0, *tour.stops, 0]
    legs = [float(dist_m[a, b]) for a, b in itertools.pairwise(seq)]
    arrival: list[float] = []
    t = 0.0
    for k, s in enumerate(tour.stops):
        t += legs[k] / speed
        arrival.append(t)
        t += stop_min
        del s
    return TourDay(
        stops=list(tour.stops),
        arrival=arrival,
        leg_m=legs,
        distance_m=float(sum(legs)) if tour.stops else 0.0,
        travel_min=tour.travel,
        stop_min=tour.service,
    )
