"""``tongan coverage`` on the sample township and on bad input."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point
from typer.testing import CliRunner

from api.cli import app
from api.commands.coverage import HEADERS_ZH
from geo.load import write_layers

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("coverage")
    result = runner.invoke(app, ["coverage", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_sample_prints_key_figures_in_chinese(sample_run: tuple[Path, str]) -> None:
    _, output = sample_run
    for text in ("儿童总数", "步行标准内儿童", "步行标准外儿童", "覆盖率", "政策检查发现"):
        assert text in output
    assert "柳塘乡没有未成年人保护工作站" in output
    assert "示例县没有未成年人救助保护机构" in output


def test_sample_writes_gpkg_excel_csv_and_map(sample_run: tuple[Path, str]) -> None:
    out, _ = sample_run
    for name in ("coverage.gpkg", "coverage.xlsx", "coverage.html", "coverage_villages.csv"):
        assert (out / name).exists(), name
    with pd.ExcelFile(out / "coverage.xlsx") as book:
        sheets = book.sheet_names
    assert {"村覆盖", "乡镇覆盖", "政策检查", "缺口区域"} <= set(sheets)
    villages = pd.read_csv(out / "coverage_villages.csv", encoding="utf-8-sig")
    assert {"名称", "儿童覆盖率", "需配儿童主任数"} <= set(villages.columns)
    assert len(villages) == 12
    # household rows are personal data: only aggregates unless --authorised
    assert not (out / "coverage_households.csv").exists()
    assert (out / "coverage_household_cells.csv").exists()


def test_files_without_authorised_hold_lattice_gaps_and_rounded_counts(
    sample_run: tuple[Path, str],
) -> None:
    """Issue 15: the gap areas of the GeoPackage are 500 m hexagons (three of their six vertices
    per cell at most 289 m apart on the lattice), every count a multiple of 5."""
    out, output = sample_run
    gaps = gpd.read_file(out / "coverage.gpkg", layer="gaps")
    assert len(gaps) == 20 and gaps["cells"].sum() == 77
    hex_area = 500.0**2 * 3**0.5 / 2  # flat-to-flat 500 m
    metric = gaps.to_crs(gaps.estimate_utm_crs())
    ratio = (metric.area / hex_area / gaps["cells"]).to_numpy()
    assert ratio == pytest.approx(1.0, abs=2e-3)  # each gap is exactly its cells' hexagons
    for col in ("households", "children", "left_behind", "in_difficulty"):
        assert (gaps[col] % 5 == 0).all(), col
    villages = pd.read_csv(out / "coverage_villages.csv", encoding="utf-8-sig")
    for col in ("households", "children", "children_covered", "households_beyond"):
        assert (villages[HEADERS_ZH[col]].dropna() % 5 == 0).all(), col
    assert "4,860" in output  # 4,858 children, rounded


def test_english_and_authorised(frames: dict[str, gpd.GeoDataFrame], tmp_path: Path) -> None:
    src = write_layers(frames, tmp_path / "in.gpkg")
    result = runner.invoke(
        app, ["coverage", str(src), "--out", str(tmp_path), "--lang", "en", "--authorised"]
    )
    assert result.exit_code == 0, result.output
    assert "Children covered" in result.output and "Policy findings" in result.output
    h = pd.read_csv(tmp_path / "coverage_households.csv")
    assert {"dist_m", "covered", "reach"} <= set(h.columns)


@pytest.mark.parametrize("bad", ["0", "-100"])
def test_standard_zero_or_below_exits_2(bad: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["coverage", "--standard-m", bad, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--standard-m must be above 0" in result.output


def test_unreachable_household_is_empty_in_csv(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    # a second, disconnected road with a household on it: no facility can be reached
    x0, y0 = 112.95, 29.80
    roads = frames["roads"]
    extra = gpd.GeoDataFrame(
        {"id": ["R9"], "kind": ["path"]},
        geometry=[LineString([(x0 + 0.002, y0 + 0.018), (x0 + 0.008, y0 + 0.018)])],
        crs=roads.crs,
    )
    frames["roads"] = pd.concat([roads, extra], ignore_index=True)
    hh = frames["households"]
    frames["households"] = pd.concat(
        [
            hh,
            gpd.GeoDataFrame(
                {
                    "id": ["H9"],
                    "village_code": ["420001002"],
                    "children": [1],
                    "left_behind": [1],
                    "in_difficulty": [0],
                },
                geometry=[Point(x0 + 0.005, y0 + 0.0181)],
                crs=hh.crs,
            ),
        ],
        ignore_index=True,
    )
    src = write_layers(frames, tmp_path / "in.gpkg")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["coverage", str(src), "--out", str(out), "--authorised", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    h = pd.read_csv(out / "coverage_households.csv", keep_default_na=False)
    row = h.loc[h["id"] == "H9"].iloc[0]
    assert row["reach"] == "unreachable"
    assert row["dist_m"] == ""  # empty, neither inf nor 0
    assert "inf" not in (out / "coverage_households.csv").read_text().lower()
