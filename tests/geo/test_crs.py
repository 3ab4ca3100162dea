from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from geo.crs import (
    in_china,
    metric_crs_for,
    offset_to_wgs84,
    parse_crs,
    require_metric,
    to_wgs84,
    wgs84_to_offset,
)
from geo.errors import CRSError

GEOD = Geod(ellps="WGS84")

# Published test vectors of the eviltransform reference implementations: (lat, lon) pairs.
GCJ_PAIRS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]


def _points(pairs_latlon: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[Point(lon, lat) for lat, lon in pairs_latlon], crs=4326)


def _metres(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> np.ndarray:
    _, _, dist = GEOD.inv(
        a.geometry.x.values, a.geometry.y.values, b.geometry.x.values, b.geometry.y.values
    )
    return np.asarray(dist)


def test_wgs84_to_gcj02_matches_published_pairs() -> None:
    wgs = _points([w for w, _ in GCJ_PAIRS])
    gcj = _points([g for _, g in GCJ_PAIRS])
    assert _metres(wgs84_to_offset(wgs, "gcj02"), gcj).max() < 0.01


def test_gcj02_to_wgs84_inverse_under_one_metre() -> None:
    wgs = _points([w for w, _ in GCJ_PAIRS])
    gcj = _points([g for _, g in GCJ_PAIRS])
    assert _metres(offset_to_wgs84(gcj, "gcj02"), wgs).max() < 1.0


def test_bd09_is_gcj02_plus_the_published_baidu_shift() -> None:
    # BD-09 adds to GCJ-02 a small rotation and the fixed shift (+0.0065 lon, +0.006 lat) of the
    # published formula; at these latitudes the rotation term (3e-6 rad times a radius of about 125 degrees) stays under 4e-4 degrees.
    wgs = _points([w for w, _ in GCJ_PAIRS])
    gcj = wgs84_to_offset(wgs, "gcj02")
    bd = wgs84_to_offset(wgs, "bd09")
    assert np.allclose(bd.geometry.x - gcj.geometry.x, 0.0065, atol=4e-4)
    assert np.allclose(bd.geometry.y - gcj.geometry.y, 0.006, atol=4e-4)
    assert _metres(offset_to_wgs84(bd, "bd09"), wgs).max() < 1.0


@pytest.mark.parametrize("offset", ["gcj02", "bd09"])
def test_round_trip_under_one_metre_on_lines(offset: str) -> None:
    line = gpd.GeoDataFrame(
        geometry=[LineString([(112.9, 29.8), (112.95, 29.82), (113.0, 29.85)])], crs=4326
    )
    shifted = wgs84_to_offset(line, offset)  # type: ignore[arg-type]
    moved = _metres(
        gpd.GeoDataFrame(geometry=[Point(shifted.geometry[0].coords[0])], crs=4326),
        gpd.GeoDataFrame(geometry=[Point(line.geometry[0].coords[0])], crs=4326),
    )
    assert moved[0] > 100  # the offsets are hundreds of metres
    back = offset_to_wgs84(shifted, offset)  # type: ignore[arg-type]
    a = np.asarray(back.geometry[0].coords)
    b = np.asarray(line.geometry[0].coords)
    _, _, dist = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    assert np.max(dist) < 1.0


def test_parse_crs_names() -> None:
    assert parse_crs("gcj02")[1] == "gcj02"
    assert parse_crs("GCJ-02")[1] == "gcj02"
    assert parse_crs("bd09")[1] == "bd09"
    crs, offset = parse_crs("EPSG:4490")
    assert crs.to_epsg() == 4490
    assert offset == "wgs84"
    with pytest.raises(CRSError, match="unknown CRS 'EPSG:99999'"):
        parse_crs("EPSG:99999")


def test_cgcs2000_converts_to_wgs84_without_shift() -> None:
    pts = gpd.GeoDataFrame(geometry=[Point(112.95, 29.8)], crs=4490)
    out = to_wgs84(pts)
    assert out.crs.to_epsg() == 4326
    assert out.geometry[0].distance(Point(112.95, 29.8)) < 1e-7


def test_to_wgs84_refuses_missing_crs() -> None:
    with pytest.raises(CRSError, match="layer 'households' has no CRS; pass --crs"):
        to_wgs84(gpd.GeoDataFrame(geometry=[Point(0, 0)]), layer="households")


def test_metric_crs_is_utm_zone_49n_in_hubei() -> None:
    pts = gpd.GeoDataFrame(geometry=[Point(112.95, 29.8)], crs=4326)
    assert metric_crs_for(pts).to_epsg() == 32649


def test_require_metric_refuses_degrees() -> None:
    pts = gpd.GeoDataFrame(geometry=[Point(112.95, 29.8)], crs=4326)
    with pytest.raises(CRSError, match="distances need a projected CRS"):
        require_metric(pts, layer="households")
    require_metric(pts.to_crs(32649))


PARIS = (48.8584, 2.2945)  # (lat, lon): the Eiffel tower
TONGAN_TOWNSHIP = (29.85, 112.95)


@pytest.mark.parametrize("offset", ["gcj02", "bd09"])
@pytest.mark.parametrize("direction", ["to_offset", "to_wgs84"])
def test_points_outside_china_are_not_moved(offset: str, direction: str) -> None:
    # Issue 16: Paris came back 1.2 km away; out_of_china of the standard algorithm leaves it.
    frame = _points([PARIS, TONGAN_TOWNSHIP])
    convert = wgs84_to_offset if direction == "to_offset" else offset_to_wgs84
    out = convert(frame, offset)  # type: ignore[operator]
    assert out.geometry[0].equals_exact(frame.geometry[0], tolerance=0)
    assert _metres(out.iloc[[1]], frame.iloc[[1]])[0] > 100  # the township still moves


def test_in_china_is_the_standard_rectangle() -> None:
    lon = np.array([72.003, 72.004, 137.8347, 137.8348, 112.95, 112.95, np.nan])
    lat = np.array([30.0, 30.0, 30.0, 30.0, 0.8292, 55.8271, 30.0])
    assert in_china(lon, lat).tolist() == [False, True, True, False, False, True, False]
