"""`tongan verify` on the sample township: a synthetic track of 柳塘乡河长's planned stops of
2026-07-04 that skips one stop (tests/patrol_walk.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.patrol_walk import CHIEF, DAY, SKIPPED, START, Walk, planned_stops, walk

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def walked() -> Walk:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH))
    return walk(planned_stops(layers))


def test_a_walk_that_skips_one_stop(walked: Walk, tmp_path: Path) -> None:
    track = tmp_path / "巡查轨迹.gpx"
    track.write_bytes(walked.gpx)
    res = runner.invoke(
        app,
        ["verify", str(track), "--river-chief", CHIEF, "--date", DAY.isoformat(),
         "--start", START, "--out", str(tmp_path / "out")],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert f"巡查核验:{CHIEF} {DAY}" in res.output
    assert "已巡查 3/4 个计划点,漏查 1 个,计划外 0 个" in res.output
    assert f"路程 {walked.distance_m / 1000:.1f} 公里,用时 {walked.minutes:.0f} 分钟" in res.output
    table = pd.read_csv(tmp_path / "out" / "verify.csv", encoding="utf-8-sig", dtype=str)
    status = dict(zip(table["风险点编号"], table["状态"], strict=True))
    assert list(status) == walked.stops  # the plan's order
    assert status == {s: "已巡查" for s in walked.stops} | {SKIPPED: "漏查"}
    last = table.set_index("风险点编号").loc[walked.stops[-1]]
    assert last["实际到达"] == walked.last_arrival
    assert float(last["停留(分钟)"]) == 4.0
    assert set(table["河长"]) == {CHIEF} and set(table["日期"]) == {DAY.isoformat()}
    html = (tmp_path / "out" / "verify_map.html").read_text(encoding="utf-8")
    assert "巡查核验" in html and SKIPPED in html


def test_english(walked: Walk, tmp_path: Path) -> None:
    track = tmp_path / "t.gpx"
    track.write_bytes(walked.gpx)
    res = runner.invoke(
        app,
        ["verify", str(track), "--river-chief", CHIEF, "--date", DAY.isoformat(),
         "--start", START, "--out", str(tmp_path), "--lang", "en"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "visited 3 of 4 planned stops, 1 skipped, 0 unplanned" in res.output
    header = (tmp_path / "verify.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("river_chief,date,status")


def test_a_broken_gpx_exits_2_naming_the_file(tmp_path: Path) -> None:
    track = tmp_path / "broken.gpx"
    track.write_text("<gpx><trk><trkseg><trkpt", encoding="utf-8")
    res = runner.invoke(
        app, ["verify", str(track), "--river-chief", CHIEF, "--date", "2026-07-04", "--lang", "en"]
    )
    assert res.exit_code == 2
    assert "broken.gpx" in res.output and "export the track as GPX 1.1" in res.output
    assert "Traceback" not in res.output
    missing = runner.invoke(app, ["verify", str(tmp_path / "nope.gpx"), "--river-chief", CHIEF,
                                  "--date", "2026-07-04"])  # fmt: skip
    assert missing.exit_code == 2 and "nope.gpx 不存在" in missing.output


def test_an_unknown_chief_exits_2_naming_the_chiefs_of_the_day(
    walked: Walk, tmp_path: Path
) -> None:
    track = tmp_path / "t.gpx"
    track.write_bytes(walked.gpx)
    res = runner.invoke(
        app,
        ["verify", str(track), "--river-chief", "王五", "--date", DAY.isoformat(),
         "--start", START, "--out", str(tmp_path)],
    )  # fmt: skip
    assert res.exit_code == 2
    assert "河长 王五 在 2026-07-04 没有计划巡查点" in res.output and CHIEF in res.output
    assert not (tmp_path / "verify.csv").exists()
    other_day = runner.invoke(
        app, ["verify", str(track), "--river-chief", CHIEF, "--date", "2026-07-05"]
    )
    assert other_day.exit_code == 2 and "轨迹记录于 2026-07-04" in other_day.output
