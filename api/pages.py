"""The map pages the server offers: one per question, each computing its analysis and its map.

A page takes the loaded layers and its query parameters (a pydantic model, so a bad value is a
422 with the reason) and returns a :class:`PageResult`: the folium map, the summary figures shown
beside it and the tables offered for download.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, urlencode

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from shapely.geometry import Point

from analysis.privacy import round_count
from geo.bounds import BoundedDate
from geo.errors import InputError
from geo.i18n import in_language
from geo.layers import Layers
from geo.settings import Language, Settings
from maps.remote import RemoteLayers

#: A date an analysis can be computed for (pandas holds dates up to 2262).
PlanDate = BoundedDate  # 1990-2199, the bounds stated in the schema (geo.bounds)

if TYPE_CHECKING:
    from analysis.coverage import CoverageResult
    from analysis.flood import FloodReview
    from analysis.risk import RiskResult
    from analysis.siting import SitingResult
    from geo.summary import LayerSummary


@dataclass(frozen=True)
class PageResult:
    """What a map page shows: the map, the figures beside it and the downloadable tables."""

    map: folium.Map
    figures: list[tuple[str, str]]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    gpx: bytes | None = None
    #: The map's layers sent by URL (served at ``/maps/{name}/layers/{key}.geojson``).
    remote: RemoteLayers | None = None


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DateParams(BaseModel):
    """A page computed for a date (the flood season and holidays depend on it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = None


@dataclass(frozen=True)
class Context:
    """What every page computation receives.

    ``metric`` holds the same layers in their metric CRS, projected once per server rather than
    once per page computation. ``layer_url`` (the map server's, from a layer key to its URL)
    lets the page send its large layers by URL (:mod:`maps.remote`); without it every layer is
    written into the map's HTML.
    """

    layers: Layers
    settings: Settings
    lang: Language
    authorised: bool
    today: dt.date
    metric: Layers
    layer_url: Callable[[str], str] | None = None

    def remote(self) -> RemoteLayers | None:
        """Where this page's large layers go, or ``None`` to inline them all."""
        if self.layer_url is None:
            return None
        return RemoteLayers(
            self.layer_url,
            self.settings.map_inline_max_features,
            simplify_m=self.settings.map_simplify_m,
        )


def layer_url(params: BaseModel, lang: Language, basemap: str) -> Callable[[str], str]:
    """The URL of a page's layer sent by URL, relative to the page's map (``/maps/{name}/map``).

    It carries the page's parameters, language and basemap, so the server finds the same
    cached result (``/maps/{name}/layers/{key}.geojson?...``).
    """
    query = urlencode(
        {**params.model_dump(mode="json", exclude_none=True), "lang": lang, "basemap": basemap}
    )
    return lambda key: f"layers/{quote(key)}.geojson?{query}"


#: A map shows at most about this many hexagon cells: above it the cells grow (the side
#: doubles until they fit), so a county's map aggregates more coarsely than a township's
#: (issue 8: aggregate, then send by URL). Bigger cells only hold more households.
MAP_MAX_CELLS = 3000


def map_cells(ctx: Context, households: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    """Households counted in hexagons for a map (:func:`analysis.privacy.aggregate_households`),
    with cells of the ``privacy.cell_m`` side, or coarser when there would be more than
    ``MAP_MAX_CELLS``."""
    from analysis.privacy import aggregate_households

    privacy = ctx.settings.privacy
    cells = aggregate_households(households, columns=columns, settings=privacy)
    while len(cells) > MAP_MAX_CELLS:
        privacy = privacy.model_copy(update={"cell_m": privacy.cell_m * 2})
        cells = aggregate_households(households, columns=columns, settings=privacy)
    return cells


def shown_count(ctx: Context, value: float) -> str:
    """A count of children or households as the page's role may see it: exact when authorised,
    otherwise rounded to ``privacy.round_base`` (:func:`analysis.privacy.round_count`)."""
    from analysis.privacy import round_count

    if ctx.authorised:
        return str(int(value))
    return str(round_count(value, base=ctx.settings.privacy.round_base))


Builder = Callable[[Context, BaseModel], PageResult]


@dataclass(frozen=True)
class Page:
    """One map page of the index."""

    name: str
    title: dict[Language, str]
    question: dict[Language, str]
    params: type[BaseModel]
    build: Builder


PAGES: dict[str, Page] = {}


@dataclass(frozen=True)
class ResultCollection:
    """An analysis result offered as an OGC API collection (computed with default parameters)."""

    title: str
    description: str
    load: Callable[[Context], gpd.GeoDataFrame]


RESULT_COLLECTIONS: dict[str, ResultCollection] = {}


def page(
    name: str,
    *,
    title: dict[Language, str],
    question: dict[Language, str],
    params: type[BaseModel] = NoParams,
) -> Callable[[Builder], Builder]:
    """Register a page builder under ``name`` (the order of registration is the index order)."""

    def register(build: Builder) -> Builder:
        PAGES[name] = Page(name, title, question, params, build)
        return build

    return register


def _public_summary(ctx: Context, row: LayerSummary) -> LayerSummary:
    """The households' summary row with its counts rounded when the role is not authorised."""
    from geo.i18n import tr

    if ctx.authorised or row.layer != "households":
        return row
    hh = ctx.layers.households
    base = ctx.settings.privacy.round_base
    totals = {
        c: round_count(float(pd.to_numeric(hh[c], errors="coerce").fillna(0).sum()), base=base)
        for c in ("children", "left_behind", "in_difficulty")
    }
    details = tr("sum_households", ctx.lang, **totals)
    features = round_count(row.features, base=base)
    return dataclasses.replace(row, features=features, details=details)


@page(
    "overview",
    title={"zh": "数据总览", "en": "Data overview"},
    question={
        "zh": "本地区有哪些水域、道路、学校、儿童服务设施和隐患?重点儿童分布在哪里(聚合)?",
        "en": "Which waters, roads, schools, child facilities and hazards are there, and where do the children live (aggregated)?",
    },
)
def overview(ctx: Context, _params: BaseModel) -> PageResult:
    from geo.summary import summarise
    from maps.overview import overview_map

    metric = ctx.metric
    cells = map_cells(ctx, metric.households, ["children", "left_behind", "in_difficulty"])
    rows = [_public_summary(ctx, row) for row in summarise(ctx.layers, lang=ctx.lang)]
    figures = [(row.title, f"{row.features}") for row in rows if row.present]
    table = pd.DataFrame(
        [(r.layer, r.title, r.features, r.details) for r in rows],
        columns=["layer", "title", "features", "details"],
    )
    cells_out = cells.drop(columns=[]).copy()
    remote = ctx.remote()
    return PageResult(
        overview_map(
            ctx.layers,
            cells=cells,
            lang=ctx.lang,
            remote=remote,
            detail_zoom=ctx.settings.map_detail_zoom,
        ),
        figures,
        {"layers": table, "cells": cells_out},
        remote=remote,
    )


def _level_figures(
    counts: dict[str, int], lang: Language, labels: dict[str, dict[Language, str]]
) -> list[tuple[str, str]]:
    return [(labels[k][lang], str(v)) for k, v in counts.items()]


class FloodParams(BaseModel):
    """Parameters of the flood-season review page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = Field(None, description="日期 / date")
    region: Literal["south", "north"] | None = Field(
        None, description="地区 / region (south, north)"
    )


_FLOOD_LEVELS: dict[str, dict[Language, str]] = {
    "high": {"zh": "高风险机构", "en": "High-hazard institutions"},
    "medium": {"zh": "中风险机构", "en": "Medium-hazard institutions"},
    "low": {"zh": "低风险机构", "en": "Low-hazard institutions"},
}


def _flood_review(ctx: Context, params: FloodParams) -> FloodReview:
    from analysis.flood import review_institutions

    review = review_institutions(
        ctx.metric,
        settings=ctx.settings,
        date=params.date or ctx.today,
        region=params.region,
    )
    return review if ctx.authorised else review.public(ctx.settings.privacy)


@page(
    "flood",
    title={"zh": "汛期隐患排查", "en": "Flood-season review"},
    question={
        "zh": "学校、幼儿园和儿童机构周边有哪些水域、山体、危墙和洪水淹没区隐患?今天应开展哪些检查?",
        "en": "Which water, slope, wall and flood-zone hazards surround schools, kindergartens and child institutions, and which reviews are due today?",
    },
    params=FloodParams,
)
def flood(ctx: Context, params: BaseModel) -> PageResult:
    from maps.flood import flood_map

    assert isinstance(params, FloodParams)
    review = _flood_review(ctx, params)
    figures = _level_figures(review.counts(), ctx.lang, _FLOOD_LEVELS)
    exposed = review.exposed_by_level()
    figures.append(
        (
            "高风险机构儿童" if ctx.lang == "zh" else "Children at high-hazard places",
            shown_count(ctx, exposed["high"]),
        )
    )
    due = "、".join(r.label(ctx.lang) for r in review.reviews) or (
        "无" if ctx.lang == "zh" else "none"
    )
    figures.append(("今日应开展" if ctx.lang == "zh" else "Reviews due", due))
    remote = ctx.remote()
    return PageResult(
        flood_map(review, lang=ctx.lang, remote=remote, reference=ctx.layers),
        figures,
        {
            "institutions": review.institutions,
            "checklist": review.checklist,
            "routes": review.routes,
        },
        remote=remote,
    )


def _flood_collection(ctx: Context) -> gpd.GeoDataFrame:
    review = _flood_review(ctx, FloodParams())
    return review.institutions


RESULT_COLLECTIONS["flood_review"] = ResultCollection(
    "汛期隐患排查 flood review",
    "Child institutions with their flood-season hazard level and reasons.",
    _flood_collection,
)


class RiskParams(BaseModel):
    """Parameters of the drowning-risk page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = Field(None, description="日期 / date")


_RISK_CLASSES: dict[str, dict[Language, str]] = {
    "red": {"zh": "红色风险点", "en": "Red spots"},
    "yellow": {"zh": "黄色风险点", "en": "Yellow spots"},
    "green": {"zh": "绿色风险点", "en": "Green spots"},
}
_ITEMS: dict[str, dict[Language, str]] = {
    "warning_sign": {"zh": "需购警示牌", "en": "Warning signs to buy"},
    "life_buoy": {"zh": "需购救生圈", "en": "Life buoys to buy"},
    "rescue_rope": {"zh": "需购救生绳", "en": "Rescue ropes to buy"},
    "rescue_pole": {"zh": "需购救生杆", "en": "Rescue poles to buy"},
    "fence": {"zh": "需建防护栏(米)", "en": "Fence to build (m)"},
}


def _risk(ctx: Context, day: dt.date) -> tuple[Layers, RiskResult]:
    """The risk result as the page's role may see it (:meth:`RiskResult.public` when not
    authorised: counts near each spot rounded)."""
    from analysis.risk import assess_risk

    metric = ctx.metric
    result = assess_risk(metric, settings=ctx.settings, date=day)
    return metric, (result if ctx.authorised else result.public(ctx.settings.privacy))


def _spot_cells(ctx: Context, spots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Risk spots per class counted in hexagons for the zoomed-out map (no personal data: no
    suppression), ``privacy.cell_m`` wide or coarser when there would be more than
    ``MAP_MAX_CELLS``."""
    from analysis.privacy import hexagon_counts

    flags = spots[["geometry"]].assign(
        **{c: (spots["risk_class"] == c).astype(int) for c in _RISK_CLASSES}
    )
    cell_m = ctx.settings.privacy.cell_m
    cells = hexagon_counts(flags, columns=list(_RISK_CLASSES), cell_m=cell_m)
    while len(cells) > MAP_MAX_CELLS:
        cell_m *= 2
        cells = hexagon_counts(flags, columns=list(_RISK_CLASSES), cell_m=cell_m)
    return cells


@page(
    "risk",
    title={"zh": "溺水风险点与“四个一”排查", "en": "Drowning-risk spots and the four-ones audit"},
    question={
        "zh": "河流、沟渠、坑塘哪些位置离家近、危险大、缺少警示牌、救生圈、救生绳、救生杆或护栏?需要采购多少?",
        "en": "Which spots along rivers, canals and ponds near homes are dangerous and lack a sign, buoy, rope, pole or fence, and how much must be bought?",
    },
    params=RiskParams,
)
def risk(ctx: Context, params: BaseModel) -> PageResult:
    from maps.risk import risk_map

    assert isinstance(params, RiskParams)
    metric, result = _risk(ctx, params.date or ctx.today)
    spots = result.spots
    counts = spots["risk_class"].value_counts()
    figures = [(_RISK_CLASSES[k][ctx.lang], str(int(counts.get(k, 0)))) for k in _RISK_CLASSES]
    lacking = int((spots["missing_items"].fillna("") != "").sum())
    figures.append(
        ("缺少设施的风险点" if ctx.lang == "zh" else "Spots lacking an item", str(lacking))
    )
    for row in result.procurement.itertuples():
        label = _ITEMS.get(str(row.item), {"zh": str(row.item), "en": str(row.item)})[ctx.lang]
        value = row.metres if str(row.item) == "fence" else row.count
        figures.append((label, f"{float(value):.0f}"))
    cells = map_cells(ctx, metric.households, ["children"])
    remote = ctx.remote()
    m = risk_map(
        result,
        metric,
        lang=ctx.lang,
        authorised=ctx.authorised,
        child_cells=cells,
        remote=remote,
        spot_cells=_spot_cells(ctx, spots),
        detail_zoom=ctx.settings.map_detail_zoom,
    )
    tables = {
        "spots": in_language(spots, ctx.lang),
        "villages": result.summary_village,
        "townships": result.summary_township,
        "chiefs": result.summary_chief,
        "procurement": result.procurement,
    }
    return PageResult(m, figures, tables, remote=remote)


RESULT_COLLECTIONS["risk_spots"] = ResultCollection(
    "溺水风险点 risk spots",
    "Drowning-risk spots with hazard, exposure, mitigation, risk class and missing items (today).",
    lambda ctx: _risk(ctx, ctx.today)[1].spots,
)


class PatrolParams(BaseModel):
    """Parameters of the patrol-plan page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = Field(None, description="日期 / date")
    hours: float = Field(6.0, ge=0, le=24, description="每天工作小时 / hours per day")
    mode: Literal["walk", "ebike", "car"] = Field("ebike", description="交通方式 / travel mode")
    days: int = Field(1, ge=1, le=14, description="天数 / days")
    start: str | None = Field(
        None,
        description="出发点 经度,纬度 / start LON,LAT (default: the township workstation)",
        pattern=r"^ *-?\d+(\.\d+)? *, *-?\d+(\.\d+)? *$",  # spaces, no control characters
    )


def _start_point(ctx: Context, start: str | None, crs: object) -> Point:
    """The patrol start: given LON,LAT, else the township workstation, else the first facility."""
    if start:
        lon, lat = (float(v) for v in start.split(","))
        # a coarse test in degrees first: a point far away does not project to metres at all
        x0, y0, x1, y1 = (
            gpd.GeoSeries([ctx.layers.study_area], crs=ctx.layers.crs).to_crs(4326).total_bounds
        )
        pad = ctx.settings.study_area_margin_m / 90_000.0  # metres to degrees, generously
        inside = x0 - pad <= lon <= x1 + pad and y0 - pad <= lat <= y1 + pad
        here = gpd.GeoSeries([Point(lon, lat)], crs=4326).to_crs(ctx.metric.crs)
        away = float(here.distance(ctx.metric.study_area).iloc[0]) if inside else np.inf
        if not away <= ctx.settings.study_area_margin_m:
            msg = (
                f"the start {lon},{lat} lies outside the study area; give LON,LAT (WGS84) within "
                f"{ctx.settings.study_area_margin_m:g} m of it"
            )
            raise InputError(msg, status=422)
        return here.to_crs(crs).iloc[0]
    fac = ctx.layers.facilities
    order = fac.sort_values("kind", key=lambda k: k.ne("township_workstation"))
    source = order if len(order) else ctx.layers.areas.representative_point().to_frame("geometry")
    return gpd.GeoSeries([source.geometry.iloc[0]], crs=ctx.layers.crs).to_crs(crs).iloc[0]


@page(
    "patrol",
    title={"zh": "巡查路线", "en": "Patrol plan"},
    question={
        "zh": "河湖长和安全员今天先去哪些风险点?按什么顺序走、何时到达、每处查什么?",
        "en": "Which risk spots should river chiefs and safety officers inspect today, in what order, when, and what to check at each?",
    },
    params=PatrolParams,
)
def patrol(ctx: Context, params: BaseModel) -> PageResult:
    from analysis.patrol import plan_patrols
    from geo.export import gpx_bytes
    from geo.network import build_network
    from maps.patrol import patrol_map

    assert isinstance(params, PatrolParams)
    day = params.date or ctx.today
    metric, result = _risk(ctx, day)
    network = build_network(metric.roads)
    plan = plan_patrols(
        result.spots,
        network,
        start=_start_point(ctx, params.start, metric.crs),
        settings=ctx.settings,
        date=day,
        hours=params.hours,
        mode=params.mode,
        days=params.days,
    )
    zh = ctx.lang == "zh"
    figures = [
        ("巡查点" if zh else "Stops", str(len(plan.stops))),
        (
            "其中红色风险点" if zh else "Red spots among them",
            str(int((plan.stops["risk_class"] == "red").sum()) if len(plan.stops) else 0),
        ),
        (
            "总路程(公里)" if zh else "Distance (km)",
            f"{plan.routes['distance_m'].sum() / 1000:.1f}" if len(plan.routes) else "0",
        ),
        ("未到达的红色风险点" if zh else "Red spots not reached", str(len(plan.unvisited_red))),
    ]
    gpx = gpx_bytes(plan.routes, plan.stops, name="巡查路线")
    tables = {"stops": plan.stops, "routes": plan.routes, "checklist": plan.checklist}
    return PageResult(
        patrol_map(plan, lang=ctx.lang, reference=ctx.layers), figures, tables, gpx=gpx
    )


class VisitParams(BaseModel):
    """Parameters of the home-visit page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    village: str | None = Field(
        None, description="村代码 / village code (default: the village most overdue)"
    )
    date: PlanDate | None = Field(None, description="日期 / date")


@page(
    "visits",
    title={"zh": "入户走访计划", "en": "Home visits due"},
    question={
        "zh": "各村儿童主任哪些家访已逾期、本周到期?今天走访哪几户、怎么走?",
        "en": "Which home visits are overdue or due this week for each children's director, and which route today?",
    },
    params=VisitParams,
)
def visits(ctx: Context, params: BaseModel) -> PageResult:
    from analysis.privacy import aggregate_households
    from analysis.visits import plan_visits, visit_schedule
    from geo.network import build_network
    from maps.visits import visits_map

    assert isinstance(params, VisitParams)
    day = params.date or ctx.today
    metric = ctx.metric
    village = params.village
    if not village:
        schedule = visit_schedule(metric.households, settings=ctx.settings, date=day)
        overdue = schedule[schedule["visit_status"] == "overdue"]
        counts = (overdue if len(overdue) else schedule)["village_code"].value_counts()
        village = (
            str(counts.index[0])
            if len(counts)
            else str(metric.areas.loc[metric.areas["level"] == "village", "code"].iloc[0])
        )
    plan = plan_visits(
        metric, build_network(metric.roads), village=village, settings=ctx.settings, date=day
    )
    zh = ctx.lang == "zh"
    name = metric.areas.set_index("code")["name"].get(village, village)
    figures = [
        ("村" if zh else "Village", f"{name} ({village})"),
        ("应走访户数" if zh else "Households in scope", shown_count(ctx, len(plan.schedule))),
        ("家访已逾期" if zh else "Visits overdue", shown_count(ctx, len(plan.overdue))),
        ("本周到期" if zh else "Due this week", shown_count(ctx, len(plan.due_week))),
        (
            "未签委托照护协议" if zh else "No care agreement",
            shown_count(ctx, int(plan.schedule["no_care_agreement"].sum())),
        ),
        ("今日走访" if zh else "Visits today", shown_count(ctx, len(plan.stops))),
    ]
    cells = None
    if not ctx.authorised:
        hh = metric.households[metric.households["village_code"].astype(str) == village]
        cells = aggregate_households(
            hh, columns=["left_behind", "in_difficulty"], settings=ctx.settings.privacy
        )
    m = visits_map(
        plan, authorised=ctx.authorised, aggregates=cells, lang=ctx.lang, reference=ctx.layers
    )
    # household ids and due dates are for the children's director: only authorised servers offer them
    tables = {"overdue": plan.overdue, "due_week": plan.due_week} if ctx.authorised else {}
    return PageResult(m, figures, tables)


class SitingParams(BaseModel):
    """Parameters of the siting page (the small form beside the map)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: Literal["mclp", "lscp", "pmedian"] = Field("mclp", description="模型 / model")
    k: int = Field(2, ge=1, le=30, description="新建个数 / new sites (k)")
    standard_m: float | None = Field(
        None, gt=0, le=10_000, description="步行标准(米) / walking standard (m)"
    )


def _siting(ctx: Context, params: SitingParams) -> tuple[Layers, SitingResult]:
    from analysis.siting import site_facilities

    metric = ctx.metric
    result = site_facilities(
        metric,
        settings=ctx.settings,
        model=params.model,
        k=params.k,
        standard_m=allowed_standard(ctx, params.standard_m),
    )
    return metric, (result if ctx.authorised else result.public(ctx.settings.privacy))


def _candidate_text(result: SitingResult, zh: bool) -> str:
    n, was = len(result.candidates), result.candidates_thinned_from
    if was is None or result.candidate_spacing_m is None:
        return f"{n:,}"
    spacing = result.candidate_spacing_m
    if zh:
        return f"{n:,}(原 {was:,} 个,网格放大到 {spacing:,.0f} 米)"
    return f"{n:,} (of {was:,}; grid widened to {spacing:,.0f} m)"


@page(
    "siting",
    title={"zh": "儿童之家选址", "en": "Siting children's homes"},
    question={
        "zh": "预算有限时,新建的儿童之家或站点放在哪里,能让最多的儿童步行可达?",
        "en": "With a limited budget, where should new children's homes or stations go so that the most children can walk to one?",
    },
    params=SitingParams,
)
def siting(ctx: Context, params: BaseModel) -> PageResult:
    from maps.siting import siting_map

    assert isinstance(params, SitingParams)
    _, result = _siting(ctx, params)
    zh = ctx.lang == "zh"
    figures = [
        ("模型" if zh else "Model", result.model.upper()),
        ("新建站点" if zh else "New sites", str(len(result.chosen))),
        ("覆盖率(前)" if zh else "Coverage before", f"{result.coverage_before:.1%}"),
        ("覆盖率(后)" if zh else "Coverage after", f"{result.coverage_after:.1%}"),
        ("步行标准(米)" if zh else "Walking standard (m)", f"{result.standard_m:.0f}"),
        (
            "仍未覆盖户数" if zh else "Households still uncovered",
            shown_count(ctx, len(result.uncovered)),
        ),
        ("候选站点" if zh else "Candidate sites", _candidate_text(result, zh)),
        (
            "求解" if zh else "Solver",
            f"{result.solver} {result.status}, gap {result.gap:.2%}, {result.time_s:.2f} s",
        ),
    ]
    cells = map_cells(ctx, result.households, ["weight", "covered_before", "covered_after"])
    remote = ctx.remote()
    m = siting_map(
        result,
        demand_cells=cells,
        authorised=ctx.authorised,
        lang=ctx.lang,
        remote=remote,
        reference=ctx.layers,
    )
    return PageResult(
        m, figures, {"sites": result.chosen, "villages": result.villages}, remote=remote
    )


RESULT_COLLECTIONS["chosen_sites"] = ResultCollection(
    "选址结果 chosen sites",
    "New children's homes chosen by the maximal covering model (k=2, default standard).",
    lambda ctx: _siting(ctx, SitingParams())[1].chosen,
)


class CoverageParams(BaseModel):
    """Parameters of the coverage page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    standard_m: float | None = Field(
        None, gt=0, le=10_000, description="步行标准(米) / walking standard (m)"
    )


def allowed_standard(ctx: Context, standard_m: float | None) -> float | None:
    """The walking standard a page uses: as asked for an authorised role, otherwise quantised
    to ``privacy.standard_step_m`` (:func:`analysis.privacy.quantise_distance`, issue 15)."""
    from analysis.privacy import quantise_distance

    if ctx.authorised:
        return standard_m
    asked = ctx.settings.walking_standard_m if standard_m is None else standard_m
    return quantise_distance(asked, step_m=ctx.settings.privacy.standard_step_m)


def _coverage(ctx: Context, standard_m: float | None) -> tuple[CoverageResult, gpd.GeoDataFrame]:
    """The coverage result as the page's role may see it (:meth:`CoverageResult.public` when
    not authorised), and the uncovered households counted in map hexagons."""
    from analysis.coverage import assess_coverage

    result = assess_coverage(
        ctx.metric, settings=ctx.settings, standard_m=allowed_standard(ctx, standard_m)
    )
    h = result.households
    cells = map_cells(ctx, h.loc[~h["covered"]], ["children", "left_behind", "in_difficulty"])
    return (result if ctx.authorised else result.public(ctx.settings)), cells


@page(
    "coverage",
    title={"zh": "服务覆盖与缺口", "en": "Service coverage and gaps"},
    question={
        "zh": "哪些村、哪些儿童步行到不了儿童之家或保护站?哪里缺设施、缺儿童主任?",
        "en": "Which villages and children are beyond a walk to a children's home or station, and where are facilities or directors missing?",
    },
    params=CoverageParams,
)
def coverage(ctx: Context, params: BaseModel) -> PageResult:
    from maps.coverage import coverage_map

    assert isinstance(params, CoverageParams)
    result, cells = _coverage(ctx, params.standard_m)
    zh = ctx.lang == "zh"
    figures = [
        ("步行标准(米)" if zh else "Walking standard (m)", f"{result.standard_m:.0f}"),
        ("儿童总数" if zh else "Children", str(result.children)),
        ("步行可达儿童" if zh else "Children within the standard", str(result.children_covered)),
        ("覆盖率" if zh else "Share covered", f"{result.share_covered:.1%}"),
        (
            "未覆盖留守儿童" if zh else "Left-behind children uncovered",
            str(result.total("left_behind", uncovered=True)),
        ),
        (
            "未覆盖困境儿童" if zh else "Children in difficulty uncovered",
            str(result.total("in_difficulty", uncovered=True)),
        ),
        (
            "缺口区域" if zh else "Gap areas",
            str(int((~result.gaps["small"]).sum()) if len(result.gaps) else 0),
        ),
        ("政策检查问题" if zh else "Policy findings", str(len(result.checks))),
    ]
    gaps = result.gaps if ctx.authorised else result.gaps.loc[~result.gaps["small"]]
    tables: dict[str, pd.DataFrame] = {
        "villages": result.villages,
        "townships": result.townships,
        "checks": result.checks,
        "gaps": gaps,
        "service_areas": result.service_areas,
    }
    remote = ctx.remote()
    m = coverage_map(
        result,
        lang=ctx.lang,
        authorised=ctx.authorised,
        household_cells=cells,
        remote=remote,
        reference=ctx.layers,
    )
    return PageResult(m, figures, tables, remote=remote)


def _gap_collection(ctx: Context) -> gpd.GeoDataFrame:
    gaps = _coverage(ctx, None)[0].gaps
    return gaps if ctx.authorised else gaps.loc[~gaps["small"]]


RESULT_COLLECTIONS["gap_areas"] = ResultCollection(
    "覆盖缺口区域 gap areas",
    "Households beyond the walking standard: clusters for authorised roles; otherwise groups of "
    "adjacent hexagon cells, each with at least the minimum households, counts rounded.",
    _gap_collection,
)


# The index lists the maps by question, in the order a planner works through them.
_ORDER = ("risk", "coverage", "siting", "patrol", "visits", "flood", "overview")
PAGES = {name: PAGES[name] for name in (*_ORDER, *(n for n in PAGES if n not in _ORDER))}
