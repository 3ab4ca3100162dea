"""The supervisor's page on a phone (issue 19 item 4): signed in from Chromium at 360 x 740, the
page shows the month's red-spot share and both tables, the document never scrolls sideways
(the tables scroll inside their own boxes), and a screenshot is kept for the README."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.server import create_app
from geo.load import read_layers
from geo.patrol_checks import PatrolCheckIn, PlannedStop
from geo.settings import AccountSettings, DatabaseSettings, Settings
from geo.storage import Store
from geo.validate import validate_layers
from geo.visit_records import VisitIn
from tests.live_server import live_server

SHOTS = Path(__file__).resolve().parents[2] / "maps" / "screenshots"
PASSWORD = "长江 flows east 1"
SANHE, LIUTANG = "421023102003", "421023102000"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    store = Store.open(DatabaseSettings(), tmp_path_factory.mktemp("supervise"))
    store.add_user("张督导", "supervisor", area=LIUTANG, password=PASSWORD)
    store.add_user("李主任", "children_director", area=SANHE)
    hh = layers.households
    ids = list(hh.loc[(hh["village_code"] == SANHE) & (hh["left_behind"] > 0), "id"].iloc[:2])
    store.record_visit(
        VisitIn(household_id=ids[0], kind="home_visit", date="2026-07-10", problems="暑假无人看护"),
        user="李主任",
    )
    store.record_visit(
        VisitIn(household_id=ids[1], kind="contact", date="2026-07-12"), user="李主任"
    )
    stops = [
        PlannedStop(spot_id=s, village_code=SANHE, red=True, visited=s != "W002-005")
        for s in ("W002-011", "KS-K03", "W002-005", "W002-006")
    ]
    store.record_patrol_check(
        PatrolCheckIn(river_chief="柳塘乡河长", day="2026-07-04", stops=stops, distance_m=512.0,
                      minutes=15.0),
        user="张督导",
    )  # fmt: skip
    settings = Settings(basemap="blank", accounts=AccountSettings(failure_delay_s=0))
    app = create_app(layers=layers, settings=settings, store=store, today=dt.date(2026, 7, 20))
    try:
        with live_server(app) as url:
            yield url
    finally:
        store.close()


def test_the_supervisors_page_on_a_phone(browser: Any, server: str) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/supervise")
    page.wait_for_url(f"{server}/login?lang=zh&next=/supervise")
    page.fill("#name", "张督导")
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{server}/supervise")
    assert page.locator("#title").inner_text() == "督导工作台"
    assert page.locator("#red-figure").inner_text() == "75%"
    assert "3/4" in page.locator("#red-detail").inner_text()
    assert page.locator("#villages tbody tr").count() == 6  # five villages and the total
    assert "三合村" in page.locator("#villages").inner_text()
    assert "柳塘乡河长" in page.locator("#chiefs").inner_text()
    assert page.locator("#month").input_value() == "2026-07"
    wide = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert wide[0] <= wide[1], f"the document scrolls sideways: {wide}"
    boxes = page.evaluate(
        "[...document.querySelectorAll('.scroll')].map(b => [b.scrollWidth, b.clientWidth])"
    )
    assert any(inner > outer for inner, outer in boxes)  # the tables scroll in their boxes
    assert all(outer <= 360 for _, outer in boxes)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "supervise.png"), full_page=True)
    # another month from the selector, and the workbook from the link
    page.fill("#month", "2026-06")
    page.click("form.month button")
    page.wait_for_url(f"{server}/supervise?month=2026-06&lang=zh")
    assert page.locator("#red-figure").inner_text() == "—"
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == "supervise-2026-06.xlsx"
    assert not errors
    context.close()
