"""Large layers sent by URL (maps.remote) and the server's layer route."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import folium
import geopandas as gpd
import pytest
from fastapi.testclient import TestClient
from shapely.geometry import LineString, Point

from api.pages import PAGES
from api.server import create_app
from geo.settings import Settings
from maps.remote import DETAILS, RemoteLayers, add_remote_layer, geojson_bytes

DATE = "date=2026-07-15"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings=Settings(map_inline_max_features=40, basemap="osm"))) as c:
        yield c


def _specs(html: str) -> dict[str, dict[str, Any]]:
    """Layer key -> spec of every layer the map loads by URL."""
    found = re.findall(r"tonganRemote\(\w+, \w+, (\{.*\})\);", html)
    return {spec["key"]: spec for spec in map(json.loads, found)}


def _layers(html: str) -> dict[str, str]:
    """Layer key -> URL of every layer the map loads by URL."""
    return {key: spec["url"] for key, spec in _specs(html).items()}


def test_risk_map_sends_its_spots_by_url_with_the_page_query(client: TestClient) -> None:
    html = client.get(f"/maps/risk/map?{DATE}").text
    layers = _layers(html)
    assert {"spots_red", "spots_yellow", "spots_green"} <= set(layers)
    assert layers["spots_red"] == "layers/spots_red.geojson?date=2026-07-15&lang=zh&basemap=osm"
    assert "preferCanvas" in html and "tonganRemote(" in html
    # Chinese popup labels travel in the map, the values in the companion collection
    labels = [label for _, label in _specs(html)["spots_red"]["popup"]]
    assert {"风险", "暴露度", "缺少", "最近检查"} <= set(labels)
    counts = {}
    for cls in ("red", "yellow", "green"):
        resp = client.get(f"/maps/risk/{layers[f'spots_{cls}']}")
        assert resp.status_code == 200
        assert resp.headers["content-type"] == "application/geo+json"
        data = resp.json()
        assert data["type"] == "FeatureCollection"
        assert {f["geometry"]["type"] for f in data["features"]} == {"Point"}
        counts[cls] = len(data["features"])
        details = client.get(
            f"/maps/risk/layers/spots_{cls}{DETAILS}.geojson?date=2026-07-15&lang=zh&basemap=osm"
        ).json()
        assert len(details["features"]) == counts[cls]
        assert all(f["geometry"] is None for f in details["features"])
    page = client.get(f"/maps/risk?{DATE}").text
    for cls, label in (("red", "红色风险点"), ("yellow", "黄色风险点"), ("green", "绿色风险点")):
        assert re.search(rf"{label}\D*{counts[cls]}\b", page), (cls, counts[cls])


def test_by_url_map_is_much_smaller_than_the_inline_one(client: TestClient) -> None:
    remote = client.get(f"/maps/risk/map?{DATE}").content
    with TestClient(create_app(settings=Settings(map_inline_max_features=10**9))) as inline:
        full = inline.get(f"/maps/risk/map?{DATE}").content
    assert "tonganRemote(" not in full.decode()
    assert len(remote) < len(full) / 3, (len(remote), len(full))


def test_layer_route_refuses_unknown_layers_and_bad_parameters(client: TestClient) -> None:
    assert client.get(f"/maps/risk/layers/nope.geojson?{DATE}").status_code == 404
    assert client.get("/maps/nope/layers/cells.geojson").status_code == 404
    assert client.get("/maps/risk/layers/density.geojson?k=3").status_code == 422


def test_households_never_go_by_url_unless_authorised(client: TestClient) -> None:
    for name in PAGES:
        if name in {"visits", "patrol"}:
            continue
        html = client.get(f"/maps/{name}/map?{DATE if name in {'risk', 'flood'} else ''}").text
        assert not any("household" in k for k in _layers(html)), name
    assert client.get(f"/maps/risk/layers/households.geojson?{DATE}").status_code == 404


def test_amap_layers_are_moved_to_gcj02(client: TestClient) -> None:
    wgs = client.get(f"/maps/risk/layers/spots_red.geojson?{DATE}&basemap=osm").json()
    gcj = client.get(f"/maps/risk/layers/spots_red.geojson?{DATE}&basemap=amap").json()
    a = wgs["features"][0]["geometry"]["coordinates"]
    b = gcj["features"][0]["geometry"]["coordinates"]
    shift = ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
    assert 1e-4 < shift < 1e-2  # Amap's offset: tens to hundreds of metres


def test_geojson_bytes_rounds_and_keeps_order_and_nulls() -> None:
    frame = gpd.GeoDataFrame(
        {"tip": ["甲", None]},
        geometry=[Point(113.123456789, 29.987654321), None],
        crs=4326,
    )
    data = json.loads(geojson_bytes(frame))
    assert data["features"][0]["geometry"]["coordinates"] == [113.123457, 29.987654]
    assert data["features"][0]["properties"] == {"tip": "甲"}
    assert data["features"][1] == {"type": "Feature", "properties": {"tip": None}, "geometry": None}


def test_threshold_decides_by_feature_count() -> None:
    remote = RemoteLayers(lambda key: f"layers/{key}.geojson", 40)
    assert not remote.by_url(40) and remote.by_url(41)
    # a feature with a popup table weighs four without: 40 // 4 = 10
    assert not remote.by_url(10, popups=True) and remote.by_url(11, popups=True)


def test_lines_and_polygons_by_url_are_simplified_within_the_tolerance() -> None:
    # 1e-5 degrees of latitude is 1.11 m: a vertex 0.56 m off the straight line goes, one
    # 3.3 m off stays, with a 1 m tolerance; points are never moved
    d = 1 / 111_320.0
    line = LineString([(114.0, 30.0), (114.001, 30.0 + 0.5 * d), (114.002, 30.0)])
    kink = LineString([(114.0, 30.0), (114.001, 30.0 + 3 * d), (114.002, 30.0)])
    ring = Point(114.0, 30.0).buffer(0.001, quad_segs=16)
    point = Point(114.0005, 30.0001)
    frame = gpd.GeoDataFrame({"k": ["a", "b", "c", "d"]}, geometry=[line, kink, ring, point])
    remote = RemoteLayers(lambda key: f"layers/{key}.geojson", 0, simplify_m=1.0)
    add_remote_layer(
        folium.FeatureGroup(), frame.set_crs(4326), remote=remote, key="x", styles={"": {}}
    )
    sent = remote.frames["x"].geometry.to_numpy()
    assert len(sent[0].coords) == 2 and len(sent[1].coords) == 3
    assert sent[2].is_valid and 4 <= len(sent[2].exterior.coords) < len(ring.exterior.coords)
    assert sent[2].hausdorff_distance(ring) <= d
    assert sent[3].equals(point)
    plain = RemoteLayers(lambda key: f"layers/{key}.geojson", 0)
    add_remote_layer(
        folium.FeatureGroup(), frame.set_crs(4326), remote=plain, key="x", styles={"": {}}
    )
    assert len(plain.frames["x"].geometry.iloc[0].coords) == 3
