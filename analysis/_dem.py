"""Slope from an elevation raster (DEM), for the flood-season review.

The raster arrives as a :class:`geo.raster.Dem` (an array with its affine transform and CRS, read
from a GeoTIFF by :func:`geo.raster.read_dem`). It is reprojected to the layers' metric CRS with
``rasterio.warp`` when it is in another CRS, and the slope of every cell is

.. math:: \\theta = \\arctan\\sqrt{(\\partial z/\\partial x)^2 + (\\partial z/\\partial y)^2}

in degrees, with the partial derivatives from ``numpy.gradient`` (central differences inside,
one-sided at the edges) over the cell size in metres.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pyproj
import rasterio.transform
import rasterio.warp
from affine import Affine
from numpy.typing import NDArray

from geo.errors import InputError
from geo.raster import Dem

FloatArray = NDArray[np.float64]

#: Coverage of an institution by the DEM: ``ok``; ``outside`` (the point is off the raster or
#: on a cell without data).
COVERAGE = ("ok", "outside")
#: Reprojected cells are this many times smaller than GDAL's default choice (see to_metric).
_REFINE = 2.0


@dataclass(frozen=True, eq=False)
class SlopeGrid:
    """Slope in degrees on a grid in a metric CRS."""

    slope_deg: FloatArray
    transform: Affine
    crs: pyproj.CRS


def to_metric(dem: Dem, crs: pyproj.CRS) -> Dem:
    """The DEM in ``crs`` (bilinear resampling, cells about as large as the source's).

    A DEM already in ``crs`` is returned as is.
    """
    if pyproj.CRS.from_user_input(dem.crs).equals(crs):
        return dem
    with warnings.catch_warnings():
        # rasterio's own transform arithmetic uses affine's `*`, which affine now marks pending
        # deprecation; nothing for us to change
        warnings.filterwarnings(
            "ignore", message="Use `@` matmul", category=PendingDeprecationWarning
        )
        return _warp(dem, crs)


def _warp(dem: Dem, crs: pyproj.CRS) -> Dem:
    rows, cols = dem.elevation.shape
    left, bottom, right, top = rasterio.transform.array_bounds(rows, cols, dem.transform)
    default, _, _ = rasterio.warp.calculate_default_transform(
        dem.crs, crs, cols, rows, left=left, bottom=bottom, right=right, top=top
    )
    # cells half the default size: every target cell is then smaller than a source cell in both
    # directions, so GDAL's bilinear kernel is not widened for downsampling, which would leave
    # ripples (false steep cells) in the gradient of a reprojected plane
    dst_transform, width, height = rasterio.warp.calculate_default_transform(
        dem.crs,
        crs,
        cols,
        rows,
        left=left,
        bottom=bottom,
        right=right,
        top=top,
        resolution=abs(default.a) / _REFINE,
    )
    out = np.full((int(height), int(width)), np.nan, dtype=np.float64)
    rasterio.warp.reproject(
        source=dem.elevation.astype(np.float64),
        destination=out,
        src_transform=dem.transform,
        src_crs=dem.crs,
        src_nodata=np.nan,
        dst_transform=dst_transform,
        dst_crs=crs,
        dst_nodata=np.nan,
        resampling=rasterio.warp.Resampling.bilinear,
    )
    return Dem(elevation=out, transform=dst_transform, crs=pyproj.CRS.from_user_input(crs))


def slope(dem: Dem) -> SlopeGrid:
    """Slope in degrees of a DEM in a metric CRS (see the module docstring for the formula)."""
    crs = pyproj.CRS.from_user_input(dem.crs)
    if not crs.is_projected:
        msg = f"slope needs a DEM in a metric CRS, got {crs.name}; reproject it with to_metric()"
        raise InputError(msg)
    t = dem.transform
    if t.b != 0 or t.d != 0:
        msg = "the DEM grid is rotated; give a north-up raster"
        raise InputError(msg)
    dz_dy, dz_dx = np.gradient(dem.elevation, abs(t.e), abs(t.a))
    deg = np.degrees(np.arctan(np.hypot(dz_dx, dz_dy)))
    return SlopeGrid(slope_deg=deg, transform=t, crs=crs)


def max_slope_near(
    grid: SlopeGrid, xy: FloatArray, *, radius_m: float
) -> tuple[FloatArray, NDArray[np.object_]]:
    """Largest slope of the cells whose centres lie within ``radius_m`` of each point.

    Parameters
    ----------
    grid
        The slope grid, in the points' metric CRS.
    xy
        ``(n, 2)`` point coordinates.
    radius_m
        Search radius.

    Returns
    -------
    max_slope, coverage
        ``(n,)`` largest slope in degrees (NaN when not covered) and ``"ok"`` or ``"outside"``
        (see :data:`COVERAGE`): a point off the raster or on a cell without data is reported as
        outside, whatever its neighbours hold.
    """
    rows, cols = grid.slope_deg.shape
    t = grid.transform  # north-up (checked by slope())
    out = np.full(len(xy), np.nan)
    coverage = np.full(len(xy), "outside", dtype=object)
    cell = max(abs(t.a), abs(t.e))
    reach = int(np.ceil(radius_m / cell)) + 1
    for i, (x, y) in enumerate(xy):
        col_f, row_f = (x - t.c) / t.a, (y - t.f) / t.e
        r, c = int(np.floor(row_f)), int(np.floor(col_f))
        if not (0 <= r < rows and 0 <= c < cols) or np.isnan(grid.slope_deg[r, c]):
            continue
        r0, r1 = max(r - reach, 0), min(r + reach + 1, rows)
        c0, c1 = max(c - reach, 0), min(c + reach + 1, cols)
        rr, cc = np.mgrid[r0:r1, c0:c1]
        cx = t.c + (cc + 0.5) * t.a
        cy = t.f + (rr + 0.5) * t.e
        near = np.hypot(cx - x, cy - y) <= radius_m
        near[r - r0, c - c0] = True  # the point's own cell, even when the radius is tiny
        values = grid.slope_deg[r0:r1, c0:c1][near]
        out[i] = float(np.nanmax(values))
        coverage[i] = "ok"
    return out, coverage
