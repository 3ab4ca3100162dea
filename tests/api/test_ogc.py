from __future__ import annotations

from collections.abc import Iterator

import pyogrio
import pytest
from fastapi.testclient import TestClient

from api.server import create_app
from tests.live_server import server_process


@pytest.fixture(scope="module")
def app() -> object:
    return create_app()


@pytest.fixture(scope="module")
def client(app: object) -> Iterator[TestClient]:
    with TestClient(app) as c:  # type: ignore[arg-type]
        yield c


def test_landing_conformance_collections(client: TestClient) -> None:
    landing = client.get("/ogc").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conf = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conf
    ids = [c["id"] for c in client.get("/ogc/collections").json()["collections"]]
    assert {"areas", "waters", "roads", "schools", "household_cells"} <= set(ids)
    assert "households" not in ids  # household locations only for authorised roles
    waters = client.get("/ogc/collections/waters").json()
    minx, miny, maxx, maxy = waters["extent"]["spatial"]["bbox"][0]
    assert 112.8 < minx < maxx < 113.1 and 29.7 < miny < maxy < 29.9


def test_items_paging_and_bbox(client: TestClient) -> None:
    first = client.get("/ogc/collections/waters/items?limit=10")
    assert first.headers["content-type"].startswith("application/geo+json")
    page = first.json()
    assert page["numberMatched"] == 54 and page["numberReturned"] == 10
    nxt = next(link["href"] for link in page["links"] if link["rel"] == "next")
    second = client.get(nxt).json()
    assert {f["id"] for f in page["features"]}.isdisjoint(f["id"] for f in second["features"])
    # a bbox around one pond returns fewer features, each intersecting it
    feature = client.get("/ogc/collections/schools/items?limit=1").json()["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    box = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    hits = client.get(f"/ogc/collections/schools/items?bbox={box}").json()
    assert feature["id"] in [f["id"] for f in hits["features"]] and hits["numberMatched"] < 6
    one = client.get(f"/ogc/collections/schools/items/{feature['id']}").json()
    assert one["properties"]["name"] == feature["properties"]["name"]


def test_household_cells_never_carry_a_household(client: TestClient) -> None:
    cells = client.get("/ogc/collections/household_cells/items?limit=10000").json()
    assert cells["features"]
    for f in cells["features"]:
        assert f["geometry"]["type"] == "Polygon"
        hh = f["properties"]["households"]
        assert hh is None or hh >= 5


def test_errors_are_json(client: TestClient) -> None:
    r = client.get("/ogc/collections/nope/items")
    assert r.status_code == 404 and "available" in r.json()["description"]
    r = client.get("/ogc/collections/waters/items/W9999")
    assert r.status_code == 404
    r = client.get("/ogc/collections/waters/items?bbox=1,2,3")
    assert r.status_code == 400 and "minLon" in r.json()["description"]
    r = client.get("/ogc/collections/waters/items?limit=0")
    assert r.status_code == 422


def test_households_for_an_authorised_server() -> None:
    with TestClient(create_app(authorised=True)) as c:
        ids = [col["id"] for col in c.get("/ogc/collections").json()["collections"]]
    assert "households" in ids


def test_gdal_oapif_driver_reads_the_api() -> None:
    # a separate process: GDAL holds the GIL while it waits for the answer
    with server_process() as url:
        layers = {str(row[0]) for row in pyogrio.list_layers(f"OAPIF:{url}/ogc")}
        assert {"waters", "schools", "areas"} <= layers
        schools = pyogrio.read_dataframe(f"OAPIF:{url}/ogc", layer="schools")
        assert len(schools) == 6 and schools.crs.to_epsg() == 4326
        assert "name" in schools.columns
        waters = pyogrio.read_dataframe(f"OAPIF:{url}/ogc", layer="waters")
        assert len(waters) == 54  # paged through next links
