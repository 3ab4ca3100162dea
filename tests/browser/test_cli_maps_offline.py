"""The HTML maps the command line writes open from ``file://`` with the network blocked (issue 20)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.map_files import ASSET_FOLDER
from geo.settings import get_settings

runner = CliRunner(env={"COLUMNS": "250", "TONGAN_BASEMAP": "blank"})

#: Each command, its arguments and the map it writes.
COMMANDS = {
    "risk": (["risk", "--date", "2026-07-15"], "risk.html"),
    "coverage": (["coverage"], "coverage.html"),
    "site": (["site", "--k", "2"], "site_map.html"),
    "patrol": (
        ["patrol", "--date", "2026-07-04", "--start", "112.943603,29.835967"],
        "patrol_map.html",
    ),
    "visits": (["visits", "--village", "421023101001", "--date", "2026-07-01"], "visits_map.html"),
    "flood-review": (["flood-review", "--date", "2026-06-01"], "flood_map.html"),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder holding every command's map, as a county would copy it to a USB stick."""
    folder = tmp_path_factory.mktemp("cli-maps")
    get_settings.cache_clear()  # the blank basemap of the runner's environment, not a cached one
    try:
        for args, _ in COMMANDS.values():
            result = runner.invoke(app, [*args, "--out", str(folder)])
            assert result.exit_code == 0, result.output
    finally:
        get_settings.cache_clear()
    return folder


def test_assets_beside_the_maps(out: Path) -> None:
    assets = out / ASSET_FOLDER
    assert (assets / "npm" / "leaflet" / "dist" / "leaflet.js").is_file()
    # the style sheets' fonts and images come along at their relative places
    assert list((assets / "npm" / "@fortawesome" / "fontawesome-free" / "webfonts").glob("*.woff2"))
    assert (assets / "npm" / "leaflet" / "dist" / "images" / "layers.png").is_file()
    for _, html in COMMANDS.values():
        text = (out / html).read_text(encoding="utf-8")
        assert "cdn.jsdelivr.net" not in text and "cdnjs.cloudflare.com" not in text, html


@pytest.mark.parametrize("name", list(COMMANDS))
def test_cli_map_from_file_url_offline(browser: Any, out: Path, name: str) -> None:
    html = out / COMMANDS[name][1]
    context = browser.new_context(offline=True)
    left: list[str] = []

    def block(route: Any) -> None:
        url = route.request.url
        if url.startswith("file://") or url.startswith("data:"):
            route.continue_()
        else:
            left.append(url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
    page.goto(html.as_uri(), wait_until="load", timeout=60_000)
    page.locator(".leaflet-container").wait_for(timeout=30_000)
    assert page.evaluate("typeof L !== 'undefined' && typeof jQuery !== 'undefined'")
    # layers drew: the map has a layer control and at least one vector shape or marker
    assert page.locator(".leaflet-control-layers").count() == 1
    # the county's own base lies beneath: boundaries, roads, waters and their names
    overlays = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert {"行政区划", "道路", "地名"} <= {o.strip() for o in overlays}, overlays
    assert "示例县" in page.locator(".tongan-label-county").all_inner_texts()
    assert page.locator(".tongan-label-water").count() > 0
    page.locator(
        "path.leaflet-interactive, .leaflet-marker-icon:not(.tongan-label)"
    ).first.wait_for(state="attached", timeout=30_000)
    # Font Awesome's font loaded from beside the page (the markers' icons)
    fonts = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded')"
        ".map(f => f.family))"
    )
    if os.environ.get("TONGAN_SHOTS"):
        page.screenshot(path=str(Path(os.environ["TONGAN_SHOTS"]) / f"cli-{name}.png"))
    context.close()
    assert left == [], left
    assert errors == [], errors
    assert "Font Awesome 6 Free" in fonts, fonts
