"""Where to open the next children's homes and stations: location models on walking distances.

The geo adapter of :mod:`analysis.locate`: households (the demand, weighted by the children who
count for the service) and sites (existing facilities, kept open, and candidates) are snapped onto
the road network, the walking distances of the (site, household) pairs within the standard (the
p-median search limit for p-median) come from a many-to-many Dijkstra run in blocks of sites
(:func:`geo.network.distance_pairs`), and the chosen model is solved on those sparse pairs: no
dense sites x households matrix is ever made, so a county (200,000 households) fits. Generated
candidates are capped at ``settings.siting.max_candidates`` by coarsening their grid. Memory and
time grow with the (site, household) pairs within the standard, not with sites x households: on
the synthetic county (200,000 households, 250,000 road nodes, 1,764 generated candidates after
the cap) MCLP takes under 10 s, network build included, and about 1.3 GB
(``benchmarks/bench_siting.py --scale 1.0``).

A household is *covered* when an open site lies within the walking standard ``s`` along roads
(``settings.walking_standard_m``, the 15-minute service circle, by default):
``covered_i = [min_j d_ij <= s]``. The demand weight of household ``i`` is

    w_i = weight_children * children_i + weight_left_behind * left_behind_i
          + weight_in_difficulty * in_difficulty_i          (weights="all")

or just ``left_behind_i`` / ``in_difficulty_i``, or any vector given (e.g. drowning exposure).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely

from analysis import locate
from analysis.locate import LocateResult
from analysis.privacy import public_table
from geo.crs import require_metric
from geo.errors import InputError, LayerError, NetworkError
from geo.layers import Layers
from geo.network import (
    DistancePairs,
    RoadNetwork,
    SnapResult,
    build_network,
    distance_pairs,
    distances_from,
    snap_points,
)
from geo.settings import PrivacySettings, Settings, get_settings

__all__ = ["MODELS", "WEIGHTS", "SitingResult", "demand_weights", "site_facilities"]

Model = Literal["mclp", "lscp", "pmedian"]
WeightName = Literal["all", "left_behind", "in_difficulty"]
Solver = Literal["auto", "exact", "core", "highs", "greedy", "lagrangian"]
MODELS: tuple[str, ...] = ("mclp", "lscp", "pmedian")
WEIGHTS: tuple[str, ...] = ("all", "left_behind", "in_difficulty")


@dataclass(frozen=True)
class SitingResult:
    """Chosen sites, coverage before and after, and the solver's report.

    Attributes
    ----------
    model, kind, standard_m
        The model solved, the facility kind sited and the walking standard (m).
    chosen
        New sites in order of marginal gain: ``rank`` (1 = largest gain), ``site_id``,
        ``village_code``, ``village_name``, ``gain`` (weight newly covered, or weighted metres
        saved for p-median), ``households_gained`` and point geometry (metric CRS).
    candidates
        Every candidate: ``site_id``, ``village_code``, ``source`` (``layer``/``generated``),
        ``snapped`` and ``chosen``.
    candidate_spacing_m
        Grid spacing (m) of the generated candidates: ``settings.siting.candidate_spacing_m``,
        or a power-of-two multiple of it when that gave more than ``max_candidates``; ``None``
        for a candidates layer (never thinned).
    candidates_thinned_from
        How many candidates ``candidate_spacing_m`` of the settings gave when the grid had to be
        coarsened to stay within ``max_candidates``; ``None`` when it was not.
    existing
        The existing facilities of ``kind`` (fixed open).
    villages
        Per village: ``village_code``, ``village_name``, ``households``, ``weight``,
        ``covered_before``/``covered_after`` (households), ``share_before``/``share_after``
        (weighted share covered) and ``has_home`` (before).
    households
        Per household: ``id``, ``village_code``, ``weight``, ``distance_before``,
        ``distance_after`` (m, inf when none within the search), ``covered_before``,
        ``covered_after``; point geometry. Personal data: aggregate before showing.
    uncovered
        The households still outside the standard after siting (rows of ``households``).
    reach_before, reach_after
        Road edges walked within the standard from the open sites, before and after.
    objective, bound, gap, status, time_s, solver
        The solver's report (see :class:`analysis.locate.LocateResult`).
    coverage_before, coverage_after
        Weighted share of demand within the standard, before and after (reach only: under a
        capacity the objective, the weight actually served, can be lower).
    """

    model: str
    kind: str
    standard_m: float
    chosen: gpd.GeoDataFrame
    candidates: gpd.GeoDataFrame
    existing: gpd.GeoDataFrame
    villages: pd.DataFrame
    households: gpd.GeoDataFrame
    uncovered: gpd.GeoDataFrame
    reach_before: gpd.GeoDataFrame
    reach_after: gpd.GeoDataFrame
    objective: float
    bound: float
    gap: float
    status: str
    time_s: float
    solver: str
    coverage_before: float
    coverage_after: float
    candidate_spacing_m: float | None
    candidates_thinned_from: int | None

    def public(self, settings: PrivacySettings) -> SitingResult:
        """The tables of a role without household access (issue 15): the chosen sites' and the
        villages' demand (``gain``, ``households_gained``, ``weight``, households covered)
        rounded to ``settings.round_base`` (:func:`analysis.privacy.public_table`), the shares
        computed from the rounded covered and total weights. The
        household rows stay for the hexagon cells of the map, which draws them only when
        authorised; sites are road nodes or given candidates, never households."""
        villages = public_table(self.villages, settings=settings)
        # shares of the rounded demand: the covered weight rounded, over the rounded weight
        weight = pd.to_numeric(villages["weight"]).astype(float)
        for col in ("share_before", "share_after"):
            covered = self.villages[col].to_numpy(dtype=float) * self.villages["weight"].to_numpy(
                dtype=float
            )
            rounded = np.floor(covered / settings.round_base + 0.5) * settings.round_base
            villages[col] = np.where(weight > 0, rounded / np.where(weight > 0, weight, 1), 0.0)
        return dataclasses.replace(
            self, villages=villages, chosen=public_table(self.chosen, settings=settings)
        )


def demand_weights(
    households: pd.DataFrame, weights: WeightName | Sequence[float] | pd.Series, settings: Settings
) -> np.ndarray:
    """Demand weight of each household (see the module docstring)."""
    if isinstance(weights, str):
        if weights not in WEIGHTS:
            msg = f"unknown demand weights {weights!r}; expected one of {WEIGHTS}"
            raise InputError(msg)

        def col(name: str) -> np.ndarray:
            values = pd.to_numeric(households[name], errors="coerce").fillna(0)
            return np.asarray(values.to_numpy(float), dtype=np.float64)

        if weights == "left_behind":
            return col("left_behind")
        if weights == "in_difficulty":
            return col("in_difficulty")
        s = settings.siting
        return (
            s.weight_children * col("children")
            + s.weight_left_behind * col("left_behind")
            + s.weight_in_difficulty * col("in_difficulty")
        )
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (len(households),):
        msg = f"{w.shape[0] if w.ndim else 0} demand weights given for {len(households)} households"
        raise InputError(msg)
    return w


def _villages(layers: Layers) -> gpd.GeoDataFrame:
    v = layers.areas.loc[layers.areas["level"] == "village", ["code", "name", "geometry"]]
    return v.reset_index(drop=True)


def _village_of(points: gpd.GeoSeries, villages: gpd.GeoDataFrame) -> np.ndarray:
    out = np.full(len(points), None, dtype=object)
    if len(points) == 0 or len(villages) == 0:
        return out
    pi, vi = villages.sindex.query(points.to_numpy(), predicate="within")
    out[pi] = villages["code"].to_numpy()[vi]
    return out


def _one_per_cell(xy: np.ndarray, spacing: float) -> np.ndarray:
    """Positions of the points nearest the centre of their ``spacing`` grid cell, one per cell."""
    cell = np.floor(xy / spacing).astype(np.int64)
    centre = (cell + 0.5) * spacing
    off = np.hypot(*(xy - centre).T)
    order = np.lexsort((off, cell[:, 1], cell[:, 0]))
    c = cell[order]
    first = np.r_[True, (c[1:] != c[:-1]).any(axis=1)] if len(c) else np.zeros(0, bool)
    return np.asarray(order[first])


def _generate_candidates(
    network: RoadNetwork,
    villages: gpd.GeoDataFrame,
    codes: Sequence[str],
    spacing: float,
    max_candidates: int,
) -> tuple[gpd.GeoDataFrame, float, int | None]:
    """Road nodes inside the given villages, one per ``spacing`` grid cell (the most central).

    When that gives more than ``max_candidates``, the spacing is doubled until they fit.
    Returns the candidates, the spacing used and, when it was coarsened, how many the given
    spacing gave.
    """
    pts = gpd.GeoSeries(shapely.points(network.node_xy), crs=network.crs)
    vcode = _village_of(pts, villages)
    inside = np.isin(vcode.astype(str), np.asarray(codes, dtype=str)) & (vcode != None)  # noqa: E711
    xy = network.node_xy[inside]
    picked = _one_per_cell(xy, spacing)
    thinned_from = len(picked) if len(picked) > max_candidates else None
    while len(picked) > max_candidates:  # one cell holds them all in the end
        spacing *= 2
        picked = _one_per_cell(xy, spacing)
    keep = np.flatnonzero(inside)[picked]
    keep.sort()
    cand = gpd.GeoDataFrame(
        {
            "site_id": [f"C{i + 1:03d}" for i in range(len(keep))],
            "village_code": vcode[keep],
            "source": "generated",
        },
        geometry=pts.iloc[keep].to_numpy(),
        crs=network.crs,
    )
    return cand, float(spacing), thinned_from


def _layer_candidates(
    cands: gpd.GeoDataFrame, villages: gpd.GeoDataFrame, crs: object
) -> gpd.GeoDataFrame:
    if cands.crs is None:
        msg = "the candidates layer has no CRS; give its file a CRS (or --crs for CSV)"
        raise LayerError(msg)
    c = cands.to_crs(crs)
    geoms = c.geometry.to_numpy()
    if len(c) and (shapely.get_type_id(geoms) != 0).any():
        msg = "the candidates layer must hold points (one per candidate site)"
        raise LayerError(msg)
    ids = c["id"].astype(str).to_numpy() if "id" in c else [f"C{i + 1:03d}" for i in range(len(c))]
    vcode = (
        c["village_code"].astype(object).to_numpy()
        if "village_code" in c
        else _village_of(c.geometry, villages)
    )
    return gpd.GeoDataFrame(
        {"site_id": ids, "village_code": vcode, "source": "layer"},
        geometry=geoms,
        crs=crs,
    )


def _reach_edges(
    network: RoadNetwork, sites: gpd.GeoSeries, standard: float, limit: float
) -> gpd.GeoDataFrame:
    """Road edges whose both ends lie within the standard of an open site."""
    e = network.edges
    if len(sites) == 0:
        return gpd.GeoDataFrame({"edge": []}, geometry=gpd.GeoSeries([], crs=network.crs))
    s = snap_points(network, sites, limit_m=limit)
    nodes = snap_points(
        network, gpd.GeoSeries(shapely.points(network.node_xy), crs=network.crs), limit_m=limit
    )
    d = distances_from(network, s, nodes, limit_m=standard).distance_m
    u, v = e["u"].to_numpy(), e["v"].to_numpy()
    ok = np.isfinite(d[u]) & np.isfinite(d[v])
    return gpd.GeoDataFrame(
        {"edge": np.flatnonzero(ok)}, geometry=e.geometry.to_numpy()[ok], crs=network.crs
    )


@dataclass(frozen=True)
class _Sites:
    """Existing facilities then candidates, snapped, with their walking pairs to households."""

    existing: gpd.GeoDataFrame
    cand: gpd.GeoDataFrame
    missing: list[str]
    spacing: float | None
    thinned_from: int | None
    geoms: gpd.GeoSeries
    snap: SnapResult
    pairs: DistancePairs
    fixed: np.ndarray
    coverage: sp.csr_matrix
    limit: float


def _existing(
    layers: Layers, kind: str, villages: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The facilities of ``kind``, and the villages without one."""
    fac = layers.facilities
    existing = fac.loc[fac["kind"] == kind].copy()
    has_home = set(existing["area_code"].dropna().astype(str))
    has_home |= {str(c) for c in _village_of(existing.geometry, villages) if c is not None}
    return existing, [str(c) for c in villages["code"] if str(c) not in has_home]


def _candidate_sites(
    net: RoadNetwork,
    villages: gpd.GeoDataFrame,
    missing: list[str],
    candidates: gpd.GeoDataFrame | None,
    settings: Settings,
    crs: object,
) -> tuple[gpd.GeoDataFrame, float | None, int | None]:
    """Generated or given candidates, refused when there are none."""
    spacing: float | None = None
    thinned_from: int | None = None
    s = settings.siting
    if candidates is None:
        cand, spacing, thinned_from = _generate_candidates(
            net, villages, missing, s.candidate_spacing_m, s.max_candidates
        )
    else:
        cand = _layer_candidates(candidates, villages, crs)
    if len(cand) == 0:
        msg = (
            "no candidate sites: give a candidates layer (--candidates) or check that some "
            "villages lack a facility and have roads"
        )
        raise InputError(msg)
    return cand, spacing, thinned_from


def _walking_pairs(
    net: RoadNetwork,
    sites_geom: gpd.GeoSeries,
    hh_snap: SnapResult,
    settings: Settings,
    model: str,
    standard: float,
) -> tuple[SnapResult, DistancePairs, float]:
    """One snap and one many-to-many Dijkstra for every site, the pairs within the limit."""
    s = settings.siting
    site_snap = snap_points(net, sites_geom, limit_m=settings.snap_limit_m)
    limit = standard if model != "pmedian" else max(s.pmedian_limit_m, standard)
    max_pairs = s.pmedian_max_pairs if model == "pmedian" else None
    try:
        pairs = distance_pairs(net, site_snap, hh_snap, limit_m=limit, max_pairs=max_pairs)
    except NetworkError:
        if max_pairs is None:
            raise
        # both point sets were snapped onto net just above: only max_pairs can be exceeded
        msg = (
            f"p-median: more than {max_pairs:,} (site, household) pairs lie within "
            f"pmedian_limit_m = {limit:g} m of the {len(sites_geom):,} sites, too large a model; "
            "use the mclp model, give a candidates layer with fewer sites (--candidates), or "
            "lower pmedian_limit_m"
        )
        raise InputError(msg) from None
    return site_snap, pairs, limit


def _sites(
    layers: Layers,
    net: RoadNetwork,
    villages: gpd.GeoDataFrame,
    *,
    settings: Settings,
    model: str,
    k: int,
    kind: str,
    candidates: gpd.GeoDataFrame | None,
    standard: float,
) -> _Sites:
    """Existing and candidate sites and their coverage; bad ``k`` or standard refused."""
    existing, missing = _existing(layers, kind, villages)
    cand, spacing, thinned_from = _candidate_sites(
        net, villages, missing, candidates, settings, layers.households.crs
    )
    if model != "lscp" and k > len(cand):
        msg = f"k = {k} new sites asked for but only {len(cand)} candidate sites exist; lower k"
        raise InputError(msg)
    sites_geom = pd.concat([existing.geometry, cand.geometry], ignore_index=True)
    hh_snap = snap_points(net, layers.households.geometry, limit_m=settings.snap_limit_m)
    site_snap, pairs, limit = _walking_pairs(net, sites_geom, hh_snap, settings, model, standard)
    n_fix = len(existing)
    fixed = np.zeros(len(sites_geom), dtype=bool)
    fixed[:n_fix] = True
    a = pairs.within(standard)  # coverage: site j reaches household i within the standard
    if a[n_fix:].nnz == 0 and model != "pmedian":
        msg = (
            f"no household lies within {standard:g} m walking of any candidate site: raise the "
            "standard (--standard-m) or give candidates nearer the households"
        )
        raise InputError(msg)
    return _Sites(
        existing,
        cand,
        missing,
        spacing,
        thinned_from,
        sites_geom,
        site_snap,
        pairs,
        fixed,
        a,
        limit,
    )


def _required_groups(
    sites: _Sites,
    villages: gpd.GeoDataFrame,
    require_villages: Literal["missing"] | Sequence[str] | None,
) -> list[np.ndarray]:
    """Candidate rows of each required village; a village without candidates is refused."""
    req: list[str] = []
    if require_villages == "missing":
        req = sites.missing
    elif require_villages is not None:
        req = [str(c) for c in require_villages]
    n_fix = len(sites.existing)
    cand_v = sites.cand["village_code"].astype(object).to_numpy()
    groups: list[np.ndarray] = []
    for code in req:
        members = n_fix + np.flatnonzero(cand_v.astype(str) == code)
        if len(members) == 0:
            name = villages.loc[villages["code"] == code, "name"]
            label = f"{code} {name.iloc[0]}" if len(name) else code
            msg = f"required village {label} has no candidate site; add candidates in it"
            raise InputError(msg)
        groups.append(members)
    return groups


def _site_capacities(sites: _Sites, capacity: float | None) -> np.ndarray | None:
    """Per site capacity: the existing facilities' own ``capacity`` where given."""
    if capacity is None:
        return None
    n_fix = len(sites.existing)
    cap = np.full(len(sites.geoms), float(capacity))
    if n_fix and "capacity" in sites.existing:
        own = pd.to_numeric(sites.existing["capacity"], errors="coerce").to_numpy(float)
        cap[:n_fix] = np.where(np.isnan(own), float(capacity), own)
    return cap


def _solve(
    model: str,
    sites: _Sites,
    w: np.ndarray,
    k: int,
    *,
    cap: np.ndarray | None,
    groups: list[np.ndarray],
    settings: Settings,
    solver: Solver,
) -> LocateResult:
    """The location model on the sparse pairs; its ValueErrors become InputErrors."""
    s = settings.siting
    opts = {"time_limit": s.time_limit_s, "mip_gap": s.mip_gap}
    try:
        if model == "mclp":
            return locate.mclp(
                sites.coverage, w, k, fixed=sites.fixed, capacity=cap, groups=groups,
                solver=solver, exact_max_nnz=s.exact_max_nnz, **opts,  # type: ignore[arg-type]
            )  # fmt: skip
        if model == "lscp":
            return locate.lscp(
                sites.coverage, w, fixed=sites.fixed, share=s.lscp_share, groups=groups, **opts
            )
        return locate.pmedian(
            sites.pairs.to_csr(), w, k, fixed=sites.fixed, capacity=cap, groups=groups,
            unassigned_cost=sites.limit, solver=solver, **opts,  # type: ignore[arg-type]
        )  # fmt: skip
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _household_table(
    layers: Layers, w: np.ndarray, sites: _Sites, open_after: np.ndarray, standard: float
) -> gpd.GeoDataFrame:
    """Per household: weight, distances and coverage before and after."""
    hh = layers.households
    d_before = sites.pairs.nearest(sites.fixed)
    d_after = sites.pairs.nearest(open_after)
    return gpd.GeoDataFrame(
        {
            "id": hh["id"].astype(str).to_numpy(),
            "village_code": hh["village_code"].astype(str).to_numpy(),
            "weight": w,
            "distance_before": d_before,
            "distance_after": d_after,
            "covered_before": d_before <= standard,
            "covered_after": d_after <= standard,
        },
        geometry=hh.geometry.to_numpy(),
        crs=hh.crs,
    )


def _village_table(
    households: gpd.GeoDataFrame, names: dict[str, str], missing: list[str]
) -> pd.DataFrame:
    """Per village: households, weight, households and weighted share covered before/after."""
    g = households.groupby("village_code")
    per = pd.DataFrame(
        {
            "households": g.size(),
            "weight": g["weight"].sum(),
            "covered_before": g["covered_before"].sum(),
            "covered_after": g["covered_after"].sum(),
            "weight_before": g.apply(lambda f: f["weight"][f["covered_before"]].sum()),
            "weight_after": g.apply(lambda f: f["weight"][f["covered_after"]].sum()),
        }
    ).reset_index()
    safe = per["weight"].where(per["weight"] > 0)
    per["share_before"] = (per.pop("weight_before") / safe).fillna(0.0)
    per["share_after"] = (per.pop("weight_after") / safe).fillna(0.0)
    per.insert(1, "village_name", per["village_code"].map(names))
    per["has_home"] = ~per["village_code"].isin(missing)
    return per


def _chosen_table(
    sites: _Sites, res: LocateResult, covered_before: np.ndarray, names: dict[str, str]
) -> gpd.GeoDataFrame:
    """The new sites by rank, with their gain and the households each newly covers."""
    rows = res.chosen - len(sites.existing)
    chosen = sites.cand.iloc[rows].copy().reset_index(drop=True)
    chosen.insert(0, "rank", np.arange(1, len(rows) + 1))
    chosen["village_name"] = chosen["village_code"].astype(str).map(names)
    chosen["gain"] = res.gains
    gained = []
    served = covered_before.copy()
    a = sites.coverage
    for j in res.chosen:  # households newly within the standard, site after site
        reach = a.indices[a.indptr[j] : a.indptr[j + 1]]
        gained.append(int((~served[reach]).sum()))
        served[reach] = True
    chosen["households_gained"] = gained
    return chosen


def _checked(
    layers: Layers,
    model: str,
    standard_m: float | None,
    weights: WeightName | Sequence[float] | pd.Series,
    settings: Settings,
) -> tuple[float, np.ndarray]:
    """The standard and the demand weights; an unknown model, a bad standard or no demand
    refused."""
    if model not in MODELS:
        msg = f"unknown model {model!r}; expected one of {MODELS}"
        raise InputError(msg)
    require_metric(layers.households, layer="households")
    standard = float(standard_m if standard_m is not None else settings.walking_standard_m)
    if not standard > 0:
        msg = f"the walking standard must be > 0 m, got {standard}"
        raise InputError(msg)
    w = demand_weights(layers.households, weights, settings)
    if len(layers.households) == 0 or w.sum() <= 0:
        msg = f"no demand: no household has children counted by the weights {weights!r}"
        raise InputError(msg)
    return standard, w


def site_facilities(
    layers: Layers,
    *,
    settings: Settings | None = None,
    model: Model = "mclp",
    k: int = 3,
    candidates: gpd.GeoDataFrame | None = None,
    capacity: float | None = None,
    standard_m: float | None = None,
    kind: str = "children_home",
    weights: WeightName | Sequence[float] | pd.Series = "all",
    require_villages: Literal["missing"] | Sequence[str] | None = None,
    network: RoadNetwork | None = None,
    solver: Solver = "auto",
) -> SitingResult:
    """Choose new sites for children's homes or stations on walking distances.

    Parameters
    ----------
    layers
        Validated layers in a metric CRS (``layers.to_metric()``).
    settings
        ``walking_standard_m``, ``snap_limit_m`` and ``settings.siting``;
        ``None`` for :func:`geo.settings.get_settings`.
    model
        ``"mclp"`` (cover the most weighted demand with ``k`` new sites), ``"lscp"`` (fewest new
        sites covering every reachable household; ``k`` unused) or ``"pmedian"`` (``k`` new
        sites minimising total weighted walking distance).
    k
        New sites to open.
    candidates
        Candidate sites (points; ``id`` and ``village_code`` used when present), or ``None`` to
        generate them: road nodes inside villages without a facility of ``kind``, one per
        ``settings.siting.candidate_spacing_m`` grid cell, the spacing doubled until at most
        ``settings.siting.max_candidates`` remain. A candidates layer is used whole.
    capacity
        Weighted children one site can serve (MCLP and p-median); existing facilities use their
        ``capacity`` column where given, this value otherwise.
    standard_m
        Walking standard (m); ``settings.walking_standard_m`` by default.
    kind
        Facility kind sited; existing facilities of this kind stay open.
    weights
        ``"all"``, ``"left_behind"``, ``"in_difficulty"`` or one weight per household.
    require_villages
        ``"missing"``: at least one new site in every village without a facility of ``kind``;
        or a list of village codes; ``None`` for no such constraint.
    network
        A prebuilt network of ``layers.roads`` (built when ``None``).
    solver
        The method of :mod:`analysis.locate` (``"auto"`` by default; LSCP always uses HiGHS).

    Returns
    -------
    SitingResult

    Raises
    ------
    InputError
        Unknown model or weights, ``k`` larger than the candidates, no candidates, no demand,
        a standard no candidate reaches any household within, a required village without any
        candidate, a p-median model with more than ``settings.siting.pmedian_max_pairs``
        (site, household) pairs within its search limit, a solver the model has not.
    """
    settings = settings if settings is not None else get_settings()
    standard, w = _checked(layers, model, standard_m, weights, settings)
    net = network if network is not None else build_network(layers.roads)
    villages = _villages(layers)
    sites = _sites(
        layers, net, villages, settings=settings, model=model, k=k, kind=kind,
        candidates=candidates, standard=standard,
    )  # fmt: skip
    groups = _required_groups(sites, villages, require_villages)
    cap = _site_capacities(sites, capacity)
    res = _solve(model, sites, w, k, cap=cap, groups=groups, settings=settings, solver=solver)
    return _result(
        layers, net, sites, res, w, model=model, kind=kind, standard=standard, settings=settings
    )


def _result(
    layers: Layers,
    net: RoadNetwork,
    sites: _Sites,
    res: LocateResult,
    w: np.ndarray,
    *,
    model: str,
    kind: str,
    standard: float,
    settings: Settings,
) -> SitingResult:
    """Coverage before and after, per household, village and chosen site."""
    open_after = sites.fixed.copy()
    open_after[res.chosen] = True
    households = _household_table(layers, w, sites, open_after, standard)
    villages = _villages(layers)
    names = dict(zip(villages["code"].astype(str), villages["name"].astype(str), strict=True))
    cov_b = households["covered_before"].to_numpy()
    cov_a = households["covered_after"].to_numpy()
    n_fix = len(sites.existing)
    cand_out = sites.cand.copy()
    cand_out["snapped"] = sites.snap.snapped[n_fix:]
    cand_out["chosen"] = False
    cand_out.loc[cand_out.index[res.chosen - n_fix], "chosen"] = True
    wsum = float(w.sum())
    snap_lim = settings.snap_limit_m
    return SitingResult(
        model=model,
        kind=kind,
        standard_m=standard,
        chosen=_chosen_table(sites, res, cov_b, names),
        candidates=cand_out,
        existing=sites.existing,
        villages=_village_table(households, names, sites.missing),
        households=households,
        uncovered=households.loc[~cov_a].copy(),
        reach_before=_reach_edges(net, sites.existing.geometry, standard, snap_lim),
        reach_after=_reach_edges(net, sites.geoms[open_after], standard, snap_lim),
        objective=res.objective,
        bound=res.bound,
        gap=res.gap,
        status=res.status,
        time_s=res.time_s,
        solver=res.solver,
        coverage_before=float(w[cov_b].sum() / wsum),
        coverage_after=float(w[cov_a].sum() / wsum),
        candidate_spacing_m=sites.spacing,
        candidates_thinned_from=sites.thinned_from,
    )


# --------------------------------------------------------------------------------------------
# the analysis contract (analysis.registry): the siting page, /api/siting, its OGC collection
# and ``tongan site``
# --------------------------------------------------------------------------------------------

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from analysis.registry import (  # noqa: E402
    Analysis,
    Collection,
    Figure,
    Inputs,
    View,
    allowed_standard,
    register,
)
from geo.i18n import Note  # noqa: E402


class SitingParams(BaseModel):
    """Parameters of the siting analysis (the small form beside the map)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: Literal["mclp", "lscp", "pmedian"] = Field("mclp", description="模型 / model")
    k: int = Field(2, ge=1, le=30, description="新建个数 / new sites (k)")
    standard_m: float | None = Field(
        None, gt=0, le=10_000, description="步行标准(米) / walking standard (m)"
    )


def _run(inputs: Inputs, params: SitingParams) -> SitingResult:
    standard = allowed_standard(
        params.standard_m, authorised=inputs.authorised, settings=inputs.settings
    )
    return site_facilities(
        inputs.metric,
        settings=inputs.settings,
        model=params.model,
        k=params.k,
        standard_m=standard,
        candidates=inputs.extras.get("candidates"),
        capacity=inputs.extras.get("capacity"),
        weights=inputs.extras.get("weights") or "all",
        require_villages=inputs.extras.get("require_villages"),
        network=inputs.road_network(),
    )


def _candidates(result: SitingResult) -> str | Note:
    n, was = len(result.candidates), result.candidates_thinned_from
    if was is None or result.candidate_spacing_m is None:
        return f"{n:,}"
    return Note(
        "fig_candidates_thinned", {"n": n, "was": was, "spacing": result.candidate_spacing_m}
    )


def _figures(result: SitingResult, view: View) -> list[Figure]:
    solver = f"{result.solver} {result.status}, gap {result.gap:.2%}, {result.time_s:.2f} s"
    return [
        Figure("fig_model", result.model.upper()),
        Figure("fig_new_sites", str(len(result.chosen))),
        Figure("fig_coverage_before", result.coverage_before, ".1%"),
        Figure("fig_coverage_after", result.coverage_after, ".1%"),
        Figure("fig_standard_m", result.standard_m, ".0f"),
        Figure("fig_households_uncovered", len(result.uncovered), people=True),
        Figure("fig_candidates", _candidates(result)),
        Figure("fig_solver", solver),
    ]


ANALYSIS = register(
    Analysis(
        name="siting",
        title="page_siting_title",
        question="page_siting_question",
        params=SitingParams,
        run=_run,
        order=30,
        tables=lambda result, view: {"sites": result.chosen, "villages": result.villages},
        figures=_figures,
        public=lambda result, settings: result.public(settings.privacy),
        needs=("households", "facilities", "roads", "areas"),
        network=True,
        collections=(
            Collection(
                "chosen_sites",
                "选址结果 chosen sites",
                "New children's homes chosen by the maximal covering model (k=2, default standard).",
                lambda result, view: result.chosen,
            ),
        ),
        extras={
            "candidates": "candidate sites (points) instead of the road-node grid",
            "capacity": "weighted children one site can serve",
            "weights": "demand weights: all, left_behind or in_difficulty",
            "require_villages": '"missing": a new site in every village without one',
        },
    )
)
