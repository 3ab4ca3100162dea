"""``tongan site`` on the sample township, and its bad input (exit 2)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

from api.cli import app
from geo.load import write_layers

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    out = tmp_path_factory.mktemp("site")
    result = runner.invoke(app, ["site", "--model", "mclp", "-k", "2", "--out", str(out)])
    return result, out


def test_site_on_the_sample_in_chinese(sample_run: tuple[object, Path]) -> None:
    result, out = sample_run
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = result.output  # type: ignore[attr-defined]
    assert "选定新站点" in text and "覆盖率(新建前,加权)" in text and "40.5%" in text
    assert "58.4%" in text and "highs / optimal" in text
    for name in ("site.gpkg", "site.xlsx", "site_chosen.csv", "site_villages.csv", "site_map.html"):
        assert (out / name).exists(), name
    chosen = gpd.read_file(out / "site.gpkg", layer="chosen")
    assert len(chosen) == 2 and chosen.crs.to_epsg() == 4326
    header = (out / "site_chosen.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("序号,站点编号")


@pytest.fixture
def tiny(frames: dict[str, gpd.GeoDataFrame], tmp_path: Path) -> Path:
    """The hand-built two-village township of conftest, as a GeoPackage (fast to load)."""
    return write_layers(frames, tmp_path / "in.gpkg")


def test_site_in_english_with_lscp(tiny: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["site", str(tiny), "--model", "lscp", "--lang", "en", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Coverage after (weighted)" in result.output and "lscp" in result.output


def test_site_with_a_candidates_file(tiny: Path, tmp_path: Path) -> None:
    cands = gpd.GeoDataFrame(
        {"id": ["K1", "K2"]}, geometry=[Point(112.951, 29.81), Point(112.959, 29.8105)], crs=4326
    )
    path = tmp_path / "cands.geojson"
    cands.to_file(path, driver="GeoJSON", engine="pyogrio")
    result = runner.invoke(
        app,
        [
            "site",
            str(tiny),
            "-k",
            "1",
            "--candidates",
            str(path),
            "--lang",
            "en",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "K1" in result.output or "K2" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-k", "3"], "only 2 candidate sites exist"),
        (["-k", "1", "--standard-m", "1"], "no household lies within 1 m"),
        (["-k", "1", "--candidates", "nowhere.gpkg"], "does not exist"),
        (["--model", "best"], "best"),
        (["-k", "0"], "Usage"),
    ],
)
def test_site_bad_input_exits_2(tiny: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["site", str(tiny), *args, "--lang", "en", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_site_reports_a_widened_candidate_grid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo.settings import get_settings

    monkeypatch.setenv("TONGAN_SITING__MAX_CANDIDATES", "10")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["site", "-k", "2", "--out", str(tmp_path)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    # the sample's 300 m grid gives 60 candidates; 600, 1,200 m still give more than 10
    assert "9(原网格 60 个过多,间距放大到 2,400 米)" in result.output
