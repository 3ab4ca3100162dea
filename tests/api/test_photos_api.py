"""Photos over HTTP (issue 19 item 5): added by the record's author, stored without EXIF, sent
only to the roles that see the record; on SQLite and PostGIS."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.main import create_app
from geo.layers import Layers
from geo.settings import PhotoSettings, Settings
from geo.storage import Store
from tests.geo.test_photos import phone_jpeg

DONGWAN, QINGHE, LIUTANG = "421023101001", "421023101000", "421023102000"
VISIT = {"household_id": "H00007", "kind": "home_visit", "date": "2026-07-14"}


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    return layers


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "photos"


@pytest.fixture
def client(sample: Layers, store: Store, folder: Path) -> Iterator[TestClient]:
    settings = Settings(photos=PhotoSettings(directory=folder, per_record=2))
    with TestClient(create_app(layers=sample, settings=settings, store=store)) as c:
        yield c


def _bearer(store: Store, role: str, area: str | None, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.add_user(name, role, area=area)}"}  # type: ignore[arg-type]


def _file(data: bytes, name: str = "门口.jpg") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, data, "image/jpeg")}


def test_a_visit_photo_is_stored_without_exif_and_seen_in_the_villages_only(
    client: TestClient, store: Store, folder: Path
) -> None:
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    visit = client.post("/api/visit-records", json=VISIT, headers=director).json()
    url = f"/api/visit-records/{visit['id']}/photos"
    r = client.post(url, files=_file(phone_jpeg()), headers=director)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["location_removed"] is True and (body["width"], body["height"]) == (1365, 2048)
    # on disk and over HTTP: no EXIF, no GPS
    (stored,) = (folder / "visit-records" / str(visit["id"])).iterdir()
    assert b"PhoneMaker" not in stored.read_bytes()
    sent = client.get(body["url"], headers=director)
    assert sent.status_code == 200 and sent.headers["content-type"] == "image/jpeg"
    assert sent.content == stored.read_bytes()
    assert dict(Image.open(io.BytesIO(sent.content)).getexif()) == {}
    assert "no-store" in sent.headers["cache-control"]
    supervisor = _bearer(store, "supervisor", QINGHE, "王督导")
    assert [p["name"] for p in client.get(url, headers=supervisor).json()] == [body["name"]]
    # every one else: 404 as for an unknown record, or 403 for a role without files
    elsewhere = _bearer(store, "supervisor", LIUTANG, "赵督导")
    chief = _bearer(store, "river_chief", None, "清河乡河长")
    for headers, status in ((elsewhere, 404), (chief, 403), ({}, 403)):
        assert client.get(body["url"], headers=headers).status_code == status
        assert client.get(url, headers=headers).status_code == status
    unknown = client.get("/api/visit-records/999/photos", headers=director)
    assert unknown.status_code == 404
    assert (
        client.get(url, headers=elsewhere).json()["description"].replace(str(visit["id"]), "999")
        == unknown.json()["description"]
    )


def test_only_the_author_adds_photos_and_bad_files_are_refused(
    client: TestClient, store: Store, folder: Path
) -> None:
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    other = _bearer(store, "children_director", DONGWAN, "张主任")
    visit = client.post("/api/visit-records", json=VISIT, headers=director).json()
    url = f"/api/visit-records/{visit['id']}/photos"
    assert client.post(url, files=_file(phone_jpeg()), headers=other).status_code == 403
    svg = _file(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "a.jpg")
    refused = client.post(url, files=svg, headers=director)
    assert refused.status_code == 422 and "JPEG" in refused.json()["description"]
    assert (
        client.post(url, files=_file(b"\xff\xd8\xff" + b"\0" * 50), headers=director).status_code
        == 422
    )
    for n in (1, 2):
        ok = client.post(url, files=_file(phone_jpeg(100 * n, 80, orientation=1)), headers=director)
        assert ok.status_code == 201, ok.text
    third = client.post(url, files=_file(phone_jpeg(300, 80, orientation=1)), headers=director)
    assert third.status_code == 422 and "2" in third.json()["description"]
    assert len(client.get(url, headers=director).json()) == 2
    path = f"{url}/..%2F..%2Fsecret"
    assert client.get(path, headers=director).status_code in {404, 422}


def test_an_inspection_photo_for_the_inspecting_roles(client: TestClient, store: Store) -> None:
    chief = _bearer(store, "river_chief", None, "河长甲")
    record = {
        "target": "spot", "target_id": "W001-r1", "date": "2026-07-14", "inspector": "河长甲",
        "items": [],
    }  # fmt: skip
    inspection = client.post("/api/inspections", json=record, headers=chief)
    assert inspection.status_code == 201, inspection.text
    url = f"/api/inspections/{inspection.json()['id']}/photos"
    assert client.post(url, files=_file(phone_jpeg(200, 100)), headers=chief).status_code == 201
    director = _bearer(store, "children_director", DONGWAN, "李主任")
    assert client.get(url, headers=director).status_code == 403
    assert len(client.get(url, headers=chief).json()) == 1
