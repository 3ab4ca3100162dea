"""A workspace that one bad record cannot break (issue 16), on SQLite and PostGIS.

Writes are refused (422, the field and the fix, nothing stored) by the import rules; what is in
the store anyway is quarantined, listed on every answer, and its author or an admin can correct
or withdraw it; new inspections are applied incrementally, to the same layers a rebuild gives.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from geopandas.testing import assert_geodataframe_equal

from api.server import create_app
from api.workspace import Workspace
from geo.layers import Layers
from geo.settings import Settings
from geo.storage import InspectionIn, Store

DAY = "2026-07-15"
LAT = 29.8052
GOOD_LON, TYPO_LON = 112.95, 112.59  # the river chief's typo of the issue: two digits swapped


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    return layers


def _buoy(item_lon: float, **extra: object) -> dict[str, object]:
    return {
        "target": "spot",
        "target_id": "W001-r1",
        "water_id": "W001",
        "date": DAY,
        "inspector": "王河长",
        "items": [{"kind": "life_buoy", "condition": "ok", "lon": item_lon, "lat": LAT}],
        "note": "新装救生圈",
        **extra,
    }


def _auth(store: Store, name: str, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.add_user(name, role)}"}  # type: ignore[arg-type]


@pytest.fixture
def client(sample: Layers, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(layers=sample, settings=Settings(), store=store)) as c:
        yield c


# --- 1. writes are checked where they enter -----------------------------------------------------


def test_the_life_buoy_typo_is_refused_and_nothing_is_stored(
    client: TestClient, store: Store, sample: Layers
) -> None:
    chief = _auth(store, "chief", "river_chief")
    r = client.post("/api/inspections", json=_buoy(TYPO_LON), headers=chief)
    assert r.status_code == 422, r.text
    text = r.json()["description"]
    assert "items[1].lon/lat" in text and "距研究区" in text and "未作任何更改" in text
    # 112.59 lies about 30 km west of the sample county (its west edge is at 112.907)
    metres = int(text.split("距研究区 ")[1].split(" ")[0])
    assert 28_000 < metres < 34_000
    en = client.post("/api/inspections?lang=en", json=_buoy(TYPO_LON), headers=chief)
    assert en.status_code == 422 and "outside the study area" in en.json()["description"]
    assert store.count_inspections() == 0 and store.revision() == 0
    assert not [e for e in store.audit_log(limit=100) if e["detail"] == "201"]
    # the analyses, OGC and /api/layers keep answering, and the right coordinates are accepted
    assert client.get(f"/api/risk?date={DAY}").status_code == 200
    ok = client.post("/api/inspections", json=_buoy(GOOD_LON), headers=chief)
    assert ok.status_code == 201, ok.text
    items = client.get("/ogc/collections/equipment/items?limit=1000").json()
    assert items["numberMatched"] == len(sample.equipment) + 1
    assert client.get("/api/layers").status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "fix"),
    [
        ({"water_id": "W-nope"}, "water_id", "waters.id"),
        ({"date": "2099-01-01"}, "date", "巡查当天"),
        ({"target": "equipment", "target_id": "E-nope"}, "target_id", "E-nope"),
        ({"lon": 112.59, "lat": LAT}, "lon/lat", "距研究区"),
        (
            {"items": [{"kind": "life_buoy", "id": "E-nope", "condition": "ok"}]},
            "items[1].id",
            "lon 和 lat",
        ),
    ],
)
def test_every_rule_names_the_field_and_the_fix(
    client: TestClient, store: Store, change: dict[str, object], field: str, fix: str
) -> None:
    chief = _auth(store, "chief", "river_chief")
    r = client.post("/api/inspections", json=_buoy(GOOD_LON, **change), headers=chief)
    assert r.status_code == 422, r.text
    assert field in r.json()["description"] and fix in r.json()["description"]
    assert store.count_inspections() == 0


# --- 2. degrade, never die ----------------------------------------------------------------------


def test_a_bad_record_in_the_store_is_quarantined_and_can_be_corrected_or_withdrawn(
    sample: Layers, store: Store
) -> None:
    # written straight into the database, past the checks (an older record, a rule that changed)
    bad = store.add_inspection(InspectionIn.model_validate(_buoy(TYPO_LON)), user="chief")
    good = store.add_inspection(InspectionIn.model_validate(_buoy(GOOD_LON)), user="chief")
    chief = _auth(store, "chief", "river_chief")
    other = _auth(store, "other", "river_chief")
    admin = _auth(store, "boss", "admin")
    with TestClient(create_app(layers=sample, settings=Settings(), store=store)) as c:
        risk = c.get(f"/api/risk?date={DAY}")
        assert risk.status_code == 200, risk.text
        (warning,) = risk.json()["warnings"]
        assert f"#{bad.id} far_outside" in warning and f"#{good.id} " not in warning
        assert "PATCH / DELETE" in warning
        equipment = c.get("/ogc/collections/equipment/items?limit=1000")
        assert equipment.status_code == 200
        assert equipment.json()["numberMatched"] == len(sample.equipment) + 1  # the good one
        layers = c.get("/api/layers")
        assert layers.status_code == 200
        assert layers.headers["X-Tongan-Quarantine"].startswith(f"inspections={bad.id};")
        page = c.get("/maps/risk")
        assert page.status_code == 200 and f"#{bad.id} far_outside" in page.text
        held = c.get("/api/quarantine?lang=en").json()
        assert [(r["inspection"], r["field"], r["rule"]) for r in held["records"]] == [
            (bad.id, "items[1].lon/lat", "far_outside")
        ]
        assert "outside the study area" in held["records"][0]["message"]

        fix = {"items": [{"kind": "life_buoy", "condition": "ok", "lon": GOOD_LON, "lat": LAT}]}
        assert c.patch(f"/api/inspections/{bad.id}", json=fix, headers=other).status_code == 403
        assert c.patch("/api/inspections/999999", json=fix, headers=chief).status_code == 404
        worse = {"items": [{"kind": "life_buoy", "condition": "ok", "lon": 112.58, "lat": LAT}]}
        r = c.patch(f"/api/inspections/{bad.id}", json=worse, headers=chief)
        assert r.status_code == 422 and "items[1].lon/lat" in r.json()["description"]
        r = c.patch(f"/api/inspections/{bad.id}", json={"inspector": ""}, headers=chief)
        assert r.status_code == 422 and "inspector" in r.json()["description"]
        r = c.patch(f"/api/inspections/{bad.id}", json=fix, headers=chief)
        assert r.status_code == 200, r.text
        assert r.json()["items"][0]["lon"] == GOOD_LON and r.json()["recorded_by"] == "chief"
        assert r.json()["note"] == "新装救生圈"  # fields not given are kept
        assert c.get("/api/quarantine").json()["records"] == []
        assert "X-Tongan-Quarantine" not in c.get("/api/layers").headers
        after = c.get("/ogc/collections/equipment/items?limit=1000").json()
        assert after["numberMatched"] == len(sample.equipment) + 2

        assert c.delete(f"/api/inspections/{good.id}", headers=other).status_code == 403
        assert c.delete(f"/api/inspections/{good.id}", headers=admin).status_code == 204
        assert c.delete(f"/api/inspections/{good.id}", headers=admin).status_code == 404
        assert [i.id for i in store.inspections()] == [bad.id]
        final = c.get("/ogc/collections/equipment/items?limit=1000").json()
        assert final["numberMatched"] == len(sample.equipment) + 1
        log = c.get("/api/audit?limit=1000", headers=admin).json()
    edits = {(e["action"], e["resource"], e["detail"][:3]) for e in log}
    assert ("patch", f"/api/inspections/{bad.id}", "200") in edits
    assert ("delete", f"/api/inspections/{good.id}", "204") in edits
    assert ("patch", f"/api/inspections/{bad.id}", "403") in edits  # refused ones too
    withdrawn = next(e for e in log if e["action"] == "delete" and e["detail"].startswith("204"))
    assert '"inspector": "王河长"' in withdrawn["detail"]  # the audit log keeps what was withdrawn


def test_an_import_that_no_longer_passes_falls_back_to_the_file(
    sample: Layers, store: Store
) -> None:
    schools = sample.schools.copy()
    schools["geometry"] = schools.geometry.translate(xoff=1.0)  # 100 km east: a rule's victim
    store.replace_layer("schools", schools, user="officer")
    with TestClient(create_app(layers=sample, settings=Settings(), store=store)) as c:
        items = c.get("/ogc/collections/schools/items").json()
        assert items["numberMatched"] == len(sample.schools)
        lon = items["features"][0]["geometry"]["coordinates"][0]
        assert 112.9 < lon < 113.1  # the file's schools, not the shifted import
        coverage = c.get("/api/coverage")
        assert coverage.status_code == 200
        (warning,) = coverage.json()["warnings"]
        assert "schools" in warning and "第 1 版" in warning
        listed = c.get("/api/layers")
        held = listed.headers["X-Tongan-Quarantine"]
        assert held.endswith("layers=schools; see /api/quarantine")
        schools_row = next(row for row in listed.json() if row["layer"] == "schools")
        assert (schools_row["version"], schools_row["rows"]) == (1, len(sample.schools))


# --- 4. new inspections are applied incrementally -------------------------------------------------


def test_incremental_layers_equal_a_rebuild(
    sample: Layers, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.validate

    settings = Settings()
    live = Workspace(sample, "v", settings=settings, store=store)
    before = live.snapshot()
    calls: list[int] = []
    full = geo.validate.validate_layers
    monkeypatch.setattr(
        geo.validate, "validate_layers", lambda *a, **k: calls.append(1) or full(*a, **k)
    )
    eq = sample.equipment
    fence = eq[eq["kind"] == "fence"].iloc[0]
    point = fence.geometry.interpolate(0.5, normalized=True)
    records = [
        _buoy(GOOD_LON),
        {
            **_buoy(GOOD_LON),
            "items": [{"kind": "warning_sign", "id": "E001", "condition": "missing"}],
        },
        {**_buoy(GOOD_LON), "items": [], "fence": "damaged", "lon": point.x, "lat": point.y},
        {
            **_buoy(GOOD_LON),
            "items": [{"kind": "life_buoy", "id": "insp1-1", "condition": "damaged"}],
        },
    ]
    for record in records:
        live.add_inspection(InspectionIn.model_validate(record), user="chief")
    assert calls == []  # no layer was rebuilt or re-validated as a whole
    incremental = live.snapshot()
    rebuilt = Workspace(sample, "v", settings=settings, store=store).snapshot()
    assert incremental.revision == rebuilt.revision == store.revision()
    by_id = incremental.layers.equipment.sort_values("id").reset_index(drop=True)
    assert_geodataframe_equal(
        by_id, rebuilt.layers.equipment.sort_values("id").reset_index(drop=True)
    )
    new = by_id.set_index("id")
    assert (
        new.loc["insp1-1", "condition"] == "damaged" and new.loc["E001", "condition"] == "missing"
    )
    assert new.loc[fence["id"], "condition"] == "damaged"
    # layers other than equipment keep their cache key, the equipment's changed
    assert incremental.layer_version("schools") == before.layer_version("schools")
    assert incremental.layer_version("equipment") != before.layer_version("equipment")


def test_a_rule_that_changed_quarantines_what_it_now_refuses(sample: Layers, store: Store) -> None:
    from geo.validate import StudyArea

    study = StudyArea.of(sample.areas, Settings())
    assert study is not None
    west = sample.areas.total_bounds[0]
    lons = [west - k * 0.005 for k in range(1, 12)]
    lon = next(x for x in lons if 2_000 < study.distance_lonlat([x], [LAT])[0] < 4_000)
    near = store.add_inspection(InspectionIn.model_validate(_buoy(lon)), user="chief")
    with TestClient(create_app(layers=sample, settings=Settings(), store=store)) as c:
        assert c.get("/api/quarantine").json()["records"] == []  # within the 5,000 m margin
    strict = Settings(study_area_margin_m=1_000)
    with TestClient(create_app(layers=sample, settings=strict, store=store)) as c:
        held = c.get("/api/quarantine").json()["records"]
        assert [(r["inspection"], r["rule"]) for r in held] == [(near.id, "far_outside")]
        assert c.get(f"/api/risk?date={DAY}").status_code == 200
