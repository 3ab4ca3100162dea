"""``tongan risk`` on the sample township, and its bad-input exits."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli import app
from geo.load import write_layers

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("risk")
    result = runner.invoke(app, ["risk", "--date", "2026-07-15", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, out


def test_prints_classes_lacking_and_procurement(run: tuple[str, Path]) -> None:
    output, _ = run
    for text in ("风险点分级", "红色", "缺少四个一设施", "采购清单", "警示牌", "防护栏", "汛期"):
        assert text in output, text


def test_writes_tables_workbook_and_map(run: tuple[str, Path]) -> None:
    _, out = run
    for name in ("risk.gpkg", "risk.xlsx", "risk.html", "risk_spots.csv", "risk_villages.csv"):
        assert (out / name).exists(), name
    spots = pd.read_csv(out / "risk_spots.csv")
    assert {"风险点编号", "风险等级", "缺少设施", "说明"} <= set(spots.columns)
    villages = pd.read_excel(out / "risk.xlsx", sheet_name="按村汇总")
    assert villages["风险点数"].sum() == len(spots)
    # codes are words for people, and lengths are rounded (issue 20)
    assert (spots["风险等级"] == "红色").sum() == villages["红色"].sum() > 0
    assert spots["缺少设施"].str.contains("警示牌").any()
    assert set(spots["有警示牌"]) <= {"是", "否"}
    assert spots["位置"].str.contains(r" \d+(?:\.\d)? k?m$").any()
    procurement = pd.read_csv(out / "risk_procurement.csv")
    assert set(procurement["物资"]) == {"警示牌", "救生圈", "救生绳", "救生杆", "防护栏"}
    metres = procurement["长度(米)"].astype(float)
    assert (metres.round(1) == metres).all()
    gpkg = gpd.read_file(out / "risk.gpkg", layer="spots")
    assert gpkg.crs.to_epsg() == 4326 and len(gpkg) == len(spots)


def test_english_output_without_equipment_on_a_small_set(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    del frames["equipment"]  # an absent optional layer still runs, and is reported
    path = write_layers(frames, tmp_path / "in.gpkg")
    result = runner.invoke(
        app,
        ["risk", str(path), "--date", "2026-01-05", "--out", str(tmp_path / "o"), "--lang", "en"],
    )
    assert result.exit_code == 0, result.output
    assert "Spots by class" in result.output and "Procurement" in result.output
    assert "equipment layer absent: every spot lacks all four items" in result.output
    assert (tmp_path / "o" / "risk.html").exists()
    # the spots' explanations are English too, in one column
    spots = pd.read_csv(tmp_path / "o" / "risk_spots.csv")
    assert "explanation_en" not in spots
    assert spots["explanation"].str.startswith("risk ").all()
    assert spots["explanation"].str.contains("lacks warning sign").all()


def test_bad_date_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["risk", "--date", "15/07/2026", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_empty_waters_exit_2(frames: dict[str, gpd.GeoDataFrame], tmp_path: Path) -> None:
    frames["waters"] = frames["waters"].iloc[0:0]
    path = write_layers(frames, tmp_path / "in.gpkg")
    result = runner.invoke(app, ["risk", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "waters" in result.output
