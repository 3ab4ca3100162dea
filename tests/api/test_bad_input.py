"""Bad input of every class answers 4xx with a message, on SQLite and PostGIS alike (issue 16).

Each test reproduces a finding of the issue's run: ``bbox=nan,nan,nan,nan`` gave 500 (GEOS), a
NUL in a string or in a path gave 500 on PostGIS, ``Authorization: Bearer`` without a token and
a Basic header were served as anonymous, ``?crs=gcj02`` moved a GeoJSON that declares WGS84.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.server import create_app
from geo.layers import Layers
from geo.settings import Settings
from geo.storage import Store
from geo.validate import validate_layers
from tests.tiny_area import TODAY, tiny_frames

ITEMS = "/ogc/collections/schools/items"
INSPECTION = {"target": "spot", "target_id": "S1", "date": "2026-07-01", "inspector": "张三"}


@pytest.fixture(scope="module")
def tiny() -> Layers:
    layers, report = validate_layers(tiny_frames(), settings=Settings(), today=TODAY)
    assert report.ok
    return layers


@pytest.fixture
def client(tiny: Layers, store: Store) -> Iterator[TestClient]:
    """A server on the tiny area and a fresh database (both back ends), with an admin token."""
    app = create_app(layers=tiny, settings=Settings(), store=store, today=TODAY)
    with TestClient(app) as c:
        c.headers["Authorization"] = f"Bearer {store.add_user('admin', 'admin')}"
        yield c


@pytest.mark.parametrize(
    ("bbox", "says"),
    [
        ("nan,nan,nan,nan", "finite"),
        ("112,29,inf,30", "finite"),
        ("112,30,113,29", "minimum latitude comes first"),
        ("112,29,190,30", "-180..180"),
        ("112,-91,113,30", "-90..90"),
        ("112,29,113", "minLon,minLat,maxLon,maxLat"),
        ("a,b,c,d", "minLon,minLat,maxLon,maxLat"),
    ],
)
def test_bad_bboxes_are_400_saying_why(client: TestClient, bbox: str, says: str) -> None:
    r = client.get(ITEMS, params={"bbox": bbox})
    assert r.status_code == 400, r.text
    assert says in r.json()["description"]


def test_a_bbox_across_the_antimeridian_is_two_boxes(client: TestClient) -> None:
    everything = client.get(ITEMS).json()["numberMatched"]
    assert everything == 1
    # from 112 E eastwards across 180 to 179 W: the school at 112.9 E is inside
    assert client.get(ITEMS, params={"bbox": "112,-90,-179,90"}).json()["numberMatched"] == 1
    # from 113.5 E eastwards to 112 E the long way round: it is outside
    assert client.get(ITEMS, params={"bbox": "113.5,-90,112,90"}).json()["numberMatched"] == 0


def test_the_bbox_pattern_in_the_schema_agrees_with_the_check(client: TestClient) -> None:
    import re

    spec = client.get("/openapi.json").json()
    params = spec["paths"]["/ogc/collections/{cid}/items"]["get"]["parameters"]
    pattern = next(p for p in params if p["name"] == "bbox")["schema"]["pattern"]
    for bbox in ["112.9,29.8,113.0,29.9", "-180,-90,180,90", "1,2,0,3,4,5", "170,0,-170,1"]:
        assert re.fullmatch(pattern, bbox), bbox
        assert client.get(ITEMS, params={"bbox": bbox}).status_code == 200, bbox
    for bbox in ["nan,nan,nan,nan", "181,0,1,1", "0,91,1,1", "1e3,0,1,1", "0,0,1"]:
        assert not re.fullmatch(pattern, bbox), bbox
        assert client.get(ITEMS, params={"bbox": bbox}).status_code == 400, bbox


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("inspector", "a\u0000b", "control character U+0000"),
        ("target_id", "S\u00011", "control character U+0001"),
        ("note", "破损\u0000", "control character U+0000"),
        ("inspector", "张" * 101, "at most 100 characters"),
        ("note", "x" * 2001, "at most 2000 characters"),
        ("date", "1989-12-31", "greater than or equal to 1990-01-01"),
        ("date", "2200-01-01", "less than or equal to 2199-12-31"),
        ("date", "20260-01-01", "date"),
    ],
)
def test_bad_strings_and_dates_in_an_inspection_are_422(
    client: TestClient, field: str, value: str, says: str
) -> None:
    r = client.post("/api/inspections", json={**INSPECTION, field: value})
    assert r.status_code == 422, r.text
    body = r.json()
    assert field in body["description"] and says in body["description"], body
    assert client.get("/api/inspections").json() == []  # nothing stored


def test_line_breaks_are_allowed_in_a_note(client: TestClient) -> None:
    r = client.post("/api/inspections", json={**INSPECTION, "note": "救生圈破损\n\t警示牌缺失"})
    assert r.status_code == 201, r.text
    assert client.get("/api/inspections").json()[0]["note"] == "救生圈破损\n\t警示牌缺失"


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/sch%00ools/items",
        "/ogc/collections/schools/items/S%001",
        "/api/layers/households%00",
        "/api/inspections?since=2026-07-01%00",
        "/ogc/collections/schools/items?bbox=%00",
        "/api/risk?date%01=2026-07-01",
        "/maps/risk%00",
    ],
)
def test_a_control_character_in_a_path_or_query_is_400(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, r.text
    assert "control character U+00" in r.text


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("Bearer", "holds no token"),
        ("Bearer   ", "holds no token"),
        ("Basic dXNlcjpwYXNz", "must be 'Bearer TOKEN', not 'Basic'"),
        ("garbage", "must be 'Bearer TOKEN', not another scheme"),
        ("", "must be 'Bearer TOKEN', not another scheme"),
        ("Bearer a,b", "malformed"),
        ("Bearer not-a-token", "not valid"),
    ],
)
def test_a_malformed_authorization_header_is_401(
    client: TestClient, header: str, says: str
) -> None:
    r = client.get("/api/me", headers={"Authorization": header})
    assert r.status_code == 401, r.text
    assert says in r.json()["description"]


def test_no_header_is_the_viewer_and_a_token_its_user(client: TestClient) -> None:
    assert client.get("/api/me").json()["role"] == "admin"
    del client.headers["Authorization"]
    anonymous = client.get("/api/me")
    assert anonymous.status_code == 200 and anonymous.json()["role"] == "viewer"


def test_an_upload_that_states_wgs84_keeps_it_despite_crs_gcj02(
    client: TestClient, tiny: Layers
) -> None:
    schools = tiny.schools.to_crs(4326)
    member = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    data = json.dumps({**json.loads(schools.to_json()), "crs": member}).encode()
    files = {"file": ("schools.geojson", data, "application/geo+json")}
    r = client.post("/api/layers/schools?crs=gcj02", files=files)
    assert r.status_code == 201, r.text
    assert any("给定的 gcj02 对该文件未使用" in w for w in r.json()["warnings"]), r.json()
    feature = client.get(ITEMS).json()["features"][0]
    assert feature["geometry"]["coordinates"] == pytest.approx(
        [schools.geometry.x[0], schools.geometry.y[0]], abs=1e-9
    )


def test_an_upload_holding_a_nul_is_refused_and_changes_nothing(
    client: TestClient, tiny: Layers
) -> None:
    # A NUL in a CSV cut its row short in GDAL, and the empty column then crashed validation.
    x, y = tiny.schools.to_crs(4326).geometry.iloc[0].coords[0]
    csv = f"id,name,kind,pupils,lon,lat\nS9,东村\x00小学,primary,120,{x},{y}\n"
    files = {"file": ("schools.csv", csv.encode(), "text/csv")}
    r = client.post("/api/layers/schools?crs=EPSG:4326", files=files)
    assert r.status_code == 400, r.text
    assert "line 2 holds a NUL character" in r.json()["description"]
    assert [f["id"] for f in client.get(ITEMS).json()["features"]] == ["S1"]
