"""The embedded sample township: a fictitious county of the Jianghan plain, Hubei.

``generate_sample`` builds every layer of :data:`geo.schemas.SCHEMAS` for a made-up county
(示例县, code ``421023``) of about 10 km x 10 km around lon 112.90-113.02, lat 29.78-29.88: two
townships (清河镇 with seven villages, 柳塘乡 with five), a slow river (清水河) crossing both, canals,
ditches, about forty ponds, one reservoir, a connected road and path network with bridges, and
about 3,000 households with children clustered in hamlets. Every name is invented; no record
describes a real person.

The sample is built to exercise each analysis, so some gaps are planted on purpose:

- children's homes stand in only seven of the twelve villages, one of them smaller than the
  30 m² the policy asks for, and several hamlets lie more than 1 km along roads from any home;
- only 清河镇 has a township minor-protection workstation; 柳塘乡 has none;
- there is **no county institution** (``county_institution``) in the sample, so the service-network
  check reports it missing;
- most ponds near houses have no "four-ones" equipment, and some of the equipment that exists is
  damaged or missing;
- one school stands in a flood zone, one about 40 m from a pond and one beside a dangerous wall;
- some left-behind households have no care agreement, and some contacts and home visits are overdue
  (relative to :data:`REFERENCE_DATE`) or never happened;
- one village has far more than 30 left-behind plus in-difficulty children, several have fewer.

Everything is computed in a local metric frame (metres east and north of :data:`ORIGIN_LON`,
:data:`ORIGIN_LAT`) and converted to WGS84 lon/lat by a fixed equirectangular scale, rounded to
:data:`COORD_DECIMALS` decimals (about 1 cm), so the output does not depend on the PROJ version.
All randomness comes from one seeded :class:`numpy.random.Generator`.

Run ``python -m sample_layers.generate [OUT_DIR]`` to rewrite ``township.gpkg``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from numpy.typing import NDArray
from shapely import affinity
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import split, substring

from geo.schemas import DIFFICULTY_CATEGORIES, SCHEMAS

# --- output ------------------------------------------------------------------------------------
DEFAULT_SEED = 20260701  # the seed of the committed sample
SAMPLE_FILENAME = "township.gpkg"
SAMPLE_PATH = Path(__file__).with_name(SAMPLE_FILENAME)
# GDAL stamps gpkg_contents.last_change with the current time unless told otherwise.
GPKG_TIMESTAMP = "2026-01-01T00:00:00Z"
# Visits and contacts are dated relative to this day (the sample's "today").
REFERENCE_DATE = pd.Timestamp("2026-07-01")

# --- local metric frame --------------------------------------------------------------------
ORIGIN_LON = 112.90  # lon of x = 0 m
ORIGIN_LAT = 29.78  # lat of y = 0 m
M_PER_DEG_LON = 96_570.0  # 111,320 m x cos(29.83 deg)
M_PER_DEG_LAT = 110_850.0  # metres per degree of latitude at 29.8 deg N
COORD_DECIMALS = 7  # about 1 cm; keeps the file stable across PROJ / GEOS versions

# --- areas ---------------------------------------------------------------------------------
COUNTY_CODE = "421023"
COUNTY_NAME = "示例县"
TOWNSHIPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "421023101000",
        "清河镇",
        ("东湾村", "西湾村", "荷花村", "新堤村", "杨林村", "马家台村", "白鹭村"),
    ),
    ("421023102000", "柳塘乡", ("柳塘村", "南垸村", "三合村", "金港村", "曹家湾村")),
)
COUNTY_CENTRE_M = (5_800.0, 5_500.0)  # centre of the county outline
COUNTY_SEMI_AXES_M = (5_000.0, 4_800.0)  # half-width and half-height of the outline
COUNTY_SHAPE_EXPONENT = 3.0  # superellipse exponent: 2 is an ellipse, larger is squarer
COUNTY_VERTICES = 40
COUNTY_JITTER = 0.035  # relative radial jitter of the outline
TOWNSHIP_SPLIT_X_M = 6_300.0  # the township boundary runs roughly north-south here
TOWNSHIP_SPLIT_JITTER_M = 220.0
TOWNSHIP_SPLIT_VERTICES = 12
VILLAGE_MIN_GAP_M = 2_000.0  # least distance between village centres (relaxed if crowded)
VILLAGE_EDGE_MARGIN_M = 450.0  # village centres stay this far inside their township
VILLAGE_RIVER_GAP_M = 400.0  # and this far from the river

# --- river, canals, ditches, reservoir -----------------------------------------------------
RIVER_NAME = "清水河"
RIVER_BASE_Y_M = 5_300.0
RIVER_MEANDERS = ((450.0, 7_000.0), (180.0, 2_300.0))  # (amplitude, wavelength) in metres
RIVER_STEP_M = 80.0  # vertex spacing of the river line
RIVER_WIDTH_M = 40.0
RIVER_CURRENTS = ("slow", "fast")  # west reach, east reach
RIVER_BANKS = ("narrow_embankment", "revetted")
CANAL_NAMES = ("红旗渠", "幸福渠", "东干渠")
CANAL_WIDTH_RANGE_M = (5.0, 10.0)
CANAL_RUN_RANGE_M = (1_600.0, 2_800.0)  # first leg, away from the river
CANAL_TURN_RANGE_M = (1_200.0, 2_200.0)  # second leg, roughly parallel to the river
N_DITCHES = 8
DITCH_WIDTH_RANGE_M = (1.5, 3.0)
DITCH_LEG_RANGE_M = (300.0, 800.0)
RESERVOIR_NAME = "青龙水库"
RESERVOIR_SEMI_AXES_M = (330.0, 190.0)
RESERVOIR_RIVER_GAP_M = 900.0
LANDSLIDE_BAND_M = 150.0  # width of the unstable slope above the reservoir

# --- ponds ---------------------------------------------------------------------------------
N_PONDS = 40  # including the pond beside the kindergarten
N_PONDS_NEAR_HAMLETS = 24  # the rest lie in the fields
POND_RADIUS_RANGE_M = (10.0, 40.0)  # half of 20-80 m across
POND_HAMLET_DISTANCE_M = (40.0, 170.0)
POND_SHARE_RECTANGULAR = 0.5  # fish ponds of the plain are mostly dug rectangles
POND_NAMED_SHARE = 0.2
POND_ROAD_GAP_M = 10.0
POND_WATER_GAP_M = 15.0
POND_SITE_GAP_M = 30.0  # from schools and facilities
SCHOOL_POND_GAP_M = 40.0  # the kindergarten's pond

# --- roads ---------------------------------------------------------------------------------
ROAD_STEP_M = 60.0  # vertex spacing; branches attach at vertices so junctions share coordinates
ROAD_RIVER_CLEARANCE_M = 30.0  # every non-bridge road stays this far from the river centre line
BRIDGE_HALF_LENGTH_M = 50.0
BRIDGE_APPROACH_M = 250.0  # straight approach before and after a bridge
PARALLEL_ROAD_OFFSET_M = 900.0  # the two tertiary roads along the river
VILLAGE_LINK_MAX_M = 3_400.0  # longest village-to-village road
VILLAGE_LINK_SHARE = 0.75  # share of candidate links that are built
PARALLEL_GAP_M = 60.0  # a new road may not run this close beside an existing one for long
SATELLITE_HAMLETS = (2, 4)  # per village, besides the main hamlet at the village centre
SATELLITE_DISTANCE_M = (450.0, 1_150.0)
HAMLET_GAP_M = 450.0
SPOKES_PER_HAMLET = (2, 4)
SPOKE_LENGTH_M = (120.0, 300.0)

# --- households ----------------------------------------------------------------------------
N_HOUSEHOLDS = 3_000
N_SMALL_VILLAGES = 4  # villages with few households and few left-behind children
SMALL_VILLAGE_HOUSEHOLDS = 100
RIBBON_SHARE = 0.12  # households strung along village roads outside the hamlets
MAIN_HAMLET_WEIGHT = 2.2  # the village-centre hamlet is the largest
HAMLET_SPREAD_M = 85.0
HAMLET_MAX_RADIUS_M = 420.0
HOUSE_ROAD_OFFSET_M = (12.0, 40.0)
HOUSE_MIN_GAP_M = 9.0
HOUSE_ROAD_GAP_M = 8.0
HOUSE_WATER_GAP_M = 6.0
LEFT_BEHIND_RATE = (0.195, 0.07)  # share of households with left-behind children: usual, small
IN_DIFFICULTY_RATE = (0.075, 0.035)  # share with children in difficulty: usual, small
LEFT_BEHIND_COUNTS = ((1, 2, 3), (0.5, 0.37, 0.13))  # children per left-behind household
IN_DIFFICULTY_COUNTS = ((1, 2), (0.85, 0.15))
OTHER_CHILD_COUNTS = ((1, 2, 3), (0.5, 0.4, 0.1))
# Weights of a child's main category of difficulty, in DIFFICULTY_CATEGORIES order.
CATEGORY_WEIGHTS = (0.06, 0.12, 0.15, 0.12, 0.4, 0.15)
SECOND_CATEGORY_SHARE = 0.15
CARE_AGREEMENT_SHARE = 0.82
SINGLE_PARENT_SHARE = (0.06, 0.2)  # other households, households in difficulty
PARENT_DISABLED_SHARE = 0.03
CHILD_DISABLED_SHARE = 0.015
PSYCH_SHARE = (0.015, 0.07)  # other households, left-behind or in difficulty
NEVER_VISITED_SHARE = 0.04
VISIT_ON_TIME_SHARE = 0.62
CONTACT_ON_TIME_SHARE = 0.7
VISIT_WINDOW_DAYS = 90  # the policy interval; overdue dates lie beyond it
CONTACT_WINDOW_DAYS = 30
OLDEST_RECORD_DAYS = 175  # every date stays in 2026

# --- schools, facilities, equipment, incidents ---------------------------------------------
SCHOOLS_SPEC: tuple[tuple[str, str, int], ...] = (
    ("清河镇中心小学", "primary", 860),
    ("清河镇初级中学", "middle", 720),
    ("清河镇中心幼儿园", "kindergarten", 210),
    ("柳塘乡中心小学", "primary", 480),
    ("柳塘乡幼儿园", "kindergarten", 130),
    ("清水河教学点", "primary", 64),
)
N_CHILDREN_HOMES = 7
SMALL_HOME_AREA_M2 = 24.0  # below the 30 m² the policy asks for
HOME_AREA_RANGE_M2 = (35.0, 80.0)
HOME_HOURS = ("周一至周五 15:00-18:00", "周末及寒暑假 09:00-17:00", "每日 14:00-18:00")
WORKSTATION_AREA_M2 = 60.0
WORKSTATION_CAPACITY = 20
WORKSTATION_HOURS = "周一至周五 08:30-17:30"
EQUIPPED_POND_SHARE = 0.3
CABINET_SHARE = 0.35  # equipped sites with a four-in-one cabinet instead of loose items
CONDITION_WEIGHTS = (("ok", "damaged", "missing"), (0.75, 0.15, 0.10))
UNINSPECTED_SHARE = 0.08
N_FENCED_PONDS = 5
N_INCIDENTS = 6
INCIDENT_YEARS = (2019, 2025)
INCIDENT_MONTHS = ((4, 5, 6, 7, 8, 9, 10), (0.05, 0.1, 0.2, 0.3, 0.25, 0.07, 0.03))
INCIDENT_AGES = (3, 14)
FLOOD_HALF_SPAN_M = 1_500.0  # flood zones stretch this far up and down stream of a bridge
FLOOD_WIDTHS_M = (300.0, 220.0)  # high, medium

XY = tuple[float, float]
Rng = np.random.Generator


@dataclass(frozen=True)
class _River:
    """The river centre line as y = f(x), so north and south banks are well defined."""

    phases: tuple[float, ...]

    def y(self, x: float) -> float:
        out = RIVER_BASE_Y_M
        for (amp, wave), ph in zip(RIVER_MEANDERS, self.phases, strict=True):
            out += amp * math.sin(2.0 * math.pi * x / wave + ph)
        return out

    def side(self, x: float, y: float) -> int:
        return 1 if y > self.y(x) else -1


@dataclass
class _Road:
    kind: str
    name: str | None
    line: LineString
    side: int  # +1 north of the river, -1 south, 0 a bridge


@dataclass
class _Village:
    code: str
    name: str
    township: int
    centre: XY
    polygon: Polygon = field(default_factory=Polygon)
    hamlets: list[XY] = field(default_factory=list)
    small: bool = False


@dataclass
class _Water:
    name: str | None
    kind: str
    geom: BaseGeometry
    width_m: float | None
    depth_class: str
    current: str
    bank: str
    entry_points: int | None
    use: str
    river_chief: str | None


@dataclass
class _World:
    """Everything built so far, in metres."""

    river: _River
    county: Polygon
    townships: list[Polygon]
    river_line: LineString
    villages: list[_Village] = field(default_factory=list)
    seats: list[int] = field(default_factory=list)  # village index of each township seat
    roads: list[_Road] = field(default_factory=list)
    bridges_x: list[float] = field(default_factory=list)
    reservoir: Polygon = field(default_factory=Polygon)
    waters: list[_Water] = field(default_factory=list)
    sites: list[XY] = field(default_factory=list)  # schools and facilities, kept apart


# --- small geometry helpers ------------------------------------------------------------------


def _bent_line(rng: Rng, a: XY, b: XY, bend: float) -> LineString:
    """A line from ``a`` to ``b`` through a jittered midpoint, with a vertex every few metres."""
    length = math.dist(a, b)
    nx, ny = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
    off = float(rng.uniform(-bend, bend)) * length
    mid = ((a[0] + b[0]) / 2 + nx * off, (a[1] + b[1]) / 2 + ny * off)
    return shapely.segmentize(LineString([a, mid, b]), ROAD_STEP_M)


def _star_polygon(rng: Rng, centre: XY, semi: XY, n: int, jitter: float) -> Polygon:
    """A jittered ellipse, star-shaped about its centre (hence always valid)."""
    theta = np.linspace(0.0, 2.0 * math.pi, n, endpoint=False)
    r = 1.0 + rng.uniform(-jitter, jitter, n)
    rot = float(rng.uniform(0.0, math.pi))
    x = semi[0] * np.cos(theta) * r
    y = semi[1] * np.sin(theta) * r
    xr = centre[0] + x * math.cos(rot) - y * math.sin(rot)
    yr = centre[1] + x * math.sin(rot) + y * math.cos(rot)
    return Polygon(np.column_stack([xr, yr]))


def _pond_shape(rng: Rng, centre: XY) -> Polygon:
    a = float(rng.uniform(*POND_RADIUS_RANGE_M))
    b = a * float(rng.uniform(0.55, 1.0))
    if rng.random() < POND_SHARE_RECTANGULAR:
        rot = float(rng.uniform(0.0, math.pi))
        corners = np.array([(-a, -b), (a, -b), (a, b), (-a, b)]) + rng.uniform(-2.0, 2.0, (4, 2))
        c, s = math.cos(rot), math.sin(rot)
        xs = centre[0] + corners[:, 0] * c - corners[:, 1] * s
        ys = centre[1] + corners[:, 0] * s + corners[:, 1] * c
        return Polygon(np.column_stack([xs, ys]))
    return _star_polygon(rng, centre, (a, b), 14, 0.1)


def _tree_near(tree: shapely.STRtree, geom: BaseGeometry, distance: float) -> bool:
    return len(tree.query(geom, predicate="dwithin", distance=distance)) > 0


# --- areas and river -------------------------------------------------------------------------


def _county(rng: Rng) -> Polygon:
    theta = np.linspace(0.0, 2.0 * math.pi, COUNTY_VERTICES, endpoint=False)
    n = COUNTY_SHAPE_EXPONENT
    unit = (np.abs(np.cos(theta)) ** n + np.abs(np.sin(theta)) ** n) ** (-1.0 / n)
    r = unit * (1.0 + rng.uniform(-COUNTY_JITTER, COUNTY_JITTER, COUNTY_VERTICES))
    x = COUNTY_CENTRE_M[0] + COUNTY_SEMI_AXES_M[0] * r * np.cos(theta)
    y = COUNTY_CENTRE_M[1] + COUNTY_SEMI_AXES_M[1] * r * np.sin(theta)
    return Polygon(np.column_stack([x, y]))


def _townships(rng: Rng, county: Polygon) -> list[Polygon]:
    _, miny, _, maxy = county.bounds
    ys = np.linspace(maxy + 500.0, miny - 500.0, TOWNSHIP_SPLIT_VERTICES)
    xs = TOWNSHIP_SPLIT_X_M + rng.uniform(
        -TOWNSHIP_SPLIT_JITTER_M, TOWNSHIP_SPLIT_JITTER_M, TOWNSHIP_SPLIT_VERTICES
    )
    parts = list(split(county, LineString(np.column_stack([xs, ys]))).geoms)
    parts.sort(key=lambda p: p.centroid.x)
    return parts


def _river_line(river: _River, county: Polygon) -> LineString:
    minx, _, maxx, _ = county.bounds
    xs = np.arange(math.floor(minx / RIVER_STEP_M) - 2, math.ceil(maxx / RIVER_STEP_M) + 3)
    pts = [(float(i) * RIVER_STEP_M, river.y(float(i) * RIVER_STEP_M)) for i in xs]
    clipped = LineString(pts).intersection(county)
    if clipped.geom_type != "LineString":
        msg = f"the river should cross the county once, got {clipped.geom_type}"
        raise RuntimeError(msg)
    return clipped


def _village_centres(rng: Rng, world: _World, township: Polygon, n: int) -> list[XY]:
    inner = township.buffer(-VILLAGE_EDGE_MARGIN_M)
    minx, miny, maxx, maxy = inner.bounds
    pts: list[XY] = []
    gap = VILLAGE_MIN_GAP_M
    tries = 0
    while len(pts) < n:
        tries += 1
        if tries % 3000 == 0:
            gap *= 0.9
        p = (float(rng.uniform(minx, maxx)), float(rng.uniform(miny, maxy)))
        if not inner.contains(Point(p)):
            continue
        if world.river_line.distance(Point(p)) < VILLAGE_RIVER_GAP_M:
            continue
        if any(math.dist(p, q) < gap for q in pts):
            continue
        pts.append(p)
    pts.sort(key=lambda q: (-q[1], q[0]))
    return pts


def _build_areas(rng: Rng, world: _World) -> None:
    for t, (tcode, _tname, names) in enumerate(TOWNSHIPS):
        township = world.townships[t]
        centres = _village_centres(rng, world, township, len(names))
        cells = shapely.get_parts(
            shapely.voronoi_polygons(
                MultiPoint(centres), extend_to=township.envelope.buffer(2_000.0), ordered=True
            )
        )
        for i, (centre, cell) in enumerate(zip(centres, cells, strict=True)):
            poly = cell.intersection(township)
            if poly.geom_type != "Polygon":
                msg = f"village cell {i} of township {tcode} is a {poly.geom_type}"
                raise RuntimeError(msg)
            code = f"{tcode[:9]}{i + 1:03d}"
            world.villages.append(_Village(code, names[i], t, centre, poly))
        tc = township.centroid
        first = len(world.villages) - len(names)
        seat = min(
            range(first, len(world.villages)),
            key=lambda k: math.dist(world.villages[k].centre, (tc.x, tc.y)),
        )
        world.seats.append(seat)


# --- roads -----------------------------------------------------------------------------------


def _vertical_extent(county: Polygon, x: float) -> tuple[float, float]:
    inner = county.buffer(-80.0)
    _, miny, _, maxy = inner.bounds
    seg = LineString([(x, miny - 10.0), (x, maxy + 10.0)]).intersection(inner)
    _, lo, _, hi = seg.bounds
    return float(lo), float(hi)


def _crossing_road(
    rng: Rng, world: _World, x_b: float, through: XY | None, kind: str, names: tuple[str, str]
) -> None:
    """A north-south road across the county with a bridge at ``x_b``, through ``through``."""
    river = world.river
    lo, hi = _vertical_extent(world.county, x_b)
    yb = river.y(x_b)
    north: list[XY] = [(x_b + float(rng.uniform(-250.0, 250.0)), hi)]
    south: list[XY] = []
    if through is not None and river.side(*through) > 0:
        north.append(through)
    north += [(x_b, yb + BRIDGE_APPROACH_M), (x_b, yb + BRIDGE_HALF_LENGTH_M)]
    south += [(x_b, yb - BRIDGE_HALF_LENGTH_M), (x_b, yb - BRIDGE_APPROACH_M)]
    if through is not None and river.side(*through) < 0:
        south.append(through)
    south.append((x_b + float(rng.uniform(-250.0, 250.0)), lo))
    world.roads.append(_Road(kind, names[0], shapely.segmentize(LineString(north), ROAD_STEP_M), 1))
    world.roads.append(_Road("bridge", names[1], LineString([north[-1], south[0]]), 0))
    world.roads.append(
        _Road(kind, names[0], shapely.segmentize(LineString(south), ROAD_STEP_M), -1)
    )
    world.bridges_x.append(x_b)


def _parallel_road(rng: Rng, world: _World, side: int, name: str) -> None:
    """A tertiary road following the river's large meander at a fixed offset."""
    minx, _, maxx, _ = world.county.bounds
    xs = np.arange(minx - 200.0, maxx + 200.0, 300.0)
    amp, wave = RIVER_MEANDERS[0]
    ph = world.river.phases[0]
    jitter = rng.uniform(-60.0, 60.0, len(xs))
    ys = [
        RIVER_BASE_Y_M + side * PARALLEL_ROAD_OFFSET_M + amp * math.sin(2 * math.pi * x / wave + ph)
        for x in xs
    ]
    line = LineString(np.column_stack([xs, np.asarray(ys) + jitter]))
    parts = shapely.get_parts(line.intersection(world.county.buffer(-80.0)))
    longest = max(parts, key=lambda g: g.length)
    world.roads.append(_Road("tertiary", name, shapely.segmentize(longest, ROAD_STEP_M), side))


def _road_vertices(world: _World, side: int) -> NDArray[np.float64]:
    arrays = [shapely.get_coordinates(r.line) for r in world.roads if r.side == side]
    return np.unique(np.vstack(arrays), axis=0)


def _blocked(world: _World, line: LineString) -> bool:
    if world.river_line.distance(line) < ROAD_RIVER_CLEARANCE_M:
        return True
    if not world.reservoir.is_empty and line.distance(world.reservoir) < 40.0:
        return True
    return not world.county.contains(line)


def _runs_along(world: _World, line: LineString, distance: float, share: float) -> bool:
    """Whether more than ``share`` of ``line`` runs within ``distance`` of an existing road."""
    near = [r.line for r in world.roads if r.line.distance(line) < distance]
    if not near:
        return False
    corridor = shapely.union_all(near).buffer(distance, quad_segs=2)
    return bool(line.intersection(corridor).length > share * line.length)


def _attach(
    rng: Rng, world: _World, start: XY, kind: str, name: str | None, bend: float = 0.12
) -> LineString | None:
    """Join ``start`` to the nearest reachable vertex of the network on its side of the river."""
    side = world.river.side(*start)
    verts = _road_vertices(world, side)
    d = np.hypot(verts[:, 0] - start[0], verts[:, 1] - start[1])
    for k in np.argsort(d, kind="stable")[:12]:
        if d[k] < 1.0:
            return None  # already on the network
        target = (float(verts[k, 0]), float(verts[k, 1]))
        line = _bent_line(rng, start, target, bend)
        if not _blocked(world, line):
            world.roads.append(_Road(kind, name, line, side))
            return line
    return None


def _main_roads(rng: Rng, world: _World) -> None:
    west_seat = world.villages[world.seats[0]].centre
    east_seat = world.villages[world.seats[1]].centre
    _crossing_road(rng, world, west_seat[0], west_seat, "secondary", ("县道X031", "清水河大桥"))
    _crossing_road(rng, world, east_seat[0], east_seat, "tertiary", ("柳塘路", "柳塘大桥"))
    _parallel_road(rng, world, 1, "河北路")
    _parallel_road(rng, world, -1, "河南路")
    # a village bridge midway between the two road bridges, from one river road to the other
    minx, _, _, _ = world.county.bounds
    x3 = (
        (minx + west_seat[0]) / 2.0
        if west_seat[0] - minx > 3_000.0
        else ((west_seat[0] + east_seat[0]) / 2.0)
    )
    x3 = round(x3 / RIVER_STEP_M) * RIVER_STEP_M + RIVER_STEP_M / 2.0
    yb = world.river.y(x3)
    n_end, s_end = (x3, yb + BRIDGE_HALF_LENGTH_M), (x3, yb - BRIDGE_HALF_LENGTH_M)
    world.roads.append(_Road("bridge", "东湾桥", LineString([n_end, s_end]), 0))
    for end, side in ((n_end, 1), (s_end, -1)):
        approach = (x3, yb + side * BRIDGE_APPROACH_M)
        if _attach(rng, world, approach, "village_road", None, bend=0.05) is None:
            msg = f"cannot join the village bridge at x = {x3} m to the network"
            raise RuntimeError(msg)
        world.roads.append(_Road("village_road", None, LineString([end, approach]), side))
    world.bridges_x.append(x3)


def _reservoir(rng: Rng, world: _World) -> None:
    township = world.townships[1].buffer(-450.0)
    minx, miny, maxx, maxy = township.bounds
    tree = shapely.STRtree([r.line for r in world.roads])
    for _ in range(5_000):
        c = (float(rng.uniform(minx, maxx)), float(rng.uniform(miny, maxy)))
        p = Point(c)
        if not township.contains(p) or world.river_line.distance(p) < RESERVOIR_RIVER_GAP_M:
            continue
        if any(math.dist(c, v.centre) < 800.0 for v in world.villages):
            continue
        shape = _star_polygon(rng, c, RESERVOIR_SEMI_AXES_M, 24, 0.08)
        if _tree_near(tree, shape, 300.0):
            continue
        world.reservoir = shape
        return
    msg = "found no site for the reservoir"
    raise RuntimeError(msg)


def _village_roads(rng: Rng, world: _World) -> None:
    for v in world.villages:
        _attach(rng, world, v.centre, "village_road", None)
    centres = [v.centre for v in world.villages]
    edges = shapely.get_parts(shapely.delaunay_triangles(MultiPoint(centres), only_edges=True))
    index = {c: i for i, c in enumerate(centres)}
    for edge in edges:
        a, b = (tuple(map(float, c)) for c in shapely.get_coordinates(edge))
        i, j = index.get((a[0], a[1])), index.get((b[0], b[1]))
        if i is None or j is None:
            continue
        ca, cb = centres[i], centres[j]
        if world.river.side(*ca) != world.river.side(*cb) or math.dist(ca, cb) > VILLAGE_LINK_MAX_M:
            continue
        if rng.random() > VILLAGE_LINK_SHARE:
            continue
        line = _bent_line(rng, ca, cb, 0.1)
        if world.river_line.distance(line) < 150.0 or _blocked(world, line):
            continue
        if _runs_along(world, line, PARALLEL_GAP_M, 0.25):
            continue
        world.roads.append(_Road("village_road", None, line, world.river.side(*ca)))


def _hamlets(rng: Rng, world: _World) -> None:
    canals = [w.geom for w in world.waters if w.kind in ("canal", "ditch")]
    for v in world.villages:
        v.hamlets = [v.centre]
        inner = v.polygon.buffer(-150.0)
        want = int(rng.integers(SATELLITE_HAMLETS[0], SATELLITE_HAMLETS[1] + 1))
        for _ in range(400):
            if len(v.hamlets) > want:
                break
            ang = float(rng.uniform(0.0, 2.0 * math.pi))
            dist = float(rng.uniform(*SATELLITE_DISTANCE_M))
            c = (v.centre[0] + dist * math.cos(ang), v.centre[1] + dist * math.sin(ang))
            p = Point(c)
            if not inner.contains(p) or world.river_line.distance(p) < 150.0:
                continue
            if world.reservoir.distance(p) < 250.0 or any(g.distance(p) < 40.0 for g in canals):
                continue
            if any(math.dist(c, h) < HAMLET_GAP_M for h in v.hamlets):
                continue
            if _attach(rng, world, c, "village_road", None, bend=0.15) is None:
                continue
            v.hamlets.append(c)
    for v in world.villages:
        for h in v.hamlets:
            _spokes(rng, world, h)


def _spokes(rng: Rng, world: _World, hamlet: XY) -> None:
    n = int(rng.integers(SPOKES_PER_HAMLET[0], SPOKES_PER_HAMLET[1] + 1))
    base = float(rng.uniform(0.0, 2.0 * math.pi))
    side = world.river.side(*hamlet)
    for k in range(n):
        ang = base + 2.0 * math.pi * k / n + float(rng.uniform(-0.4, 0.4))
        length = float(rng.uniform(*SPOKE_LENGTH_M))
        mid_ang = ang + float(rng.uniform(-0.35, 0.35))
        mid = (
            hamlet[0] + 0.5 * length * math.cos(mid_ang),
            hamlet[1] + 0.5 * length * math.sin(mid_ang),
        )
        end = (hamlet[0] + length * math.cos(ang), hamlet[1] + length * math.sin(ang))
        line = shapely.segmentize(LineString([hamlet, mid, end]), ROAD_STEP_M)
        if _blocked(world, line) or _runs_along(world, line, PARALLEL_GAP_M / 2.0, 0.4):
            continue
        kind = "path" if rng.random() < 0.6 else "track"
        world.roads.append(_Road(kind, None, line, side))


def _noded_roads(world: _World) -> list[_Road]:
    """Split every road at every junction and crossing, keeping each piece's attributes."""
    lines = [r.line for r in world.roads]
    pieces = shapely.get_parts(shapely.union_all(lines))
    tree = shapely.STRtree(lines)
    mids = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    idx = tree.query_nearest(mids, return_distance=False, all_matches=False)
    out: list[_Road] = []
    for k, piece in enumerate(pieces):
        src = world.roads[int(idx[1][k])]
        out.append(_Road(src.kind, src.name, piece, src.side))
    return out


# --- waters ----------------------------------------------------------------------------------


def _chief(world: _World, geom: BaseGeometry) -> str:
    """The role responsible for a water: the village's chief, or the township's."""
    p = geom.representative_point()
    for v in world.villages:
        if v.polygon.contains(p):
            return f"{v.name}河长"
    t = 0 if world.townships[0].contains(p) else 1
    return f"{TOWNSHIPS[t][1]}河长"


def _river_and_reservoir(rng: Rng, world: _World) -> None:
    for t, township in enumerate(world.townships):
        reach = world.river_line.intersection(township)
        world.waters.append(
            _Water(
                RIVER_NAME,
                "river",
                reach,
                RIVER_WIDTH_M,
                "deep",
                RIVER_CURRENTS[t],
                RIVER_BANKS[t],
                int(rng.integers(4, 12)),
                "swimming;fishing;washing",
                f"{TOWNSHIPS[t][1]}河长",
            )
        )
    world.waters.append(
        _Water(
            RESERVOIR_NAME,
            "reservoir",
            world.reservoir,
            None,
            "deep",
            "still",
            "steep",
            int(rng.integers(2, 6)),
            "fishing;swimming",
            f"{COUNTY_NAME}河长",
        )
    )


def _canals_and_ditches(rng: Rng, world: _World) -> None:
    minx, _, maxx, _ = world.county.bounds
    inner = world.county.buffer(-50.0)
    n = len(CANAL_NAMES)
    for i, name in enumerate(CANAL_NAMES):
        for _ in range(200):
            x0 = minx + (i + 0.5) / n * (maxx - minx) + float(rng.uniform(-900.0, 900.0))
            x0 = round(x0 / RIVER_STEP_M) * RIVER_STEP_M  # start on a river vertex
            y0 = world.river.y(x0)
            side = 1 if i % 2 == 0 else -1
            run = float(rng.uniform(*CANAL_RUN_RANGE_M))
            turn = float(rng.uniform(*CANAL_TURN_RANGE_M)) * (1 if rng.random() < 0.5 else -1)
            x1 = x0 + float(rng.uniform(-150.0, 150.0))
            pts = [(x0, y0), (x1, y0 + side * run), (x1 + turn, y0 + side * (run + 150.0))]
            line = shapely.segmentize(LineString(pts), 100.0)
            clipped = line.intersection(inner)
            parts = [g for g in shapely.get_parts(clipped) if g.distance(Point(x0, y0)) < 60.0]
            if not parts:
                continue
            canal = parts[0]
            tail = substring(canal, 150.0, canal.length)
            if tail.distance(world.river_line) < 100.0 or canal.length < 1_200.0:
                continue
            if canal.distance(world.reservoir) < 100.0:
                continue
            if any(canal.distance(Point(v.centre)) < 100.0 for v in world.villages):
                continue
            width = round(float(rng.uniform(*CANAL_WIDTH_RANGE_M)), 1)
            chief = f"{TOWNSHIPS[0 if x0 < TOWNSHIP_SPLIT_X_M else 1][1]}河长"
            world.waters.append(
                _Water(
                    name, "canal", canal, width, "medium", "slow", "steep", None, "washing", chief
                )
            )
            break
    inner = world.county.buffer(-200.0)
    dminx, dminy, dmaxx, dmaxy = inner.bounds
    made = 0
    while made < N_DITCHES:
        start = (float(rng.uniform(dminx, dmaxx)), float(rng.uniform(dminy, dmaxy)))
        ang = float(rng.integers(0, 4)) * math.pi / 2.0 + float(rng.normal(0.0, 0.12))
        leg1 = float(rng.uniform(*DITCH_LEG_RANGE_M))
        leg2 = float(rng.uniform(*DITCH_LEG_RANGE_M)) * 0.6
        turn = ang + (math.pi / 2.0) * (1 if rng.random() < 0.5 else -1)
        mid = (start[0] + leg1 * math.cos(ang), start[1] + leg1 * math.sin(ang))
        end = (mid[0] + leg2 * math.cos(turn), mid[1] + leg2 * math.sin(turn))
        line = shapely.segmentize(LineString([start, mid, end]), 100.0)
        if not inner.contains(line) or line.distance(world.river_line) < 60.0:
            continue
        if line.distance(world.reservoir) < 60.0:
            continue
        if any(line.distance(Point(v.centre)) < 150.0 for v in world.villages):
            continue
        if any(line.distance(w.geom) < 40.0 for w in world.waters if w.kind == "ditch"):
            continue
        width = round(float(rng.uniform(*DITCH_WIDTH_RANGE_M)), 1)
        depth = "shallow" if rng.random() < 0.6 else "medium"
        world.waters.append(
            _Water(None, "ditch", line, width, depth, "still", "steep", None, "none", None)
        )
        made += 1


def _place_pond(
    rng: Rng,
    world: _World,
    centre: XY,
    road_tree: shapely.STRtree,
    ponds: list[Polygon],
    site_gap: float = POND_SITE_GAP_M,
) -> Polygon | None:
    shape = _pond_shape(rng, centre)
    if not world.county.buffer(-20.0).contains(shape):
        return None
    if _tree_near(road_tree, shape, POND_ROAD_GAP_M):
        return None
    if any(w.geom.distance(shape) < POND_WATER_GAP_M for w in world.waters):
        return None
    if any(p.distance(shape) < POND_WATER_GAP_M for p in ponds):
        return None
    if any(Point(s).distance(shape) < site_gap for s in world.sites):
        return None
    ponds.append(shape)
    return shape


def _school_pond(rng: Rng, world: _World, road_tree: shapely.STRtree, school: XY) -> Polygon:
    """A pond whose shore lies :data:`SCHOOL_POND_GAP_M` from the school."""
    sp = Point(school)
    for k in range(48):
        ang = 2.0 * math.pi * k / 16.0 + 0.13 * (k // 16)
        shape = _pond_shape(rng, school)
        dist = SCHOOL_POND_GAP_M + 30.0
        for _ in range(4):  # walk the pond out until its shore is at the wanted distance
            moved = affinity.translate(shape, dist * math.cos(ang), dist * math.sin(ang))
            dist += SCHOOL_POND_GAP_M - moved.distance(sp)
        moved = affinity.translate(shape, dist * math.cos(ang), dist * math.sin(ang))
        if not world.county.buffer(-20.0).contains(moved):
            continue
        if _tree_near(road_tree, moved, POND_ROAD_GAP_M):
            continue
        if any(w.geom.distance(moved) < POND_WATER_GAP_M for w in world.waters):
            continue
        if any(Point(s).distance(moved) < SCHOOL_POND_GAP_M - 1.0 for s in world.sites):
            continue
        return moved
    msg = "found no site for the pond beside the kindergarten"
    raise RuntimeError(msg)


def _ponds(rng: Rng, world: _World, road_tree: shapely.STRtree, school: XY) -> None:
    """Place the ponds: one beside the kindergarten, some by hamlets, the rest in fields."""
    ponds = [_school_pond(rng, world, road_tree, school)]
    hamlets = [h for v in world.villages for h in v.hamlets]
    while len(ponds) < 1 + N_PONDS_NEAR_HAMLETS:
        h = hamlets[int(rng.integers(0, len(hamlets)))]
        ang = float(rng.uniform(0.0, 2.0 * math.pi))
        dist = float(rng.uniform(*POND_HAMLET_DISTANCE_M))
        centre = (h[0] + dist * math.cos(ang), h[1] + dist * math.sin(ang))
        _place_pond(rng, world, centre, road_tree, ponds)
    minx, miny, maxx, maxy = world.county.bounds
    while len(ponds) < N_PONDS:
        c = (float(rng.uniform(minx, maxx)), float(rng.uniform(miny, maxy)))
        if any(math.dist(c, h) < 350.0 for h in hamlets):
            continue
        _place_pond(rng, world, c, road_tree, ponds)
    uses = ("fishing", "fishing", "fishing", "washing", "swimming;fishing", "none", "unknown")
    banks = ("gentle", "steep", "steep", "unknown")
    for shape in ponds:
        chief = _chief(world, shape)
        name = None
        if rng.random() < POND_NAMED_SHARE:
            name = chief.removesuffix("河长") + ("大塘" if rng.random() < 0.5 else "鱼塘")
        world.waters.append(
            _Water(
                name,
                "pond",
                shape,
                None,
                "deep" if rng.random() < 0.45 else "medium",
                "still",
                banks[int(rng.integers(0, len(banks)))],
                int(rng.integers(1, 4)) if rng.random() < 0.5 else None,
                uses[int(rng.integers(0, len(uses)))],
                chief,
            )
        )


# --- schools, facilities, hazards ------------------------------------------------------------


def _site_near(
    rng: Rng,
    world: _World,
    road_tree: shapely.STRtree,
    centre: XY,
    dist_range: tuple[float, float],
    inside: BaseGeometry | None = None,
) -> XY:
    """A building site off the road but near it, apart from the other sites and the water."""
    lines = [w.geom for w in world.waters]
    for _ in range(2_000):
        ang = float(rng.uniform(0.0, 2.0 * math.pi))
        dist = float(rng.uniform(*dist_range))
        c = (centre[0] + dist * math.cos(ang), centre[1] + dist * math.sin(ang))
        p = Point(c)
        if inside is not None and not inside.contains(p):
            continue
        if _tree_near(road_tree, p, 15.0) or not _tree_near(road_tree, p, 120.0):
            continue
        if any(math.dist(c, s) < 40.0 for s in world.sites):
            continue
        if world.river_line.distance(p) < 80.0 or any(g.distance(p) < 20.0 for g in lines):
            continue
        if not any(v.polygon.buffer(-20.0).contains(p) for v in world.villages):
            continue
        world.sites.append(c)
        return c
    msg = f"found no building site near {centre}"
    raise RuntimeError(msg)


def _village_of(world: _World, xy: XY) -> _Village:
    p = Point(xy)
    for v in world.villages:
        if v.polygon.contains(p):
            return v
    msg = f"point {xy} lies in no village"
    raise RuntimeError(msg)


@dataclass
class _Site:
    name: str
    kind: str
    xy: XY
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Hazard:
    kind: str
    name: str
    level: str | None
    geom: BaseGeometry


def _flood_zones(world: _World) -> list[_Hazard]:
    x_a, x_c = world.bridges_x[0], world.bridges_x[1]
    gap = 2 * max(FLOOD_WIDTHS_M) + 200.0  # keeps the two zones apart
    spans = [(x_a - FLOOD_HALF_SPAN_M, x_a + FLOOD_HALF_SPAN_M)]
    if x_a < x_c:
        spans.append((max(x_c - FLOOD_HALF_SPAN_M, spans[0][1] + gap), x_c + FLOOD_HALF_SPAN_M))
    else:
        spans.append((x_c - FLOOD_HALF_SPAN_M, min(x_c + FLOOD_HALF_SPAN_M, spans[0][0] - gap)))
    out: list[_Hazard] = []
    names = (f"{RIVER_NAME}大桥段行洪区", f"{RIVER_NAME}柳塘段易涝区")
    for (x0, x1), width, level, name in zip(
        spans, FLOOD_WIDTHS_M, ("high", "medium"), names, strict=True
    ):
        reach = world.river_line.intersection(box(x0, -1e5, x1, 1e5))
        zone = reach.buffer(width).intersection(world.county)
        if zone.geom_type != "Polygon":
            zone = max(shapely.get_parts(zone), key=lambda g: g.area)
        out.append(_Hazard("flood_zone", name, level, zone))
    return out


def _landslide(world: _World) -> _Hazard:
    res = world.reservoir
    band = res.buffer(LANDSLIDE_BAND_M).difference(res.buffer(2.0))
    minx, _, maxx, maxy = res.bounds
    cy = res.centroid.y
    slope = band.intersection(box(minx - 500.0, cy, maxx + 500.0, maxy + 500.0))
    if slope.geom_type != "Polygon":
        slope = max(shapely.get_parts(slope), key=lambda g: g.area)
    return _Hazard("landslide_zone", f"{RESERVOIR_NAME}北坡滑坡隐患区", "medium", slope)


def _wall_beside(world: _World, road_tree: shapely.STRtree, xy: XY, length: float) -> LineString:
    for k in range(24):
        ang = 2.0 * math.pi * k / 24.0
        c = (xy[0] + 10.0 * math.cos(ang), xy[1] + 10.0 * math.sin(ang))
        dx, dy = -math.sin(ang) * length / 2.0, math.cos(ang) * length / 2.0
        wall = LineString([(c[0] - dx, c[1] - dy), (c[0] + dx, c[1] + dy)])
        if _tree_near(road_tree, wall, 4.0):
            continue
        if any(math.dist(s, xy) > 1.0 and Point(s).distance(wall) < 10.0 for s in world.sites):
            continue
        return wall
    msg = f"found no room for a wall beside {xy}"
    raise RuntimeError(msg)


def _sites_and_hazards(
    rng: Rng, world: _World, road_tree: shapely.STRtree
) -> tuple[list[_Site], list[_Site], list[_Hazard], XY]:
    """Schools, facilities and hazards; returns them and the kindergarten beside a pond."""
    hazards = _flood_zones(world)
    hazards.append(_landslide(world))
    west, east = (world.villages[s] for s in world.seats)
    others0 = [v for v in world.villages if v.township == 0 and v is not west]
    kinder_village = others0[int(rng.integers(0, len(others0)))]
    centres = (west.centre, west.centre, kinder_village.centre, east.centre, east.centre)
    schools: list[_Site] = []
    for (name, kind, pupils), centre in zip(SCHOOLS_SPEC[:5], centres, strict=True):
        xy = _site_near(rng, world, road_tree, centre, (50.0, 200.0))
        schools.append(_Site(name, kind, xy, {"pupils": pupils}))
    x_a = world.bridges_x[0]
    flood = hazards[0].geom
    near = (x_a, world.river.y(x_a) + 170.0)
    name, kind, pupils = SCHOOLS_SPEC[5]
    xy = _site_near(rng, world, road_tree, near, (40.0, 160.0), inside=flood)
    schools.append(_Site(name, kind, xy, {"pupils": pupils}))

    facilities: list[_Site] = []
    seats = [world.villages[s] for s in world.seats]
    rest = [v for v in world.villages if v not in seats]
    order = rng.permutation(len(rest))
    homes = seats + [rest[int(i)] for i in order[: N_CHILDREN_HOMES - len(seats)]]
    homes.sort(key=lambda v: v.code)
    small = rest[int(order[0])]
    for v in homes:
        xy = _site_near(rng, world, road_tree, v.centre, (30.0, 120.0))
        area = SMALL_HOME_AREA_M2 if v is small else float(round(rng.uniform(*HOME_AREA_RANGE_M2)))
        capacity = None if rng.random() < 0.15 else max(8, round(area / 2.5))
        hours = None if rng.random() < 0.15 else HOME_HOURS[int(rng.integers(0, len(HOME_HOURS)))]
        facilities.append(
            _Site(
                f"{v.name}儿童之家",
                "children_home",
                xy,
                {
                    "area_code": v.code,
                    "floor_area_m2": area,
                    "capacity": capacity,
                    "opening_hours": hours,
                },
            )
        )
    xy = _site_near(rng, world, road_tree, west.centre, (40.0, 200.0))
    facilities.append(
        _Site(
            f"{TOWNSHIPS[0][1]}未成年人保护工作站",
            "township_workstation",
            xy,
            {
                "area_code": TOWNSHIPS[0][0],
                "floor_area_m2": WORKSTATION_AREA_M2,
                "capacity": WORKSTATION_CAPACITY,
                "opening_hours": WORKSTATION_HOURS,
            },
        )
    )

    primary_east = schools[3]
    hazards.append(
        _Hazard(
            "dangerous_wall",
            f"{primary_east.name}东侧围墙",
            "high",
            _wall_beside(world, road_tree, primary_east.xy, 30.0),
        )
    )
    small_home = next(f for f in facilities if f.extra["floor_area_m2"] == SMALL_HOME_AREA_M2)
    hazards.append(
        _Hazard(
            "dangerous_wall",
            f"{small_home.name}后院土墙",
            "low",
            _wall_beside(world, road_tree, small_home.xy, 18.0),
        )
    )
    satellites = [(v, h) for v in world.villages for h in v.hamlets[1:]]
    picks = rng.permutation(len(satellites))[:3]
    labels = (
        ("dangerous_wall", "老祠堂危墙", "medium", "point"),
        ("dangerous_building", "废弃仓库", "medium", "point"),
        ("dangerous_building", "旧村小危房", "high", "polygon"),
    )
    for pick, (hkind, label, level, shape) in zip(picks, labels, strict=True):
        v, h = satellites[int(pick)]
        xy = _site_near(rng, world, road_tree, h, (30.0, 90.0))
        geom: BaseGeometry = Point(xy)
        if shape == "polygon":
            geom = affinity.rotate(
                box(xy[0] - 7.5, xy[1] - 4.5, xy[0] + 7.5, xy[1] + 4.5),
                float(rng.uniform(0.0, 90.0)),
            )
        hazards.append(_Hazard(hkind, f"{v.name}{label}", level, geom))
    return schools, facilities, hazards, schools[4].xy


# --- households --------------------------------------------------------------------------------


class _Spacing:
    """Keeps houses at least :data:`HOUSE_MIN_GAP_M` apart, on a hash grid."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[XY]] = {}

    def add(self, x: float, y: float) -> bool:
        i, j = math.floor(x / HOUSE_MIN_GAP_M), math.floor(y / HOUSE_MIN_GAP_M)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for q in self.cells.get((i + di, j + dj), ()):
                    if math.dist((x, y), q) < HOUSE_MIN_GAP_M:
                        return False
        self.cells.setdefault((i, j), []).append((x, y))
        return True


def _ribbon(rng: Rng, lines: NDArray[Any], n: int) -> NDArray[np.float64]:
    """``n`` points beside ``lines``, offset across them like houses along a lane."""
    lengths = shapely.length(lines)
    idx = rng.choice(len(lines), size=n, p=lengths / lengths.sum())
    t = rng.uniform(0.0, 1.0, n) * lengths[idx]
    at = shapely.get_coordinates(shapely.line_interpolate_point(lines[idx], t))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(lines[idx], t + 1.0))
    behind = shapely.get_coordinates(shapely.line_interpolate_point(lines[idx], t - 1.0))
    tangent = ahead - behind
    norm = np.hypot(tangent[:, 0], tangent[:, 1])
    norm[norm == 0.0] = 1.0
    tangent /= norm[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    offset = rng.uniform(*HOUSE_ROAD_OFFSET_M, n) * rng.choice([-1.0, 1.0], n)
    along = rng.normal(0.0, 3.0, n)
    out: NDArray[np.float64] = at + normal * offset[:, None] + tangent * along[:, None]
    return out


def _scatter(
    rng: Rng,
    n: int,
    centre: XY | None,
    lines: NDArray[Any],
    inner: BaseGeometry,
    excluded: BaseGeometry,
    spacing: _Spacing,
) -> list[XY]:
    """``n`` houses around ``centre`` (half in a blob, half along lanes), or along ``lines``."""
    placed: list[XY] = []
    for _ in range(60):
        if len(placed) >= n:
            break
        m = max(4 * (n - len(placed)), 24)
        n_ribbon = m if centre is None else (m // 2 if len(lines) else 0)
        parts = []
        if n_ribbon:
            parts.append(_ribbon(rng, lines, n_ribbon))
        if centre is not None:
            parts.append(np.asarray(centre) + rng.normal(0.0, HAMLET_SPREAD_M, (m - n_ribbon, 2)))
        cand = np.vstack(parts)
        cand = cand[rng.permutation(len(cand))]
        ok = shapely.contains_xy(inner, cand[:, 0], cand[:, 1])
        ok &= ~shapely.contains_xy(excluded, cand[:, 0], cand[:, 1])
        if centre is not None:
            ok &= np.hypot(cand[:, 0] - centre[0], cand[:, 1] - centre[1]) <= HAMLET_MAX_RADIUS_M
        for x, y in cand[ok]:
            if len(placed) >= n:
                break
            if spacing.add(float(x), float(y)):
                placed.append((float(x), float(y)))
    if len(placed) < n:
        msg = f"could place only {len(placed)} of {n} houses near {centre}"
        raise RuntimeError(msg)
    return placed


def _village_sizes(rng: Rng, world: _World) -> list[int]:
    seats = set(world.seats)
    candidates = [i for i in range(len(world.villages)) if i not in seats]
    small = {candidates[int(i)] for i in rng.permutation(len(candidates))[:N_SMALL_VILLAGES]}
    for i in small:
        world.villages[i].small = True
    big = [i for i in range(len(world.villages)) if i not in small]
    weights = rng.uniform(0.75, 1.25, len(big))
    weights[[big.index(s) for s in world.seats]] *= 1.3  # the township seats are larger
    rest = N_HOUSEHOLDS - SMALL_VILLAGE_HOUSEHOLDS * len(small)
    raw = np.floor(weights / weights.sum() * rest).astype(int)
    raw[0] += rest - int(raw.sum())
    sizes = [SMALL_VILLAGE_HOUSEHOLDS] * len(world.villages)
    for i, size in zip(big, raw, strict=True):
        sizes[i] = int(size)
    return sizes


def _houses(
    rng: Rng, world: _World, roads: list[_Road], hazards: list[_Hazard]
) -> tuple[list[XY], list[str]]:
    blocks = [r.line.buffer(HOUSE_ROAD_GAP_M, quad_segs=2) for r in roads]
    for w in world.waters:
        half = (w.width_m or 0.0) / 2.0
        blocks.append(w.geom.buffer(half + HOUSE_WATER_GAP_M, quad_segs=4))
    blocks += [Point(s).buffer(20.0, quad_segs=4) for s in world.sites]
    blocks += [h.geom.buffer(6.0, quad_segs=2) for h in hazards if h.kind != "flood_zone"]
    blocks = [b for b in blocks if not b.is_empty]
    excluded = shapely.union_all(blocks)
    slide = next(h.geom for h in hazards if h.kind == "landslide_zone")
    excluded = excluded.union(slide)
    shapely.prepare(excluded)
    line_arr = np.asarray([r.line for r in roads], dtype=object)
    road_tree = shapely.STRtree(line_arr)
    lanes = np.asarray([r.kind in ("village_road", "tertiary", "secondary") for r in roads])
    sizes = _village_sizes(rng, world)
    spacing = _Spacing()
    points: list[XY] = []
    codes: list[str] = []
    for v, size in zip(world.villages, sizes, strict=True):
        inner = v.polygon.buffer(-5.0)
        shapely.prepare(inner)
        n_ribbon = round(size * RIBBON_SHARE)
        weights = np.concatenate([[MAIN_HAMLET_WEIGHT], rng.uniform(0.6, 1.0, len(v.hamlets) - 1)])
        counts = np.floor(weights / weights.sum() * (size - n_ribbon)).astype(int)
        counts[0] += size - n_ribbon - int(counts.sum())
        for h, count in zip(v.hamlets, counts, strict=True):
            near = road_tree.query(Point(h).buffer(HAMLET_MAX_RADIUS_M))
            clipped = shapely.intersection(line_arr[near], Point(h).buffer(HAMLET_MAX_RADIUS_M))
            parts = shapely.get_parts(clipped)
            parts = parts[shapely.length(parts) > 20.0]
            points += _scatter(rng, int(count), h, parts, inner, excluded, spacing)
        mine = road_tree.query(v.polygon, predicate="intersects")
        mine = mine[lanes[mine]]
        parts = shapely.get_parts(shapely.intersection(line_arr[mine], v.polygon))
        parts = parts[shapely.length(parts) > 20.0]
        points += _scatter(rng, n_ribbon, None, parts, inner, excluded, spacing)
        codes += [v.code] * size
    return points, codes


def _choose(rng: Rng, spec: tuple[tuple[int, ...], tuple[float, ...]], n: int) -> NDArray[Any]:
    values, probs = spec
    return rng.choice(np.asarray(values), size=n, p=np.asarray(probs))


def _household_table(
    rng: Rng, world: _World, codes: list[str]
) -> dict[str, list[Any] | NDArray[Any]]:
    """Counts, flags and visit dates of every household."""
    n = len(codes)
    small_of = {v.code: v.small for v in world.villages}
    lb = np.zeros(n, dtype=np.int64)
    diff = np.zeros(n, dtype=np.int64)
    code_arr = np.asarray(codes)
    for v in world.villages:
        rows = np.flatnonzero(code_arr == v.code)
        k = 1 if small_of[v.code] else 0
        n_lb = round(len(rows) * LEFT_BEHIND_RATE[k])
        n_diff = round(len(rows) * IN_DIFFICULTY_RATE[k])
        pick = rng.choice(rows, size=n_lb, replace=False)
        lb[pick] = _choose(rng, LEFT_BEHIND_COUNTS, n_lb)
        pick = rng.choice(rows, size=n_diff, replace=False)
        diff[pick] = _choose(rng, IN_DIFFICULTY_COUNTS, n_diff)
    cats = {c: np.zeros(n, dtype=np.int64) for c in DIFFICULTY_CATEGORIES}
    weights = np.asarray(CATEGORY_WEIGHTS)
    for i in np.flatnonzero(diff):
        w = weights.copy()
        if lb[i] > 0:
            w[DIFFICULTY_CATEGORIES.index("orphan")] = 0.0  # an orphan has no migrant parent
        w /= w.sum()
        for _ in range(int(diff[i])):
            chosen = {int(rng.choice(len(w), p=w))}
            if rng.random() < SECOND_CATEGORY_SHARE:
                chosen.add(int(rng.choice(len(w), p=w)))
            for c in chosen:
                cats[DIFFICULTY_CATEGORIES[c]][i] += 1
    both = (lb > 0) & (diff > 0)
    children = np.maximum(lb, diff)
    distinct = both & (rng.random(n) < 0.5)
    children[distinct] = lb[distinct] + diff[distinct]
    plain = (lb == 0) & (diff == 0)
    children[plain] = _choose(rng, OTHER_CHILD_COUNTS, int(plain.sum()))
    children[~plain] += (rng.random(int((~plain).sum())) < 0.25).astype(np.int64)

    lacking = (cats["guardianship_lacking"] > 0) | (cats["unsupported"] > 0)
    u = rng.random(n)
    risk = np.where(u < 0.06, "medium", "low").astype(object)
    risk[(lb > 0) & (u < 0.15)] = "medium"
    risk[(lb > 0) & (u < 0.03)] = "high"
    risk[u < 0.01] = "high"
    risk[lacking] = np.where(rng.random(int(lacking.sum())) < 0.6, "high", "medium")
    single = rng.random(n) < np.where(diff > 0, SINGLE_PARENT_SHARE[1], SINGLE_PARENT_SHARE[0])
    parent_dis = rng.random(n) < PARENT_DISABLED_SHARE
    child_dis = (cats["severe_disability"] > 0) | (rng.random(n) < CHILD_DISABLED_SHARE)
    case = (lb > 0) | (diff > 0)
    psych = rng.random(n) < np.where(case, PSYCH_SHARE[1], PSYCH_SHARE[0])
    care = (lb > 0) & (rng.random(n) < CARE_AGREEMENT_SHARE)

    visit_days = np.where(
        rng.random(n) < VISIT_ON_TIME_SHARE,
        rng.integers(0, VISIT_WINDOW_DAYS + 1, n),
        rng.integers(VISIT_WINDOW_DAYS + 1, OLDEST_RECORD_DAYS + 1, n),
    ).astype(float)
    contact_days = np.where(
        rng.random(n) < CONTACT_ON_TIME_SHARE,
        rng.integers(0, CONTACT_WINDOW_DAYS + 1, n),
        rng.integers(CONTACT_WINDOW_DAYS + 1, 121, n),
    ).astype(float)
    contact_days = np.minimum(contact_days, visit_days)  # a home visit is a contact too
    never = rng.random(n) < NEVER_VISITED_SHARE
    visit_days[never] = np.nan
    contact_days[never & (rng.random(n) < 0.5)] = np.nan
    visit_days[~case] = np.nan
    contact_days[~case] = np.nan

    def dates(days: NDArray[np.float64]) -> list[pd.Timestamp | None]:
        return [None if math.isnan(d) else REFERENCE_DATE - pd.Timedelta(days=d) for d in days]

    table: dict[str, list[Any] | NDArray[Any]] = {
        "village_code": codes,
        "children": children,
        "left_behind": lb,
        "in_difficulty": diff,
        **cats,
        "guardianship_risk": list(risk),
        "single_parent": single,
        "parent_disabled": parent_dis,
        "child_disabled": child_dis,
        "psych_flag": psych,
        "care_agreement": care,
        "last_contact": dates(contact_days),
        "last_home_visit": dates(visit_days),
        "location_estimated": [False] * len(single),  # every sample household has its point
    }
    return table


# --- equipment, incidents, known spots ---------------------------------------------------------


def _shore_point(pond: Polygon, fraction: float, offset: float) -> XY:
    """A point ``offset`` metres outside the pond, radially out from its centre."""
    ring = pond.exterior
    b = ring.interpolate(fraction % 1.0, normalized=True)
    c = pond.centroid
    dx, dy = b.x - c.x, b.y - c.y
    norm = math.hypot(dx, dy) or 1.0
    return (b.x + dx / norm * offset, b.y + dy / norm * offset)


def _bank_point(world: _World, x: float, side: int, distance: float) -> XY:
    """A point ``distance`` metres from the river centre line, on ``side``, near ``x``."""
    v = distance
    for _ in range(4):
        p = Point(x, world.river.y(x) + side * v)
        v *= distance / max(world.river_line.distance(p), 1e-6)
    return (x, world.river.y(x) + side * v)


def _items(rng: Rng, spots: list[XY], water_id: str | None, out: list[dict[str, Any]]) -> None:
    """Equipment at one site: a rescue cabinet, or a warning sign and some of the others."""
    if rng.random() < CABINET_SHARE:
        kinds = ["warning_sign", "rescue_cabinet"]
    else:
        kinds = ["warning_sign"] + [
            k for k in ("life_buoy", "rescue_rope", "rescue_pole") if rng.random() < 0.7
        ]
    conds, probs = CONDITION_WEIGHTS
    for k, kind in enumerate(kinds):
        inspected = None
        if rng.random() >= UNINSPECTED_SHARE:
            inspected = REFERENCE_DATE - pd.Timedelta(days=int(rng.integers(5, 170)))
        out.append(
            {
                "kind": kind,
                "condition": str(rng.choice(np.asarray(conds), p=np.asarray(probs))),
                "last_inspected": inspected,
                "water_id": water_id,
                "geometry": Point(spots[k % len(spots)]),
            }
        )


def _equipment(
    rng: Rng, world: _World, water_ids: list[str], known: list[XY]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ponds = [(wid, w) for wid, w in zip(water_ids, world.waters, strict=True) if w.kind == "pond"]
    order = rng.permutation(len(ponds))
    n_equipped = round(len(ponds) * EQUIPPED_POND_SHARE)
    for k in order[:n_equipped]:
        wid, w = ponds[int(k)]
        f0 = float(rng.random())
        spots = [
            _shore_point(w.geom, f0 + 0.015 * j, float(rng.uniform(2.0, 12.0))) for j in range(4)
        ]
        _items(rng, spots, wid, out)
    for k in order[n_equipped - 2 : n_equipped - 2 + N_FENCED_PONDS]:
        wid, w = ponds[int(k)]
        ring = w.geom.buffer(3.0, quad_segs=2).exterior
        start = float(rng.uniform(0.0, 0.5))
        fence = substring(ring, start, start + float(rng.uniform(0.3, 0.5)), normalized=True)
        conds, probs = CONDITION_WEIGHTS
        out.append(
            {
                "kind": "fence",
                "condition": str(rng.choice(np.asarray(conds), p=np.asarray(probs))),
                "last_inspected": REFERENCE_DATE - pd.Timedelta(days=int(rng.integers(5, 170))),
                "water_id": wid,
                "geometry": fence,
            }
        )
    river_ids = [wid for wid, w in zip(water_ids, world.waters, strict=True) if w.kind == "river"]
    for x in world.bridges_x[:2]:
        for side in (1, -1):
            spots = [
                _bank_point(world, x + side * 60.0 + 5.0 * j, side, float(rng.uniform(30.0, 45.0)))
                for j in range(4)
            ]
            wid = river_ids[0 if world.townships[0].contains(Point(spots[0])) else 1]
            _items(rng, spots, wid, out)
    res_id = next(
        wid for wid, w in zip(water_ids, world.waters, strict=True) if w.kind == "reservoir"
    )
    res = world.reservoir
    spots = [_shore_point(res, 0.6 + 0.004 * j, 5.0) for j in range(4)]
    _items(rng, spots, res_id, out)
    # a sign by the first known spot, whose water nobody recorded
    xy = known[0]
    out.append(
        {
            "kind": "warning_sign",
            "condition": "ok",
            "last_inspected": None,
            "water_id": None,
            "geometry": Point(xy[0] + 12.0, xy[1] + 3.0),
        }
    )
    return out


def _known_spots(rng: Rng, world: _World) -> tuple[list[tuple[str, str, XY]], list[XY]]:
    """Known spots (kind, name, place) on banks and pond edges, and past incidents' places."""
    x_a, x_c = world.bridges_x[0], world.bridges_x[1]
    spots: list[tuple[str, str, XY]] = [
        ("swimming_hole", f"{RIVER_NAME}大桥下游野泳点", _bank_point(world, x_a + 220.0, -1, 21.0)),
        ("swimming_hole", f"{RIVER_NAME}柳塘湾野泳点", _bank_point(world, x_c - 380.0, 1, 21.0)),
        ("dock", "柳塘渡口", _bank_point(world, x_c + 260.0, -1, 20.5)),
    ]
    ponds = [w for w in world.waters if w.kind == "pond"]
    village_ponds = ponds[1 : 1 + N_PONDS_NEAR_HAMLETS]
    picks = rng.permutation(len(village_ponds))[:3]
    labels = (
        ("washing_step", "洗衣码头"),
        ("washing_step", "塘边洗衣台"),
        ("fishing_spot", "钓鱼点"),
    )
    for k, (kind, label) in zip(picks, labels, strict=True):
        w = village_ponds[int(k)]
        xy = _shore_point(w.geom, float(rng.random()), 0.5)
        spots.append((kind, f"{_chief(world, w.geom).removesuffix('河长')}{label}", xy))
    spots.append(
        ("fishing_spot", f"{RESERVOIR_NAME}钓鱼点", _shore_point(world.reservoir, 0.1, 1.0))
    )
    field_ponds = ponds[1 + N_PONDS_NEAR_HAMLETS :]
    w = field_ponds[int(rng.integers(0, len(field_ponds)))]
    spots.append(("other", "野塘游泳点", _shore_point(w.geom, float(rng.random()), 0.5)))
    incident_sites = [
        _shore_point(village_ponds[int(k)].geom, float(rng.random()), float(rng.uniform(2.0, 12.0)))
        for k in rng.permutation(len(village_ponds))[: N_INCIDENTS - 2]
    ]
    incident_sites.append(_bank_point(world, x_a + 260.0, -1, float(rng.uniform(20.0, 30.0))))
    incident_sites.append(_bank_point(world, x_c - 350.0, 1, float(rng.uniform(20.0, 30.0))))
    return spots, incident_sites


# --- frames ----------------------------------------------------------------------------------


def _to_lonlat(geoms: Sequence[BaseGeometry]) -> NDArray[Any]:
    def convert(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.empty_like(xy)
        out[:, 0] = np.round(ORIGIN_LON + xy[:, 0] / M_PER_DEG_LON, COORD_DECIMALS)
        out[:, 1] = np.round(ORIGIN_LAT + xy[:, 1] / M_PER_DEG_LAT, COORD_DECIMALS)
        return out

    return np.asarray(shapely.transform(np.asarray(geoms, dtype=object), convert))


def _frame(
    layer: str, columns: dict[str, Sequence[Any] | NDArray[Any]], geoms: Sequence[Any]
) -> gpd.GeoDataFrame:
    """A layer with exactly the schema's columns and dtypes, in WGS84."""
    schema = SCHEMAS[layer]
    n = len(geoms)
    data: dict[str, Any] = {}
    for col in schema.columns:
        values = list(columns[col.name])
        if len(values) != n:
            msg = f"{layer}.{col.name} has {len(values)} values for {n} features"
            raise ValueError(msg)
        if col.dtype == "str":
            data[col.name] = pd.array(values, dtype="string")
        elif col.dtype == "int":
            nullable = any(v is None for v in values)
            data[col.name] = pd.array(values, dtype="Int64" if nullable else "int64")
        elif col.dtype == "float":
            data[col.name] = np.asarray([np.nan if v is None else v for v in values], dtype=float)
        elif col.dtype == "bool":
            data[col.name] = np.asarray(values, dtype=bool)
        else:
            stamps = [pd.NaT if v is None else pd.Timestamp(v) for v in values]
            data[col.name] = pd.DatetimeIndex(stamps).as_unit("ns").to_numpy()
    return gpd.GeoDataFrame(data, geometry=_to_lonlat(geoms), crs="EPSG:4326")


def _ids(prefix: str, n: int, width: int) -> list[str]:
    return [f"{prefix}{i + 1:0{width}d}" for i in range(n)]


def generate_sample(*, seed: int = DEFAULT_SEED) -> dict[str, gpd.GeoDataFrame]:
    """Build every layer of the sample township.

    Parameters
    ----------
    seed
        Seed of the random generator; the committed sample uses :data:`DEFAULT_SEED`.

    Returns
    -------
    dict
        One GeoDataFrame per layer name of :data:`geo.schemas.SCHEMAS`, in that order, in
        EPSG:4326, with exactly the schema's columns followed by ``geometry``.
    """
    rng = np.random.default_rng(seed)
    river = _River(tuple(float(p) for p in rng.uniform(0.0, 2.0 * math.pi, len(RIVER_MEANDERS))))
    county = _county(rng)
    world = _World(river, county, _townships(rng, county), _river_line(river, county))
    _build_areas(rng, world)
    _main_roads(rng, world)
    _reservoir(rng, world)
    _village_roads(rng, world)
    _river_and_reservoir(rng, world)
    _canals_and_ditches(rng, world)
    _hamlets(rng, world)
    roads = _noded_roads(world)
    road_tree = shapely.STRtree([r.line for r in roads])
    schools, facilities, hazards, kinder = _sites_and_hazards(rng, world, road_tree)
    _ponds(rng, world, road_tree, kinder)
    points, codes = _houses(rng, world, roads, hazards)
    table = _household_table(rng, world, codes)
    water_ids = _ids("W", len(world.waters), 3)
    spots, incident_sites = _known_spots(rng, world)
    equipment = _equipment(rng, world, water_ids, [s[2] for s in spots])

    frames: dict[str, gpd.GeoDataFrame] = {}
    areas_geoms: list[BaseGeometry] = [county, *world.townships]
    areas_geoms += [v.polygon for v in world.villages]
    frames["areas"] = _frame(
        "areas",
        {
            "code": [COUNTY_CODE] + [t[0] for t in TOWNSHIPS] + [v.code for v in world.villages],
            "name": [COUNTY_NAME] + [t[1] for t in TOWNSHIPS] + [v.name for v in world.villages],
            "level": ["county"] + ["township"] * len(TOWNSHIPS) + ["village"] * len(world.villages),
            "parent_code": [None]
            + [COUNTY_CODE] * len(TOWNSHIPS)
            + [TOWNSHIPS[v.township][0] for v in world.villages],
        },
        areas_geoms,
    )
    frames["households"] = _frame(
        "households", {"id": _ids("H", len(points), 5), **table}, [Point(p) for p in points]
    )
    ws = world.waters
    frames["waters"] = _frame(
        "waters",
        {
            "id": water_ids,
            "name": [w.name for w in ws],
            "kind": [w.kind for w in ws],
            "width_m": [w.width_m for w in ws],
            "depth_class": [w.depth_class for w in ws],
            "current": [w.current for w in ws],
            "bank": [w.bank for w in ws],
            "entry_points": [w.entry_points for w in ws],
            "use": [w.use for w in ws],
            "river_chief": [w.river_chief for w in ws],
        },
        [w.geom for w in ws],
    )
    frames["equipment"] = _frame(
        "equipment",
        {
            "id": _ids("E", len(equipment), 3),
            **{
                k: [e[k] for e in equipment]
                for k in ("kind", "condition", "last_inspected", "water_id")
            },
        },
        [e["geometry"] for e in equipment],
    )
    frames["schools"] = _frame(
        "schools",
        {
            "id": _ids("S", len(schools), 2),
            "name": [s.name for s in schools],
            "kind": [s.kind for s in schools],
            "pupils": [s.extra["pupils"] for s in schools],
            "village_code": [_village_of(world, s.xy).code for s in schools],
        },
        [Point(s.xy) for s in schools],
    )
    frames["facilities"] = _frame(
        "facilities",
        {
            "id": _ids("F", len(facilities), 2),
            "name": [f.name for f in facilities],
            "kind": [f.kind for f in facilities],
            **{
                k: [f.extra[k] for f in facilities]
                for k in ("area_code", "floor_area_m2", "capacity", "opening_hours")
            },
        },
        [Point(f.xy) for f in facilities],
    )
    frames["hazards"] = _frame(
        "hazards",
        {
            "id": _ids("Z", len(hazards), 2),
            "kind": [h.kind for h in hazards],
            "name": [h.name for h in hazards],
            "level": [h.level for h in hazards],
        },
        [h.geom for h in hazards],
    )
    n_inc = len(incident_sites)
    years = rng.integers(INCIDENT_YEARS[0], INCIDENT_YEARS[1] + 1, n_inc)
    months = _choose(rng, INCIDENT_MONTHS, n_inc)
    days = rng.integers(1, 29, n_inc)
    frames["incidents"] = _frame(
        "incidents",
        {
            "id": _ids("I", n_inc, 2),
            "date": [
                pd.Timestamp(int(y), int(m), int(d))
                for y, m, d in zip(years, months, days, strict=True)
            ],
            "age": [int(a) for a in rng.integers(INCIDENT_AGES[0], INCIDENT_AGES[1] + 1, n_inc)],
            "fatal": list(rng.random(n_inc) < 0.5),
        },
        [Point(p) for p in incident_sites],
    )
    frames["roads"] = _frame(
        "roads",
        {
            "id": _ids("R", len(roads), 4),
            "kind": [r.kind for r in roads],
            "name": [r.name for r in roads],
        },
        [r.line for r in roads],
    )
    frames["known_spots"] = _frame(
        "known_spots",
        {
            "id": _ids("K", len(spots), 2),
            "kind": [s[0] for s in spots],
            "name": [s[1] for s in spots],
        },
        [Point(s[2]) for s in spots],
    )
    return {name: frames[name] for name in SCHEMAS}


def write_sample(out_dir: Path, *, seed: int = DEFAULT_SEED) -> Path:
    """Write the sample township as one GeoPackage, byte for byte reproducible.

    Parameters
    ----------
    out_dir
        Folder to write :data:`SAMPLE_FILENAME` into; created if missing. An existing file is
        replaced.
    seed
        Seed passed to :func:`generate_sample`.

    Returns
    -------
    pathlib.Path
        The path of the GeoPackage, one layer per schema layer.
    """
    frames = generate_sample(seed=seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / SAMPLE_FILENAME
    path.unlink(missing_ok=True)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_TIMESTAMP})
    try:
        for name, frame in frames.items():
            frame.to_file(path, driver="GPKG", layer=name, engine="pyogrio")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return path


def main(argv: Sequence[str] | None = None) -> None:
    """Regenerate the sample: ``python -m sample_layers.generate [OUT_DIR]``."""
    parser = argparse.ArgumentParser(description="Write the sample township GeoPackage.")
    parser.add_argument("out_dir", nargs="?", type=Path, default=SAMPLE_PATH.parent)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    path = write_sample(args.out_dir, seed=args.seed)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
