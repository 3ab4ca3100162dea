"""Drowning-risk spots and the "four-ones" (四个一) audit (issue 3).

For river chiefs and safety officers: where along rivers, canals and ponds near homes children
are most at risk, and which of the four items (warning sign, life buoy, rescue rope, rescue pole)
and fences are missing there. See :func:`assess_risk` for the model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from analysis._risk_exposure import pair_walking_distances
from analysis._risk_reaches import cut_reaches, water_lines
from analysis.privacy import public_table
from analysis.season import SeasonState as Season
from analysis.season import season_on
from geo.errors import LayerError
from geo.i18n import Note, tr, value_label
from geo.layers import Layers
from geo.network import RoadNetwork, build_network, snap_points
from geo.schemas import (
    CONDITIONS,
    EQUIPMENT_KINDS,
    EQUIPMENT_POINT_KINDS,
    FOUR_ONES,
    SPOT_KINDS,
    WATER_KINDS,
)
from geo.settings import Language, PrivacySettings, RiskSettings, Settings, get_settings

__all__ = ["CLASSES", "PROCURED", "RiskResult", "assess_risk"]

#: Risk classes, worst first.
CLASSES = ("red", "yellow", "green")
#: What the procurement list counts: the four items, then fences (metres).
PROCURED = (*FOUR_ONES, "fence")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class RiskResult:
    """Risk spots, their reaches, the summaries and the procurement list.

    Attributes
    ----------
    spots
        One row per spot, Point geometry (reach midpoint or known spot) in the metric CRS.
        Columns: ``spot_id``, ``source`` ('reach' | 'known_spot'), ``known_kind``, ``name``,
        ``water_id``, ``water_name``, ``water_kind``, ``village_code``, ``village_name``,
        ``township_code``, ``township_name``, ``river_chief``, ``use`` (the water's known
        uses), ``hazard``, ``exposure``,
        ``mitigation``, ``risk`` (0-100), ``risk_class``, ``children_near``,
        ``weighted_children``, ``near_households``, ``schools_near``, ``pupils_near``,
        ``incidents_near``, ``has_<item>`` for the four items, ``fenced``, ``missing_items``,
        ``n_missing``, ``fence_needed_m``, ``last_inspected``, ``explanation`` (Chinese) and
        ``explanation_en`` (English; :func:`geo.i18n.in_language` keeps the one asked for),
        ``place`` and ``place_en``: where the spot is in words (its water's name, else its
        village and the water's kind, and a reach's chainage along the water: ``清水河 1.2 km``).
    reaches
        The reach lines of the reach spots, with ``spot_id``, ``water_id``, ``length_m``.
    summary_village, summary_township, summary_chief
        Per village / township / river chief: spots, red, yellow, green, ``lacking_any`` (spots
        missing at least one of the four items) and the procurement for red and yellow spots
        (one column per item, ``fence_m``).
    procurement
        ``item``, ``count`` (items to buy; spots to fence for ``fence``), ``metres`` (fence).
    notes
        Notes on absent layers and unsnapped points, as data (codes of
        :mod:`geo.messages.risk` and their numbers; ``note.render(lang)`` says them).
    date
        The date assessed; ``flood_season`` and ``summer_holiday`` what it meant.
    season_factor
        What the date multiplied every hazard by (``risk.flood_season_factor`` in the flood
        season, times ``risk.summer_holiday_factor`` in the summer holidays; 1 otherwise).
    """

    spots: gpd.GeoDataFrame
    reaches: gpd.GeoDataFrame
    summary_village: pd.DataFrame
    summary_township: pd.DataFrame
    summary_chief: pd.DataFrame
    procurement: pd.DataFrame
    notes: tuple[Note, ...]
    date: dt.date
    flood_season: bool
    summer_holiday: bool
    season_factor: float = 1.0

    def public(self, settings: PrivacySettings) -> RiskResult:
        """The view of a role without household access (issue 15): the spots' counts of
        children and households withheld on spots near few children and otherwise rounded to
        ``settings.round_base`` (:func:`analysis.privacy.public_table`), in the explanations
        too. Spot positions are reach midpoints of the waters, not households."""
        spots = public_table(self.spots, settings=settings)
        for column, pattern, text in _COUNT_TEXT:
            if column in spots:
                spots[column] = [
                    pattern.sub(text.format(c=_shown(c), n=_shown(n)), str(e))
                    for e, c, n in zip(
                        spots[column], spots["children_near"], spots["near_households"], strict=True
                    )
                ]
        return dataclasses.replace(self, spots=spots)


#: Where an explanation states the children and households near a spot: (column, pattern,
#: replacement with ``{c}`` children and ``{n}`` households), as :func:`_explain` writes it.
_COUNT_TEXT = (
    (
        "explanation",
        re.compile(r"步行范围内儿童 \d+ 名\(近水 \d+ 户\)"),
        "步行范围内儿童 {c} 名(近水 {n} 户)",
    ),
    (
        "explanation_en",
        re.compile(r"\d+ children within walking distance \(\d+ households near the water\)"),
        "{c} children within walking distance ({n} households near the water)",
    ),
)


def _shown(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value)}"  # type: ignore[call-overload]


# --------------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------------


def _text(frame: pd.DataFrame, column: str, default: str = "") -> NDArray[np.object_]:
    if column not in frame:
        return np.full(len(frame), default, dtype=object)
    s = frame[column].astype(object)
    text: NDArray[np.object_] = s.where(s.notna(), default).to_numpy(dtype=object)
    return text


def _number(frame: pd.DataFrame, column: str, default: float = 0.0) -> FloatArray:
    if column not in frame:
        return np.full(len(frame), default)
    values: FloatArray = (
        pd.to_numeric(frame[column].astype(object), errors="coerce")
        .fillna(default)
        .to_numpy(dtype=float)
    )
    return values


def _check_allowed(
    frame: pd.DataFrame, layer: str, column: str, allowed: tuple[str, ...]
) -> str | None:
    values = _text(frame, column, "")
    bad = sorted({str(v) for v in values if v not in allowed})
    if not bad:
        return None
    return (
        f"layer {layer!r}, column {column!r}: unknown value(s) {bad[:5]}; "
        f"expected one of {list(allowed)}"
    )


def _check_layers(m: Layers) -> None:
    if len(m.waters) == 0:
        msg = (
            "the waters layer is empty: there is no river, canal or pond to assess; "
            "add water lines and polygons (waters.gpkg / .geojson / .shp)"
        )
        raise LayerError(msg)
    problems = [
        _check_allowed(m.waters, "waters", "kind", WATER_KINDS),
        _check_allowed(m.equipment, "equipment", "kind", EQUIPMENT_KINDS),
        _check_allowed(m.equipment, "equipment", "condition", CONDITIONS),
        _check_allowed(m.known_spots, "known_spots", "kind", SPOT_KINDS),
    ]
    found = [p for p in problems if p]
    if found:
        raise LayerError("the risk analysis cannot read some layers; fix these values:", found)


# --------------------------------------------------------------------------------------------
# components
# --------------------------------------------------------------------------------------------


def _water_hazard(waters: gpd.GeoDataFrame, rs: RiskSettings) -> tuple[FloatArray, FloatArray]:
    """Hazard of each water without use (kind x depth x current x bank x entry) and its use factor."""
    kind = _text(waters, "kind")
    base = np.array([rs.kind_hazard.get(k, rs.unknown_water_hazard) for k in kind])
    depth = np.array([rs.depth_factor.get(v, 1.0) for v in _text(waters, "depth_class", "unknown")])
    cur = np.array([rs.current_factor.get(v, 1.0) for v in _text(waters, "current", "unknown")])
    bank = np.array([rs.bank_factor.get(v, 1.0) for v in _text(waters, "bank", "unknown")])
    entries = np.minimum(_number(waters, "entry_points"), rs.entry_point_cap)
    entry = 1.0 + rs.entry_point_step * entries
    use = np.array(
        [
            max([rs.use_factor.get(u.strip(), 1.0) for u in str(v).split(";")] or [1.0])
            for v in _text(waters, "use", "unknown")
        ]
    )
    return base * depth * cur * bank * entry, use


def _people(m: Layers, rs: RiskSettings) -> gpd.GeoDataFrame:
    """Households and schools as one point set with their exposure weights."""
    hh = m.households
    w_hh = (
        rs.weight_child * _number(hh, "children")
        + rs.weight_left_behind * _number(hh, "left_behind")
        + rs.weight_in_difficulty * _number(hh, "in_difficulty")
    )
    sc = m.schools
    pupils = _number(sc, "pupils")
    geoms = np.concatenate([hh.geometry.to_numpy(), sc.geometry.to_numpy()])
    return gpd.GeoDataFrame(
        {
            "weight": np.concatenate([w_hh, rs.weight_pupil * pupils]),
            "children": np.concatenate([_number(hh, "children"), np.zeros(len(sc))]),
            "pupils": np.concatenate([np.zeros(len(hh)), pupils]),
            "is_school": np.concatenate([np.zeros(len(hh), bool), np.ones(len(sc), bool)]),
        },
        geometry=gpd.GeoSeries(geoms, crs=m.households.crs),
        crs=m.households.crs,
    )


def _areas_of(points: NDArray[np.object_], areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Village and township (code, name) of each point: the village containing it, else the nearest."""
    level = _text(areas, "level")
    villages = areas.loc[level == "village"]
    n = len(points)
    out = pd.DataFrame(
        {
            "village_code": np.full(n, "", dtype=object),
            "village_name": np.full(n, "", dtype=object),
            "township_code": np.full(n, "", dtype=object),
            "township_name": np.full(n, "", dtype=object),
        }
    )
    if len(villages) == 0 or n == 0:
        return out
    vg = villages.geometry.to_numpy()
    tree = shapely.STRtree(vg)
    pi, vi = tree.query(points, predicate="within")
    _, first = np.unique(pi, return_index=True)
    of = np.full(n, -1, dtype=np.int64)
    of[pi[first]] = vi[first]
    rest = np.flatnonzero(of < 0)
    if len(rest):
        ri, rv = tree.query_nearest(points[rest], all_matches=False)
        of[rest[ri]] = rv
    codes = _text(villages, "code")
    names = _text(villages, "name")
    parents = _text(villages, "parent_code")
    name_of = dict(zip(_text(areas, "code"), _text(areas, "name"), strict=True))
    out["village_code"] = codes[of]
    out["village_name"] = names[of]
    out["township_code"] = parents[of]
    out["township_name"] = [name_of.get(c, "") for c in parents[of]]
    return out


def _places(spots: pd.DataFrame, km: FloatArray, lang: Language) -> list[str]:
    """Where each spot is, in words: its water's name (else the village and the water's kind)
    and, for a reach, the chainage of its midpoint along the water (``清水河 1.2 km``,
    ``荷塘 40 m``); a known spot's own name first."""
    out = []
    for name, water, kind, village, k in zip(
        spots["name"],
        spots["water_name"],
        spots["water_kind"],
        spots["village_name"],
        km,
        strict=True,
    ):
        if name:
            out.append(str(name))
            continue
        where = str(water) if isinstance(water, str) else ""
        village = village if isinstance(village, str) else ""
        if not where:
            what = value_label(str(kind), lang) if kind else tr("risk_place_water", lang)
            where = tr("risk_place_village", lang, village=village, what=what).strip()
        if not np.isfinite(k):
            out.append(where)
        else:  # metres to the nearest 10 below a kilometre, else kilometres to one decimal
            out.append(f"{where} {k * 1000:.0f} m" if k < 1 else f"{where} {k:.1f} km")
    return out


def _classify(risk: FloatArray, rs: RiskSettings) -> NDArray[np.object_]:
    return np.where(
        risk >= rs.red_threshold, "red", np.where(risk >= rs.yellow_threshold, "yellow", "green")
    ).astype(object)


def _explain(spots: pd.DataFrame, factors: list[str], lang: Language = "zh") -> list[str]:
    """The explanation of every spot in ``lang``: risk, the hazard factors, exposure, what is
    missing."""
    labels = {c: value_label(c, lang) for c in PROCURED}
    sep = tr("risk_list_sep", lang)
    out = []
    for risk, cls, hazard, exposure, children, near, schools, mitigation, missing, fac in zip(
        spots["risk"].to_numpy(),
        spots["risk_class"].to_numpy(),
        spots["hazard"].to_numpy(),
        spots["exposure"].to_numpy(),
        spots["children_near"].to_numpy(),
        spots["near_households"].to_numpy(),
        spots["schools_near"].to_numpy(),
        spots["mitigation"].to_numpy(),
        spots["missing_items"].to_numpy(),
        factors,
        strict=True,
    ):
        codes = [c for c in str(missing).split(";") if c]
        lack = (
            tr("risk_lacks", lang, items=sep.join(labels[c] for c in codes))
            if codes
            else tr("risk_lacks_nothing", lang)
        )
        out.append(
            tr(
                "risk_explanation",
                lang,
                risk=risk,
                cls=tr(f"risk_class_{cls}", lang),
                hazard=hazard,
                factors=fac,
                exposure=exposure,
                children=int(children),
                near=int(near),
                schools=int(schools),
                mitigation=mitigation,
                lack=lack,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# the analysis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spots:
    """The spots before they are scored: the reaches near people, then the known spots."""

    geom: NDArray[np.object_]  # a reach's line or a known spot's point
    point: NDArray[np.object_]  # a reach's midpoint or a known spot's point
    water: IntArray  # position of the spot's water in ``waters``; -1 without one
    ids: NDArray[np.object_]
    source: NDArray[np.object_]
    n_reaches: int
    reach_water: IntArray
    chainage: FloatArray  # where a reach's midpoint lies along its water (m)
    known: gpd.GeoDataFrame
    known_kind: NDArray[np.object_]

    @property
    def n(self) -> int:
        return len(self.source)

    @property
    def has_water(self) -> NDArray[np.bool_]:
        return self.water >= 0

    @property
    def sw(self) -> IntArray:
        """The water of each spot, 0 for one without (mask with :attr:`has_water`)."""
        return np.maximum(self.water, 0)


@dataclass(frozen=True)
class _Exposure:
    """Who lives within walking distance of each spot, and their weighted exposure."""

    exposure: FloatArray
    children_near: IntArray
    weighted_children: FloatArray
    near_households: IntArray
    schools_near: IntArray
    pupils_near: IntArray


@dataclass(frozen=True)
class _Mitigation:
    """The four items and the fence standing at each spot."""

    has: dict[str, NDArray[np.bool_]]
    fenced: NDArray[np.bool_]
    last_inspected: NDArray[np.datetime64]
    mitigation: FloatArray


def _layer_notes(m: Layers) -> list[Note]:
    """Notes on the optional layers absent and the households placed on their roads."""
    notes = [
        Note(code)
        for layer, code in (
            ("equipment", "risk_no_equipment"),
            ("incidents", "risk_no_incidents"),
            ("known_spots", "risk_no_known_spots"),
        )
        if len(m[layer]) == 0
    ]
    if "location_estimated" in m.households:  # issue 22: roster rows placed on their roads
        n_est = int(m.households["location_estimated"].fillna(False).astype(bool).sum())
        if n_est:
            notes.append(Note("risk_estimated_locations", {"n": n_est}))
    return notes


def _find_spots(
    m: Layers,
    waters: gpd.GeoDataFrame,
    water_tree: shapely.STRtree,
    people_tree: shapely.STRtree,
    settings: Settings,
) -> _Spots:
    """The reaches within D straight-line of a person, numbered along their water, then the
    known spots with the nearest water within ``known_spot_water_m``."""
    w_geoms = waters.geometry.to_numpy()
    lines, line_water = water_lines(w_geoms)
    reach_geoms, line_of, rank = cut_reaches(lines, settings.spot_length_m)
    reach_water = line_water[line_of]
    # where each reach's midpoint lies along its line (its shore, for a pond): the chainage
    # people read on a sign, "清水河 1.2 km"
    per_line = np.bincount(line_of, minlength=len(lines)) if len(lines) else np.zeros(0, int)
    chainage = (rank + 0.5) * (shapely.length(lines)[line_of] / np.maximum(per_line[line_of], 1))
    # one nearest person per reach is enough to keep it (much cheaper than every match)
    near_people = people_tree.query_nearest(
        reach_geoms, max_distance=settings.exposure_distance_m, all_matches=False
    )[0]
    keep = np.zeros(len(reach_geoms), dtype=bool)
    keep[near_people] = True
    # number every reach along its water before filtering, so a spot keeps its id when
    # households come and go (patrol records refer to it)
    counter = pd.Series(reach_water).groupby(reach_water).cumcount().to_numpy() + 1
    reach_geoms, reach_water, counter = reach_geoms[keep], reach_water[keep], counter[keep]
    w_ids = _text(waters, "id")
    reach_ids = np.array(
        [f"{w_ids[w]}-{k:03d}" for w, k in zip(reach_water, counter, strict=True)], dtype=object
    )

    ks = m.known_spots.reset_index(drop=True)
    ks_geoms = ks.geometry.to_numpy()
    ks_water = np.full(len(ks), -1, dtype=np.int64)
    if len(ks):
        ki, wi = water_tree.query_nearest(
            ks_geoms, max_distance=settings.risk.known_spot_water_m, all_matches=False
        )
        ks_water[ki] = wi
    n_r, n_k = len(reach_geoms), len(ks)
    return _Spots(
        geom=np.concatenate([reach_geoms, ks_geoms]) if n_r + n_k else np.empty(0, dtype=object),
        point=np.concatenate(
            [shapely.line_interpolate_point(reach_geoms, 0.5, normalized=True), ks_geoms]
        ),
        water=np.concatenate([reach_water, ks_water]),
        ids=np.concatenate([reach_ids, np.array([f"KS-{i}" for i in _text(ks, "id")])]).astype(
            object
        ),
        source=np.array(["reach"] * n_r + ["known_spot"] * n_k, dtype=object),
        n_reaches=n_r,
        reach_water=reach_water,
        chainage=chainage[keep],
        known=ks,
        known_kind=_text(ks, "kind"),
    )


def _exposure(
    network: RoadNetwork,
    spots: _Spots,
    people: gpd.GeoDataFrame,
    waters: gpd.GeoDataFrame,
    trees: tuple[shapely.STRtree, shapely.STRtree],
    settings: Settings,
    notes: list[Note],
) -> _Exposure:
    """Exposure of each spot over the people within walking distance D (see
    :func:`assess_risk`); notes the spots and people that could not join the roads."""
    rs = settings.risk
    people_tree, water_tree = trees
    n = spots.n
    p_geoms = people.geometry.to_numpy()
    # a spot may lie across fields from the road: its connector counts in the walking distance
    spot_snap = snap_points(
        network, gpd.GeoSeries(spots.point, crs=waters.crs), limit_m=settings.exposure_distance_m
    )
    people_snap = snap_points(network, people, limit_m=settings.snap_limit_m, barriers=waters)
    ps_i, pp_i = people_tree.query(
        spots.point, predicate="dwithin", distance=settings.exposure_distance_m
    )
    ps_i, pp_i = ps_i.astype(np.int64), pp_i.astype(np.int64)
    d = pair_walking_distances(
        network,
        spot_snap,
        people_snap,
        ps_i,
        pp_i,
        limit_m=settings.exposure_distance_m,
        tile_m=rs.network_tile_m,
    )
    reach = np.isfinite(d)
    ps_i, pp_i, d = ps_i[reach], pp_i[reach], d[reach]
    # homes within near_water_m of the spot's own water (or of the spot, without a water)
    hp, hw = water_tree.query(p_geoms, predicate="dwithin", distance=settings.near_water_m)
    near_key = np.unique(hp.astype(np.int64) * len(waters) + hw)
    # sorted-key lookup: np.isin would sort the millions of pairs
    key = pp_i * len(waters) + spots.sw[ps_i]
    at = np.minimum(np.searchsorted(near_key, key), max(len(near_key) - 1, 0))
    has_water = spots.has_water[ps_i]
    near = (near_key[at] == key if len(near_key) else np.zeros(len(key), bool)) & has_water
    dry = np.flatnonzero(~has_water)
    near[dry] = (
        shapely.distance(p_geoms[pp_i[dry]], spots.point[ps_i[dry]]) <= settings.near_water_m
    )
    weight = people["weight"].to_numpy()[pp_i]
    contrib = weight * np.exp(-d / rs.decay_m) * np.where(near, rs.near_water_factor, 1.0)
    is_school = people["is_school"].to_numpy(dtype=bool)[pp_i]

    def per_spot(values: NDArray[np.generic]) -> FloatArray:
        return np.bincount(ps_i, weights=values, minlength=n).astype(np.float64)

    n_spots_unsnapped = int((~spot_snap.snapped).sum())
    if n_spots_unsnapped:
        notes.append(
            Note(
                "risk_spots_off_road",
                {"n": n_spots_unsnapped, "distance_m": settings.exposure_distance_m},
            )
        )
    n_people_unsnapped = int((~people_snap.snapped).sum())
    if n_people_unsnapped:
        notes.append(Note("risk_people_off_road", {"n": n_people_unsnapped}))
    return _Exposure(
        exposure=per_spot(contrib),
        children_near=per_spot(people["children"].to_numpy()[pp_i]).astype(np.int64),
        weighted_children=per_spot(np.where(is_school, 0.0, weight)),
        near_households=per_spot(near & ~is_school).astype(np.int64),
        schools_near=per_spot(is_school).astype(np.int64),
        pupils_near=per_spot(people["pupils"].to_numpy()[pp_i]).astype(np.int64),
    )


def _mitigation(equipment: gpd.GeoDataFrame, spots: _Spots, settings: Settings) -> _Mitigation:
    """The four items in condition ``ok`` within ``equipment_radius_m`` of each spot (a rescue
    cabinet counts as all four), an ``ok`` fence within ``fence_guard_m``, and the weights."""
    rs = settings.risk
    n = spots.n
    eq = equipment.reset_index(drop=True)
    eq_kind = _text(eq, "kind")
    eq_ok = _text(eq, "condition") == "ok"
    has = {item: np.zeros(n, dtype=bool) for item in FOUR_ONES}
    fenced = np.zeros(n, dtype=bool)
    last = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if len(eq) and n:
        eq_tree = shapely.STRtree(eq.geometry.to_numpy())
        si, ei = eq_tree.query(
            spots.geom, predicate="dwithin", distance=settings.equipment_radius_m
        )
        is_point_item = np.isin(eq_kind[ei], EQUIPMENT_POINT_KINDS)
        for item in FOUR_ONES:
            hit = eq_ok[ei] & is_point_item & np.isin(eq_kind[ei], [item, "rescue_cabinet"])
            has[item][si[hit]] = True
        fi, fe = eq_tree.query(spots.geom, predicate="dwithin", distance=rs.fence_guard_m)
        fhit = (eq_kind[fe] == "fence") & eq_ok[fe]
        fenced[fi[fhit]] = True
        if "last_inspected" in eq:
            dates = pd.to_datetime(eq["last_inspected"]).to_numpy(dtype="datetime64[ns]")
            lasts = (
                pd.Series(dates[ei]).groupby(si).max()
                if len(si)
                else pd.Series(dtype="datetime64[ns]")
            )
            last[lasts.index.to_numpy(dtype=np.int64)] = lasts.to_numpy(dtype="datetime64[ns]")
    weights = rs.item_mitigation
    mitigation = sum((weights.get(i, 0.0) * has[i] for i in FOUR_ONES), np.zeros(n))
    mitigation = mitigation + weights.get("fence", 0.0) * fenced
    return _Mitigation(has=has, fenced=fenced, last_inspected=last, mitigation=mitigation)


def _incidents_near(incidents: gpd.GeoDataFrame, spots: _Spots, radius_m: float) -> IntArray:
    """How many past incidents lie within ``radius_m`` of each spot."""
    if not (len(incidents) and spots.n):
        return np.zeros(spots.n, dtype=np.int64)
    ii = shapely.STRtree(incidents.geometry.to_numpy()).query(
        spots.geom, predicate="dwithin", distance=radius_m
    )[0]
    return np.bincount(ii, minlength=spots.n).astype(np.int64)


def _hazard(
    waters: gpd.GeoDataFrame, spots: _Spots, inc_count: IntArray, season_f: float, rs: RiskSettings
) -> FloatArray:
    """Hazard of each spot: its water's, its use or known-spot kind, past incidents, season."""
    w_hazard, w_use = _water_hazard(waters, rs)
    has_water, sw = spots.has_water, spots.sw
    base = np.where(has_water, w_hazard[sw], rs.unknown_water_hazard)
    use = np.where(has_water, w_use[sw], 1.0)
    kind_f = np.ones(spots.n)
    kind_f[spots.n_reaches :] = [rs.spot_kind_factor.get(k, 1.0) for k in spots.known_kind]
    use = np.maximum(use, kind_f)
    inc_f = np.where(inc_count > 0, rs.incident_factor, 1.0)
    hazard: FloatArray = base * use * inc_f * season_f
    return hazard


def _spot_frame(
    m: Layers,
    waters: gpd.GeoDataFrame,
    spots: _Spots,
    scores: dict[str, NDArray[np.float64] | IntArray],
    exposure: _Exposure,
    mit: _Mitigation,
    rs: RiskSettings,
) -> gpd.GeoDataFrame:
    """The spots' table (unsorted, without the texts): where, what water, the scores and the
    audit of the four items."""
    n, n_r = spots.n, spots.n_reaches
    has, fenced, has_water, sw = mit.has, mit.fenced, spots.has_water, spots.sw
    missing_lists = [
        [i for i in FOUR_ONES if not has[i][k]] + ([] if fenced[k] else ["fence"]) for k in range(n)
    ]
    fence_len = np.concatenate([_reach_lengths(spots), np.full(n - n_r, rs.known_spot_fence_m)])
    areas = _areas_of(spots.point, m.areas)
    w_ids, w_names, w_kinds, w_chief = (
        _text(waters, c) for c in ("id", "name", "kind", "river_chief")
    )
    return gpd.GeoDataFrame(
        {
            "spot_id": spots.ids,
            "source": spots.source,
            "known_kind": np.concatenate([np.full(n_r, "", dtype=object), spots.known_kind]),
            "name": np.concatenate([np.full(n_r, "", dtype=object), _text(spots.known, "name")]),
            "water_id": np.where(has_water, w_ids[sw], ""),
            "water_name": np.where(has_water, w_names[sw], ""),
            "water_kind": np.where(has_water, w_kinds[sw], ""),
            **{c: areas[c].to_numpy() for c in areas.columns},
            "river_chief": np.where(has_water, w_chief[sw], ""),
            "use": np.where(has_water, _text(waters, "use", "unknown")[sw], ""),
            "hazard": scores["hazard"],
            "exposure": exposure.exposure,
            "mitigation": mit.mitigation,
            "risk": scores["risk"],
            "risk_class": _classify(np.asarray(scores["risk"], dtype=np.float64), rs),
            "children_near": exposure.children_near,
            "weighted_children": exposure.weighted_children,
            "near_households": exposure.near_households,
            "schools_near": exposure.schools_near,
            "pupils_near": exposure.pupils_near,
            "incidents_near": scores["incidents"],
            **{f"has_{i}": has[i] for i in FOUR_ONES},
            "fenced": fenced,
            "missing_items": [";".join(x) for x in missing_lists],
            "n_missing": [sum(1 for c in x if c != "fence") for x in missing_lists],
            "fence_needed_m": np.where(fenced, 0.0, fence_len),
            "last_inspected": pd.Series(mit.last_inspected, dtype="datetime64[ns]").to_numpy(),
        },
        geometry=gpd.GeoSeries(spots.point, crs=waters.crs),
        crs=waters.crs,
    )


def _reach_lengths(spots: _Spots) -> FloatArray:
    n_r = spots.n_reaches
    return shapely.length(spots.geom[:n_r]) if n_r else np.empty(0)


def _add_texts(
    frame: gpd.GeoDataFrame,
    waters: gpd.GeoDataFrame,
    spots: _Spots,
    inc_count: IntArray,
    season: Season,
) -> None:
    """The explanation and the place of each spot, in Chinese and in English (``_en``)."""
    km = np.round(np.concatenate([spots.chainage, np.full(spots.n - spots.n_reaches, np.nan)]), -1)
    km = km / 1000
    languages: tuple[tuple[str, Language], ...] = (("explanation", "zh"), ("explanation_en", "en"))
    for column, lang in languages:
        factor_text = _factor_texts(
            waters,
            spots.has_water,
            spots.sw,
            spots.known_kind,
            spots.n_reaches,
            inc_count,
            season,
            lang,
        )
        frame[column] = _explain(frame, factor_text, lang)
        frame[column.replace("explanation", "place")] = _places(frame, km, lang)


def assess_risk(
    layers: Layers,
    *,
    settings: Settings | None = None,
    date: dt.date,
    network: RoadNetwork | None = None,
) -> RiskResult:
    r"""Find the drowning-risk spots near homes and audit their four-ones equipment.

    Parameters
    ----------
    layers
        Validated layers in any CRS (converted with ``to_metric``); waters and roads required,
        equipment, incidents and known spots optional (empty when absent).
    settings
        ``equipment_radius_m``, ``exposure_distance_m`` (D), ``near_water_m``,
        ``incident_radius_m``, ``spot_length_m``, ``snap_limit_m`` and ``settings.risk``
        (:class:`geo.settings.RiskSettings`); ``None`` for :func:`geo.settings.get_settings`.
    date
        The day assessed: flood season and summer holidays raise the hazard
        (:func:`analysis.season.season_on`).
    network
        The road network built from ``layers.roads`` in the metric CRS (built when omitted).

    Returns
    -------
    RiskResult

    Notes
    -----
    **Spots.** Water lines and polygon shores (exterior rings) are cut into equal reaches of at
    most ``spot_length_m``; reaches within D straight-line of a household or school are kept
    (walking distance is never shorter). Each known spot is a spot of its own and takes the
    attributes of the nearest water within ``known_spot_water_m``.

    **Exposure** of spot *s* sums over households and schools *p* within walking distance
    :math:`d_{sp} \le D` (connectors to the road network included; reach midpoints are snapped
    without barriers, homes with the waters as barriers)

    .. math:: E_s = \sum_p w_p\, e^{-d_{sp}/\lambda}\, (\nu \text{ if } p
              \text{ lies within near\_water\_m of the spot's water, else } 1)

    with :math:`w_p = c\,n_{children} + l\,n_{left\_behind} + k\,n_{in\_difficulty}` for a
    household and :math:`w_p = q\,n_{pupils}` for a school (``weight_*``), λ = ``decay_m``,
    ν = ``near_water_factor``.

    **Hazard** :math:`H_s = h_{kind} f_{depth} f_{current} f_{bank} (1 + \epsilon \min(n_{entry},
    N)) \max(f_{use}, f_{spot\ kind}) f_{incident} f_{flood} f_{summer}`, each factor a setting;
    :math:`f_{incident}` applies when a past incident lies within ``incident_radius_m``.

    **Mitigation** :math:`M_s = \sum_i m_i` over the four items standing within
    ``equipment_radius_m`` of the reach in condition ``ok`` (a rescue cabinet counts as all four)
    and the fence (an ``ok`` fence within ``fence_guard_m``), weights ``item_mitigation``.

    **Risk** :math:`R_s = 100\,(1 - e^{-H_s E_s / \sigma})\,(1 - M_s)`, σ = ``risk_scale``;
    red when :math:`R_s \ge` ``red_threshold``, yellow when :math:`\ge` ``yellow_threshold``.
    R is monotone: equipment only raises M (lowers R), children only raise E (raise R), and a
    home beyond D contributes nothing.

    **Procurement** sums, over red and yellow spots, the missing items and the metres of fence
    (the reach's length, or ``known_spot_fence_m`` for a known spot) of unfenced ones.

    Raises
    ------
    LayerError
        The waters layer is empty, or a water, equipment or known-spot kind or a condition is
        not an allowed value (the message lists the allowed ones).
    """
    settings = settings if settings is not None else get_settings()
    m = layers.to_metric()
    _check_layers(m)
    return _assess(m, settings=settings, date=date, network=network)


def _assess(
    m: Layers, *, settings: Settings, date: dt.date, network: RoadNetwork | None
) -> RiskResult:
    """The steps of :func:`assess_risk` on checked metric layers: find the spots, then their
    exposure, mitigation and hazard, then the tables."""
    rs = settings.risk
    notes = _layer_notes(m)
    waters = m.waters.reset_index(drop=True)
    water_tree = shapely.STRtree(waters.geometry.to_numpy())
    season = season_on(date, settings.season)
    season_f = (rs.flood_season_factor if season.flood_season else 1.0) * (
        rs.summer_holiday_factor if season.summer_holiday else 1.0
    )

    people = _people(m, rs)
    people_tree = shapely.STRtree(people.geometry.to_numpy())
    spots = _find_spots(m, waters, water_tree, people_tree, settings)
    if spots.n_reaches == 0:
        notes.append(Note("risk_no_reach", {"distance_m": settings.exposure_distance_m}))
    if network is None:
        network = build_network(m.roads)
    exposure = _exposure(network, spots, people, waters, (people_tree, water_tree), settings, notes)
    mit = _mitigation(m.equipment, spots, settings)
    inc_count = _incidents_near(m.incidents, spots, settings.incident_radius_m)
    hazard = _hazard(waters, spots, inc_count, season_f, rs)
    risk = (
        100.0 * (1.0 - np.exp(-hazard * exposure.exposure / rs.risk_scale)) * (1.0 - mit.mitigation)
    )
    risk = np.clip(risk, 0.0, 100.0)

    frame = _spot_frame(
        m,
        waters,
        spots,
        {"hazard": hazard, "risk": risk, "incidents": inc_count},
        exposure,
        mit,
        rs,
    )
    _add_texts(frame, waters, spots, inc_count, season)
    frame = frame.sort_values(["risk", "spot_id"], ascending=[False, True]).reset_index(drop=True)
    n_r = spots.n_reaches
    reaches = gpd.GeoDataFrame(
        {
            "spot_id": spots.ids[:n_r],
            "water_id": _text(waters, "id")[spots.reach_water]
            if n_r
            else np.empty(0, dtype=object),
            "length_m": _reach_lengths(spots),
        },
        geometry=gpd.GeoSeries(spots.geom[:n_r], crs=waters.crs),
        crs=waters.crs,
    )
    return RiskResult(
        spots=frame,
        reaches=reaches,
        summary_village=summarise(frame, ["village_code", "village_name"]),
        summary_township=summarise(frame, ["township_code", "township_name"]),
        summary_chief=summarise(frame, ["river_chief"]),
        procurement=procurement_of(frame),
        notes=tuple(notes),
        date=date,
        flood_season=season.flood_season,
        summer_holiday=season.summer_holiday,
        season_factor=season_f,
    )


def _factor_texts(
    waters: gpd.GeoDataFrame,
    has_water: NDArray[np.bool_],
    sw: IntArray,
    ks_kind: NDArray[np.object_],
    n_r: int,
    inc_count: IntArray,
    season: object,
    lang: Language = "zh",
) -> list[str]:
    """The hazard factors of each spot, e.g. '坑塘、深、陡坡、游泳、汛期' ('pond, deep, steep,
    swimming, flood season' in English)."""
    sep = tr("risk_list_sep", lang)
    kind = _text(waters, "kind")
    depth = _text(waters, "depth_class", "unknown")
    cur = _text(waters, "current", "unknown")
    bank = _text(waters, "bank", "unknown")
    use = _text(waters, "use", "unknown")
    entries = _number(waters, "entry_points")
    per_water = []
    for w in range(len(waters)):
        parts = [value_label(str(kind[w]), lang)]
        parts += [
            value_label(str(v), lang)
            for v in (depth[w], cur[w], bank[w])
            if v not in ("unknown", "")
        ]
        if entries[w] > 0:
            parts.append(tr("risk_factor_entries", lang, n=int(entries[w])))
        parts += [
            value_label(u, lang)
            for u in str(use[w]).split(";")
            if u and u not in ("unknown", "none")
        ]
        per_water.append(sep.join(parts))
    flood = bool(getattr(season, "flood_season", False))
    summer = bool(getattr(season, "summer_holiday", False))
    tail = [tr("risk_factor_flood", lang)] if flood else []
    tail += [tr("risk_factor_summer", lang)] if summer else []
    out = []
    for k in range(len(has_water)):
        parts = [per_water[sw[k]] if has_water[k] else tr("risk_factor_unknown_water", lang)]
        if k >= n_r:
            kind_label = value_label(str(ks_kind[k - n_r]), lang)
            parts.append(tr("risk_factor_known", lang, kind=kind_label))
        if inc_count[k]:
            parts.append(tr("risk_factor_incidents", lang, n=int(inc_count[k])))
        out.append(sep.join(parts + tail))
    return out


def procurement_of(spots: pd.DataFrame) -> pd.DataFrame:
    """Items and fence metres to buy so every red and yellow spot is fully equipped.

    ``count`` of an item is the number of red and yellow spots missing it; for ``fence`` it is
    the number of those spots that are unfenced, and ``metres`` their ``fence_needed_m`` sum.
    """
    need = spots.loc[spots["risk_class"].isin(["red", "yellow"])]
    rows = [
        {"item": i, "count": int((~need[f"has_{i}"].astype(bool)).sum()), "metres": 0.0}
        for i in FOUR_ONES
    ]
    rows.append(
        {
            "item": "fence",
            "count": int((~need["fenced"].astype(bool)).sum()),
            "metres": float(need["fence_needed_m"].sum()),
        }
    )
    return pd.DataFrame(rows)


def summarise(spots: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Spots by class, spots lacking any item and the procurement of red/yellow spots per group."""
    frame = pd.DataFrame(spots.drop(columns="geometry", errors="ignore"))
    for k in keys:
        frame[k] = frame[k].astype(object).where(frame[k].notna() & (frame[k] != ""), "(未指定)")
    needed = frame["risk_class"].isin(["red", "yellow"])
    agg = pd.DataFrame({k: frame[k] for k in keys})
    agg["spots"] = 1
    for c in CLASSES:
        agg[c] = (frame["risk_class"] == c).astype(int)
    agg["lacking_any"] = (frame["n_missing"] > 0).astype(int)
    for i in FOUR_ONES:
        agg[i] = (needed & ~frame[f"has_{i}"].astype(bool)).astype(int)
    agg["fence_m"] = np.where(needed, frame["fence_needed_m"], 0.0)
    out = agg.groupby(keys, sort=True, dropna=False).sum().reset_index()
    out["fence_m"] = out["fence_m"].round(1)
    return out


# --------------------------------------------------------------------------------------------
# the analysis contract (analysis.registry): the risk page, /api/risk, its OGC collection,
# ``tongan risk`` and its ``tongan province`` stage
# --------------------------------------------------------------------------------------------

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from analysis.county import CountyLayers, StageOutput, public_output  # noqa: E402
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


class RiskParams(BaseModel):
    """Parameters of the drowning-risk analysis."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = Field(None, description="日期 / date")


def _run(inputs: Inputs, params: RiskParams) -> RiskResult:
    return assess_risk(
        inputs.metric,
        settings=inputs.settings,
        date=params.date or inputs.today,
        network=inputs.road_network(),
    )


def _tables(result: RiskResult, view: View) -> dict[str, pd.DataFrame]:
    from geo.i18n import in_language

    return {
        "spots": in_language(result.spots, view.lang),
        "reaches": result.reaches,
        "villages": result.summary_village,
        "townships": result.summary_township,
        "chiefs": result.summary_chief,
        "procurement": result.procurement,
    }


def _figures(result: RiskResult, view: View) -> list[Figure]:
    spots = result.spots
    counts = spots["risk_class"].value_counts()
    figures = [Figure(f"fig_risk_{c}", int(counts.get(c, 0))) for c in CLASSES]
    figures.append(Figure("fig_risk_lacking", int((spots["missing_items"].fillna("") != "").sum())))
    for row in result.procurement.itertuples():
        item = str(row.item)
        value = row.metres if item == "fence" else row.count
        label = f"fig_buy_{item}" if item in PROCURED else "fig_buy_other"
        figures.append(Figure(label, float(value), ".0f"))
    figures.append(Figure("fig_risk_season", _season_figure(result)))
    return figures


def _season_figure(result: RiskResult) -> Joined:
    """The season factor the date applied and why, e.g. ``×1.5,汛期`` (``×1,平时`` outside
    the flood season and the summer holidays)."""
    items = [Note("risk_season_times", {"factor": f"{result.season_factor:g}"})]
    if result.flood_season:
        items.append(Note("risk_factor_flood"))
    if result.summer_holiday:
        items.append(Note("risk_factor_summer"))
    if len(items) == 1:
        items.append(Note("risk_season_normal"))
    return Joined(tuple(items), separator=",")


def _notes(result: RiskResult) -> tuple[Note, ...]:
    notes: tuple[object, ...] = result.notes
    return tuple(n if isinstance(n, Note) else Note("plain_text", {"text": n}) for n in notes)


def risk_stage(
    county: CountyLayers, settings: Settings, date: dt.date, *, authorised: bool = False
) -> StageOutput:
    """Drowning-risk spots (:func:`assess_risk`) the county owns, by location.

    Tables ``spots`` and ``reaches``; figures ``spots``, ``red``, ``yellow``, ``green``,
    ``lacking_any``, the four items and ``fence_m`` to buy (red and yellow spots). Without
    ``authorised`` the counts of children and households are rounded
    (:func:`analysis.county.public_output`).
    """
    result = assess_risk(county.layers, settings=settings, date=date)
    spots = result.spots.loc[county.owns(result.spots.geometry)].reset_index(drop=True)
    reaches = result.reaches.loc[result.reaches["spot_id"].isin(spots["spot_id"])]
    towns = summarise(spots, ["township_code", "township_name"])
    total = summarise(spots.assign(_all=county.code), ["_all"])
    figures = {c: 0.0 for c in ("spots", *CLASSES, "lacking_any", *FOUR_ONES, "fence_m")}
    if len(total):
        figures |= {k: float(v) for k, v in total.drop(columns="_all").iloc[0].items()}
    out = StageOutput(
        tables={"spots": spots, "reaches": reaches.reset_index(drop=True)},
        figures=figures,
        townships=towns,
    )
    return out if authorised else public_output(out, settings)


ANALYSIS = register(
    Analysis(
        name="risk",
        title="page_risk_title",
        question="page_risk_question",
        params=RiskParams,
        run=_run,
        order=10,
        tables=_tables,
        figures=_figures,
        notes=_notes,
        public=lambda result, settings: result.public(settings.privacy),
        needs=("waters", "roads", "households", "schools", "equipment", "incidents"),
        network=True,
        collections=(
            Collection(
                "risk_spots",
                "溺水风险点 risk spots",
                "Drowning-risk spots with hazard, exposure, mitigation, risk class and missing items (today).",
                lambda result, view: result.spots,
            ),
        ),
        stage=risk_stage,
    )
)
