"""Issue 22: areas from OSM boundaries, village place nodes, or a boundary file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo.osm_areas import area_level, areas_from_boundary, areas_from_osm_file, village_cells

VILLAGE = Path(__file__).parents[1] / "data" / "osm" / "village.osm"


@pytest.mark.parametrize(
    ("tags", "level"),
    [
        ({"boundary": "administrative", "admin_level": "6"}, "county"),
        ({"boundary": "administrative", "admin_level": "8"}, "township"),
        ({"boundary": "administrative", "admin_level": "10"}, "village"),
        ({"boundary": "administrative", "admin_level": "4"}, None),  # a province
        ({"boundary": "protected_area", "admin_level": "8"}, None),
    ],
)
def test_area_level(tags: dict[str, str], level: str | None) -> None:
    assert area_level(tags) == level


def test_voronoi_cells_split_at_the_midline() -> None:
    """Two nodes on the equator 0.02° apart: the cells meet at the meridian halfway."""
    nodes = gpd.GeoDataFrame(geometry=[shapely.Point(0.0, 0.0), shapely.Point(0.02, 0.0)], crs=4326)
    cells = village_cells(nodes, shapely.box(-0.01, -0.01, 0.03, 0.01))
    assert cells.iloc[0].bounds[2] == pytest.approx(0.01, abs=1e-6)
    assert cells.iloc[1].bounds[0] == pytest.approx(0.01, abs=1e-6)


def test_boundary_file_with_village_names_only() -> None:
    """A 村界 file with names and no codes or levels: villages B001..., under no county."""
    boundary = gpd.GeoDataFrame(
        {"name": ["和平村", "东山村"]},
        geometry=[
            shapely.box(113.495, 28.695, 113.51, 28.73),
            shapely.box(113.51, 28.695, 113.53, 28.73),
        ],
        crs=4326,
    )
    areas = areas_from_boundary(boundary, name="村界")
    assert areas[["code", "name", "level"]].values.tolist() == [
        ["B001", "和平村", "village"],
        ["B002", "东山村", "village"],
    ]
    # given with the OSM extract: the file's villages win, no Voronoi cells are made
    areas, notes = areas_from_osm_file(VILLAGE, boundary=boundary, boundary_name="村界")
    assert notes == []
    assert sorted(areas["code"]) == ["B001", "B002", "way/901"]
    assert set(areas.loc[areas["level"] == "village", "parent_code"]) == {"way/901"}


def test_a_plain_outline_becomes_the_county() -> None:
    outline = gpd.GeoDataFrame(geometry=[shapely.box(113.49, 28.69, 113.54, 28.74)], crs=4326)
    areas, notes = areas_from_osm_file(VILLAGE, boundary=outline, boundary_name="平江县")
    by_code = areas.set_index("code")
    assert by_code.loc["county", ["name", "level"]].tolist() == ["平江县", "county"]
    assert by_code.loc["way/901", "parent_code"] == "county"
    assert by_code.loc["node/911", "parent_code"] == "way/901"
    assert notes == ["villages_from_places"]
