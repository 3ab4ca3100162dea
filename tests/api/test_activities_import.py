"""A layer an analysis declares (issue 17) is imported through the API like a built-in one, and
the analysis then reads it: the ``activities`` layer of safety-education records."""

from __future__ import annotations

import geopandas as gpd
from fastapi.testclient import TestClient
from shapely.geometry import Point

from api.server import create_app
from geo.layers import Layers
from geo.settings import Settings
from geo.storage import Store
from tests.api.test_data_api import sample  # noqa: F401  (the module fixture)

DAY = "2026-07-15"


def _activities(village: str, where: Point) -> bytes:
    frame = gpd.GeoDataFrame(
        {
            "id": ["a1", "a2", "a3"],
            "village_code": [village, village, village],
            "date": ["2026-03-01", "2026-05-20", "2024-01-10"],  # the last is over a year old
            "kind": ["drowning", "road_safety", "drowning"],
            "attendance": [30, 12, 50],
        },
        geometry=[where, where, where],
        crs=4326,
    )
    return frame.to_json().encode()


def test_an_admin_imports_activities_and_the_analysis_counts_them(
    sample: Layers,  # noqa: F811
    store: Store,
) -> None:
    villages = sample.areas[sample.areas["level"] == "village"]
    code = str(villages["code"].iloc[0])
    where = villages.geometry.iloc[0].representative_point()
    admin = {"Authorization": f"Bearer {store.add_user('admin-user', 'admin')}"}
    with TestClient(create_app(layers=sample, settings=Settings(), store=store)) as client:
        before = client.get(f"/api/activities?date={DAY}").json()
        files = {"file": ("activities.geojson", _activities(code, where), "application/geo+json")}
        r = client.post("/api/layers/activities", files=files, headers=admin)
        assert r.status_code == 201, r.text
        assert r.json()["rows"] == 3
        after = client.get(f"/api/activities?date={DAY}").json()
        # an unknown layer is still refused by name
        assert client.post("/api/layers/nope", files=files, headers=admin).status_code == 404
    rows = {
        f["properties"]["village_code"]: f["properties"]
        for f in after["tables"]["villages"]["features"]
    }
    assert rows[code]["activities"] == 2 and rows[code]["attendance"] == 42
    earlier = {
        f["properties"]["village_code"]: f["properties"]["activities"]
        for f in before["tables"]["villages"]["features"]
    }
    assert earlier[code] == 0
    assert sum(v["activities"] for v in rows.values()) == 2
