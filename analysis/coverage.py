"""Service coverage, staffing and the walking standard (issue 4).

Which children live beyond the walking standard of a children's home or a protection station, and
which villages, townships and counties miss the facilities and children's directors the policy
asks for (DOMAIN.md, service network).

Method
------
1. Households and facilities are snapped **once** onto the road network
   (:func:`geo.network.snap_points`, limit ``Settings.snap_limit_m``); their connectors may not
   cross a water of ``CoverageSettings.barrier_kinds``, so no house is snapped across the river.
2. Every snapped point is inserted into the compact graph once (the augmented graph of
   :mod:`geo.network`, one stub node per facility carrying its connector). Then **one**
   multi-source Dijkstra (scipy ``dijkstra(min_only=True)``) runs per facility kind, plus one
   from every *covering* facility. The walking distance of household *h* to kind *k* is

   .. math:: d_k(h) = \\min_{f \\in F_k} \\; c(f) + \\operatorname{net}(f, h) + c(h)

   with :math:`c` the straight connector to the road and :math:`\\operatorname{net}` the distance
   along roads between the snapped positions.
3. A household is **covered** when :math:`\\min_{k \\in K} d_k(h) \\le S`, ``K`` being
   ``CoverageSettings.covering_kinds`` (by default children's homes, township workstations and
   other stations; the county institution and welfare institutions are not walk-in services) and
   ``S`` the walking standard (``Settings.walking_standard_m``, 1,000 m; exactly ``S`` counts).
4. A facility's **service area** is the reached road network: one bounded Dijkstra per facility
   (limit ``S``), every edge reached from both ends kept whole, edges reached from one end cut at
   the limit (``shapely.ops.substring``), buffered by ``CoverageSettings.service_area_buffer_m``;
   never a convex hull.
5. **Gap areas**: uncovered households (beyond the standard, unreachable or off the road) within
   ``2 r`` of each other (``r = CoverageSettings.gap_cluster_m``, single linkage) form one gap; its
   polygon is the union of circles of radius ``r`` around them. These circles give their
   households away (three points of an arc give its centre): roles without household access get
   :meth:`CoverageResult.public` instead, whose gaps are cells of the privacy lattice
   (:func:`analysis.privacy.lattice_gaps`).
6. **Policy checks** from the facilities and areas layers (see :func:`policy_checks`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from analysis.privacy import lattice_gaps, public_table, round_count
from geo.crs import require_metric
from geo.errors import InputError, LayerError
from geo.i18n import Note
from geo.layers import Layers
from geo.network import (
    NearestSource,
    RoadNetwork,
    SnapResult,
    build_network,
    nearest_by_group,
    service_areas,
    snap_points,
)
from geo.schemas import FACILITY_KINDS, WATER_KINDS
from geo.settings import CoverageSettings, Language, Settings, get_settings

__all__ = [
    "REACH",
    "CoverageNote",
    "CoverageResult",
    "assess_coverage",
    "nearest_by_kind",
    "policy_checks",
    "service_areas",
]

#: How a household reaches the service network: ``ok`` (a covering facility is reachable along
#: roads, whatever the distance), ``too_far_from_road`` (not snapped: farther than the snap limit
#: from every road, or every nearby road lies across a water), ``unreachable`` (on the road
#: network, but no covering facility in its connected part).
REACH = ("ok", "too_far_from_road", "unreachable")

#: Chinese names of the facility kinds (as in geo.i18n), used in findings.
_KIND_ZH = {
    "children_home": "儿童之家",
    "township_workstation": "未成年人保护工作站",
    "county_institution": "未成年人救助保护机构",
    "welfare_institution": "儿童福利机构",
    "other_station": "其他站点",
}

_COUNTS = ("children", "left_behind", "in_difficulty")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class CoverageNote(Note):
    """A remark about the run (a facility kind absent, households off the road...): a
    :class:`geo.i18n.Note` whose code is one of :mod:`geo.messages.coverage`."""

    @property
    def zh(self) -> str:
        """The note in Chinese."""
        return self.render("zh")

    @property
    def en(self) -> str:
        """The note in English."""
        return self.render("en")

    def text(self, lang: Language = "zh") -> str:
        """The note in ``lang`` (``zh`` or ``en``)."""
        return self.render(lang)


@dataclass(frozen=True, eq=False)
class CoverageResult:
    """Walking coverage of the service network, per household and per place.

    Attributes
    ----------
    households
        One row per household (metric CRS): ``id``, ``village_code``, ``township_code``,
        ``children``, ``left_behind``, ``in_difficulty``; per facility kind ``dist_<kind>_m``
        (walking distance in m, NaN when unreachable or the kind is absent) and
        ``nearest_<kind>`` (facility id); ``dist_m`` / ``nearest_facility`` (the nearest
        covering facility), ``covered`` (``dist_m <= standard_m``), ``reach`` (one of
        :data:`REACH`), ``snap_reason`` and ``connector_m``.
    facilities
        The facilities layer with ``snapped``, ``snap_reason`` and ``connector_m``.
    service_areas
        One polygon per snapped facility: ``facility_id``, ``name``, ``kind``, ``reached_road_m``.
    villages, townships, county
        Coverage tables: ``code``, ``name``, ``households``, counts of children (all,
        left-behind, in difficulty) and of those within the standard (``*_covered``), their
        shares (``share_*``), ``median_dist_m`` and ``p90_dist_m`` (per child, NaN when that
        share of children cannot reach any covering facility), ``households_beyond``,
        ``children_beyond``; villages add ``homes``, ``priority_children`` (left-behind plus in
        difficulty) and ``directors_needed``; townships ``workstations``; counties
        ``institutions``.
    gaps
        Gap areas (polygons): ``gap_id``, ``households``, ``children``, ``left_behind``,
        ``in_difficulty``, ``village_code``, ``village_name`` (the village holding most of their
        children), ``small`` (fewer than ``min_gap_households`` households).
    checks
        One row per policy finding: ``rule``, ``level``, ``place_code``, ``place_name``,
        ``facility_id``, ``finding`` (Chinese), ``finding_en``, ``missing``; no geometry.
    areas
        The areas layer (metric CRS), for maps.
    standard_m
        The walking standard used.
    covering_kinds
        The facility kinds that count for ``covered``.
    notes
        Remarks (absent facility kinds, households off the road...).
    public_view
        Whether this is the view of a role without household access (:meth:`public`): no
        household rows, gaps made of lattice cells, counts rounded.
    """

    households: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    service_areas: gpd.GeoDataFrame
    villages: pd.DataFrame
    townships: pd.DataFrame
    county: pd.DataFrame
    gaps: gpd.GeoDataFrame
    checks: pd.DataFrame
    areas: gpd.GeoDataFrame
    standard_m: float
    covering_kinds: tuple[str, ...]
    notes: tuple[CoverageNote, ...]
    public_view: bool = False

    def total(self, column: str, *, uncovered: bool = False) -> int:
        """Children counted by ``column`` (``children``, ``left_behind``, ``in_difficulty``) in
        every household, or only in the uncovered ones; from the rounded county table in a
        public view."""
        if self.public_view:
            c = self.county
            covered = pd.to_numeric(c[f"{column}_covered"], errors="coerce").fillna(0).sum()
            alls = pd.to_numeric(c[column], errors="coerce").fillna(0).sum()
            return int(alls - covered) if uncovered else int(alls)
        h = self.households
        if uncovered:
            return int(h.loc[~h["covered"].astype(bool), column].sum())
        return int(h[column].sum())

    @property
    def children(self) -> int:
        """Children in every household."""
        return self.total("children")

    @property
    def children_covered(self) -> int:
        """Children within the walking standard of a covering facility."""
        return self.children - self.total("children", uncovered=True)

    def public(self, settings: Settings, *, cell_m: float | None = None) -> CoverageResult:
        """The view of a role without household access (issue 15, README "Privacy").

        No household rows; gaps are the lattice cells holding uncovered households
        (:func:`analysis.privacy.lattice_gaps`, ``cell_m`` wide, ``settings.privacy.cell_m`` by
        default); village, township and county tables go through
        :func:`analysis.privacy.public_table` (small groups withheld, counts rounded to
        ``settings.privacy.round_base``), and the policy findings are written from the rounded
        village table. Service areas (roads) and facilities are kept. Applying it to a public
        view returns it unchanged.
        """
        if self.public_view:
            return self
        privacy = settings.privacy
        h = self.households
        names = dict(
            zip(self.areas["code"].astype(str), self.areas["name"].astype(str), strict=True)
        )
        gaps = lattice_gaps(
            h.loc[~h["covered"].astype(bool)],
            village_names=names,
            settings=privacy,
            min_gap_households=settings.coverage.min_gap_households,
            cell_m=cell_m,
        )
        villages = public_table(self.villages, settings=privacy)
        return dataclasses.replace(
            self,
            households=h.iloc[0:0].copy(),
            villages=villages,
            townships=public_table(self.townships, settings=privacy),
            county=public_table(self.county, settings=privacy),
            gaps=gaps,
            checks=policy_checks(self.facilities, self.areas, villages, settings=settings),
            notes=tuple(_public_note(n, privacy.round_base) for n in self.notes),
            public_view=True,
        )

    @property
    def share_covered(self) -> float:
        """Share of children covered (NaN when there are no children)."""
        return self.children_covered / self.children if self.children else math.nan


#: Notes that open with a count of households.
_HOUSEHOLD_NOTES = ("off_road", "unreachable")


def _public_note(note: CoverageNote, base: int) -> CoverageNote:
    """``note`` with its count of households rounded to ``base`` (public views)."""
    if note.code not in _HOUSEHOLD_NOTES:
        return note
    n = round_count(int(note.params["n"]), base=base)  # type: ignore[call-overload]
    return CoverageNote(note.code, {**note.params, "n": n})


# --------------------------------------------------------------------------------------------
# distances
# --------------------------------------------------------------------------------------------


def nearest_by_kind(
    network: RoadNetwork,
    facilities: SnapResult,
    households: SnapResult,
    groups: Mapping[str, BoolArray],
) -> dict[str, NearestSource]:
    """Walking distance from every household to the nearest facility of each group.

    Parameters
    ----------
    network
        The road network both point sets were snapped onto.
    facilities, households
        Snapped points.
    groups
        Group name -> boolean mask over the rows of ``facilities.table`` (e.g. one group per
        facility kind, and one for the covering kinds).

    Returns
    -------
    dict
        Group name -> :class:`geo.network.NearestSource` (``distance_m`` with ``inf`` when
        unreachable, ``nearest_source`` row position in ``facilities.table`` or -1, ``reason``).

    Notes
    -----
    The facilities and households are placed on their edges once (the stub graph of
    :func:`geo.network.distances_from`: one stub node per facility, linked to both ends of its
    edge, households not inserted); then one ``dijkstra(min_only=True)`` runs per group from
    the stubs of its facilities, and each household takes the better of its edge's two ends (or
    a facility of the group on its own edge). The result equals
    :func:`geo.network.distances_from` on each group's facilities, without placing the points
    again for every group.
    """
    return nearest_by_group(network, facilities, households, groups)


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------


def _weighted_quantile(values: FloatArray, weights: FloatArray, q: float) -> float:
    """Inverted-CDF quantile of ``values`` weighted by ``weights``; NaN when it is infinite."""
    total = float(weights.sum())
    if total <= 0:
        return math.nan
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    i = int(np.searchsorted(cum, q * total, side="left"))
    v = float(values[order][min(i, len(values) - 1)])
    return v if math.isfinite(v) else math.nan


def _summarise(h: pd.DataFrame, key: str) -> pd.DataFrame:
    """Coverage figures of the households grouped by ``key``."""
    rows: list[dict[str, object]] = []
    for code, g in h.groupby(key, sort=True):
        covered = g["covered"].to_numpy(dtype=bool)
        dist = g["_dist"].to_numpy(dtype=float)
        w = g["children"].to_numpy(dtype=float)
        row: dict[str, object] = {"code": code, "households": len(g)}
        for c in _COUNTS:
            total = int(g[c].sum())
            cov = int(g.loc[covered, c].sum())
            row[c] = total
            row[f"{c}_covered"] = cov
            row[f"share_{c}"] = cov / total if total else math.nan
        row["median_dist_m"] = _weighted_quantile(dist, w, 0.5)
        row["p90_dist_m"] = _weighted_quantile(dist, w, 0.9)
        row["households_beyond"] = int((~covered).sum())
        row["children_beyond"] = int(g.loc[~covered, "children"].sum())
        rows.append(row)
    cols = [
        "code",
        "households",
        *[x for c in _COUNTS for x in (c, f"{c}_covered")],
        *[f"share_{c}" for c in _COUNTS],
        "median_dist_m",
        "p90_dist_m",
        "households_beyond",
        "children_beyond",
    ]
    return pd.DataFrame(rows, columns=cols)


def _with_places(
    table: pd.DataFrame, areas: pd.DataFrame, level: str, parent_col: str | None
) -> pd.DataFrame:
    """Every area of ``level`` (even without households), named, with the table's figures."""
    places = areas.loc[areas["level"] == level, ["code", "name", "parent_code"]].copy()
    places["code"] = places["code"].astype(str)
    places["parent_code"] = places["parent_code"].astype("string")
    out = places.merge(table, on="code", how="left")
    for c in ("households", *_COUNTS, *[f"{c}_covered" for c in _COUNTS]):
        out[c] = out[c].fillna(0).astype(np.int64)
    for c in ("households_beyond", "children_beyond"):
        out[c] = out[c].fillna(0).astype(np.int64)
    if parent_col is None:
        out = out.drop(columns=["parent_code"])
    else:
        names = areas.set_index(areas["code"].astype(str))["name"]
        out = out.rename(columns={"parent_code": parent_col})
        out.insert(
            int(out.columns.get_loc(parent_col)) + 1,  # type: ignore[arg-type,unused-ignore]
            parent_col.replace("_code", "_name"),
            out[parent_col].map(names),
        )
    return out.reset_index(drop=True)


def _facilities_in(
    facilities: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, kind: str, level: str
) -> pd.Series:
    """Number of facilities of ``kind`` per area of ``level``: by ``area_code``, or, when a
    facility has no ``area_code``, by the polygon it stands in."""
    places = areas.loc[areas["level"] == level]
    codes = places["code"].astype(str)
    fac = facilities.loc[facilities["kind"] == kind]
    code = (
        fac["area_code"].astype("string")
        if "area_code" in fac
        else pd.Series(pd.NA, index=fac.index, dtype="string")
    )
    counts = pd.Series(0, index=codes.to_numpy(), dtype=np.int64)
    known = code.isin(set(codes)).fillna(False).to_numpy(dtype=bool)
    for c in code[known]:
        counts[str(c)] += 1
    rest = fac.loc[~known]
    if len(rest) and len(places):
        hit = gpd.sjoin(rest[["geometry"]], places[["code", "geometry"]], predicate="within")
        for c in hit["code"].astype(str):
            counts[c] += 1
    return counts


def policy_checks(
    facilities: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    villages: pd.DataFrame,
    *,
    settings: Settings,
) -> pd.DataFrame:
    """The service-network policy findings (DOMAIN.md, service network), one row each.

    Rules, in this order:

    * ``county_without_institution``: a county with no ``county_institution``;
    * ``township_without_workstation``: a township with no ``township_workstation``;
    * ``village_without_home``: a village with no ``children_home``;
    * ``home_too_small``: a children's home under ``Settings.min_children_home_area_m2``
      (30 m²); ``home_area_unknown`` when its floor area is not recorded;
    * ``village_second_director``: a village with more than
      ``Settings.second_director_threshold`` (30) left-behind plus in-difficulty children needs
      a second children's director (``villages.directors_needed`` is 2, else 1).

    A facility belongs to the area named by its ``area_code``, or, without one, to the polygon
    it stands in.

    Returns
    -------
    pandas.DataFrame
        ``rule``, ``level``, ``place_code``, ``place_name``, ``facility_id``, ``finding``
        (Chinese), ``finding_en``, ``missing``.
    """
    names = dict(zip(areas["code"].astype(str), areas["name"].astype(str), strict=True))
    rows = [
        *_missing_facilities(facilities, areas, names),
        *_homes_checked(facilities, settings.min_children_home_area_m2),
        *_second_directors(villages, settings.second_director_threshold),
    ]
    for row in rows:
        row["place_name"] = names.get(str(row["place_code"]), str(row["place_code"]))
    return pd.DataFrame(rows, columns=list(_CHECK_COLUMNS))


#: The columns of :func:`policy_checks`.
_CHECK_COLUMNS = ("rule", "level", "place_code", "place_name", "facility_id", "finding",
                  "finding_en", "missing")  # fmt: skip


def _finding(
    rule: str, level: str, code: str, finding: str, en: str, missing: str, fid: object = None
) -> dict[str, object]:
    """One policy finding (its ``place_name`` is filled in by :func:`policy_checks`)."""
    return {"rule": rule, "level": level, "place_code": code, "place_name": "",
            "facility_id": fid, "finding": finding, "finding_en": en, "missing": missing}  # fmt: skip


def _missing_facilities(
    facilities: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, names: Mapping[str, str]
) -> list[dict[str, object]]:
    """A county without an institution, a township without a workstation, a village without
    a children's home."""
    rows = []
    for level, kind, rule in (
        ("county", "county_institution", "county_without_institution"),
        ("township", "township_workstation", "township_without_workstation"),
        ("village", "children_home", "village_without_home"),
    ):
        counts = _facilities_in(facilities, areas, kind, level)
        for code, k in counts.items():
            if k == 0:
                nm = names.get(str(code), str(code))
                zh = f"{nm}没有{_KIND_ZH[kind]}"
                en = f"{level} {nm} has no {kind.replace('_', ' ')}"
                rows.append(_finding(rule, level, str(code), zh, en, _KIND_ZH[kind]))
    return rows


def _homes_checked(facilities: gpd.GeoDataFrame, min_area: float) -> list[dict[str, object]]:
    """Children's homes below the minimum floor area, or without one recorded."""
    rows = []
    homes = facilities.loc[facilities["kind"] == "children_home"]
    for _, f in homes.iterrows():
        area = f.get("floor_area_m2")
        code = f.get("area_code")
        code_s = "" if code is None or pd.isna(code) else str(code)
        if area is None or pd.isna(area):
            zh = f"{f['name']}未登记室内面积,无法核实是否达到 {min_area:g} 平方米"
            en = f"{f['name']} has no floor area recorded; cannot check the {min_area:g} m² minimum"
            rows.append(
                _finding("home_area_unknown", "village", code_s, zh, en, "面积登记", f["id"])
            )
        elif float(area) < min_area:
            zh = f"{f['name']}室内面积 {float(area):g} 平方米,低于 {min_area:g} 平方米"
            en = f"{f['name']} has {float(area):g} m², below the {min_area:g} m² minimum"
            need = f"至少 {min_area:g} 平方米安全室内活动场所"
            rows.append(_finding("home_too_small", "village", code_s, zh, en, need, f["id"]))
    return rows


def _second_directors(villages: pd.DataFrame, threshold: int) -> list[dict[str, object]]:
    """Villages over the threshold of priority children: they need a second director."""
    rows = []
    for _, v in villages.iterrows():
        if int(v["directors_needed"]) > 1:
            n = int(v["priority_children"])
            zh = f"{v['name']}留守和困境儿童共 {n} 人(超过 {threshold} 人),需配备第二名儿童主任"
            en = (
                f"{v['name']} has {n} left-behind plus in-difficulty children (over {threshold}); "
                "it needs a second children's director"
            )
            rows.append(
                _finding(
                    "village_second_director", "village", str(v["code"]), zh, en, "第二名儿童主任"
                )
            )
    return rows


# --------------------------------------------------------------------------------------------
# gaps
# --------------------------------------------------------------------------------------------


def _gap_areas(
    h: gpd.GeoDataFrame, village_names: Mapping[str, str], *, radius_m: float, min_households: int
) -> gpd.GeoDataFrame:
    """Cluster the uncovered households into gap polygons (single linkage at ``2 r``)."""
    cols = ["gap_id", *("households", *_COUNTS), "village_code", "village_name", "small"]
    gone = h.loc[~h["covered"].to_numpy(dtype=bool)]
    if len(gone) == 0:
        return gpd.GeoDataFrame(
            {c: [] for c in cols}, geometry=gpd.GeoSeries([], crs=h.crs), crs=h.crs
        )
    xy = shapely.get_coordinates(gone.geometry.to_numpy())
    pairs = cKDTree(xy).query_pairs(r=2 * radius_m, output_type="ndarray")
    n = len(xy)
    adj = csr_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, label = connected_components(adj, directed=False)
    circles = shapely.buffer(gone.geometry.to_numpy(), radius_m, quad_segs=8)
    frame = pd.DataFrame(
        {
            "label": label,
            "village_code": gone["village_code"].astype(str).to_numpy(),
            **{c: gone[c].to_numpy(dtype=np.int64) for c in _COUNTS},
        }
    )
    # per cluster: its size, its counts, and the village holding most of its children (the
    # first village code in order on a tie), in one groupby each
    sums = frame.groupby("label", sort=True)[list(_COUNTS)].sum()
    per_village = frame.groupby(["label", "village_code"], sort=True)["children"].sum()
    code = per_village.groupby(level="label").idxmax().map(lambda key: str(key[1]))
    rows = pd.DataFrame(
        {
            "label": sums.index.to_numpy(),
            "households": frame.groupby("label", sort=True).size().to_numpy(),
            **{c: sums[c].to_numpy(dtype=np.int64) for c in _COUNTS},
            "village_code": code.loc[sums.index].to_numpy(dtype=object),
        }
    )
    rows["village_name"] = [village_names.get(c, c) for c in rows["village_code"]]
    rows["small"] = rows["households"] < min_households
    order = np.argsort(label, kind="stable")
    members = np.split(order, np.flatnonzero(np.diff(label[order])) + 1)
    geoms = [shapely.union_all(circles[m]) for m in members]
    out = gpd.GeoDataFrame(rows, geometry=geoms, crs=h.crs)
    out = out.sort_values(["children", "households", "label"], ascending=[False, False, True])
    out.insert(0, "gap_id", [f"G{i + 1:03d}" for i in range(len(out))])
    return out.drop(columns=["label"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# the whole assessment
# --------------------------------------------------------------------------------------------


def _check_standard(standard_m: float) -> float:
    if not (isinstance(standard_m, int | float) and math.isfinite(standard_m) and standard_m > 0):
        msg = (
            f"the walking standard must be a distance above 0 m, got {standard_m!r}; "
            "use e.g. 1000 (the 15-minute circle, GB 50180-2018: 800-1,000 m)"
        )
        raise InputError(msg)
    return float(standard_m)


def _check_kinds(kinds: Sequence[str], allowed: Sequence[str], what: str) -> None:
    bad = [k for k in kinds if k not in allowed]
    if bad:
        msg = f"unknown {what} {bad}; expected some of {list(allowed)}"
        raise InputError(msg)


def _counts(frame: pd.DataFrame, col: str) -> NDArray[np.int64]:
    if col not in frame:
        return np.zeros(len(frame), dtype=np.int64)
    counts: NDArray[np.int64] = (
        pd.to_numeric(frame[col], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    )
    return counts


def _estimated(households: pd.DataFrame) -> int:
    """Households whose point is estimated (``location_estimated``, see geo.roster)."""
    if "location_estimated" not in households:
        return 0
    return int(households["location_estimated"].fillna(False).astype(bool).sum())


def assess_coverage(
    layers: Layers,
    *,
    settings: Settings | None = None,
    standard_m: float | None = None,
    network: RoadNetwork | None = None,
) -> CoverageResult:
    """Walking coverage of the children's service network, its gaps and the policy checks.

    Parameters
    ----------
    layers
        Validated layers; moved to their metric CRS (:meth:`Layers.to_metric`) when they are in
        longitude/latitude.
    settings
        ``walking_standard_m``, ``snap_limit_m``, ``min_children_home_area_m2``,
        ``second_director_threshold`` and ``coverage`` (:class:`geo.settings.CoverageSettings`);
        ``None`` for :func:`geo.settings.get_settings`.
    standard_m
        Walking standard ``S`` in metres (``settings.walking_standard_m`` when None); must be
        above 0. A household at exactly ``S`` is covered.
    network
        A road network already built from ``layers.roads`` in the same metric CRS (built here
        when None).

    Returns
    -------
    CoverageResult

    Raises
    ------
    InputError
        ``standard_m`` is not above 0, or a kind in the settings is unknown.
    LayerError
        The households or facilities miss a needed column.
    NetworkError
        The roads cannot make a network.

    Notes
    -----
    ``covered(h) = min_{k in K} d_k(h) <= S`` with ``K = settings.coverage.covering_kinds`` and
    ``d_k`` the walking distance along roads, connectors included (see the module docstring).
    """
    settings = settings if settings is not None else get_settings()
    cs = settings.coverage
    standard = _check_standard(settings.walking_standard_m if standard_m is None else standard_m)
    layers = _checked_layers(layers, cs)
    net = network if network is not None else build_network(layers.roads)
    notes: list[CoverageNote] = []
    h_snap, f_snap, groups, nearest = _nearest_facilities(layers, net, settings)
    fac_layer = layers.facilities
    fac_ids = fac_layer["id"].astype(str).to_numpy()
    areas = layers.areas
    codes = areas["code"].astype(str)
    parent = dict(zip(codes, areas["parent_code"].astype("string"), strict=True))
    h = _household_table(layers.households, parent, nearest, fac_ids, h_snap, standard, notes)
    notes += _reach_notes(h, layers.households, f_snap, fac_ids, groups, settings)
    snap = f_snap.table
    fac = fac_layer.assign(snapped=f_snap.snapped, snap_reason=snap["reason"].to_numpy(),
                           connector_m=snap["connector_m"].to_numpy())  # fmt: skip
    sa = _service_area_table(net, f_snap, fac_layer, standard, cs.service_area_buffer_m)
    h["county_code"] = h["township_code"].map(parent).astype("string")
    villages, townships, county = _area_tables(h, fac, areas, settings)
    checks = policy_checks(fac, areas, villages, settings=settings)
    names = dict(zip(codes, areas["name"].astype(str), strict=True))
    gaps = _gap_areas(h, names, radius_m=cs.gap_cluster_m, min_households=cs.min_gap_households)
    return CoverageResult(
        households=h.drop(columns=["_dist", "county_code"]),
        facilities=fac,
        service_areas=sa,
        villages=villages,
        townships=townships,
        county=county,
        gaps=gaps,
        checks=checks,
        areas=areas,
        standard_m=standard,
        covering_kinds=tuple(cs.covering_kinds),
        notes=tuple(notes),
    )


def _nearest_facilities(
    layers: Layers, net: RoadNetwork, settings: Settings
) -> tuple[SnapResult, SnapResult, dict[str, BoolArray], dict[str, NearestSource]]:
    """Households and facilities snapped once (barrier waters not crossed), then one
    multi-source Dijkstra per facility kind and one for the covering kinds (``_covering``)."""
    cs = settings.coverage
    waters = layers.waters
    barriers = waters.loc[waters["kind"].isin(cs.barrier_kinds)] if len(waters) else None
    limit = settings.snap_limit_m
    h_snap = snap_points(net, layers.households.geometry, limit_m=limit, barriers=barriers)
    f_snap = snap_points(net, layers.facilities.geometry, limit_m=limit, barriers=barriers)
    kinds = layers.facilities["kind"].astype(str).to_numpy()
    present = [k for k in FACILITY_KINDS if (kinds == k).any()]
    groups: dict[str, BoolArray] = {k: kinds == k for k in present}
    groups["_covering"] = np.isin(kinds, cs.covering_kinds)
    return h_snap, f_snap, groups, nearest_by_kind(net, f_snap, h_snap, groups)


def _checked_layers(layers: Layers, cs: CoverageSettings) -> Layers:
    """``layers`` in metres, once the settings' kinds and the needed columns are checked."""
    _check_kinds(cs.covering_kinds, FACILITY_KINDS, "covering facility kinds")
    _check_kinds(cs.barrier_kinds, WATER_KINDS, "barrier water kinds")
    if not layers.crs.is_projected:
        layers = layers.to_metric()
    for name, cols in (("households", ("id", "village_code")), ("facilities", ("id", "kind"))):
        missing = [c for c in cols if c not in layers[name]]
        if missing:
            msg = f"the {name} layer lacks column(s) {missing}; add them (see `tongan schema`)"
            raise LayerError(msg)
    require_metric(layers.households, layer="households")
    return layers


def _household_table(
    hh_layer: gpd.GeoDataFrame,
    parent: Mapping[str, object],
    nearest: Mapping[str, NearestSource],
    fac_ids: NDArray[np.object_],
    h_snap: SnapResult,
    standard: float,
    notes: list[CoverageNote],
) -> gpd.GeoDataFrame:
    """Each household with its distance to the nearest facility of each kind, the covering
    one, whether it is covered and how it reached the roads (a note per absent kind)."""
    h = gpd.GeoDataFrame(
        {
            "id": hh_layer["id"].astype(str).to_numpy(),
            "village_code": hh_layer["village_code"].astype(str).to_numpy(),
            **{c: _counts(hh_layer, c) for c in _COUNTS},
        },
        geometry=hh_layer.geometry.to_numpy(),
        crs=hh_layer.crs,
        index=hh_layer.index,
    )
    h.insert(2, "township_code", h["village_code"].map(parent).astype("string"))

    def ids(pos: IntArray) -> pd.Series:
        out = pd.Series(pd.NA, index=h.index, dtype="string")
        ok = pos >= 0
        out[ok] = fac_ids[pos[ok]]
        return out

    for k in FACILITY_KINDS:
        if k in nearest:
            d = nearest[k].distance_m
            h[f"dist_{k}_m"] = np.where(np.isfinite(d), d, np.nan)
            h[f"nearest_{k}"] = ids(nearest[k].nearest_source)
        else:
            h[f"dist_{k}_m"] = np.nan
            h[f"nearest_{k}"] = pd.Series(pd.NA, index=h.index, dtype="string")
            notes.append(CoverageNote(f"absent_{k}"))
    cov = nearest["_covering"]
    d_cov = cov.distance_m
    h["dist_m"] = np.where(np.isfinite(d_cov), d_cov, np.nan)
    h["nearest_facility"] = ids(cov.nearest_source)
    h["covered"] = d_cov <= standard
    snapped = h_snap.snapped
    h["reach"] = np.where(
        ~snapped, "too_far_from_road", np.where(np.isfinite(d_cov), "ok", "unreachable")
    )
    h["snap_reason"] = h_snap.table["reason"].to_numpy()
    h["connector_m"] = h_snap.table["connector_m"].to_numpy()
    h["_dist"] = d_cov
    return h


def _reach_notes(
    h: gpd.GeoDataFrame,
    hh_layer: gpd.GeoDataFrame,
    f_snap: SnapResult,
    fac_ids: NDArray[np.object_],
    groups: Mapping[str, BoolArray],
    settings: Settings,
) -> list[CoverageNote]:
    """What limits the result: no covering facility, estimated locations, households off the
    roads or unreachable, facilities off the roads."""
    cs = settings.coverage
    notes: list[CoverageNote] = []
    if not groups["_covering"].any():
        kinds = {
            "kinds_zh": "、".join(_KIND_ZH[k] for k in cs.covering_kinds),
            "kinds_en": str(list(cs.covering_kinds)),
        }
        notes.append(CoverageNote("no_covering", kinds))
    n_est = _estimated(hh_layer)
    if n_est:  # issue 22: roster rows placed along their village's roads
        notes.append(CoverageNote("estimated_locations", {"n": n_est}))
    n_off = int((h["reach"] == "too_far_from_road").sum())
    if n_off:
        notes.append(CoverageNote("off_road", {"n": n_off, "limit_m": settings.snap_limit_m}))
    n_unr = int((h["reach"] == "unreachable").sum())
    if n_unr:
        notes.append(CoverageNote("unreachable", {"n": n_unr}))
    f_off = ~f_snap.snapped
    if f_off.any():
        ids = {
            "n": int(f_off.sum()),
            "ids_zh": "、".join(fac_ids[f_off]),
            "ids_en": ", ".join(fac_ids[f_off]),
        }
        notes.append(CoverageNote("facility_off_road", ids))
    return notes


def _service_area_table(
    net: RoadNetwork,
    f_snap: SnapResult,
    fac_layer: gpd.GeoDataFrame,
    standard: float,
    buffer_m: float,
) -> gpd.GeoDataFrame:
    """Each facility's walking service area within ``standard`` metres."""
    fac_ids = fac_layer["id"].astype(str).to_numpy()
    kinds = fac_layer["kind"].astype(str).to_numpy()
    names = fac_layer["name"].astype(str).to_numpy() if "name" in fac_layer else None
    rows = service_areas(net, f_snap, standard_m=standard, buffer_m=buffer_m)
    return gpd.GeoDataFrame(
        {
            "facility_id": [fac_ids[p] for p, _, _ in rows],
            "name": [str(names[p]) if names is not None else "" for p, _, _ in rows],
            "kind": [kinds[p] for p, _, _ in rows],
            "reached_road_m": [length for _, length, _ in rows],
        },
        geometry=gpd.GeoSeries([g for _, _, g in rows], crs=net.crs),
        crs=net.crs,
    )


def _area_tables(
    h: gpd.GeoDataFrame, fac: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Villages (homes, priority children, directors needed), townships (workstations) and
    the county (institutions), each with its coverage figures."""
    villages = _with_places(_summarise(h, "village_code"), areas, "village", "township_code")
    homes = _facilities_in(fac, areas, "children_home", "village")
    villages["homes"] = villages["code"].map(homes).fillna(0).astype(np.int64)
    villages["priority_children"] = villages["left_behind"] + villages["in_difficulty"]
    villages["directors_needed"] = np.where(
        villages["priority_children"] > settings.second_director_threshold, 2, 1
    )
    townships = _with_places(_summarise(h, "township_code"), areas, "township", "county_code")
    ws = _facilities_in(fac, areas, "township_workstation", "township")
    townships["workstations"] = townships["code"].map(ws).fillna(0).astype(np.int64)
    county = _with_places(_summarise(h, "county_code"), areas, "county", None)
    inst = _facilities_in(fac, areas, "county_institution", "county")
    county["institutions"] = county["code"].map(inst).fillna(0).astype(np.int64)
    return villages, townships, county


# --------------------------------------------------------------------------------------------
# the analysis contract (analysis.registry): the coverage page, /api/coverage, its OGC
# collection, ``tongan coverage`` and its ``tongan province`` stage
# --------------------------------------------------------------------------------------------

import datetime as dt  # noqa: E402

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from analysis.county import CountyLayers, StageOutput  # noqa: E402
from analysis.registry import (  # noqa: E402
    Analysis,
    Collection,
    Figure,
    Inputs,
    View,
    allowed_standard,
    map_cells,
    register,
)


class CoverageParams(BaseModel):
    """Parameters of the coverage analysis."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    standard_m: float | None = Field(
        None, gt=0, le=10_000, description="步行标准(米) / walking standard (m)"
    )


@dataclass(frozen=True, eq=False)
class CoverageRun:
    """A coverage result and its uncovered households counted in hexagons (the map's and the
    files' cells, :func:`analysis.registry.map_cells`), counted before any public view."""

    result: CoverageResult
    cells: gpd.GeoDataFrame


def _run(inputs: Inputs, params: CoverageParams) -> CoverageRun:
    standard = allowed_standard(
        params.standard_m, authorised=inputs.authorised, settings=inputs.settings
    )
    result = assess_coverage(inputs.metric, settings=inputs.settings, standard_m=standard)
    h = result.households
    uncovered = h.loc[~h["covered"].astype(bool)]
    columns = ["children", "left_behind", "in_difficulty"]
    return CoverageRun(result, map_cells(uncovered, columns, settings=inputs.settings))


def _public(run: CoverageRun, settings: Settings) -> CoverageRun:
    return CoverageRun(run.result.public(settings), run.cells)


def _gaps(result: CoverageResult, view: View) -> gpd.GeoDataFrame:
    gaps = result.gaps
    return gaps if view.authorised else gaps.loc[~gaps["small"].astype(bool)]


def _tables(run: CoverageRun, view: View) -> dict[str, pd.DataFrame]:
    result = run.result
    tables: dict[str, pd.DataFrame] = {
        "villages": result.villages,
        "townships": result.townships,
        "county": result.county,
        "checks": result.checks,
        "gaps": _gaps(result, view),
        "service_areas": result.service_areas,
        "facilities": result.facilities,
    }
    if view.authorised:
        tables["households"] = result.households
    else:
        tables["household_cells"] = run.cells
    return tables


def _figures(run: CoverageRun, view: View) -> list[Figure]:
    result = run.result
    gaps = int((~result.gaps["small"].astype(bool)).sum()) if len(result.gaps) else 0
    return [
        Figure("fig_standard_m", result.standard_m, ".0f"),
        Figure("fig_children", str(result.children)),
        Figure("fig_children_within", str(result.children_covered)),
        Figure("fig_share_covered", result.share_covered, ".1%"),
        Figure("fig_left_behind_uncovered", str(result.total("left_behind", uncovered=True))),
        Figure("fig_difficulty_uncovered", str(result.total("in_difficulty", uncovered=True))),
        Figure("fig_gap_areas", str(gaps)),
        Figure("fig_policy_findings", str(len(result.checks))),
    ]


def _notes(run: CoverageRun) -> tuple[Note, ...]:
    return tuple(run.result.notes)


_COVERAGE_FIGURES = (
    "households",
    "children",
    "children_covered",
    "left_behind",
    "left_behind_covered",
    "in_difficulty",
    "in_difficulty_covered",
    "share_children",
    "households_beyond",
)


def coverage_stage(
    county: CountyLayers, settings: Settings, date: dt.date, *, authorised: bool = False
) -> StageOutput:
    """Walking coverage (:func:`analysis.coverage.assess_coverage`) of the county's households.

    Households, villages, townships and policy findings go by their codes, facilities, service
    areas and gap areas by location. Household rows (personal data of minors) and small gaps
    are written only when ``authorised``; otherwise the stage writes
    :meth:`analysis.coverage.CoverageResult.public` (gaps of lattice cells, counts rounded to
    ``privacy.round_base``). Figures: :data:`_COVERAGE_FIGURES`, ``gaps`` and ``findings``.
    """
    del date  # coverage does not depend on the day
    r = assess_coverage(county.layers, settings=settings)
    if not authorised:  # lattice gaps, rounded counts (issue 15)
        r = r.public(settings)
    places = county.places
    villages = r.villages.loc[r.villages["code"].astype(str).isin(county.villages)]
    townships = r.townships.loc[r.townships["code"].astype(str).isin(county.townships)]
    own = r.county.loc[r.county["code"].astype(str) == county.code]
    checks = r.checks.loc[r.checks["place_code"].astype(str).isin(places)]
    facilities = r.facilities.loc[county.owns(r.facilities.geometry)]
    areas_ = r.service_areas.loc[r.service_areas["facility_id"].isin(facilities["id"])]
    gaps = r.gaps.loc[county.owns(r.gaps.geometry)]
    tables: dict[str, pd.DataFrame] = {
        "villages": villages,
        "townships": townships,
        "checks": checks,
        "facilities": facilities,
        "service_areas": areas_,
        "gaps": gaps if authorised else gaps.loc[~gaps["small"].astype(bool)],
    }
    if authorised:
        hh = r.households
        tables["households"] = hh.loc[hh["village_code"].astype(str).isin(county.villages)]
    figures = {
        c: float(pd.to_numeric(own[c]).astype(float).iloc[0]) if len(own) else 0.0
        for c in _COVERAGE_FIGURES
    }
    figures |= {"gaps": float(len(gaps)), "findings": float(len(checks))}
    towns = townships.rename(columns={"code": "township_code", "name": "township_name"})
    towns = towns[["township_code", "township_name", *_COVERAGE_FIGURES]]
    return StageOutput(
        tables={k: v.reset_index(drop=True) for k, v in tables.items()},
        figures=figures,
        townships=towns.reset_index(drop=True),
    )


ANALYSIS = register(
    Analysis(
        name="coverage",
        title="page_coverage_title",
        question="page_coverage_question",
        params=CoverageParams,
        run=_run,
        order=20,
        tables=_tables,
        figures=_figures,
        notes=_notes,
        public=_public,
        needs=("households", "facilities", "roads", "areas"),
        network=True,
        collections=(
            Collection(
                "gap_areas",
                "覆盖缺口区域 gap areas",
                "Households beyond the walking standard: clusters for authorised roles; otherwise "
                "groups of adjacent hexagon cells, each with at least the minimum households, "
                "counts rounded.",
                lambda run, view: _gaps(run.result, view),
            ),
        ),
        stage=coverage_stage,
    )
)
