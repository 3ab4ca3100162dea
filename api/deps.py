"""Dependencies of the routes, as ``Annotated`` aliases that keep their signatures short.

``StateDep``, ``SettingsDep``, ``WorkspaceDep``, ``SnapshotDep`` and ``CacheDep`` reach the
app's :class:`api.state.ServerState`; ``PrincipalDep`` is who asks (resolved by the identity
middleware); ``LangDep`` and ``BasemapDep`` read ``?lang=`` and ``?basemap=``; ``PageDep``,
``PageParamsDep`` and ``RenderedDep`` resolve ``/maps/{name}``: the page, its parameters from
the query string, and its (cached) result.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from api.auth import CurrentPrincipal
from api.errors import PageError
from api.pages import PAGES, Page
from api.results import PageResults, Rendered
from api.state import ServerState
from api.templating import lang_of
from api.workspace import Snapshot, Workspace
from geo.i18n import tr
from geo.settings import Language, Settings
from maps.chinese_tiles import Basemap

#: Query parameters every page takes besides its own.
COMMON_PARAMS = frozenset({"lang", "basemap"})


def get_state(request: Request) -> ServerState:
    return ServerState.of(request.app)


StateDep = Annotated[ServerState, Depends(get_state)]


def get_settings(state: StateDep) -> Settings:
    return state.settings


def get_workspace(state: StateDep) -> Workspace:
    return state.workspace


def get_snapshot(workspace: Annotated[Workspace, Depends(get_workspace)]) -> Snapshot:
    return workspace.snapshot()


def get_cache(state: StateDep) -> PageResults:
    return state.results


SettingsDep = Annotated[Settings, Depends(get_settings)]
WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]
CacheDep = Annotated[PageResults, Depends(get_cache)]
PrincipalDep = CurrentPrincipal
LangDep = Annotated[Language, Depends(lang_of)]


def get_basemap(request: Request, settings: SettingsDep, lang: LangDep) -> Basemap:
    """``?basemap=`` (the settings' basemap by default); Tianditu only with a key.

    Raises
    ------
    PageError
        (422) Not one of the basemaps this server offers.
    """
    value = request.query_params.get("basemap", settings.basemap)
    choices: list[Basemap] = ["osm", "blank", "amap"]
    if settings.tianditu_key:
        choices.append("tianditu")
    for choice in choices:
        if value == choice:
            return choice
    reason = " | ".join(choices)
    if value == "tianditu":
        reason = tr("server_tianditu_key", lang)
    raise PageError(422, tr("server_bad_param", lang, field="basemap", msg=reason))


BasemapDep = Annotated[Basemap, Depends(get_basemap)]


def get_page(name: str, lang: LangDep) -> Page:
    """The map page ``name`` of ``/maps/{name}``; a 404 page naming the others otherwise."""
    if name not in PAGES:
        raise PageError(404, tr("server_not_found", lang, name=name, names=", ".join(PAGES)))
    return PAGES[name]


PageDep = Annotated[Page, Depends(get_page)]


def get_page_params(request: Request, page: PageDep, lang: LangDep) -> BaseModel:
    """The page's parameters from the query string.

    Raises
    ------
    PageError
        (422) A parameter the page does not take, or a bad value (naming the field).
    """
    raw = {k: v for k, v in request.query_params.items() if k not in COMMON_PARAMS}
    allowed = list(page.params.model_fields)
    for key in raw:
        if key not in allowed:
            text = tr("server_unknown_param", lang, field=key, allowed=", ".join(allowed) or "-")
            raise PageError(422, text)
    try:
        return page.params.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "?"
        raise PageError(422, tr("server_bad_param", lang, field=field, msg=first["msg"])) from None


PageParamsDep = Annotated[BaseModel, Depends(get_page_params)]


def get_rendered(
    state: StateDep,
    page: PageDep,
    params: PageParamsDep,
    lang: LangDep,
    basemap: BasemapDep,
    principal: PrincipalDep,
) -> Rendered:
    """The page's result for the request's parameters, language, basemap and role (a user
    with an area: its own households exactly, nobody else's)."""
    return state.page_result(
        page,
        params,
        lang=lang,
        basemap=basemap,
        sees=principal.sees_households,
        villages=principal.villages,
    )


RenderedDep = Annotated[Rendered, Depends(get_rendered)]

__all__ = [
    "BasemapDep",
    "CacheDep",
    "LangDep",
    "PageDep",
    "PageParamsDep",
    "PrincipalDep",
    "RenderedDep",
    "SettingsDep",
    "SnapshotDep",
    "StateDep",
    "WorkspaceDep",
]
