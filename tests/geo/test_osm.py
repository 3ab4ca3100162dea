"""OpenStreetMap import: tag mapping, the GDAL file reader, the osmnx path and their errors.

Real data: the extracts pyrosm ships (``test.osm.pbf``, a corner of Kotka, and
``Helsinki.osm.pbf``, central Helsinki). Expected counts are computed independently in the tests
from GDAL's raw layers (own tag parsing, own filters), never through ``geo._osm``.
``tests/data/osm/village.osm`` is a hand-written XML extract of a made-up Chinese village with
one feature per rule; its expected layers are written out below.
"""

from __future__ import annotations

import functools
import json
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import osmnx as ox
import pandas as pd
import pyogrio
import pyrosm
import pytest
import requests
import shapely

from geo import _osm
from geo.errors import InputError
from geo.layers import empty_layer
from geo.osm import OSMNX_TAGS, features_from_osmnx, layers_from_osm_file, layers_from_place
from geo.schemas import SCHEMAS, WATER_LINE_KINDS, WATER_POLYGON_KINDS

PYROSM_DATA = Path(pyrosm.__file__).parent / "data"
KOTKA = PYROSM_DATA / "test.osm.pbf"
HELSINKI = PYROSM_DATA / "Helsinki.osm.pbf"
VILLAGE = Path(__file__).parents[1] / "data" / "osm" / "village.osm"

# The walkable highway values, written out again here (not imported) for independent counts.
WALKABLE = {
    "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link", "tertiary",
    "tertiary_link", "unclassified", "residential", "living_street", "service", "track", "path",
    "footway", "pedestrian", "steps", "cycleway",
}  # fmt: skip


def hstore(text: object) -> dict[str, str]:
    """GDAL's other_tags as a dict, parsed as JSON (independent of geo._osm.parse_other_tags)."""
    if not isinstance(text, str):
        return {}
    result: dict[str, str] = json.loads("{" + text.replace('"=>"', '":"') + "}", strict=False)
    return result


@functools.cache
def raw(path: Path, layer: str) -> pd.DataFrame:
    """A GDAL OSM layer with its other_tags parsed, read directly through pyogrio (cached)."""
    with warnings.catch_warnings():
        # Helsinki.osm.pbf is clipped: GDAL warns while it assembles relations whose member ways
        # were cut away. Only the tags are read here, so those warnings do not matter.
        warnings.filterwarnings("ignore", "Non closed ring detected", RuntimeWarning)
        warnings.filterwarnings("ignore", r"organizePolygons\(\) received", RuntimeWarning)
        df = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
    df["tags"] = df["other_tags"].map(hstore)
    return df


def tag(df: pd.DataFrame, key: str) -> pd.Series:
    return df["tags"].map(lambda t: t.get(key))


@pytest.fixture(scope="module")
def imported() -> dict[Path, dict[str, gpd.GeoDataFrame]]:
    return {path: layers_from_osm_file(path) for path in (KOTKA, HELSINKI)}


# --- pure mapping ----------------------------------------------------------------------------


def test_parse_other_tags_unescapes() -> None:
    text = r'"note"=>"say \"hi\"","a\\b"=>"c","name:zh"=>"东塘, 西塘"'
    assert _osm.parse_other_tags(text) == {"note": 'say "hi"', "a\\b": "c", "name:zh": "东塘, 西塘"}
    assert _osm.parse_other_tags("") == {}
    assert _osm.parse_other_tags(None) == {}


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"waterway": "river"}, "river"),
        ({"waterway": "canal"}, "canal"),
        ({"waterway": "stream"}, "stream"),
        ({"waterway": "ditch"}, "ditch"),
        ({"waterway": "drain"}, "ditch"),
        ({"waterway": "drain", "tunnel": "yes"}, None),  # a storm drain underground
        ({"waterway": "stream", "tunnel": "culvert"}, None),
        ({"waterway": "stream", "tunnel": "no"}, "stream"),
        ({"waterway": "riverbank"}, None),
        ({"waterway": "dam"}, None),
        ({"highway": "residential"}, None),
    ],
)
def test_water_line_kind(tags: dict[str, str], kind: str | None) -> None:
    assert _osm.water_line_kind(tags) == kind


@pytest.mark.parametrize(
    ("tags", "area_m2", "kind"),
    [
        ({"natural": "water", "water": "pond"}, 50_000.0, "pond"),  # the tag wins over the area
        ({"natural": "water", "water": "basin"}, 100.0, "pond"),
        ({"natural": "water", "water": "reservoir"}, 100.0, "reservoir"),
        ({"natural": "water", "water": "lake"}, 100.0, "lake"),
        ({"natural": "water"}, 9_999.0, "pond"),
        ({"natural": "water"}, 10_000.0, "lake"),
        ({"natural": "water", "water": "shallow"}, 2_925.0, "pond"),  # unknown value: by area
        ({"landuse": "reservoir"}, 100.0, "reservoir"),
        ({"landuse": "basin"}, 50_000.0, "pond"),
        ({"landuse": "reservoir", "water": "lake"}, 100.0, "lake"),
        ({"natural": "water", "water": "river"}, 100.0, None),  # the river line represents it
        ({"natural": "water", "water": "canal"}, 100.0, None),
        ({"natural": "water", "waterway": "riverbank"}, 100.0, None),
        ({"waterway": "riverbank"}, 100.0, None),
        ({"natural": "wetland"}, 100.0, None),
        # issue 22: a campus reflecting pool, a fountain or a pool is no pond
        ({"natural": "water", "water": "reflecting_pool"}, 300.0, None),
        ({"natural": "water", "water": "fountain"}, 30.0, None),
        ({"natural": "water", "amenity": "fountain"}, 30.0, None),
        ({"natural": "water", "leisure": "swimming_pool"}, 300.0, None),
        ({"natural": "water", "water": "wastewater"}, 3000.0, None),
        ({"landuse": "basin", "covered": "yes"}, 3000.0, None),
        ({"landuse": "farmland"}, 100.0, None),
    ],
)
def test_water_area_kind(tags: dict[str, str], area_m2: float, kind: str | None) -> None:
    assert _osm.water_area_kind(tags, area_m2) == kind


@pytest.mark.parametrize(
    ("width", "metres"),
    [("80", 80.0), ("4 m", 4.0), ("3,5", 3.5), ("2.5m", 2.5), ("10 ft", 3.048), ("12米", 12.0),
     ("3-5", None), ("wide", None), ("", None)],
)  # fmt: skip
def test_width_m(width: str, metres: float | None) -> None:
    assert _osm.width_m({"width": width} if width else {}) == metres


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"amenity": "school"}, "primary"),
        ({"amenity": "school", "name": "城关镇第一中学"}, "middle"),
        ({"amenity": "school", "name": "和平村初中"}, "middle"),
        ({"amenity": "school", "name": "平江县第三高中"}, "middle"),
        ({"amenity": "school", "name": "城关中心小学"}, "primary"),  # 中心 is not 中学
        ({"amenity": "school", "name": "XX中学附属小学"}, "primary"),
        ({"amenity": "school", "name": "阳光幼儿园"}, "kindergarten"),
        ({"amenity": "school", "name": "Pingjiang Middle School"}, "middle"),
        ({"amenity": "school", "name:zh": "长寿镇中学", "name": "Changshou"}, "middle"),
        ({"amenity": "school", "isced:level": "2"}, "middle"),
        ({"amenity": "school", "isced:level": "2;3"}, "middle"),
        ({"amenity": "school", "isced:level": "1;2", "name": "九年一贯制中学"}, "primary"),
        ({"amenity": "school", "isced:level": "1-3"}, "primary"),
        ({"amenity": "school", "isced:level": "0"}, "kindergarten"),
        ({"amenity": "school", "school:level": "middle"}, "middle"),
        ({"amenity": "kindergarten", "name": "城关中学"}, "kindergarten"),
        ({"amenity": "childcare"}, None),
        ({"amenity": "college"}, None),
        ({"amenity": "university", "name": "深圳大学"}, None),
        ({"building": "school"}, None),
        # issue 22: vocational and tertiary schools are left out, levels come from school:*
        ({"amenity": "school", "name": "深圳市龙岗职业技术学校"}, None),
        ({"amenity": "school", "name": "平江县职业中学"}, None),  # 中学 last, but vocational
        ({"amenity": "school", "name": "大兴区第一中等专业学校"}, None),
        ({"amenity": "school", "name": "北京信息职业技术学院"}, None),
        ({"amenity": "school", "name": "华中师范大学附属小学"}, "primary"),  # the last word
        ({"amenity": "school", "name": "北京师范大学大兴附属中学"}, "middle"),
        ({"amenity": "school", "name": "龙岗区龙城小学附属幼儿园"}, "kindergarten"),
        ({"amenity": "school", "isced:level": "4"}, None),
        ({"amenity": "school", "isced:level": "5;6"}, None),
        ({"amenity": "school", "isced:level": "3", "name": "Ressun lukio"}, "middle"),
        ({"amenity": "school", "name": "Ressun lukio"}, "middle"),  # Helsinki upper secondary
        ({"amenity": "school", "name": "Kruununhaan yläasteen koulu"}, "middle"),
        ({"amenity": "school", "name": "Kaisaniemen ala-aste"}, "primary"),
        ({"amenity": "school", "school": "vocational", "name": "城关学校"}, None),
        ({"amenity": "school", "school:type": "vocational"}, None),
        ({"amenity": "school", "school:level": "kindergarten;primary"}, "kindergarten"),
        ({"amenity": "school", "school": "primary", "name": "城关学校"}, "primary"),
        ({"amenity": "school", "school:level": "secondary", "name": "龙岗学校"}, "middle"),
        ({"amenity": "school", "name:en": "Longgang Vocational School", "name": "龙岗学校"}, None),
        ({"amenity": "school", "isced:level": "1;2", "name": "职业学校"}, "primary"),
    ],
)
def test_school_kind(tags: dict[str, str], kind: str | None) -> None:
    assert _osm.school_kind(tags) == kind


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"highway": "trunk"}, "primary"),
        ({"highway": "primary_link"}, "primary"),
        ({"highway": "secondary"}, "secondary"),
        ({"highway": "tertiary_link"}, "tertiary"),
        ({"highway": "unclassified"}, "village_road"),
        ({"highway": "residential"}, "village_road"),
        ({"highway": "living_street"}, "village_road"),
        ({"highway": "service"}, "village_road"),
        ({"highway": "track"}, "track"),
        ({"highway": "path"}, "path"),
        ({"highway": "footway"}, "path"),
        ({"highway": "pedestrian"}, "path"),
        ({"highway": "steps"}, "path"),
        ({"highway": "cycleway"}, "path"),
        ({"highway": "residential", "bridge": "yes"}, "bridge"),
        ({"highway": "track", "bridge": "viaduct"}, "bridge"),
        ({"highway": "track", "bridge": "no"}, "track"),
        ({"highway": "motorway"}, None),
        ({"highway": "motorway_link"}, None),
        ({"highway": "proposed"}, None),
        ({"highway": "construction"}, None),
        ({"highway": "abandoned"}, None),
        ({"highway": "bus_stop"}, None),
        ({"highway": "service", "access": "private"}, None),
        ({"highway": "track", "access": "no"}, None),
        ({"highway": "track", "access": "no", "foot": "yes"}, "track"),
        ({"highway": "service", "access": "private", "foot": "designated"}, "village_road"),
        ({"highway": "service", "access": "destination"}, "village_road"),
        ({"highway": "cycleway", "foot": "no"}, None),
        ({"highway": "pedestrian", "area": "yes"}, None),
        ({"waterway": "river"}, None),
    ],
)
def test_road_kind(tags: dict[str, str], kind: str | None) -> None:
    assert _osm.road_kind(tags) == kind


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"amenity": "social_facility", "social_facility": "group_home",
          "social_facility:for": "orphan"}, "welfare_institution"),
        ({"social_facility": "group_home", "social_facility:for": "child"}, "welfare_institution"),
        ({"amenity": "social_facility", "social_facility": "shelter",
          "social_facility:for": "juvenile;homeless"}, "welfare_institution"),
        ({"amenity": "social_facility", "social_facility": "day_care",
          "social_facility:for": "child"}, "other_station"),
        ({"amenity": "social_facility", "social_facility:for": "child",
          "name": "和平村儿童之家"}, "children_home"),
        ({"amenity": "social_facility", "social_facility:for": "child",
          "name": "长寿镇未成年人保护工作站"}, "township_workstation"),
        ({"amenity": "social_facility", "social_facility:for": "juvenile",
          "name": "平江县未成年人救助保护中心"}, "county_institution"),
        ({"amenity": "social_facility", "social_facility:for": "orphan",
          "name": "岳阳市儿童福利院"}, "welfare_institution"),
        ({"amenity": "orphanage"}, "welfare_institution"),
        ({"amenity": "social_facility", "social_facility": "nursing_home",
          "social_facility:for": "senior"}, None),
        ({"amenity": "social_facility"}, None),
        ({"amenity": "childcare", "name": "托儿所"}, None),
        ({"amenity": "kindergarten", "social_facility:for": "child"}, None),
    ],
)  # fmt: skip
def test_facility_kind(tags: dict[str, str], kind: str | None) -> None:
    assert _osm.facility_kind(tags) == kind


@pytest.mark.parametrize(
    ("tags", "pupils"),
    [({"capacity": "480"}, 480), ({"student:count": "1200", "capacity": "1500"}, 1200),
     ({"capacity": "about 300"}, None), ({}, None)],
)  # fmt: skip
def test_school_pupils(tags: dict[str, str], pupils: int | None) -> None:
    assert _osm.school_pupils(tags) == pupils


def test_osm_name_prefers_chinese() -> None:
    assert _osm.osm_name({"name": "Miluo", "name:zh": "汨罗江"}) == "汨罗江"
    assert _osm.osm_name({"name": "Miluo", "name:zh": " "}) == "Miluo"
    assert _osm.osm_name({"ref": "S308"}) is None


# --- checks shared by every import ---------------------------------------------------------


def check_layers(layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Schema columns and dtypes, CRS, geometry types, unique ids and allowed values."""
    assert set(layers) == {"waters", "schools", "roads", "facilities"}
    for name, frame in layers.items():
        schema = SCHEMAS[name]
        assert [c for c in frame.columns if c != "geometry"] == schema.column_names
        assert frame.drop(columns="geometry").dtypes.equals(
            empty_layer(name).drop(columns="geometry").dtypes
        ), name
        assert frame.crs is not None and frame.crs.to_epsg() == 4326
        assert frame["id"].is_unique and frame["id"].str.fullmatch(r"(node|way|relation)/\d+").all()
        assert frame.geometry.notna().all() and not frame.geometry.is_empty.any()
        for column in schema.columns:
            if column.allowed is not None:
                assert frame[column.name].dropna().isin(column.allowed).all(), (name, column.name)
            if column.required:
                assert frame[column.name].notna().all(), (name, column.name)
    waters = layers["waters"]
    is_line = waters["kind"].isin(WATER_LINE_KINDS)
    assert waters["kind"].isin(WATER_LINE_KINDS + WATER_POLYGON_KINDS).all()
    assert waters.geometry[is_line].geom_type.isin(["LineString", "MultiLineString"]).all()
    assert waters.geometry[~is_line].geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert waters.geometry[~is_line].is_valid.all()
    assert (layers["roads"].geometry.geom_type == "LineString").all()
    assert (layers["schools"].geometry.geom_type == "Point").all()
    assert (layers["facilities"].geometry.geom_type == "Point").all()


# --- the hand-written village ---------------------------------------------------------------

VILLAGE_WATERS = {  # id: (name, kind, width_m)
    "way/101": ("汨罗江", "river", 80.0),  # name:zh preferred over name
    "way/102": (None, "ditch", None),  # waterway=drain
    # way/103: stream in a culvert, skipped
    "way/104": ("红旗渠", "canal", 4.0),  # width=4 m
    "way/201": ("东塘", "pond", None),  # water=pond
    "way/202": ("铁山水库", "reservoir", None),  # landuse=reservoir
    # way/203: natural=water + water=river, skipped
    "way/204": (None, "lake", None),  # 0.002° x 0.002° at 28.7°N: about 4.3 ha
    "way/205": (None, "pond", None),  # 0.0005° x 0.0005°: about 0.27 ha
    "relation/301": ("大湖", "lake", None),  # multipolygon with an island
}
VILLAGE_ROADS = {
    "way/401": ("primary", "S308"),
    "way/402": ("village_road", "和平村路"),
    "way/403": ("track", None),
    "way/404": ("bridge", None),  # footway, bridge=yes
    # way/405 motorway, way/406 access=private, way/409 construction, way/411 foot=no: skipped
    "way/407": ("path", None),  # access=no but foot=yes
    "way/408": ("primary", None),  # trunk_link
    "way/410": ("path", None),  # steps
}
VILLAGE_SCHOOLS = {
    "node/501": ("城关小学", "primary"),
    "way/502": ("平江县第一中学", "middle"),  # a building polygon -> its representative point
    "node/503": ("未命名幼儿园 node/503", "kindergarten"),
    "node/504": ("未命名学校 node/504", "middle"),  # isced:level=2
}
VILLAGE_FACILITIES = {  # 603 (senior nursing home) and 604 (childcare) are skipped
    "node/601": ("平江县儿童福利院", "welfare_institution", 40),
    "node/602": ("和平村儿童之家", "children_home", None),
}


def as_dict(frame: gpd.GeoDataFrame, columns: list[str]) -> dict[str, tuple[object, ...]]:
    values = frame[columns].astype(object).where(frame[columns].notna(), None)
    return {
        i: tuple(row) for i, row in zip(frame["id"], values.itertuples(index=False), strict=True)
    }


def check_village(layers: dict[str, gpd.GeoDataFrame]) -> None:
    check_layers(layers)
    assert as_dict(layers["waters"], ["name", "kind", "width_m"]) == VILLAGE_WATERS
    assert as_dict(layers["roads"], ["kind", "name"]) == VILLAGE_ROADS
    assert as_dict(layers["schools"], ["name", "kind"]) == VILLAGE_SCHOOLS
    assert as_dict(layers["facilities"], ["name", "kind", "capacity"]) == VILLAGE_FACILITIES
    waters = layers["waters"].set_index("id")
    lake = waters.geometry["relation/301"]
    assert lake.geom_type == "Polygon" and len(lake.interiors) == 1
    assert (
        waters.loc["way/101", "depth_class"] == "unknown"
        and waters.loc["way/101", "use"] == "unknown"
    )
    school = layers["schools"].set_index("id").geometry["way/502"]
    assert school.within(shapely.box(113.505, 28.720, 113.506, 28.721))
    facilities = layers["facilities"].set_index("id")
    assert facilities.loc["node/602", "opening_hours"] == "Sa-Su 09:00-17:00"


@pytest.fixture(scope="module")
def village_progress() -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    messages: list[str] = []
    return layers_from_osm_file(VILLAGE, progress=messages.append), messages


def test_village_xml_through_gdal(
    village_progress: tuple[dict[str, gpd.GeoDataFrame], list[str]],
) -> None:
    layers, messages = village_progress
    check_village(layers)
    for step in ("reading lines", "reading multipolygons", "reading points", "building layers"):
        assert any(m.startswith(step) for m in messages), (step, messages)


def test_village_xml_through_osmnx_matches_gdal(
    village_progress: tuple[dict[str, gpd.GeoDataFrame], list[str]],
) -> None:
    """The osmnx branch (the one layers_from_place uses) builds the same layers."""
    via_osmnx = _osm.build_layers(
        features_from_osmnx(ox.features_from_xml(VILLAGE, tags=OSMNX_TAGS))
    )
    check_village(via_osmnx)
    via_gdal = village_progress[0]
    for name in via_gdal:
        a = via_gdal[name].sort_values("id", ignore_index=True)
        b = via_osmnx[name].sort_values("id", ignore_index=True)
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
        assert a.geometry.geom_equals(b.geometry).all(), name


def test_place_download_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """layers_from_place end to end, with Nominatim and Overpass replaced by the village."""
    boundary = shapely.box(113.49, 28.69, 113.53, 28.73)
    seen: dict[str, object] = {}

    def geocode(query: str) -> gpd.GeoDataFrame:
        seen["query"] = query
        return gpd.GeoDataFrame(geometry=[boundary], crs="EPSG:4326")

    def download(polygon: object, tags: dict[str, bool | str | list[str]]) -> gpd.GeoDataFrame:
        seen["polygon"], seen["tags"] = polygon, tags
        return ox.features_from_xml(VILLAGE, tags=tags)

    monkeypatch.setattr(ox, "geocode_to_gdf", geocode)
    monkeypatch.setattr(ox, "features_from_polygon", download)
    messages: list[str] = []
    check_village(layers_from_place("和平村, 平江县", progress=messages.append))
    assert seen == {"query": "和平村, 平江县", "polygon": boundary, "tags": OSMNX_TAGS}
    assert any("Overpass" in m for m in messages)


def _raiser(exc: Exception) -> Callable[..., gpd.GeoDataFrame]:
    def fail(*args: object, **kwargs: object) -> gpd.GeoDataFrame:
        raise exc

    return fail


@pytest.mark.parametrize(
    "exc",
    [
        requests.ConnectionError("Name or service not known"),
        ox._errors.InsufficientResponseError("Nominatim geocoder returned 0 results"),
        TypeError("Nominatim did not geocode query to a geometry of type (Multi)Polygon"),
    ],
)
def test_place_geocoding_failure(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    monkeypatch.setattr(ox, "geocode_to_gdf", _raiser(exc))
    with pytest.raises(InputError, match=r"could not download .*'不存在县'.*--file") as info:
        layers_from_place("不存在县")
    assert info.value.__cause__ is exc


@pytest.mark.parametrize(
    "exc",
    [
        requests.ReadTimeout("read timed out"),
        ox._errors.ResponseStatusCodeError("Overpass server responded 504"),
        ox._errors.InsufficientResponseError("No matching features"),
    ],
)
def test_place_download_failure(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    boundary = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326")
    monkeypatch.setattr(ox, "geocode_to_gdf", lambda query: boundary)
    monkeypatch.setattr(ox, "features_from_polygon", _raiser(exc))
    with pytest.raises(InputError, match=r"offline, download an extract \(\.osm\.pbf\)"):
        layers_from_place("平江县")


# --- errors of the file reader ----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "county.osm.pbf"
    with pytest.raises(
        InputError, match=r"not found: .*county\.osm\.pbf.*\.osm, \.osm\.pbf, \.pbf"
    ):
        layers_from_osm_file(path)


@pytest.mark.parametrize("name", ["roads.shp", "county.osm.bz2", "county.geojson"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("x")
    with pytest.raises(InputError, match=re.escape(name) + r".*accepted extensions: \.osm, "):
        layers_from_osm_file(path)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm.pbf"
    path.write_bytes(KOTKA.read_bytes()[:60_000])  # a truncated download
    with pytest.raises(InputError, match=r"broken\.osm\.pbf: cannot read it as OpenStreetMap"):
        layers_from_osm_file(path)


def _square(way: int, first: int, lon: float, lat: float, side: float, tags: str) -> str:
    """An OSM XML closed way (four new nodes from ``first``) with the given tag elements."""
    corners = [(lon, lat), (lon + side, lat), (lon + side, lat + side), (lon, lat + side)]
    nodes = "".join(
        f'<node id="{first + i}" lat="{y}" lon="{x}"/>' for i, (x, y) in enumerate(corners)
    )
    refs = "".join(f'<nd ref="{first + i}"/>' for i in (0, 1, 2, 3, 0))
    return f'{nodes}<way id="{way}">{refs}{tags}</way>\n'


def test_campus_snippet_schools_and_waters(tmp_path: Path) -> None:
    """Hand-written: a vocational college with a reflecting pool, a middle school, a pond."""

    def t(k: str, v: str) -> str:
        return f'<tag k="{k}" v="{v}"/>'

    path = tmp_path / "campus.osm"
    body = (
        _square(1, 10, 114.20, 22.70, 0.003, t("amenity", "school") + t("name", "龙岗职业技术学校"))
        + _square(2, 20, 114.201, 22.701, 0.0002, t("natural", "water") + t("water", "reflecting_pool"))
        + _square(3, 30, 114.21, 22.70, 0.002, t("amenity", "school") + t("name", "龙城初级中学")
                  + t("capacity", "1350"))
        + _square(4, 40, 114.22, 22.70, 0.0003, t("natural", "water"))
        + _square(5, 50, 114.23, 22.70, 0.0001, t("natural", "water") + t("amenity", "fountain"))
        + '<node id="60" lat="22.71" lon="114.2"><tag k="amenity" v="school"/>'
        '<tag k="name" v="深圳大学附属实验小学"/></node>\n'
        '<node id="61" lat="22.71" lon="114.21"><tag k="amenity" v="school"/>'
        '<tag k="name" v="龙岗区成人教育培训学校"/></node>\n'
    )  # fmt: skip
    path.write_text(f'<?xml version="1.0"?>\n<osm version="0.6">\n{body}</osm>\n', "utf-8")
    layers = layers_from_osm_file(path)
    schools = as_dict(layers["schools"], ["name", "kind", "pupils"])
    assert schools == {
        "way/3": ("龙城初级中学", "middle", 1350),
        "node/60": ("深圳大学附属实验小学", "primary", 0),
    }
    assert as_dict(layers["waters"], ["kind"]) == {"way/4": ("pond",)}


def test_file_without_usable_features(tmp_path: Path) -> None:
    path = tmp_path / "bench.osm"
    path.write_text(
        '<?xml version="1.0"?>\n<osm version="0.6">\n'
        '  <node id="1" lat="28.7" lon="113.5"><tag k="amenity" v="bench"/></node>\n</osm>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"waters, schools, roads, facilities all came out empty"):
        layers_from_osm_file(path)


# --- the real extracts ---------------------------------------------------------------------


def expected_roads(path: Path) -> pd.DataFrame:
    lines = raw(path, "lines")
    access, foot = tag(lines, "access"), tag(lines, "foot")
    closed = access.isin(["private", "no"]) & ~foot.isin(["yes", "designated", "permissive"])
    keep = lines["highway"].isin(WALKABLE) & ~closed & (foot != "no")
    return lines[keep]


@pytest.mark.parametrize("path", [KOTKA, HELSINKI], ids=["kotka", "helsinki"])
def test_real_extract_layers(imported: dict[Path, dict[str, gpd.GeoDataFrame]], path: Path) -> None:
    layers = imported[path]
    check_layers(layers)

    roads = expected_roads(path)
    assert len(layers["roads"]) == len(roads) > 0
    assert set(layers["roads"]["id"]) == {f"way/{i}" for i in roads["osm_id"]}
    bridges = tag(roads, "bridge").fillna("no") != "no"
    assert (layers["roads"]["kind"] == "bridge").sum() == bridges.sum() > 0

    points, polygons = raw(path, "points"), raw(path, "multipolygons")
    school_amenities = ["school", "kindergarten"]
    n_schools = tag(points, "amenity").isin(school_amenities).sum()
    n_schools += polygons["amenity"].isin(school_amenities).sum()
    assert len(layers["schools"]) == n_schools > 0

    lines = raw(path, "lines")
    open_water = lines["waterway"].isin(["river", "canal", "stream", "ditch", "drain"])
    open_water &= tag(lines, "tunnel").isna()
    standing = polygons["natural"].eq("water") | polygons["landuse"].isin(["reservoir", "basin"])
    standing &= ~tag(polygons, "water").isin(["river", "canal"])
    waters = layers["waters"]
    assert waters["kind"].isin(WATER_LINE_KINDS).sum() == open_water.sum()
    assert waters["kind"].isin(WATER_POLYGON_KINDS).sum() == standing.sum()


def test_kotka_known_features(imported: dict[Path, dict[str, gpd.GeoDataFrame]]) -> None:
    layers = imported[KOTKA]
    schools = layers["schools"].set_index("id")
    assert schools.loc["way/180464603", ["name", "kind"]].tolist() == ["Helilän koulu", "primary"]
    assert schools.loc["node/1324225776", ["name", "kind"]].tolist() == [
        "Otsonkallio",
        "kindergarten",
    ]
    # Malmingin päiväkoti is amenity=childcare: not taken as a school or a facility.
    assert not layers["schools"]["name"].str.contains("Malmingin").any()
    assert layers["facilities"].empty
    assert layers["waters"][["id", "kind"]].values.tolist() == [["way/94057525", "stream"]]
    # The access=private service road is left out of the walkable network.
    lines = raw(KOTKA, "lines")
    private = lines.loc[tag(lines, "access") == "private", "osm_id"]
    assert len(private) == 1 and f"way/{private.iloc[0]}" not in set(layers["roads"]["id"])


def test_helsinki_known_features(imported: dict[Path, dict[str, gpd.GeoDataFrame]]) -> None:
    layers = imported[HELSINKI]
    waters = layers["waters"].set_index("id")
    # natural=water + water=shallow, 2,925 m²: below 1 ha, so a pond.
    assert waters.loc["way/122872049", ["name", "kind"]].tolist() == ["Töölönlahti", "pond"]
    assert waters.loc["way/644615108", "kind"] == "stream"
    # Five waterway=drain in tunnel=yes (storm drains) are not open water.
    assert not waters.index.isin([f"way/{i}" for i in (679343936, 679343938, 679343942)]).any()
    assert (waters["kind"] == "pond").sum() == 14
    facilities = layers["facilities"].set_index("id")
    assert facilities.index.tolist() == ["node/6049453036"]  # the HIV outreach centre is not
    assert facilities.loc["node/6049453036", ["name", "kind"]].tolist() == [
        "Hoivanet Kids Park",
        "other_station",
    ]
    schools = layers["schools"].set_index("name")
    assert schools.loc["Kaisaniemen ala-aste", "kind"] == "primary"
    # issue 22: the upper-secondary lukio and the lower-secondary yläaste are no primary schools;
    # the college (amenity=college) and the university stay out.
    assert schools.loc["Ressun lukio", "kind"] == "middle"
    assert schools.loc["Kruununhaan yläasteen koulu", "kind"] == "middle"
    assert "Ruotsinkielinen sosiaalitieteiden koulu" not in schools.index
    point = schools.geometry["Kaisaniemen ala-aste"]
    assert shapely.box(24.935, 60.164, 24.954, 60.180).contains(point)


# --- the same extract as OSM XML -------------------------------------------------------------


@pytest.fixture(scope="module")
def kotka_xml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """test.osm.pbf converted to OSM XML with pyosmium."""
    osmium = pytest.importorskip("osmium")
    path = tmp_path_factory.mktemp("osm") / "kotka.osm"
    writer = osmium.SimpleWriter(str(path))
    for obj in osmium.FileProcessor(str(KOTKA)):
        writer.add(obj)
    writer.close()
    return path


def test_xml_and_pbf_agree(
    imported: dict[Path, dict[str, gpd.GeoDataFrame]], kotka_xml: Path
) -> None:
    from_xml = layers_from_osm_file(kotka_xml)
    for name, frame in imported[KOTKA].items():
        a = frame.sort_values("id", ignore_index=True)
        b = from_xml[name].sort_values("id", ignore_index=True)
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
        assert a.geometry.geom_equals_exact(b.geometry, tolerance=1e-7).all(), name


def test_osmnx_branch_on_real_xml(
    imported: dict[Path, dict[str, gpd.GeoDataFrame]], kotka_xml: Path
) -> None:
    """osmnx drops ways clipped by the extract's edge; everything else matches GDAL's import."""
    import osmium

    nodes: set[int] = set()
    clipped: set[str] = set()
    for obj in osmium.FileProcessor(str(kotka_xml)):
        if isinstance(obj, osmium.osm.Node):
            nodes.add(obj.id)
        elif isinstance(obj, osmium.osm.Way) and not all(n.ref in nodes for n in obj.nodes):
            clipped.add(f"way/{obj.id}")
    via_osmnx = _osm.build_layers(
        features_from_osmnx(ox.features_from_xml(kotka_xml, tags=OSMNX_TAGS))
    )
    check_layers(via_osmnx)
    for name, frame in imported[KOTKA].items():
        gdal = frame.set_index("id")
        osmnx = via_osmnx[name].set_index("id")
        assert set(osmnx.index) == set(gdal.index) - clipped, name
        assert osmnx["kind"].equals(gdal.loc[osmnx.index, "kind"]), name
    assert len(via_osmnx["roads"]) < len(imported[KOTKA]["roads"])  # the extract is clipped
