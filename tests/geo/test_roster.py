"""Issue 22, item 2: household rosters without coordinates, with names and ID numbers dropped."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.load import read_layers, write_layers
from geo.roster import _ID_CHECK, _ID_WEIGHTS, is_id_number, personal_kind, village_key
from geo.validate import validate_layers
from tests.conftest import TODAY


def id_number(first17: str) -> str:
    """A made-up resident ID number with a valid check digit (GB 11643), for tests only."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + _ID_CHECK[total % 11]


ID_A = id_number("43062620100101001")
ID_B = id_number("43062620120505002")
ID_C = id_number("43062620150309003")
NAMES = ("张小明", "李小红", "王小刚")
PHONE = "13912345678"


def test_id_numbers_and_personal_columns() -> None:
    assert is_id_number(ID_A) and is_id_number(ID_A.lower())
    assert not is_id_number(ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1"))  # check digit
    assert not is_id_number("420001001001")  # a 12-digit area code
    empty = pd.Series([], dtype=object)
    assert personal_kind("儿童姓名", empty) == "name"
    assert personal_kind("监护人", empty) == "name"
    assert personal_kind("公民身份号码", empty) == "id_number"
    assert personal_kind("联系电话", empty) == "phone"
    assert personal_kind("家庭住址", empty) == "address"
    assert personal_kind("备注", pd.Series(["", ID_B])) == "id_number"  # by content
    assert personal_kind("备注2", pd.Series([PHONE, None])) == "phone"
    assert personal_kind("0731-8123456", pd.Series(["0731-8123456"])) == "phone"
    for header in ("留守儿童数", "最近联系日期", "监护风险", "户编号", "村名"):
        assert personal_kind(header, pd.Series(["1", "2"])) is None, header
    assert village_key("东村") == "东" and village_key("东村村委会") == "东"


def _source(frames: dict[str, gpd.GeoDataFrame], folder: Path) -> Path:
    """areas, roads and the other layers as GeoJSON; households will be a roster."""
    folder.mkdir()
    for name, frame in frames.items():
        if name != "households" and len(frame):
            frame.to_file(folder / f"{name}.geojson", driver="GeoJSON", engine="pyogrio")
    return folder


def _roster() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "序号": [1, 2, 3, 4, 5],
            "姓名": [*NAMES, "赵小强", "钱小丽"],
            "身份证号": [ID_A, ID_B, ID_C, None, None],
            "联系电话": [PHONE, None, None, None, None],
            "所在村": ["东村", "西村村委会", "西", "北村", "东村"],
            "儿童数": [2, 1, 3, 1, 1],
            "留守儿童数": [1, 1, 2, 0, 1],
            "困境儿童数": [0, 1, 0, 0, 0],
            "孤儿数": [0, 1, 0, 0, 0],
            "备注": ["", "", f"母亲 {PHONE}", "", ""],
        }
    )


def test_roster_is_matched_placed_and_stores_no_personal_data(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    folder = _source(frames, tmp_path / "src")
    _roster().to_excel(folder / "households.xlsx", index=False)
    read = read_layers(folder)
    layers, report = validate_layers(read, today=TODAY)
    hh = layers.households
    # row 5 (北村) matches no village: listed with its row number, and fatal
    (unmatched,) = [p for p in report.problems if p.code == "roster_unmatched"]
    assert unmatched.fatal and unmatched.count == 1
    assert "households.xlsx 第 5 行" in unmatched.message("zh")
    assert hh["village_code"].tolist() == ["420001001", "420001002", "420001002", "420001001"]
    assert hh["children"].tolist() == [2, 1, 3, 1] and hh["orphan"].tolist() == [0, 1, 0, 0]
    assert hh["location_estimated"].all()
    assert hh["id"].tolist() == ["households-2", "households-3", "households-4", "households-6"]
    # the points lie on the village's roads, inside the village
    areas = layers.areas.set_index("code")
    roads = layers.roads.geometry.union_all()
    for code, point in zip(hh["village_code"], hh.geometry, strict=True):
        assert areas.geometry[code].buffer(1e-6).contains(point)
        assert roads.distance(point) < 1e-6  # about 10 cm: the UTM round trip
    # deterministic: the same points on a second read
    again = read_layers(folder)["households"]
    assert again.geometry.geom_equals_exact(read["households"].geometry, 0).all()
    (dropped,) = [p for p in report.problems if p.code == "roster_personal"]
    text = dropped.message("zh")
    assert "姓名 (姓名)" in text and "身份证号 (身份证号)" in text and "联系电话 (电话)" in text
    assert "备注 (电话)" in text  # found by its content
    (other,) = [p for p in report.problems if p.code == "roster_other"]
    assert other.message("en").endswith("序号")
    estimated = [p for p in report.problems if p.code == "roster_estimated"]
    assert estimated[0].count == 4
    # nothing personal anywhere: the layer, the messages and a written GeoPackage
    every_text = " ".join(report.lines("zh") + report.lines("en"))
    written = write_layers({"households": hh}, tmp_path / "out.gpkg")
    stored = written.read_bytes().decode("latin-1") + gpd.read_file(written).to_csv()
    for secret in (*NAMES, ID_A, ID_B, ID_C, PHONE, ID_A[:10]):
        assert secret not in every_text and secret not in hh.to_csv(), secret
        assert secret.encode("utf-8").decode("latin-1") not in stored, secret


def test_roster_per_child_rows_from_the_welfare_system(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    """One row per child with a category and an address: counts from the categories."""
    folder = _source(frames, tmp_path / "src")
    pd.DataFrame(
        {
            "儿童姓名": list(NAMES),
            "公民身份号码": [ID_A, ID_B, ID_C],
            "儿童类别": ["留守儿童", "孤儿", "困境儿童(重残)"],
            "家庭住址": ["示例镇东村3组", "示例镇西村村委会5组", "西村1组"],
        }
    ).to_csv(folder / "households.csv", index=False)
    read = read_layers(folder)
    layers, report = validate_layers(read, today=TODAY)
    assert report.ok, report.lines("en")
    hh = layers.households
    assert hh["village_code"].tolist() == ["420001001", "420001002", "420001002"]
    assert hh["children"].tolist() == [1, 1, 1]
    assert hh["left_behind"].tolist() == [1, 0, 0]
    assert hh["orphan"].tolist() == [1 - 1, 1, 0]
    assert hh["in_difficulty"].tolist() == [0, 1, 1]
    assert hh["severe_disability"].tolist() == [0, 0, 1]
    assert "家庭住址 (地址)" in " ".join(report.lines("zh"))
    assert "示例镇" not in hh.to_csv()


def test_roster_rows_with_coordinates_keep_them(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    folder = _source(frames, tmp_path / "src")
    east = frames["areas"].set_index("code").geometry["420001001"].representative_point()
    pd.DataFrame(
        {
            "村代码": ["420001001", "东村"],
            "儿童数": [1, 1],
            "留守儿童数": [1, 0],
            "困境儿童数": [0, 0],
            "经度": [east.x, None],
            "纬度": [east.y, None],
        }
    ).to_excel(folder / "households.xlsx", index=False)
    with pytest.raises(Exception, match="states no CRS"):
        read_layers(folder)
    hh = read_layers(folder, crs="EPSG:4326")["households"]
    assert hh["location_estimated"].tolist() == [False, True]
    assert shapely.equals_exact(hh.geometry[0], east, 1e-12)


def test_codes_are_not_mistaken_for_personal_data() -> None:
    """Household and area codes of 12 or 15 digits, dates and counts stay."""
    for values in (
        ["430626101001001", "430626101001002"],  # 15-digit household codes
        ["430626101001", "430626101002"],  # 12-digit village codes
        ["00123456789", "2026-05-01"],
        ["3", "12"],
    ):
        assert personal_kind("户编号", pd.Series(values)) is None, values


def test_personal_columns_dropped_from_a_file_with_coordinates(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    """A households GeoPackage with 姓名 and 身份证号 columns loses them before validation."""
    hh = frames["households"].copy()
    hh["姓名"] = list(NAMES)
    hh["证件"] = [ID_A, ID_B, ID_C]  # found by content
    folder = tmp_path / "src"
    folder.mkdir()
    write_layers({"households": hh}, folder / "households.gpkg")
    read = read_layers(folder)
    assert "姓名" not in read["households"] and "证件" not in read["households"]
    _, report = validate_layers(read, today=TODAY, required=["households"])
    (dropped,) = [p for p in report.problems if p.code == "roster_personal"]
    assert "姓名 (姓名), 证件 (身份证号)" in dropped.message("zh")
