"""Patrol routes for river chiefs and safety officers: which risk spots to inspect, in what order.

A patrol day is a closed tour from a start (a township office, any point) along the roads, within
a time budget; the tour collects the most *priority* per hour (an orienteering problem solved by
:func:`analysis._routing.solve_orienteering`). Several days are planned one after the other until
every red spot has been visited or the days run out.

Priority of spot ``i`` on day ``d``::

    priority_i = risk_i * f_overdue_i * f_window_i(d)

* ``f_overdue = InspectionSettings.overdue_factor`` when the spot was never inspected, or not within
  the revisit interval (``revisit_days_flood`` in flood season, ``revisit_days_other`` otherwise;
  the season from :func:`analysis.season.season_on`); 1 otherwise.
* ``f_window = max(window_factors[w])`` over the patrol windows ``w`` of the day (``school_holiday``,
  ``weekend``; on school days ``after_school`` when the day's hours reach it) for spots children use:
  a ``use`` column naming one of ``child_use_codes`` (swimming, washing), a ``kind`` or
  ``known_kind`` column naming one of ``child_spot_kinds`` (swimming hole, dock, washing step), or a boolean ``child_use`` column; 1
  otherwise. So a plan for a Saturday in July favours the swimming and washing places.

Travel time is the walking distance along the road network (:mod:`geo.network`, connectors
included) divided by the mode's speed (``speeds_kmh``); every stop costs ``stop_minutes_spot``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString, Point
from shapely.ops import substring

from analysis._routing import solve_orienteering
from analysis.season import season_on
from geo.crs import metric_crs_for, require_metric
from geo.errors import InputError, NetworkError
from geo.i18n import value_label
from geo.network import RoadNetwork, SnapResult, distance_matrix, distance_pairs, snap_points
from geo.schemas import CONDITIONS, EQUIPMENT_KINDS
from geo.settings import InspectionSettings, Settings

__all__ = [
    "FOUR_ITEMS",
    "PatrolPlan",
    "apply_patrol_records",
    "patrol_windows",
    "plan_patrols",
    "spot_priority",
]

#: The four-ones items and the spot columns telling whether each is present in working order.
FOUR_ITEMS: tuple[tuple[str, str], ...] = (
    ("warning_sign", "has_warning_sign"),
    ("life_buoy", "has_life_buoy"),
    ("rescue_rope", "has_rescue_rope"),
    ("rescue_pole", "has_rescue_pole"),
)
_REQUIRED = ("spot_id", "risk", "risk_class", "geometry")

FloatArray = NDArray[np.float64]


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatrolPlan:
    """Patrol days planned over the risk spots.

    Attributes
    ----------
    stops
        One row per stop (Point, metric CRS): ``day`` (1-based), ``date``, ``order`` (1-based),
        ``spot_id``, ``water_name``, ``village_code``, ``risk``, ``risk_class``, ``priority``,
        ``overdue``, ``child_use``, ``arrival`` (HH:MM), ``arrival_min`` (minutes after the day's
        start), ``leg_m`` (walking distance from the previous stop), ``last_inspected`` (ISO date
        or 从未检查), ``checklist`` (Chinese text).
    routes
        One row per day (LineString along the roads, metric CRS; empty for an empty day): ``day``,
        ``date``, ``stops``, ``distance_m`` (connectors included), ``travel_min``, ``stop_min``,
        ``total_min``, ``budget_min``, ``windows`` and ``message``.
    checklist
        Long form of the per-stop checklist: ``day``, ``order``, ``spot_id``, ``item``,
        ``item_zh``, ``state_zh``, ``action_zh``.
    unvisited_red
        The must-visit (red) spots no day could visit, with ``reason``.
    mode, hours
        Travel mode and daily budget.
    messages
        Notes for the user (unsnapped spots, days left empty...).
    """

    stops: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame
    checklist: pd.DataFrame
    unvisited_red: pd.DataFrame
    mode: str
    hours: float
    messages: tuple[str, ...]


# --------------------------------------------------------------------------------------------
# priority
# --------------------------------------------------------------------------------------------


def _minutes(hhmm: str) -> float:
    h, m = (int(x) for x in hhmm.split(":"))
    return 60.0 * h + m


def _clock(start: str, minutes: float) -> str:
    total = round(_minutes(start) + minutes)
    return f"{total // 60:02d}:{total % 60:02d}"


def patrol_windows(day: dt.date, hours: float, settings: Settings) -> tuple[str, ...]:
    """The patrol windows a day falls in: school holiday, weekend, or after school.

    The after-school window counts on school days only, when the day's patrol hours (from
    ``day_start``) overlap ``after_school``.
    """
    ins = settings.inspection
    state = season_on(day, settings.season)
    out: list[str] = []
    if state.school_holiday:
        out.append("school_holiday")
    if state.weekend:
        out.append("weekend")
    if not out:
        start = _minutes(ins.day_start)
        a, b = (_minutes(t) for t in ins.after_school)
        if start + 60.0 * hours > a and start < b:
            out.append("after_school")
    return tuple(out)


def _child_use(spots: pd.DataFrame, ins: InspectionSettings) -> NDArray[np.bool_]:
    out = np.zeros(len(spots), dtype=bool)
    if "use" in spots:
        codes = spots["use"].astype("string").fillna("").str.split(";")
        out |= codes.map(lambda c: bool(set(c) & set(ins.child_use_codes))).to_numpy(dtype=bool)
    for col in ("kind", "known_kind"):  # known_kind: the risk spots' name for it
        if col in spots:
            kinds = spots[col].astype("string").isin(ins.child_spot_kinds).fillna(False)
            out |= kinds.to_numpy(dtype=bool)
    if "child_use" in spots:
        out |= spots["child_use"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    return out


def spot_priority(
    spots: pd.DataFrame, *, settings: Settings, date: dt.date, hours: float
) -> pd.DataFrame:
    """Priority of each spot on ``date`` (see the module docstring for the formula).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``spots``: ``priority``, ``overdue`` (bool), ``child_use`` (bool),
        ``days_since`` (float, NaN when never inspected), ``window_factor``.
    """
    ins = settings.inspection
    state = season_on(date, settings.season)
    interval = ins.revisit_days_flood if state.flood_season else ins.revisit_days_other
    if "last_inspected" in spots:
        last = pd.to_datetime(spots["last_inspected"])
        since = (pd.Timestamp(date) - last).dt.days.astype(float).to_numpy()
    else:
        since = np.full(len(spots), np.nan)
    overdue = np.isnan(since) | (since > interval)
    child = _child_use(spots, ins)
    windows = patrol_windows(date, hours, settings)
    wf = max((ins.window_factors.get(w, 1.0) for w in windows), default=1.0)
    risk = pd.to_numeric(spots["risk"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    priority = risk * np.where(overdue, ins.overdue_factor, 1.0) * np.where(child, wf, 1.0)
    return pd.DataFrame(
        {
            "priority": priority,
            "overdue": overdue,
            "child_use": child,
            "days_since": since,
            "window_factor": np.where(child, wf, 1.0),
        },
        index=spots.index,
    )


# --------------------------------------------------------------------------------------------
# checklist
# --------------------------------------------------------------------------------------------


def _flag(row: pd.Series, col: str) -> bool:
    v = row.get(col)
    return bool(v) if v is not None and not pd.isna(v) else False


def spot_checklist(row: pd.Series) -> list[tuple[str, str, str, str]]:
    """Checklist rows of one spot: (item code, item label, last known state, action), Chinese."""
    missing = set(str(row.get("missing_items") or "").split(";")) - {""}
    rows: list[tuple[str, str, str, str]] = []
    for item, col in FOUR_ITEMS:
        ok = _flag(row, col) and item not in missing
        rows.append(
            (
                item,
                value_label(item),
                "完好" if ok else "缺失或损坏",
                "检查是否完好" if ok else "安装或修复",
            )
        )
    fenced = _flag(row, "fenced")
    rows.append(
        (
            "fence",
            value_label("fence"),
            "已设置" if fenced else "未设置",
            "检查是否完好" if fenced else "视场地条件设置隔离防护设施",
        )
    )
    return rows


def _date_text(value: object) -> str:
    """ISO date, or "从未检查" (never inspected) for a missing date."""
    if value is None or pd.isna(value):
        return "从未检查"
    return pd.Timestamp(value).date().isoformat()


def _checklist_text(items: list[tuple[str, str, str, str]]) -> str:
    return "；".join(f"{label}:{state}→{action}" for _, label, state, action in items)


# --------------------------------------------------------------------------------------------
# network helpers (shared with analysis.visits)
# --------------------------------------------------------------------------------------------


def _speed_m_per_min(mode: str, ins: InspectionSettings) -> float:
    if mode not in ins.speeds_kmh:
        msg = f"unknown travel mode {mode!r}; expected one of {sorted(ins.speeds_kmh)}"
        raise InputError(msg)
    return ins.speeds_kmh[mode] * 1000.0 / 60.0


def _snap_start(
    network: RoadNetwork, start: Point, *, limit_m: float, what: str = "start point"
) -> SnapResult:
    snap = snap_points(network, gpd.GeoSeries([start], crs=network.crs), limit_m=limit_m)
    if not snap.snapped[0]:
        dist = float(snap.table["connector_m"].iloc[0])
        msg = (
            f"the {what} lies {dist:.0f} m from the nearest road, farther than the snap limit "
            f"({limit_m:.0f} m, setting snap_limit_m); choose a point on or near a road"
        )
        raise NetworkError(msg)
    return snap


def _subset(snap: SnapResult, positions: NDArray[np.int64]) -> SnapResult:
    return SnapResult(
        table=snap.table.iloc[positions],
        limit_m=snap.limit_m,
        crs=snap.crs,
        network_key=snap.network_key,
    )


def _concat(a: SnapResult, b: SnapResult) -> SnapResult:
    table = pd.concat([a.table, b.table], ignore_index=True)
    return SnapResult(table=table, limit_m=a.limit_m, crs=a.crs, network_key=a.network_key)


def _travel_matrix(
    network: RoadNetwork, points: SnapResult, *, limit_m: float | None, chunk: int
) -> FloatArray:
    """Symmetric walking distances among ``points`` (row 0 unlimited, the rest within ``limit_m``).

    The rows come from :func:`geo.network.distance_pairs` (no point inserted into the graph,
    each Dijkstra stopped at the limit), in blocks of ``chunk`` sources.
    """
    n = len(points)
    out = np.full((n, n), np.inf)
    out[0, :] = distance_pairs(
        network, _subset(points, np.array([0])), points, limit_m=None
    ).to_dense()[0]
    for lo in range(1, n, chunk):
        rows = np.arange(lo, min(lo + chunk, n))
        out[rows, :] = distance_pairs(
            network, _subset(points, rows), points, limit_m=limit_m, chunk=len(rows)
        ).to_dense()
    out[:, 0] = out[0, :]
    out = np.minimum(out, out.T)  # walking is symmetric; guard float noise
    np.fill_diagonal(out, 0.0)
    return out


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


def _route_line(
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
class _Day:
    stops: list[int]  # rows of the matrix (1..n), in order
    arrival: list[float]
    leg_m: list[float]
    distance_m: float
    travel_min: float
    stop_min: float


def _plan_day(
    dist_m: FloatArray,
    prize: FloatArray,
    stop_min: float,
    budget_min: float,
    speed: float,
) -> _Day:
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
    return _Day(
        stops=list(tour.stops),
        arrival=arrival,
        leg_m=legs,
        distance_m=float(sum(legs)) if tour.stops else 0.0,
        travel_min=tour.travel,
        stop_min=tour.service,
    )


# --------------------------------------------------------------------------------------------
# planning
# --------------------------------------------------------------------------------------------


def _check_spots(spots: gpd.GeoDataFrame) -> None:
    missing = [c for c in _REQUIRED if c != "geometry" and c not in spots]
    if missing:
        msg = f"the spots table lacks the column(s) {missing}; pass the spots of analysis.risk"
        raise InputError(msg)
    require_metric(spots, layer="spots")


def plan_patrols(
    spots: gpd.GeoDataFrame,
    network: RoadNetwork,
    *,
    start: Point,
    settings: Settings,
    date: dt.date,
    hours: float,
    mode: str,
    days: int = 1,
) -> PatrolPlan:
    """Plan ``days`` patrol days from ``start``, the most risk per hour first.

    Parameters
    ----------
    spots
        Risk spots (``analysis.risk`` contract: ``spot_id``, ``risk`` 0-100, ``risk_class``, the
        four-ones flags, ``fenced``, ``missing_items``, ``last_inspected``...), metric CRS.
    network
        The road network (same CRS).
    start
        Where each day starts and ends (metric CRS); must lie within ``snap_limit_m`` of a road.
    settings
        ``settings.inspection`` (speeds, stop time, windows, revisit intervals), ``snap_limit_m``.
    date
        The first day; day ``d`` is ``date + d - 1`` (priorities follow each day's windows).
    hours
        Time budget of each day: travel plus stops.
    mode
        A key of ``speeds_kmh`` (walk, ebike, car).
    days
        Most days to plan; planning stops early once every red spot is visited.

    Returns
    -------
    PatrolPlan

    Raises
    ------
    InputError
        Unknown mode, negative budget or days, spots lacking columns.
    NetworkError
        The start lies farther than the snap limit from any road.

    Notes
    -----
    Per day, ``maximise sum(priority_i) s.t. travel + stops <= hours`` over a closed tour
    (:func:`analysis._routing.solve_orienteering`). Candidates are the spots that fit a round
    trip from the start alone, at most ``max_candidates`` of highest priority; their walking
    distances come from chunked many-to-many Dijkstra runs (:func:`geo.network.distance_pairs`),
    legs longer than ``max_leg_minutes`` left out.
    """
    ins = settings.inspection
    speed = _speed_m_per_min(mode, ins)
    if not hours >= 0:
        msg = f"the time budget must be zero or more hours, got {hours}"
        raise InputError(msg)
    if days < 1:
        msg = f"days must be at least 1, got {days}"
        raise InputError(msg)
    _check_spots(spots)
    budget = 60.0 * hours
    messages: list[str] = []
    spots = spots.reset_index(drop=True)
    start_snap = _snap_start(network, start, limit_m=settings.snap_limit_m)
    snap = snap_points(network, spots.geometry, limit_m=settings.snap_limit_m)
    ok = snap.snapped
    if (~ok).any():
        messages.append(
            f"{int((~ok).sum())} 个风险点距道路超过 {settings.snap_limit_m:.0f} 米，未纳入路线"
        )

    dates = [date + dt.timedelta(days=d) for d in range(days)]
    prios = [spot_priority(spots, settings=settings, date=d, hours=hours) for d in dates]
    best_prio = np.max(np.column_stack([p["priority"].to_numpy() for p in prios]), axis=1)

    pos = np.flatnonzero(ok)
    from_start = distance_matrix(network, start_snap, _subset(snap, pos))[0]
    fits = 2 * from_start / speed + ins.stop_minutes_spot <= budget
    pos, from_start = pos[fits], from_start[fits]
    order = np.argsort(-best_prio[pos], kind="stable")[: ins.max_candidates]
    cand = pos[order]
    points = _concat(start_snap, _subset(snap, cand))
    leg_limit = min(speed * ins.max_leg_minutes, speed * budget)
    dist_m = _travel_matrix(network, points, limit_m=leg_limit, chunk=ins.matrix_chunk)

    red = (spots["risk_class"].astype("string") == ins.must_visit_class).fillna(False).to_numpy()
    visited = np.zeros(len(spots), dtype=bool)
    stop_rows: list[dict[str, object]] = []
    check_rows: list[dict[str, object]] = []
    route_rows: list[dict[str, object]] = []
    geoms_stop: list[Point] = []
    geoms_route: list[LineString | None] = []
    for d, day in enumerate(dates, start=1):
        if d > 1 and not (red & ~visited).any():
            break
        prio = prios[d - 1]
        prize = np.concatenate([[0.0], prio["priority"].to_numpy()[cand]])
        prize[1:][visited[cand]] = 0.0
        plan = _plan_day(dist_m, prize, ins.stop_minutes_spot, budget, speed)
        windows = patrol_windows(day, hours, settings)
        message = ""
        if not plan.stops and not ok.any():
            message = "没有可巡查的风险点(无风险点，或均距道路过远)"
            messages.append(f"第 {d} 天：{message}")
        elif not plan.stops:
            message = f"预算 {hours:g} 小时内无法往返任何风险点(含每点 {ins.stop_minutes_spot:g} 分钟检查)"
            messages.append(f"第 {d} 天：{message}")
        for k, (m, arr) in enumerate(zip(plan.stops, plan.arrival, strict=True), start=1):
            i = int(cand[m - 1])
            visited[i] = True
            row = spots.iloc[i]
            items = spot_checklist(row)
            stop_rows.append(
                {
                    "day": d,
                    "date": day.isoformat(),
                    "order": k,
                    "spot_id": row["spot_id"],
                    "place": row.get("place", row["spot_id"]),
                    "water_name": row.get("water_name"),
                    "village_code": row.get("village_code"),
                    "risk": float(row["risk"]),
                    "risk_class": row["risk_class"],
                    "priority": round(float(prio["priority"].iloc[i]), 2),
                    "overdue": bool(prio["overdue"].iloc[i]),
                    "child_use": bool(prio["child_use"].iloc[i]),
                    "arrival": _clock(ins.day_start, arr),
                    "arrival_min": round(arr, 1),
                    "leg_m": round(plan.leg_m[k - 1], 1),
                    "last_inspected": _date_text(row.get("last_inspected")),
                    "checklist": _checklist_text(items),
                }
            )
            geoms_stop.append(spots.geometry.iloc[i])
            for item, label, state, action in items:
                check_rows.append(
                    {
                        "day": d,
                        "order": k,
                        "spot_id": row["spot_id"],
                        "item": item,
                        "item_zh": label,
                        "state_zh": state,
                        "action_zh": action,
                    }
                )
        line = (
            _route_line(network, points.table, [0, *plan.stops, 0], dist_m) if plan.stops else None
        )
        geoms_route.append(line)
        route_rows.append(
            {
                "day": d,
                "date": day.isoformat(),
                "stops": len(plan.stops),
                "distance_m": round(plan.distance_m, 1),
                "travel_min": round(plan.travel_min, 1),
                "stop_min": round(plan.stop_min, 1),
                "total_min": round(plan.travel_min + plan.stop_min, 1),
                "budget_min": budget,
                "windows": ";".join(windows),
                "message": message,
            }
        )

    left = np.flatnonzero(red & ~visited)
    reasons = np.where(~ok[left], "too_far_from_road", "not_in_budget")
    unvisited = pd.DataFrame(
        {
            "spot_id": spots["spot_id"].to_numpy()[left],
            "risk": spots["risk"].to_numpy()[left],
            "reason": reasons,
        }
    )
    if len(left):
        messages.append(f"{len(left)} 个红色风险点未能排入 {days} 天的巡查")
    crs = network.crs
    stop_cols = [
        "day", "date", "order", "spot_id", "water_name", "village_code", "risk", "risk_class",
        "priority", "overdue", "child_use", "arrival", "arrival_min", "leg_m", "last_inspected",
        "checklist",
    ]  # fmt: skip
    stops_gdf = gpd.GeoDataFrame(
        pd.DataFrame(stop_rows, columns=stop_cols), geometry=gpd.GeoSeries(geoms_stop, crs=crs)
    )
    routes_gdf = gpd.GeoDataFrame(
        pd.DataFrame(route_rows), geometry=gpd.GeoSeries(geoms_route, crs=crs), crs=crs
    )
    check_cols = ["day", "order", "spot_id", "item", "item_zh", "state_zh", "action_zh"]
    return PatrolPlan(
        stops=stops_gdf,
        routes=routes_gdf,
        checklist=pd.DataFrame(check_rows, columns=check_cols),
        unvisited_red=unvisited,
        mode=mode,
        hours=hours,
        messages=tuple(messages),
    )


# --------------------------------------------------------------------------------------------
# recording what a patrol found
# --------------------------------------------------------------------------------------------


#: The condition a fence line takes from an inspection's fence state ("none": no fence there).
FENCE_CONDITION = {"ok": "ok", "damaged": "damaged", "missing": "missing", "none": "missing"}


def apply_fence_records(
    equipment: gpd.GeoDataFrame, records: pd.DataFrame, *, radius_m: float
) -> tuple[gpd.GeoDataFrame, int]:
    """Give the fence lines near each inspection the fence state it reported.

    Parameters
    ----------
    equipment
        The equipment layer, any CRS (fences are its ``kind == "fence"`` lines; distances are
        taken in its metric CRS, :func:`geo.crs.metric_crs_for`).
    records
        One row per inspection stating a fence, in recorded order: ``fence`` (ok / damaged /
        missing / none), ``date``, ``lon``/``lat`` (WGS84, NaN when unknown) and ``item_id``
        (an equipment id that locates the inspection when it has no coordinates).
    radius_m
        Fence lines within this distance of the inspection are the ones it saw (the
        ``equipment_radius_m`` setting).

    Returns
    -------
    tuple
        A copy of ``equipment`` (fences near a located inspection take its state as
        ``condition``, :data:`FENCE_CONDITION`, and its date as ``last_inspected``; later
        records win) and how many records could not be located (no coordinates, no known item).
    """
    out = equipment.copy()
    if not len(records):
        return out, 0
    if "last_inspected" not in out:
        out["last_inspected"] = pd.NaT
    out["last_inspected"] = pd.to_datetime(out["last_inspected"])
    metric = metric_crs_for(out)
    geoms = out.geometry.to_crs(metric).to_numpy()
    fences = np.flatnonzero((out["kind"].astype(str) == "fence").to_numpy())
    lon = pd.to_numeric(records["lon"], errors="coerce").to_numpy(float)
    lat = pd.to_numeric(records["lat"], errors="coerce").to_numpy(float)
    where = gpd.GeoSeries(shapely.points(lon, lat), crs="EPSG:4326").to_crs(metric).to_numpy()
    by_id = dict(zip(out["id"].astype(str), geoms, strict=True))
    unlocated = 0
    dates = pd.to_datetime(records["date"])
    for k, state in enumerate(records["fence"].astype(str)):
        place = where[k]
        if place is None or shapely.is_empty(place) or not np.isfinite([lon[k], lat[k]]).all():
            item = records["item_id"].iloc[k] if "item_id" in records else None
            place = by_id.get(str(item)) if item is not None and not pd.isna(item) else None
        if place is None:
            unlocated += 1
            continue
        near = fences[shapely.dwithin(geoms[fences], place, radius_m)]
        out.loc[out.index[near], "condition"] = FENCE_CONDITION.get(state, "missing")
        out.loc[out.index[near], "last_inspected"] = dates.iloc[k]
    return out, unlocated


def apply_patrol_records(equipment: gpd.GeoDataFrame, records: pd.DataFrame) -> gpd.GeoDataFrame:
    """Update the equipment layer with what a patrol found, for the next risk analysis.

    Parameters
    ----------
    equipment
        The equipment layer (``id``, ``kind``, ``condition``, ``last_inspected``...).
    records
        One row per item checked or installed: ``id``, ``condition`` (ok / damaged / missing),
        ``date`` (inspection date); for an item not yet in the layer (newly installed) also
        ``kind`` and its location, either a geometry (a GeoDataFrame) or ``lon``/``lat``
        (WGS84), and optionally ``water_id``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``equipment``: existing items get the new ``condition`` and
        ``last_inspected``; new items are appended.

    Raises
    ------
    InputError
        A required column is missing, a condition or kind is not allowed, or a new item has no
        kind or location.
    """
    need = [c for c in ("id", "condition", "date") if c not in records]
    if need:
        msg = f"the patrol records lack the column(s) {need}; each row needs id, condition and date"
        raise InputError(msg)
    bad = sorted(set(records["condition"].dropna().astype(str)) - set(CONDITIONS))
    if bad:
        msg = f"patrol records: unknown condition(s) {bad}; expected one of {list(CONDITIONS)}"
        raise InputError(msg)
    out = equipment.copy()
    if "last_inspected" not in out:
        out["last_inspected"] = pd.NaT
    out["last_inspected"] = pd.to_datetime(out["last_inspected"])
    ids = out["id"].astype(str)
    rec_ids = records["id"].astype(str)
    dates = pd.to_datetime(records["date"])
    known = rec_ids.isin(set(ids)).to_numpy()
    for r in np.flatnonzero(known):
        hit = (ids == rec_ids.iloc[r]).to_numpy()
        out.loc[hit, "condition"] = records["condition"].iloc[r]
        out.loc[hit, "last_inspected"] = dates.iloc[r]
    new = records.loc[~known]
    if len(new):
        if "kind" not in new or new["kind"].isna().any():
            msg = f"patrol records: new item(s) {list(new['id'])} need a kind (one of {list(EQUIPMENT_KINDS)})"
            raise InputError(msg)
        bad = sorted(set(new["kind"].astype(str)) - set(EQUIPMENT_KINDS))
        if bad:
            msg = f"patrol records: unknown kind(s) {bad}; expected one of {list(EQUIPMENT_KINDS)}"
            raise InputError(msg)
        if isinstance(new, gpd.GeoDataFrame):
            geom = new.geometry.to_crs(out.crs)
        elif {"lon", "lat"} <= set(new.columns):
            geom = gpd.GeoSeries(
                shapely.points(new["lon"].to_numpy(float), new["lat"].to_numpy(float)),
                crs="EPSG:4326",
                index=new.index,
            ).to_crs(out.crs)
        else:
            msg = f"patrol records: new item(s) {list(new['id'])} need a location (lon, lat)"
            raise InputError(msg)
        added = gpd.GeoDataFrame(
            {
                "id": new["id"].astype(str).to_numpy(),
                "kind": new["kind"].to_numpy(),
                "condition": new["condition"].to_numpy(),
                "last_inspected": dates.loc[new.index].to_numpy(),
                "water_id": new["water_id"].to_numpy() if "water_id" in new else None,
            },
            geometry=geom.to_numpy(),
            crs=out.crs,
        )
        added = added[[c for c in added.columns if c in out.columns or c == "geometry"]]
        out = gpd.GeoDataFrame(pd.concat([out, added], ignore_index=True), crs=out.crs)
    return out


# --------------------------------------------------------------------------------------------
# the analysis contract (analysis.registry): the patrol page, /api/patrol and ``tongan patrol``
# --------------------------------------------------------------------------------------------

from typing import Literal  # noqa: E402

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from analysis.registry import Analysis, Figure, Inputs, PlanDate, View, register  # noqa: E402


class PatrolParams(BaseModel):
    """Parameters of the patrol plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = Field(None, description="日期 / date")
    hours: float = Field(6.0, ge=0, le=24, description="每天工作小时 / hours per day")
    mode: Literal["walk", "ebike", "car"] = Field("ebike", description="交通方式 / travel mode")
    days: int = Field(1, ge=1, le=14, description="天数 / days")
    start: str | None = Field(
        None,
        description="出发点 经度,纬度 / start LON,LAT (default: the township workstation)",
        pattern=r"^ *-?\d+(\.\d+)? *, *-?\d+(\.\d+)? *$",  # spaces, no control characters
    )


def start_point(inputs: Inputs, start: str | None) -> Point:
    """The patrol start in the metric CRS: ``LON,LAT`` (WGS84) when given, which must lie
    within ``study_area_margin_m`` of the study area; else the township workstation, else the
    first facility, else a point of the first area."""
    layers, metric, settings = inputs.layers, inputs.metric, inputs.settings
    if start:
        lon, lat = (float(v) for v in start.split(","))
        # a coarse test in degrees first: a point far away does not project to metres at all
        x0, y0, x1, y1 = (
            gpd.GeoSeries([layers.study_area], crs=layers.crs).to_crs(4326).total_bounds
        )
        pad = settings.study_area_margin_m / 90_000.0  # metres to degrees, generously
        inside = x0 - pad <= lon <= x1 + pad and y0 - pad <= lat <= y1 + pad
        here = gpd.GeoSeries([Point(lon, lat)], crs=4326).to_crs(metric.crs)
        away = float(here.distance(metric.study_area).iloc[0]) if inside else np.inf
        if not away <= settings.study_area_margin_m:
            msg = (
                f"the start {lon},{lat} lies outside the study area; give LON,LAT (WGS84) within "
                f"{settings.study_area_margin_m:g} m of it"
            )
            raise InputError(msg, status=422)
        point: Point = here.iloc[0]
        return point
    fac = layers.facilities
    order = fac.sort_values("kind", key=lambda k: k.ne("township_workstation"))
    source = order if len(order) else layers.areas.representative_point().to_frame("geometry")
    first: Point = (
        gpd.GeoSeries([source.geometry.iloc[0]], crs=layers.crs).to_crs(metric.crs).iloc[0]
    )
    return first


def _run(inputs: Inputs, params: PatrolParams) -> PatrolPlan:
    from analysis.registry import get

    day = params.date or inputs.today
    risk = get("risk")
    # the risk spots as the role asking may see them (rounded counts without household access)
    spots = risk.compute(inputs, risk.params(date=day)).spots
    if "use" not in spots and "water_id" in spots:
        uses = inputs.metric.waters.set_index("id")["use"]
        spots = spots.assign(use=spots["water_id"].map(uses))
    lonlat = inputs.extras.get("start")  # a front end's own start (WGS84), checked by it
    if isinstance(lonlat, Point):
        start = gpd.GeoSeries([lonlat], crs=4326).to_crs(inputs.metric.crs).iloc[0]
    else:
        start = start_point(inputs, params.start)
    return plan_patrols(
        spots,
        inputs.road_network(),
        start=start,
        settings=inputs.settings,
        date=day,
        hours=params.hours,
        mode=params.mode,
        days=params.days,
    )


def _tables(plan: PatrolPlan, view: View) -> dict[str, pd.DataFrame]:
    return {
        "stops": plan.stops,
        "routes": plan.routes,
        "checklist": plan.checklist,
        "unvisited_red": plan.unvisited_red,
    }


def _figures(plan: PatrolPlan, view: View) -> list[Figure]:
    red = int((plan.stops["risk_class"] == "red").sum()) if len(plan.stops) else 0
    km = f"{plan.routes['distance_m'].sum() / 1000:.1f}" if len(plan.routes) else "0"
    return [
        Figure("fig_patrol_stops", str(len(plan.stops))),
        Figure("fig_patrol_red", str(red)),
        Figure("fig_patrol_km", km),
        Figure("fig_patrol_unreached", str(len(plan.unvisited_red))),
    ]


ANALYSIS = register(
    Analysis(
        name="patrol",
        title="page_patrol_title",
        question="page_patrol_question",
        params=PatrolParams,
        run=_run,
        order=40,
        tables=_tables,
        figures=_figures,
        needs=("waters", "roads", "equipment"),
        network=True,
        track=lambda plan: (plan.routes, plan.stops),
        track_name="track_patrol",
        extras={"start": "the start point (WGS84), instead of the parameter start"},
    )
)
