"""A tiny hand-built study area, small enough to reason about by hand (shared by the tests)."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

# A 2 km x 2 km county near Jingzhou, Hubei: one township, two villages side by side.
X0, Y0 = 112.95, 29.80
D = 0.02  # about 1.9 km of longitude, 2.2 km of latitude
TODAY = dt.date(2026, 7, 1)


def tiny_frames() -> dict[str, gpd.GeoDataFrame]:
    """Raw layers as a user would supply them (schema names, WGS84)."""
    crs = "EPSG:4326"
    areas = gpd.GeoDataFrame(
        {
            "code": ["420000", "420001", "420001001", "420001002"],
            "name": ["示例县", "示例镇", "东村", "西村"],
            "level": ["county", "township", "village", "village"],
            "parent_code": [None, "420000", "420001", "420001"],
        },
        geometry=[
            box(X0, Y0, X0 + D, Y0 + D),
            box(X0, Y0, X0 + D, Y0 + D),
            box(X0 + D / 2, Y0, X0 + D, Y0 + D),
            box(X0, Y0, X0 + D / 2, Y0 + D),
        ],
        crs=crs,
    )
    households = gpd.GeoDataFrame(
        {
            "id": ["H1", "H2", "H3"],
            "village_code": ["420001001", "420001002", "420001002"],
            "children": [2, 1, 3],
            "left_behind": [2, 0, 1],
            "in_difficulty": [0, 1, 1],
            "orphan": [0, 1, 0],
            "low_income": [0, 0, 1],
            "guardianship_risk": ["low", "high", "medium"],
            "care_agreement": [True, False, False],
            "last_home_visit": pd.to_datetime(["2026-05-01", "2026-01-10", None]),
        },
        geometry=[
            Point(X0 + 0.015, Y0 + 0.01),
            Point(X0 + 0.005, Y0 + 0.01),
            Point(X0 + 0.004, Y0 + 0.012),
        ],
        crs=crs,
    )
    waters = gpd.GeoDataFrame(
        {
            "id": ["W1", "W2"],
            "name": ["清水河", None],
            "kind": ["river", "pond"],
            "use": ["fishing;swimming", None],
        },
        geometry=[
            LineString([(X0 + 0.01, Y0), (X0 + 0.01, Y0 + D)]),
            Point(X0 + 0.006, Y0 + 0.005).buffer(0.0003),
        ],
        crs=crs,
    )
    roads = gpd.GeoDataFrame(
        {"id": ["R1", "R2"], "kind": ["village_road", "bridge"]},
        geometry=[
            LineString([(X0, Y0 + 0.01), (X0 + 0.009, Y0 + 0.01)]),
            LineString([(X0 + 0.009, Y0 + 0.01), (X0 + 0.02, Y0 + 0.01)]),
        ],
        crs=crs,
    )
    equipment = gpd.GeoDataFrame(
        {"id": ["E1"], "kind": ["life_buoy"], "condition": ["ok"], "water_id": ["W1"]},
        geometry=[Point(X0 + 0.0101, Y0 + 0.005)],
        crs=crs,
    )
    schools = gpd.GeoDataFrame(
        {"id": ["S1"], "name": ["东村小学"], "kind": ["primary"], "pupils": [120]},
        geometry=[Point(X0 + 0.016, Y0 + 0.012)],
        crs=crs,
    )
    facilities = gpd.GeoDataFrame(
        {
            "id": ["F1"],
            "name": ["东村儿童之家"],
            "kind": ["children_home"],
            "floor_area_m2": [40.0],
        },
        geometry=[Point(X0 + 0.015, Y0 + 0.011)],
        crs=crs,
    )
    return {
        "areas": areas,
        "households": households,
        "waters": waters,
        "roads": roads,
        "equipment": equipment,
        "schools": schools,
        "facilities": facilities,
    }
