"""The data API (issue 9): analyses, inspections, layer imports, roles, privacy, on both databases."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pytest
from fastapi.testclient import TestClient
from scipy.spatial import cKDTree

from api.data_api import API_PATHS as ANALYSES
from api.server import create_app
from geo.layers import Layers
from geo.settings import DatabaseSettings, Settings
from geo.storage import Store

DAY = "2026-07-15"


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    return layers


def _client(sample: Layers, store: Store, settings: Settings | None = None) -> TestClient:
    app = create_app(layers=sample, settings=settings or Settings(), store=store)
    return TestClient(app)


@pytest.fixture
def client(sample: Layers, store: Store) -> Iterator[TestClient]:
    """A server on a fresh database, for the tests of what is stored (both back ends)."""
    with _client(sample, store) as c:
        yield c


@pytest.fixture(scope="module")
def reader(sample: Layers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One server on SQLite for the read-only tests, so its results are computed once."""
    store = Store.open(DatabaseSettings(), tmp_path_factory.mktemp("reader"))
    with _client(sample, store) as c:
        yield c
    store.close()


def _auth(store: Store, role: str) -> dict[str, str]:
    token = store.add_user(f"{role}-user", role)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {token}"}


# --- analyses ---------------------------------------------------------------------------------


def test_risk_endpoint_returns_figures_and_geojson(reader: TestClient) -> None:
    r = reader.get(f"/api/risk?date={DAY}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["analysis"] == "risk" and body["parameters"]["date"] == DAY
    spots = body["tables"]["spots"]
    assert spots["type"] == "FeatureCollection"
    classes = [f["properties"]["risk_class"] for f in spots["features"]]
    figures = {f["label"]: f["value"] for f in body["figures"]}
    assert figures["红色风险点"] == str(classes.count("red"))
    assert figures["黄色风险点"] == str(classes.count("yellow"))
    lon, lat = spots["features"][0]["geometry"]["coordinates"][:2]
    assert 112 < lon < 114 and 29 < lat < 31  # WGS84
    en = reader.get(f"/api/risk?date={DAY}&lang=en").json()
    assert {f["label"] for f in en["figures"]} >= {"Red spots", "Yellow spots"}


@pytest.mark.parametrize("path", list(ANALYSES))
def test_every_analysis_answers(reader: TestClient, path: str) -> None:
    r = reader.get(f"/api/{path}")
    assert r.status_code == 200, r.text
    assert r.json()["figures"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/api/coverage?standard_m=-5", "standard_m"),
        ("/api/risk?date=2026-13-40", "date"),
        ("/api/siting?k=0", "k"),
        ("/api/risk?colour=red", "colour"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(
    reader: TestClient, query: str, field: str
) -> None:
    r = reader.get(query)
    assert r.status_code == 422
    assert field in r.text


# --- roles and tokens -------------------------------------------------------------------------


def test_roles_decide_who_may_write(client: TestClient, store: Store) -> None:
    record = {"target": "spot", "target_id": "S1", "date": DAY, "inspector": "张三"}
    assert client.post("/api/inspections", json=record).status_code == 403  # anonymous viewer
    viewer = _auth(store, "viewer")
    r = client.post("/api/inspections", json=record, headers=viewer)
    assert r.status_code == 403 and "river_chief" in r.json()["description"]
    bad = client.get("/api/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    chief = _auth(store, "river_chief")
    assert client.get("/api/me", headers=chief).json()["role"] == "river_chief"
    r = client.post("/api/inspections", json=record, headers=chief)
    assert r.status_code == 201, r.text
    assert r.json()["recorded_by"] == "river_chief-user"
    assert client.get("/api/audit", headers=chief).status_code == 403
    admin = _auth(store, "admin")
    log = client.get("/api/audit", headers=admin).json()
    writes = [e for e in log if e["action"] == "post" and e["resource"] == "/api/inspections"]
    assert {e["user"] for e in writes} >= {"viewer-user", "anonymous"}
    assert {e["detail"] for e in writes} == {"403"}
    # a stored write's entry is written in its transaction and names the new record (issue 16)
    stored = [e for e in log if e["resource"] == f"/api/inspections/{r.json()['id']}"]
    assert [(e["user"], e["action"], e["detail"]) for e in stored] == [
        ("river_chief-user", "post", "201")
    ]


def test_household_reads_are_audited(client: TestClient, store: Store) -> None:
    officer = _auth(store, "civil_affairs")
    assert (
        client.get("/ogc/collections/households/items?limit=5", headers=officer).status_code == 200
    )
    assert client.get("/ogc/collections/households/items").status_code == 404  # viewer
    admin = _auth(store, "admin")
    log = client.get("/api/audit", headers=admin).json()
    reads = [e for e in log if e["resource"] == "/ogc/collections/households/items"]
    assert [e["user"] for e in reads] == ["civil_affairs-user"]


# --- inspections change the next risk analysis --------------------------------------------------


def test_an_inspection_updates_equipment_and_the_next_risk(
    client: TestClient, store: Store, sample: Layers
) -> None:
    before = client.get(f"/api/risk?date={DAY}").json()["tables"]["spots"]["features"]
    signed = [f for f in before if f["properties"]["has_warning_sign"]]
    assert signed
    spot = signed[0]["properties"]
    # every warning sign within reach of that spot is reported missing
    metric = sample.to_metric()
    eq = metric.equipment
    spots = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(*zip(*[signed[0]["geometry"]["coordinates"]], strict=True)),
        crs=4326,
    ).to_crs(metric.crs)
    near = eq[
        (eq["kind"] == "warning_sign")
        & (eq.distance(spots.geometry.iloc[0]) <= Settings().equipment_radius_m + 1)
    ]
    assert len(near)
    record = {
        "target": "spot",
        "target_id": spot["spot_id"],
        "date": DAY,
        "inspector": "李四",
        "items": [{"kind": "warning_sign", "id": i, "condition": "missing"} for i in near["id"]],
        "note": "警示牌被冲走",
    }
    chief = _auth(store, "river_chief")
    assert client.post("/api/inspections", json=record, headers=chief).status_code == 201
    after = client.get(f"/api/risk?date={DAY}").json()["tables"]["spots"]["features"]
    now = next(f for f in after if f["properties"]["spot_id"] == spot["spot_id"])
    assert now["properties"]["has_warning_sign"] is False
    assert "warning_sign" in now["properties"]["missing_items"]
    listed = client.get("/api/inspections", headers=chief).json()
    assert [r["note"] for r in listed] == ["警示牌被冲走"]
    csv = client.get("/api/inspections.csv", headers=chief)
    assert csv.status_code == 200 and "警示牌被冲走" in csv.content.decode("utf-8-sig")


def test_a_fence_reported_damaged_unguards_the_spot(client: TestClient, store: Store) -> None:
    before = client.get(f"/api/risk?date={DAY}").json()["tables"]["spots"]["features"]
    fenced = [f for f in before if f["properties"]["fenced"]]
    assert fenced
    spot = fenced[0]
    lon, lat = spot["geometry"]["coordinates"]
    record = {
        "target": "spot",
        "target_id": spot["properties"]["spot_id"],
        "date": DAY,
        "inspector": "王五",
        "fence": "damaged",
        "lon": lon,
        "lat": lat,
        "note": "护栏被撞坏",
    }
    chief = _auth(store, "river_chief")
    assert client.post("/api/inspections", json=record, headers=chief).status_code == 201
    after = client.get(f"/api/risk?date={DAY}").json()["tables"]["spots"]["features"]
    now = next(f for f in after if f["properties"]["spot_id"] == spot["properties"]["spot_id"])
    assert now["properties"]["fenced"] is False
    assert "fence" in now["properties"]["missing_items"]


def test_an_inspection_naming_unknown_equipment_is_refused(
    client: TestClient, store: Store
) -> None:
    chief = _auth(store, "river_chief")
    record = {
        "target": "equipment",
        "target_id": "E-nope",
        "date": DAY,
        "inspector": "王五",
        "items": [{"kind": "life_buoy", "id": "E-nope", "condition": "ok"}],
    }
    r = client.post("/api/inspections", json=record, headers=chief)
    assert r.status_code == 422 and "E-nope" in r.json()["description"]
    assert store.count_inspections() == 0


# --- layer imports ------------------------------------------------------------------------------


def _geojson(frame: gpd.GeoDataFrame) -> bytes:
    return frame.to_json(drop_id=True).encode()


def test_layer_import_is_validated_and_atomic(
    client: TestClient, store: Store, sample: Layers
) -> None:
    officer = _auth(store, "civil_affairs")
    schools = sample.schools.iloc[:-1].copy()
    files = {"file": ("schools.geojson", _geojson(schools), "application/geo+json")}
    r = client.post("/api/layers/schools", files=files, headers=officer)
    assert r.status_code == 201, r.text
    assert r.json()["rows"] == len(sample.schools) - 1 and r.json()["version"] >= 1
    items = client.get("/ogc/collections/schools/items").json()
    assert items["numberMatched"] == len(sample.schools) - 1
    # a file without the required kind column changes nothing
    broken = schools.drop(columns=["kind"])
    files = {"file": ("schools.geojson", _geojson(broken), "application/geo+json")}
    r = client.post("/api/layers/schools", files=files, headers=officer)
    assert r.status_code == 422 and "kind" in r.json()["description"]
    garbage = {"file": ("schools.gpkg", b"not a geopackage", "application/octet-stream")}
    assert client.post("/api/layers/schools", files=garbage, headers=officer).status_code in {
        400,
        422,
    }
    assert client.get("/ogc/collections/schools/items").json()["numberMatched"] == len(schools)
    # river chiefs do not import households
    chief = _auth(store, "river_chief")
    files = {"file": ("hh.geojson", b"{}", "application/geo+json")}
    assert client.post("/api/layers/households", files=files, headers=chief).status_code == 403
    assert client.post("/api/layers/nope", files=files, headers=chief).status_code == 404


def test_uploads_are_capped(sample: Layers, store: Store) -> None:
    settings = Settings(api={"max_upload_mb": 0.001})  # about 1 kB
    with _client(sample, store, settings) as c:
        admin = _auth(store, "admin")
        files = {"file": ("waters.geojson", b"x" * 5000, "application/geo+json")}
        r = c.post("/api/layers/waters", files=files, headers=admin)
    assert r.status_code == 413 and "0.001 MB" in r.json()["description"]


# --- privacy and CORS ---------------------------------------------------------------------------

_NUMBER_PAIR = re.compile(r"(-?\d{2,3}\.\d{4,})\s*,\s*(-?\d{2,3}\.\d{4,})")


def _pairs(text: str) -> np.ndarray:
    return np.array([(float(a), float(b)) for a, b in _NUMBER_PAIR.findall(text)]).reshape(-1, 2)


def test_no_response_for_a_viewer_holds_a_household(reader: TestClient, sample: Layers) -> None:
    hh = sample.households.geometry
    tree = cKDTree(np.c_[hh.x, hh.y])
    texts = [reader.get(f"/api/{path}").text for path in ANALYSES]
    collections = reader.get("/ogc/collections").json()["collections"]
    ids = [c["id"] for c in collections]
    assert "households" not in ids and "household_cells" in ids
    texts += [reader.get(f"/ogc/collections/{cid}/items?limit=10000").text for cid in ids]
    texts += [reader.get(f"/maps/{name}/map").text for name in ("risk", "coverage", "visits")]
    texts += [reader.get("/maps/coverage/download.csv").content.decode("utf-8-sig")]
    checked = 0
    for text in texts:
        pairs = _pairs(text)
        if not len(pairs):
            continue
        checked += len(pairs)
        for points in (pairs, pairs[:, ::-1]):  # GeoJSON lon,lat and Leaflet lat,lon
            dist, _ = tree.query(points)
            assert dist.min() > 1e-7, "a household's coordinates were sent to a viewer"
    assert checked > 1000  # the check saw the features
    # and the children counts of small groups are withheld
    cells = reader.get("/ogc/collections/household_cells/items?limit=10000").json()["features"]
    kids = [f["properties"]["children"] for f in cells]
    assert all(k is None or k == 0 or k >= 5 for k in kids)


def test_an_officer_sees_households(client: TestClient, store: Store, sample: Layers) -> None:
    officer = _auth(store, "civil_affairs")
    items = client.get("/ogc/collections/households/items?limit=10000", headers=officer).json()
    assert items["numberMatched"] == len(sample.households)


def test_cors_is_closed_by_default(reader: TestClient) -> None:
    r = reader.options(
        "/api/risk",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = reader.get("/ogc", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_openapi_documents_the_api_with_examples(reader: TestClient) -> None:
    assert reader.get("/docs").status_code == 200
    spec = reader.get("/openapi.json").json()
    assert {"/api/risk", "/api/inspections", "/api/layers/{name}"} <= set(spec["paths"])
    body = json.dumps(spec["components"]["schemas"]["InspectionIn"], ensure_ascii=False)
    assert "example" in body


def test_no_database_means_read_only(sample: Layers) -> None:
    with TestClient(create_app(layers=sample, settings=Settings(), authorised=True)) as c:
        record = {"target": "spot", "target_id": "S1", "date": DAY, "inspector": "张三"}
        r = c.post("/api/inspections", json=record)
    assert r.status_code == 503 and "--workspace" in r.json()["description"]


def test_csv_upload_of_households(client: TestClient, store: Store, sample: Layers) -> None:
    officer = _auth(store, "civil_affairs")
    hh = sample.households.iloc[:100].copy()
    frame = hh.drop(columns="geometry")
    frame["lon"], frame["lat"] = hh.geometry.x, hh.geometry.y
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    files = {"file": ("households.csv", buf.getvalue().encode("utf-8"), "text/csv")}
    r = client.post("/api/layers/households", files=files, headers=officer)
    assert r.status_code == 400 and "CRS" in r.json()["description"]
    r = client.post("/api/layers/households?crs=EPSG:4326", files=files, headers=officer)
    assert r.status_code == 201, r.text
    assert r.json()["rows"] == 100
