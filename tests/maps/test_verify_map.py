"""The patrol-check map draws what the verification found: green visited, red skipped, orange
unplanned stops, the track as a line, a Chinese legend."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from analysis.verify import verify_track
from maps.verify import STATUS_COLORS, TRACK_COLOR, verify_map

UTM = "EPSG:32649"
X0, Y0 = 690_000.0, 3_300_000.0
START = pd.Timestamp("2026-07-04 01:00", tz="UTC")  # 09:00 Beijing time


def has(html: str, text: str) -> bool:
    """Plain or JSON-escaped (folium writes layer names with json.dumps)."""
    return text in html or json.dumps(text)[1:-1] in html


def _drawn() -> tuple[str, str]:
    # 100 m a minute east; 5 minutes at 500 m (A), and at 1000 m beside U (not planned)
    xs = [100.0 * m for m in range(6)] + [500.0] * 4 + [600.0 + 100 * k for k in range(5)]
    xs += [1000.0] * 4
    pts = gpd.GeoSeries([Point(X0 + x, Y0) for x in xs], crs=UTM).to_crs(4326)
    times = [START + pd.Timedelta(minutes=m) for m in range(len(xs))]
    track = pd.DataFrame({"lon": pts.x, "lat": pts.y, "time": times, "segment": 0})
    places = gpd.GeoDataFrame(
        {"spot_id": ["A", "B", "U"], "order": [1, 2, None], "water_name": ["清水河", "荷塘", ""],
         "arrival": ["09:05", "09:30", None]},
        geometry=[Point(X0 + 500, Y0), Point(X0 + 3000, Y0), Point(X0 + 1000, Y0 + 10)], crs=UTM,
    )  # fmt: skip
    result = verify_track(
        track, places.iloc[:2], radius_m=50, min_minutes=3, max_gap_minutes=10,
        candidates=places.iloc[2:],
    )  # fmt: skip
    assert result.stops["visited"].tolist() == [True, False]
    assert result.unplanned["spot_id"].tolist() == ["U"]
    zh = verify_map(result, places, track).get_root().render()
    en = verify_map(result, places, track, lang="en").get_root().render()
    return zh, en


def test_the_map_draws_each_status_the_track_and_a_chinese_legend() -> None:
    html, en = _drawn()
    for text in ("巡查核验", "已巡查(计划点)", "漏查(计划点)", "计划外停留", "巡查轨迹", "09:05"):
        assert has(html, text), text
    for color in (*STATUS_COLORS.values(), TRACK_COLOR):
        assert color in html, color
    assert html.count("L.polyline(") == 1  # the track, one segment
    assert html.count("L.circleMarker(") == 1  # the unplanned stop U
    assert html.count("L.marker(") == 2  # the planned stops, numbered
    assert "未到" in html  # B's arrival: not reached
    assert has(en, "Patrol check") and has(en, "skipped (planned)")
