"""Layers loaded by URL (maps.remote) in a real browser: every feature drawn, popups, no errors."""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import urljoin

import pytest

DATE = "date=2026-07-15"

# every layer shown has arrived and been drawn
_DRAWN = "() => document.readyState === 'complete' && window.tonganLayers.pending === 0"
_STATE = """() => Object.fromEntries(Object.entries(window.tonganLayers.layers).map(
  ([k, v]) => [k, {count: v.count, loaded: v.loaded, failed: v.failed, started: v.started, url: v.url,
                   drawn: v.layer.getLayers().filter(l => l._map || l.__parent).length}]))"""
_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _open(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # the map opened on its own (not inside its page) has no favicon: answer the browser's ask
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    page.goto(url, wait_until="load", timeout=60_000)
    page.wait_for_function(_DRAWN, timeout=60_000, polling=50)
    page.evaluate(_FRAMES)
    return page, errors


def _served(page_url: str, layer_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(urljoin(page_url, layer_url), timeout=60) as resp:
        assert resp.headers["content-type"] == "application/geo+json"
        data: dict[str, Any] = json.loads(resp.read())
    return data


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("risk", DATE, {"spots_red", "spots_yellow", "spots_green", "density"}),
        ("coverage", "", {"cells"}),
        ("overview", "", {"cells", "roads"}),
        ("siting", "", {"demand", "candidates"}),
    ],
)
def test_layers_by_url_draw_every_feature(
    browser: Any, remote_server_url: str, name: str, query: str, expected: set[str]
) -> None:
    url = f"{remote_server_url}/maps/{name}/map?{query}"
    page, errors = _open(browser, url)
    state = page.evaluate(_STATE)
    assert expected <= set(state), state.keys()
    shown = {k: v for k, v in state.items() if v["started"]}
    assert expected <= set(shown)
    for key, layer in shown.items():
        assert layer["loaded"] and not layer["failed"], (key, layer)
        # the map fetched the layer from its page's URL, with the page's parameters
        assert layer["url"].startswith(f"layers/{key}.geojson?"), layer["url"]
        if query:
            assert query in layer["url"]
        served = _served(url, layer["url"])
        assert layer["count"] == len(served["features"]) > 0, key
        assert layer["drawn"] == layer["count"], key  # each feature is on the map
    # one canvas draws them all; the HTML holds none of their features
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1
    assert "preferCanvas" in page.content()
    page.close()
    assert errors == [], errors


def test_risk_spots_by_url_match_the_analysis_and_open_chinese_popups(
    browser: Any, remote_server_url: str
) -> None:
    url = f"{remote_server_url}/maps/risk/map?{DATE}"
    with urllib.request.urlopen(f"{remote_server_url}/maps/risk/download.csv?{DATE}") as resp:
        spots_csv = resp.read().decode("utf-8-sig").strip().splitlines()
    page, errors = _open(browser, url)
    state = page.evaluate(_STATE)
    drawn = sum(state[f"spots_{c}"]["count"] for c in ("red", "yellow", "green"))
    assert drawn == len(spots_csv) - 1  # every spot of the analysis (the CSV has a header)
    # click a red spot on the canvas: its popup comes in Chinese, with the four-ones audit
    popup = page.locator(".leaflet-popup-content")
    opened = ""
    for i in range(5):
        point = page.evaluate(
            """(i) => {
              const t = window.tonganLayers, item = t.layers.spots_red.layer.getLayers()[i];
              t.map.setView(item.getLatLng(), 18, {animate: false});
              const p = t.map.latLngToContainerPoint(item.getLatLng());
              const box = t.map.getContainer().getBoundingClientRect();
              return [box.left + p.x, box.top + p.y];
            }""",
            i,
        )
        page.evaluate(_FRAMES)
        page.mouse.click(point[0], point[1])
        try:
            page.wait_for_function(
                "() => (document.querySelector('.leaflet-popup-content') || {}).textContent"
                "?.includes('暴露度')",
                timeout=5_000,
            )
        except Exception:  # an equipment marker lay on top of this spot: try the next
            continue
        opened = popup.first.inner_text()
        break
    assert "风险" in opened and "缺少" in opened and "最近检查" in opened, opened
    page.close()
    assert errors == [], errors


def test_a_hidden_layer_by_url_loads_when_shown(browser: Any, remote_server_url: str) -> None:
    page, errors = _open(browser, f"{remote_server_url}/maps/overview/map")
    state = page.evaluate(_STATE)
    assert not state["equipment"]["started"]  # hidden at first: not fetched
    page.locator(".leaflet-control-layers-overlays label", has_text="救生设施").locator(
        "input"
    ).check()
    page.wait_for_function(
        "() => window.tonganLayers.layers.equipment.loaded && window.tonganLayers.pending === 0",
        timeout=30_000,
    )
    state = page.evaluate(_STATE)
    served = _served(
        f"{remote_server_url}/maps/overview/map", "layers/equipment.geojson?lang=zh&basemap=blank"
    )
    assert state["equipment"]["count"] == len(served["features"]) > 0
    # clustered icon markers
    assert page.locator(".marker-cluster, .awesome-marker").count() > 0
    page.close()
    assert errors == [], errors


_ZOOM = """z => new Promise(done => {
  const m = window.tonganLayers.map;
  if (m.getZoom() === z) { done(); return; }
  m.once("zoomend", () => done());
  m.setZoom(z, {animate: false});
})"""
_SETTLED = "() => window.tonganLayers.pending === 0"


def test_zoomed_out_the_risk_map_sums_spots_per_cell_and_zoomed_in_draws_them(
    browser: Any, remote_server_url: str
) -> None:
    # the sample's spots go by URL on this server (inline_max 40): single spots from zoom 13
    page, errors = _open(browser, f"{remote_server_url}/maps/risk/map?{DATE}")
    assert page.evaluate("() => window.tonganLayers.map.getZoom()") >= 13
    state = page.evaluate(_STATE)
    assert state["spots_red"]["drawn"] == state["spots_red"]["count"] > 0
    assert not state["spot_cells"]["started"]  # a summary is not needed up close

    page.evaluate(_ZOOM, 11)
    page.wait_for_function(_SETTLED, timeout=30_000)
    page.evaluate(_FRAMES)
    state = page.evaluate(_STATE)
    assert all(state[f"spots_{c}"]["drawn"] == 0 for c in ("red", "yellow", "green"))
    cells = state["spot_cells"]
    assert cells["loaded"] and cells["drawn"] == cells["count"] > 0
    # every spot is counted in one cell: the cells' tooltips add up to the spots
    served = _served(
        f"{remote_server_url}/maps/risk/map",
        f"layers/spot_cells.geojson?{DATE}&lang=zh&basemap=blank",
    )
    total = 0
    for feature in served["features"]:
        numbers = [int(n) for n in feature["properties"]["tip"].split() if n.isdigit()]
        total += sum(numbers)
    spots = sum(state[f"spots_{c}"]["count"] for c in ("red", "yellow", "green"))
    assert total == spots

    page.evaluate(_ZOOM, 14)
    page.wait_for_function(_SETTLED, timeout=30_000)
    state = page.evaluate(_STATE)
    assert state["spots_red"]["drawn"] == state["spots_red"]["count"]
    assert state["spot_cells"]["drawn"] == 0
    page.close()
    assert errors == [], errors


def test_overview_draws_village_roads_only_when_zoomed_in(
    browser: Any, remote_server_url: str
) -> None:
    page, errors = _open(browser, f"{remote_server_url}/maps/overview/map")
    state = page.evaluate(_STATE)
    local = state["roads_local"]
    assert local["drawn"] == local["count"] > 0
    page.evaluate(_ZOOM, 11)
    page.wait_for_function(_SETTLED, timeout=30_000)
    state = page.evaluate(_STATE)
    assert state["roads_local"]["drawn"] == 0
    assert state["roads"]["drawn"] == state["roads"]["count"] > 0  # through roads stay
    page.close()
    assert errors == [], errors


def test_coverage_facilities_and_findings_by_url_are_icon_markers_with_popups(browser: Any) -> None:
    from api.server import create_app
    from geo.settings import Settings
    from tests.live_server import live_server

    # 8 // 4 = 2: layers with popups of more than 2 features go by URL, facilities included
    app = create_app(settings=Settings(basemap="blank", map_inline_max_features=8))
    with live_server(app) as base:
        page, errors = _open(browser, f"{base}/maps/coverage/map")
        state = page.evaluate(_STATE)
        for key in ("facilities", "checks"):  # the policy findings are icon markers too
            layer = state[key]
            served = _served(f"{base}/maps/coverage/map", layer["url"])
            assert layer["loaded"] and layer["drawn"] == layer["count"] == len(served["features"])
        fac = state["facilities"]
        assert fac["count"] > 2
        icons = page.locator(".leaflet-marker-pane .awesome-marker").count()  # not the shadows
        assert icons == fac["count"] + state["checks"]["count"]
        # a click on the first facility (the checks' markers are icons too, inline)
        page.evaluate(
            """() => { const f = window.tonganLayers.layers.facilities.layer.getLayers()[0];
                       f.fire("click", {latlng: f.getLatLng()}, true); }"""
        )
        page.locator(".leaflet-popup-content table").first.wait_for(timeout=10_000)
        text = page.locator(".leaflet-popup-content").first.inner_text()
        assert "类型" in text and "面积" in text
        page.close()
    assert errors == [], errors
