"""Drowning-risk spots: a hand-computed tiny set, the invariants, the sample township, bad input."""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from analysis.risk import PROCURED, RiskResult, assess_risk
from geo.errors import LayerError
from geo.layers import Layers
from geo.schemas import FOUR_ONES
from geo.settings import RiskSettings, Settings

CRS = "EPSG:32649"  # metres; the tiny set lies in UTM 49N so to_metric() is a no-op
X0, Y0 = 500_000.0, 3_300_000.0
WINTER = dt.date(2026, 1, 5)  # no flood season, no summer holiday: season factors are 1
SCALE = 5.0
LAMBDA = 500.0
NU = 3.0


def _p(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def _frames() -> dict[str, gpd.GeoDataFrame]:
    """A road along y=0; a 80 m river at y=200 (one reach); a 20 m square pond by (1500, 60).

    Walking distances (connector + along road + connector), exposure limit 1,000 m:
    river spot (540, 200) snaps at (540, 0), connector 200; pond spot: halfway round the shore
    from (1510, 50) counter-clockwise, (1490, 70), connector 70.
    H1 (540, 20) w=3: river 220, pond 1,060 (out). H2 (1500, 10) w=2, 40 m from the pond
    (near): pond 90, river 1,170 (out). H3 (900, 30) w=1: river 590, pond 690. School S1
    (1200, 40) 100 pupils, w=20: river 900, pond 400.
    """
    areas = gpd.GeoDataFrame(
        {
            "code": ["1", "11", "111", "112"],
            "name": ["县", "镇", "东村", "西村"],
            "level": ["county", "township", "village", "village"],
            "parent_code": [None, "1", "11", "11"],
        },
        geometry=[
            box(X0, Y0 - 500, X0 + 2000, Y0 + 500),
            box(X0, Y0 - 500, X0 + 2000, Y0 + 500),
            box(X0, Y0 - 500, X0 + 1000, Y0 + 500),
            box(X0 + 1000, Y0 - 500, X0 + 2000, Y0 + 500),
        ],
        crs=CRS,
    )
    households = gpd.GeoDataFrame(
        {
            "id": ["H1", "H2", "H3"],
            "village_code": ["111", "112", "111"],
            "children": [2, 1, 1],
            "left_behind": [1, 0, 0],
            "in_difficulty": [0, 1, 0],
        },
        geometry=[_p(540, 20), _p(1500, 10), _p(900, 30)],
        crs=CRS,
    )
    waters = gpd.GeoDataFrame(
        {
            "id": ["W1", "W2"],
            "name": ["清水河", "荷塘"],
            "kind": ["river", "pond"],
            "river_chief": ["张河长", "李河长"],
        },
        geometry=[
            LineString([(X0 + 500, Y0 + 200), (X0 + 580, Y0 + 200)]),
            box(X0 + 1490, Y0 + 50, X0 + 1510, Y0 + 70),
        ],
        crs=CRS,
    )
    roads = gpd.GeoDataFrame(
        {"id": ["R1"], "kind": ["village_road"]},
        geometry=[LineString([(X0, Y0), (X0 + 2000, Y0)])],
        crs=CRS,
    )
    equipment = gpd.GeoDataFrame(
        {
            "id": ["E1", "E2"],
            "kind": ["life_buoy", "rescue_cabinet"],
            "condition": ["ok", "damaged"],
            "last_inspected": pd.to_datetime(["2026-06-01", "2026-05-01"]),
        },
        geometry=[_p(540, 250), _p(1500, 100)],
        crs=CRS,
    )
    schools = gpd.GeoDataFrame(
        {"id": ["S1"], "name": ["小学"], "kind": ["primary"], "pupils": [100]},
        geometry=[_p(1200, 40)],
        crs=CRS,
    )
    return {
        "areas": areas,
        "households": households,
        "waters": waters,
        "roads": roads,
        "equipment": equipment,
        "schools": schools,
    }


@pytest.fixture
def tiny() -> dict[str, gpd.GeoDataFrame]:
    return _frames()


def _settings() -> Settings:
    return Settings(risk=RiskSettings(risk_scale=SCALE))


def _run(frames: dict[str, gpd.GeoDataFrame], date: dt.date = WINTER) -> RiskResult:
    return assess_risk(Layers.from_dict(frames), settings=_settings(), date=date)


def _by_id(result: RiskResult) -> pd.DataFrame:
    return result.spots.set_index("spot_id")


# --- hand-computed ------------------------------------------------------------------------


def test_tiny_hand_computed(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    result = _run(tiny)
    s = _by_id(result)
    assert set(s.index) == {"W1-001", "W2-001"}
    river, pond = s.loc["W1-001"], s.loc["W2-001"]

    e_river = (
        3 * math.exp(-220 / LAMBDA) + 1 * math.exp(-590 / LAMBDA) + 20 * math.exp(-900 / LAMBDA)
    )
    e_pond = (
        2 * math.exp(-90 / LAMBDA) * NU + 1 * math.exp(-690 / LAMBDA) + 20 * math.exp(-400 / LAMBDA)
    )
    assert river["exposure"] == pytest.approx(e_river, rel=1e-6)
    assert pond["exposure"] == pytest.approx(e_pond, rel=1e-6)
    assert river["hazard"] == pytest.approx(0.8)  # river, all attributes unknown
    assert pond["hazard"] == pytest.approx(1.0)
    # the life buoy guards the river; the pond's cabinet is damaged, so counts as absent
    assert river["mitigation"] == pytest.approx(0.15)
    assert pond["mitigation"] == 0.0
    assert river["missing_items"] == "warning_sign;rescue_rope;rescue_pole;fence"
    assert pond["missing_items"] == "warning_sign;life_buoy;rescue_rope;rescue_pole;fence"
    assert bool(river["has_life_buoy"]) and not bool(pond["has_life_buoy"])
    r_river = 100 * (1 - math.exp(-0.8 * e_river / SCALE)) * 0.85
    r_pond = 100 * (1 - math.exp(-1.0 * e_pond / SCALE))
    assert river["risk"] == pytest.approx(r_river, rel=1e-6)
    assert pond["risk"] == pytest.approx(r_pond, rel=1e-6)
    assert (river["risk_class"], pond["risk_class"]) == ("yellow", "red")
    assert (river["children_near"], pond["children_near"]) == (3, 2)
    assert (river["schools_near"], pond["schools_near"]) == (1, 1)
    assert (river["near_households"], pond["near_households"]) == (0, 1)
    assert river["last_inspected"] == pd.Timestamp("2026-06-01")
    assert pond["last_inspected"] == pd.Timestamp("2026-05-01")
    assert (river["village_code"], pond["village_code"]) == ("111", "112")
    assert (river["township_code"], river["river_chief"]) == ("11", "张河长")
    assert result.spots.crs == CRS
    assert isinstance(river["explanation"], str) and "缺" in river["explanation"]
    # the same figures in English, for --lang en
    en, zh = river["explanation_en"], river["explanation"]
    assert en.startswith(f"risk {river['risk']:.0f} (yellow): hazard {river['hazard']:.2f} (")
    assert "3 children within walking distance (0 households near the water), 1 schools" in en
    assert "lacks " in en and not any("\u4e00" <= ch <= "\u9fff" for ch in en)
    assert zh.startswith(f"风险 {river['risk']:.0f}(黄)")
    assert "incidents layer absent: no hazard is raised by past incidents" in [
        n.render("en") for n in result.notes
    ]
    assert result.reaches.geom_type.eq("LineString").all()
    assert result.reaches["length_m"].tolist() == pytest.approx([80.0, 80.0])
    proc = result.procurement.set_index("item")
    assert proc.loc["warning_sign", "count"] == 2 and proc.loc["life_buoy", "count"] == 1
    assert proc.loc["fence", "metres"] == pytest.approx(160.0)


def test_spots_are_named_by_water_and_chainage(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    # the 80 m river is one reach: its midpoint lies 40 m along the river; the pond's shore
    # (80 m) likewise
    s = _by_id(_run(tiny))
    assert s.loc["W1-001", "place"] == "清水河 40 m"
    assert s.loc["W2-001", "place_en"] == "荷塘 40 m"
    unnamed = {**tiny, "waters": tiny["waters"].assign(name=["", "荷塘"])}
    s = _by_id(_run(unnamed))
    assert s.loc["W1-001", "place"] == "东村河流 40 m"
    assert s.loc["W1-001", "place_en"] == "东村 river 40 m"


def test_tiny_in_wgs84_gives_the_same(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    wgs = {k: v.to_crs("EPSG:4326") for k, v in tiny.items()}
    a, b = _by_id(_run(tiny)), _by_id(_run(wgs))
    assert a["risk"].to_dict() == pytest.approx(b["risk"].to_dict(), rel=1e-3)


def test_season_raises_hazard(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    summer = _by_id(_run(tiny, dt.date(2026, 7, 20)))
    rs = RiskSettings()
    assert summer.loc["W2-001", "hazard"] == pytest.approx(
        rs.flood_season_factor * rs.summer_holiday_factor
    )


def test_rescue_cabinet_in_working_order_counts_as_all_four(
    tiny: dict[str, gpd.GeoDataFrame],
) -> None:
    tiny["equipment"].loc[1, "condition"] = "ok"
    pond = _by_id(_run(tiny)).loc["W2-001"]
    assert pond["missing_items"] == "fence"
    assert all(bool(pond[f"has_{i}"]) for i in FOUR_ONES)


def test_incident_and_known_spot(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    tiny["incidents"] = gpd.GeoDataFrame(
        {"id": ["I1"], "date": pd.to_datetime(["2024-07-01"])}, geometry=[_p(550, 300)], crs=CRS
    )
    tiny["known_spots"] = gpd.GeoDataFrame(
        {"id": ["K1"], "kind": ["swimming_hole"], "name": ["野泳点"]},
        geometry=[_p(560, 205)],
        crs=CRS,
    )
    s = _by_id(_run(tiny))
    rs = RiskSettings()
    assert s.loc["W1-001", "hazard"] == pytest.approx(0.8 * rs.incident_factor)
    assert s.loc["KS-K1", "source"] == "known_spot"
    assert s.loc["KS-K1", "water_id"] == "W1"
    assert s.loc["KS-K1", "hazard"] == pytest.approx(
        0.8 * rs.spot_kind_factor["swimming_hole"] * rs.incident_factor
    )


# --- invariants ---------------------------------------------------------------------------


def test_adding_equipment_never_raises_risk(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    before = _by_id(_run(tiny))["risk"]
    rng = np.random.default_rng(3)
    eq = tiny["equipment"]
    kinds = ["warning_sign", "rescue_rope", "rescue_pole", "rescue_cabinet"]
    extra = gpd.GeoDataFrame(
        {
            "id": [f"X{i}" for i in range(8)],
            "kind": rng.choice(kinds, 8),
            "condition": "ok",
        },
        geometry=[_p(x, y) for x, y in rng.uniform([400, 0], [1600, 150], size=(8, 2))],
        crs=CRS,
    )
    fence = gpd.GeoDataFrame(
        {"id": ["F1"], "kind": ["fence"], "condition": ["ok"]},
        geometry=[LineString([(X0 + 1485, Y0 + 45), (X0 + 1515, Y0 + 45)])],
        crs=CRS,
    )
    tiny["equipment"] = pd.concat([eq, extra, fence], ignore_index=True)
    after = _by_id(_run(tiny))
    assert (after["risk"] <= before + 1e-12).all()
    assert bool(after.loc["W2-001", "fenced"])
    assert after.loc["W2-001", "risk"] < before.loc["W2-001"]


def test_adding_children_never_lowers_risk(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    before = _by_id(_run(tiny))
    hh = tiny["households"]
    tiny["households"] = pd.concat(
        [
            hh,
            gpd.GeoDataFrame(
                {
                    "id": ["H4"],
                    "village_code": ["111"],
                    "children": [3],
                    "left_behind": [3],
                    "in_difficulty": [0],
                },
                geometry=[_p(560, 150)],
                crs=CRS,
            ),
        ],
        ignore_index=True,
    )
    after = _by_id(_run(tiny))
    assert (after["risk"] >= before["risk"] - 1e-12).all()
    assert (after["exposure"] >= before["exposure"]).all()
    assert after.loc["W1-001", "children_near"] == before.loc["W1-001", "children_near"] + 3


def test_household_beyond_walking_distance_contributes_nothing(
    tiny: dict[str, gpd.GeoDataFrame],
) -> None:
    # H3 moves to (1900, 30): 200 + 1,360 + 30 m from the river spot
    tiny["households"].loc[2, "geometry"] = _p(1900, 30)
    river = _by_id(_run(tiny)).loc["W1-001"]
    expected = 3 * math.exp(-220 / LAMBDA) + 20 * math.exp(-900 / LAMBDA)
    assert river["exposure"] == pytest.approx(expected, rel=1e-6)
    assert river["children_near"] == 2


# --- the sample township ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> RiskResult:
    from api._common import load_valid_layers

    layers = load_valid_layers(None)
    return assess_risk(layers, settings=Settings(), date=dt.date(2026, 7, 15))


def test_sample_has_a_red_spot_lacking_items(sample: RiskResult) -> None:
    s = sample.spots
    red = s.loc[s["risk_class"] == "red"]
    assert len(red) and (red["n_missing"] > 0).any()
    assert s["spot_id"].is_unique
    assert s["risk"].between(0, 100).all()
    assert set(s["source"]) == {"reach", "known_spot"}
    assert s["village_code"].ne("").all()


def test_sample_village_sums_add_up(sample: RiskResult) -> None:
    s = sample.spots
    cols = ["spots", "red", "yellow", "green", "lacking_any", *FOUR_ONES, "fence_m"]
    for summary in (sample.summary_village, sample.summary_township, sample.summary_chief):
        totals = summary[cols].sum()
        assert totals["spots"] == len(s)
        for c in ("red", "yellow", "green"):
            assert totals[c] == (s["risk_class"] == c).sum()
        assert totals["lacking_any"] == (s["n_missing"] > 0).sum()
        proc = sample.procurement.set_index("item")
        for i in FOUR_ONES:
            assert totals[i] == proc.loc[i, "count"]
        assert totals["fence_m"] == pytest.approx(proc.loc["fence", "metres"], abs=1.0)


def test_sample_procurement_is_the_missing_items_of_red_and_yellow(sample: RiskResult) -> None:
    s = sample.spots
    need = s.loc[s["risk_class"].isin(["red", "yellow"])]
    counts = {i: 0 for i in PROCURED}
    for items in need["missing_items"]:
        for code in filter(None, items.split(";")):
            counts[code] += 1
    proc = sample.procurement.set_index("item")["count"].to_dict()
    assert proc == counts


# --- bad input ----------------------------------------------------------------------------


def test_without_equipment_every_spot_lacks_all_four(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    del tiny["equipment"]
    result = _run(tiny)
    assert (result.spots["n_missing"] == 4).all()
    assert not result.spots["fenced"].any()
    assert result.spots["last_inspected"].isna().all()
    assert "equipment layer absent: every spot lacks all four items" in [
        n.render("en") for n in result.notes
    ]


def test_unknown_water_kind_lists_allowed(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    tiny["waters"].loc[0, "kind"] = "sea"
    with pytest.raises(LayerError) as err:
        _run(tiny)
    assert "'sea'" in str(err.value) and "reservoir" in str(err.value)


def test_unknown_equipment_kind_lists_allowed(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    tiny["equipment"].loc[0, "kind"] = "boat"
    with pytest.raises(LayerError, match="rescue_cabinet"):
        _run(tiny)


def test_empty_water_layer_is_a_clear_error(tiny: dict[str, gpd.GeoDataFrame]) -> None:
    tiny["waters"] = tiny["waters"].iloc[0:0]
    with pytest.raises(LayerError, match="waters layer is empty"):
        _run(tiny)


def test_pairs_on_one_long_road_far_from_its_ends() -> None:
    # a single 4 km road: both end nodes lie 2 km from the spot, beyond the 1,000 m limit, so
    # only the stretch along the shared edge can count (it used to raise an IndexError)
    from analysis._risk_exposure import pair_walking_distances
    from geo.network import build_network, snap_points

    roads = gpd.GeoDataFrame(
        {"id": ["R1"], "kind": ["village_road"]},
        geometry=[LineString([(0, 0), (4000, 0)])],
        crs=32649,
    )
    net = build_network(roads)
    spot = snap_points(net, gpd.GeoSeries([Point(2000, 10)], crs=32649), limit_m=300)
    people = snap_points(
        net, gpd.GeoSeries([Point(2300, -20), Point(2990, 5)], crs=32649), limit_m=300
    )
    d = pair_walking_distances(
        net, spot, people, np.array([0, 0]), np.array([0, 1]), limit_m=1000, tile_m=500
    )
    assert d[0] == pytest.approx(10 + 300 + 20)
    assert math.isinf(d[1])  # 10 + 990 + 5 > 1,000 m
