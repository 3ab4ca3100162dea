"""Flood-season (汛期) review around child institutions, and the review calendar.

Before and during the flood season, safety, education and civil-affairs offices check the
buildings, walls, slopes and waters around every school, kindergarten and child institution
(DOMAIN.md, flood season review). :func:`review_institutions` does the spatial part of that
check for every institution and :func:`reviews_due` tells which reviews fall on a date.

The grading (ours; every number a field of :class:`geo.settings.FloodSettings`)
-------------------------------------------------------------------------------
Each finding contributes a level; the institution's hazard level is the highest contribution,
``low`` when nothing was found:

* inside a flood zone: high; within ``flood_zone_proximity_m`` of one: medium;
* water within ``water_high_m``: high; within ``water_medium_m``: medium;
* a landslide zone, dangerous wall or dangerous building within ``search_radius_m``: high when
  the hazard was assessed high, medium otherwise;
* with a DEM, a slope above ``steep_slope_deg`` within ``slope_radius_m``: medium;
* a past drowning incident within ``incident_radius_m``: medium;
* in or near a flood zone with an escape route longer than ``escape_max_m``, or none: medium.

Escape route
------------
Safe points are the road-network nodes outside every flood zone buffered by
``flood_zone_proximity_m``. One multi-source Dijkstra from all safe nodes (on the compact graph
of :mod:`geo.network`, undirected) gives every node its distance :math:`d(n)` to the nearest
safe node and its predecessor on that path. An institution snapped onto edge :math:`(u, v)` of
length :math:`\\ell` at offset :math:`o` with connector :math:`c` escapes over

.. math:: D = c + \\min\\big(o + d(u),\\; \\ell - o + d(v)\\big)

and the route is rebuilt by following the predecessors from :math:`u` (or :math:`v`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString
from shapely.ops import substring

from analysis._dem import max_slope_near, slope, to_metric
from analysis.privacy import public_table
from analysis.season import flood_season_start, season_on
from geo.crs import require_metric
from geo.i18n import MESSAGES, tr, value_label
from geo.layers import Layers
from geo.network import RoadNetwork, build_network, snap_points
from geo.raster import Dem
from geo.schemas import WATER_KINDS
from geo.settings import FloodSettings, Language, PrivacySettings, Region, Settings, get_settings

__all__ = [
    "CHECK_ITEMS",
    "LEVELS",
    "OFFICES",
    "REASONS",
    "REVIEWS",
    "STATUS",
    "WHY",
    "FloodReview",
    "ReviewDue",
    "review_institutions",
    "reviews_due",
]

Level = Literal["high", "medium", "low"]
LEVELS: tuple[Level, ...] = ("high", "medium", "low")
_RANK = {"low": 0, "medium": 1, "high": 2}


def _texts(prefix: str, codes: Sequence[str]) -> dict[str, dict[Language, str]]:
    """The catalogue's texts (:mod:`geo.messages.flood`) of ``codes``, by code then language."""
    return {code: dict(MESSAGES[f"{prefix}_{code}"]) for code in codes}


#: Reason codes and their texts (``flood_reason_<code>`` in :mod:`geo.messages.flood`).
REASONS = _texts(
    "flood_reason",
    (
        "in_flood_zone",
        "near_flood_zone",
        "water_high",
        "water_medium",
        "landslide_zone",
        "dangerous_wall",
        "dangerous_building",
        "steep_slope",
        "past_incident",
        "escape_far",
        "escape_unreachable",
    ),
)
#: The checklist items, in report order, with their titles (``flood_item_<item>``).
CHECK_ITEMS = _texts(
    "flood_item",
    ("water", "slope", "walls_buildings", "flood_zone", "escape_route", "incidents"),
)
#: Why an escape route could not be found (``flood_why_<why>``; ``""`` says nothing).
WHY = _texts("flood_why", ("no_safe_point", "too_far", "across_barrier", "empty"))
WHY[""] = {"zh": "", "en": ""}
#: Check statuses: a hazard found, nothing found, or the check could not be made.
STATUS = _texts(
    "flood_status",
    ("hazard", "ok", "not_needed", "no_dem", "no_coverage", "reachable", "unreachable"),
)
#: The offices in charge of an institution (``flood_office_<office>``).
OFFICES = _texts("flood_office", ("education_bureau", "civil_affairs"))
#: Review kinds of the season calendar, in order (``flood_review_<code>``).
REVIEWS = _texts(
    "flood_review",
    (
        "pre_season",
        "in_season",
        "main_season",
        "critical_weeks",
        "spring_festival",
        "children_day",
        "national_day",
        "winter_holiday",
        "summer_holiday",
    ),
)

_HAZARD_NEAR = ("landslide_zone", "dangerous_wall", "dangerous_building")


# --------------------------------------------------------------------------------------------
# the calendar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDue:
    """One review due on a date: its code (a key of :data:`REVIEWS`) and its reference day."""

    code: str
    reference: dt.date

    def label(self, lang: Language = "zh") -> str:
        return tr(f"flood_review_{self.code}", lang)


def _mmdd(year: int, mmdd: str) -> dt.date:
    month, day = (int(p) for p in mmdd.split("-"))
    return dt.date(year, month, day)


def reviews_due(
    day: dt.date, settings: Settings, *, region: Region | None = None
) -> tuple[ReviewDue, ...]:
    """The reviews due on ``day`` in a region.

    * ``pre_season``: from ``season.review_lead_days`` before the flood-season start up to the
      day before it;
    * ``in_season``, ``main_season``, ``critical_weeks``: every day of those periods
      (:func:`analysis.season.season_on`);
    * ``spring_festival``, ``children_day``, ``national_day``, ``winter_holiday``,
      ``summer_holiday``: within ``flood.check_window_days`` of the day (of the holiday's first
      day for the holidays; Spring Festival dates from ``season.spring_festival``).

    Examples
    --------
    >>> [r.code for r in reviews_due(dt.date(2026, 3, 15), Settings())]
    ['pre_season']
    >>> [r.code for r in reviews_due(dt.date(2026, 3, 15), Settings(), region="north")]
    []
    """
    s = settings.season
    r = region or s.region
    window = dt.timedelta(days=settings.flood.check_window_days)
    out: list[ReviewDue] = []
    for year in (day.year, day.year + 1):
        start = flood_season_start(year, s, region=r)
        if start - dt.timedelta(days=s.review_lead_days) <= day < start:
            out.append(ReviewDue("pre_season", start))
    state = season_on(day, s, region=r)
    if state.flood_season:
        out.append(ReviewDue("in_season", flood_season_start(day.year, s, region=r)))
    if state.main_flood_season:
        out.append(ReviewDue("main_season", _mmdd(day.year, s.main_start[r])))
    if state.critical_weeks:
        out.append(ReviewDue("critical_weeks", _mmdd(day.year, s.critical_start)))
    events: list[tuple[str, dt.date]] = []
    for year in (day.year - 1, day.year, day.year + 1):
        if year in s.spring_festival:
            events.append(("spring_festival", dt.date.fromisoformat(s.spring_festival[year])))
        for code in ("children_day", "national_day"):
            if code in s.extra_check_days:
                events.append((code, _mmdd(year, s.extra_check_days[code])))
        events.append(("winter_holiday", _mmdd(year, s.winter_holiday[0])))
        events.append(("summer_holiday", _mmdd(year, s.summer_holiday[0])))
    seen: set[str] = set()
    for code, ref in sorted(events, key=lambda e: abs(e[1] - day)):
        if abs(ref - day) <= window and code not in seen:
            seen.add(code)
            out.append(ReviewDue(code, ref))
    order = list(REVIEWS)
    return tuple(sorted(out, key=lambda rv: order.index(rv.code)))


# --------------------------------------------------------------------------------------------
# the review
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FloodReview:
    """The flood-season review of every child institution.

    Attributes
    ----------
    institutions
        One row per institution (metric CRS, points): ``id``, ``name``, ``kind``, ``layer``
        (schools / facilities), ``exposed`` and ``exposed_source`` (pupils, capacity,
        served_children or unknown), ``water_<kind>_m`` per water kind, ``nearest_water_m``,
        ``nearest_water_kind``, ``nearest_water_id``, ``flood_zone_m`` (0 inside),
        ``flood_zone_id``, ``flood_zone_status`` (in / near / ok), ``<hazard kind>_ids`` and
        ``<hazard kind>_m`` for landslide zones, walls and buildings, ``incidents_near``,
        ``max_slope_deg``, ``dem_coverage`` (ok / outside / no_dem), ``escape_status``
        (ok / not_needed / unreachable), ``escape_m``, ``level``, ``reasons`` (codes, ``;``),
        ``reasons_zh``, ``reasons_en``, ``office``.
    checklist
        One row per institution and item of :data:`CHECK_ITEMS`: ``institution_id``, ``item``,
        ``status`` (a key of :data:`STATUS`), ``detail_zh``, ``detail_en``.
    routes
        Escape routes as lines (metric CRS): ``institution_id``, ``distance_m``.
    hazards, waters
        The hazard and water layers reviewed, for maps and reports.
    date
        The review date; ``reviews`` the reviews due on it.
    dem_used
        Whether a DEM was given.
    """

    institutions: gpd.GeoDataFrame
    checklist: pd.DataFrame
    routes: gpd.GeoDataFrame
    hazards: gpd.GeoDataFrame
    waters: gpd.GeoDataFrame
    date: dt.date
    reviews: tuple[ReviewDue, ...]
    dem_used: bool
    settings: Settings = field(repr=False)

    def public(self, settings: PrivacySettings) -> FloodReview:
        """The review as a role without household access gets it (issue 15): ``exposed``
        rounded to ``settings.round_base``, since a facility without a capacity counts the
        children of its village's households (:func:`analysis.privacy.public_table`)."""
        institutions = public_table(self.institutions, settings=settings)
        return dataclasses.replace(self, institutions=institutions)

    def counts(self) -> dict[str, int]:
        """Institutions per hazard level, high first."""
        vc = self.institutions["level"].value_counts()
        return {lv: int(vc.get(lv, 0)) for lv in LEVELS}

    def exposed_by_level(self) -> dict[str, int]:
        """Children or pupils exposed per hazard level (unknown counts as 0)."""
        t = self.institutions
        return {lv: int(t.loc[t["level"] == lv, "exposed"].fillna(0).sum()) for lv in LEVELS}


def _institutions(layers_m: Layers, settings: Settings) -> gpd.GeoDataFrame:
    kinds = set(settings.flood.institution_kinds)
    schools = layers_m.schools
    schools = schools.loc[schools["kind"].isin(kinds)]
    fac = layers_m.facilities
    fac = fac.loc[fac["kind"].isin(kinds)]
    # served children of a facility without a capacity: children of the households of its area
    hh = layers_m.households
    served = hh.groupby(hh["village_code"].astype(str))["children"].sum()
    cap = fac["capacity"].astype("Int64")
    area_served = fac["area_code"].astype(str).map(served).astype("Int64")
    fac_exposed = cap.fillna(area_served)
    fac_source = np.where(
        cap.notna().to_numpy(),
        "capacity",
        np.where(area_served.notna(), "served_children", "unknown"),
    )
    crs = layers_m.crs
    parts = [
        gpd.GeoDataFrame(
            {
                "id": schools["id"].astype(str).to_numpy(),
                "name": schools["name"].astype(str).to_numpy(),
                "kind": schools["kind"].astype(str).to_numpy(),
                "layer": "schools",
                "exposed": schools["pupils"].astype("Int64").to_numpy(),
                "exposed_source": np.where(schools["pupils"].notna(), "pupils", "unknown"),
            },
            geometry=schools.geometry.to_numpy(),
            crs=crs,
        ),
        gpd.GeoDataFrame(
            {
                "id": fac["id"].astype(str).to_numpy(),
                "name": fac["name"].astype(str).to_numpy(),
                "kind": fac["kind"].astype(str).to_numpy(),
                "layer": "facilities",
                "exposed": fac_exposed.to_numpy(),
                "exposed_source": fac_source,
            },
            geometry=fac.geometry.to_numpy(),
            crs=crs,
        ),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["exposed"] = out["exposed"].astype("Int64")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=crs)


def _nearest(
    points: NDArray[np.object_], geoms: gpd.GeoDataFrame
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Distance from each point to the nearest geometry and its row position (-1, inf if none)."""
    d = np.full(len(points), np.inf)
    pos = np.full(len(points), -1, dtype=np.int64)
    if len(geoms) and len(points):
        tree = shapely.STRtree(geoms.geometry.to_numpy())
        (pi, gi), dist = tree.query_nearest(points, return_distance=True, all_matches=False)
        d[pi] = dist
        pos[pi] = gi
    return d, pos


#: One reason of an institution's level: its code, the level it contributes, its values.
_Reason = tuple[str, str, dict[str, object]]
_LANGUAGES: tuple[Language, ...] = ("zh", "en")


def _say(code: str, vals: Mapping[str, object], lang: Language) -> str:
    """The reason ``code`` in ``lang``, its water kind and why unreachable in words too."""
    v = dict(vals)
    if "kind" in v:
        v["kind"] = value_label(str(v["kind"]), lang)
    if "why" in v:
        v["why"] = WHY.get(str(v["why"]), WHY[""])[lang]
    return tr(f"flood_reason_{code}", lang, **v)


def _no_escape(
    n: int,
) -> tuple[NDArray[np.float64], NDArray[np.object_], NDArray[np.object_], list[LineString | None]]:
    """No escape distance, status ``not_needed``, no reason and no route, for ``n``."""
    routes: list[LineString | None] = [None] * n
    return (
        np.full(n, np.nan),
        np.full(n, "not_needed", dtype=object),
        np.full(n, "", dtype=object),
        routes,
    )


def _safe_nodes(
    network: RoadNetwork, flood: gpd.GeoDataFrame, proximity_m: float
) -> NDArray[np.int64]:
    """The network nodes outside every flood zone buffered by ``proximity_m``."""
    zones = shapely.STRtree(flood.geometry.buffer(proximity_m).to_numpy())
    flooded = np.zeros(network.n_nodes, dtype=bool)
    flooded[zones.query(shapely.points(network.node_xy), predicate="intersects")[0]] = True
    return np.flatnonzero(~flooded)


def _edge_lookup(
    network: RoadNetwork, eu: NDArray[np.int64], ev: NDArray[np.int64]
) -> Callable[[int, int], int]:
    """``edge_between(a, b)``: the routable edge between two nodes (the shortest of parallel
    ones), which carries the route."""
    routable = np.flatnonzero(network.routable)
    n_nodes = np.int64(network.n_nodes)
    pair_key = np.minimum(eu, ev)[routable] * n_nodes + np.maximum(eu, ev)[routable]
    key_order = np.argsort(pair_key, kind="stable")
    sorted_keys, sorted_edges = pair_key[key_order], routable[key_order]

    def edge_between(a: int, b: int) -> int:
        key = min(a, b) * n_nodes + max(a, b)
        return int(sorted_edges[np.searchsorted(sorted_keys, key)])

    return edge_between


def _route(
    row: pd.Series,
    e: int,
    start: int,
    pred: NDArray[np.int32],
    edges: tuple[NDArray[np.object_], NDArray[np.int64], NDArray[np.float64]],
    edge_between: Callable[[int, int], int],
) -> LineString | None:
    """The escape route of a snapped institution: its connector, the part of its edge ``e``
    to node ``start``, then the predecessors' edges to the safe node."""
    geoms, eu, elen = edges
    off = float(row["offset_m"])
    part = substring(geoms[e], off, 0.0) if start == eu[e] else substring(geoms[e], off, elen[e])
    coords: list[tuple[float, float]] = [(row["x"], row["y"])]
    coords += [tuple(c) for c in shapely.get_coordinates(part)]
    node = start
    while pred[node] >= 0:
        nxt = int(pred[node])
        pe = edge_between(node, nxt)
        seg = shapely.get_coordinates(geoms[pe])
        if eu[pe] != node:
            seg = seg[::-1]
        coords += [tuple(c) for c in seg]
        node = nxt
    return LineString(coords) if len(coords) >= 2 else None


def _escape(
    inst: gpd.GeoDataFrame,
    flood: gpd.GeoDataFrame,
    need: NDArray[np.bool_],
    network: RoadNetwork,
    settings: Settings,
    barriers: gpd.GeoDataFrame,
) -> tuple[NDArray[np.float64], NDArray[np.object_], NDArray[np.object_], list[LineString | None]]:
    """Escape distance, status, why unreachable and route of every institution.

    See the module docstring for the method. ``why`` is the snap reason of an institution that
    could not join the roads (``too_far``, ``across_barrier``) or ``no_safe_point``.
    """
    dist, status, why, routes = _no_escape(len(inst))
    if not need.any():
        return dist, status, why, routes
    status[need] = "unreachable"
    why[need] = "no_safe_point"
    safe = _safe_nodes(network, flood, settings.flood.flood_zone_proximity_m)
    idx = np.flatnonzero(need)
    snap = snap_points(
        network, inst.iloc[idx], limit_m=settings.snap_limit_m, barriers=barriers
    ).table
    if len(safe) == 0:
        return dist, status, why, routes
    d, pred, _ = dijkstra(
        network.csr, directed=False, indices=safe, return_predecessors=True, min_only=True
    )
    eu, ev, elen = network.arrays()
    edges = (network.edges.geometry.to_numpy(), eu, elen)
    edge_between = _edge_lookup(network, eu, ev)
    for k, i in enumerate(idx.tolist()):
        row = snap.iloc[k]
        if not row["snapped"]:
            why[i] = str(row["reason"])
            continue
        e = int(row["edge"])
        off = float(row["offset_m"])
        via_u = off + d[eu[e]]
        via_v = elen[e] - off + d[ev[e]]
        best = min(via_u, via_v)
        if not np.isfinite(best):
            continue
        dist[i] = float(row["connector_m"]) + best
        status[i] = "ok"
        why[i] = ""
        start = int(eu[e]) if via_u <= via_v else int(ev[e])
        routes[i] = _route(row, e, start, pred, edges, edge_between)
    return dist, status, why, routes


def _review_water(
    inst: gpd.GeoDataFrame,
    waters: gpd.GeoDataFrame,
    fs: FloodSettings,
    reasons: list[list[_Reason]],
) -> None:
    """The nearest water of each kind and overall; a reason when it is near."""
    pts = inst.geometry.to_numpy()
    n = len(inst)
    best_w = np.full(n, np.inf)
    best_kind = np.full(n, "", dtype=object)
    best_id = np.full(n, "", dtype=object)
    for kind in WATER_KINDS:
        sub = waters.loc[waters["kind"] == kind]
        d, pos = _nearest(pts, sub)
        inst[f"water_{kind}_m"] = np.where(np.isfinite(d), d, np.nan)
        closer = d < best_w
        best_w[closer] = d[closer]
        best_kind[closer] = kind
        best_id[closer] = sub["id"].astype(str).to_numpy()[pos[closer]] if len(sub) else ""
    inst["nearest_water_m"] = np.where(np.isfinite(best_w), best_w, np.nan)
    inst["nearest_water_kind"] = best_kind
    inst["nearest_water_id"] = best_id
    for i in range(n):
        if best_w[i] <= fs.water_high_m:
            reasons[i].append(("water_high", "high", {"kind": best_kind[i], "dist": best_w[i]}))
        elif best_w[i] <= fs.water_medium_m:
            reasons[i].append(("water_medium", "medium", {"kind": best_kind[i], "dist": best_w[i]}))


def _review_flood_zones(
    inst: gpd.GeoDataFrame, flood: gpd.GeoDataFrame, fs: FloodSettings, reasons: list[list[_Reason]]
) -> NDArray[np.bool_]:
    """Distance to the nearest flood zone and whether inside or near one (returned: those
    that need an escape route)."""
    fd, fpos = _nearest(inst.geometry.to_numpy(), flood)
    fnames = (
        flood["name"].fillna(flood["id"]).astype(str).to_numpy()
        if len(flood)
        else np.array([], dtype=object)
    )
    inside = fd <= 0.0
    near = ~inside & (fd <= fs.flood_zone_proximity_m)
    inst["flood_zone_m"] = np.where(np.isfinite(fd), fd, np.nan)
    inst["flood_zone_id"] = np.where(
        fpos >= 0, flood["id"].astype(str).to_numpy()[np.maximum(fpos, 0)] if len(flood) else "", ""
    )
    inst["flood_zone_status"] = np.where(inside, "in", np.where(near, "near", "ok"))
    for i in np.flatnonzero(inside).tolist():
        reasons[i].append(("in_flood_zone", "high", {"name": fnames[fpos[i]]}))
    for i in np.flatnonzero(near).tolist():
        reasons[i].append(("near_flood_zone", "medium", {"name": fnames[fpos[i]], "dist": fd[i]}))
    need: NDArray[np.bool_] = inside | near
    return need


def _review_hazards_near(
    inst: gpd.GeoDataFrame, hz: gpd.GeoDataFrame, fs: FloodSettings, reasons: list[list[_Reason]]
) -> None:
    """Landslide zones, dangerous walls and buildings within ``search_radius_m``."""
    pts = inst.geometry.to_numpy()
    n = len(inst)
    for kind in _HAZARD_NEAR:
        sub = hz.loc[hz["kind"] == kind]
        d, _ = _nearest(pts, sub)
        inst[f"{kind}_m"] = np.where(np.isfinite(d), d, np.nan)
        ids = [""] * n
        if len(sub):
            pi, gi = shapely.STRtree(sub.geometry.to_numpy()).query(
                pts, predicate="dwithin", distance=fs.search_radius_m
            )
            sub_ids = sub["id"].astype(str).to_numpy()
            sub_names = sub["name"].fillna(sub["id"]).astype(str).to_numpy()
            sub_levels = sub["level"].astype(object).to_numpy()
            sub_geoms = sub.geometry.to_numpy()
            for p, g in sorted(zip(pi, gi, strict=True)):
                ids[p] = f"{ids[p]};{sub_ids[g]}" if ids[p] else str(sub_ids[g])
                contrib: Level = "high" if sub_levels[g] == "high" else "medium"
                dist_g = float(shapely.distance(pts[p], sub_geoms[g]))
                reasons[p].append((kind, contrib, {"name": sub_names[g], "dist": dist_g}))
        inst[f"{kind}_ids"] = ids


def _review_incidents(
    inst: gpd.GeoDataFrame, inc: gpd.GeoDataFrame, fs: FloodSettings, reasons: list[list[_Reason]]
) -> None:
    """Past drowning incidents within ``incident_radius_m``."""
    n = len(inst)
    count = np.zeros(n, dtype=np.int64)
    if len(inc) and n:
        pi, _ = shapely.STRtree(inc.geometry.to_numpy()).query(
            inst.geometry.to_numpy(), predicate="dwithin", distance=fs.incident_radius_m
        )
        count = np.bincount(pi, minlength=n).astype(np.int64)
    inst["incidents_near"] = count
    for i in np.flatnonzero(count).tolist():
        reasons[i].append(
            ("past_incident", "medium", {"count": int(count[i]), "radius": fs.incident_radius_m})
        )


def _review_slope(
    inst: gpd.GeoDataFrame,
    dem: Dem | None,
    crs: pyproj.CRS,
    fs: FloodSettings,
    reasons: list[list[_Reason]],
) -> None:
    """The steepest slope of the DEM within ``slope_radius_m`` (``no_dem`` without one)."""
    if dem is None or not len(inst):
        inst["max_slope_deg"] = np.nan
        inst["dem_coverage"] = "no_dem"
        return
    grid = slope(to_metric(dem, crs))
    xy = shapely.get_coordinates(inst.geometry.to_numpy())
    max_deg, coverage = max_slope_near(grid, xy, radius_m=fs.slope_radius_m)
    inst["max_slope_deg"] = max_deg
    inst["dem_coverage"] = coverage
    for i in np.flatnonzero(np.nan_to_num(max_deg, nan=0.0) > fs.steep_slope_deg).tolist():
        reasons[i].append(
            ("steep_slope", "medium", {"deg": max_deg[i], "radius": fs.slope_radius_m})
        )


def _review_escape(
    inst: gpd.GeoDataFrame,
    flood: gpd.GeoDataFrame,
    need: NDArray[np.bool_],
    layers: Layers,
    network: RoadNetwork | None,
    settings: Settings,
    reasons: list[list[_Reason]],
) -> gpd.GeoDataFrame:
    """Escape routes of the institutions in or near a flood zone; returns the routes' table."""
    fs = settings.flood
    net = network
    if need.any() and net is None:
        net = build_network(layers.roads)
    if net is not None:
        waters = layers.waters
        barriers = waters.loc[waters["kind"].isin(WATER_KINDS)]
        esc_d, esc_s, esc_why, esc_routes = _escape(inst, flood, need, net, settings, barriers)
    else:
        esc_d, esc_s, esc_why, esc_routes = _no_escape(len(inst))
    inst["escape_status"] = esc_s
    inst["escape_m"] = esc_d
    inst["escape_why"] = esc_why
    for i in range(len(inst)):
        if esc_s[i] == "unreachable":
            reasons[i].append(("escape_unreachable", "medium", {"why": esc_why[i]}))
        elif esc_s[i] == "ok" and esc_d[i] > fs.escape_max_m:
            reasons[i].append(
                ("escape_far", "medium", {"dist": esc_d[i], "limit": fs.escape_max_m})
            )
    route_rows = [(inst["id"].iat[i], esc_d[i], g) for i, g in enumerate(esc_routes) if g]
    return gpd.GeoDataFrame(
        {
            "institution_id": [r[0] for r in route_rows],
            "distance_m": np.array([r[1] for r in route_rows], dtype=float),
        },
        geometry=gpd.GeoSeries([r[2] for r in route_rows], crs=layers.crs),
        crs=layers.crs,
    )


def _grade(inst: gpd.GeoDataFrame, reasons: list[list[_Reason]], fs: FloodSettings) -> None:
    """Each institution's level (its highest reason's), its reasons in codes and in words, and
    the office in charge."""
    inst["level"] = [
        max((c for _, c, _ in rs), key=_RANK.__getitem__, default="low") for rs in reasons
    ]
    inst["reasons"] = [";".join(dict.fromkeys(code for code, _, _ in rs)) for rs in reasons]
    for lang in _LANGUAGES:
        sep = tr("flood_sep", lang)
        inst[f"reasons_{lang}"] = [
            sep.join(_say(code, vals, lang) for code, _, vals in rs) for rs in reasons
        ]
    inst["office"] = [fs.offices.get(k, "civil_affairs") for k in inst["kind"]]


def review_institutions(
    layers: Layers,
    *,
    settings: Settings | None = None,
    date: dt.date,
    dem: Dem | None = None,
    network: RoadNetwork | None = None,
    region: Region | None = None,
) -> FloodReview:
    """Review the hazards around every school, kindergarten and child institution.

    Parameters
    ----------
    layers
        Validated :class:`geo.layers.Layers` in a metric CRS (``layers.to_metric()``).
    settings
        Settings; ``settings.flood`` drives the review (see the module docstring for the rules);
        ``None`` for :func:`geo.settings.get_settings`.
    date
        Review date; the reviews due on it are attached (:func:`reviews_due`).
    dem
        Optional elevation raster; reprojected to the layers' CRS when needed. Without it the
        hazard layers alone are used. An institution outside the DEM is reported as such
        (``dem_coverage == "outside"``), not as an error.
    network
        The road network of ``layers.roads`` (built when not given).
    region
        Region of the season calendar (``settings.season.region`` by default).

    Returns
    -------
    FloodReview

    Raises
    ------
    CRSError
        The layers are not in a metric CRS.
    """
    settings = settings if settings is not None else get_settings()
    require_metric(layers.areas, layer="areas")
    inst = _institutions(layers, settings)
    reasons: list[list[_Reason]] = [[] for _ in range(len(inst))]
    fs = settings.flood
    hz = layers.hazards
    flood = hz.loc[hz["kind"] == "flood_zone"]
    _review_water(inst, layers.waters, fs, reasons)
    need = _review_flood_zones(inst, flood, fs, reasons)
    _review_hazards_near(inst, hz, fs, reasons)
    _review_incidents(inst, layers.incidents, fs, reasons)
    _review_slope(inst, dem, layers.crs, fs, reasons)
    routes = _review_escape(inst, flood, need, layers, network, settings, reasons)
    _grade(inst, reasons, fs)
    return FloodReview(
        institutions=inst,
        checklist=_checklist(inst, reasons, settings),
        routes=routes,
        hazards=hz,
        waters=layers.waters,
        date=date,
        reviews=reviews_due(date, settings, region=region),
        dem_used=dem is not None,
        settings=settings,
    )


def _checklist(
    inst: gpd.GeoDataFrame,
    reasons: Sequence[Sequence[_Reason]],
    settings: Settings,
) -> pd.DataFrame:
    """The long checklist table: one row per institution and item."""
    fs = settings.flood
    item_of = {
        "water_high": "water",
        "water_medium": "water",
        "landslide_zone": "slope",
        "steep_slope": "slope",
        "dangerous_wall": "walls_buildings",
        "dangerous_building": "walls_buildings",
        "in_flood_zone": "flood_zone",
        "near_flood_zone": "flood_zone",
        "escape_far": "escape_route",
        "escape_unreachable": "escape_route",
        "past_incident": "incidents",
    }
    rows: list[dict[str, object]] = []
    for i in range(len(inst)):
        found: dict[str, list[tuple[str, dict[str, object]]]] = {k: [] for k in CHECK_ITEMS}
        for code, _, vals in reasons[i]:
            found[item_of[code]].append((code, vals))
        r = inst.iloc[i]
        for item in CHECK_ITEMS:
            if found[item]:
                status = "hazard"
            elif item == "escape_route":
                status = "reachable" if r["escape_status"] == "ok" else str(r["escape_status"])
            elif item == "slope" and r["dem_coverage"] != "ok":
                status = "no_dem" if r["dem_coverage"] == "no_dem" else "no_coverage"
            else:
                status = "ok"
            details: dict[str, str] = {}
            for lang in _LANGUAGES:
                bits = [_say(code, vals, lang) for code, vals in found[item]]
                if not bits:
                    bits.append(_ok_detail(item, r, fs, lang))
                details[lang] = tr("flood_sep", lang).join(b for b in bits if b)
            rows.append(
                {
                    "institution_id": r["id"],
                    "item": item,
                    "status": status,
                    "detail_zh": details["zh"],
                    "detail_en": details["en"],
                }
            )
    return pd.DataFrame(
        rows, columns=["institution_id", "item", "status", "detail_zh", "detail_en"]
    )


def _ok_detail(item: str, r: pd.Series, fs: FloodSettings, lang: Language) -> str:
    """What was measured when nothing was found, so the checklist shows the check was made."""
    values: dict[str, object] | None = None
    if item == "incidents":
        values = {"radius": fs.incident_radius_m}
    elif item == "water" and np.isfinite(r["nearest_water_m"]):
        kind = value_label(str(r["nearest_water_kind"]), lang)
        values = {"kind": kind, "dist": float(r["nearest_water_m"])}
    elif item == "slope" and r["dem_coverage"] == "ok":
        values = {"deg": float(r["max_slope_deg"])}
    elif item == "walls_buildings":
        values = {"radius": fs.search_radius_m}
    elif item == "flood_zone" and np.isfinite(r["flood_zone_m"]):
        values = {"dist": float(r["flood_zone_m"])}
    elif item == "escape_route" and r["escape_status"] == "ok":
        values = {"dist": float(r["escape_m"])}
    return "" if values is None else tr(f"flood_ok_{item}", lang, **values)


# --------------------------------------------------------------------------------------------
# the analysis contract (analysis.registry): the flood page, /api/flood-review, its OGC
# collection, ``tongan flood-review`` and its ``tongan province`` stage
# --------------------------------------------------------------------------------------------

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from analysis.county import CountyLayers, StageOutput, public_output, township_of  # noqa: E402
from analysis.registry import (  # noqa: E402
    Analysis,
    Collection,
    Figure,
    Inputs,
    Joined,
    PlanDate,
    View,
    register,
)


class FloodParams(BaseModel):
    """Parameters of the flood-season review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = Field(None, description="日期 / date")
    region: Literal["south", "north"] | None = Field(
        None, description="地区 / region (south, north)"
    )


def _run(inputs: Inputs, params: FloodParams) -> FloodReview:
    dem = inputs.extras.get("dem")
    return review_institutions(
        inputs.metric,
        settings=inputs.settings,
        date=params.date or inputs.today,
        dem=dem,
        region=params.region,
    )


def _tables(review: FloodReview, view: View) -> dict[str, pd.DataFrame]:
    return {
        "institutions": review.institutions,
        "checklist": review.checklist,
        "routes": review.routes,
    }


def _figures(review: FloodReview, view: View) -> list[Figure]:
    counts = review.counts()
    figures = [Figure(f"fig_flood_{lv}", str(counts[lv])) for lv in counts]
    figures.append(
        Figure("fig_flood_children_high", review.exposed_by_level()["high"], people=True)
    )
    figures.append(Figure("fig_flood_due", Joined(tuple(review.reviews))))
    return figures


def flood_stage(
    county: CountyLayers, settings: Settings, date: dt.date, *, authorised: bool = False
) -> StageOutput:
    """Flood-season review (:func:`analysis.flood.review_institutions`) of the county's institutions.

    Tables ``institutions`` (with ``township_code``/``township_name``), ``checklist`` and
    ``routes``; figures ``institutions``, ``flood_<level>`` and ``exposed_high``. Without
    ``authorised`` the children exposed are rounded (:func:`analysis.county.public_output`).
    """
    review = review_institutions(county.layers, settings=settings, date=date)
    inst = review.institutions.loc[county.owns(review.institutions.geometry)].reset_index(drop=True)
    towns_of = township_of(inst.geometry, county.layers.areas)
    inst = inst.assign(
        township_code=towns_of["township_code"].to_numpy(),
        township_name=towns_of["township_name"].to_numpy(),
    )
    ids = set(inst["id"].astype(str))
    checklist = review.checklist.loc[review.checklist["institution_id"].astype(str).isin(ids)]
    routes = review.routes.loc[review.routes["institution_id"].astype(str).isin(ids)]
    figures = {"institutions": float(len(inst))}
    figures |= {f"flood_{lv}": float((inst["level"] == lv).sum()) for lv in LEVELS}
    figures["exposed_high"] = float(inst.loc[inst["level"] == "high", "exposed"].fillna(0).sum())
    frame = pd.DataFrame(
        {
            "township_code": inst["township_code"],
            "township_name": inst["township_name"],
            "institutions": 1,
            **{f"flood_{lv}": (inst["level"] == lv).astype(int) for lv in LEVELS},
        }
    )
    towns = frame.groupby(["township_code", "township_name"], sort=True).sum().reset_index()
    out = StageOutput(
        tables={
            "institutions": inst,
            "checklist": checklist.reset_index(drop=True),
            "routes": routes.reset_index(drop=True),
        },
        figures=figures,
        townships=towns,
    )
    return out if authorised else public_output(out, settings)


ANALYSIS = register(
    Analysis(
        name="flood",
        path="flood-review",
        title="page_flood_title",
        question="page_flood_question",
        params=FloodParams,
        run=_run,
        order=60,
        tables=_tables,
        figures=_figures,
        public=lambda review, settings: review.public(settings.privacy),
        needs=("schools", "facilities", "hazards", "waters", "roads"),
        collections=(
            Collection(
                "flood_review",
                "汛期隐患排查 flood review",
                "Child institutions with their flood-season hazard level and reasons.",
                lambda review, view: review.institutions,
            ),
        ),
        stage=flood_stage,
        extras={"dem": "an elevation raster (geo.raster.Dem) for the slope check"},
    )
)
