from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from geopandas.testing import assert_geoseries_equal
from shapely.geometry import Point

from geo.aliases import ColumnMap, read_column_map
from geo.crs import wgs84_to_offset
from geo.errors import CRSError, InputError
from geo.load import (
    CrsIgnored,
    apply_column_map,
    find_sources,
    read_file,
    read_layers,
    write_layers,
)
from geo.validate import validate_layers
from tests.conftest import TODAY


def _write_all(frames: dict[str, gpd.GeoDataFrame], folder: Path, suffix: str, driver: str) -> None:
    folder.mkdir(exist_ok=True)
    for name, frame in frames.items():
        with warnings.catch_warnings():
            # Shapefiles cut field names at 10 characters; the loader maps them back.
            warnings.filterwarnings("ignore", "Column names longer than 10", UserWarning)
            warnings.filterwarnings("ignore", "Normalized/laundered field name", RuntimeWarning)
            warnings.filterwarnings("ignore", "Field .* created as String field", RuntimeWarning)
            if driver == "ESRI Shapefile" and name == "waters":
                # one geometry type per Shapefile: lines and ponds in two files
                for kind, part in frame.groupby(frame.geom_type):
                    part.to_file(folder / f"waters_{kind.lower()}.shp", engine="pyogrio")
                continue
            frame.to_file(folder / f"{name}{suffix}", driver=driver, engine="pyogrio")


@pytest.mark.parametrize(
    ("suffix", "driver"), [(".geojson", "GeoJSON"), (".shp", "ESRI Shapefile"), (".gpkg", "GPKG")]
)
def test_folder_of_files_round_trips(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path, suffix: str, driver: str
) -> None:
    _write_all(frames, tmp_path / "in", suffix, driver)
    raw = read_layers(tmp_path / "in")
    assert set(raw) == set(frames)
    layers, report = validate_layers(raw, today=TODAY)
    assert report.ok, report.lines("en")
    assert layers.households["left_behind"].tolist() == [2, 0, 1]
    assert layers.households["village_code"].tolist() == ["420001001", "420001002", "420001002"]
    assert_geoseries_equal(
        layers.households.geometry, frames["households"].geometry, check_less_precise=True
    )


def test_one_geopackage_with_a_layer_per_schema(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    path = write_layers(frames, tmp_path / "all.gpkg")
    assert set(find_sources(path)) == set(frames)
    raw = read_layers(path)
    _, report = validate_layers(raw, today=TODAY)
    assert report.ok, report.lines("en")
    # a folder holding just that GeoPackage reads the same
    assert set(read_layers(tmp_path)) == set(frames)


def test_zipped_shapefile(frames: dict[str, gpd.GeoDataFrame], tmp_path: Path) -> None:
    shp = tmp_path / "shp"
    shp.mkdir()
    frames["schools"].to_file(shp / "schools.shp", engine="pyogrio")
    with zipfile.ZipFile(tmp_path / "schools.zip", "w") as zf:
        for part in shp.iterdir():
            zf.write(part, part.name)
    frame = read_file(tmp_path / "schools.zip")
    assert frame["name"].tolist() == ["东村小学"]
    assert frame.crs.to_epsg() == 4326


def _households_csv(frames: dict[str, gpd.GeoDataFrame]) -> str:
    hh = frames["households"]
    lines = ["户编号,村代码,儿童数,留守儿童数,困境儿童数,孤儿数,经度,纬度"]
    for row in hh.itertuples():
        lines.append(
            f"{row.id},{row.village_code},{row.children},{row.left_behind},{row.in_difficulty},"
            f"{row.orphan},{row.geometry.x},{row.geometry.y}"
        )
    return "\n".join(lines) + "\n"


def test_csv_with_chinese_columns_needs_crs(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "households.csv").write_text(_households_csv(frames), encoding="utf-8")
    with pytest.raises(
        CRSError, match=r"households\.csv \(layer 'households'\) states no CRS; pass --crs"
    ):
        read_layers(folder)
    raw = read_layers(folder, crs="EPSG:4326")
    hh = raw["households"]
    assert {"id", "village_code", "children", "left_behind", "in_difficulty", "orphan"} <= set(
        hh.columns
    )
    assert hh.to_crs(32649).distance(frames["households"].to_crs(32649)).max() < 0.01


def test_csv_in_gbk_from_excel(frames: dict[str, gpd.GeoDataFrame], tmp_path: Path) -> None:
    path = tmp_path / "households.csv"
    path.write_bytes(_households_csv(frames).encode("gbk"))
    frame = read_file(path)
    assert "村代码" in frame.columns and len(frame) == 3


def test_csv_without_coordinates_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "households.csv"
    path.write_text("id,children\nH1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no coordinates: give longitude/latitude columns"):
        read_file(path)


def test_gcj02_csv_is_converted_to_wgs84(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    shifted = frames.copy()
    shifted["households"] = wgs84_to_offset(frames["households"], "gcj02")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "households.csv").write_text(_households_csv(shifted), encoding="utf-8")
    raw = read_layers(folder, crs="gcj02")
    metres = raw["households"].to_crs(32649).distance(frames["households"].to_crs(32649))
    assert metres.max() < 1.0


def test_projected_cgcs2000_file_is_reprojected(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # CGCS2000 / 3-degree Gauss-Kruger CM 114E, the projection Chinese surveys deliver
    frames["schools"].to_crs(4547).to_file(folder / "schools.gpkg", engine="pyogrio")
    raw = read_layers(folder)
    assert raw["schools"].crs.to_epsg() == 4326
    assert raw["schools"].to_crs(32649).distance(frames["schools"].to_crs(32649)).max() < 0.01
    notes: list[CrsIgnored] = []
    raw = read_layers(folder, crs="EPSG:32649", notes=notes)  # the file's CRS wins
    assert raw["schools"].to_crs(32649).distance(frames["schools"].to_crs(32649)).max() < 0.01
    assert [n.source for n in notes] == ["schools.gpkg:schools"]
    assert "CGCS2000" in notes[0].stated and notes[0].given == "EPSG:32649"


def _moved_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    return float(a.to_crs(32649).distance(b.to_crs(32649)).max())


@pytest.mark.parametrize("offset", ["gcj02", "bd09"])
def test_a_wgs84_geopackage_is_not_moved_by_an_offset_crs(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path, offset: str
) -> None:
    # Issue 16: --crs gcj02 shifted every file by ~620 m, GeoPackages that declare WGS84 too.
    path = tmp_path / "county.gpkg"
    write_layers(frames, path)
    notes: list[CrsIgnored] = []
    raw = read_layers(path, crs=offset, notes=notes)
    for name, frame in frames.items():
        assert _moved_m(raw[name], frame) < 0.01, name
    assert {n.source for n in notes} == {f"county.gpkg:{name}" for name in frames}
    en, zh = notes[0].line("en"), notes[0].line("zh")
    assert f"the given CRS {offset} was ignored for this file" in en and "WGS 84" in en
    assert f"给定的 {offset} 对该文件未使用" in zh


def test_a_gcj02_csv_moves_by_the_known_offset(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    # The published Shanghai pair (eviltransform): WGS84 (31.1774276, 121.5272106) is GCJ-02
    # (31.17530398364597, 121.531541859215); read as gcj02 the CSV point comes back to WGS84.
    path = tmp_path / "schools.csv"
    path.write_text("id,lon,lat\nS1,121.531541859215,31.17530398364597\n", encoding="utf-8")
    notes: list[CrsIgnored] = []
    frame = read_layers(tmp_path, crs="gcj02", notes=notes)["schools"]
    wgs = gpd.GeoDataFrame(geometry=[Point(121.5272106, 31.1774276)], crs=4326)
    assert _moved_m(frame, wgs) < 0.5 and notes == []


def test_geojson_states_a_crs_only_with_a_crs_member(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    # GDAL reports WGS84 for every GeoJSON; only one with a crs member states it.
    gcj = wgs84_to_offset(frames["schools"], "gcj02")
    plain, named = tmp_path / "plain" / "schools.geojson", tmp_path / "named" / "schools.geojson"
    for path in (plain, named):
        path.parent.mkdir()
    plain.write_text(gcj.to_json(), encoding="utf-8")
    member = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    named.write_text(json.dumps({**json.loads(frames["schools"].to_json()), "crs": member}))
    notes: list[CrsIgnored] = []
    from_plain = read_layers(plain.parent, crs="gcj02", notes=notes)["schools"]
    assert _moved_m(from_plain, frames["schools"]) < 1.0 and notes == []
    from_named = read_layers(named.parent, crs="gcj02", notes=notes)["schools"]
    assert _moved_m(from_named, frames["schools"]) < 0.01
    assert [n.source for n in notes] == ["schools.geojson"]
    assert _moved_m(read_layers(plain.parent)["schools"], gcj) < 0.01  # RFC 7946: WGS84


def test_paris_is_not_moved_by_gcj02(tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    path.write_text("id,lon,lat\nS1,2.2945,48.8584\n", encoding="utf-8")
    frame = read_layers(tmp_path, crs="gcj02")["schools"]
    assert (frame.geometry.x[0], frame.geometry.y[0]) == (2.2945, 48.8584)


def test_column_mapping_file(frames: dict[str, gpd.GeoDataFrame], tmp_path: Path) -> None:
    mapping = tmp_path / "columns.toml"
    mapping.write_text(
        '[all]\n"编码" = "id"\n\n[schools]\n"学校名称" = "name"\n"学段" = "kind"\n\n'
        '[values.schools.kind]\n"完小" = "primary"\n',
        encoding="utf-8",
    )
    cmap = read_column_map(mapping)
    schools = frames["schools"].rename(columns={"id": "编码", "name": "学校名称", "kind": "学段"})
    schools["学段"] = ["完小"]
    renamed = apply_column_map(schools, "schools", cmap)
    assert {"id", "name", "kind"} <= set(renamed.columns)
    frames["schools"] = renamed
    layers, report = validate_layers(frames, column_map=cmap, today=TODAY)
    assert report.ok, report.lines("en")
    assert layers.schools["kind"].tolist() == ["primary"]


def test_column_mapping_file_errors(tmp_path: Path) -> None:
    mapping = tmp_path / "columns.toml"
    mapping.write_text('[householdz]\n"a" = "id"\n\n[schools]\n"b" = "colour"\n', encoding="utf-8")
    with pytest.raises(
        InputError, match=r"unknown layer \[householdz\].*\n.*maps to unknown column 'colour'"
    ):
        read_column_map(mapping)
    with pytest.raises(InputError, match="does not exist"):
        read_column_map(tmp_path / "nope.toml")


def test_unreadable_sources(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_layers(tmp_path / "missing")
    bad = tmp_path / "roads.kml"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"expected one of \.gpkg"):
        read_file(bad)
    broken = tmp_path / "roads.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot read 'roads\.geojson'"):
        read_file(broken)


def test_mapping_prefers_exact_names() -> None:
    frame = gpd.GeoDataFrame({"ID": ["a"], "名称": ["x"]}, geometry=[Point(0, 0)], crs=4326)
    out = apply_column_map(frame, "schools", ColumnMap())
    assert list(out.columns) == ["id", "name", "geometry"]


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("schools.csv", b"id,name,lon,lat\nS1,a\x00b,112.9,29.8\n", "line 2 holds a NUL"),
        (
            "schools.geojson",
            b'{"type": "FeatureCollection",\n"features": [{"x": "a\\u0000"}]}',
            "line 2 holds a NUL",
        ),
        ("schools.csv", "id,lon\n".encode("utf-16"), "saved as UTF-16; save it as UTF-8"),
    ],
)
def test_a_nul_in_a_text_file_is_refused_naming_the_line(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    # GDAL ends a value at a NUL, so the rest of the row was lost silently (issue 16).
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"{name}.*{says}"):
        read_file(path)


def test_an_empty_categorical_column_is_a_problem_not_a_crash(
    frames: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    # pandas maps an all-empty column to a null dtype that isin could not take: a traceback.
    (tmp_path / "schools.csv").write_text(
        "id,name,kind,pupils,lon,lat\nS1,东村小学,,120,112.9,29.8\n", encoding="utf-8"
    )
    frames["schools"] = read_layers(tmp_path, crs="EPSG:4326")["schools"]
    _, report = validate_layers(frames, today=TODAY)
    assert [p.line("en") for p in report.errors] == [
        "[error] schools: required column kind has 1 empty value(s) (e.g. S1) "
        "(at schools.csv row(s) 2)"
    ]
