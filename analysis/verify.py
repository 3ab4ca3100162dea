"""Patrol verification: does a GPS track show that the planned stops were really visited (issue 19).

A stop counts as *visited* when the track comes within ``radius_m`` of it and stays there, over
consecutive track points, for at least ``min_minutes``.  Time at a stop is measured by the points'
timestamps: a run of consecutive points inside the radius lasts from its first to its last point.

Gaps: two consecutive points further apart in time than ``max_gap_minutes``, or in different
segments, break the track.  A run inside the radius never spans a break (the phone may have left
and come back), distance is not counted across a break (the path walked is unknown), and the
patrol's duration is the sum of the pieces' durations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.patrol import PatrolParams, PatrolPlan, patrol_spots, plan_over
from analysis.registry import Inputs
from geo.crs import WGS84, metric_crs_for
from geo.errors import InputError
from geo.i18n import tr
from geo.patrol_checks import PatrolCheckIn, PlannedStop
from geo.settings import Language

__all__ = [
    "BEIJING",
    "CHECK_COLUMNS",
    "PatrolCheck",
    "TrackVerification",
    "check_patrol",
    "chief_stops",
    "near_track",
    "track_dates",
    "verify_track",
]


@dataclass(frozen=True)
class TrackVerification:
    """The result of matching one track against one river chief's planned stops of one day.

    Attributes
    ----------
    stops : pandas.DataFrame
        One row per planned stop: ``spot_id``, ``visited`` (bool), ``arrival`` (timestamp of the
        first qualifying stay, NaT when skipped), ``minutes`` (minutes within the radius in total).
    unplanned : pandas.DataFrame
        The same columns, for candidate spots (red spots) not planned where the track lingered.
    distance_m : float
        Metres walked, in a projected (UTM) CRS, not counted across breaks.
    minutes : float
        Minutes of the track, not counted across breaks.
    """

    stops: pd.DataFrame
    unplanned: pd.DataFrame
    distance_m: float
    minutes: float


def _check_track(track: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """Refuse a track without points, coordinates or ordered timestamps."""
    missing = [c for c in ("lon", "lat", "time") if c not in track.columns]
    if missing:
        raise InputError(tr("track_missing_columns", lang, columns=", ".join(missing)))
    if len(track) == 0:
        raise InputError(tr("track_empty", lang))
    out = track.reset_index(drop=True).copy()
    out["time"] = pd.to_datetime(out["time"], utc=True)
    if out["time"].isna().any():
        first = int(np.flatnonzero(out["time"].isna().to_numpy())[0])
        raise InputError(tr("track_point_no_time", lang, point=first))
    if "segment" not in out.columns:
        out["segment"] = 0
    step = out["time"].diff().dt.total_seconds().to_numpy()[1:]
    same = out["segment"].to_numpy()[1:] == out["segment"].to_numpy()[:-1]
    bad = np.flatnonzero(same & (step < 0))
    if len(bad):
        later, earlier = out["time"].iloc[bad[0] + 1], out["time"].iloc[bad[0]]
        raise InputError(
            tr("track_out_of_order", lang, point=int(bad[0]) + 1, later=later, earlier=earlier)
        )
    return out


def _breaks(track: pd.DataFrame, max_gap_minutes: float) -> NDArray[np.bool_]:
    """True at point i when the step from point i-1 to point i crosses a break (index 0: True)."""
    step = track["time"].diff().dt.total_seconds().to_numpy() / 60.0
    seg = track["segment"].to_numpy()
    out = np.ones(len(track), dtype=bool)
    out[1:] = (seg[1:] != seg[:-1]) | (step[1:] > max_gap_minutes)
    return out


def _dwell(
    inside: NDArray[np.bool_],
    breaks: NDArray[np.bool_],
    times: NDArray[np.float64],
    min_minutes: float,
) -> tuple[bool, float | None, float]:
    """Visited, arrival (seconds) and total minutes of runs of consecutive points inside."""
    visited = False
    arrival: float | None = None
    total = 0.0
    start = -1
    for i in range(len(inside) + 1):
        ends = i == len(inside) or not inside[i] or bool(breaks[i])
        if start >= 0 and ends:
            minutes = (times[i - 1] - times[start]) / 60.0
            total += minutes
            if minutes >= min_minutes and not visited:
                visited = True
                arrival = float(times[start])
            start = -1
        if i < len(inside) and inside[i] and start < 0:
            start = i
    return visited, arrival, total


def _match(
    spots: gpd.GeoDataFrame,
    xy: NDArray[np.float64],
    breaks: NDArray[np.bool_],
    times: NDArray[np.float64],
    radius_m: float,
    min_minutes: float,
) -> pd.DataFrame:
    """One row per spot (already in the track's metric CRS): visited, arrival, minutes."""
    rows = []
    for spot_id, geom in zip(spots["spot_id"], spots.geometry, strict=True):
        dist = np.hypot(xy[:, 0] - geom.x, xy[:, 1] - geom.y)
        visited, arrival, minutes = _dwell(dist <= radius_m, breaks, times, min_minutes)
        when = pd.NaT
        if arrival is not None:
            when = pd.Timestamp(arrival, unit="s", tz="UTC")
        rows.append({"spot_id": spot_id, "visited": visited, "arrival": when, "minutes": minutes})
    return pd.DataFrame(rows, columns=["spot_id", "visited", "arrival", "minutes"])


def verify_track(
    track: pd.DataFrame,
    stops: gpd.GeoDataFrame,
    *,
    radius_m: float,
    min_minutes: float,
    max_gap_minutes: float,
    candidates: gpd.GeoDataFrame | None = None,
    lang: Language = "zh",
) -> TrackVerification:
    """Match a GPS track against planned stops.

    Parameters
    ----------
    track : pandas.DataFrame
        Points in order with ``lon``, ``lat`` (WGS84) and ``time``; optional ``segment``.
    stops : geopandas.GeoDataFrame
        Planned stops (``spot_id``, point geometry) of one river chief and day.
    radius_m, min_minutes, max_gap_minutes : float
        Settings ``inspection.verify_radius_m``, ``verify_min_minutes``, ``verify_max_gap_minutes``.
    candidates : geopandas.GeoDataFrame, optional
        Spots (e.g. red spots of the risk analysis) to report as unplanned where the track lingered.
    lang : {"zh", "en"}
        Language of the error messages.

    Returns
    -------
    TrackVerification

    Raises
    ------
    InputError
        Missing columns, no points, a point without time, timestamps out of order in a segment.
    """
    pts = _check_track(track, lang)
    geo = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts["lon"], pts["lat"]), crs=WGS84)
    metric = geo.to_crs(metric_crs_for(geo))
    xy = np.column_stack([metric.geometry.x.to_numpy(), metric.geometry.y.to_numpy()])
    epoch = pd.Timestamp(0, tz="UTC")
    times = (pts["time"] - epoch).dt.total_seconds().to_numpy(dtype=np.float64)
    breaks = _breaks(pts, max_gap_minutes)
    steps = np.hypot(np.diff(xy[:, 0]), np.diff(xy[:, 1]))
    distance = float(steps[~breaks[1:]].sum())
    minutes = float(np.diff(times)[~breaks[1:]].sum() / 60.0)
    planned = stops.to_crs(metric.crs)
    report = _match(planned, xy, breaks, times, radius_m, min_minutes)
    unplanned = pd.DataFrame(columns=report.columns)
    if candidates is not None and len(candidates):
        others = candidates[~candidates["spot_id"].isin(set(stops["spot_id"]))]
        found = _match(others.to_crs(metric.crs), xy, breaks, times, radius_m, min_minutes)
        unplanned = found[found["visited"]].reset_index(drop=True)
    return TrackVerification(report, unplanned, distance, minutes)


# --------------------------------------------------------------------------------------------
# one river chief's patrol of one day, checked against the patrol plan (``tongan verify`` and
# ``POST /api/patrols/verify``)
# --------------------------------------------------------------------------------------------

#: China's one time zone (UTC+8, no daylight saving): GPS times are UTC, the plan's are local.
BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")

#: The columns of :meth:`PatrolCheck.table`.
CHECK_COLUMNS = [
    "river_chief", "date", "status", "order", "spot_id", "water_name", "risk_class",
    "planned_arrival", "arrival", "minutes",
]  # fmt: skip


@dataclass(frozen=True)
class PatrolCheck:
    """One river chief's GPS track of one day matched against that chief's planned stops.

    Attributes
    ----------
    river_chief, date
        Whose patrol, and the day of the track (local time).
    planned
        The chief's stops of the day in the patrol plan (rows of :attr:`PatrolPlan.stops`).
    spots
        Every risk spot the plan was made over (``spot_id``, geometry...), metric CRS.
    track
        The track's points: ``lon``, ``lat``, ``time`` (UTC), ``segment``.
    result
        The matching (:func:`verify_track`).
    radius_m, min_minutes
        The rule the matching applied (``inspection.verify_radius_m``, ``verify_min_minutes``).
    """

    river_chief: str
    date: dt.date
    planned: gpd.GeoDataFrame
    spots: gpd.GeoDataFrame
    track: pd.DataFrame
    result: TrackVerification
    radius_m: float
    min_minutes: float

    @property
    def places(self) -> gpd.GeoDataFrame:
        """Where the stops are: the planned stops (with ``order`` and planned ``arrival``),
        then the other risk spots (for the unplanned ones), metric CRS."""
        others = self.spots[~self.spots["spot_id"].isin(set(self.planned["spot_id"]))]
        keep = ["spot_id", "water_name", "geometry"]
        rows = pd.concat([self.planned, others[[c for c in keep if c in others]]])
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=self.spots.crs)

    @property
    def visited(self) -> int:
        return int(self.result.stops["visited"].sum())

    @property
    def skipped(self) -> int:
        return int((~self.result.stops["visited"].astype(bool)).sum())

    def record(self, *, red_class: str) -> PatrolCheckIn:
        """What the check found, as it is stored (:class:`geo.patrol_checks.PatrolCheckIn`):
        each planned stop with its village, whether it is red (of ``red_class``, the class the
        plan must visit: ``inspection.must_visit_class``) and visited; the unplanned stops,
        distance and time."""
        stops = self.result.stops
        villages = _column(self.planned, "village_code")
        classes = _column(self.planned, "risk_class")
        planned = [
            PlannedStop(spot_id=str(spot), village_code=village, red=cls == red_class,
                        visited=bool(visited))
            for spot, village, cls, visited in zip(
                stops["spot_id"], villages, classes, stops["visited"], strict=True
            )
        ]  # fmt: skip
        return PatrolCheckIn(
            river_chief=self.river_chief,
            day=self.date,
            stops=planned,
            unplanned=len(self.result.unplanned),
            distance_m=round(self.result.distance_m, 1),
            minutes=round(self.result.minutes, 1),
        )

    def table(self) -> gpd.GeoDataFrame:
        """One row per planned stop (``status`` visited or skipped), then one per unplanned
        spot where the track lingered (``unplanned``): order, spot, water, risk class, planned
        and actual arrival (HH:MM, Beijing time), minutes within the radius; point geometry."""
        stops = self.result.stops  # in the order of the planned stops
        planned = self.planned.assign(
            status=np.where(stops["visited"].to_numpy(dtype=bool), "visited", "skipped"),
            planned_arrival=self.planned["arrival"],
            arrival=_clock(stops["arrival"]),
            minutes=stops["minutes"].round(1).to_numpy(),
        )
        found = self.result.unplanned
        where = self.spots.set_index("spot_id").loc[found["spot_id"]].reset_index()
        extra = where.assign(
            status="unplanned",
            order=pd.NA,
            planned_arrival="",
            arrival=_clock(found["arrival"]),
            minutes=found["minutes"].round(1).to_numpy(),
        )
        rows = pd.concat([pd.DataFrame(planned), pd.DataFrame(extra)], ignore_index=True)
        rows = rows.assign(river_chief=self.river_chief, date=self.date.isoformat())
        rows["order"] = rows["order"].astype("Int64")
        geometry = gpd.GeoSeries(list(rows.geometry), crs=self.spots.crs)
        return gpd.GeoDataFrame(rows[CHECK_COLUMNS], geometry=geometry)


def _column(frame: pd.DataFrame, name: str) -> list[str | None]:
    """A text column as strings, None where missing (or all None without the column)."""
    if name not in frame:
        return [None] * len(frame)
    values = frame[name].astype("string")
    return [None if pd.isna(v) or v == "" else str(v) for v in values]


def _clock(times: pd.Series) -> list[str]:
    """UTC timestamps as HH:MM in Beijing time ("" for NaT)."""
    local = pd.to_datetime(times, utc=True).dt.tz_convert(BEIJING)
    return [str(t) for t in local.dt.strftime("%H:%M").fillna("")]


def track_dates(track: pd.DataFrame) -> list[dt.date]:
    """The local (Beijing) days a track's points fall on, in order."""
    local = pd.to_datetime(track["time"], utc=True).dt.tz_convert(BEIJING)
    return sorted(set(local.dt.date))


def chief_stops(
    plan: PatrolPlan, river_chief: str, day: dt.date, *, lang: Language = "zh"
) -> gpd.GeoDataFrame:
    """The stops of ``river_chief`` (the river chief of the stop's water) on ``day``.

    Raises
    ------
    InputError
        The plan has no day ``day``, or the chief no stop on it (naming the chiefs who have).
    """
    stops = plan.stops
    dates = [str(d) for d in plan.routes["date"]]
    if day.isoformat() not in dates:
        ends = [*dates[:1], *dates[-1:]] or ["-", "-"]
        raise InputError(
            tr("verify_day_not_planned", lang, date=day.isoformat(), first=ends[0], last=ends[-1])
        )
    today = stops[stops["date"].astype(str) == day.isoformat()]
    mine = today[today["river_chief"].astype("string").fillna("") == river_chief]
    if not len(mine):
        chiefs = sorted({str(c) for c in today["river_chief"].dropna() if str(c)})
        raise InputError(
            tr("verify_no_stops", lang, chief=river_chief, date=day.isoformat(),
               chiefs=tr("list_sep", lang).join(chiefs) or "-")
        )  # fmt: skip
    return gpd.GeoDataFrame(mine.reset_index(drop=True), crs=stops.crs)


def near_track(spots: gpd.GeoDataFrame, track: pd.DataFrame, radius_m: float) -> gpd.GeoDataFrame:
    """The spots within ``radius_m`` of the track's bounding box (the others cannot be at it)."""
    pts = gpd.GeoSeries(gpd.points_from_xy(track["lon"], track["lat"]), crs=WGS84)
    x0, y0, x1, y1 = pts.to_crs(spots.crs).total_bounds
    bx, by = spots.geometry.x, spots.geometry.y
    keep = (bx >= x0 - radius_m) & (bx <= x1 + radius_m) & (by >= y0 - radius_m)
    keep &= by <= y1 + radius_m
    return spots[keep.to_numpy()]


def check_patrol(
    inputs: Inputs,
    params: PatrolParams,
    track: pd.DataFrame,
    *,
    river_chief: str,
    day: dt.date,
    source: str,
    lang: Language = "zh",
) -> PatrolCheck:
    """Plan the patrols as ``tongan patrol`` does, take ``river_chief``'s stops of ``day`` and
    match the track against them; the other risk spots the track lingered at are unplanned.

    Parameters
    ----------
    inputs, params
        As the patrol analysis takes them (``params.date``: the plan's first day).
    track
        The GPS track (:func:`geo.tracks.read_gpx_track`).
    river_chief, day
        Whose stops, of which day (local time).
    source
        The track's file name, for the messages.

    Raises
    ------
    InputError
        The track has no point on ``day``; the plan has no such day or the chief no stop on it;
        the track is unusable (:func:`verify_track`).
    """
    dates = track_dates(track)
    if day not in dates:
        shown = tr("list_sep", lang).join(d.isoformat() for d in dates[:3])
        raise InputError(tr("verify_track_other_day", lang, file=source, date=day, dates=shown))
    spots = patrol_spots(inputs, params.date or inputs.today)
    planned = chief_stops(plan_over(inputs, params, spots), river_chief, day, lang=lang)
    ins = inputs.settings.inspection
    result = verify_track(
        track,
        planned[["spot_id", "geometry"]],
        radius_m=ins.verify_radius_m,
        min_minutes=ins.verify_min_minutes,
        max_gap_minutes=ins.verify_max_gap_minutes,
        candidates=near_track(spots, track, ins.verify_radius_m),
        lang=lang,
    )
    return PatrolCheck(
        river_chief, day, planned, spots, track, result, ins.verify_radius_m, ins.verify_min_minutes
    )
