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

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.crs import WGS84, metric_crs_for
from geo.errors import InputError
from geo.i18n import tr
from geo.settings import Language

__all__ = ["TrackVerification", "verify_track"]


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
