"""Home-visit schedules for children's directors: who is due, who is overdue, and a day's route.

For every household with left-behind or in-difficulty children (DOMAIN.md, visits)::

    next_contact    = max(last_contact, last_home_visit) + contact_interval_days
    next_home_visit = last_home_visit + interval
    interval        = InspectionSettings.frequent_visit_days   if guardianship_risk in
                      frequent_guardianship, parent_disabled, child_disabled or psych_flag
                    = Settings.home_visit_interval_days         otherwise

A household never contacted / never visited is due on the plan date ("due now"); a home visit
counts as a contact. With ``holiday_visits`` (Baotou) one concentrated visit is due in each
winter and summer holiday (``settings.season``): a household not visited since the holiday began
is due on ``max(holiday start, date)`` while the holiday lasts, and ``next_home_visit`` is the
earlier of the two dates. A visit is *overdue* when its date is before the plan date and *due
this week* when it falls within ``due_soon_days`` from it.

Privacy: the lists carry household ids, village codes and counts, never a name; they are meant
for the village's authorised children's director. The visit route starts and ends at the
village's children's home (``facilities`` of kind ``children_home`` with ``area_code`` the
village, or standing inside it); without one, at the village polygon's representative point,
moved onto the nearest road when it lies farther than ``snap_limit_m`` from every road.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, Point

from analysis.tours import (
    TourDay,
    clock,
    concat,
    plan_day,
    route_line,
    snap_start,
    speed_m_per_min,
    subset,
    travel_matrix,
)
from geo.errors import InputError
from geo.layers import Layers
from geo.network import RoadNetwork, SnapResult, snap_points
from geo.settings import Settings, get_settings

__all__ = ["HOME_CHECKS", "VisitPlan", "due_status", "plan_visits", "visit_schedule"]

FloatArray = NDArray[np.float64]

#: Living-environment checks of every home visit (the plans: electricity, gas, water, fire, food).
HOME_CHECKS: tuple[tuple[str, str], ...] = (
    ("electricity", "用电安全(电线、插座、电器)"),
    ("gas", "燃气安全(灶具、管线、通风)"),
    ("water", "用水安全(饮水卫生；水缸、水井、池塘防溺水)"),
    ("fire", "消防安全(火源、易燃物、逃生通道)"),
    ("food", "食品安全(储存、过期食品、饮食卫生)"),
)


@dataclass(frozen=True)
class VisitPlan:
    """Home visits of one village on one date.

    Attributes
    ----------
    schedule
        One row per household in scope (Point, metric CRS): ``household_id``, ``village_code``,
        ``left_behind``, ``in_difficulty``, ``frequent`` (monthly visits), ``interval_days``,
        ``last_contact``, ``next_contact``, ``last_home_visit``, ``next_home_visit``,
        ``holiday_due``, ``contact_status``, ``visit_status`` (overdue / due_week / later),
        ``days_overdue``, ``no_care_agreement``, ``flags`` (Chinese), ``checklist`` (Chinese).
    overdue, due_week
        The rows of ``schedule`` whose home visit or contact is overdue / due this week.
    stops
        The day's visit route, in order: ``order``, ``household_id``, ``arrival``, ``leg_m``...
    route
        One row: the day's road line, ``distance_m``, ``travel_min``, ``stop_min``, ``message``.
    checklist
        Long form: ``order``, ``household_id``, ``item``, ``check_zh``.
    depot
        Where the route starts, in words.
    messages
        Notes for the user.
    """

    village_code: str
    date: dt.date
    schedule: gpd.GeoDataFrame
    overdue: pd.DataFrame
    due_week: pd.DataFrame
    stops: gpd.GeoDataFrame
    route: gpd.GeoDataFrame
    checklist: pd.DataFrame
    depot: str
    messages: tuple[str, ...]


def _bool(frame: pd.DataFrame, col: str) -> NDArray[np.bool_]:
    if col not in frame:
        return np.zeros(len(frame), dtype=bool)
    out: NDArray[np.bool_] = frame[col].astype("boolean").fillna(False).to_numpy(dtype=bool)
    return out


def _dates(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[col]).astype("datetime64[ns]")


def _holiday_due(last: pd.Series, date: dt.date, settings: Settings) -> pd.Series:
    """Due date of the concentrated holiday visit (NaT when none is pending)."""
    periods: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for year in (date.year - 1, date.year, date.year + 1):
        for a, b in (settings.season.winter_holiday, settings.season.summer_holiday):
            start = pd.Timestamp(f"{year}-{a}")
            end = pd.Timestamp(f"{year}-{b}")
            if end < start:
                end = pd.Timestamp(f"{year + 1}-{b}")
            periods.append((start, end))
    periods.sort()
    today = pd.Timestamp(date)
    out = pd.Series(pd.NaT, index=last.index, dtype="datetime64[ns]")
    for start, end in periods:
        if end < today:
            continue
        pending = out.isna() & ~(last.notna() & (last >= start) & (last <= end))
        out[pending] = max(start, today)
        # the first pending period decides; households visited in this one wait for the next
    return out


def _flags(
    no_care: NDArray[np.bool_],
    high: NDArray[np.bool_],
    risk: pd.Series,
    pdis: NDArray[np.bool_],
    cdis: NDArray[np.bool_],
    psych: NDArray[np.bool_],
) -> list[str]:
    """The reasons for attention of every household, as one text each."""
    flags: list[str] = []
    for k in range(len(no_care)):
        f = []
        if no_care[k]:
            f.append("留守儿童未签委托照护协议")
        if high[k]:
            f.append(f"监护风险{'高' if risk.iloc[k] == 'high' else '中'}")
        if pdis[k]:
            f.append("父母重度残疾")
        if cdis[k]:
            f.append("儿童残疾")
        if psych[k]:
            f.append("心理行为问题")
        flags.append("；".join(f))
    return flags


def _next_dates(
    last_contact: pd.Series,
    last_visit: pd.Series,
    interval: NDArray[np.int64],
    date: dt.date,
    settings: Settings,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Next contact, next home visit (the interval's or the holiday visit's, the earlier) and
    the holiday visit's due date; today for a household never contacted or visited."""
    today = pd.Timestamp(date)
    contact_base = pd.concat([last_contact, last_visit], axis=1).max(axis=1)
    next_contact = (contact_base + pd.Timedelta(days=settings.contact_interval_days)).fillna(today)
    next_visit = (last_visit + pd.to_timedelta(interval, unit="D")).fillna(today)
    holiday = (
        _holiday_due(last_visit, date, settings)
        if settings.inspection.holiday_visits
        else pd.Series(pd.NaT, index=last_visit.index, dtype="datetime64[ns]")
    )
    next_visit = pd.concat([next_visit, holiday], axis=1).min(axis=1)
    return next_contact, next_visit, holiday


def visit_schedule(
    households: pd.DataFrame, *, settings: Settings | None = None, date: dt.date
) -> pd.DataFrame:
    """Next contact and home-visit dates of every household in scope (module docstring).

    Parameters
    ----------
    households
        The households layer (any CRS, or a plain DataFrame).
    settings
        ``contact_interval_days``, ``home_visit_interval_days`` and ``settings.inspection``;
        ``None`` for :func:`geo.settings.get_settings`.
    date
        The plan date.

    Returns
    -------
    pandas.DataFrame
        The households with left-behind or in-difficulty children, indexed as given.
    """
    settings = settings if settings is not None else get_settings()
    ins = settings.inspection
    lb = pd.to_numeric(households["left_behind"], errors="coerce").fillna(0).astype(int)
    idf = pd.to_numeric(households["in_difficulty"], errors="coerce").fillna(0).astype(int)
    scope = (lb > 0) | (idf > 0)
    h = households.loc[scope]
    lb, idf = lb[scope], idf[scope]
    risk = (
        h["guardianship_risk"].astype("string").fillna("low")
        if "guardianship_risk" in h
        else pd.Series("low", index=h.index)
    )
    high = risk.isin(ins.frequent_guardianship).to_numpy(dtype=bool)
    pdis, cdis, psych = (
        _bool(h, "parent_disabled"),
        _bool(h, "child_disabled"),
        _bool(h, "psych_flag"),
    )
    frequent = high | pdis | cdis | psych
    interval = np.where(frequent, ins.frequent_visit_days, settings.home_visit_interval_days)
    today = pd.Timestamp(date)
    last_visit = _dates(h, "last_home_visit")
    last_contact = _dates(h, "last_contact")
    next_contact, next_visit, holiday = _next_dates(
        last_contact, last_visit, interval, date, settings
    )
    soon = today + pd.Timedelta(days=ins.due_soon_days - 1)

    def status(due: pd.Series) -> np.ndarray:
        return np.select([due < today, due <= soon], ["overdue", "due_week"], "later")

    care = _bool(h, "care_agreement")
    no_care = (lb.to_numpy() > 0) & ~care
    flags = _flags(no_care, high, risk, pdis, cdis, psych)
    checks = "；".join(text for _, text in HOME_CHECKS)
    out = pd.DataFrame(
        {
            "household_id": h["id"].astype(str).to_numpy() if "id" in h else h.index.astype(str),
            "village_code": h["village_code"].astype(str).to_numpy(),
            "left_behind": lb.to_numpy(),
            "in_difficulty": idf.to_numpy(),
            "frequent": frequent,
            "interval_days": interval,
            "last_contact": last_contact.to_numpy(),
            "next_contact": next_contact.to_numpy(),
            "last_home_visit": last_visit.to_numpy(),
            "next_home_visit": next_visit.to_numpy(),
            "holiday_due": holiday.to_numpy(),
            "contact_status": status(next_contact),
            "visit_status": status(next_visit),
            "days_overdue": np.maximum((today - next_visit).dt.days.to_numpy(), 0),
            "never_visited": last_visit.isna().to_numpy(),
            "no_care_agreement": no_care,
            "flags": flags,
            "checklist": [checks + ("；" + f if f else "") for f in flags],
        },
        index=h.index,
    )
    return out


def _depot(
    layers: Layers, network: RoadNetwork, village: str, polygon: shapely.Geometry, limit_m: float
) -> tuple[Point, str]:
    fac = layers.facilities
    homes = fac[fac["kind"].astype("string") == "children_home"] if len(fac) else fac
    if len(homes):
        by_code = (
            homes[homes["area_code"].astype("string") == village]
            if "area_code" in homes
            else homes.iloc[0:0]
        )
        inside = homes[homes.within(polygon)]
        pick = by_code if len(by_code) else inside
        if len(pick):
            return pick.geometry.iloc[0], f"儿童之家 {pick['name'].iloc[0]}"
    point = polygon.representative_point()
    (_, e), dist = network.tree.query_nearest([point], return_distance=True, all_matches=False)
    if float(dist[0]) > limit_m:
        edge = network.edges.geometry.iloc[int(e[0])]
        point = edge.interpolate(edge.project(point))
        return point, "村域代表点(无儿童之家；已移至最近道路)"
    return point, "村域代表点(无儿童之家)"


def plan_visits(
    layers: Layers,
    network: RoadNetwork,
    *,
    village: str,
    settings: Settings | None = None,
    date: dt.date,
) -> VisitPlan:
    """Due lists and a day's walking route of home visits in one village.

    Parameters
    ----------
    layers
        Validated layers in the metric CRS (``layers.to_metric()``).
    network
        The road network built from ``layers.roads``.
    village
        Village code (``areas.code`` of level ``village``).
    settings
        Intervals, stop minutes, visit hours and mode; ``None`` for
        :func:`geo.settings.get_settings`.
    date
        Plan date.

    Returns
    -------
    VisitPlan

    Notes
    -----
    The route visits the households whose home visit is overdue or due this week, prize
    ``1 + days_overdue / interval + [frequent]`` (the most urgent first), within
    ``visit_hours`` of walking plus ``stop_minutes_visit`` per home, by
    :func:`analysis._routing.solve_orienteering` on walking distances along the roads.
    """
    settings = settings if settings is not None else get_settings()
    ins = settings.inspection
    polygon = _village_polygon(layers, village)
    speed = speed_m_per_min(ins.visit_mode, ins)
    hh = layers.households[layers.households["village_code"].astype(str) == village]
    sched = visit_schedule(hh, settings=settings, date=date)
    schedule = gpd.GeoDataFrame(sched, geometry=hh.geometry.loc[sched.index], crs=hh.crs)
    messages: list[str] = []
    depot_pt, depot_text = _depot(layers, network, village, polygon, settings.snap_limit_m)
    due = schedule[schedule["visit_status"] != "later"].reset_index(drop=True)
    points, pos = _stops_snapped(network, depot_pt, due, settings.snap_limit_m, messages)
    budget = 60.0 * ins.visit_hours
    # a round trip using a leg a -> b walks at least twice its length (d(depot, a) + d(b,
    # depot) >= d(a, b)): legs longer than half the day's walk are never used, so the searches
    # stop there (exact, and a village's searches no longer cross the whole county)
    dist = travel_matrix(network, points, limit_m=budget * speed / 2, chunk=ins.matrix_chunk)
    sub = due.iloc[pos]
    day = plan_day(dist, _urgency(sub), ins.stop_minutes_visit, budget, speed)
    message = "" if day.stops else "今日无可步行往返的到期家访" if len(pos) else "今日无到期家访"
    if message:
        messages.append(message)
    stops, checks = _stop_tables(day, sub, ins.day_start, network.crs)
    line: LineString | None = (
        route_line(network, points.table, [0, *day.stops, 0], dist) if day.stops else None
    )
    route = gpd.GeoDataFrame(
        {"village_code": [village], "date": [date.isoformat()], "start": [depot_text]}
        | _route_figures(day, budget, message),
        geometry=gpd.GeoSeries([line], crs=network.crs),
        crs=network.crs,
    )
    overdue, due_week = _due_lists(sched)
    return VisitPlan(
        village_code=village,
        date=date,
        schedule=schedule,
        overdue=overdue,
        due_week=due_week,
        stops=stops,
        route=route,
        checklist=checks,
        depot=depot_text,
        messages=tuple(messages),
    )


def _stops_snapped(
    network: RoadNetwork,
    depot: Point,
    due: gpd.GeoDataFrame,
    limit_m: float,
    messages: list[str],
) -> tuple[SnapResult, NDArray[np.int64]]:
    """The depot and the due households snapped (row 0 the depot), and the rows of ``due``
    that joined the network; the others are counted in ``messages``.

    Raises
    ------
    NetworkError
        The depot is farther than the snap limit from every road.
    """
    depot_snap = snap_start(network, depot, limit_m=limit_m, what="visit start")
    snap = snap_points(network, due.geometry, limit_m=limit_m)
    if (~snap.snapped).any():
        messages.append(f"{int((~snap.snapped).sum())} 户距道路超过 {limit_m:.0f} 米，未排入路线")
    pos = np.flatnonzero(snap.snapped)
    return concat(depot_snap, subset(snap, pos)), pos


def _route_figures(day: TourDay, budget: float, message: str) -> dict[str, list[object]]:
    """The columns of the day's route row after ``village_code``, ``date`` and ``start``."""
    return {
        "stops": [len(day.stops)],
        "distance_m": [round(day.distance_m, 1)],
        "travel_min": [round(day.travel_min, 1)],
        "stop_min": [round(day.stop_min, 1)],
        "budget_min": [budget],
        "message": [message],
    }


def due_status(schedule: pd.DataFrame) -> pd.Series:
    """Each household of a :func:`visit_schedule`: ``overdue`` when its home visit or its
    contact is overdue, else ``due_week`` when either is due this week, else ``later`` (the
    visit plan's ``overdue`` and ``due_week`` lists, and the supervisor's counts).

    Examples
    --------
    >>> s = pd.DataFrame({"visit_status": ["later", "due_week", "overdue"],
    ...                   "contact_status": ["overdue", "later", "due_week"]})
    >>> list(due_status(s))
    ['overdue', 'due_week', 'overdue']
    """
    visit, contact = schedule["visit_status"], schedule["contact_status"]
    overdue = (visit == "overdue") | (contact == "overdue")
    week = (visit == "due_week") | (contact == "due_week")
    status = np.select([overdue, week], ["overdue", "due_week"], "later")
    return pd.Series(status, index=schedule.index, dtype=object)


def _due_lists(sched: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The households whose contact or visit is overdue, and the others due this week."""
    status = due_status(sched)
    return pd.DataFrame(sched[status == "overdue"]), pd.DataFrame(sched[status == "due_week"])


def _urgency(due: pd.DataFrame) -> FloatArray:
    """Prize of the depot (0) and of each due household: ``1 + days_overdue / interval +
    [frequent]``."""
    prize = (
        1.0
        + due["days_overdue"].to_numpy(float) / due["interval_days"].to_numpy(float)
        + due["frequent"].to_numpy(float)
    )
    return np.concatenate([[0.0], prize])


def _village_polygon(layers: Layers, village: str) -> shapely.Geometry:
    """The polygon of the village ``village`` (an ``areas.code`` of level ``village``).

    Raises
    ------
    InputError
        No village has that code.
    """
    areas = layers.areas
    villages = areas[areas["level"].astype("string") == "village"]
    match = villages[villages["code"].astype(str) == village]
    if match.empty:
        examples = ", ".join(sorted(villages["code"].astype(str))[:5])
        msg = f"unknown village code {village!r}; the areas layer has villages such as {examples}"
        raise InputError(msg)
    return match.geometry.iloc[0]


_STOP_COLUMNS = ["order", "household_id", "left_behind", "in_difficulty", "visit_status",
                 "next_home_visit", "arrival", "leg_m", "flags"]  # fmt: skip


def _stop_tables(
    day: TourDay, sub: pd.DataFrame, day_start: str, crs: pyproj.CRS
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The stops of the day's route (``sub`` row ``m - 1`` for stop ``m``) and their checklist:
    the living-environment checks of every visit, then the household's flags."""
    rows, geoms, checks = [], [], []
    for k, (m, arr) in enumerate(zip(day.stops, day.arrival, strict=True), start=1):
        r = sub.iloc[m - 1]
        rows.append(
            {
                "order": k,
                "household_id": r["household_id"],
                "left_behind": int(r["left_behind"]),
                "in_difficulty": int(r["in_difficulty"]),
                "visit_status": r["visit_status"],
                "next_home_visit": r["next_home_visit"],
                "arrival": clock(day_start, arr),
                "leg_m": round(day.leg_m[k - 1], 1),
                "flags": r["flags"],
            }
        )
        geoms.append(r.geometry)
        for item, text in HOME_CHECKS:
            checks.append(
                {"order": k, "household_id": r["household_id"], "item": item, "check_zh": text}
            )
        if r["flags"]:
            for f in str(r["flags"]).split("；"):
                checks.append(
                    {"order": k, "household_id": r["household_id"], "item": "flag", "check_zh": f}
                )
    stops = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=_STOP_COLUMNS), geometry=gpd.GeoSeries(geoms, crs=crs)
    )
    return stops, pd.DataFrame(checks, columns=["order", "household_id", "item", "check_zh"])


# --------------------------------------------------------------------------------------------
# the analysis contract (analysis.registry): the visits page, /api/visits and ``tongan visits``
# --------------------------------------------------------------------------------------------

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from analysis.registry import Analysis, Figure, Inputs, PlanDate, View, register  # noqa: E402


class VisitParams(BaseModel):
    """Parameters of the home-visit plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    village: str | None = Field(
        None, description="村代码 / village code (default: the village most overdue)"
    )
    date: PlanDate | None = Field(None, description="日期 / date")


def most_overdue_village(layers: Layers, *, settings: Settings, date: dt.date) -> str:
    """The village with the most overdue home visits (the most due when none is overdue; the
    first village when there is no household)."""
    schedule = visit_schedule(layers.households, settings=settings, date=date)
    overdue = schedule[schedule["visit_status"] == "overdue"]
    counts = (overdue if len(overdue) else schedule)["village_code"].value_counts()
    if len(counts):
        return str(counts.index[0])
    return str(layers.areas.loc[layers.areas["level"] == "village", "code"].iloc[0])


@dataclass(frozen=True, eq=False)
class VisitRun:
    """A village's visit plan, with the village's name."""

    plan: VisitPlan
    village: str
    name: str


def _run(inputs: Inputs, params: VisitParams) -> VisitRun:
    day = params.date or inputs.today
    metric = inputs.metric
    village = params.village or most_overdue_village(metric, settings=inputs.settings, date=day)
    plan = plan_visits(
        metric, inputs.road_network(), village=village, settings=inputs.settings, date=day
    )
    name = str(metric.areas.set_index("code")["name"].get(village, village))
    return VisitRun(plan, village, name)


def _tables(run: VisitRun, view: View) -> dict[str, pd.DataFrame]:
    # household ids and due dates are for the children's director: only authorised roles see them
    if not view.authorised:
        return {}
    return {"overdue": run.plan.overdue, "due_week": run.plan.due_week}


def _figures(run: VisitRun, view: View) -> list[Figure]:
    plan = run.plan
    return [
        Figure("fig_village", f"{run.name} ({run.village})"),
        Figure("fig_visits_scope", len(plan.schedule), people=True),
        Figure("fig_visits_overdue", len(plan.overdue), people=True),
        Figure("fig_visits_due_week", len(plan.due_week), people=True),
        Figure(
            "fig_visits_no_agreement", int(plan.schedule["no_care_agreement"].sum()), people=True
        ),
        Figure("fig_visits_today", len(plan.stops), people=True),
    ]


ANALYSIS = register(
    Analysis(
        name="visits",
        title="page_visits_title",
        question="page_visits_question",
        params=VisitParams,
        run=_run,
        order=50,
        tables=_tables,
        figures=_figures,
        needs=("households", "roads", "areas"),
        network=True,
    )
)
