"""The county's own tiles drawn in chromium (issue 20 item 2), with the network off the machine refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.server import create_app
from geo.settings import Settings
from tests.live_server import live_server
from tests.tile_files import make_geotiff, make_mbtiles

SHOTS = Path(__file__).resolve().parents[2] / "maps" / "screenshots"


@pytest.fixture(scope="module")
def tiles_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tiles = make_mbtiles(make_geotiff(tmp_path_factory.mktemp("tiles") / "county.tif"))
    with live_server(create_app(settings=Settings(basemap="blank", tiles=tiles))) as url:
        yield url


def test_the_map_draws_the_countys_tiles_offline(browser: Any, tiles_url: str) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    outside: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(tiles_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    page = context.new_page()
    page.goto(f"{tiles_url}/maps/overview/map", wait_until="networkidle", timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('img.leaflet-tile-loaded[src*=\"/tiles/\"]').length >= 4",
        timeout=30_000,
    )
    loaded = page.eval_on_selector_all(
        "img.leaflet-tile-loaded",
        "imgs => imgs.filter(i => i.src.includes('/tiles/') && i.naturalWidth === 256).length",
    )
    assert loaded >= 4, f"{loaded} of the county's tiles drawn"
    checked = page.eval_on_selector_all(
        ".leaflet-control-layers-base input:checked",
        "els => els.map(e => e.nextSibling.textContent.trim())",
    )
    assert checked == ["本地底图(county)"], checked
    assert not outside, f"requests off the machine: {outside[:5]}"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "local_tiles.png"))
    context.close()
