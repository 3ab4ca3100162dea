"""Patrol planning on hand-built networks."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point

from analysis.patrol import apply_patrol_records, patrol_windows, plan_patrols, spot_priority
from geo.errors import InputError, NetworkError
from geo.network import build_network
from geo.settings import Settings

CRS = "EPSG:32649"
SCHOOL_DAY = dt.date(2026, 11, 18)  # a Wednesday out of flood season and holidays


def on_network(line, net) -> bool:  # type: ignore[no-untyped-def]
    """Every vertex and segment midpoint of ``line`` lies on an edge of ``net`` (within 1 mm)."""
    xy = shapely.get_coordinates(line)
    pts = shapely.points(np.vstack([xy, (xy[1:] + xy[:-1]) / 2]))
    _, dist = net.tree.query_nearest(pts, return_distance=True, all_matches=False)
    return bool(np.all(dist < 1e-3))


def _spots(xy: list[tuple[float, float]], risk: list[float], **cols: object) -> gpd.GeoDataFrame:
    n = len(xy)
    data: dict[str, object] = {
        "spot_id": [f"S{i}" for i in range(n)],
        "water_name": "清水河",
        "village_code": "V1",
        "risk": risk,
        "risk_class": ["red" if r >= 60 else "yellow" for r in risk],
        "has_warning_sign": True,
        "has_life_buoy": False,
        "has_rescue_rope": True,
        "has_rescue_pole": False,
        "fenced": False,
        "missing_items": "life_buoy;rescue_pole",
        "last_inspected": pd.Timestamp(SCHOOL_DAY) - pd.Timedelta(days=10),
    }
    data.update(cols)
    return gpd.GeoDataFrame(data, geometry=[Point(x, y) for x, y in xy], crs=CRS)


@pytest.fixture(scope="module")
def line_net():  # type: ignore[no-untyped-def]
    roads = gpd.GeoDataFrame(
        {"id": ["R1"]}, geometry=[LineString([(-3000, 0), (3000, 0)])], crs=CRS
    )
    return build_network(roads)


@pytest.fixture(scope="module")
def grid_net():  # type: ignore[no-untyped-def]
    n, s = 8, 250.0
    lines = [LineString([(j * s, i * s) for j in range(n)]) for i in range(n)]
    lines += [LineString([(i * s, j * s) for j in range(n)]) for i in range(n)]
    roads = gpd.GeoDataFrame({"id": [f"R{i}" for i in range(len(lines))]}, geometry=lines, crs=CRS)
    return build_network(roads)


def test_hand_known_route(line_net) -> None:  # type: ignore[no-untyped-def]
    # walk 75 m/min, 15 min per stop. A(+1 km, 50), B(-1 km, 60), C(+2 km, 80).
    spots = _spots([(1000, 10), (-1000, 10), (2000, 10)], [50, 60, 80])
    s = Settings()
    # 60 min: only one 1-km spot fits (26.7 + 15 min); B has the larger risk
    one = plan_patrols(
        spots, line_net, start=Point(0, 0), settings=s, date=SCHOOL_DAY, hours=1.0, mode="walk"
    )
    assert list(one.stops["spot_id"]) == ["S1"]
    # 90 min: A then C (4 km, 53.3 + 30 min, risk 130) beats A + B (110)
    two = plan_patrols(
        spots, line_net, start=Point(0, 0), settings=s, date=SCHOOL_DAY, hours=1.5, mode="walk"
    )
    assert set(two.stops["spot_id"]) == {"S0", "S2"}  # either direction of the same loop
    r = two.routes.iloc[0]
    assert r["distance_m"] == pytest.approx(4000 + 4 * 10, abs=0.1)
    assert r["total_min"] == pytest.approx(4040 / 75 + 30, abs=0.1)
    first = two.stops.iloc[0]
    assert first["arrival_min"] == pytest.approx(first["leg_m"] / 75, abs=0.1)
    assert two.stops["arrival_min"].iloc[1] == pytest.approx(
        first["arrival_min"] + 15 + 1020 / 75, abs=0.1
    )
    assert two.routes.geometry.iloc[0].length == pytest.approx(4000, abs=0.1)


def test_budget_too_short_gives_empty_day(line_net) -> None:  # type: ignore[no-untyped-def]
    spots = _spots([(1000, 10)], [90])
    plan = plan_patrols(
        spots,
        line_net,
        start=Point(0, 0),
        settings=Settings(),
        date=SCHOOL_DAY,
        hours=0.2,
        mode="walk",
    )
    assert plan.stops.empty
    assert plan.routes["stops"].iloc[0] == 0
    assert "无法往返" in plan.routes["message"].iloc[0]
    assert len(plan.unvisited_red) == 1


def test_feasible_on_grid(grid_net) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    xy = [(float(x), float(y) + 20) for x, y in rng.uniform(0, 1750, (40, 2))]
    spots = _spots(xy, list(rng.uniform(10, 100, 40)))
    s = Settings()
    plan = plan_patrols(
        spots,
        grid_net,
        start=Point(0, 0),
        settings=s,
        date=SCHOOL_DAY,
        hours=2.0,
        mode="walk",
        days=3,
    )
    assert plan.stops["spot_id"].is_unique  # each stop once, over all days
    for _, r in plan.routes.iterrows():
        assert r["total_min"] <= 120 + 1e-6
        day = plan.stops[plan.stops["day"] == r["day"]]
        assert r["stop_min"] == pytest.approx(15 * len(day))
        if len(day):
            line = r.geometry
            assert on_network(line, grid_net)  # the path follows network edges
            assert line.length <= r["distance_m"] + 1e-6
        assert list(day["order"]) == list(range(1, len(day) + 1))
        assert day["arrival_min"].is_monotonic_increasing


def test_red_spots_drive_days(line_net) -> None:  # type: ignore[no-untyped-def]
    spots = _spots([(500, 10), (-500, 10)], [90, 20])
    plan = plan_patrols(
        spots,
        line_net,
        start=Point(0, 0),
        settings=Settings(),
        date=SCHOOL_DAY,
        hours=0.6,
        mode="walk",
        days=3,
    )
    assert list(plan.routes["day"]) == [1]  # the only red spot is done on day 1
    assert plan.unvisited_red.empty


def test_priority_overdue_and_window() -> None:
    s = Settings()
    saturday_july = dt.date(2026, 7, 4)
    assert set(patrol_windows(saturday_july, 6, s)) == {"school_holiday", "weekend"}
    assert patrol_windows(SCHOOL_DAY, 2, s) == ()
    assert patrol_windows(SCHOOL_DAY, 9, s) == ("after_school",)
    spots = _spots(
        [(0, 0)] * 3,
        [50, 50, 50],
        use=["swimming", "none", "none"],
        last_inspected=pd.to_datetime(["2026-06-20", "2026-06-20", "2026-05-01"]),
    )
    p = spot_priority(spots, settings=s, date=saturday_july, hours=6)
    ins = s.inspection
    # July is flood season: 30-day revisit; spot 2 was last seen 64 days ago
    assert list(p["overdue"]) == [False, False, True]
    assert p["priority"].tolist() == pytest.approx(
        [50 * ins.window_factors["school_holiday"], 50, 50 * ins.overdue_factor]
    )
    # in November (not flood season) 90 days apply: 64 days is not overdue
    assert not spot_priority(
        spots.assign(last_inspected=pd.Timestamp("2026-09-15")),
        settings=s,
        date=SCHOOL_DAY,
        hours=2,
    )["overdue"].any()


def test_checklist_lists_items(line_net) -> None:  # type: ignore[no-untyped-def]
    plan = plan_patrols(
        _spots([(500, 10)], [90]),
        line_net,
        start=Point(0, 0),
        settings=Settings(),
        date=SCHOOL_DAY,
        hours=1,
        mode="walk",
    )
    text = plan.stops["checklist"].iloc[0]
    assert (
        "救生圈:缺失或损坏→安装或修复" in text and "警示牌:完好" in text and "防护栏:未设置" in text
    )
    assert len(plan.checklist) == 5


def test_bad_input(line_net) -> None:  # type: ignore[no-untyped-def]
    spots = _spots([(500, 10)], [90])
    s, day = Settings(), SCHOOL_DAY
    with pytest.raises(InputError, match="unknown travel mode 'boat'"):
        plan_patrols(spots, line_net, start=Point(0, 0), hours=1, mode="boat", settings=s, date=day)
    with pytest.raises(InputError, match="zero or more hours"):
        plan_patrols(
            spots, line_net, start=Point(0, 0), hours=-1, mode="walk", settings=s, date=day
        )
    with pytest.raises(NetworkError, match="farther than the snap limit"):
        plan_patrols(
            spots, line_net, start=Point(0, 5000), hours=1, mode="walk", settings=s, date=day
        )
    with pytest.raises(InputError, match="lacks the column"):
        plan_patrols(
            spots.drop(columns="risk"),
            line_net,
            start=Point(0, 0),
            hours=1,
            mode="walk",
            settings=s,
            date=day,
        )


def test_apply_patrol_records() -> None:
    equipment = gpd.GeoDataFrame(
        {"id": ["E1", "E2"], "kind": ["life_buoy", "warning_sign"], "condition": ["ok", "ok"],
         "last_inspected": pd.to_datetime(["2026-01-01", None]), "water_id": ["W1", "W1"]},
        geometry=[Point(112.95, 29.8), Point(112.951, 29.8)], crs="EPSG:4326",
    )  # fmt: skip
    records = pd.DataFrame(
        {"id": ["E1", "N1"], "condition": ["damaged", "ok"], "date": ["2026-07-04", "2026-07-04"],
         "kind": [None, "rescue_pole"], "lon": [None, 112.952], "lat": [None, 29.8]}
    )  # fmt: skip
    out = apply_patrol_records(equipment, records)
    assert len(out) == 3 and len(equipment) == 2
    e1 = out.set_index("id").loc["E1"]
    assert e1["condition"] == "damaged" and e1["last_inspected"] == pd.Timestamp("2026-07-04")
    n1 = out.set_index("id").loc["N1"]
    assert n1["kind"] == "rescue_pole" and n1.geometry.x == pytest.approx(112.952)
    with pytest.raises(InputError, match="unknown condition"):
        apply_patrol_records(equipment, records.assign(condition="lost"))
    with pytest.raises(InputError, match="need a kind"):
        apply_patrol_records(equipment, records.assign(kind=None))


def test_patrol_records_reach_the_next_risk_analysis() -> None:
    risk_mod = pytest.importorskip("analysis.risk")
    from dataclasses import replace

    from api._common import load_valid_layers
    from geo.crs import WGS84

    layers = load_valid_layers(None)
    s = Settings()
    day = dt.date(2026, 7, 4)
    before = risk_mod.assess_risk(layers, settings=s, date=day).spots
    spot = before[~before["has_life_buoy"] & (before["risk_class"] == "red")].iloc[0]
    pt = gpd.GeoSeries([spot.geometry], crs=before.crs).to_crs(WGS84).iloc[0]
    items = ["warning_sign", "life_buoy", "rescue_rope", "rescue_pole"]
    records = pd.DataFrame(
        {
            "id": [f"NEW-{k}" for k in items],
            "kind": items,
            "condition": "ok",
            "date": "2026-07-04",
            "lon": pt.x,
            "lat": pt.y,
        }
    )
    equipment = apply_patrol_records(layers.equipment, records)
    after = risk_mod.assess_risk(replace(layers, equipment=equipment), settings=s, date=day).spots
    row = after.set_index("spot_id").loc[spot["spot_id"]]
    assert row["has_life_buoy"] and row["has_warning_sign"]
    assert row["risk"] < spot["risk"]
    assert row["last_inspected"] == pd.Timestamp("2026-07-04")


def test_fence_records_reach_the_fences_near_the_inspection() -> None:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import LineString, Point

    from analysis.patrol import apply_fence_records

    crs = 32649  # UTM 49N, metres
    eq = gpd.GeoDataFrame(
        {
            "id": ["F1", "F2", "S1"],
            "kind": ["fence", "fence", "warning_sign"],
            "condition": ["ok", "ok", "ok"],
        },
        geometry=[
            LineString([(500_000, 3_300_000), (500_050, 3_300_000)]),
            LineString([(501_000, 3_300_000), (501_050, 3_300_000)]),
            Point(501_020, 3_300_030),
        ],
        crs=crs,
    )
    near_f1 = gpd.GeoSeries([Point(500_025, 3_300_060)], crs=crs).to_crs(4326).iloc[0]
    records = pd.DataFrame(
        {
            "fence": ["damaged", "none", "ok"],
            "date": pd.to_datetime(["2026-07-01", "2026-07-02", "2026-07-03"]),
            # 60 m from F1; no place but the sign S1 (30 m from F2); nowhere at all
            "lon": [near_f1.x, None, None],
            "lat": [near_f1.y, None, None],
            "item_id": [None, "S1", "nope"],
        }
    )
    out, unlocated = apply_fence_records(eq, records, radius_m=100.0)
    assert out["condition"].tolist() == ["damaged", "missing", "ok"]
    assert out["last_inspected"].iloc[0] == pd.Timestamp("2026-07-01")
    assert out["last_inspected"].iloc[1] == pd.Timestamp("2026-07-02")
    assert pd.isna(out["last_inspected"].iloc[2]) and unlocated == 1
    assert eq["condition"].tolist() == ["ok", "ok", "ok"]  # the layer given is not changed
    # 40 m is too short to reach F1 from 60 m away
    out, _ = apply_fence_records(eq, records.iloc[:1], radius_m=40.0)
    assert out["condition"].tolist() == ["ok", "ok", "ok"]
