"""The map server's state, in one object on ``app.state``: settings, workspace, results, today.

:func:`build_state` reads and validates the layers once; :class:`ServerState` then computes
each page from the workspace's current snapshot (:meth:`ServerState.page_result`), caching the
result per layer version and parameters. Routes reach it through :mod:`api.deps`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from starlette.applications import Starlette

from api.auth import Principal
from api.pages import Context, Page, PageResult, layer_url
from api.plan_jobs import PlanJobs
from api.results import PageResults, Rendered, map_html, public_result, recording
from api.workspace import Snapshot, Workspace
from geo.errors import TonganError
from geo.layers import Layers
from geo.settings import Language, Role, Settings
from geo.storage import Store
from geo.tiles import TileSource, open_tiles
from maps.base import open_on
from maps.chinese_tiles import Basemap

#: Whether :class:`api.pages.Context` takes the snapshot's road network (``network``).
#: Transitional: the field comes with the analysis contract (issue 17, item 1); once merged,
#: this is always True and the test can go.
CONTEXT_TAKES_NETWORK = "network" in {f.name for f in dataclasses.fields(Context)}


def layers_version(source: Path) -> str:
    """A fingerprint of the source files: results are cached per version."""
    digest = hashlib.sha256()
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    for path in files:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ServerState:
    """Everything the routes share: one per app, stored as ``app.state.tongan``.

    Attributes
    ----------
    settings
        Settings of every analysis and of the server.
    workspace
        The layers and the workspace database (:class:`api.workspace.Workspace`).
    anonymous
        The principal of a request without a token.
    today
        The default date of date-dependent pages (called per computation).
    results
        The page results, cached per layer version (:class:`api.results.PageResults`).
    started
        When the server started (``time.time()``).
    plans
        The plans being made in the background (:mod:`api.routes.plan`).
    tiles
        The county's offline basemap (``settings.tiles``, :mod:`geo.tiles`), or None.
    """

    settings: Settings
    workspace: Workspace
    anonymous: Principal
    today: Callable[[], dt.date] = dt.date.today
    results: PageResults = field(default_factory=PageResults)
    started: float = field(default_factory=time.time)
    tiles: TileSource | None = None
    plans: PlanJobs = field(default_factory=PlanJobs)

    @staticmethod
    def of(app: Starlette) -> ServerState:
        """The state of ``app`` (set by :func:`api.main.create_app`)."""
        state: ServerState = app.state.tongan
        return state

    @property
    def store(self) -> Store | None:
        """The workspace database (None: read-only, every request anonymous)."""
        return self.workspace.store

    @property
    def version(self) -> str:
        """Fingerprint of the layer files (``memory`` for layers given in memory)."""
        return self.workspace.base_version

    @property
    def tianditu_key(self) -> str | None:
        key = self.settings.tianditu_key
        return key.get_secret_value() if key else None

    def context(
        self,
        snap: Snapshot,
        lang: Language,
        sees: bool,
        *,
        seen: set[str] | None = None,
        url: Callable[[str], str] | None = None,
        network: bool = True,
        villages: frozenset[str] | None = None,
    ) -> Context:
        """The page Context of ``snap``; with ``seen``, the layers read are noted in it.

        With ``villages``, the households are those of these villages only (a user with an
        area: its own households exactly, no other household enters the analysis).

        With ``network``, the Context gets the snapshot's road network (built on the first
        request that routes, then shared by every page and request of this roads version).
        """
        layers, metric = snap.layers, snap.metric
        if villages is not None:
            layers, metric = (in_villages(frame, villages) for frame in (layers, metric))
        if seen is not None:
            layers, metric = recording(layers, seen), recording(metric, seen)
        extra: dict[str, Any] = {}
        if CONTEXT_TAKES_NETWORK and network:
            # built once per roads version; without usable roads, a page that needs them
            # says so when it builds them itself
            with contextlib.suppress(TonganError):
                extra["network"] = snap.network()
            if seen is not None:
                seen.add("roads")
        return Context(
            layers=layers,
            settings=self.settings,
            lang=lang,
            authorised=sees,
            today=self.today(),
            metric=metric,
            layer_url=url,
            **extra,
        )

    def page_result(
        self,
        page: Page,
        params: BaseModel,
        *,
        lang: Language,
        basemap: Basemap,
        sees: bool,
        villages: frozenset[str] | None = None,
    ) -> Rendered:
        """The page computed for these parameters, or its cached result while the layers it
        read are unchanged. A role that does not see households gets the public tables; a
        user with an area (``villages``, not empty) the exact result of its own households."""
        snap = self.workspace.snapshot()
        own = own_villages(sees, villages)
        sees = sees or own is not None
        scoped = ",".join(sorted(own or ()))  # whose households the result holds ("" all)
        key = (page.name, lang, basemap, sees, f"{params.model_dump_json()}|{scoped}")
        hit = self.results.get(key, snap)
        if hit is not None:
            return hit
        seen: set[str] = set()
        # large layers go by URL: see routes.maps.map_layer
        url = layer_url(params, lang, basemap)
        ctx = self.context(snap, lang, sees, seen=seen, url=url, network=routes(page), villages=own)
        result = page.build(ctx, params)
        if own is not None:  # a director's or supervisor's maps open on their own villages
            areas = snap.layers.areas
            seen.add("areas")
            open_on(result.map, areas.loc[areas["code"].astype(str).isin(own)])
        depends = tuple((n, snap.layer_version(n)) for n in sorted(seen))
        if not sees:
            result = public_result(result, self.settings)
        html = functools.partial(
            map_html,
            result,
            snap,
            lang=lang,
            basemap=basemap,
            tianditu_key=self.tianditu_key,
            tiles=self.tiles.info if self.tiles is not None else None,
        )
        rendered = Rendered(result, html)
        self.results.put(key, depends, rendered)
        return rendered

    def api_result(
        self, page: Page, params: BaseModel, lang: Language, who: Principal
    ) -> PageResult:
        """The data API's result of a page: the map page's, on the default basemap."""
        return self.page_result(
            page,
            params,
            lang=lang,
            basemap=self.settings.basemap,
            sees=who.sees_households,
            villages=who.villages,
        ).result


def own_villages(sees: bool, villages: frozenset[str] | None) -> frozenset[str] | None:
    """The villages whose households alone enter a user's results: None for a user who sees
    every household (or none: the public view), else the user's own villages."""
    if sees or not villages:
        return None
    return villages


def in_villages(layers: Layers, villages: frozenset[str]) -> Layers:
    """``layers`` with the households of ``villages`` only."""
    households = layers.households
    keep = households["village_code"].astype(str).isin(villages)
    return dataclasses.replace(layers, households=households.loc[keep])


def routes(page: Page) -> bool:
    """Whether the page's analysis routes on the road network (when the page says; a page
    that does not say gets the network, as the safe guess)."""
    analysis = getattr(page, "analysis", None)
    return analysis is None or bool(getattr(analysis, "network", True))


def build_state(
    source: Path | None,
    *,
    settings: Settings,
    layers: Layers | None,
    authorised: bool,
    today: dt.date | None,
    store: Store | None,
) -> ServerState:
    """Read and validate the layers (the embedded sample without ``source``) and the state
    over them; the parameters are :func:`api.main.create_app`'s."""
    from geo.load import read_layers
    from geo.validate import validate_layers

    if source is None:
        from sample_layers.generate import SAMPLE_PATH

        source = SAMPLE_PATH
    if layers is None:
        layers, report = validate_layers(read_layers(source), settings=settings)
        report.raise_if_fatal(settings.language)
    version = layers_version(source) if source.exists() else "memory"
    role: Role = "civil_affairs" if authorised else settings.api.anonymous_role
    return ServerState(
        tiles=open_tiles(settings.tiles) if settings.tiles is not None else None,
        settings=settings,
        workspace=Workspace(layers, version, settings=settings, store=store),
        anonymous=Principal("anonymous", role),
        today=dt.date.today if today is None else functools.partial(_same_day, today),
    )


def _same_day(day: dt.date) -> dt.date:
    return day
