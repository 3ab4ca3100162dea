"""Each map page in a real browser: loads without console errors, shows its layers, legend and popups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.pages import PAGES

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


@pytest.mark.parametrize("name", list(PAGES))
def test_map_page_in_chromium(browser: Any, server_url: str, name: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
    page.goto(f"{server_url}/maps/{name}", wait_until="networkidle", timeout=60_000)
    frame = page.frame_locator("iframe.map")
    frame.locator(".leaflet-container").wait_for(timeout=30_000)
    # the layer control lists the page's layers
    control = frame.locator(".leaflet-control-layers")
    assert control.count() == 1
    overlays = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert len(overlays) >= 1, overlays
    # every map draws the county's own boundaries, roads and names beneath its results
    assert {"行政区划", "道路", "地名"} <= {o.strip() for o in overlays}, overlays
    assert frame.locator(".tongan-label-township").count() >= 1
    # search by village name, fullscreen and measure controls
    assert frame.locator(".leaflet-control-search").count() == 1
    assert (
        frame.locator(".leaflet-control-zoom-fullscreen, .leaflet-control-fullscreen").count() >= 1
    )
    assert frame.locator(".leaflet-control-measure").count() == 1
    # a legend is visible
    assert frame.locator(".tongan-legend").first.is_visible()
    # a popup opens on click of some marker or shape (not every feature has one)
    popup = frame.locator(".leaflet-popup-content")
    candidates = frame.locator(
        ".awesome-marker, path.leaflet-interactive, .leaflet-marker-icon:not(.tongan-label)"
    )
    opened = False
    for i in range(min(candidates.count(), 40)):
        target = candidates.nth(i)
        if not target.is_visible():
            continue
        target.click(force=True)
        try:
            popup.first.wait_for(timeout=1_500)
        except Exception:  # no popup on this feature: try the next
            continue
        opened = True
        break
    assert opened, "no feature opened a popup"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.close()
    assert errors == [], errors


def test_opening_a_map_says_it_is_computing(browser: Any, server_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{server_url}/?lang=zh", wait_until="load")
    assert not page.locator("#busy").is_visible()
    # the click's handler runs before the browser leaves the page: the notice is up at once
    shown = page.evaluate(
        """() => { document.querySelector("a.open").click();
                   return document.getElementById("busy").classList.contains("on"); }"""
    )
    assert shown
    assert "正在计算" in page.locator("#busy").inner_text()
    page.wait_for_url("**/maps/**", timeout=60_000)
    page.close()
