"""``tongan flood-review`` on the sample township: files, summary, DEM, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from typer.testing import CliRunner

from api.cli import app
from geo.load import read_layers, write_layers
from sample_layers.generate import SAMPLE_PATH

runner = CliRunner(env={"COLUMNS": "250"})


def _write_dem(path: Path) -> Path:
    """A plane rising 1 m per 2 m eastwards in EPSG:4326 over the west of the sample only."""
    west, north, step = 112.90, 29.88, 0.0005
    rows, cols = 200, 120  # lon 112.90 - 112.96
    lon = west + (np.arange(cols) + 0.5) * step
    z = np.tile(0.5 * (lon - west) * 96_570.0, (rows, 1)).astype("float32")
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=rows,
        width=cols,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=Affine(step, 0.0, west, 0.0, -step, north),
        nodata=-9999.0,
    ) as dst:
        dst.write(z, 1)
    return path


def test_english_run_with_a_dem_in_lon_lat(tmp_path: Path) -> None:
    dem = _write_dem(tmp_path / "dem.tif")
    out = tmp_path / "out"
    args = ["--date", "2026-03-15", "--dem", str(dem), "--out", str(out), "--lang", "en"]
    result = runner.invoke(app, ["flood-review", *args])
    assert result.exit_code == 0, result.output
    assert "pre-season review" in result.output
    assert "inside flood zone" in result.output
    assert "outside the DEM" in result.output
    table = pd.read_csv(out / "flood_review_institutions.csv")
    covered = table.loc[table["dem_coverage"] == "ok"]
    assert len(covered) and (table["dem_coverage"] == "outside").any()
    assert (covered["max_slope_deg"] - np.degrees(np.arctan(0.5))).abs().max() < 0.1
    assert covered["reasons"].str.contains("steep_slope").all()


def test_chinese_run_writes_tables_report_and_map(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["flood-review", "--date", "2026-07-20", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "汛期检查" in result.output and "七下八上关键期检查" in result.output
    assert "清水河教学点 (高): 位于洪水淹没区" in result.output
    for name in ("flood_review.xlsx", "flood_report.html", "flood_map.html"):
        assert (out / name).exists()
    sheets = pd.read_excel(out / "flood_review.xlsx", sheet_name=None)
    assert set(sheets) == {"机构排查", "检查清单", "撤离路线"}
    assert {"隐患等级", "原因", "责任部门", "撤离距离(米)"} <= set(sheets["机构排查"].columns)
    assert len(sheets["机构排查"]) == 14
    report = (out / "flood_report.html").read_text(encoding="utf-8")
    assert report.count('<section class="institution">') == 14
    assert "汛期儿童机构隐患排查报告" in report and "@media print" in report
    assert "步行" in report and "教育局" in report


def test_unknown_hazard_kind_lists_the_allowed_kinds(tmp_path: Path) -> None:
    frames = read_layers(SAMPLE_PATH)
    frames["hazards"].loc[0, "kind"] = "mudslide"
    path = write_layers(frames, tmp_path / "bad.gpkg")
    result = runner.invoke(app, ["flood-review", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "mudslide" in result.output
    assert "flood_zone" in result.output and "landslide_zone" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "YYYY-MM-DD"),
        (["--dem", "missing.tif"], "no such file"),
        (["--region", "east"], "east"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["flood-review", "--out", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_a_file_that_is_not_a_raster(tmp_path: Path) -> None:
    bad = tmp_path / "dem.tif"
    bad.write_text("not a raster")
    result = runner.invoke(app, ["flood-review", "--dem", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a readable raster" in result.output
