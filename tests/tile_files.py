"""Tile files the tests make as a county would (issue 20): a GeoTIFF of four coloured quadrants
over the sample township, made into MBTiles with GDAL's driver and overviews, and into PMTiles
with ``pmtiles convert``."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine

#: The image covers the sample township (its areas span 112.907-113.012 E, 29.785-29.874 N).
WEST, SOUTH, EAST, NORTH = 112.90, 29.78, 113.02, 29.88
COLOURS = {"nw": (220, 30, 30), "ne": (30, 160, 30), "sw": (30, 30, 220), "se": (230, 200, 20)}


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def quadrant_tile(z: int, key: str) -> tuple[int, int]:
    """The tile at the middle of a quadrant (``nw``, ``ne``, ``sw``, ``se``) of the image."""
    lon = WEST + (0.25 if key.endswith("w") else 0.75) * (EAST - WEST)
    lat = SOUTH + (0.75 if key.startswith("n") else 0.25) * (NORTH - SOUTH)
    return tile_of(lon, lat, z)


def make_geotiff(path: Path, size: int = 512) -> Path:
    rgb = np.zeros((3, size, size), dtype=np.uint8)
    half = size // 2
    quadrants = {
        "nw": (slice(0, half), slice(0, half)),
        "ne": (slice(0, half), slice(half, None)),
        "sw": (slice(half, None), slice(0, half)),
        "se": (slice(half, None), slice(half, None)),
    }
    for key, (rows, cols) in quadrants.items():
        for band, value in enumerate(COLOURS[key]):
            rgb[band, rows, cols] = value
    transform = Affine((EAST - WEST) / size, 0, WEST, 0, -(NORTH - SOUTH) / size, NORTH)
    with rasterio.open(
        path, "w", driver="GTiff", width=size, height=size, count=3, dtype="uint8",
        crs="EPSG:4490", transform=transform,
    ) as dst:  # fmt: skip
        dst.write(rgb)
    return path


def make_mbtiles(geotiff: Path) -> Path:
    """The image as MBTiles, as the settings tell a county: GDAL's MBTiles driver + overviews."""
    import rasterio.enums
    import rasterio.shutil

    path = geotiff.with_suffix(".mbtiles")
    with rasterio.open(geotiff) as src:
        rasterio.shutil.copy(src, path, driver="MBTiles", TILE_FORMAT="PNG")
    with rasterio.open(path, "r+") as dst:
        dst.build_overviews([2, 4, 8], rasterio.enums.Resampling.average)
    return path


def make_pmtiles(mbtiles: Path) -> Path:
    from pmtiles.convert import mbtiles_to_pmtiles

    path = mbtiles.with_suffix(".pmtiles")
    mbtiles_to_pmtiles(str(mbtiles), str(path), None)
    return path
