"""The server's state in one object: the page-result cache, the snapshot's road network, deps.

Counts come from the objects' own statistics (``PageResults.hits``, ``NetworkCache.builds``):
nothing is patched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.pages import PAGES
from api.state import CONTEXT_TAKES_NETWORK, ServerState
from geo.layers import Layers
from geo.settings import Settings
from geo.storage import InspectionIn, Store

DAY = dt.date(2026, 7, 15)


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    return layers


@pytest.fixture(scope="module")
def client(sample: Layers) -> Iterator[TestClient]:
    with TestClient(create_app(layers=sample, settings=Settings(), today=DAY)) as c:
        yield c


def _state(client: TestClient) -> ServerState:
    return ServerState.of(client.app)  # type: ignore[arg-type]


def test_the_state_is_one_object_on_the_app(client: TestClient) -> None:
    state = _state(client)
    assert state.today() == DAY and state.anonymous.role == "viewer"
    assert client.get("/healthz").text == f"ok {state.version}"
    assert state.store is None and state.workspace.writable is False


def test_a_repeat_is_a_cache_hit_and_other_parameters_are_a_miss(client: TestClient) -> None:
    results = _state(client).results
    client.get("/maps/overview/map")
    hits, misses, size = results.hits, results.misses, len(results)
    assert client.get("/maps/overview").status_code == 200  # the page and its map: one result
    assert client.get("/api/risk").status_code == 200
    assert client.get("/maps/risk").status_code == 200  # the API's result on the same basemap
    assert (results.hits - hits, results.misses - misses, len(results) - size) == (2, 1, 1)
    assert client.get("/maps/risk?lang=en").status_code == 200
    assert (results.misses - misses, len(results) - size) == (2, 2)


def test_the_network_is_built_once_per_roads_version(sample: Layers, store: Store) -> None:
    state = ServerState.of(create_app(layers=sample, settings=Settings(), store=store))
    snap = state.workspace.snapshot()
    first = snap.network()
    assert snap.network() is first
    assert (snap.networks.builds, snap.networks.hits) == (1, 1)
    # an inspection changes the equipment only: the next snapshot keeps the network
    record = InspectionIn.model_validate(
        {
            "target": "spot",
            "target_id": "W001-r1",
            "water_id": "W001",
            "date": "2026-07-15",
            "inspector": "王河长",
            "items": [{"kind": "life_buoy", "condition": "ok", "lon": 112.95, "lat": 29.8052}],
        }
    )
    state.workspace.add_inspection(record, user="chief")
    after = state.workspace.snapshot()
    assert after.revision > snap.revision and after.layers.equipment is not snap.layers.equipment
    assert after.network() is first and after.networks.builds == 1


@pytest.mark.skipif(
    not CONTEXT_TAKES_NETWORK,
    reason="api.pages.Context has no `network` field yet (the contract branch adds it)",
)
def test_the_patrol_page_builds_the_network_once(sample: Layers) -> None:
    with TestClient(create_app(layers=sample, settings=Settings(), today=DAY)) as c:
        networks = _state(c).workspace.snapshot().networks
        assert networks.builds == 0  # lazily: no page asked yet
        assert c.get("/maps/overview").status_code == 200
        assert networks.builds == 0  # the overview does not route
        assert c.get("/maps/patrol").status_code == 200
        assert networks.builds == 1
        for url in ("/maps/patrol?hours=4", "/maps/risk", "/maps/visits", "/api/patrol?days=2"):
            assert c.get(url).status_code == 200, url
        assert networks.builds == 1


def test_pages_refuse_bad_parameters_through_their_dependencies(client: TestClient) -> None:
    r = client.get("/maps/nope/download.csv")
    assert r.status_code == 404 and "没有这张地图:nope" in r.text and ", ".join(PAGES) in r.text
    r = client.get("/maps/patrol?hours=99&basemap=nope&lang=en")  # parameters first, then basemap
    assert r.status_code == 422 and "Parameter hours is wrong" in r.text
    r = client.get("/maps/patrol?basemap=nope&lang=en")
    assert r.status_code == 422 and "Parameter basemap is wrong: osm | blank | amap" in r.text
    r = client.get("/maps/risk/download.pdf")
    assert r.status_code == 404 and "本地图没有 pdf 格式的下载" in r.text
    r = client.get("/maps/risk/layers/nope.geojson?lang=en")
    assert r.status_code == 404 and "No such page: /maps/risk/layers/nope.geojson" in r.text


def test_the_pages_words_come_from_the_catalogue(client: TestClient) -> None:
    from geo.i18n import tr

    zh, en = client.get("/").text, client.get("/?lang=en").text
    assert tr("server_app", "zh") in zh and tr("server_switch", "zh") in zh
    assert tr("server_app", "en") in en and tr("server_intro", "en") in en
    assert 'href="/?lang=zh"' in en  # the switch leads to the other language
    q = client.get("/quarantine?lang=en").text
    assert tr("quarantine_title", "en") in q and tr("quarantine_none", "en") in q
    assert '"bad_json": "Give JSON, e.g. {\\"items\\": [...]}"' in q  # the script's words
