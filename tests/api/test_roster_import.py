"""A roster uploaded to the shared workspace (issue 22): ``POST /api/layers/households`` with the
Excel table a civil-affairs office holds, without coordinates and with names and ID numbers. The
rows are matched to the sample's villages and placed on their roads; nothing personal is stored
(read back from the database file itself); on SQLite and PostGIS."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from geo.layers import Layers
from geo.settings import Settings
from geo.storage import Store
from tests.geo.test_roster import ID_A, ID_B, NAMES, PHONE

DONGWAN, XIWAN = "421023101001", "421023101002"


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


def _xlsx(villages: list[str]) -> bytes:
    n = len(villages)
    table = pd.DataFrame(
        {
            "姓名": [NAMES[i % 3] for i in range(n)],
            "身份证号": [[ID_A, ID_B][i % 2] for i in range(n)],
            "联系电话": [PHONE] * n,
            "所在村": villages,
            "儿童数": [2] * n,
            "留守儿童数": [1] * n,
            "困境儿童数": [0] * n,
        }
    )
    buf = io.BytesIO()
    table.to_excel(buf, index=False)
    return buf.getvalue()


def test_a_roster_upload_is_placed_on_the_village_roads_and_keeps_nothing_personal(
    client: TestClient, store: Store, sample: Layers
) -> None:
    admin = {"Authorization": f"Bearer {store.add_user('admin', 'admin')}"}
    data = _xlsx(["东湾村", "西湾村委会", "东湾", "西湾村"])
    files = {"file": ("花名册.xlsx", data, "application/vnd.ms-excel")}
    r = client.post("/api/layers/households", files=files, headers=admin)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["rows"] == 4
    text = " ".join(body["warnings"])
    assert "姓名" in text and "身份证号" in text and "估" in text  # dropped, and estimated
    hh = store.read_layers()["households"]
    assert sorted(hh["village_code"]) == [DONGWAN, DONGWAN, XIWAN, XIWAN]
    assert hh["location_estimated"].all()
    areas = sample.areas.set_index("code")
    for code, point in zip(hh["village_code"], hh.geometry, strict=True):
        assert areas.geometry[code].buffer(1e-6).contains(point)
    # the workspace now serves the roster's households (the files' layer is replaced)
    ogc = client.get("/ogc/collections/households/items?limit=100", headers=admin).json()
    assert len(ogc["features"]) == 4
    assert all(f["properties"]["location_estimated"] for f in ogc["features"])
    # nothing personal in the answer, the stored layer, or the database itself
    stored = hh.to_csv() + r.text + ogc.__repr__()
    if store.folder is not None:  # the file and its write-ahead log
        for file in store.folder.glob("tongan.sqlite*"):
            stored += file.read_bytes().decode("latin-1")
    for secret in (*NAMES, ID_A, ID_B, PHONE):
        assert secret not in stored, secret
        assert secret.encode("utf-8").decode("latin-1") not in stored, secret


def test_a_roster_row_of_no_village_refuses_the_upload_and_keeps_the_layer(
    client: TestClient, store: Store
) -> None:
    admin = {"Authorization": f"Bearer {store.add_user('admin', 'admin')}"}
    files = {"file": ("花名册.xlsx", _xlsx(["东湾村", "北京村"]), "application/vnd.ms-excel")}
    r = client.post("/api/layers/households", files=files, headers=admin)
    assert r.status_code == 422, r.text
    assert "花名册.xlsx" in r.text and "3" in r.text  # the file and its row (header is row 1)
    assert "households" not in store.read_layers()
