"""County partitions: reaches, chunks cut by county, ownership, layer discovery, result tables."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from geo.errors import CRSError, InputError
from geo.partition import (
    COUNTY_COLUMN,
    LayerSource,
    county_reaches,
    find_province_layers,
    open_layer,
    owner_of,
    partition_chunk,
    read_county_layers,
    read_table,
    write_county_table,
)

CRS = "EPSG:32649"
X0, Y0 = 400_000.0, 3_250_000.0


def _areas() -> gpd.GeoDataFrame:
    """Counties 420102 (west, x 0-2 km) and 420101 (east, x 2-4 km), each with a township."""
    return gpd.GeoDataFrame(
        {
            "code": ["420102", "420101", "420101001", "420102001"],
            "name": ["西县", "东县", "东镇", "西镇"],
            "level": ["county", "county", "township", "township"],
            "parent_code": ["", "", "420101", "420102"],
        },
        geometry=[
            box(X0, Y0, X0 + 2000, Y0 + 2000),
            box(X0 + 2000, Y0, X0 + 4000, Y0 + 2000),
            box(X0 + 2000, Y0, X0 + 4000, Y0 + 2000),
            box(X0, Y0, X0 + 2000, Y0 + 2000),
        ],
        crs=CRS,
    )


def _points(xs: list[float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"h{i}" for i in range(len(xs))], "children": np.arange(len(xs)) + 1},
        geometry=[Point(X0 + x, Y0 + 1000) for x in xs],
        crs=CRS,
    )


def test_county_reaches_buffer_each_county_and_sort_by_code() -> None:
    reaches = county_reaches(_areas(), buffer_m=500.0)
    assert reaches["code"].tolist() == ["420101", "420102"]
    assert reaches["name"].tolist() == ["东县", "西县"]
    # a 2 km square buffered by 500 m: the square, four 2 km x 500 m strips, a 500 m disc
    expected = 2000**2 + 4 * 2000 * 500 + math.pi * 500**2
    np.testing.assert_allclose(reaches["reach"].area, expected, rtol=2e-3)
    np.testing.assert_allclose(reaches.geometry.area, 2000**2)


def test_county_reaches_need_a_county() -> None:
    areas = _areas()
    areas["level"] = "township"
    with pytest.raises(InputError, match="no county"):
        county_reaches(areas, buffer_m=100.0)


def test_a_chunk_goes_to_every_county_it_reaches(tmp_path: Path) -> None:
    reaches = county_reaches(_areas(), buffer_m=500.0)
    # x = 100: west only; 1,800 and 2,300: both (within 500 m of the border); 3,900: east only;
    # 9,000: no county
    chunk = _points([100, 1800, 2300, 3900, 9000])
    count = partition_chunk(chunk, reaches, root=tmp_path, layer="households", index=3)
    assert (count.rows, count.written, count.outside) == (5, 6, 1)
    west = read_county_layers(tmp_path, "420102")["households"]
    east = read_county_layers(tmp_path, "420101")["households"]
    assert west["id"].tolist() == ["h0", "h1", "h2"]  # the source's order
    assert east["id"].tolist() == ["h1", "h2", "h3"]
    assert west.crs.equals(chunk.crs)
    assert (tmp_path / "households" / f"{COUNTY_COLUMN}=420101" / "part.000003.parquet").is_file()
    # a retried chunk rewrites its files instead of adding rows
    partition_chunk(chunk, reaches, root=tmp_path, layer="households", index=3)
    assert len(read_county_layers(tmp_path, "420101")["households"]) == 3


def test_chunks_of_a_lon_lat_layer_are_read_back_in_order(tmp_path: Path) -> None:
    reaches = county_reaches(_areas(), buffer_m=0.0)
    first, second = _points([100, 200]), _points([300, 2400])
    second["id"] = ["h2", "h3"]
    # a layer in lon/lat is cut with the reaches moved into its CRS
    for i, chunk in enumerate((first, second)):
        partition_chunk(chunk.to_crs("EPSG:4326"), reaches, root=tmp_path, layer="roads", index=i)
    frames = read_county_layers(tmp_path, "420102")
    assert list(frames) == ["roads"]
    assert frames["roads"]["id"].tolist() == ["h0", "h1", "h2"]
    assert frames["roads"].crs.equals("EPSG:4326")
    assert read_county_layers(tmp_path, "420101")["roads"]["id"].tolist() == ["h3"]


def test_owner_of_a_border_point_is_the_smallest_code_and_of_a_stray_one_the_nearest() -> None:
    counties = county_reaches(_areas(), buffer_m=0.0)
    geoms = gpd.GeoSeries(
        [
            Point(X0 + 2000, Y0 + 500),  # on the shared border
            Point(X0 + 500, Y0 + 500),
            Point(X0 + 4100, Y0 + 500),  # 100 m east of everything
            box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 300),  # by a point on its surface
            LineString([(X0 + 2500, Y0), (X0 + 2600, Y0 + 50)]),
            None,
        ],
        crs=CRS,
    )
    owners = owner_of(geoms, counties)
    assert owners.tolist() == ["420101", "420102", "420101", "420102", "420101", ""]


def test_find_province_layers_in_parquet_files_folders_and_geopackages(tmp_path: Path) -> None:
    _areas().to_parquet(tmp_path / "areas.parquet")
    (tmp_path / "households").mkdir()
    _points([100]).to_parquet(tmp_path / "households" / "part.0.parquet")
    _points([200]).rename(columns={"children": "pupils"}).assign(
        name="小学", kind="primary"
    ).to_file(tmp_path / "layers.gpkg", layer="schools", engine="pyogrio")
    found = find_province_layers(tmp_path)
    assert found == {
        "areas": LayerSource("areas", tmp_path / "areas.parquet", "parquet"),
        "households": LayerSource("households", tmp_path / "households", "parquet"),
        "schools": LayerSource("schools", tmp_path / "layers.gpkg", "gpkg", "schools"),
    }


def test_find_province_layers_needs_areas(tmp_path: Path) -> None:
    _points([100]).to_parquet(tmp_path / "households.parquet")
    with pytest.raises(InputError, match="no areas layer"):
        find_province_layers(tmp_path)
    with pytest.raises(InputError, match="is not a folder"):
        find_province_layers(tmp_path / "missing")


def test_open_layer_streams_a_geopackage_in_chunks(tmp_path: Path) -> None:
    _points([1, 2, 3, 4, 5]).to_file(tmp_path / "households.gpkg", layer="households")
    source = LayerSource("households", tmp_path / "households.gpkg", "gpkg", "households")
    frame = open_layer(source, chunk_rows=2, chunk_mb=1.0)
    assert frame.npartitions == 3
    assert frame.compute(scheduler="sync")["id"].tolist() == ["h0", "h1", "h2", "h3", "h4"]


def test_open_layer_refuses_a_layer_without_crs(tmp_path: Path) -> None:
    frame = _points([1])
    frame.set_crs(None, allow_override=True).to_parquet(tmp_path / "households.parquet")
    source = LayerSource("households", tmp_path / "households.parquet", "parquet")
    with pytest.raises(CRSError, match="states no CRS"):
        open_layer(source, chunk_rows=10, chunk_mb=1.0)


def test_result_tables_are_wgs84_geoparquet_partitioned_by_county(tmp_path: Path) -> None:
    root = tmp_path / "spots"
    write_county_table(_points([100, 200]), root, "420102")
    write_county_table(_points([2500]), root, "420101")
    write_county_table(_points([2600, 2700]), root, "420101")  # a retry replaces the county's
    table = read_table(root)
    assert isinstance(table, gpd.GeoDataFrame)
    assert table.crs.equals("EPSG:4326")
    counts = table.groupby(table[COUNTY_COLUMN].astype(str)).size().to_dict()
    assert counts == {"420101": 2, "420102": 2}
    plain = tmp_path / "villages"
    write_county_table(pd.DataFrame({"code": ["v1"], "children": [3]}), plain, "420101")
    got = read_table(plain)
    assert not isinstance(got, gpd.GeoDataFrame)
    assert got["children"].tolist() == [3]
    with pytest.raises(InputError, match="no result table"):
        read_table(tmp_path / "nothing")
