"""The map server: an index of questions, one interactive map page per question, downloads.

:func:`create_app` loads and validates the layers once (:func:`api.state.build_state`); each
page recomputes its analysis from the query string (``?date=2026-07-15&standard_m=1000``) and
caches the result per layer version and parameters, so a repeat is instant. Every asset the
pages use is served from this machine. The routes are in :mod:`api.routes` (a router per
resource), their dependencies in :mod:`api.deps`, the error handlers in :mod:`api.errors`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from api.data_api import api_router
from api.errors import install_error_handlers, refuse_bad_input
from api.login import Accounts, login_router
from api.middleware import add_cors, identify
from api.routes import (
    assets,
    health,
    index,
    maps,
    ogc,
    patrols,
    photos,
    plan,
    quarantine,
    supervise,
    tiles,
    visits,
)
from api.state import build_state
from geo.layers import Layers
from geo.settings import Settings, get_settings
from geo.storage import Store

API_DOC = """童安 Tongan data API: the analyses as JSON and GeoJSON, inspection records, layer
imports, and OGC API - Features under `/ogc` for QGIS and GDAL.

Send `Authorization: Bearer TOKEN` (a token from `tongan user add NAME --role ROLE`), or sign in
at `/login` (a session cookie; writes then need the page's `X-CSRF-Token`). Without either a
request has the anonymous role (viewer unless the server runs with `--authorised`):
aggregates and public layers only. Errors are JSON: `{"code": ..., "description": ...}`.
"""


def create_app(
    source: Path | None = None,
    *,
    settings: Settings | None = None,
    layers: Layers | None = None,
    authorised: bool = False,
    today: dt.date | None = None,
    store: Store | None = None,
) -> FastAPI:
    """Build the map server for one study area.

    Parameters
    ----------
    source
        GeoPackage or folder of layers; the embedded sample when omitted.
    settings
        Settings for every analysis; :func:`geo.settings.get_settings` by default.
    layers
        Already validated layers (tests); read from ``source`` otherwise.
    authorised
        Whether a request without a token may see household-level locations (a single-user
        desktop): its role becomes civil_affairs instead of ``settings.api.anonymous_role``.
    today
        The default date of date-dependent pages (today by default).
    store
        The workspace database (inspections, imported layers, users, audit log); without one
        the server is read-only and every request has the anonymous role.
    """
    settings = settings or get_settings()
    state = build_state(
        source, settings=settings, layers=layers, authorised=authorised, today=today, store=store
    )
    app = FastAPI(title="Tongan 童安", docs_url="/docs", openapi_url="/openapi.json")
    app.state.tongan = state
    app.state.workspace = state.workspace  # read by api.data_api
    Accounts(state.store, settings, state.anonymous).install(app)
    add_cors(app, settings)  # the innermost: refused requests below carry no CORS headers
    app.middleware("http")(identify)
    app.middleware("http")(refuse_bad_input)  # the outermost: before any token is looked at
    install_error_handlers(app)
    routers = (index.router, quarantine.router, health.router, maps.router, assets.router)
    for router in (*routers, tiles.router, plan.router):
        app.include_router(router)
    app.include_router(ogc.router())
    app.include_router(login_router())
    app.include_router(api_router(state.api_result, state.workspace, settings))
    app.include_router(patrols.router)
    app.include_router(visits.router)
    app.include_router(photos.router)
    app.include_router(supervise.router)
    app.include_router(supervise.pages)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The schema, with the token optional: a request without one is the anonymous role."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(
            title=app.title, version=app.version, routes=app.routes, description=API_DOC
        )
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if operation.get("security"):
                    operation["security"] = [{}, *operation["security"]]
        app.openapi_schema = schema
    return app.openapi_schema
