"""Flood-season review: hand-built cases, the DEM slope, the calendar and the sample township."""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from affine import Affine
from shapely import affinity
from shapely.geometry import LineString, Point, box

from analysis._dem import max_slope_near, slope, to_metric
from analysis.flood import CHECK_ITEMS, FloodReview, review_institutions, reviews_due
from geo.errors import CRSError
from geo.layers import Layers
from geo.raster import Dem
from geo.settings import Settings
from geo.validate import validate_layers

UTM = "EPSG:32649"  # the UTM zone the layers' metric CRS resolves to near lon 113
X, Y = 690_000.0, 3_300_000.0  # origin of the hand-built layers, metres
DATE = dt.date(2026, 7, 20)
SLOPE_1_IN_2 = math.degrees(math.atan(0.5))  # 26.565°


def _gdf(data: dict[str, list[object]], geoms: list[object]) -> gpd.GeoDataFrame:
    shifted = [affinity.translate(g, X, Y) for g in geoms]
    return gpd.GeoDataFrame(data, geometry=shifted, crs=UTM).to_crs("EPSG:4326")


def hand_frames() -> dict[str, gpd.GeoDataFrame]:
    """A 2 km square: flood zone in the west, a pond, a wall, a road east-west and north.

    * A (school) inside the flood zone, 30 m north of the road: escape 30 + 700 = 730 m;
    * B (kindergarten) 40 m west of a pond, with a past incident 190 m north of it;
    * C (school) 10 m from a dangerous wall assessed high;
    * D (school) far from everything;
    * F (children's home) 70.7 m from the flood zone: escape 250 + 350 = 600 m.
    """
    area = box(0, 0, 2000, 2000)
    return {
        "areas": _gdf(
            {
                "code": ["1", "11", "111"],
                "name": ["县", "镇", "村"],
                "level": ["county", "township", "village"],
                "parent_code": [None, "1", "11"],
            },
            [area, area, area],
        ),
        "households": _gdf(
            {"id": ["H1"], "village_code": ["111"], "children": [2], "left_behind": [1]}
            | {"in_difficulty": [0]},
            [Point(500, 500)],
        ),
        "waters": _gdf(
            {"id": ["W1", "W2"], "kind": ["river", "pond"]},
            [LineString([(0, 100), (2000, 100)]), box(1400, 1100, 1420, 1120)],
        ),
        "roads": _gdf(
            {"id": ["R1", "R2"]},
            [
                LineString([(0, 1000), (1000, 1000), (2000, 1000)]),
                LineString([(1000, 1000), (1000, 2000)]),
            ],
        ),
        "equipment": _gdf({"id": [], "kind": [], "condition": []}, []),
        "schools": _gdf(
            {
                "id": ["A", "B", "C", "D"],
                "name": ["甲小学", "乙幼儿园", "丙小学", "丁中学"],
                "kind": ["primary", "kindergarten", "primary", "middle"],
                "pupils": [100, 50, 200, 300],
            },
            [Point(300, 1030), Point(1360, 1110), Point(1590, 1515), Point(400, 1700)],
        ),
        "facilities": _gdf(
            {"id": ["F"], "name": ["儿童之家"], "kind": ["children_home"], "capacity": [25]},
            [Point(650, 1250)],
        ),
        "hazards": _gdf(
            {
                "id": ["Z1", "Z2"],
                "kind": ["flood_zone", "dangerous_wall"],
                "name": ["行洪区", "围墙"],
                "level": ["high", "high"],
            },
            [box(0, 800, 600, 1200), LineString([(1600, 1500), (1600, 1530)])],
        ),
        "incidents": _gdf(
            {"id": ["I1"], "date": [pd.Timestamp("2024-07-01")]}, [Point(1360, 1300)]
        ),
    }


@pytest.fixture(scope="module")
def hand_layers() -> Layers:
    layers, report = validate_layers(hand_frames(), today=DATE)
    report.raise_if_fatal("en")
    metric = layers.to_metric()
    assert metric.crs.equals(pyproj.CRS(UTM))
    return metric


@pytest.fixture(scope="module")
def hand(hand_layers: Layers) -> FloodReview:
    return review_institutions(hand_layers, settings=Settings(), date=DATE)


def _row(review: FloodReview, iid: str) -> pd.Series:
    t = review.institutions
    return t.loc[t["id"] == iid].iloc[0]


# --- hand-built cases --------------------------------------------------------------------------


def test_school_inside_flood_zone_is_high_with_escape_route(hand: FloodReview) -> None:
    a = _row(hand, "A")
    assert a["level"] == "high"
    assert a["reasons"] == "in_flood_zone"
    assert a["flood_zone_status"] == "in" and a["flood_zone_m"] == 0.0
    assert a["escape_status"] == "ok"
    assert a["escape_m"] == pytest.approx(730.0, abs=0.01)
    route = hand.routes.loc[hand.routes["institution_id"] == "A"].geometry.iloc[0]
    assert route.length == pytest.approx(730.0, abs=0.01)
    assert Point(route.coords[-1]).distance(Point(X + 1000, Y + 1000)) < 0.01
    assert "位于洪水淹没区(行洪区)" in a["reasons_zh"]
    assert a["office"] == "education_bureau"


def test_school_40m_from_pond_is_high_and_lists_the_incident(hand: FloodReview) -> None:
    b = _row(hand, "B")
    assert b["level"] == "high"
    assert b["reasons"].split(";") == ["water_high", "past_incident"]
    assert b["nearest_water_kind"] == "pond"
    assert b["water_pond_m"] == pytest.approx(40.0, abs=0.01)
    assert b["incidents_near"] == 1
    assert "40 m from a pond" in b["reasons_en"] and "距坑塘 40 米" in b["reasons_zh"]
    assert b["escape_status"] == "not_needed"


def test_school_beside_dangerous_wall_is_high(hand: FloodReview) -> None:
    c = _row(hand, "C")
    assert c["level"] == "high"
    assert c["reasons"] == "dangerous_wall"
    assert c["dangerous_wall_ids"] == "Z2"
    assert c["dangerous_wall_m"] == pytest.approx(10.0, abs=0.01)


def test_safe_school_is_low_and_every_check_is_listed(hand: FloodReview) -> None:
    d = _row(hand, "D")
    assert d["level"] == "low" and d["reasons"] == ""
    checks = hand.checklist.loc[hand.checklist["institution_id"] == "D"]
    assert list(checks["item"]) == list(CHECK_ITEMS)
    status = dict(zip(checks["item"], checks["status"], strict=True))
    assert status == {
        "water": "ok",
        "slope": "no_dem",
        "walls_buildings": "ok",
        "flood_zone": "ok",
        "escape_route": "not_needed",
        "incidents": "ok",
    }


def test_home_near_flood_zone_is_medium_and_escapes_along_roads(hand: FloodReview) -> None:
    f = _row(hand, "F")
    assert f["level"] == "medium"
    assert f["reasons"] == "near_flood_zone"
    assert f["flood_zone_m"] == pytest.approx(math.hypot(50, 50), abs=0.01)
    assert f["escape_m"] == pytest.approx(250.0 + 350.0, abs=0.01)
    assert f["exposed"] == 25 and f["exposed_source"] == "capacity"
    assert f["office"] == "civil_affairs"


def test_counts_and_exposure(hand: FloodReview) -> None:
    assert hand.counts() == {"high": 3, "medium": 1, "low": 1}
    assert hand.exposed_by_level() == {"high": 350, "medium": 25, "low": 300}


def test_unreachable_escape_is_reported(hand_layers: Layers) -> None:
    # a flood zone over the whole road network leaves no safe node
    s = Settings.model_validate({"flood": {"flood_zone_proximity_m": 5000.0}})
    review = review_institutions(hand_layers, settings=s, date=DATE)
    a = _row(review, "A")
    assert a["escape_status"] == "unreachable" and a["escape_why"] == "no_safe_point"
    assert "escape_unreachable" in a["reasons"]
    assert "路网上没有洪水区外的节点" in a["reasons_zh"]


def test_lon_lat_layers_are_refused(hand_layers: Layers) -> None:
    with pytest.raises(CRSError, match="projected CRS"):
        review_institutions(hand_layers.to_crs("EPSG:4326"), settings=Settings(), date=DATE)


# --- DEM ---------------------------------------------------------------------------------------


def _plane_utm(x0: float, y0: float, size: int, cell: float) -> Dem:
    """z = 0.5 * (x - x0): rising 1 m per 2 m eastwards, slope atan(0.5) = 26.565°."""
    cols = np.arange(size) + 0.5
    z = np.tile(0.5 * cols * cell, (size, 1))
    return Dem(z, Affine(cell, 0, x0, 0, -cell, y0 + size * cell), pyproj.CRS(UTM))


def test_slope_of_a_plane_is_atan_one_half() -> None:
    grid = slope(_plane_utm(X, Y, 20, 10.0))
    assert np.allclose(grid.slope_deg, SLOPE_1_IN_2)


def test_dem_in_lon_lat_is_reprojected() -> None:
    to_ll = pyproj.Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    to_utm = pyproj.Transformer.from_crs("EPSG:4326", UTM, always_xy=True)
    lon0, lat0 = to_ll.transform(X + 200, Y + 1500)
    d = 0.0001  # about 10 m
    n = 60
    lon = lon0 + (np.arange(n) + 0.5) * d
    lat = lat0 + 0.006 - (np.arange(n) + 0.5) * d
    lons, lats = np.meshgrid(lon, lat)
    ux, _ = to_utm.transform(lons, lats)
    dem = Dem(0.5 * (ux - X), Affine(d, 0, lon0, 0, -d, lat0 + 0.006), pyproj.CRS(4326))
    metric = to_metric(dem, pyproj.CRS(UTM))
    assert metric.crs.equals(pyproj.CRS(UTM))
    centre = np.array(to_utm.transform(lon0 + 0.003, lat0 + 0.003)).reshape(1, 2)
    deg, cov = max_slope_near(slope(metric), centre, radius_m=50.0)
    assert cov[0] == "ok"
    assert deg[0] == pytest.approx(SLOPE_1_IN_2, abs=0.05)


def test_dem_flags_steep_ground_and_reports_institutions_outside(hand_layers: Layers) -> None:
    # covers x 0..1000, y 1500..2000 (D at 400, 1700) and nothing else
    dem = Dem(
        np.tile(0.5 * (np.arange(100) + 0.5) * 10.0, (50, 1)),
        Affine(10.0, 0, X, 0, -10.0, Y + 2000),
        pyproj.CRS(UTM),
    )
    review = review_institutions(hand_layers, settings=Settings(), date=DATE, dem=dem)
    d = _row(review, "D")
    assert d["dem_coverage"] == "ok"
    assert d["max_slope_deg"] == pytest.approx(SLOPE_1_IN_2, abs=1e-6)
    assert d["level"] == "medium" and d["reasons"] == "steep_slope"
    a = _row(review, "A")
    assert a["dem_coverage"] == "outside" and math.isnan(a["max_slope_deg"])
    checks = review.checklist.set_index(["institution_id", "item"])["status"]
    assert checks[("A", "slope")] == "no_coverage"
    assert checks[("D", "slope")] == "hazard"
    assert review.dem_used


def test_gentle_dem_raises_nothing(hand_layers: Layers) -> None:
    flat = Dem(np.zeros((50, 100)), Affine(10.0, 0, X, 0, -10.0, Y + 2000), pyproj.CRS(UTM))
    review = review_institutions(hand_layers, settings=Settings(), date=DATE, dem=flat)
    assert _row(review, "D")["level"] == "low"
    assert _row(review, "D")["max_slope_deg"] == 0.0


# --- calendar ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "region", "expected"),
    [
        ("2026-03-01", "south", []),
        ("2026-03-02", "south", ["pre_season"]),  # 30 days before 1 April
        ("2026-03-31", "south", ["pre_season"]),
        ("2026-05-02", "north", ["pre_season"]),  # 30 days before 1 June
        ("2026-05-02", "south", ["in_season"]),
        ("2026-06-01", "south", ["in_season", "main_season", "children_day"]),
        ("2026-06-28", "south", ["in_season", "main_season", "summer_holiday"]),
        ("2026-07-20", "south", ["in_season", "main_season", "critical_weeks"]),
        ("2026-07-20", "north", ["in_season", "main_season", "critical_weeks"]),
        ("2026-10-05", "south", ["in_season", "national_day"]),
        ("2026-10-05", "north", ["national_day"]),
        ("2026-02-14", "south", ["spring_festival"]),  # 17 February 2026
        ("2026-01-10", "south", ["winter_holiday"]),
        ("2026-12-01", "south", []),
    ],
)
def test_reviews_due(day: str, region: str, expected: list[str]) -> None:
    due = reviews_due(dt.date.fromisoformat(day), Settings(), region=region)  # type: ignore[arg-type]
    assert [r.code for r in due] == expected


def test_review_window_is_a_setting() -> None:
    s = Settings.model_validate({"flood": {"check_window_days": 0}})
    assert [r.code for r in reviews_due(dt.date(2026, 5, 31), s)] == ["in_season"]
    assert reviews_due(dt.date(2026, 2, 17), s)[0].reference == dt.date(2026, 2, 17)


# --- the sample township -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> FloodReview:
    from geo.load import read_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH))
    report.raise_if_fatal("en")
    return review_institutions(layers.to_metric(), settings=Settings(), date=DATE)


def test_sample_planted_hazards_are_flagged(sample: FloodReview) -> None:
    t = sample.institutions.set_index("name")
    # one school in the high flood zone
    in_zone = t.loc[t["flood_zone_status"] == "in"]
    assert list(in_zone.index) == ["清水河教学点"]
    assert in_zone["level"].iloc[0] == "high"
    assert "in_flood_zone" in in_zone["reasons"].iloc[0]
    # one about 40 m from a pond
    pond = t.loc[t["reasons"].str.contains("water_high")]
    assert list(pond.index) == ["柳塘乡幼儿园"]
    assert pond["water_pond_m"].iloc[0] == pytest.approx(40.0, abs=1.0)
    # one beside a dangerous wall (assessed high), and the small home beside a low one
    walls = t.loc[t["reasons"].str.contains("dangerous_wall")]
    assert walls["level"].to_dict() == {"柳塘乡中心小学": "high", "西湾村儿童之家": "medium"}
    assert sample.counts() == {"high": 3, "medium": 1, "low": 10}


def test_sample_escape_routes_follow_the_roads(sample: FloodReview) -> None:
    t = sample.institutions
    needing = t.loc[t["flood_zone_status"] != "ok"]
    assert (needing["escape_status"] == "ok").all()
    for _, r in sample.routes.iterrows():
        esc = t.loc[t["id"] == r["institution_id"], "escape_m"].iloc[0]
        assert r.geometry.length == pytest.approx(esc, rel=1e-9)
        assert r["distance_m"] == pytest.approx(esc)
    assert len(sample.checklist) == len(t) * len(CHECK_ITEMS)
