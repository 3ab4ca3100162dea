"""A page's form carries the parameters in effect (issue 20): the date, the walking standard and
the region the analysis used, also when the query string left them out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.server import create_app
from geo.settings import SeasonSettings, Settings

TODAY = dt.date(2026, 7, 15)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(basemap="blank", season=SeasonSettings(region="north"))
    with TestClient(create_app(settings=settings, today=TODAY)) as c:
        yield c


def _input(html: str, name: str) -> str:
    found = re.search(rf'<input id="f-{name}" name="{name}" type="\w+" value="([^"]*)"', html)
    assert found, f"no input {name}"
    return found.group(1)


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select id="f-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)" selected', select.group(1))


def test_an_empty_date_shows_the_day_the_page_was_computed_for(client: TestClient) -> None:
    assert _input(client.get("/maps/risk").text, "date") == "2026-07-15"
    assert _input(client.get("/maps/risk?date=2026-03-02").text, "date") == "2026-03-02"


def test_the_walking_standard_in_effect_is_the_settings_unless_asked(client: TestClient) -> None:
    assert float(_input(client.get("/maps/coverage").text, "standard_m")) == 1000
    assert float(_input(client.get("/maps/coverage?standard_m=800").text, "standard_m")) == 800


def test_the_region_in_effect_is_selected(client: TestClient) -> None:
    assert _selected(client.get("/maps/flood").text, "region") == ["north"]
    assert _selected(client.get("/maps/flood?region=south").text, "region") == ["south"]


def _figure(html: str, label: str) -> str:
    found = re.search(rf'<td>{re.escape(label)}</td><td class="v">([^<]*)</td>', html)
    assert found, f"no figure {label}"
    return found.group(1)


def test_the_risk_summary_names_the_season_factor_applied(client: TestClient) -> None:
    risk = Settings().risk
    both = risk.flood_season_factor * risk.summer_holiday_factor
    label = "季节系数(危险度)"
    # 15 July: the flood season (north: June-September) and the summer holidays
    assert _figure(client.get("/maps/risk").text, label) == f"×{both:g},汛期,暑假"
    # 10 January: neither
    assert _figure(client.get("/maps/risk?date=2026-01-10").text, label) == "×1,平时"
    english = client.get("/maps/risk?date=2026-01-10&lang=en").text
    assert _figure(english, "Season factor (hazard)") == "×1,outside the season"
