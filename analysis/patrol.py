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
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, Point

from analysis.season import season_on
from analysis.tours import (
    TourDay,
    clock,
    concat,
    minutes_of,
    plan_day,
    route_line,
    snap_start,
    speed_m_per_min,
    subset,
    travel_matrix,
)
from geo.crs import metric_crs_for, require_metric
from geo.errors import InputError
from geo.i18n import value_label
from geo.network import RoadNetwork, SnapResult, distance_matrix, snap_points
from geo.schemas import CONDITIONS, EQUIPMENT_KINDS
from geo.settings import InspectionSettings, Settings, get_settings

__all__ = [
    "FOUR_ITEMS",
    "PatrolParams",
    "PatrolPlan",
    "apply_patrol_records",
    "patrol_spots",
    "patrol_windows",
    "plan_over",
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
        ``spot_id``, ``water_name``, ``river_chief`` (the water's, whose stop it is),
        ``village_code``, ``risk``, ``risk_class``, ``priority``,
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
        start = minutes_of(ins.day_start)
        a, b = (minutes_of(t) for t in ins.after_school)
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
    return str(pd.Timestamp(value).date().isoformat())


def _checklist_text(items: list[tuple[str, str, str, str]]) -> str:
    return "；".join(f"{label}:{state}→{action}" for _, label, state, action in items)


# --------------------------------------------------------------------------------------------
# planning
# --------------------------------------------------------------------------------------------


def _check_inputs(spots: gpd.GeoDataFrame, hours: float, days: int) -> None:
    if not hours >= 0:
        msg = f"the time budget must be zero or more hours, got {hours}"
        raise InputError(msg)
    if days < 1:
        msg = f"days must be at least 1, got {days}"
        raise InputError(msg)
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
    settings: Settings | None = None,
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
        ``settings.inspection`` (speeds, stop time, windows, revisit intervals), ``snap_limit_m``;
        ``None`` for :func:`geo.settings.get_settings`.
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
    settings = settings if settings is not None else get_settings()
    ins = settings.inspection
    speed = speed_m_per_min(mode, ins)
    _check_inputs(spots, hours, days)
    budget = 60.0 * hours
    messages: list[str] = []
    spots = spots.reset_index(drop=True)
    start_snap = snap_start(network, start, limit_m=settings.snap_limit_m)
    snap = snap_points(network, spots.geometry, limit_m=settings.snap_limit_m)
    ok = snap.snapped
    if (~ok).any():
        messages.append(
            f"{int((~ok).sum())} 个风险点距道路超过 {settings.snap_limit_m:.0f} 米，未纳入路线"
        )
    dates = [date + dt.timedelta(days=d) for d in range(days)]
    prios = [spot_priority(spots, settings=settings, date=d, hours=hours) for d in dates]
    best_prio = np.max(np.column_stack([p["priority"].to_numpy() for p in prios]), axis=1)
    tours = _candidates(network, snap, start_snap, best_prio, speed, budget, ins)
    red = (spots["risk_class"].astype("string") == ins.must_visit_class).fillna(False).to_numpy()
    rows, visited = _plan_days(tours, spots, prios, red, dates, hours, settings, messages)
    left = np.flatnonzero(red & ~visited)
    if len(left):
        messages.append(f"{len(left)} 个红色风险点未能排入 {days} 天的巡查")
    return rows.plan(network.crs, spots, left, ok, mode, hours, messages)


@dataclass(frozen=True)
class _Tours:
    """What every day's tour is chosen from: the candidate spots (rows of the spots), the
    start and them snapped (row 0 the start), their walking distances, the speed and budget."""

    network: RoadNetwork
    snap: SnapResult
    cand: NDArray[np.int64]
    points: SnapResult
    dist_m: FloatArray
    speed: float
    budget: float


def _plan_days(
    tours: _Tours,
    spots: gpd.GeoDataFrame,
    prios: list[pd.DataFrame],
    red: NDArray[np.bool_],
    dates: list[dt.date],
    hours: float,
    settings: Settings,
    messages: list[str],
) -> tuple[_Rows, NDArray[np.bool_]]:
    """The days one after the other (until every red spot is visited): their rows, and which
    spots were visited; a day without a stop says why in ``messages``."""
    ins = settings.inspection
    cand = tours.cand
    visited = np.zeros(len(spots), dtype=bool)
    rows = _Rows()
    for d, day in enumerate(dates, start=1):
        if d > 1 and not (red & ~visited).any():
            break
        prio = prios[d - 1]
        prize = np.concatenate([[0.0], prio["priority"].to_numpy()[cand]])
        prize[1:][visited[cand]] = 0.0
        plan = plan_day(tours.dist_m, prize, ins.stop_minutes_spot, tours.budget, tours.speed)
        message = ""
        if not plan.stops and not tours.snap.snapped.any():
            message = "没有可巡查的风险点(无风险点，或均距道路过远)"
            messages.append(f"第 {d} 天：{message}")
        elif not plan.stops:
            message = f"预算 {hours:g} 小时内无法往返任何风险点(含每点 {ins.stop_minutes_spot:g} 分钟检查)"
            messages.append(f"第 {d} 天：{message}")
        visited[cand[np.asarray(plan.stops, dtype=np.int64) - 1]] = True
        rows.add_stops(d, day, plan, spots.iloc[cand], prio.iloc[cand], ins)
        line = (
            route_line(tours.network, tours.points.table, [0, *plan.stops, 0], tours.dist_m)
            if plan.stops
            else None
        )
        windows = patrol_windows(day, hours, settings)
        rows.add_route(d, day, plan, line, tours.budget, windows, message)
    return rows, visited


def _candidates(
    network: RoadNetwork,
    snap: SnapResult,
    start_snap: SnapResult,
    best_prio: FloatArray,
    speed: float,
    budget: float,
    ins: InspectionSettings,
) -> _Tours:
    """The spots worth planning (a round trip from the start alone fits the budget; at most
    ``max_candidates`` of highest priority), the start and them as one snap result, and their
    walking distances (legs longer than ``max_leg_minutes`` left out)."""
    pos = np.flatnonzero(snap.snapped)
    from_start = distance_matrix(network, start_snap, subset(snap, pos))[0]
    fits = 2 * from_start / speed + ins.stop_minutes_spot <= budget
    pos, from_start = pos[fits], from_start[fits]
    order = np.argsort(-best_prio[pos], kind="stable")[: ins.max_candidates]
    cand = pos[order]
    points = concat(start_snap, subset(snap, cand))
    leg_limit = min(speed * ins.max_leg_minutes, speed * budget)
    dist_m = travel_matrix(network, points, limit_m=leg_limit, chunk=ins.matrix_chunk)
    return _Tours(network, snap, cand, points, dist_m, speed, budget)


_STOP_COLUMNS = [
    "day", "date", "order", "spot_id", "water_name", "river_chief", "village_code", "risk",
    "risk_class", "priority", "overdue", "child_use", "arrival", "arrival_min", "leg_m", "last_inspected",
    "checklist",
]  # fmt: skip
_CHECK_COLUMNS = ["day", "order", "spot_id", "item", "item_zh", "state_zh", "action_zh"]


@dataclass
class _Rows:
    """The rows of the plan's tables, day after day."""

    stops: list[dict[str, object]] = field(default_factory=list)
    checks: list[dict[str, object]] = field(default_factory=list)
    routes: list[dict[str, object]] = field(default_factory=list)
    stop_geoms: list[Point] = field(default_factory=list)
    route_geoms: list[LineString | None] = field(default_factory=list)

    def add_stops(
        self,
        d: int,
        day: dt.date,
        plan: TourDay,
        spots: gpd.GeoDataFrame,
        prio: pd.DataFrame,
        ins: InspectionSettings,
    ) -> None:
        """The stops of day ``d`` and their checklists; ``spots`` and ``prio`` are the rows of
        the candidates (row ``m - 1`` for the stop ``m`` of the travel matrix)."""
        for k, (m, arr) in enumerate(zip(plan.stops, plan.arrival, strict=True), start=1):
            row = spots.iloc[m - 1]
            p = prio.iloc[m - 1]
            items = spot_checklist(row)
            self.stops.append(
                {
                    "day": d,
                    "date": day.isoformat(),
                    "order": k,
                    "spot_id": row["spot_id"],
                    "place": row.get("place", row["spot_id"]),
                    "water_name": row.get("water_name"),
                    "river_chief": row.get("river_chief"),
                    "village_code": row.get("village_code"),
                    "risk": float(row["risk"]),
                    "risk_class": row["risk_class"],
                    "priority": round(float(p["priority"]), 2),
                    "overdue": bool(p["overdue"]),
                    "child_use": bool(p["child_use"]),
                    "arrival": clock(ins.day_start, arr),
                    "arrival_min": round(arr, 1),
                    "leg_m": round(plan.leg_m[k - 1], 1),
                    "last_inspected": _date_text(row.get("last_inspected")),
                    "checklist": _checklist_text(items),
                }
            )
            self.stop_geoms.append(spots.geometry.iloc[m - 1])
            for item, label, state, action in items:
                self.checks.append(
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

    def add_route(
        self,
        d: int,
        day: dt.date,
        plan: TourDay,
        line: LineString | None,
        budget: float,
        windows: tuple[str, ...],
        message: str,
    ) -> None:
        """The route of day ``d``."""
        self.route_geoms.append(line)
        self.routes.append(
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

    def plan(
        self,
        crs: pyproj.CRS,
        spots: gpd.GeoDataFrame,
        left: NDArray[np.int64],
        snapped: NDArray[np.bool_],
        mode: str,
        hours: float,
        messages: list[str],
    ) -> PatrolPlan:
        """The :class:`PatrolPlan` of the rows; ``left`` are the red spots not visited."""
        stops = gpd.GeoDataFrame(
            pd.DataFrame(self.stops, columns=_STOP_COLUMNS),
            geometry=gpd.GeoSeries(self.stop_geoms, crs=crs),
        )
        routes = gpd.GeoDataFrame(
            pd.DataFrame(self.routes), geometry=gpd.GeoSeries(self.route_geoms, crs=crs), crs=crs
        )
        return PatrolPlan(
            stops=stops,
            routes=routes,
            checklist=pd.DataFrame(self.checks, columns=_CHECK_COLUMNS),
            unvisited_red=pd.DataFrame(
                {
                    "spot_id": spots["spot_id"].to_numpy()[left],
                    "risk": spots["risk"].to_numpy()[left],
                    "reason": np.where(~snapped[left], "too_far_from_road", "not_in_budget"),
                }
            ),
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


def patrol_spots(inputs: Inputs, day: dt.date) -> gpd.GeoDataFrame:
    """The risk spots a patrol plan of ``day`` is made over, as the role asking may see them
    (rounded counts without household access), with the ``use`` of their water."""
    from analysis.registry import get

    risk = get("risk")
    spots: gpd.GeoDataFrame = risk.compute(inputs, risk.params(date=day)).spots
    if "use" not in spots and "water_id" in spots:
        uses = inputs.metric.waters.set_index("id")["use"]
        spots = spots.assign(use=spots["water_id"].map(uses))
    return spots


def plan_over(inputs: Inputs, params: PatrolParams, spots: gpd.GeoDataFrame) -> PatrolPlan:
    """The patrol plan of ``params`` over ``spots`` (:func:`patrol_spots`): from the front
    end's own start (``inputs.extras["start"]``, WGS84), else :func:`start_point`."""
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
        date=params.date or inputs.today,
        hours=params.hours,
        mode=params.mode,
        days=params.days,
    )


def _run(inputs: Inputs, params: PatrolParams) -> PatrolPlan:
    return plan_over(inputs, params, patrol_spots(inputs, params.date or inputs.today))


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
