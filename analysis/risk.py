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
from analysis.season import season_on
from geo.errors import LayerError
from geo.i18n import value_label
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
        Plain-English notes on absent layers and unsnapped points.
    date
        The date assessed; ``flood_season`` and ``summer_holiday`` what it meant.
    """

    spots: gpd.GeoDataFrame
    reaches: gpd.GeoDataFrame
    summary_village: pd.DataFrame
    summary_township: pd.DataFrame
    summary_chief: pd.DataFrame
    procurement: pd.DataFrame
    notes: tuple[str, ...]
    date: dt.date
    flood_season: bool
    summer_holiday: bool

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
            what = value_label(str(kind), lang) if kind else ("水边" if lang == "zh" else "water")
            where = f"{village}{what}" if lang == "zh" else f"{village} {what}".strip()
        if not np.isfinite(k):
            out.append(where)
        else:  # metres to the nearest 10 below a kilometre, else kilometres to one decimal
            out.append(f"{where} {k * 1000:.0f} m" if k < 1 else f"{where} {k:.1f} km")
    return out


def _classify(risk: FloatArray, rs: RiskSettings) -> NDArray[np.object_]:
    return np.where(
        risk >= rs.red_threshold, "red", np.where(risk >= rs.yellow_threshold, "yellow", "green")
    ).astype(object)


_CLASS_ZH = {"red": "红", "yellow": "黄", "green": "绿"}


def _explain(spots: pd.DataFrame, factors: list[str], lang: Language = "zh") -> list[str]:
    """The explanation of every spot in ``lang``: risk, the hazard factors, exposure, what is
    missing."""
    labels = {c: value_label(c, lang) for c in PROCURED}
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
        if lang == "en":
            lack = (
                "lacks " + ", ".join(labels[c] for c in codes)
                if codes
                else "all four-ones and a fence"
            )
            out.append(
                f"risk {risk:.0f} ({cls}): hazard {hazard:.2f} ({fac}); exposure {exposure:.1f}: "
                f"{int(children)} children within walking distance ({int(near)} households near "
                f"the water), {int(schools)} schools; mitigation {mitigation:.2f}: {lack}"
            )
            continue
        lack = "缺" + "、".join(labels[c] for c in codes) if codes else "四个一及防护栏齐全"
        out.append(
            f"风险 {risk:.0f}({_CLASS_ZH[str(cls)]}):危险度 {hazard:.2f}({fac});"
            f"暴露度 {exposure:.1f}:步行范围内儿童 {int(children)} 名(近水 {int(near)} 户)、"
            f"学校 {int(schools)} 所;防护 {mitigation:.2f}:{lack}"
        )
    return out


# --------------------------------------------------------------------------------------------
# the analysis
# --------------------------------------------------------------------------------------------


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
    rs = settings.risk
    m = layers.to_metric()
    _check_layers(m)
    crs = m.waters.crs
    notes: list[str] = []
    for layer, text in (
        ("equipment", "equipment layer absent: every spot lacks all four items"),
        ("incidents", "incidents layer absent: no hazard is raised by past incidents"),
        ("known_spots", "known_spots layer absent: only reaches are assessed"),
    ):
        if len(m[layer]) == 0:
            notes.append(text)
    if "location_estimated" in m.households:  # issue 22: roster rows placed on their roads
        n_est = int(m.households["location_estimated"].fillna(False).astype(bool).sum())
        if n_est:
            notes.append(
                f"{n_est} household(s) have estimated locations (placed along their village's "
                "roads): exposure near them is an estimate until locations are captured"
            )

    waters = m.waters.reset_index(drop=True)
    w_geoms = waters.geometry.to_numpy()
    water_tree = shapely.STRtree(w_geoms)
    w_hazard, w_use = _water_hazard(waters, rs)
    season = season_on(date, settings.season)
    season_f = (rs.flood_season_factor if season.flood_season else 1.0) * (
        rs.summer_holiday_factor if season.summer_holiday else 1.0
    )

    # --- spots: reaches near people, then known spots ------------------------------------
    people = _people(m, rs)
    p_geoms = people.geometry.to_numpy()
    people_tree = shapely.STRtree(p_geoms)
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
    chainage = chainage[keep]
    w_ids = _text(waters, "id")
    reach_ids = np.array(
        [f"{w_ids[w]}-{k:03d}" for w, k in zip(reach_water, counter, strict=True)], dtype=object
    )

    if not keep.any():
        notes.append(
            f"no water reach lies within {settings.exposure_distance_m:.0f} m of a household or "
            "school"
        )

    ks = m.known_spots.reset_index(drop=True)
    ks_geoms = ks.geometry.to_numpy()
    ks_water = np.full(len(ks), -1, dtype=np.int64)
    if len(ks):
        ki, wi = water_tree.query_nearest(
            ks_geoms, max_distance=rs.known_spot_water_m, all_matches=False
        )
        ks_water[ki] = wi
    n_r, n_k = len(reach_geoms), len(ks)
    n = n_r + n_k
    spot_geom = np.concatenate([reach_geoms, ks_geoms]) if n else np.empty(0, dtype=object)
    spot_point = np.concatenate(
        [shapely.line_interpolate_point(reach_geoms, 0.5, normalized=True), ks_geoms]
    )
    spot_water = np.concatenate([reach_water, ks_water])
    has_water = spot_water >= 0
    sw = np.maximum(spot_water, 0)
    source = np.array(["reach"] * n_r + ["known_spot"] * n_k, dtype=object)
    ks_kind = _text(ks, "kind")
    spot_ids = np.concatenate([reach_ids, np.array([f"KS-{i}" for i in _text(ks, "id")])])

    # --- exposure: bounded walking distances on the road network -------------------------
    if network is None:
        network = build_network(m.roads)
    # a spot may lie across fields from the road: its connector counts in the walking distance
    spot_snap = snap_points(
        network, gpd.GeoSeries(spot_point, crs=crs), limit_m=settings.exposure_distance_m
    )
    people_snap = snap_points(network, people, limit_m=settings.snap_limit_m, barriers=waters)
    ps_i, pp_i = people_tree.query(
        spot_point, predicate="dwithin", distance=settings.exposure_distance_m
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
    key = pp_i * len(waters) + sw[ps_i]
    at = np.minimum(np.searchsorted(near_key, key), max(len(near_key) - 1, 0))
    near = (near_key[at] == key if len(near_key) else np.zeros(len(key), bool)) & has_water[ps_i]
    dry = np.flatnonzero(~has_water[ps_i])
    near[dry] = shapely.distance(p_geoms[pp_i[dry]], spot_point[ps_i[dry]]) <= settings.near_water_m
    contrib = (
        people["weight"].to_numpy()[pp_i]
        * np.exp(-d / rs.decay_m)
        * np.where(near, rs.near_water_factor, 1.0)
    )
    is_school = people["is_school"].to_numpy(dtype=bool)[pp_i]
    exposure = np.bincount(ps_i, weights=contrib, minlength=n)
    children_near = np.bincount(
        ps_i, weights=people["children"].to_numpy()[pp_i], minlength=n
    ).astype(np.int64)
    weighted_children = np.bincount(
        ps_i, weights=np.where(is_school, 0.0, people["weight"].to_numpy()[pp_i]), minlength=n
    )
    near_households = np.bincount(ps_i, weights=near & ~is_school, minlength=n).astype(np.int64)
    schools_near = np.bincount(ps_i, weights=is_school, minlength=n).astype(np.int64)
    pupils_near = np.bincount(ps_i, weights=people["pupils"].to_numpy()[pp_i], minlength=n).astype(
        np.int64
    )
    n_spots_unsnapped = int((~spot_snap.snapped).sum())
    if n_spots_unsnapped:
        notes.append(
            f"{n_spots_unsnapped} spot(s) lie farther than {settings.exposure_distance_m:.0f} m "
            "from any road: their exposure is 0"
        )
    n_people_unsnapped = int((~people_snap.snapped).sum())
    if n_people_unsnapped:
        notes.append(
            f"{n_people_unsnapped} household(s)/school(s) could not be snapped to the road "
            "network (too far or across water) and count towards no spot"
        )

    # --- mitigation: equipment within the radius -------------------------------------------
    eq = m.equipment.reset_index(drop=True)
    eq_kind = _text(eq, "kind")
    eq_ok = _text(eq, "condition") == "ok"
    has = {item: np.zeros(n, dtype=bool) for item in FOUR_ONES}
    fenced = np.zeros(n, dtype=bool)
    last = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if len(eq) and n:
        eq_geoms = eq.geometry.to_numpy()
        eq_tree = shapely.STRtree(eq_geoms)
        si, ei = eq_tree.query(spot_geom, predicate="dwithin", distance=settings.equipment_radius_m)
        is_point_item = np.isin(eq_kind[ei], EQUIPMENT_POINT_KINDS)
        for item in FOUR_ONES:
            hit = eq_ok[ei] & is_point_item & np.isin(eq_kind[ei], [item, "rescue_cabinet"])
            has[item][si[hit]] = True
        fi, fe = eq_tree.query(spot_geom, predicate="dwithin", distance=rs.fence_guard_m)
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

    # --- hazard -----------------------------------------------------------------------------
    inc_count = np.zeros(n, dtype=np.int64)
    if len(m.incidents) and n:
        ii = shapely.STRtree(m.incidents.geometry.to_numpy()).query(
            spot_geom, predicate="dwithin", distance=settings.incident_radius_m
        )[0]
        inc_count = np.bincount(ii, minlength=n).astype(np.int64)
    base = np.where(has_water, w_hazard[sw], rs.unknown_water_hazard)
    use = np.where(has_water, w_use[sw], 1.0)
    kind_f = np.ones(n)
    kind_f[n_r:] = [rs.spot_kind_factor.get(k, 1.0) for k in ks_kind]
    use = np.maximum(use, kind_f)
    inc_f = np.where(inc_count > 0, rs.incident_factor, 1.0)
    hazard = base * use * inc_f * season_f

    # --- risk -------------------------------------------------------------------------------
    risk = 100.0 * (1.0 - np.exp(-hazard * exposure / rs.risk_scale)) * (1.0 - mitigation)
    risk = np.clip(risk, 0.0, 100.0)
    risk_class = _classify(risk, rs)
    missing_lists = [
        [i for i in FOUR_ONES if not has[i][k]] + ([] if fenced[k] else ["fence"]) for k in range(n)
    ]
    reach_len = shapely.length(spot_geom[:n_r]) if n_r else np.empty(0)
    fence_len = np.concatenate([reach_len, np.full(n_k, rs.known_spot_fence_m)])
    fence_needed = np.where(fenced, 0.0, fence_len)

    areas = _areas_of(spot_point, m.areas)
    w_names, w_kinds, w_chief = (
        _text(waters, "name"),
        _text(waters, "kind"),
        _text(waters, "river_chief"),
    )
    spots = gpd.GeoDataFrame(
        {
            "spot_id": spot_ids.astype(object),
            "source": source,
            "known_kind": np.concatenate([np.full(n_r, "", dtype=object), ks_kind]),
            "name": np.concatenate([np.full(n_r, "", dtype=object), _text(ks, "name")]),
            "water_id": np.where(has_water, w_ids[sw], ""),
            "water_name": np.where(has_water, w_names[sw], ""),
            "water_kind": np.where(has_water, w_kinds[sw], ""),
            "village_code": areas["village_code"].to_numpy(),
            "village_name": areas["village_name"].to_numpy(),
            "township_code": areas["township_code"].to_numpy(),
            "township_name": areas["township_name"].to_numpy(),
            "river_chief": np.where(has_water, w_chief[sw], ""),
            "use": np.where(has_water, _text(waters, "use", "unknown")[sw], ""),
            "hazard": hazard,
            "exposure": exposure,
            "mitigation": mitigation,
            "risk": risk,
            "risk_class": risk_class,
            "children_near": children_near,
            "weighted_children": weighted_children,
            "near_households": near_households,
            "schools_near": schools_near,
            "pupils_near": pupils_near,
            "incidents_near": inc_count,
            **{f"has_{i}": has[i] for i in FOUR_ONES},
            "fenced": fenced,
            "missing_items": [";".join(x) for x in missing_lists],
            "n_missing": [sum(1 for c in x if c != "fence") for x in missing_lists],
            "fence_needed_m": fence_needed,
            "last_inspected": pd.Series(last, dtype="datetime64[ns]").to_numpy(),
        },
        geometry=gpd.GeoSeries(spot_point, crs=crs),
        crs=crs,
    )
    km = np.round(np.concatenate([chainage, np.full(n_k, np.nan)]), -1) / 1000
    languages: tuple[tuple[str, Language], ...] = (("explanation", "zh"), ("explanation_en", "en"))
    for column, lang in languages:
        factor_text = _factor_texts(waters, has_water, sw, ks_kind, n_r, inc_count, season, lang)
        spots[column] = _explain(spots, factor_text, lang)
        spots[column.replace("explanation", "place")] = _places(spots, km, lang)
    spots = spots.sort_values(["risk", "spot_id"], ascending=[False, True]).reset_index(drop=True)

    reaches = gpd.GeoDataFrame(
        {
            "spot_id": reach_ids.astype(object),
            "water_id": w_ids[reach_water] if n_r else np.empty(0, dtype=object),
            "length_m": reach_len,
        },
        geometry=gpd.GeoSeries(reach_geoms, crs=crs),
        crs=crs,
    )
    proc = procurement_of(spots)
    return RiskResult(
        spots=spots,
        reaches=reaches,
        summary_village=summarise(spots, ["village_code", "village_name"]),
        summary_township=summarise(spots, ["township_code", "township_name"]),
        summary_chief=summarise(spots, ["river_chief"]),
        procurement=proc,
        notes=tuple(notes),
        date=date,
        flood_season=season.flood_season,
        summer_holiday=season.summer_holiday,
    )


_FACTOR_TEXT: dict[str, dict[Language, str]] = {
    "entries": {"zh": "下水点{n}处", "en": "{n} entry points"},
    "flood": {"zh": "汛期", "en": "flood season"},
    "summer": {"zh": "暑假", "en": "summer holidays"},
    "unknown_water": {"zh": "未知水域", "en": "unknown water"},
    "known": {"zh": "已登记{kind}", "en": "registered {kind}"},
    "incidents": {"zh": "附近曾发生溺水事件{n}起", "en": "{n} drowning incidents nearby"},
}


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
    text = {k: v[lang] for k, v in _FACTOR_TEXT.items()}
    sep = "、" if lang == "zh" else ", "
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
            parts.append(text["entries"].format(n=int(entries[w])))
        parts += [
            value_label(u, lang)
            for u in str(use[w]).split(";")
            if u and u not in ("unknown", "none")
        ]
        per_water.append(sep.join(parts))
    flood = bool(getattr(season, "flood_season", False))
    summer = bool(getattr(season, "summer_holiday", False))
    tail = ([text["flood"]] if flood else []) + ([text["summer"]] if summer else [])
    out = []
    for k in range(len(has_water)):
        parts = [per_water[sw[k]] if has_water[k] else text["unknown_water"]]
        if k >= n_r:
            parts.append(text["known"].format(kind=value_label(str(ks_kind[k - n_r]), lang)))
        if inc_count[k]:
            parts.append(text["incidents"].format(n=int(inc_count[k])))
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
