"""`tongan patrol` and `tongan visits` on the sample township."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app

runner = CliRunner(env={"COLUMNS": "250"})
START = "112.943603,29.835967"  # 清河镇 minor-protection workstation


def test_visits_writes_everything(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["visits", "--village", "421023101001", "--date", "2026-07-01", "--out", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    assert "逾期" in res.output and "儿童之家" in res.output
    for name in (
        "visits_schedule.csv",
        "visits_overdue.csv",
        "visits.gpx",
        "visits_checklist.html",
        "visits_map.html",
        "visits.xlsx",
    ):
        assert (tmp_path / name).exists(), name
    html = (tmp_path / "visits_checklist.html").read_text(encoding="utf-8")
    assert "用电安全" in html and "燃气安全" in html and "食品安全" in html
    trk = ET.parse(tmp_path / "visits.gpx").getroot()
    assert len(trk.findall(".//{http://www.topografix.com/GPX/1/1}trkpt")) > 2


def test_visits_unknown_village(tmp_path: Path) -> None:
    res = runner.invoke(app, ["visits", "--village", "999", "--out", str(tmp_path)])
    assert res.exit_code == 2
    assert "unknown village code" in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "boat"], "unknown --mode"),
        (["--hours", "-1"], "--hours must be zero or more"),
        (["--start", "abc"], "is not LON,LAT"),
    ],
)
def test_patrol_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    res = runner.invoke(app, ["patrol", "--start", START, "--out", str(tmp_path), *args])
    assert res.exit_code == 2
    assert message in res.output


def test_patrol_end_to_end(tmp_path: Path) -> None:
    pytest.importorskip("analysis.risk")
    res = runner.invoke(
        app,
        [
            "patrol",
            "--start",
            START,
            "--hours",
            "3",
            "--mode",
            "ebike",
            "--days",
            "2",
            "--date",
            "2026-07-04",
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "巡查计划" in res.output
    for name in (
        "patrol_routes.csv",
        "patrol_stops.csv",
        "patrol.gpx",
        "patrol_checklist.html",
        "patrol_map.html",
    ):
        assert (tmp_path / name).exists(), name
    assert "救生圈" in (tmp_path / "patrol_checklist.html").read_text(encoding="utf-8")


def test_patrol_start_off_network(tmp_path: Path) -> None:
    pytest.importorskip("analysis.risk")
    res = runner.invoke(
        app, ["patrol", "--start", "112.80,29.70", "--hours", "1", "--out", str(tmp_path)]
    )
    assert res.exit_code == 2
    assert "snap limit" in res.output


def test_visits_not_authorised_has_no_locations(tmp_path: Path) -> None:
    res = runner.invoke(
        app,
        ["visits", "--village", "421023101001", "--date", "2026-07-01", "--no-authorised",
         "--out", str(tmp_path)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert not (tmp_path / "visits.gpx").exists()
    assert not (tmp_path / "visits.gpkg").exists()
    header = (tmp_path / "visits_schedule.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "户编号" in header and "lon" not in header and "lat" not in header
    html = (tmp_path / "visits_map.html").read_text(encoding="utf-8")
    assert "H0" not in html  # no household id on the map
