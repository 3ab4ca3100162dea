"""Elevation rasters (DEM): the array, its transform and CRS, read from a GeoTIFF at the door."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyproj
from affine import Affine
from numpy.typing import NDArray

from geo.errors import InputError

__all__ = ["Dem", "read_dem"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Dem:
    """An elevation raster: ``elevation[row, col]`` in metres, NaN where there is no data.

    Attributes
    ----------
    elevation
        ``(rows, cols)`` elevations; the nodata value is already replaced by NaN.
    transform
        Affine transform of the cell corners (rasterio convention).
    crs
        CRS of the raster.
    """

    elevation: FloatArray
    transform: Affine
    crs: pyproj.CRS

    def __post_init__(self) -> None:
        if self.elevation.ndim != 2 or min(self.elevation.shape) < 2:
            msg = f"the DEM must be one band of at least 2 x 2 cells; got shape {self.elevation.shape}"
            raise InputError(msg)


def read_dem(path: Path) -> Dem:
    """Read band 1 of a GeoTIFF into a :class:`Dem` (nodata becomes NaN)."""
    import rasterio
    from rasterio.errors import RasterioIOError

    if not path.exists():
        msg = f"--dem {path}: no such file; give a GeoTIFF elevation raster"
        raise InputError(msg)
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                msg = f"--dem {path}: the raster has no CRS; assign one (e.g. gdal_edit.py -a_srs EPSG:4490)"
                raise InputError(msg)
            band = src.read(1, masked=True).astype(np.float64)
            return Dem(
                elevation=band.filled(np.nan),
                transform=src.transform,
                crs=pyproj.CRS.from_user_input(src.crs.to_wkt()),
            )
    except RasterioIOError as exc:
        msg = f"--dem {path}: not a readable raster ({exc}); give a GeoTIFF elevation raster"
        raise InputError(msg) from None
