from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis.privacy import (
    _hex_ids,
    _hexagon,
    aggregate_households,
    hexagon_counts,
    suppress_small_counts,
)
from geo.errors import CRSError
from geo.settings import PrivacySettings


def _centre(cell_m: float) -> tuple[float, float]:
    """Centre of a cell near (500 km, 3,300 km), so test clusters sit well inside one cell."""
    size = cell_m / np.sqrt(3)
    q, r = _hex_ids(np.array([500_000.0]), np.array([3_300_000.0]), size)
    c = _hexagon(int(q[0]), int(r[0]), size).centroid
    return c.x, c.y


def _households(points: list[tuple[float, float]], children: list[int]) -> gpd.GeoDataFrame:
    x0, y0 = _centre(500.0)
    return gpd.GeoDataFrame(
        {"children": children}, geometry=[Point(x0 + x, y0 + y) for x, y in points], crs=32649
    )


def test_cells_count_and_suppress_small_ones() -> None:
    # six households close together (one cell) and two far away (another cell)
    pts = [(0, 0), (10, 5), (20, -5), (-10, 10), (5, 15), (15, 15), (5000, 5000), (5000, 5000)]
    cells = aggregate_households(
        _households(pts, [1, 2, 1, 1, 0, 3, 4, 4]),
        columns=["children"],
        settings=PrivacySettings(cell_m=500, min_households=5),
    )
    assert len(cells) == 2
    big = cells[~cells["suppressed"]].iloc[0]
    # 6 households and 8 children, shown rounded to multiples of round_base (5): 5 and 10
    assert big["households"] == 5 and big["children"] == 10
    small = cells[cells["suppressed"]].iloc[0]
    assert pd.isna(small["children"]) and pd.isna(small["households"])
    # every household lies in its cell
    hh = _households(pts, [0] * 8)
    assert hh.within(cells.geometry.union_all().buffer(1e-6)).all()


def test_totals_are_preserved_without_suppression() -> None:
    rng = np.random.default_rng(7)
    pts = [tuple(p) for p in rng.uniform(0, 3000, size=(300, 2))]
    children = rng.integers(0, 4, size=300).tolist()
    cells = aggregate_households(
        _households(pts, children),
        columns=["children"],
        settings=PrivacySettings(cell_m=400, min_households=1, min_children=1, round_base=1),
    )
    assert cells["households"].sum() == 300
    assert cells["children"].sum() == sum(children)
    # cells do not overlap: their areas add up to the union's area
    assert cells.area.sum() == pytest.approx(cells.geometry.union_all().area, rel=1e-9)


def test_refuses_degrees() -> None:
    hh = gpd.GeoDataFrame({"children": [1]}, geometry=[Point(113, 29.8)], crs=4326)
    with pytest.raises(CRSError):
        aggregate_households(hh, columns=["children"], settings=PrivacySettings())


def test_cells_with_few_children_are_suppressed() -> None:
    # five households with one child between them (suppressed: 1 child < 5), six with six
    # children (shown) and, far away, five households without children (shown: no child to reveal)
    near = [(i * 5.0, 0.0) for i in range(5)]
    mid = [(3000.0 + i * 5.0, 0.0) for i in range(6)]
    far = [(6000.0 + i * 5.0, 0.0) for i in range(5)]
    hh = _households(near + mid + far, [1, 0, 0, 0, 0] + [1] * 6 + [0] * 5)
    hh["left_behind"] = hh["children"]
    cells = aggregate_households(
        hh, columns=["children"], settings=PrivacySettings(cell_m=500, min_households=5)
    ).sort_values("households", na_position="first")
    assert cells["suppressed"].tolist() == [True, False, False]
    assert cells["children"].isna().tolist() == [True, False, False]
    # the left-behind column alone counts as children too
    only_lb = aggregate_households(
        hh, columns=["left_behind"], settings=PrivacySettings(cell_m=500, min_households=5)
    )
    assert int(only_lb["suppressed"].sum()) == 1
    # a lower threshold shows the cell
    shown = aggregate_households(
        hh, columns=["children"], settings=PrivacySettings(min_households=5, min_children=1)
    )
    assert not shown["suppressed"].any()


def test_small_rows_are_withheld_and_withheld_rows_stay_so() -> None:
    villages = pd.DataFrame(
        {
            "code": ["V1", "V2", "V3", "V4"],
            "children": pd.array([3, 12, 0, pd.NA], dtype="Int64"),  # V4 already withheld
            "left_behind_covered": [2, 7, 0, 1],
            "share_children": [0.5, 0.4, 0.0, 0.1],
            "median_dist_m": [300.0, 500.0, 0.0, 100.0],
        }
    )
    out = suppress_small_counts(villages, settings=PrivacySettings())
    assert out["children"].isna().tolist() == [True, False, False, True]
    assert out["left_behind_covered"].isna().tolist() == [True, False, False, False]
    assert out["share_children"].isna().tolist() == [True, False, False, False]
    assert out["median_dist_m"].tolist() == [300.0, 500.0, 0.0, 100.0]  # not a count


def test_hexagon_counts_counts_every_point_once() -> None:
    import shapely

    # three points in the cell round (0, 0), one 1 km east: two cells of 500 m
    pts = gpd.GeoDataFrame(
        {"red": [1, 0, 1, 1]},
        geometry=shapely.points([(0, 0), (50, 20), (-40, -60), (1000, 0)]),
        crs=32649,
    )
    cells = hexagon_counts(pts, columns=["red"], cell_m=500.0)
    assert sorted(cells["count"]) == [1, 3] and cells["red"].sum() == 3
    for cell, n in zip(cells.geometry, cells["count"], strict=True):
        assert int(shapely.contains(cell, pts.geometry.to_numpy()).sum()) == n
    # flat-to-flat width 500 m: area = sqrt(3)/2 * 500^2
    assert cells.geometry.area.to_numpy() == pytest.approx(3**0.5 / 2 * 500**2)
