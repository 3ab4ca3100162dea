"""Safety education per village (安全知识进村): hand-computed records, and the analysis reaching
every front end through its contract alone (issue 17)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from shapely.geometry import box
from typer.testing import CliRunner

from analysis.activities import read_activities, village_activities
from analysis.registry import analyses
from api.cli import app
from api.pages import PAGES, RESULT_COLLECTIONS, Context
from api.server import create_app
from geo.errors import InputError
from geo.layers import Layers
from geo.settings import ActivitiesSettings, Settings

DAY = dt.date(2026, 7, 15)


def _layers() -> Layers:
    areas = gpd.GeoDataFrame(
        {
            "code": ["v1", "v2", "v3"],
            "name": ["东村", "西村", "南村"],
            "level": ["village"] * 3,
            "parent_code": ["t"] * 3,
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, -1, 1, 0)],
        crs=4326,
    )
    return Layers.from_dict({"areas": areas})


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    return layers


RECORDS = pd.DataFrame(
    {
        "village_code": ["v1", "v1", "v2", "v3"],
        "date": ["2026-05-20", "2025-09-01", "2025-07-15", "2026-08-01"],
        "kind": ["drowning", "bullying", "road_safety", "fraud"],
        "attendance": ["40", "25", "30", ""],
    }
)


def test_each_village_counts_its_activities_of_the_last_year() -> None:
    r = village_activities(_layers(), RECORDS, settings=Settings(), date=DAY)
    v = r.villages.set_index("village_code")
    # v1: both in the year (2025-07-16 .. 2026-07-15); v2: exactly a year ago is outside;
    # v3: its only activity is after the date
    assert v["activities"].to_dict() == {"v1": 2, "v2": 0, "v3": 0}
    assert v["attendance"].to_dict() == {"v1": 65, "v2": 0, "v3": 0}
    assert v["meets"].to_dict() == {"v1": True, "v2": False, "v3": False}
    assert v.loc["v1", "kinds"] == "bullying;drowning"
    assert v["last_date"].to_dict() == {"v1": "2026-05-20", "v2": "2025-07-15", "v3": ""}
    assert r.lacking["village_code"].tolist() == ["v2", "v3"]


def test_a_stricter_setting_needs_more_activities() -> None:
    settings = Settings(activities=ActivitiesSettings(min_per_year=3))
    r = village_activities(_layers(), RECORDS, settings=settings, date=DAY)
    assert not r.villages["meets"].any()


def test_without_records_every_village_lacks_its_activity() -> None:
    r = village_activities(_layers(), None, settings=Settings(), date=DAY)
    assert not r.records and len(r.lacking) == 3


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [("date", "next week", "column date, row(s) 2"), ("kind", "games", "column kind, row(s) 2")],
)
def test_a_bad_record_names_the_column_and_the_row(column: str, value: str, words: str) -> None:
    bad = RECORDS.copy()
    bad.loc[0, column] = value
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_activities(bad)


def test_the_contract_alone_puts_it_in_every_front_end() -> None:
    a = analyses()["activities"]
    assert "activities" in PAGES and PAGES["activities"].analysis is a
    assert "village_activities" in RESULT_COLLECTIONS
    from analysis.province import registered_stages

    assert "activities" in registered_stages()
    assert list(PAGES)[-1] == "overview"  # index order is the contracts' order


def test_the_page_and_the_api_serve_it(sample: Layers) -> None:
    with TestClient(create_app(layers=sample, settings=Settings())) as client:
        index = client.get("/").text
        assert "安全知识进村" in index
        body = client.get("/api/activities?date=2026-07-15&lang=en").json()
        figures = {f["label"]: f["value"] for f in body["figures"]}
        villages = int((sample.areas["level"] == "village").sum())
        assert figures["Villages"] == str(villages)
        assert figures["Villages still without one"] == str(villages)  # no record in the sample
        assert len(body["tables"]["villages"]["features"]) == villages
        assert client.get("/maps/activities/map").status_code == 200
        ogc = client.get("/ogc/collections/village_activities/items").json()
        assert len(ogc["features"]) == villages


def test_the_generated_command_writes_the_tables_and_the_map(
    tmp_path: Path, sample: Layers
) -> None:
    codes = sample.areas.loc[sample.areas["level"] == "village", "code"].astype(str).tolist()
    table = tmp_path / "activities.csv"
    pd.DataFrame(
        {"village_code": codes[:2], "date": ["2026-03-01", "2026-06-01"], "attendance": [12, 30]}
    ).to_csv(table, index=False)
    out = tmp_path / "out"
    args = ["activities", "--activities", str(table), "--date", "2026-07-15", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Villages with an activity" in result.stdout
    written = pd.read_csv(out / "activities_villages.csv", dtype={"village_code": str})
    assert written.set_index("village_code")["activities"].to_dict() == {
        c: int(c in codes[:2]) for c in codes
    }
    assert (out / "activities.html").exists()
    bad = CliRunner().invoke(app, ["activities", "--date", "tomorrow", "--out", str(out)])
    assert bad.exit_code == 2 and "--date" in bad.output


def test_the_declared_layer_is_read_validated_and_served(tmp_path: Path) -> None:
    """An ``activities`` layer beside the others is read and validated like a built-in one,
    and the page counts it without any front end naming it."""
    from shapely.geometry import Point

    from geo.load import read_layers, write_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    frames = read_layers(SAMPLE_PATH)
    areas = frames["areas"]
    villages = areas.loc[areas["level"] == "village"]
    first = villages.iloc[0]
    spot = first.geometry.representative_point()
    frames["activities"] = gpd.GeoDataFrame(
        {
            "id": ["A1", "A2"],
            "village_code": [str(first["code"])] * 2,
            "date": pd.to_datetime(["2026-04-01", "2026-06-01"]),
            "kind": ["drowning", "bullying"],
            "attendance": [35, 20],
        },
        geometry=[spot, Point(spot.x + 1e-4, spot.y)],
        crs=areas.crs,
    )
    path = tmp_path / "with_activities.gpkg"
    write_layers(frames, path)
    layers, report = validate_layers(read_layers(path), settings=Settings())
    assert report.ok and "activities" in report.present
    assert len(layers["activities"]) == 2
    assert len(layers.to_metric()["activities"]) == 2
    ctx = Context(layers, Settings(), "en", False, DAY, layers.to_metric())
    page = PAGES["activities"].build(ctx, PAGES["activities"].params())
    figures = dict(page.figures)
    assert figures["Villages with an activity"] == "1"
    assert figures["Attendance"] == "55"
    met = page.tables["villages"].loc[page.tables["villages"]["meets"]]
    assert met[["village_code", "activities", "kinds"]].values.tolist() == [
        [str(first["code"]), 2, "bullying;drowning"]
    ]
