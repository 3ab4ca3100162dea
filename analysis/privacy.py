"""Aggregating household-level data so that no household can be singled out.

Household locations of left-behind children and children in difficulty are personal data of
minors (DOMAIN.md, privacy). Views that are not authorised get counts in hexagonal cells; a cell
holding fewer than ``min_households`` households, or between one and ``min_children - 1``
children, is suppressed (its counts are withheld).

The defences against differencing (issue 15, README "Privacy") live here too, so every front end
(pages, data API, OGC, command line, province run) applies the same ones:

* every shape derived from households is a union of cells of one fixed lattice
  (:func:`lattice_gaps`, :func:`aggregate_households`): pointy-top hexagons of flat-to-flat
  width ``cell_m`` anchored at the origin of the metric CRS (:func:`_hexagon`);
* every count of children or households is rounded to a multiple of ``round_base`` after
  suppression (:func:`round_count`, :func:`public_table`), shares computed from rounded counts;
* a distance such a role may choose is quantised to ``standard_step_m``
  (:func:`quantise_distance`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
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
        household rule applies. The counts shown are rounded to ``round_base``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per non-empty cell: ``households``, the summed columns (missing where the cell is
        suppressed, otherwise rounded to a multiple of ``settings.round_base``) and
        ``suppressed``; hexagon polygons in the households' CRS.
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
        cells[col] = _rounded(cells[col].astype("Float64").mask(suppressed), settings.round_base)
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


# --------------------------------------------------------------------------------------------
# differencing: rounding and quantisation (issue 15)
# --------------------------------------------------------------------------------------------


def round_count(value: float, *, base: int) -> int:
    """``value`` rounded to the nearest multiple of ``base`` (halves up): 7 -> 5, 8 -> 10."""
    return int(base * math.floor(value / base + 0.5))


def _rounded(values: pd.Series, base: int) -> pd.Series:
    """Counts rounded to multiples of ``base`` (halves up), missing values kept missing."""
    if base == 1 and pd.api.types.is_integer_dtype(values):
        return values
    out = np.floor(values.astype("Float64") / base + 0.5) * base
    if pd.api.types.is_integer_dtype(values) and not out.isna().any():
        return out.astype(values.dtype)
    return out


def quantise_distance(value_m: float, *, step_m: float) -> float:
    """``value_m`` rounded to the nearest multiple of ``step_m`` (halves up), at least one step.

    Examples
    --------
    >>> quantise_distance(1049, step_m=100), quantise_distance(1050, step_m=100)
    (1000.0, 1100.0)
    >>> quantise_distance(20, step_m=100)
    100.0
    """
    return float(max(step_m, step_m * math.floor(value_m / step_m + 0.5)))


#: Columns rounded to ``round_base`` for roles without household access: the counted columns,
#: ``exposed`` (children a flood-review facility serves, summed from its households) and the
#: siting demand (``weight``, ``gain``, households ``covered_before``/``covered_after``).
_ROUNDED_MARKERS = (*_COUNT_MARKERS[:-1], "exposed", "weight", "gain", "covered_")


def _is_count(frame: pd.DataFrame, col: object) -> bool:
    name = str(col)
    return (
        any(m in name for m in _ROUNDED_MARKERS)
        and not name.startswith("share_")
        and pd.api.types.is_numeric_dtype(frame[col])
        and not pd.api.types.is_bool_dtype(frame[col])
    )


def public_figures(figures: Mapping[str, float], *, settings: PrivacySettings) -> dict[str, float]:
    """Summary figures as a role without household access sees them: every figure named for a
    count of people (as in :func:`public_table`) rounded to ``settings.round_base``, and
    ``share_X`` recomputed from the rounded ``X_covered / X``; NaN stays NaN."""
    out: dict[str, float] = {}
    for key, value in figures.items():
        counted = any(m in key for m in _ROUNDED_MARKERS) and not key.startswith("share_")
        ok = counted and value == value
        out[key] = float(round_count(value, base=settings.round_base)) if ok else value
    for key in out:
        base = key.removeprefix("share_")
        if key.startswith("share_") and base in out and f"{base}_covered" in out:
            out[key] = out[f"{base}_covered"] / out[base] if out[base] else math.nan
    return out


def public_table(frame: pd.DataFrame, *, settings: PrivacySettings) -> pd.DataFrame:
    """A table as a role without household access sees it: small rows withheld, counts rounded.

    1. :func:`suppress_small_counts` withholds the rows counting 1 to ``min_children - 1``
       children.
    2. Every numeric column counting children or households (names holding ``children``,
       ``left_behind``, ``in_difficulty`` or ``households``, e.g. ``children_covered``,
       ``near_households``, ``weighted_children``; also ``exposed``, ``weight``, ``gain``,
       ``covered_before``/``covered_after``) is rounded to a multiple of
       ``settings.round_base``, so two answers never differ by 1 to ``round_base - 1``.
    3. Distances of households summed up per place (``median_dist_m``, ``p90_dist_m``: any
       column ending ``_dist_m``) are rounded to ``settings.standard_step_m``.
    4. A share ``share_X`` is recomputed as ``X_covered / X`` from the rounded counts when both
       columns are there (missing when ``X`` is 0 or withheld).

    Applying it twice gives the same table. Frames without such columns come back unchanged.
    """
    out = suppress_small_counts(frame, settings=settings)
    counts = [c for c in out.columns if _is_count(out, c)]
    if not counts and not any(str(c).endswith("_dist_m") for c in out.columns):
        return out
    out = out.copy() if out is frame else out
    for col in counts:
        out[col] = _rounded(out[col], settings.round_base)
    for col in [c for c in out.columns if str(c).endswith("_dist_m")]:
        if pd.api.types.is_numeric_dtype(out[col]):  # walks of a few households: to the step
            step = settings.standard_step_m
            out[col] = np.floor(pd.to_numeric(out[col]).astype(float) / step + 0.5) * step
    for col in out.columns:
        base = str(col).removeprefix("share_")
        if str(col).startswith("share_") and base in out and f"{base}_covered" in out:
            total = pd.to_numeric(out[base], errors="coerce").astype("Float64")
            part = pd.to_numeric(out[f"{base}_covered"], errors="coerce").astype("Float64")
            share = (part / total.mask(total == 0)).astype("float64")
            out[col] = share
    return out


# --------------------------------------------------------------------------------------------
# gap areas as lattice cells (issue 15)
# --------------------------------------------------------------------------------------------

#: Axial offsets of the six neighbours of a hexagon.
_NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1))

#: Snapping grid (m) for the union of lattice cells: adjacent hexagons share their edges exactly.
_UNION_GRID_M = 1e-3

_GAP_COUNTS = ("children", "left_behind", "in_difficulty")


def lattice_gaps(
    households: gpd.GeoDataFrame,
    *,
    village_names: Mapping[str, str],
    settings: PrivacySettings,
    min_gap_households: int,
    cell_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Gap areas for roles without household access: cells of the privacy lattice, grouped.

    1. The (uncovered) households are counted in the hexagons of :func:`hexagon_counts`
       (``cell_m``, by default ``settings.cell_m``).
    2. A cell is shown when it holds at least ``settings.min_households`` households and 0 or
       at least ``settings.min_children`` children; other cells are not drawn at all.
    3. Shown cells sharing an edge form one gap; its polygon is the union of its hexagons
       (every vertex a lattice vertex, to 1 mm), its counts the sums of its cells' counts, each
       rounded to ``settings.round_base`` first, and its village the one holding most of its
       children (the first code on a tie).

    Parameters
    ----------
    households
        Points in a metric CRS with ``village_code``, ``children``, ``left_behind`` and
        ``in_difficulty``.
    village_names
        Village code -> name.
    settings
        The privacy settings.
    min_gap_households
        Gaps with fewer households are labelled ``small`` (never, with the default settings:
        every cell holds ``min_households``).
    cell_m
        Flat-to-flat width of the cells (``settings.cell_m`` when None).

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of :attr:`analysis.coverage.CoverageResult.gaps` plus ``cells`` (how many
        hexagons), in the households' CRS, sorted by children then households (largest first).
    """
    require_metric(households, layer="households")
    cols = ["gap_id", "households", *_GAP_COUNTS, "village_code", "village_name", "small", "cells"]
    size = (cell_m or settings.cell_m) / _SQRT3
    frame, cells = _shown_cells(households, size, settings)
    if len(cells) == 0:
        empty: dict[str, list[object]] = {c: [] for c in cols}
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=households.crs))
    label = _adjacent_groups(cells.index)
    rounded = cells.apply(lambda s: _rounded(s, settings.round_base))
    rounded["label"] = label
    sums = rounded.groupby("label", sort=True)[["households", *_GAP_COUNTS]].sum()
    code = _gap_villages(frame, cells, label)
    raw = cells.assign(label=label).groupby("label", sort=True)["households"].sum()
    hexes = [_hexagon(int(a), int(b), size) for a, b in cells.index]
    geoms = [
        shapely.union_all([hexes[i] for i in np.flatnonzero(label == g)], grid_size=_UNION_GRID_M)
        for g in sums.index
    ]
    out = gpd.GeoDataFrame(
        {
            "label": sums.index.to_numpy(),
            **{c: sums[c].to_numpy(dtype=np.int64) for c in ["households", *_GAP_COUNTS]},
            "village_code": code.loc[sums.index].to_numpy(dtype=object),
            "small": (raw.loc[sums.index] < min_gap_households).to_numpy(),
            "cells": np.bincount(label)[sums.index.to_numpy()],
        },
        geometry=geoms,
        crs=households.crs,
    )
    out.insert(
        int(out.columns.get_loc("small")),  # type: ignore[arg-type,unused-ignore]
        "village_name",
        [village_names.get(c, c) for c in out["village_code"]],
    )
    out = out.sort_values(["children", "households", "label"], ascending=[False, False, True])
    out.insert(0, "gap_id", [f"G{i + 1:03d}" for i in range(len(out))])
    return out.drop(columns=["label"]).reset_index(drop=True)


def _shown_cells(
    households: gpd.GeoDataFrame, size: float, settings: PrivacySettings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The households with their hexagon (``q``, ``r``) and counts, and the cells shown: at
    least ``min_households`` households and 0 or at least ``min_children`` children."""
    q, r = _hex_ids(households.geometry.x.to_numpy(), households.geometry.y.to_numpy(), size)
    frame = pd.DataFrame(
        {
            "q": q,
            "r": r,
            "village_code": households["village_code"].astype(str).to_numpy(),
            **{
                c: pd.to_numeric(households[c], errors="coerce").fillna(0).to_numpy(np.int64)
                for c in _GAP_COUNTS
            },
        }
    )
    cells = frame.groupby(["q", "r"], sort=True)[list(_GAP_COUNTS)].sum()
    cells.insert(0, "households", frame.groupby(["q", "r"], sort=True).size())
    kids = cells["children"]
    shown = (cells["households"] >= settings.min_households) & (
        (kids == 0) | (kids >= settings.min_children)
    )
    return frame, cells.loc[shown]


def _gap_villages(frame: pd.DataFrame, cells: pd.DataFrame, label: np.ndarray) -> pd.Series:
    """Village code of every gap: the village holding most of its children (first on a tie)."""
    in_gap = frame.join(
        pd.Series(label, index=cells.index, name="label"), on=["q", "r"], how="inner"
    )
    per_village = in_gap.groupby(["label", "village_code"], sort=True)["children"].sum()
    return per_village.groupby(level="label").idxmax().map(lambda key: str(key[1]))


def _adjacent_groups(index: pd.MultiIndex) -> np.ndarray:
    """Connected-component label of each hexagon ``(q, r)`` of ``index`` (edge neighbours)."""
    where = {(int(a), int(b)): i for i, (a, b) in enumerate(index)}
    rows, cols = [], []
    for (a, b), i in where.items():
        for dq, dr in _NEIGHBOURS:
            j = where.get((a + dq, b + dr))
            if j is not None:
                rows.append(i)
                cols.append(j)
    n = len(where)
    adj = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return np.asarray(connected_components(adj, directed=False)[1], dtype=np.int64)
