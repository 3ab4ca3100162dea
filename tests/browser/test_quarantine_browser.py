"""The quarantine page in Chromium (issue 16): a river chief corrects one record and withdraws another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.server import create_app
from geo.load import read_layers
from geo.settings import DatabaseSettings, Settings
from geo.storage import InspectionIn, Store
from geo.validate import validate_layers
from tests.live_server import live_server


def _typo(note: str) -> InspectionIn:
    return InspectionIn.model_validate(
        {
            "target": "spot",
            "target_id": "W001-r1",
            "date": "2026-07-15",
            "inspector": "王河长",
            "items": [{"kind": "life_buoy", "condition": "ok", "lon": 112.59, "lat": 29.8052}],
            "note": note,
        }
    )


def test_correct_and_withdraw_in_the_browser(browser: Any, tmp_path: Path) -> None:
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    store = Store.open(DatabaseSettings(), tmp_path)
    fixed, dropped = (
        store.add_inspection(_typo("a"), user="chief"),
        store.add_inspection(_typo("b"), user="chief"),
    )
    token = store.add_user("chief", "river_chief")
    settings = Settings(basemap="blank")
    try:
        with live_server(create_app(layers=layers, settings=settings, store=store)) as url:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{url}/quarantine")
            assert page.locator("h1").inner_text() == "隔离的巡查记录"
            assert page.locator("section[data-id]").count() == 2
            assert f"#{fixed.id} far_outside" in page.locator(".quarantine").inner_text()
            page.fill("#token", token)
            first = page.locator(f'section[data-id="{fixed.id}"]')
            first.locator("textarea").fill(
                '{"items": [{"kind": "life_buoy", "condition": "ok", "lon": 112.95, "lat": 29.8052}]}'
            )
            first.locator("button[type=submit]").click()
            first.locator(".status", has_text="已更正").wait_for(timeout=20_000)
            second = page.locator(f'section[data-id="{dropped.id}"]')
            second.locator("button.withdraw").click()
            second.locator(".status", has_text="已撤回").wait_for(timeout=20_000)
            page.reload()
            assert page.locator("#none").inner_text() == "没有隔离的记录。"
            assert page.locator(".quarantine").count() == 0  # no banner any more
            page.goto(f"{url}/quarantine?lang=en")
            assert page.locator("#none").inner_text() == "No record is quarantined."
            page.close()
            assert not errors
        assert [(i.id, i.items[0].lon) for i in store.inspections()] == [(fixed.id, 112.95)]
    finally:
        store.close()
