"""GPX track reading (issue 19): real GPX files written by hand as XML."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis.verify import verify_track
from geo.errors import InputError
from geo.tracks import read_gpx_track

HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'


def _write(tmp_path: Path, body: str, name: str = "t.gpx") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body + "</gpx>", encoding="utf-8")
    return path


def test_reads_points_times_and_segments(tmp_path: Path) -> None:
    body = (
        "<trk><trkseg>"
        '<trkpt lat="27.0" lon="104.0"><time>2026-07-01T08:00:00Z</time></trkpt>'
        '<trkpt lat="27.001" lon="104.0"><time>2026-07-01T08:01:00Z</time></trkpt>'
        "</trkseg><trkseg>"
        '<trkpt lat="27.002" lon="104.0"><time>2026-07-01T09:00:00Z</time></trkpt>'
        "</trkseg></trk>"
    )
    track = read_gpx_track(_write(tmp_path, body))
    assert track["lat"].tolist() == pytest.approx([27.0, 27.001, 27.002])
    assert track["time"].iloc[1] == pd.Timestamp("2026-07-01 08:01", tz="UTC")
    assert track["segment"].nunique() == 2


def test_no_timestamps(tmp_path: Path) -> None:
    body = '<trk><trkseg><trkpt lat="27.0" lon="104.0"></trkpt></trkseg></trk>'
    with pytest.raises(InputError, match=r"t\.gpx: track points without <time>"):
        read_gpx_track(_write(tmp_path, body), lang="en")


def test_waypoints_only(tmp_path: Path) -> None:
    body = '<wpt lat="27.0" lon="104.0"><time>2026-07-01T08:00:00Z</time></wpt>'
    with pytest.raises(InputError, match=r"t\.gpx:.*轨迹"):
        read_gpx_track(_write(tmp_path, body))


def test_not_gpx(tmp_path: Path) -> None:
    path = tmp_path / "notes.gpx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.gpx:不是可读的 GPX"):
        read_gpx_track(path)


def test_a_gpx_track_verifies_a_stop(tmp_path: Path) -> None:
    pts = "".join(
        f'<trkpt lat="27.0" lon="104.0"><time>2026-07-01T08:0{m}:00Z</time></trkpt>'
        for m in range(5)
    )
    track = read_gpx_track(_write(tmp_path, f"<trk><trkseg>{pts}</trkseg></trk>"))
    stops = gpd.GeoDataFrame({"spot_id": ["A"]}, geometry=[Point(104.0, 27.0001)], crs=4326)
    result = verify_track(track, stops, radius_m=50.0, min_minutes=3.0, max_gap_minutes=10.0)
    assert result.stops["visited"].tolist() == [True]
    assert result.stops["minutes"].iloc[0] == pytest.approx(4.0)
