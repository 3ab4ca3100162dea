"""The embedded sample township: reproducible, committed as generated, and as specified."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from geo.schemas import DIFFICULTY_CATEGORIES, SCHEMAS
from sample_layers.generate import REFERENCE_DATE, SAMPLE_PATH, generate_sample, write_sample

Frames = dict[str, gpd.GeoDataFrame]

ID_PREFIXES = {
    "households": "H",
    "waters": "W",
    "equipment": "E",
    "schools": "S",
    "facilities": "F",
    "hazards": "Z",
    "incidents": "I",
    "roads": "R",
    "known_spots": "K",
}


@pytest.fixture(scope="module")
def sample() -> Frames:
    return generate_sample()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("first"))


def _read(path: Path, name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(path, layer=name, engine="pyogrio")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- reproducibility ---------------------------------------------------------------------------


def test_generation_is_deterministic(sample: Frames) -> None:
    again = generate_sample()
    assert list(again) == list(sample)
    for name in SCHEMAS:
        assert_geodataframe_equal(again[name], sample[name])


def test_another_seed_gives_another_township(sample: Frames) -> None:
    other = generate_sample(seed=7)
    assert not other["households"].geometry.equals(sample["households"].geometry)


def test_writing_is_byte_reproducible(written: Path, tmp_path: Path) -> None:
    again = write_sample(tmp_path)
    assert again.name == written.name
    assert _sha256(again) == _sha256(written)


def test_writing_replaces_an_existing_file(tmp_path: Path) -> None:
    (tmp_path / SAMPLE_PATH.name).write_bytes(b"stale")
    path = write_sample(tmp_path)
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_committed_sample_is_current(written: Path) -> None:
    for name in SCHEMAS:
        assert_geodataframe_equal(_read(SAMPLE_PATH, name), _read(written, name))


def test_committed_sample_is_small() -> None:
    assert SAMPLE_PATH.stat().st_size < 5 * 1024 * 1024


# --- schema ------------------------------------------------------------------------------------


_DTYPE_KINDS = {"str": ("string", "object"), "int": ("int64", "Int64"), "float": ("float64",)}


def test_layers_follow_the_schema(sample: Frames) -> None:
    assert list(sample) == list(SCHEMAS)
    for name, frame in sample.items():
        schema = SCHEMAS[name]
        assert frame.crs is not None and frame.crs.to_epsg() == 4326, name
        assert list(frame.columns) == [*schema.column_names, "geometry"], name
        assert set(frame.geom_type) <= set(schema.geometries), name
        for col in schema.columns:
            dtype = frame[col.name].dtype
            if col.dtype == "bool":
                assert str(dtype) == "bool", (name, col.name)
            elif col.dtype == "date":
                assert pd.api.types.is_datetime64_dtype(dtype), (name, col.name)
            else:
                assert str(dtype) in _DTYPE_KINDS[col.dtype], (name, col.name, dtype)
            if col.required:
                assert frame[col.name].notna().all(), (name, col.name)
            if col.minimum is not None:
                assert (frame[col.name].dropna() >= col.minimum).all(), (name, col.name)


def test_values_are_allowed(sample: Frames) -> None:
    for name, schema in SCHEMAS.items():
        for col in schema.columns:
            if col.allowed is None:
                continue
            values = sample[name][col.name].dropna()
            if col.multi:
                found = {part for v in values for part in str(v).split(";")}
            else:
                found = set(values.astype(str))
            assert found <= set(col.allowed), (name, col.name, found - set(col.allowed))


def test_ids_are_unique_and_prefixed(sample: Frames) -> None:
    assert sample["areas"]["code"].is_unique
    for name, prefix in ID_PREFIXES.items():
        ids = sample[name]["id"]
        assert ids.is_unique, name
        assert ids.str.startswith(prefix).all(), name


def test_geometries_are_valid_and_not_empty(sample: Frames) -> None:
    for name, frame in sample.items():
        assert shapely.is_valid(frame.geometry.values).all(), name
        assert not frame.geometry.is_empty.any(), name


def test_sample_lies_in_the_jianghan_plain(sample: Frames) -> None:
    minx, miny, maxx, maxy = sample["areas"].total_bounds
    assert 112.90 <= minx < maxx <= 113.02
    assert 29.78 <= miny < maxy <= 29.88


# --- contents ----------------------------------------------------------------------------------


def test_areas_nest(sample: Frames) -> None:
    areas = sample["areas"]
    county = areas[areas["level"] == "county"]
    townships = areas[areas["level"] == "township"]
    villages = areas[areas["level"] == "village"]
    assert len(county) == 1 and len(townships) == 2
    assert 10 <= len(villages) <= 14
    assert (townships["parent_code"] == county["code"].iloc[0]).all()
    assert villages["parent_code"].isin(townships["code"]).all()
    assert villages["code"].str.len().eq(12).all()
    tolerance = 1e-8  # square degrees, about 0.1 m²
    assert townships.union_all().symmetric_difference(county.union_all()).area < tolerance
    assert villages.union_all().symmetric_difference(townships.union_all()).area < tolerance
    village_area = shapely.area(villages.geometry.to_numpy()).sum()
    assert village_area == pytest.approx(county.geometry.iloc[0].area, rel=1e-6)


def test_counts_are_in_range(sample: Frames) -> None:
    households = sample["households"]
    waters = sample["waters"]
    facilities = sample["facilities"]
    assert 2_700 <= len(households) <= 3_300
    assert 800 <= households["left_behind"].sum() <= 1_000
    assert 200 <= households["in_difficulty"].sum() <= 300
    assert 35 <= (waters["kind"] == "pond").sum() <= 45
    assert (waters["kind"] == "reservoir").sum() == 1
    assert (waters["kind"] == "river").sum() >= 1
    assert len(sample["schools"]) == 6
    assert set(sample["schools"]["kind"]) == {"primary", "middle", "kindergarten"}
    homes = facilities[facilities["kind"] == "children_home"]
    assert (homes["floor_area_m2"] < 30).sum() == 1
    assert (facilities["kind"] == "township_workstation").sum() == 1
    assert (facilities["kind"] == "county_institution").sum() == 0
    assert 4 <= len(sample["incidents"]) <= 8
    assert 5 <= len(sample["known_spots"]) <= 10
    assert 150 <= len(sample["roads"]) <= 400


def test_households_lie_in_their_village(sample: Frames) -> None:
    households = sample["households"]
    villages = sample["areas"].set_index("code").geometry
    polygons = villages.loc[households["village_code"].to_numpy()].to_numpy()
    assert shapely.contains(polygons, households.geometry.to_numpy()).all()


def test_household_counts_are_consistent(sample: Frames) -> None:
    h = sample["households"]
    assert (h["children"] >= 1).all()
    assert (h["children"] >= h["left_behind"]).all()
    assert (h["children"] >= h["in_difficulty"]).all()
    cats = h[list(DIFFICULTY_CATEGORIES)]
    assert cats.le(h["in_difficulty"], axis=0).all().all()
    assert (cats[h["in_difficulty"] > 0].max(axis=1) > 0).all()
    assert (cats[h["in_difficulty"] == 0].sum(axis=1) == 0).all()
    cases = (h["left_behind"] > 0) | (h["in_difficulty"] > 0)
    assert cases.mean() < 0.5  # only a minority of households


def test_planted_gaps_are_findable(sample: Frames) -> None:
    h = sample["households"]
    left_behind = h[h["left_behind"] > 0]
    assert left_behind["care_agreement"].mean() > 0.5
    assert (~left_behind["care_agreement"]).sum() > 0
    visit_age = (REFERENCE_DATE - h["last_home_visit"]).dt.days
    contact_age = (REFERENCE_DATE - h["last_contact"]).dt.days
    assert (visit_age > 90).sum() > 0 and (visit_age <= 90).sum() > (visit_age > 90).sum()
    assert (contact_age > 30).sum() > 0
    cases = (h["left_behind"] > 0) | (h["in_difficulty"] > 0)
    assert h.loc[cases, "last_home_visit"].isna().sum() > 0
    for col in ("last_contact", "last_home_visit"):
        assert (h[col].dropna().dt.year == 2026).all()
        assert (h[col].dropna() <= REFERENCE_DATE).all()
    per_village = (h["left_behind"] + h["in_difficulty"]).groupby(h["village_code"]).sum()
    assert (per_village > 30).sum() >= 1
    assert (per_village <= 30).sum() >= 2
    equipment = sample["equipment"]
    assert {"damaged", "missing"} <= set(equipment["condition"])
    assert (equipment["kind"] == "fence").sum() > 0
    assert set(equipment.loc[equipment["kind"] == "fence"].geom_type) == {"LineString"}
    assert equipment["water_id"].dropna().isin(sample["waters"]["id"]).all()
    homes = sample["facilities"]
    villages_with_home = set(homes.loc[homes["kind"] == "children_home", "area_code"])
    assert 0 < len(villages_with_home) < len(set(h["village_code"]))


def test_schools_meet_their_hazards(sample: Frames) -> None:
    metric = {name: frame.to_crs(32649) for name, frame in sample.items()}
    schools = metric["schools"].geometry
    hazards = metric["hazards"]
    floods = hazards.loc[hazards["kind"] == "flood_zone"].union_all()
    walls = hazards.loc[hazards["kind"] == "dangerous_wall"].union_all()
    ponds = metric["waters"].loc[metric["waters"]["kind"] == "pond"].union_all()
    assert schools.within(floods).sum() >= 1
    assert (schools.distance(walls) < 20).sum() >= 1
    assert ((schools.distance(ponds) - 40).abs() < 5).sum() >= 1


def test_roads_form_one_network(sample: Frames) -> None:
    graph = nx.Graph()
    for line in sample["roads"].geometry:
        coords = shapely.get_coordinates(line)
        graph.add_edge(tuple(np.round(coords[0], 9)), tuple(np.round(coords[-1], 9)))
    assert nx.number_connected_components(graph) == 1


def test_roads_cross_the_river_only_on_bridges(sample: Frames) -> None:
    waters = sample["waters"]
    river = waters.loc[waters["kind"] == "river"].union_all()
    roads = sample["roads"]
    bridges = roads["kind"] == "bridge"
    assert bridges.sum() >= 2
    assert roads.loc[bridges].intersects(river).all()
    assert not roads.loc[~bridges].intersects(river).any()


def test_ponds_stay_off_roads_and_houses_off_water(sample: Frames) -> None:
    waters = sample["waters"]
    water = waters.loc[waters.geom_type == "Polygon"].union_all()
    assert not sample["roads"].intersects(water).any()
    assert not sample["households"].intersects(water).any()
