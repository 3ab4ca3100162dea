"""Aggregating household-level data so that no household can be singled out.

Household locations of left-behind children and children in difficulty are personal data of
minors (DOMAIN.md, privacy). Views that are not authorised get counts in hexagonal cells; a cell
holding fewer than ``min_households`` households is suppressed (its counts are withheld).
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Polygon

from geo.crs import require_metric
from geo.settings import PrivacySettings

_SQRT3 = np.sqrt(3.0)


def _hex_ids(x: np.ndarray, y: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial coordinates of the pointy-top hexagon (circumradius ``size``) holding each point."""
    q = (_SQRT3 / 3 * x - y / 3) / size
    r = (2 / 3 * y) / size
    # cube rounding
    cx, cz = q, r
    cy = -cx - cz
    rx, ry, rz = np.round(cx), np.round(cy), np.round(cz)
    dx, dy, dz = np.abs(rx - cx), np.abs(ry - cy), np.abs(rz - cz)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    rx = np.where(fix_x, -ry - rz, rx)
    rz = np.where(~fix_x & ~fix_y, -rx - ry, rz)
    return rx.astype(np.int64), rz.astype(np.int64)


def _hexagon(q: int, r: int, size: float) -> Polygon:
    cx = size * _SQRT3 * (q + r / 2)
    cy = size * 1.5 * r
    angles = np.deg2rad(np.arange(6) * 60 + 30)
    return Polygon(np.c_[cx + size * np.cos(angles), cy + size * np.sin(angles)])


def aggregate_households(
    households: gpd.GeoDataFrame,
    *,
    columns: Sequence[str],
    settings: PrivacySettings,
) -> gpd.GeoDataFrame:
    """Count households and sum ``columns`` in hexagonal cells, suppressing small cells.

    Parameters
    ----------
    households
        Points in a metric CRS.
    columns
        Numeric columns to sum per cell (children, left_behind...).
    settings
        ``cell_m`` (flat-to-flat width of a cell) and ``min_households``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per non-empty cell: ``households``, the summed columns (missing where the cell is
        suppressed) and ``suppressed``; hexagon polygons in the households' CRS.
    """
    require_metric(households, layer="households")
    size = settings.cell_m / _SQRT3  # circumradius from the flat-to-flat width
    q, r = _hex_ids(households.geometry.x.to_numpy(), households.geometry.y.to_numpy(), size)
    frame = pd.DataFrame({"q": q, "r": r})
    for col in columns:
        frame[col] = pd.to_numeric(households[col], errors="coerce").fillna(0).to_numpy()
    grouped = frame.groupby(["q", "r"], sort=True)
    cells = grouped[list(columns)].sum()
    cells.insert(0, "households", grouped.size())
    cells = cells.reset_index()
    suppressed = cells["households"] < settings.min_households
    cells["suppressed"] = suppressed
    for col in [*columns, "households"]:
        cells[col] = cells[col].astype("Float64").mask(suppressed)
    geoms = [_hexagon(int(a), int(b), size) for a, b in zip(cells["q"], cells["r"], strict=True)]
    return gpd.GeoDataFrame(cells.drop(columns=["q", "r"]), geometry=geoms, crs=households.crs)
