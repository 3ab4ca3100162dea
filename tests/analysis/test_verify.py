"""Patrol verification against hand-computed synthetic tracks (issue 19 item 3).

Tracks are built in UTM zone 48N (the zone Tongan's test counties lie in), one point a minute,
and converted to longitude/latitude, so distances and minutes are known exactly.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis.verify import verify_track
from geo.errors import InputError

UTM = "EPSG:32648"
X0, Y0 = 500_000.0, 3_000_000.0
START = pd.Timestamp("2026-07-01 08:00", tz="UTC")
SETTINGS = {"radius_m": 50.0, "min_minutes": 3.0, "max_gap_minutes": 10.0}


def _track(points: list[tuple[float, float]], segments: list[int] | None = None) -> pd.DataFrame:
    """(x metres east of X0, minute) pairs along y = Y0 as lon/lat/time points."""
    geo = gpd.GeoSeries([Point(X0 + x, Y0) for x, _ in points], crs=UTM).to_crs(4326)
    frame = pd.DataFrame(
        {
            "lon": geo.x,
            "lat": geo.y,
            "time": [START + pd.Timedelta(minutes=m) for _, m in points],
        }
    )
    if segments is not None:
        frame["segment"] = segments
    return frame


def _spots(spots: dict[str, tuple[float, float]]) -> gpd.GeoDataFrame:
    geom = [Point(X0 + x, Y0 + y) for x, y in spots.values()]
    return gpd.GeoDataFrame({"spot_id": list(spots)}, geometry=geom, crs=UTM).to_crs(4326)


def _walk() -> pd.DataFrame:
    """0 -> 500 m at 100 m/min, 5 min at A, on to B (1 min there), on to 1200 m; 18 minutes."""
    pts = [(100.0 * m, m) for m in range(6)]
    pts += [(500.0, m) for m in range(6, 11)]
    pts += [(500.0 + 100.0 * (m - 10), m) for m in range(11, 16)]
    pts += [(1000.0, 16), (1100.0, 17), (1200.0, 18)]
    return _track(pts)


def test_a_visited_b_too_short_c_skipped() -> None:
    stops = _spots({"A": (500.0, 0.0), "B": (1000.0, 0.0), "C": (1500.0, 500.0)})
    result = verify_track(_walk(), stops, **SETTINGS)
    rows = result.stops.set_index("spot_id")
    assert rows["visited"].to_dict() == {"A": True, "B": False, "C": False}
    assert rows.loc["A", "arrival"] == START + pd.Timedelta(minutes=5)
    assert rows.loc["A", "minutes"] == pytest.approx(5.0)
    assert rows.loc["B", "minutes"] == pytest.approx(1.0)
    assert pd.isna(rows.loc["B", "arrival"])
    assert rows.loc["C", "minutes"] == 0.0
    assert result.distance_m == pytest.approx(1200.0, abs=0.01)
    assert result.minutes == pytest.approx(18.0)


def test_radius_boundary() -> None:
    stops = _spots({"in": (500.0, 49.9), "out": (500.0, 50.1)})
    rows = verify_track(_walk(), stops, **SETTINGS).stops.set_index("spot_id")
    assert rows["visited"].to_dict() == {"in": True, "out": False}


def test_unplanned_red_spot_where_the_chief_lingered() -> None:
    stops = _spots({"B": (1000.0, 0.0)})
    candidates = _spots({"B": (1000.0, 0.0), "D": (500.0, 10.0), "E": (3000.0, 0.0)})
    result = verify_track(_walk(), stops, candidates=candidates, **SETTINGS)
    assert result.unplanned["spot_id"].tolist() == ["D"]
    assert result.unplanned["minutes"].iloc[0] == pytest.approx(5.0)


def test_unordered_timestamps_rejected() -> None:
    track = _track([(0.0, 0), (100.0, 2), (200.0, 1)])
    with pytest.raises(InputError, match="out of order at point 2"):
        verify_track(track, _spots({"A": (0.0, 0.0)}), lang="en", **SETTINGS)


def test_missing_time_rejected() -> None:
    track = _track([(0.0, 0), (100.0, 1)])
    track.loc[1, "time"] = None
    with pytest.raises(InputError, match="第 1 个点没有时间"):
        verify_track(track, _spots({"A": (0.0, 0.0)}), **SETTINGS)


def test_two_hour_gap_breaks_stays_and_distance() -> None:
    # At A for 2 min, phone off for two hours, at A again for 2 min: never 3 min in one stay.
    track = _track([(0.0, 0), (0.0, 2), (0.0, 122), (0.0, 124), (100.0, 125)])
    rows = verify_track(track, _spots({"A": (0.0, 0.0)}), **SETTINGS).stops
    assert not rows["visited"].iloc[0]
    assert rows["minutes"].iloc[0] == pytest.approx(4.0)
    # Distance and time across the gap are not counted.
    walk = _track([(0.0, 0), (100.0, 1), (1100.0, 121), (1200.0, 122)])
    result = verify_track(walk, _spots({"A": (0.0, 0.0)}), **SETTINGS)
    assert result.distance_m == pytest.approx(200.0, abs=0.01)
    assert result.minutes == pytest.approx(2.0)


def test_segments_break_and_may_restart_time() -> None:
    track = _track([(0.0, 0), (100.0, 1), (100.0, 1), (200.0, 2)], segments=[0, 0, 1, 1])
    result = verify_track(track, _spots({"A": (0.0, 0.0)}), **SETTINGS)
    assert result.distance_m == pytest.approx(200.0, abs=0.01)
    assert result.minutes == pytest.approx(2.0)
