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
    lattice_gaps,
    public_figures,
    public_table,
    quantise_distance,
    round_count,
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


# --------------------------------------------------------------------------------------------
# issue 15: lattice gaps, rounding, quantisation
# --------------------------------------------------------------------------------------------

_SIZE = 500.0 / np.sqrt(3)  # circumradius of the default 500 m cells


def _cell_centre(q: int, r: int) -> tuple[float, float]:
    c = _hexagon(q, r, _SIZE).centroid
    return c.x, c.y


def _lattice_distance(x: float, y: float) -> float:
    """Distance from (x, y) to the nearest vertex of the 500 m privacy lattice."""
    q, r = _hex_ids(np.array([x]), np.array([y]), _SIZE)
    near = [(int(q[0]) + dq, int(r[0]) + dr) for dq in (-1, 0, 1) for dr in (-1, 0, 1)]
    vertices = np.vstack([np.asarray(_hexagon(a, b, _SIZE).exterior.coords) for a, b in near])
    return float(np.hypot(vertices[:, 0] - x, vertices[:, 1] - y).min())


def _cell_households(cells: list[tuple[int, int, int, int, str]]) -> gpd.GeoDataFrame:
    """Households (q, r, households, children each, village) spread inside their cells."""
    rows = []
    for q, r, n, kids, village in cells:
        x0, y0 = _cell_centre(q, r)
        for i in range(n):
            rows.append((x0 + 20 * i - 40, y0 + 7 * i, kids, village))
    return gpd.GeoDataFrame(
        {
            "children": [k for *_, k, _ in rows],
            "left_behind": [min(k, 1) for *_, k, _ in rows],
            "in_difficulty": [0] * len(rows),
            "village_code": [v for *_, v in rows],
        },
        geometry=[Point(x, y) for x, y, *_ in rows],
        crs=32649,
    )


def test_lattice_gaps_are_unions_of_shown_cells() -> None:
    q0, r0 = 1160, 7620  # cells near (500 km, 3,300 km)
    hh = _cell_households(
        [
            (q0, r0, 6, 1, "A"),  # 6 households, 6 children: shown
            (q0 + 1, r0, 5, 2, "B"),  # adjacent: 5 households, 10 children: same gap
            (q0 + 5, r0, 5, 1, "A"),  # far away: a gap of its own
            (q0 + 8, r0, 4, 3, "A"),  # 4 households: not drawn
            (q0 + 8, r0 + 3, 5, 0, "B"),  # 5 households, 0 children: shown
        ]
    )
    # a cell with 5 households but 3 children (1..min_children-1) is not drawn either
    few = _cell_households([(q0, r0 + 4, 5, 0, "C")])
    few.loc[few.index[:3], "children"] = 1
    hh = pd.concat([hh, few], ignore_index=True)
    gaps = lattice_gaps(
        hh,
        village_names={"A": "甲村", "B": "乙村"},
        settings=PrivacySettings(),
        min_gap_households=5,
    )
    assert list(gaps["cells"]) == [2, 1, 1]
    # counts: the cells' counts rounded to 5 first (6 -> 5 households, 6 -> 5 children), summed
    assert list(gaps["households"]) == [10, 5, 5]
    assert list(gaps["children"]) == [15, 5, 0]
    assert list(gaps["village_name"]) == ["乙村", "甲村", "乙村"]  # B holds 10 of the 16 children
    assert not gaps["small"].any()
    hex_area = 3 * np.sqrt(3) / 2 * _SIZE**2
    assert gaps.area.to_numpy() == pytest.approx([2 * hex_area, hex_area, hex_area], rel=1e-6)
    # every vertex of every gap is a vertex of the lattice (to the 1 mm union grid)
    xy = gpd.GeoSeries(gaps.geometry).get_coordinates().to_numpy()
    assert max(_lattice_distance(x, y) for x, y in xy) < 2e-3
    # the cells not drawn are not covered by any gap
    drawn = gaps.geometry.union_all()
    for q, r in ((q0 + 8, r0), (q0, r0 + 4)):
        assert not drawn.contains(Point(*_cell_centre(q, r)))


def test_lattice_gaps_of_nobody_is_empty() -> None:
    hh = _cell_households([(0, 0, 2, 1, "A")])
    gaps = lattice_gaps(hh, village_names={}, settings=PrivacySettings(), min_gap_households=5)
    assert len(gaps) == 0 and "gap_id" in gaps and gaps.crs == hh.crs


@pytest.mark.parametrize(
    ("asked", "used"), [(1049, 1000.0), (1050, 1100.0), (1000, 1000.0), (20, 100.0), (951, 1000.0)]
)
def test_standards_are_quantised_to_the_step(asked: float, used: float) -> None:
    assert quantise_distance(asked, step_m=100) == used


def test_round_count_halves_up() -> None:
    assert [round_count(v, base=5) for v in (0, 2, 3, 7, 8, 12.5, 1000)] == [
        0,
        0,
        5,
        5,
        10,
        15,
        1000,
    ]


def test_public_table_rounds_every_count_and_recomputes_shares() -> None:
    villages = pd.DataFrame(
        {
            "code": ["a", "b", "c"],
            "households": [12, 3, 40],
            "children": [21, 4, 38],
            "children_covered": [9, 2, 38],
            "share_children": [9 / 21, 0.5, 1.0],
            "median_dist_m": [812.4, 149.0, 50.0],
        }
    )
    out = public_table(villages, settings=PrivacySettings())
    assert out["households"].tolist()[0::2] == [10, 40]
    assert out["children"].tolist()[0::2] == [20, 40]
    assert out["children_covered"].tolist()[0::2] == [10, 40]
    assert out["share_children"].tolist()[0::2] == [0.5, 1.0]  # 10 / 20, from the rounded counts
    assert out.loc[1, ["households", "children"]].isna().all()  # 4 children: withheld
    assert out["median_dist_m"].tolist() == [800.0, 100.0, 100.0]  # to standard_step_m
    pd.testing.assert_frame_equal(public_table(out, settings=PrivacySettings()), out)


def test_public_figures_round_counts_of_people_only() -> None:
    out = public_figures(
        {"children": 4858.0, "children_covered": 2019.0, "share_children": 0.4156, "spots": 41.0},
        settings=PrivacySettings(),
    )
    assert out == {
        "children": 4860.0,
        "children_covered": 2020.0,
        "share_children": 2020 / 4860,
        "spots": 41.0,
    }
