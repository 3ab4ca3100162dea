"""Patrol and visit maps: layers, legend, popups; household points only when authorised."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from analysis.patrol import plan_patrols
from analysis.privacy import aggregate_households
from analysis.visits import plan_visits
from geo.network import build_network
from geo.settings import Settings
from maps.patrol import patrol_map
from maps.visits import visits_map

CRS = "EPSG:32649"


def has(html: str, text: str) -> bool:
    """Plain or JSON-escaped (folium writes layer names with json.dumps)."""
    return text in html or json.dumps(text)[1:-1] in html


def test_patrol_map() -> None:
    roads = gpd.GeoDataFrame({"id": ["R1"]}, geometry=[LineString([(0, 0), (3000, 0)])], crs=CRS)
    net = build_network(roads)
    spots = gpd.GeoDataFrame(
        {"spot_id": ["S1", "S2"], "water_name": ["清水河", "荷塘"], "risk": [80.0, 40.0],
         "risk_class": ["red", "yellow"], "has_warning_sign": [True, False],
         "last_inspected": pd.NaT},
        geometry=[Point(500, 10), Point(900, 10)], crs=CRS,
    )  # fmt: skip
    plan = plan_patrols(
        spots,
        net,
        start=Point(0, 0),
        settings=Settings(),
        date=dt.date(2026, 7, 4),
        hours=1,
        mode="walk",
    )
    html = patrol_map(plan).get_root().render()
    for text in (
        "第 1 天路线",
        "第 1 天巡查点",
        "巡查路线",
        "红色(高风险)",
        "S1",
        "救生圈",
        "清水河",
    ):
        assert has(html, text), text
    assert "Day 1 route" in patrol_map(plan, lang="en").get_root().render()


@pytest.fixture(scope="module")
def visit_plan():  # type: ignore[no-untyped-def]
    from api._common import load_valid_layers

    layers = load_valid_layers(None).to_metric()
    plan = plan_visits(
        layers,
        build_network(layers.roads),
        village="421023101001",
        settings=Settings(),
        date=dt.date(2026, 7, 1),
    )
    hh = layers.households[layers.households["village_code"] == "421023101001"]
    return plan, aggregate_households(hh, columns=["left_behind"], settings=Settings().privacy)


def test_visits_map_authorised(visit_plan) -> None:  # type: ignore[no-untyped-def]
    plan, _ = visit_plan
    html = visits_map(plan, authorised=True).get_root().render()
    for text in (
        "家访路线",
        "重点儿童家庭(授权可见)",
        "家访状态",
        "已逾期",
        plan.stops["household_id"].iloc[0],
    ):
        assert has(html, text), text


def test_visits_map_not_authorised_has_no_households(visit_plan) -> None:  # type: ignore[no-untyped-def]
    plan, cells = visit_plan
    html = visits_map(plan, authorised=False, aggregates=cells).get_root().render()
    assert has(html, "重点儿童家庭数(网格汇总)")
    for hid in plan.schedule["household_id"]:
        assert hid not in html
    assert not has(html, "家访路线")
