"""Coverage: hand-computed walking distances, the river case, invariants, the sample township."""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point

from analysis.coverage import REACH, CoverageResult, assess_coverage, nearest_by_kind
from geo.errors import InputError
from geo.layers import Layers
from geo.load import read_layers
from geo.network import RoadNetwork, build_network, snap_points
from geo.settings import Settings
from geo.validate import validate_layers
from sample_layers.generate import SAMPLE_PATH

CRS = "EPSG:32649"
X0, Y0 = 600_000.0, 3_300_000.0
V = "420001001"  # the one village of the hand-built layers


def pt(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def ln(*xy: tuple[float, float]) -> LineString:
    return LineString([(X0 + x, Y0 + y) for x, y in xy])


def hand_layers(
    roads: Sequence[LineString],
    homes: Sequence[Point],
    houses: Sequence[Point],
    *,
    rivers: Sequence[LineString] = (),
    kinds: Sequence[str] | None = None,
) -> Layers:
    """A one-village county in UTM 49N: roads, facilities and households as given."""
    box = gpd.GeoSeries([*roads, *homes, *houses], crs=CRS).total_bounds
    from shapely.geometry import box as make_box

    poly = make_box(box[0] - 500, box[1] - 500, box[2] + 500, box[3] + 500)
    areas = gpd.GeoDataFrame(
        {
            "code": ["420000", "420001", V],
            "name": ["县", "镇", "村"],
            "level": ["county", "township", "village"],
            "parent_code": [None, "420000", "420001"],
        },
        geometry=[poly, poly, poly],
        crs=CRS,
    )
    n = len(houses)
    households = gpd.GeoDataFrame(
        {
            "id": [f"H{i}" for i in range(n)],
            "village_code": [V] * n,
            "children": [1] * n,
            "left_behind": [1] * n,
            "in_difficulty": [0] * n,
        },
        geometry=list(houses),
        crs=CRS,
    )
    m = len(homes)
    facilities = gpd.GeoDataFrame(
        {
            "id": [f"F{i}" for i in range(m)],
            "name": [f"站{i}" for i in range(m)],
            "kind": list(kinds) if kinds is not None else ["children_home"] * m,
            "area_code": [V] * m,
            "floor_area_m2": [40.0] * m,
        },
        geometry=list(homes),
        crs=CRS,
    )
    road_frame = gpd.GeoDataFrame(
        {"id": [f"R{i}" for i in range(len(roads))], "kind": ["village_road"] * len(roads)},
        geometry=list(roads),
        crs=CRS,
    )
    waters = gpd.GeoDataFrame(
        {"id": [f"W{i}" for i in range(len(rivers))], "kind": ["river"] * len(rivers)},
        geometry=gpd.GeoSeries(list(rivers), crs=CRS),
        crs=CRS,
    )
    return Layers.from_dict(
        {
            "areas": areas,
            "households": households,
            "facilities": facilities,
            "roads": road_frame,
            "waters": waters,
        }
    )


# --------------------------------------------------------------------------------------------
# hand-computed cases
# --------------------------------------------------------------------------------------------


def test_path_graph_distances_by_hand() -> None:
    roads = [ln((0, 0), (1000, 0)), ln((1000, 0), (2000, 0)), ln((2000, 0), (3000, 0))]
    layers = hand_layers(roads, [pt(0, 10)], [pt(500, 20), pt(1500, -5), pt(2990, 0)])
    r = assess_coverage(layers, settings=Settings())
    # connector(facility) + along the road + connector(house)
    expected = [10 + 500 + 20, 10 + 1500 + 5, 10 + 2990]
    np.testing.assert_allclose(r.households["dist_children_home_m"], expected, atol=1e-6)
    assert r.households["covered"].tolist() == [True, False, False]
    assert r.households["nearest_children_home"].tolist() == ["F0"] * 3
    assert r.households["reach"].tolist() == ["ok"] * 3


def test_grid_distances_are_manhattan() -> None:
    spacing, k = 100.0, 5  # 5 x 5 junctions
    rows = [ln(*[(i * spacing, j * spacing) for i in range(k)]) for j in range(k)]
    cols = [ln(*[(i * spacing, j * spacing) for j in range(k)]) for i in range(k)]
    rng = np.random.default_rng(7)
    houses: list[Point] = []
    expected: list[float] = []
    for _ in range(40):
        along = rng.uniform(0, (k - 1) * spacing)
        line = int(rng.integers(0, k)) * spacing
        x, y = (along, line) if rng.random() < 0.5 else (line, along)
        houses.append(pt(x, y))
        expected.append(x + y)  # facility at the origin junction: every path is monotone
    layers = hand_layers(rows + cols, [pt(0, 0)], houses)
    r = assess_coverage(layers, settings=Settings(), standard_m=250)
    np.testing.assert_allclose(r.households["dist_m"], expected, atol=1e-6)
    assert (r.households["covered"] == (np.array(expected) <= 250)).all()


def test_household_exactly_on_the_standard_is_covered() -> None:
    roads = [ln((0, 0), (2000, 0))]
    layers = hand_layers(roads, [pt(0, 0)], [pt(1000, 0), pt(1000.5, 0)])
    r = assess_coverage(layers, settings=Settings(), standard_m=1000)
    assert r.households["dist_m"].tolist() == [1000.0, 1000.5]
    assert r.households["covered"].tolist() == [True, False]
    r2 = assess_coverage(layers, settings=Settings(walking_standard_m=999.0))
    assert r2.standard_m == 999.0 and not r2.households["covered"].any()


def test_across_the_river_the_bridge_far_away_is_uncovered() -> None:
    south = ln((0, 0), (3000, 0))
    north = ln((0, 100), (3000, 100))
    bridge = ln((3000, 0), (3000, 100))
    river = ln((-200, 50), (3200, 50))
    layers = hand_layers(
        [south, north, bridge], [pt(100, 10)], [pt(100, 90), pt(100, 45)], rivers=[river]
    )
    r = assess_coverage(layers, settings=Settings())
    h = r.households
    straight = pt(100, 90).distance(pt(100, 10))
    assert straight == 80
    # north-bank house: snapped to the north road, not across the water; walks to the bridge
    assert h["dist_m"].iloc[0] == pytest.approx(10 + 2900 + 100 + 2900 + 10, abs=1e-6)
    assert not h["covered"].iloc[0]
    # a house on the south bank nearer the river line still joins the south road
    assert h["dist_m"].iloc[1] == pytest.approx(10 + 45, abs=1e-6)
    assert h["covered"].iloc[1]
    gaps = r.gaps
    assert gaps["households"].sum() == 1 and gaps["small"].all()


def test_unreachable_and_off_road_households() -> None:
    roads = [ln((0, 0), (1000, 0)), ln((5000, 0), (6000, 0))]  # two disconnected pieces
    houses = [pt(100, 0), pt(5500, 5), pt(100, 2000)]
    r = assess_coverage(hand_layers(roads, [pt(0, 0)], houses), settings=Settings())
    h = r.households
    assert h["reach"].tolist() == ["ok", "unreachable", "too_far_from_road"]
    assert set(h["reach"]) <= set(REACH)
    assert math.isnan(h["dist_m"].iloc[1]) and math.isnan(h["dist_m"].iloc[2])
    assert not np.isinf(h["dist_m"].to_numpy()).any()
    assert h["covered"].tolist() == [True, False, False]
    assert pd.isna(h["nearest_facility"].iloc[1])
    codes = {n.code for n in r.notes}
    assert {"unreachable", "off_road"} <= codes


def test_standard_of_zero_or_below_is_refused() -> None:
    layers = hand_layers([ln((0, 0), (100, 0))], [pt(0, 0)], [pt(50, 0)])
    for bad in (0, -5, float("nan")):
        with pytest.raises(InputError, match="walking standard must be a distance above 0"):
            assess_coverage(layers, settings=Settings(), standard_m=bad)


def test_absent_kind_is_noted_and_its_column_empty() -> None:
    layers = hand_layers([ln((0, 0), (100, 0))], [pt(0, 0)], [pt(50, 0)])
    r = assess_coverage(layers, settings=Settings())
    codes = {n.code for n in r.notes}
    assert {"absent_township_workstation", "absent_county_institution"} <= codes
    assert r.households["dist_county_institution_m"].isna().all()
    assert any("未成年人救助保护机构" in n.zh for n in r.notes)


def test_only_covering_kinds_cover() -> None:
    layers = hand_layers(
        [ln((0, 0), (2000, 0))],
        [pt(0, 0), pt(1500, 0)],
        [pt(100, 0)],
        kinds=["county_institution", "children_home"],
    )
    r = assess_coverage(layers, settings=Settings())
    h = r.households
    assert h["dist_county_institution_m"].iloc[0] == pytest.approx(100)
    assert h["dist_m"].iloc[0] == pytest.approx(1400)  # the home, not the institution
    assert not h["covered"].iloc[0]
    assert h["nearest_facility"].iloc[0] == "F1"


def test_service_area_follows_the_road_and_stops_at_the_standard() -> None:
    roads = [ln((0, 0), (1500, 0), (3000, 0)), ln((1500, 0), (1500, 3000))]
    layers = hand_layers(roads, [pt(1500, 0)], [pt(100, 0)])
    settings = Settings()
    r = assess_coverage(layers, settings=settings, standard_m=1000)
    geom = r.service_areas.geometry.iloc[0]
    w = settings.coverage.service_area_buffer_m
    minx, miny, maxx, maxy = geom.bounds
    assert minx == pytest.approx(X0 + 500 - w, abs=0.5)
    assert maxx == pytest.approx(X0 + 2500 + w, abs=0.5)
    assert maxy == pytest.approx(Y0 + 1000 + w, abs=0.5)
    assert miny == pytest.approx(Y0 - w, abs=0.5)
    # a T of road, not a hull: the corner (600, 900) is far outside
    assert not geom.contains(pt(600, 900))
    assert r.service_areas["reached_road_m"].iloc[0] == pytest.approx(3000, abs=1e-6)


# --------------------------------------------------------------------------------------------
# the sample township
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_net() -> tuple[Layers, CoverageResult, RoadNetwork]:
    layers, _report = validate_layers(read_layers(SAMPLE_PATH))
    metric = layers.to_metric()
    net = build_network(metric.roads)
    return metric, assess_coverage(metric, settings=Settings(), network=net), net


@pytest.fixture(scope="module")
def sample(
    sample_net: tuple[Layers, CoverageResult, RoadNetwork],
) -> tuple[Layers, CoverageResult]:
    return sample_net[0], sample_net[1]


def test_sample_checks_list_exactly_the_villages_built_without_homes(
    sample: tuple[Layers, CoverageResult],
) -> None:
    layers, r = sample
    fac, areas = layers.facilities, layers.areas
    villages = set(areas.loc[areas["level"] == "village", "code"].astype(str))
    with_home = set(fac.loc[fac["kind"] == "children_home", "area_code"].astype(str))
    expected = villages - with_home
    assert len(expected) == 5  # the generator's docstring: homes in seven of twelve villages
    found = r.checks.loc[r.checks["rule"] == "village_without_home", "place_code"]
    assert set(found) == expected and len(found) == len(expected)
    small = fac.loc[(fac["kind"] == "children_home") & (fac["floor_area_m2"] < 30), "id"].astype(
        str
    )
    assert len(small) == 1
    assert set(r.checks.loc[r.checks["rule"] == "home_too_small", "facility_id"]) == set(small)
    ws = set(fac.loc[fac["kind"] == "township_workstation", "area_code"].astype(str))
    townships = set(areas.loc[areas["level"] == "township", "code"].astype(str))
    found_t = set(r.checks.loc[r.checks["rule"] == "township_without_workstation", "place_code"])
    assert found_t == townships - ws and len(found_t) == 1
    assert (r.checks["rule"] == "county_without_institution").sum() == 1
    assert r.checks["finding"].str.contains("没有|低于|需配备").all()


def test_sample_directors(sample: tuple[Layers, CoverageResult]) -> None:
    layers, r = sample
    hh = layers.households
    priority = (hh["left_behind"] + hh["in_difficulty"]).groupby(hh["village_code"]).sum()
    v = r.villages.set_index("code")
    expected = np.where(priority.reindex(v.index).fillna(0) > 30, 2, 1)
    assert (v["directors_needed"].to_numpy() == expected).all()
    flagged = set(r.checks.loc[r.checks["rule"] == "village_second_director", "place_code"])
    assert flagged == set(v.index[v["directors_needed"] == 2])


def test_sample_invariants(sample: tuple[Layers, CoverageResult]) -> None:
    layers, r = sample
    h = r.households
    assert len(h) == len(layers.households)
    assert (h["covered"] == (h["dist_m"] <= r.standard_m)).all()
    cover_cols = [f"dist_{k}_m" for k in r.covering_kinds]
    np.testing.assert_allclose(h["dist_m"], h[cover_cols].min(axis=1), equal_nan=True)
    v, t, c = r.villages, r.townships, r.county
    for col in ("households", "children", "children_covered", "left_behind_covered"):
        assert v[col].sum() == t[col].sum() == c[col].sum()
    assert v["households_beyond"].sum() == (~h["covered"]).sum()
    assert c["children"].iloc[0] == h["children"].sum()
    assert c["children_covered"].iloc[0] == r.children_covered
    assert ((v["share_children"] >= 0) & (v["share_children"] <= 1)).all()
    assert (v["children_covered"] <= v["children"]).all()
    assert r.gaps["households"].sum() == (~h["covered"]).sum()
    assert r.gaps["children"].sum() == h.loc[~h["covered"], "children"].sum()
    # a household's snapped position is inside its nearest facility's service area
    sa = r.service_areas.set_index("facility_id").geometry
    cov = h.loc[h["covered"]]
    gap = shapely.distance(cov.geometry.to_numpy(), sa.loc[cov["nearest_facility"]].to_numpy())
    assert (gap <= cov["connector_m"].to_numpy() + 1e-6).all()


def test_sample_distances_agree_with_networkx(
    sample_net: tuple[Layers, CoverageResult, RoadNetwork],
) -> None:
    """networkx on the road graph, with a super-source linked to each home's edge ends.

    The super-source joins ``u`` and ``v`` of each home's edge with weights ``c_f + o_f`` and
    ``c_f + L - o_f`` (connector plus the way along the edge); a household on edge ``(u, v)`` at
    offset ``o_h`` gets ``min(d(u) + o_h, d(v) + L - o_h) + c_h``, or the direct way
    ``c_f + |o_h - o_f| + c_h`` when it shares the home's edge.
    """
    layers, r, net = sample_net
    settings = Settings()
    barriers = layers.waters.loc[layers.waters["kind"].isin(settings.coverage.barrier_kinds)]
    lim = settings.snap_limit_m
    hs = snap_points(net, layers.households.geometry, limit_m=lim, barriers=barriers).table
    fs = snap_points(net, layers.facilities.geometry, limit_m=lim, barriers=barriers).table
    fs = fs.loc[(layers.facilities["kind"] == "children_home").to_numpy() & fs["snapped"]]
    eu, ev, elen = net.arrays()
    g = nx.DiGraph()
    for a, b, w in zip(eu.tolist(), ev.tolist(), elen.tolist(), strict=True):
        for x, y in ((a, b), (b, a)):
            if not g.has_edge(x, y) or g[x][y]["length"] > w:
                g.add_edge(x, y, length=w)
    for f in fs.itertuples():
        e = int(f.edge)
        for node, w in ((eu[e], f.offset_m), (ev[e], elen[e] - f.offset_m)):
            w = float(f.connector_m + w)
            if not g.has_edge("S", int(node)) or g["S"][int(node)]["length"] > w:
                g.add_edge("S", int(node), length=w)
    d = nx.multi_source_dijkstra_path_length(g, {"S"}, weight="length")
    on_edge: dict[int, list[tuple[float, float]]] = {}
    for f in fs.itertuples():
        on_edge.setdefault(int(f.edge), []).append((f.connector_m, f.offset_m))
    expected = np.full(len(hs), np.nan)
    for i, t in enumerate(hs.itertuples()):
        if not t.snapped:
            continue
        e = int(t.edge)
        best = min(
            d.get(int(eu[e]), math.inf) + t.offset_m,
            d.get(int(ev[e]), math.inf) + elen[e] - t.offset_m,
        )
        for f_conn, f_off in on_edge.get(e, []):
            best = min(best, f_conn + abs(t.offset_m - f_off))
        expected[i] = best + t.connector_m if math.isfinite(best) else math.nan
    got = r.households["dist_children_home_m"].to_numpy()
    assert np.isfinite(got).sum() > 2900
    np.testing.assert_allclose(got, expected, atol=1e-6, rtol=0, equal_nan=True)


def test_no_facility_at_all_is_said_and_nobody_covered() -> None:
    r = assess_coverage(hand_layers([ln((0, 0), (100, 0))], [], [pt(50, 0)]), settings=Settings())
    assert r.households["reach"].tolist() == ["unreachable"]
    assert not r.households["covered"].any()
    assert "no_covering" in {n.code for n in r.notes}
    assert set(r.checks["rule"]) == {
        "county_without_institution",
        "township_without_workstation",
        "village_without_home",
    }
    assert len(r.service_areas) == 0


def test_nearest_by_kind_uses_only_the_group_even_on_the_household_edge() -> None:
    """A facility of another group on the household's own edge is not a way in.

    Roads (0, 0)-(100, 0)-(200, 0). Facility 0 at (0, -5) (node x = 0, connector 5), facility 1
    at (150, 10) on the household's edge (connector 10). The household at (120, 2): group ``a``
    (facility 0 only) 5 + 120 + 2 = 127 through x = 100; group ``b`` (facility 1) straight along
    the edge, 10 + 30 + 2 = 42; both groups: 42 from facility 1.
    """
    net = build_network(
        gpd.GeoDataFrame(
            {"id": ["a", "b"]},
            geometry=[ln((0, 0), (100, 0)), ln((100, 0), (200, 0))],
            crs=CRS,
        )
    )
    fac = snap_points(net, gpd.GeoSeries([pt(0, -5), pt(150, 10)], crs=CRS), limit_m=50)
    hh = snap_points(net, gpd.GeoSeries([pt(120, 2), pt(500, 500)], crs=CRS), limit_m=50)
    groups = {
        "a": np.array([True, False]),
        "b": np.array([False, True]),
        "all": np.array([True, True]),
        "none": np.array([False, False]),
    }
    out = nearest_by_kind(net, fac, hh, groups)
    np.testing.assert_allclose(out["a"].distance_m, [127.0, np.inf], rtol=0, atol=1e-9)
    np.testing.assert_allclose(out["b"].distance_m, [42.0, np.inf], rtol=0, atol=1e-9)
    np.testing.assert_allclose(out["all"].distance_m, [42.0, np.inf], rtol=0, atol=1e-9)
    assert list(out["a"].nearest_source) == [0, -1]
    assert list(out["all"].nearest_source) == [1, -1]
    assert np.isinf(out["none"].distance_m).all()
    assert list(out["none"].reason) == ["unreachable", "too_far"]
    assert list(out["all"].reason) == ["ok", "too_far"]


def test_public_view_of_the_sample(sample: tuple[Layers, CoverageResult]) -> None:
    """Issue 15: no household rows, lattice gaps, rounded tables and notes; idempotent."""
    _, r = sample
    p = r.public(Settings())
    assert p.public_view and len(p.households) == 0 and p.public(Settings()) is p
    assert (len(r.gaps), len(p.gaps), int(p.gaps["cells"].sum())) == (45, 20, 77)
    assert (r.children, p.children) == (4858, 4860)
    assert (r.children_covered, p.children_covered) == (2019, 2020)
    assert p.share_covered == pytest.approx(2020 / 4860)
    assert (p.villages["children"].dropna() % 5 == 0).all()
    assert (p.gaps["households"] >= 5).all()
    # uncovered counts: the county's rounded totals minus its rounded covered ones
    assert p.total("left_behind", uncovered=True) % 5 == 0
    # the note "5 households are off the road" keeps its count only when it is a multiple of 5
    for note in p.notes:
        if note.code in ("off_road", "unreachable"):
            assert int(note.en.split()[0]) % 5 == 0
    # the detailed view is untouched
    assert len(r.households) == 3000 and r.gaps["households"].sum() > p.gaps["households"].sum()
