"""Home visits over HTTP (issue 19): recorded once per key, refused with the field named, scoped to
the director's villages, and seen by the next visit plan and the household's file (一人一档).

On SQLite and PostGIS (the ``store`` fixture). Sample: 东湾村 (421023101001) household H00007 is
overdue for a home visit on 2026-07-15 (last one 2026-01-26, every 90 days).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from geo.layers import Layers
from geo.settings import Settings
from geo.storage import Store

DONGWAN, XIWAN, LIUTANG = "421023101001", "421023101002", "421023102000"
QINGHE = "421023101000"
HOUSEHOLD = "H00007"  # 东湾村, home visit overdue on DAY
DAY = "2026-07-15"
URL = "/api/visit-records"


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    return layers


@pytest.fixture
def client(sample: Layers, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(layers=sample, settings=Settings(), store=store)) as c:
        yield c


def _bearer(store: Store, role: str, area: str | None, name: str) -> dict[str, str]:
    token = store.add_user(name, role, area=area)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {token}"}


def _visit(**extra: object) -> dict[str, object]:
    return {
        "household_id": HOUSEHOLD,
        "kind": "home_visit",
        "date": "2026-07-14",
        "checklist": {"safety": True, "guardianship": True, "care_agreement": True},
        "problems": "暑假无人看护,常去塘边",
        "help": "联系学校暑期托管",
        "follow_up": "2026-08-01",
        **extra,
    }


def _overdue(client: TestClient, headers: dict[str, str]) -> set[str]:
    r = client.get(f"/api/visits?date={DAY}&village={DONGWAN}", headers=headers)
    assert r.status_code == 200, r.text
    return {row["household_id"] for row in r.json()["tables"]["overdue"]}


def test_a_visit_is_stored_once_per_key_and_the_next_plan_knows_it(
    client: TestClient, store: Store
) -> None:
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    assert HOUSEHOLD in _overdue(client, director)
    key = {"Idempotency-Key": "3f0c6c1e-0d7e-4f8e-9a51-6f3d2b8c9a10"}
    first = client.post(URL, json=_visit(), headers={**director, **key})
    assert first.status_code == 201, first.text
    again = client.post(URL, json=_visit(), headers={**director, **key})
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert [v.id for v in store.visits()] == [first.json()["id"]]
    assert first.json()["recorded_by"] == "李主任"
    # the next plan sees the visit: H00007 is no longer overdue for a home visit
    assert HOUSEHOLD not in _overdue(client, director)
    file = client.get(f"/api/households/{HOUSEHOLD}/file", headers=director)
    assert file.status_code == 200, file.text
    body = file.json()
    assert (body["last_home_visit"], body["last_contact"]) == ("2026-07-14", "2026-07-14")
    assert body["care_agreement"] is True and body["next_follow_up"] == "2026-08-01"
    assert [p["problems"] for p in body["open_problems"]] == ["暑假无人看护,常去塘边"]
    # a later contact that finds nothing closes the problem; the history keeps both, newest first
    later = _visit(kind="contact", date="2026-07-20", problems="", help="", follow_up=None)
    assert client.post(URL, json=later, headers=director).status_code == 201
    body = client.get(f"/api/households/{HOUSEHOLD}/file", headers=director).json()
    assert body["open_problems"] == [] and body["last_home_visit"] == "2026-07-14"
    assert [v["date"] for v in body["visits"]] == ["2026-07-20", "2026-07-14"]
    entries = [e for e in store.audit_log() if e["action"] == "post"]
    # one entry per stored record, and the resend's request (200: nothing stored)
    assert sorted(e["resource"] for e in entries) == [URL, f"{URL}/1", f"{URL}/2"]
    assert next(e for e in entries if e["resource"] == URL)["detail"].startswith("200")


def test_another_villages_household_is_answered_as_an_unknown_one(
    client: TestClient, store: Store, sample: Layers
) -> None:
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    hh = sample.households
    other = str(hh.loc[hh["village_code"] == XIWAN, "id"].iloc[0])
    refused = client.post(URL, json=_visit(household_id=other), headers=director)
    unknown = client.post(URL, json=_visit(household_id="H99999"), headers=director)
    assert refused.status_code == unknown.status_code == 422
    text = refused.json()["description"]
    assert text.replace(other, "H99999") == unknown.json()["description"]
    assert "household_id" in text and DONGWAN in text
    files = [client.get(f"/api/households/{h}/file", headers=director) for h in (other, "H99999")]
    assert [f.status_code for f in files] == [404, 404]
    assert files[0].json()["description"].replace(other, "H99999") == files[1].json()["description"]
    # the list holds the director's own village only
    admin = _bearer(store, "admin", None, "admin")
    assert client.post(URL, json=_visit(household_id=other), headers=admin).status_code == 201
    assert client.get(URL, headers=director).json() == []
    assert [v["household_id"] for v in client.get(URL, headers=admin).json()] == [other]
    assert store.visits()[0].household_id == other


def test_who_may_record_and_read(client: TestClient, store: Store) -> None:
    supervisor = _bearer(store, "supervisor", QINGHE, "王督导")
    elsewhere = _bearer(store, "supervisor", LIUTANG, "赵督导")
    chief = _bearer(store, "river_chief", None, "清河乡河长")
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    assert client.post(URL, json=_visit(), headers=supervisor).status_code == 403
    assert client.post(URL, json=_visit(), headers=chief).status_code == 403
    assert client.post(URL, json=_visit()).status_code == 403  # anonymous: a viewer
    assert client.post(URL, json=_visit(), headers=director).status_code == 201
    path = f"/api/households/{HOUSEHOLD}/file"
    assert client.get(path, headers=supervisor).status_code == 200
    assert client.get(path, headers=elsewhere).status_code == 404
    assert client.get(path, headers=chief).status_code == 403
    assert client.get(path).status_code == 403
    assert client.get(URL, headers=chief).status_code == 403
    assert len(client.get(URL, headers=supervisor).json()) == 1
    # a key is its author's: another user's resend is refused, nothing stored
    key = {"Idempotency-Key": "key-of-li-0001"}
    assert client.post(URL, json=_visit(), headers={**director, **key}).status_code == 201
    admin = _bearer(store, "admin", None, "admin")
    assert client.post(URL, json=_visit(), headers={**admin, **key}).status_code == 409
    assert len(store.visits()) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2099-01-01"}, "date"),
        ({"follow_up": "2026-07-01"}, "follow_up"),
        ({"problems": "母亲电话 13912345678"}, "problems"),
        ({"help": "身份证 11010519491231002X"}, "help"),
        ({"relocate": True}, "relocate"),
        ({"lon": 121.5, "lat": 31.2}, "lon/lat"),  # Shanghai, far from the sample county
        ({"kind": "letter"}, "kind"),
        ({"household_id": ""}, "household_id"),
    ],
)
def test_a_bad_record_is_refused_naming_the_field_and_nothing_is_stored(
    client: TestClient, store: Store, change: dict[str, object], field: str
) -> None:
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    r = client.post(URL, json=_visit(**change), headers=director)
    assert r.status_code == 422, r.text
    assert field in r.text
    assert "13912345678" not in r.text and "11010519491231002X" not in r.text
    assert store.visits() == []


def test_the_director_corrects_a_households_location(
    client: TestClient, store: Store, sample: Layers
) -> None:
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    before = sample.households.set_index("id").geometry[HOUSEHOLD]
    lon, lat = round(before.x + 0.001, 6), round(before.y + 0.0005, 6)
    moved = _visit(lon=lon, lat=lat, relocate=True)
    assert client.post(URL, json=moved, headers=director).status_code == 201
    r = client.get(f"/ogc/collections/households/items/{HOUSEHOLD}", headers=director)
    assert r.status_code == 200, r.text
    assert r.json()["geometry"]["coordinates"] == pytest.approx([lon, lat])
    entry = next(e for e in store.audit_log() if e["action"] == "post")
    assert entry["user"] == "李主任" and entry["resource"].startswith(URL)
