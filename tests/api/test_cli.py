from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
from typer.testing import CliRunner

from api.cli import app
from geo.load import write_layers
from geo.schemas import schema_markdown

runner = CliRunner(env={"COLUMNS": "250"})
ROOT = Path(__file__).resolve().parents[2]


def test_validate_valid_folder_prints_summary(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    path = write_layers(frames, tmp_path / "in.gpkg")
    result = runner.invoke(app, ["validate", str(path), "--lang", "en", "--today", "2026-07-01"])
    assert result.exit_code == 0, result.output
    assert "Layer summary" in result.output
    assert "6 children: 3 left-behind, 2 in difficulty" in result.output
    assert "Validated" in result.output


def test_validate_in_chinese_by_default(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    path = write_layers(frames, tmp_path / "in.gpkg")
    result = runner.invoke(app, ["validate", str(path), "--today", "2026-07-01"])
    assert result.exit_code == 0, result.output
    assert "图层概况" in result.output and "留守儿童 3 人" in result.output


def test_validate_fatal_problems_exit_2_one_line_each(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    frames["households"].loc[0, "village_code"] = "999"
    del frames["roads"]
    path = write_layers(frames, tmp_path / "in.gpkg")
    out = tmp_path / "valid.gpkg"
    result = runner.invoke(app, ["validate", str(path), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("[error]")]
    assert len(errors) == 2
    assert any("required layer roads is missing" in line for line in errors)
    assert any("999" in line for line in errors)
    assert not out.exists()  # nothing written from invalid layers


def test_validate_writes_validated_geopackage(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    path = write_layers(frames, tmp_path / "in.gpkg")
    out = tmp_path / "valid.gpkg"
    result = runner.invoke(app, ["validate", str(path), "--out", str(out), "--today", "2026-07-01"])
    assert result.exit_code == 0, result.output
    assert gpd.read_file(out, layer="households")["severe_illness"].tolist() == [0, 0, 0]


def test_bad_options_exit_2_with_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = runner.invoke(app, ["validate", str(tmp_path), "--crs", "EPSG:99999"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["validate", "--today", "July"])
    assert result.exit_code == 2 and "is not a date" in result.stderr
    result = runner.invoke(app, ["import-osm", "--out", str(tmp_path / "o.gpkg")])
    assert result.exit_code == 2 and "exactly one of --place" in result.stderr


def test_readme_schema_tables_match_the_code() -> None:
    from analysis.registry import analyses

    analyses()  # the layers the analyses declare are documented too
    assert "activities" in schema_markdown()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- schema:start -->\n(.*)<!-- schema:end -->", readme, re.S)
    assert block is not None, "README lacks the schema block"
    assert block.group(1) == schema_markdown(), (
        "README schema is stale: run `tongan schema --markdown`"
    )
    result = runner.invoke(app, ["schema", "--markdown"])
    assert result.stdout == schema_markdown()


def test_validate_with_gcj02_keeps_a_wgs84_geopackage_and_says_so(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    # Issue 16: --crs gcj02 moved a GeoPackage that declares WGS84 by ~620 m, without a word.
    path = write_layers(frames, tmp_path / "in.gpkg")
    out = tmp_path / "valid.gpkg"
    args = ["validate", str(path), "--crs", "gcj02", "--out", str(out), "--today", "2026-07-01"]
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "in.gpkg:schools: the file states its CRS (WGS 84)" in result.stderr
    assert "the given CRS gcj02 was ignored for this file" in result.stderr
    moved = (
        gpd.read_file(out, layer="schools").to_crs(32649).distance(frames["schools"].to_crs(32649))
    )
    assert moved.max() < 0.01


def test_validate_osm_import_lists_each_missing_layer_and_how(tmp_path: Path) -> None:
    """Issue 22: an OSM import lacks areas and households; validate says so, nothing else."""
    out = tmp_path / "o.gpkg"
    village = ROOT / "tests" / "data" / "osm" / "village.osm"
    assert (
        runner.invoke(app, ["import-osm", "--file", str(village), "--out", str(out)]).exit_code == 0
    )
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 2, result.output
    assert "metric CRS" not in result.output and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("[错误]")]
    assert len(errors) == 2
    areas, households = errors
    assert areas.startswith("[错误] areas: 缺少必需图层") and "tongan init --osm" in areas
    assert households.startswith("[错误] households:") and "households.xlsx" in households
    assert "总长" in result.output  # the roads' length is measured without any areas
