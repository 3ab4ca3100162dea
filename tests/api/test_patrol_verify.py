"""``POST /api/patrols/verify``: the synthetic walk of 柳塘乡河长's stops (tests/patrol_walk.py)
uploaded by the chief, by others, and broken."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.server import create_app
from geo.layers import Layers
from geo.settings import DatabaseSettings, Settings
from geo.storage import Store
from tests.patrol_walk import CHIEF, DAY, SKIPPED, START, Walk, planned_stops, walk

URL = f"/api/patrols/verify?start={START}"


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    return layers


@pytest.fixture(scope="module")
def walked(sample: Layers) -> Walk:
    return walk(planned_stops(sample))


@pytest.fixture(scope="module")
def server(
    sample: Layers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Store]]:
    store = Store.open(DatabaseSettings(), tmp_path_factory.mktemp("verify"))
    with TestClient(create_app(layers=sample, settings=Settings(), store=store)) as client:
        yield client, store
    store.close()


def _bearer(store: Store, name: str, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.add_user(name, role)}"}  # type: ignore[arg-type]


def _upload(data: bytes, name: str = "巡查.gpx") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, data, "application/gpx+xml")}


def test_the_chief_verifies_their_own_patrol(
    server: tuple[TestClient, Store], walked: Walk
) -> None:
    client, store = server
    chief = _bearer(store, CHIEF, "river_chief")
    form = {"river_chief": CHIEF, "date": DAY.isoformat()}
    r = client.post(URL, files=_upload(walked.gpx), data=form, headers=chief)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [s["spot_id"] for s in body["stops"]] == walked.stops
    assert {s["spot_id"]: s["visited"] for s in body["stops"]} == {
        s: s != SKIPPED for s in walked.stops
    }
    assert (body["visited"], body["skipped"], body["unplanned"]) == (3, 1, [])
    skipped = next(s for s in body["stops"] if s["spot_id"] == SKIPPED)
    assert skipped["status"] == "skipped" and skipped["arrival"] is None
    last = body["stops"][-1]
    assert last["arrival"] == f"{DAY.isoformat()}T{walked.last_arrival}:00+08:00"
    assert last["minutes"] == 4.0 and last["order"] == 4
    assert body["distance_m"] == pytest.approx(walked.distance_m, rel=1e-3)
    assert body["minutes"] == walked.minutes
    assert (body["radius_m"], body["min_minutes"]) == (50.0, 3.0)
    # every one of the four stops is red (W002-011, KS-K03, W002-005, W002-006 on 2026-07-04)
    assert (body["red_planned"], body["red_visited"]) == (4, 3)
    # stored for the supervisor's page, audited in its own transaction
    (stored,) = store.patrol_checks(chiefs=[CHIEF])
    assert stored.id == body["check_id"] and stored.recorded_by == CHIEF
    assert (stored.planned, stored.visited, stored.skipped, stored.unplanned) == (4, 3, 1, 0)
    assert (stored.red_planned, stored.red_visited, stored.day) == (4, 3, DAY)
    assert {s.spot_id: s.visited for s in stored.stops} == {s: s != SKIPPED for s in walked.stops}
    assert {s.village_code for s in stored.stops} == {"421023102003"}  # 三合村, 柳塘乡
    assert stored.distance_m == pytest.approx(walked.distance_m, rel=1e-3)
    posts = [e for e in store.audit_log() if e["action"] == "post" and e["user"] == CHIEF]
    assert [e["resource"] for e in posts] == [f"/api/patrols/verify/{stored.id}"]


def test_query_parameters_and_other_roles(server: tuple[TestClient, Store], walked: Walk) -> None:
    client, store = server
    admin = _bearer(store, "admin-user", "admin")
    r = client.post(
        f"{URL}&river_chief={CHIEF}&date={DAY}", files=_upload(walked.gpx), headers=admin
    )
    assert r.status_code == 200, r.text
    assert r.json()["skipped"] == 1
    # the same chief and day checked again: the stored check is replaced, not added
    assert [c.id for c in store.patrol_checks(chiefs=[CHIEF])] == [r.json()["check_id"]]
    assert store.patrol_checks(chiefs=[CHIEF])[0].recorded_by == "admin-user"
    # a river chief may not check another chief's patrol; a viewer no patrol at all
    other = _bearer(store, "新堤村河长", "river_chief")
    form = {"river_chief": CHIEF, "date": DAY.isoformat()}
    refused = client.post(f"{URL}&lang=en", files=_upload(walked.gpx), data=form, headers=other)
    assert refused.status_code == 403
    assert "may verify their own patrols only" in refused.json()["description"]
    viewer = client.post(URL, files=_upload(walked.gpx), data=form)
    assert viewer.status_code == 403 and "supervisor" in viewer.json()["description"]
    assert store.patrol_checks(chiefs=[CHIEF])[0].recorded_by == "admin-user"  # refused: kept


def test_bad_input_is_a_422_with_the_fix(server: tuple[TestClient, Store], walked: Walk) -> None:
    client, store = server
    admin = _bearer(store, "admin-2", "admin")
    form = {"river_chief": CHIEF, "date": DAY.isoformat()}
    broken = client.post(
        f"{URL}&lang=en", files=_upload(b"<gpx><trk", "../broken.gpx"), data=form, headers=admin
    )
    assert broken.status_code == 422
    assert broken.json()["description"].startswith("broken.gpx: not a readable GPX file")
    unknown = {"river_chief": "王五", "date": DAY.isoformat()}
    r = client.post(URL, files=_upload(walked.gpx), data=unknown, headers=admin)
    assert r.status_code == 422 and "王五" in r.json()["description"]
    assert CHIEF in r.json()["description"]  # the chiefs with stops that day
    no_date = client.post(URL, files=_upload(walked.gpx), data={"river_chief": CHIEF},
                          headers=admin)  # fmt: skip
    assert no_date.status_code == 422 and "date" in no_date.json()["description"]


def test_a_server_without_a_database_checks_but_stores_nothing(
    sample: Layers, walked: Walk
) -> None:
    app = create_app(layers=sample, settings=Settings(), authorised=True)  # civil_affairs
    with TestClient(app) as client:
        form = {"river_chief": CHIEF, "date": DAY.isoformat()}
        r = client.post(URL, files=_upload(walked.gpx), data=form)
    assert r.status_code == 200, r.text
    assert r.json()["check_id"] is None and r.json()["visited"] == 3
