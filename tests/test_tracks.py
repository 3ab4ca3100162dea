"""GPX track reading (issue 19): real GPX files written by hand as XML."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

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
        read_gpx_track(_write(tmp_path, body))


def test_waypoints_only(tmp_path: Path) -> None:
    body = '<wpt lat="27.0" lon="104.0"><time>2026-07-01T08:00:00Z</time></wpt>'
    with pytest.raises(InputError, match=r"t\.gpx: .*track"):
        read_gpx_track(_write(tmp_path, body))


def test_not_gpx(tmp_path: Path) -> None:
    path = tmp_path / "notes.gpx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.gpx: not a"):
        read_gpx_track(path)
