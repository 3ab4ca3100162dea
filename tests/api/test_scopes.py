"""Every role against the channels that serve households (issue 18), on SQLite and PostGIS.

A user with an area sees the households of the villages under it exactly; another village's
households, asked for by id, by a bbox covering them or through an analysis, reach it only as
the aggregates a viewer gets. Roles without household access see none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from geo.layers import Layers
from geo.settings import AccountSettings, Settings
from geo.storage import Store

COUNTY, QINGHE, LIUTANG = "421023", "421023101000", "421023102000"
DONGWAN, XIWAN = "421023101001", "421023101002"
QINGHE_VILLAGES = {f"4210231010{n:02d}" for n in range(1, 8)}
LIUTANG_VILLAGES = {f"4210231020{n:02d}" for n in range(1, 6)}
ALL = QINGHE_VILLAGES | LIUTANG_VILLAGES
PASSWORD = "长江 flows east 1"
DAY = "2026-07-15"

#: role, area -> the villages whose households it gets from /ogc (None: no collection).
EXPECTED: dict[tuple[str, str | None], set[str] | None] = {
    ("admin", None): ALL,
    ("civil_affairs", COUNTY): ALL,
    ("civil_affairs", None): ALL,  # a user made before areas existed
    ("civil_affairs", QINGHE): QINGHE_VILLAGES,
    ("children_director", DONGWAN): {DONGWAN},
    ("supervisor", LIUTANG): LIUTANG_VILLAGES,
    ("river_chief", None): None,
    ("river_chief", DONGWAN): None,
    ("education", LIUTANG): None,
    ("viewer", None): None,
}


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    return layers


@pytest.fixture
def client(sample: Layers, store: Store) -> Iterator[TestClient]:
    settings = Settings(accounts=AccountSettings(failure_delay_s=0))
    with TestClient(create_app(layers=sample, settings=settings, store=store)) as c:
        yield c


def _bearer(store: Store, role: str, area: str | None, name: str | None = None) -> dict[str, str]:
    token = store.add_user(name or f"{role}-{area}", role, area=area)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {token}"}


def _villages(client: TestClient, headers: dict[str, str], query: str = "") -> set[str] | None:
    r = client.get(f"/ogc/collections/households/items?limit=10000{query}", headers=headers)
    if r.status_code == 404:
        return None
    assert r.status_code == 200, r.text
    return {f["properties"]["village_code"] for f in r.json()["features"]}


def test_each_role_gets_the_households_of_its_area_only(
    client: TestClient, store: Store, sample: Layers
) -> None:
    for (role, area), expected in EXPECTED.items():
        headers = _bearer(store, role, area)
        assert _villages(client, headers) == expected, (role, area)
        listed = client.get("/ogc/collections", headers=headers)
        assert listed.status_code == 200, (role, area, listed.text)
        ids = {c["id"] for c in listed.json()["collections"]}
        assert "household_cells" in ids
        assert ("households" in ids) == (expected is not None), (role, area)
    counts = sample.households["village_code"].value_counts()
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    body = client.get("/ogc/collections/households/items?limit=10000", headers=director).json()
    assert body["numberMatched"] == counts[DONGWAN] == 353


def test_a_bbox_over_another_village_gives_nothing_of_it(
    client: TestClient, store: Store, sample: Layers
) -> None:
    director = _bearer(store, "children_director", DONGWAN)
    xiwan = sample.areas.set_index("code").geometry[XIWAN]
    x0, y0, x1, y1 = xiwan.bounds
    inside = sample.households[sample.households["village_code"] == XIWAN]
    assert len(inside) == 100  # the bbox really covers Xiwan's households
    got = _villages(client, director, f"&bbox={x0},{y0},{x1},{y1}")
    assert got is not None and XIWAN not in got and got <= {DONGWAN}
    county = _bearer(store, "civil_affairs", COUNTY)
    assert XIWAN in (_villages(client, county, f"&bbox={x0},{y0},{x1},{y1}") or set())


def test_guessing_another_villages_household_id_is_a_403_naming_the_area(
    client: TestClient, store: Store, sample: Layers
) -> None:
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    households = sample.households
    own = str(households.loc[households["village_code"] == DONGWAN, "id"].iloc[0])
    other = str(households.loc[households["village_code"] == XIWAN, "id"].iloc[0])
    url = "/ogc/collections/households/items/"
    assert client.get(url + own, headers=director).status_code == 200
    refused = client.get(url + other, headers=director)
    assert refused.status_code == 403
    text = refused.json()["description"]
    assert DONGWAN in text and "household_cells" in text and XIWAN not in text
    assert client.get(url + "no-such-id", headers=director).status_code == 404
    viewer = _bearer(store, "viewer", None)
    assert client.get(url + own, headers=viewer).status_code == 404  # no such collection


def test_the_visit_plan_of_a_director_is_its_own_village_exactly(
    client: TestClient, store: Store
) -> None:
    director = _bearer(store, "children_director", DONGWAN)
    own = client.get(f"/api/visits?date={DAY}", headers=director)
    assert own.status_code == 200, own.text
    text = own.text
    assert DONGWAN in text
    assert not re.search(r"4210231010(0[2-7])|42102310200[1-5]", _household_rows(own.json()))
    # a viewer gets the public view; the director's result is not the viewer's cached one
    viewer = client.get(f"/api/visits?date={DAY}").json()
    assert viewer != own.json()


def _household_rows(body: dict[str, object]) -> str:
    """The tables of an /api answer that list households (their village codes), as text."""
    import json

    tables = body.get("tables", {})
    assert isinstance(tables, dict)
    rows = {
        name: table
        for name, table in tables.items()
        if "household" in name or "visit" in name or "route" in name
    }
    return json.dumps(rows, ensure_ascii=False)


def test_reads_of_households_are_audited_with_the_area(client: TestClient, store: Store) -> None:
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    client.get("/ogc/collections/households/items?limit=5", headers=director)
    entry = next(e for e in store.audit_log() if e["user"] == "李主任")
    assert entry["resource"] == "/ogc/collections/households/items"
    assert entry["detail"] == f"200 area={DONGWAN}"
    assert client.get("/api/audit", headers=director).status_code == 403
    admin = _bearer(store, "admin", None)
    assert client.get("/api/audit", headers=admin).status_code == 200


def test_an_import_needs_a_county_wide_user(client: TestClient, store: Store) -> None:
    township = _bearer(store, "civil_affairs", QINGHE)
    files = {"file": ("households.csv", b"id,village_code\n", "text/csv")}
    r = client.post("/api/layers/households", files=files, headers=township)
    assert r.status_code == 403 and "whole county" in r.json()["description"]
    county = _bearer(store, "civil_affairs", COUNTY)
    r = client.post("/api/layers/households", files=files, headers=county)
    assert r.status_code != 403  # refused for its content, not for who sent it
    director = _bearer(store, "children_director", DONGWAN)
    assert client.post("/api/layers/households", files=files, headers=director).status_code == 403


def test_sign_in_from_the_browser_scopes_every_channel(client: TestClient, store: Store) -> None:
    store.add_user("李主任", "children_director", area=DONGWAN, password=PASSWORD)
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    r = client.post(
        "/login",
        data={"name": "李主任", "password": PASSWORD, "csrf": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _villages(client, {}) == {DONGWAN}
    index = client.get("/")
    assert "李主任" in index.text and "儿童主任" in index.text and "东湾村" in index.text
    me = client.get("/api/me").json()
    assert me["name"] == "李主任" and me["role"] == "children_director"
    # a write signed by the cookie needs the page's CSRF token
    refused = client.post("/api/inspections", json={})
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["description"]


def test_authorised_only_on_this_machine(tmp_path: object) -> None:
    from api.cli import app

    result = CliRunner().invoke(app, ["serve", "--authorised", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "127.0.0.1" in result.output and "--authorised" in result.output


def test_a_river_chief_records_inspections_of_its_own_waters(
    client: TestClient, store: Store, sample: Layers
) -> None:
    waters = sample.waters
    own = str(waters.loc[waters["river_chief"] == "东湾村河长", "id"].iloc[0])
    other = str(waters.loc[waters["river_chief"] == "柳塘乡河长", "id"].iloc[0])
    chief = _bearer(store, "river_chief", None, "东湾村河长")

    def inspect(water: str, **extra: object) -> dict[str, object]:
        return {
            "target": "spot", "target_id": f"{water}-r1", "date": DAY, "inspector": "东湾村河长",
            "items": [], "note": "巡查", **extra,
        }  # fmt: skip

    refused = client.post("/api/inspections", json=inspect(other), headers=chief)
    assert refused.status_code == 403, refused.text
    assert own in refused.json()["description"] and other in refused.json()["description"]
    assert client.post("/api/inspections", json=inspect(own), headers=chief).status_code == 201
    sneaky = inspect(own, water_id=other)  # the stated water counts
    assert client.post("/api/inspections", json=sneaky, headers=chief).status_code == 403
    anyone = _bearer(store, "river_chief", None, "nobody")  # a chief of old: every water
    assert client.post("/api/inspections", json=inspect(other), headers=anyone).status_code == 201
    director = _bearer(store, "children_director", DONGWAN)
    assert client.post("/api/inspections", json=inspect(own), headers=director).status_code == 403


def _last_fit(html: str) -> list[float]:
    """The bounds of the last ``fitBounds`` of a folium map (the view it opens on)."""
    fits = re.findall(
        r"fitBounds\(\s*\[\[([-\d.e]+),\s*([-\d.e]+)\],\s*\[([-\d.e]+),\s*([-\d.e]+)\]\]", html
    )
    assert fits, "the map fits no bounds"
    return [float(v) for v in fits[-1]]


@pytest.mark.parametrize("page", ["visits?date=2026-07-15", "coverage?standard_m=1000"])
def test_a_directors_maps_open_on_their_village(
    client: TestClient, store: Store, sample: Layers, page: str
) -> None:
    page, query = page.split("?")
    areas = sample.areas.to_crs(4326).set_index("code")
    minx, miny, maxx, maxy = areas.loc[[DONGWAN]].total_bounds
    director = _bearer(store, "children_director", DONGWAN)
    r = client.get(f"/maps/{page}/map?{query}", headers=director)
    assert r.status_code == 200, r.text
    assert _last_fit(r.text) == pytest.approx([miny, minx, maxy, maxx], abs=1e-6)
    # a supervisor's open on the township's villages; the viewer's on the question's features
    supervisor = _bearer(store, "supervisor", LIUTANG)
    r = client.get(f"/maps/{page}/map?{query}", headers=supervisor)
    lx, ly, hx, hy = areas.loc[sorted(LIUTANG_VILLAGES)].total_bounds
    assert _last_fit(r.text) == pytest.approx([ly, lx, hy, hx], abs=1e-6)
    viewer = client.get(f"/maps/{page}/map?{query}").text
    assert _last_fit(viewer) != pytest.approx([miny, minx, maxy, maxx], abs=1e-6)
