from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.errors import LayerError
from geo.validate import ValidationReport, validate_layers
from tests.conftest import TODAY, X0, Y0


def _codes(report: ValidationReport, layer: str) -> dict[str, bool]:
    return {p.code: p.fatal for p in report.for_layer(layer)}


def test_valid_layers_pass_and_are_typed(frames: dict[str, gpd.GeoDataFrame]) -> None:
    layers, report = validate_layers(frames, today=TODAY)
    assert report.ok, report.lines("en")
    hh = layers.households
    assert str(hh["children"].dtype) == "Int64"
    assert hh["care_agreement"].tolist() == [True, False, False]
    # optional counts and flags missing from the file get their documented defaults
    assert hh["severe_illness"].tolist() == [0, 0, 0]
    assert hh["single_parent"].tolist() == [False, False, False]
    assert layers.waters.loc[0, "use"] == "fishing;swimming"
    assert layers.waters.loc[1, "use"] == "unknown"
    assert len(layers.hazards) == 0 and list(layers.hazards.columns)[:2] == ["id", "kind"]


def test_missing_required_layer_and_column(frames: dict[str, gpd.GeoDataFrame]) -> None:
    del frames["roads"]
    frames["households"] = frames["households"].drop(columns=["children"])
    _, report = validate_layers(frames, today=TODAY)
    assert _codes(report, "roads") == {"missing_layer": True}
    assert report.for_layer("households")[0].code == "missing_column"
    assert "children" in report.for_layer("households")[0].message("en")
    with pytest.raises(LayerError, match="2 error"):
        report.raise_if_fatal("en")


def test_wrong_types_required_is_fatal_optional_is_warning(
    frames: dict[str, gpd.GeoDataFrame],
) -> None:
    hh = frames["households"]
    hh["children"] = ["2", "one", "3"]
    hh["last_contact"] = ["2026-05-01", "soon", "2026年6月3日"]
    layers, report = validate_layers(frames, today=TODAY)
    problems = {p.code: p for p in report.for_layer("households")}
    assert problems["wrong_type"].fatal and problems["wrong_type"].column == "children"
    assert "one" in problems["wrong_type"].message("en")
    assert not problems["wrong_type_optional"].fatal
    assert layers.households["last_contact"].iloc[2] == pd.Timestamp("2026-06-03")
    assert pd.isna(layers.households["last_contact"].iloc[1])


def test_values_not_allowed_name_the_allowed_ones(frames: dict[str, gpd.GeoDataFrame]) -> None:
    frames["waters"].loc[1, "kind"] = "puddle"
    _, report = validate_layers(frames, today=TODAY)
    (problem,) = report.for_layer("waters")
    assert problem.fatal and problem.code == "not_allowed"
    assert "puddle" in problem.message("en") and "pond" in problem.message("en")


def test_chinese_values_are_recognised(frames: dict[str, gpd.GeoDataFrame]) -> None:
    frames["waters"]["kind"] = ["河流", "鱼塘"]
    frames["waters"]["use"] = ["钓鱼、游泳", "洗衣"]
    frames["households"]["care_agreement"] = ["是", "否", "否"]
    layers, report = validate_layers(frames, today=TODAY)
    assert report.ok, report.lines("en")
    assert layers.waters["kind"].tolist() == ["river", "pond"]
    assert layers.waters["use"].tolist() == ["fishing;swimming", "washing"]
    assert layers.households["care_agreement"].tolist() == [True, False, False]


def test_negative_counts_and_inconsistent_totals(frames: dict[str, gpd.GeoDataFrame]) -> None:
    hh = frames["households"]
    hh["left_behind"] = [3, -1, 1]  # H1 has 2 children
    _, report = validate_layers(frames, today=TODAY)
    codes = [(p.code, p.column) for p in report.errors]
    assert ("below_minimum", "left_behind") in codes
    assert ("count_exceeds", "left_behind") in codes


def test_difficulty_category_over_total(frames: dict[str, gpd.GeoDataFrame]) -> None:
    frames["households"]["orphan"] = [1, 1, 0]  # H1 has no child in difficulty
    _, report = validate_layers(frames, today=TODAY)
    assert [(p.code, p.column) for p in report.errors] == [("count_exceeds", "orphan")]


def test_invalid_geometry_is_repaired_and_listed(frames: dict[str, gpd.GeoDataFrame]) -> None:
    bowtie = Polygon([(X0, Y0), (X0 + 0.001, Y0 + 0.001), (X0 + 0.001, Y0), (X0, Y0 + 0.001)])
    frames["waters"].loc[1, "geometry"] = bowtie
    layers, report = validate_layers(frames, today=TODAY)
    assert _codes(report, "waters") == {"repaired_geometry": False}
    assert layers.waters.geometry.is_valid.all()
    assert layers.waters.geometry.iloc[1].geom_type in {"Polygon", "MultiPolygon"}
    assert "W2" in report.for_layer("waters")[0].message("en")


def test_empty_geometry_and_duplicate_ids(frames: dict[str, gpd.GeoDataFrame]) -> None:
    frames["schools"] = pd.concat([frames["schools"]] * 2, ignore_index=True)
    frames["households"].loc[2, "geometry"] = Point()
    _, report = validate_layers(frames, today=TODAY)
    assert _codes(report, "schools") == {"duplicate_ids": True}
    assert _codes(report, "households") == {"empty_geometry": True}
    assert "H3" in report.for_layer("households")[0].message("en")


def test_wrong_geometry_kind(frames: dict[str, gpd.GeoDataFrame]) -> None:
    frames["schools"].loc[0, "geometry"] = LineString([(X0, Y0), (X0 + 0.001, Y0)])
    frames["waters"].loc[0, "kind"] = "pond"  # a line cannot be a pond
    _, report = validate_layers(frames, today=TODAY)
    assert _codes(report, "schools") == {"wrong_geometry": True}
    assert _codes(report, "waters") == {"water_geometry": True}


def test_far_outside_study_area(frames: dict[str, gpd.GeoDataFrame]) -> None:
    # lat/lon swapped: a classic mistake that lands the point in the Indian Ocean
    frames["households"].loc[0, "geometry"] = Point(Y0, X0 - 100)
    _, report = validate_layers(frames, today=TODAY)
    problem = report.for_layer("households")[0]
    assert problem.code == "far_outside" and problem.fatal and problem.count == 1
    assert "H1" in problem.message("en") and "--crs" in problem.message("en")


def test_household_in_unknown_village(frames: dict[str, gpd.GeoDataFrame]) -> None:
    frames["households"].loc[1, "village_code"] = "999"
    _, report = validate_layers(frames, today=TODAY)
    assert _codes(report, "households") == {"unknown_village": True}
    assert "999" in report.for_layer("households")[0].message("zh")


def test_warnings_for_references_future_dates_and_extra_columns(
    frames: dict[str, gpd.GeoDataFrame],
) -> None:
    frames["equipment"].loc[0, "water_id"] = "W9"
    frames["households"]["last_contact"] = ["2027-01-01", None, None]
    frames["households"]["户主姓名"] = ["x", "y", "z"]
    _, report = validate_layers(frames, today=TODAY)
    assert report.ok
    assert _codes(report, "equipment") == {"unknown_reference": False}
    assert _codes(report, "households") == {"ignored_columns": False, "future_date": False}


def test_messages_exist_in_both_languages(frames: dict[str, gpd.GeoDataFrame]) -> None:
    del frames["roads"]
    _, report = validate_layers(frames, today=TODAY)
    zh, en = report.lines("zh")[0], report.lines("en")[0]
    assert "缺少必需图层" in zh and "required layer roads is missing" in en
