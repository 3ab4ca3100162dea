"""A real headless Chromium (Debian's package) driven by Playwright, kept off the network."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from geo.settings import get_settings
from tests.live_server import live_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    # Offline background first: no tile requests leave the machine.
    os.environ["TONGAN_BASEMAP"] = "blank"
    get_settings.cache_clear()
    from api.server import create_app

    with live_server(create_app()) as url:
        yield url
    os.environ.pop("TONGAN_BASEMAP", None)
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


#: A small threshold, so the sample's larger layers (risk spots, cells, waters...) go by URL.
REMOTE_MAX = 40


@pytest.fixture(scope="session")
def remote_server_url() -> Iterator[str]:
    """A map server sending every layer of more than ``REMOTE_MAX`` features by URL."""
    from api.server import create_app
    from geo.settings import Settings

    app = create_app(settings=Settings(basemap="blank", map_inline_max_features=REMOTE_MAX))
    with live_server(app) as url:
        yield url
