"""Aggregating household-level data so that no household can be singled out.

Household locations of left-behind children and children in difficulty are personal data of
minors (DOMAIN.md, privacy). Views that are not authorised get counts in hexagonal cells; a cell
holding fewer than ``min_households`` households, or between one and ``min_children - 1``
children, is suppressed (its counts are withheld).
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


def hexagon_counts(
    points: gpd.GeoDataFrame, *, columns: Sequence[str], cell_m: float
) -> gpd.GeoDataFrame:
    """Count points and sum ``columns`` in hexagonal cells of ``cell_m`` (flat-to-flat).

    Parameters
    ----------
    points
        Points in a metric CRS.
    columns
        Numeric columns to sum per cell (missing values count 0).
    cell_m
        Flat-to-flat width of a cell (m).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per non-empty cell: ``count`` and the summed columns; hexagon polygons in the
        points' CRS, ordered by cell.
    """
    require_metric(points, layer="points")
    size = cell_m / _SQRT3  # circumradius from the flat-to-flat width
    q, r = _hex_ids(points.geometry.x.to_numpy(), points.geometry.y.to_numpy(), size)
    frame = pd.DataFrame({"q": q, "r": r})
    for col in columns:
        frame[col] = pd.to_numeric(points[col], errors="coerce").fillna(0).to_numpy()
    grouped = frame.groupby(["q", "r"], sort=True)
    cells = grouped[list(columns)].sum()
    cells.insert(0, "count", grouped.size())
    cells = cells.reset_index()
    geoms = [_hexagon(int(a), int(b), size) for a, b in zip(cells["q"], cells["r"], strict=True)]
    return gpd.GeoDataFrame(cells.drop(columns=["q", "r"]), geometry=geoms, crs=points.crs)


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
        ``cell_m`` (flat-to-flat width of a cell), ``min_households`` and ``min_children``.
        The children of a cell are the ``children`` column when summed, otherwise the sum of
        ``left_behind`` and ``in_difficulty`` among ``columns``; without any of them only the
        household rule applies.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per non-empty cell: ``households``, the summed columns (missing where the cell is
        suppressed) and ``suppressed``; hexagon polygons in the households' CRS.
    """
    require_metric(households, layer="households")
    cells = hexagon_counts(households, columns=columns, cell_m=settings.cell_m)
    cells = cells.rename(columns={"count": "households"})
    suppressed = cells["households"] < settings.min_households
    kids = children_in(cells, columns)
    if kids is not None:
        suppressed |= (kids > 0) & (kids < settings.min_children)
    cells["suppressed"] = suppressed
    for col in [*columns, "households"]:
        cells[col] = cells[col].astype("Float64").mask(suppressed)
    return cells[["households", *columns, "suppressed", cells.geometry.name]]


CHILD_COLUMNS = ("left_behind", "in_difficulty")


def children_in(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series | None:
    """The children counted by ``columns`` of ``frame``, or None when they count no children.

    ``children`` when it is among ``columns``; otherwise the sum of the left-behind and
    in-difficulty columns present.
    """
    if "children" in columns:
        return frame["children"]
    present = [c for c in CHILD_COLUMNS if c in columns]
    if not present:
        return None
    return frame[present].sum(axis=1)


#: Columns that count children or their households, withheld on a row with few children.
_COUNT_MARKERS = ("children", "left_behind", "in_difficulty", "households", "share_")


def suppress_small_counts(frame: pd.DataFrame, *, settings: PrivacySettings) -> pd.DataFrame:
    """Withhold the child counts of rows (villages, cells, spots) counting few children.

    For roles without household access: a row whose children (``children``, else
    ``children_near``) number between one and ``settings.min_children - 1`` gets every column
    that counts children or households (names holding ``children``, ``left_behind``,
    ``in_difficulty``, ``households`` or starting ``share_``) set to missing, so a small group
    cannot be singled out. Frames without such a column are returned unchanged.
    """
    count_col = next((c for c in ("children", "children_near") if c in frame.columns), None)
    if count_col is None:
        return frame
    kids = pd.to_numeric(frame[count_col], errors="coerce")
    small = ((kids > 0) & (kids < settings.min_children)).fillna(False).to_numpy(dtype=bool)
    if not small.any():
        return frame
    out = frame.copy()
    for col in out.columns:
        counts = any(m in str(col) for m in _COUNT_MARKERS)
        if counts and pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].astype("Float64").mask(small)
    return out
