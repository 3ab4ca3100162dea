"""One contract for every analysis, and the registry every front end iterates.

An analysis declares what it is (its name, and the catalogue codes of its title and question),
its parameters (one pydantic model: the CLI options, the query string of ``/api/<path>``, the
OpenAPI schema and the map page's form), what it needs (layers, the road network), how it runs
(:attr:`Analysis.run`, pure, returning its frozen result), how a role without household access
sees the result (:attr:`Analysis.public`), and what the result shows: its tables, its figures and
its notes as data (catalogue codes and numbers, rendered by :func:`geo.i18n.tr`). Its place in the
index, the OGC collections it offers and its ``tongan province`` stage are attributes too.

Each analysis module registers its contract at its end (:func:`register`); :func:`analyses`
imports every module of the :mod:`analysis` package once, so adding an analysis adds a module
and touches no list. The map server's pages, ``/api/*``, the OGC result collections, the CLI and
``tongan province`` iterate :func:`analyses`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel, ConfigDict

from geo.bounds import BoundedDate
from geo.i18n import Note, tr
from geo.layers import Layers
from geo.settings import Language, Settings

if TYPE_CHECKING:
    import geopandas as gpd

    from analysis.county import CountyStage
    from geo.network import RoadNetwork

__all__ = [
    "MAP_MAX_CELLS",
    "Analysis",
    "Collection",
    "DateParams",
    "Figure",
    "Inputs",
    "Joined",
    "NoParams",
    "PlanDate",
    "Said",
    "View",
    "allowed_standard",
    "analyses",
    "get",
    "map_cells",
    "register",
    "shown_count",
]

#: A date an analysis can be computed for (pandas holds dates up to 2262).
PlanDate = BoundedDate  # 1990-2199, the bounds stated in the schema (geo.bounds)


class NoParams(BaseModel):
    """An analysis without parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DateParams(BaseModel):
    """An analysis computed for a date (the flood season and holidays depend on it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = None


@dataclass(eq=False)
class Inputs:
    """What every analysis run receives.

    Attributes
    ----------
    layers
        The layers as loaded (their own CRS).
    metric
        The same layers in their metric CRS.
    settings
        All settings.
    today
        The day an analysis is computed for when its parameters give no date.
    authorised
        Whether the role asking sees households; an analysis built on another one (the patrol
        on the risk spots) starts from that one's public view when not.
    network
        The road network of ``metric``; built on first use (:meth:`road_network`) when None.
    extras
        Inputs only a front end has (``--dem`` of the flood review, ``--candidates`` of the
        siting, the patrol's start point): name -> value, see :attr:`Analysis.extras`.
    """

    layers: Layers
    metric: Layers
    settings: Settings
    today: dt.date
    authorised: bool = True
    network: RoadNetwork | None = None
    extras: Mapping[str, Any] = field(default_factory=dict)

    def road_network(self) -> RoadNetwork:
        """The road network of the metric layers, built once."""
        if self.network is None:
            from geo.network import build_network

            self.network = build_network(self.metric.roads)
        return self.network


@dataclass(frozen=True)
class View:
    """Who looks at a result: whether the role sees households, the settings, the language
    of the tables' text columns (:func:`geo.i18n.in_language`)."""

    authorised: bool
    settings: Settings
    lang: Language = "zh"


@dataclass(frozen=True)
class Joined:
    """Several labelled values shown as one (joined by ``separator``), or the message ``empty``
    when there is none. Each item has ``label(lang)`` or ``render(lang)``."""

    items: tuple[Any, ...]
    empty: str = "figure_none"
    separator: str = "、"

    def render(self, lang: Language) -> str:
        texts = [i.label(lang) if hasattr(i, "label") else i.render(lang) for i in self.items]
        return self.separator.join(texts) or tr(self.empty, lang)


@dataclass(frozen=True)
class Said:
    """A remark an analysis already wrote in both languages (its text for ``lang``)."""

    zh: str
    en: str

    def render(self, lang: Language) -> str:
        text: str = getattr(self, lang)
        return text


@dataclass(frozen=True)
class Figure:
    """A summary figure as data: the label's catalogue code (or a :class:`geo.i18n.Note`) and
    a value.

    ``value`` is a number (formatted with ``spec``), a :class:`geo.i18n.Note`, a :class:`Joined`
    or text. ``people`` marks a count of children or households: a role without household access
    sees it rounded to ``privacy.round_base`` (:func:`shown_count`).
    """

    label: str | Note
    value: object
    spec: str = ""
    people: bool = False

    def render(self, lang: Language, view: View) -> tuple[str, str]:
        """The label and the value, as shown beside the map."""
        value = self.value
        if self.people:
            text = shown_count(float(value), authorised=view.authorised, settings=view.settings)  # type: ignore[arg-type]
        elif isinstance(value, Note | Joined | Said):
            text = value.render(lang)
        elif isinstance(value, str):
            text = value
        else:
            text = format(value, self.spec)
        label = self.label.render(lang) if isinstance(self.label, Note) else tr(self.label, lang)
        return label, text


def shown_count(value: float, *, authorised: bool, settings: Settings) -> str:
    """A count of children or households as a role may see it: exact when authorised,
    otherwise rounded to ``privacy.round_base`` (:func:`analysis.privacy.round_count`)."""
    from analysis.privacy import round_count

    if authorised:
        return str(int(value))
    return str(round_count(value, base=settings.privacy.round_base))


#: A map shows at most about this many hexagon cells: above it the cells grow (the side
#: doubles until they fit), so a county's map aggregates more coarsely than a township's
#: (issue 8: aggregate, then send by URL). Bigger cells only hold more households.
MAP_MAX_CELLS = 3000


def map_cells(
    households: gpd.GeoDataFrame, columns: list[str], *, settings: Settings
) -> gpd.GeoDataFrame:
    """Households counted in hexagons (:func:`analysis.privacy.aggregate_households`), with
    cells of the ``privacy.cell_m`` side, or coarser when there would be more than
    :data:`MAP_MAX_CELLS`: the cells every map and every file of household counts use."""
    from analysis.privacy import aggregate_households

    privacy = settings.privacy
    cells = aggregate_households(households, columns=columns, settings=privacy)
    while len(cells) > MAP_MAX_CELLS:
        privacy = privacy.model_copy(update={"cell_m": privacy.cell_m * 2})
        cells = aggregate_households(households, columns=columns, settings=privacy)
    return cells


def allowed_standard(
    standard_m: float | None, *, authorised: bool, settings: Settings
) -> float | None:
    """The walking standard an analysis uses: as asked for an authorised role, otherwise
    quantised to ``privacy.standard_step_m`` (:func:`analysis.privacy.quantise_distance`)."""
    from analysis.privacy import quantise_distance

    if authorised:
        return standard_m
    asked = settings.walking_standard_m if standard_m is None else standard_m
    return quantise_distance(asked, step_m=settings.privacy.standard_step_m)


@dataclass(frozen=True)
class Collection:
    """A result table offered as an OGC API collection, computed with default parameters."""

    id: str
    title: str
    description: str
    frame: Callable[[Any, View], gpd.GeoDataFrame]


def _no_notes(result: Any) -> Sequence[Note | Said]:
    return ()


@dataclass(frozen=True)
class Analysis:
    """The contract of one analysis.

    Attributes
    ----------
    name
        Registry key and map page name (``/maps/<name>``).
    title, question
        Catalogue codes of the title and the planner's question it answers.
    params
        The parameters (one pydantic model, frozen, ``extra="forbid"``).
    run
        ``run(inputs, params) -> result``: pure, returns the frozen result.
    order
        Place in the index (smaller first).
    path
        ``/api/<path>`` and the CLI command; ``name`` when empty.
    needs
        Layers the analysis reads (required ones are checked on loading).
    network
        Whether it routes on the road network (:meth:`Inputs.road_network`).
    public
        ``public(result, settings) -> result``: the view of a role without household access.
    tables, figures, notes
        What a result shows, as data, for a :class:`View`.
    collections
        Result tables offered by the OGC API.
    stage
        The ``tongan province`` stage (one county); ``stage_name`` names its folder and bar.
    api
        Whether ``/api/<path>`` offers it.
    extras
        Extra inputs a front end may give (name -> help), passed in :attr:`Inputs.extras`.
    track, track_name
        ``track(result) -> (routes, stops)`` offered as a GPX file named by the catalogue
        code ``track_name``.
    cli
        Whether ``tongan <route>`` is generated from the contract (:mod:`api.commands.analyses`);
        False for an analysis whose command has a module of its own.
    """

    name: str
    title: str
    question: str
    params: type[BaseModel]
    run: Callable[[Inputs, Any], Any]
    order: int
    tables: Callable[[Any, View], Mapping[str, pd.DataFrame]]
    figures: Callable[[Any, View], Sequence[Figure]]
    notes: Callable[[Any], Sequence[Note | Said]] = _no_notes
    public: Callable[[Any, Settings], Any] | None = None
    path: str = ""
    needs: tuple[str, ...] = ()
    network: bool = False
    collections: tuple[Collection, ...] = ()
    stage: CountyStage | None = None
    stage_name: str = ""
    api: bool = True
    extras: Mapping[str, str] = field(default_factory=dict)
    track: Callable[[Any], tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]] | None = None
    track_name: str = ""
    cli: bool = True

    @property
    def route(self) -> str:
        """The ``/api/<route>`` path and CLI command name."""
        return self.path or self.name

    @property
    def stage_key(self) -> str:
        return self.stage_name or self.name

    def label(self, lang: Language) -> str:
        """The title in ``lang``."""
        return tr(self.title, lang)

    def ask(self, lang: Language) -> str:
        """The question in ``lang``."""
        return tr(self.question, lang)

    def view(self, result: Any, view: View) -> Any:
        """The result as ``view`` may see it (:attr:`public` for a role without access)."""
        if view.authorised or self.public is None:
            return result
        return self.public(result, view.settings)

    def compute(self, inputs: Inputs, params: BaseModel) -> Any:
        """Run and return the result as the role of ``inputs`` may see it."""
        result = self.run(inputs, params)
        return self.view(result, View(inputs.authorised, inputs.settings))


_REGISTRY: dict[str, Analysis] = {}
_DISCOVERED: list[bool] = []


def register(analysis: Analysis) -> Analysis:
    """Add an analysis to the registry (a module calls it at its end)."""
    _REGISTRY[analysis.name] = analysis
    return analysis


def _discover() -> None:
    """Import every public module of :mod:`analysis` once: each registers its contract."""
    if _DISCOVERED:
        return
    _DISCOVERED.append(True)
    import analysis

    for info in sorted(pkgutil.iter_modules(analysis.__path__), key=lambda m: m.name):
        if not info.name.startswith("_") and info.name != "registry":
            importlib.import_module(f"analysis.{info.name}")


def analyses() -> dict[str, Analysis]:
    """Every registered analysis by name, in index order."""
    _discover()
    return dict(sorted(_REGISTRY.items(), key=lambda kv: (kv[1].order, kv[0])))


def get(name: str) -> Analysis:
    """The analysis registered as ``name``."""
    return analyses()[name]
