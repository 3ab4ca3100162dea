"""Issue 22, item 3: messages in the user's words (file headers, row numbers), any layer name."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

from geo.load import find_sources, read_layer_file, read_layers, write_layers
from geo.validate import validate_layer, validate_layers
from tests.conftest import TODAY


def _households_csv(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "households.csv"
    path.write_text(
        "户编号,村代码,儿童数,留守儿童数,困境儿童数,经度,纬度\n"
        "H1,V1,2,1,0,113.5,28.7\n"  # row 2
        "H2,V1,abc,3,0,113.5,28.7\n"  # row 3: children unreadable
        "H3,V1,2,,0,113.5,28.7\n"  # row 4: left_behind empty
        "H4,V1,1,-1,0,113.5,28.7\n",  # row 5: negative
        encoding="utf-8",
    )
    return path


def test_messages_name_the_files_header_and_its_rows(tmp_path: Path) -> None:
    _households_csv(tmp_path / "src")
    frames = read_layers(tmp_path / "src", crs="EPSG:4326")
    _, report = validate_layers(frames, today=TODAY, required=["households"])
    by_code = {p.code: p for p in report.for_layer("households")}
    wrong = by_code["wrong_type"]
    assert wrong.column == "children" and wrong.column_label == "儿童数 (children)"
    assert wrong.message("zh").startswith("列 儿童数 (children) 应为整数")
    assert "households.csv 第 3 行" in wrong.message("zh")
    assert "households.csv row(s) 3" in wrong.message("en")
    blank = by_code["missing_value"]
    assert "留守儿童数 (left_behind)" in blank.message("zh") and "第 4 行" in blank.message("zh")
    below = by_code["below_minimum"]
    assert "留守儿童数 (left_behind)" in below.message("en") and "row(s) 5" in below.message("en")


def test_cross_layer_messages_use_the_headers_too(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "households.csv").write_text(
        "户编号,村代码,儿童数,留守儿童数,困境儿童数,经度,纬度\nH1,V1,1,2,0,113.5,28.7\n",
        encoding="utf-8",
    )
    frames = read_layers(folder, crs="EPSG:4326")
    _, report = validate_layers(frames, today=TODAY, required=["households"])
    (over,) = [p for p in report.for_layer("households") if p.code == "count_exceeds"]
    assert "留守儿童数 (left_behind) 大于 儿童数 (children)" in over.message("zh")


def test_schema_headers_are_shown_once(frames: dict[str, gpd.GeoDataFrame], tmp_path: Path) -> None:
    frames["households"].loc[0, "children"] = -3
    path = write_layers(frames, tmp_path / "in.gpkg")
    _, report = validate_layers(read_layers(path), today=TODAY)
    (p,) = [p for p in report.problems if p.code == "below_minimum"]
    assert p.column_label == "children"
    assert "in.gpkg feature(s) 1" in p.message("en")  # not a spreadsheet row


def test_single_layer_geopackage_whatever_its_layer_name(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    areas = frames["areas"]
    areas.to_file(folder / "areas_villages.gpkg", layer="areas_villages", engine="pyogrio")
    frames["roads"].to_file(folder / "roads.gpkg", layer="道路", engine="pyogrio")
    assert find_sources(folder) == {
        "areas": [(folder / "areas_villages.gpkg", "areas_villages")],
        "roads": [(folder / "roads.gpkg", "道路")],
    }
    read = read_layers(folder)
    assert len(read["areas"]) == len(areas) and len(read["roads"]) == len(frames["roads"])
    # the file alone, given as the source
    alone = find_sources(folder / "areas_villages.gpkg")
    assert alone == {"areas": [(folder / "areas_villages.gpkg", "areas_villages")]}
    assert len(read_layer_file(folder / "areas_villages.gpkg", "areas")) == len(areas)


def test_validate_emits_no_library_warning_on_odd_numbers() -> None:
    """Infinite and huge values are refused with a message, never a warning or a crash."""
    frame = gpd.GeoDataFrame(
        {
            "id": [1.0, np.inf, 3.0],
            "village_code": ["v", "v", "v"],
            "children": ["1e400", "99999999999999999999", "-inf"],
            "left_behind": [0, 0, 0],
            "in_difficulty": [0, 0, 0],
        },
        geometry=[Point(0, 0)] * 3,
        crs=4326,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, problems = validate_layer("households", frame)
    assert out["id"].tolist()[0] == "1.0" and out["id"].tolist()[1] == "inf"
    assert {p.code for p in problems} >= {"below_minimum"}
