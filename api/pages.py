"""The map pages the server offers: one per registered analysis (:mod:`analysis.registry`).

A page takes the loaded layers and its query parameters (the analysis's pydantic model, so a bad
value is a 422 with the reason), runs the analysis, takes the view of the role asking, and returns
a :class:`PageResult`: the folium map (drawn by the drawer registered in :mod:`maps.registry`),
the summary figures shown beside it and the tables offered for download. Nothing here names an
analysis: :data:`PAGES` and :data:`RESULT_COLLECTIONS` are derived from the registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import folium
import geopandas as gpd
import pandas as pd
from pydantic import BaseModel

from analysis.registry import (
    Analysis,
    DateParams,
    Inputs,
    NoParams,
    PlanDate,
    View,
    analyses,
)
from analysis.registry import allowed_standard as _allowed_standard
from analysis.registry import map_cells as _map_cells
from analysis.registry import shown_count as _shown_count
from geo.i18n import tr
from geo.layers import Layers
from geo.messages import LANGUAGES
from geo.settings import Language, Settings
from maps.registry import MapContext, draw
from maps.remote import RemoteLayers

if TYPE_CHECKING:
    from geo.network import RoadNetwork

__all__ = [
    "PAGES",
    "RESULT_COLLECTIONS",
    "Context",
    "DateParams",
    "NoParams",
    "Page",
    "PageResult",
    "PlanDate",
    "ResultCollection",
    "allowed_standard",
    "layer_url",
    "map_cells",
    "shown_count",
]


@dataclass(frozen=True)
class PageResult:
    """What a map page shows: the map, the figures beside it and the downloadable tables."""

    map: folium.Map
    figures: list[tuple[str, str]]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    gpx: bytes | None = None
    #: The map's layers sent by URL (served at ``/maps/{name}/layers/{key}.geojson``).
    remote: RemoteLayers | None = None


@dataclass(frozen=True)
class Context:
    """What every page computation receives.

    ``metric`` holds the same layers in their metric CRS, projected once per server rather than
    once per page computation. ``layer_url`` (the map server's, from a layer key to its URL)
    lets the page send its large layers by URL (:mod:`maps.remote`); without it every layer is
    written into the map's HTML. ``network`` is the road network of ``metric`` (the workspace
    snapshot builds it once per layer version); when None it is built on first use, once per
    context.
    """

    layers: Layers
    settings: Settings
    lang: Language
    authorised: bool
    today: dt.date
    metric: Layers
    layer_url: Callable[[str], str] | None = None
    network: RoadNetwork | None = None
    _inputs: list[Inputs] = field(default_factory=list, repr=False, compare=False)

    def remote(self) -> RemoteLayers | None:
        """Where this page's large layers go, or ``None`` to inline them all."""
        if self.layer_url is None:
            return None
        return RemoteLayers(
            self.layer_url,
            self.settings.map_inline_max_features,
            simplify_m=self.settings.map_simplify_m,
        )

    def inputs(self) -> Inputs:
        """The analyses' inputs, made once: the network built for one analysis serves the next."""
        if not self._inputs:
            self._inputs.append(
                Inputs(
                    self.layers,
                    self.metric,
                    self.settings,
                    self.today,
                    authorised=self.authorised,
                    network=self.network,
                )
            )
        return self._inputs[0]

    def view(self) -> View:
        """Who looks: the role's household access, the settings and the language."""
        return View(self.authorised, self.settings, self.lang)

    def map_context(self, remote: RemoteLayers | None) -> MapContext:
        return MapContext(
            self.layers, self.metric, self.settings, self.lang, self.authorised, remote
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


def map_cells(ctx: Context, households: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    """Households counted in hexagons for a map (:func:`analysis.registry.map_cells`)."""
    return _map_cells(households, columns, settings=ctx.settings)


def shown_count(ctx: Context, value: float) -> str:
    """A count of children or households as the page's role may see it
    (:func:`analysis.registry.shown_count`)."""
    return _shown_count(value, authorised=ctx.authorised, settings=ctx.settings)


def allowed_standard(ctx: Context, standard_m: float | None) -> float | None:
    """The walking standard a page uses (:func:`analysis.registry.allowed_standard`)."""
    return _allowed_standard(standard_m, authorised=ctx.authorised, settings=ctx.settings)


def build_page(analysis: Analysis, ctx: Context, params: BaseModel) -> PageResult:
    """Run ``analysis`` for the page's role and draw its map, figures and tables."""
    from geo.export import gpx_bytes

    result = analysis.compute(ctx.inputs(), params)
    view = ctx.view()
    figures = [f.render(ctx.lang, view) for f in analysis.figures(result, view)]
    remote = ctx.remote()
    m = draw(analysis.name, result, ctx.map_context(remote))
    gpx = None
    if analysis.track is not None:
        routes, stops = analysis.track(result)
        gpx = gpx_bytes(routes, stops, name=tr(analysis.track_name, "zh"))
    return PageResult(m, figures, dict(analysis.tables(result, view)), gpx=gpx, remote=remote)


Builder = Callable[[Context, BaseModel], PageResult]


@dataclass(frozen=True)
class Page:
    """One map page of the index: a registered analysis, its titles in each language."""

    name: str
    title: dict[Language, str]
    question: dict[Language, str]
    params: type[BaseModel]
    build: Builder
    analysis: Analysis | None = None


def page_of(analysis: Analysis) -> Page:
    """The map page of a registered analysis."""

    def build(ctx: Context, params: BaseModel) -> PageResult:
        return build_page(analysis, ctx, params)

    return Page(
        analysis.name,
        {lang: analysis.label(lang) for lang in LANGUAGES},
        {lang: analysis.ask(lang) for lang in LANGUAGES},
        analysis.params,
        build,
        analysis,
    )


#: Every map page, in the index order (the order a planner works through them).
PAGES: dict[str, Page] = {name: page_of(a) for name, a in analyses().items()}


@dataclass(frozen=True)
class ResultCollection:
    """An analysis result offered as an OGC API collection (computed with default parameters)."""

    title: str
    description: str
    load: Callable[[Context], gpd.GeoDataFrame]


def _collection_loader(
    analysis: Analysis, frame: Callable[[Any, View], Any]
) -> Callable[[Context], gpd.GeoDataFrame]:
    def load(ctx: Context) -> gpd.GeoDataFrame:
        result = analysis.compute(ctx.inputs(), analysis.params())
        out: gpd.GeoDataFrame = frame(result, ctx.view())
        return out

    return load


#: The OGC result collections of every registered analysis.
RESULT_COLLECTIONS: dict[str, ResultCollection] = {
    c.id: ResultCollection(c.title, c.description, _collection_loader(a, c.frame))
    for a in analyses().values()
    for c in a.collections
}
