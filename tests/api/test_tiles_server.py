"""The county's offline basemap on the map server (issue 20 item 2): ``--tiles`` / ``settings.tiles``.

The tile files are made as a county would (tests/tile_files.py). Served tiles are compared with
the file's own, the map pages carry the layer first, a server without tiles says how to add them,
and ``tongan serve --tiles`` refuses a bad file before it starts, naming the file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from api.cli import app as cli
from api.server import create_app
from geo.settings import Settings, get_settings
from geo.tiles import open_tiles
from tests.tile_files import COLOURS, make_geotiff, make_mbtiles, quadrant_tile


@pytest.fixture(scope="module")
def mbtiles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_mbtiles(make_geotiff(tmp_path_factory.mktemp("tiles") / "county.tif"))


@pytest.fixture(scope="module")
def client(mbtiles: Path) -> TestClient:
    return TestClient(create_app(settings=Settings(basemap="blank", tiles=mbtiles)))


def test_the_server_sends_the_files_tiles(client: TestClient, mbtiles: Path) -> None:
    source = open_tiles(mbtiles)
    z = source.info.max_zoom
    for key, colour in COLOURS.items():
        x, y = quadrant_tile(z, key)
        r = client.get(f"/tiles/{z}/{x}/{y}")
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        assert r.content == source.tile(z, x, y)
        assert "max-age" in r.headers["cache-control"]
        pixel = Image.open(io.BytesIO(r.content)).convert("RGB").getpixel((128, 128))
        assert np.allclose(pixel, colour, atol=12), (key, pixel)
    source.close()
    assert client.get(f"/tiles/{z}/0/0").status_code == 204  # far away: an empty square
    assert client.get("/tiles/25/0/0").status_code == 422
    doc = client.get("/tiles.json").json()
    assert doc["tiles"] == ["/tiles/{z}/{x}/{y}"] and doc["maxzoom"] == z


def test_every_map_shows_the_local_tiles_first(client: TestClient) -> None:
    for page in ("overview", "flood"):  # every page's map goes through one renderer
        html = client.get(f"/maps/{page}/map").text
        assert '"/tiles/{z}/{x}/{y}"' in html, page
        assert json.dumps("本地底图(county)") in html  # the layer control's name
    english = client.get("/maps/overview/map?lang=en").text
    assert json.dumps("Local basemap (county)") in english
    # Amap's overlays are moved to GCJ-02: the county's WGS84 tiles would not line up
    assert "/tiles/{z}/{x}/{y}" not in client.get("/maps/overview/map?basemap=amap").text


def test_a_server_without_tiles_says_how_to_add_them() -> None:
    plain = TestClient(create_app(settings=Settings(basemap="blank")))
    r = plain.get("/tiles/3/1/1")
    assert r.status_code == 404 and "tongan serve --tiles" in r.text
    assert "/tiles/{z}/{x}/{y}" not in plain.get("/maps/overview/map").text


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [("none.mbtiles", None, "no such file"), ("bad.pmtiles", b"nope" * 40, "not a PMTiles")],
)
def test_serve_refuses_a_bad_tile_file_before_starting(
    tmp_path: Path, name: str, content: bytes | None, match: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    get_settings.cache_clear()
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        cli, ["serve", "--tiles", str(path), "--workspace", str(tmp_path / "ws")]
    )
    assert result.exit_code == 2, result.output
    assert match in result.output and str(path.name) in result.output
