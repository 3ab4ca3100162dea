"""Offline basemaps (issue 20): tile files the tests make with GDAL and pmtiles, read back tile by tile.

The image is four coloured quadrants over the sample township, so a tile's colour says where it
was cut from: a tile read from the MBTiles or PMTiles made of the image must show the same colour
as the GeoTIFF's own tile at the same z/x/y (a TMS row flip or a swapped axis would not).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo.errors import InputError
from geo.tiles import open_tiles, tilejson
from tests.tile_files import (
    COLOURS,
    EAST,
    NORTH,
    SOUTH,
    WEST,
    make_geotiff,
    make_mbtiles,
    make_pmtiles,
    quadrant_tile,
    tile_of,
)


@pytest.fixture(scope="module")
def geotiff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_geotiff(tmp_path_factory.mktemp("tiles") / "county.tif")


@pytest.fixture(scope="module")
def mbtiles(geotiff: Path) -> Path:
    return make_mbtiles(geotiff)


@pytest.fixture(scope="module")
def pmtiles(mbtiles: Path) -> Path:
    return make_pmtiles(mbtiles)


def _centre_colour(data: bytes) -> tuple[int, ...]:
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    return tuple(image.getpixel((image.width // 2, image.height // 2)))


@pytest.mark.parametrize("kind", ["geotiff", "mbtiles", "pmtiles"])
def test_each_quadrant_reads_back_in_its_colour(kind: str, request: pytest.FixtureRequest) -> None:
    source = open_tiles(request.getfixturevalue(kind))
    assert source.info.kind == "raster" and source.info.media_type == "image/png"
    z = source.info.max_zoom if kind != "geotiff" else 15
    for key, colour in COLOURS.items():
        x, y = quadrant_tile(z, key)
        data = source.tile(z, x, y)
        assert data is not None, f"{kind}: no tile {z}/{x}/{y} for the {key} quadrant"
        got = _centre_colour(data)
        assert got[3] == 255 and np.allclose(got[:3], colour, atol=12), (kind, key, got)
    source.close()


@pytest.mark.parametrize("kind", ["geotiff", "mbtiles", "pmtiles"])
def test_tiles_outside_the_image_or_the_world_are_empty(
    kind: str, request: pytest.FixtureRequest
) -> None:
    source = open_tiles(request.getfixturevalue(kind))
    z = source.info.max_zoom
    x, y = tile_of(WEST - 1.0, SOUTH - 1.0, z)  # a degree away: no tile there
    assert source.tile(z, x, y) is None
    assert source.tile(z, 2**z, 0) is None and source.tile(-1, 0, 0) is None
    source.close()


def test_the_info_states_the_extent_and_zooms(mbtiles: Path, pmtiles: Path) -> None:
    for path in (mbtiles, pmtiles):
        source = open_tiles(path)
        info = source.info
        source.close()
        assert info.bounds is not None
        w, s, e, n = info.bounds
        assert abs(w - WEST) < 0.01 and abs(s - SOUTH) < 0.01 and abs(e - EAST) < 0.01
        assert abs(n - NORTH) < 0.01, info
        assert info.min_zoom < info.max_zoom
    source = open_tiles(mbtiles)
    doc = tilejson(source.info, "/tiles/{z}/{x}/{y}")
    source.close()
    assert doc["tiles"] == ["/tiles/{z}/{x}/{y}"] and doc["tilejson"] == "3.0.0"


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("absent.mbtiles", None, "no such file"),
        ("county.png", b"\x89PNG", "unknown tile file '.png'"),
        ("broken.mbtiles", b"not sqlite at all" * 10, "not an MBTiles file"),
        ("broken.pmtiles", b"PMTiles?" * 20, "not a PMTiles v3 file"),
        ("broken.tif", b"II*\x00garbage", "not a readable raster"),
    ],
)
def test_a_bad_tile_file_is_named_with_the_fix(
    tmp_path: Path, name: str, content: bytes | None, match: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=match):
        open_tiles(path)
