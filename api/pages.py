"""The map pages the server offers: one per question, each computing its analysis and its map.

A page takes the loaded layers and its query parameters (a pydantic model, so a bad value is a
422 with the reason) and returns a :class:`PageResult`: the folium map, the summary figures shown
beside it and the tables offered for download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import folium
import geopandas as gpd
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from geo.layers import Layers
from geo.settings import Language, Settings

if TYPE_CHECKING:
    from analysis.flood import FloodReview


@dataclass(frozen=True)
class PageResult:
    """What a map page shows: the map, the figures beside it and the downloadable tables."""

    map: folium.Map
    figures: list[tuple[str, str]]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    gpx: bytes | None = None


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DateParams(BaseModel):
    """A page computed for a date (the flood season and holidays depend on it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date | None = None


@dataclass(frozen=True)
class Context:
    """What every page computation receives."""

    layers: Layers
    settings: Settings
    lang: Language
    authorised: bool
    today: dt.date


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


@page(
    "overview",
    title={"zh": "数据总览", "en": "Data overview"},
    question={
        "zh": "本地区有哪些水域、道路、学校、儿童服务设施和隐患?重点儿童分布在哪里(聚合)?",
        "en": "Which waters, roads, schools, child facilities and hazards are there, and where do the children live (aggregated)?",
    },
)
def overview(ctx: Context, _params: BaseModel) -> PageResult:
    from analysis.privacy import aggregate_households
    from geo.summary import summarise
    from maps.overview import overview_map

    metric = ctx.layers.to_metric()
    cells = aggregate_households(
        metric.households,
        columns=["children", "left_behind", "in_difficulty"],
        settings=ctx.settings.privacy,
    )
    figures = [
        (row.title, f"{row.features}")
        for row in summarise(ctx.layers, lang=ctx.lang)
        if row.present
    ]
    table = pd.DataFrame(
        [(r.layer, r.title, r.features, r.details) for r in summarise(ctx.layers, lang=ctx.lang)],
        columns=["layer", "title", "features", "details"],
    )
    cells_out = cells.drop(columns=[]).copy()
    return PageResult(
        overview_map(ctx.layers, cells=cells, lang=ctx.lang),
        figures,
        {"layers": table, "cells": cells_out},
    )


def _level_figures(
    counts: dict[str, int], lang: Language, labels: dict[str, dict[Language, str]]
) -> list[tuple[str, str]]:
    return [(labels[k][lang], str(v)) for k, v in counts.items()]


class FloodParams(BaseModel):
    """Parameters of the flood-season review page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date | None = Field(None, description="日期 / date")
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

    return review_institutions(
        ctx.layers.to_metric(),
        settings=ctx.settings,
        date=params.date or ctx.today,
        region=params.region,
    )


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
            str(exposed["high"]),
        )
    )
    due = "、".join(r.label(ctx.lang) for r in review.reviews) or (
        "无" if ctx.lang == "zh" else "none"
    )
    figures.append(("今日应开展" if ctx.lang == "zh" else "Reviews due", due))
    return PageResult(
        flood_map(review, lang=ctx.lang),
        figures,
        {
            "institutions": review.institutions,
            "checklist": review.checklist,
            "routes": review.routes,
        },
    )


def _flood_collection(ctx: Context) -> gpd.GeoDataFrame:
    review = _flood_review(ctx, FloodParams())
    return review.institutions


RESULT_COLLECTIONS["flood_review"] = ResultCollection(
    "汛期隐患排查 flood review",
    "Child institutions with their flood-season hazard level and reasons.",
    _flood_collection,
)
