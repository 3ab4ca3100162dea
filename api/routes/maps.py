"""``/maps/{name}``: a map page, its map, the layers the map fetches and its downloads.

Every route computes (or finds cached) the page's result for the query string
(:data:`api.deps.RenderedDep`), so a page, its map and its downloads compute once.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from api.deps import BasemapDep, LangDep, PageDep, PageParamsDep, RenderedDep, StateDep
from api.errors import PageError
from api.templating import render
from geo.export import write_tables
from geo.i18n import tr
from geo.settings import Settings

router = APIRouter(prefix="/maps/{name}", include_in_schema=False)

#: Download formats of a page with tables (and ``gpx`` when it has routes).
TABLE_FORMATS = ("xlsx", "csv", "gpkg")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv; charset=utf-8",
    "gpx": "application/gpx+xml",
}


@router.get("", response_class=HTMLResponse)
def map_page(
    request: Request,
    page: PageDep,
    params: PageParamsDep,
    rendered: RenderedDep,
    lang: LangDep,
    state: StateDep,
) -> HTMLResponse:
    """The page: its question, figures, parameter form and downloads beside the map."""
    query = urlencode({**dict(request.query_params.items()), "lang": lang})
    downloads = [*TABLE_FORMATS, *(["gpx"] if rendered.result.gpx else [])]
    return render(
        request,
        "page.html.j2",
        page=page,
        figures=rendered.result.figures,
        fields=form_fields(params, in_effect(state.settings, state.today())),
        downloads=downloads if rendered.result.tables else [],
        query=query,
    )


@router.get("/map", response_class=HTMLResponse)
def map_html(rendered: RenderedDep) -> HTMLResponse:
    return HTMLResponse(rendered.html)


@router.get("/layers/{key}.geojson")
def map_layer(
    request: Request, key: str, rendered: RenderedDep, basemap: BasemapDep, lang: LangDep
) -> Response:
    """A large layer of a map as GeoJSON, fetched by the map itself (maps.remote)."""
    remote = rendered.result.remote
    if remote is None or key not in remote.frames:
        raise PageError(404, tr("server_page_missing", lang, path=request.url.path))
    body = remote.geojson(key, offset="gcj02" if basemap == "amap" else "wgs84")
    return Response(body, media_type="application/geo+json")


@router.get("/download.{fmt}")
def download(page: PageDep, fmt: str, rendered: RenderedDep, lang: LangDep) -> Response:
    """The page's tables as a workbook, CSV or GeoPackage, or its routes as GPX."""
    result = rendered.result
    if fmt == "gpx" and result.gpx:
        return _attachment(result.gpx, f"{page.name}.gpx", fmt)
    if fmt not in TABLE_FORMATS or not result.tables:
        raise PageError(404, tr("server_no_download", lang, fmt=fmt))
    with tempfile.TemporaryDirectory() as tmp:
        written = write_tables(result.tables, Path(tmp), stem=page.name, lang=lang)
        if fmt == "xlsx":
            data = written.excel.read_bytes()
        elif fmt == "gpkg":
            if written.geopackage is None:
                raise PageError(404, tr("server_no_download", lang, fmt=fmt))
            data = written.geopackage.read_bytes()
        else:
            data = written.csv[0].read_bytes()
    return _attachment(data, f"{page.name}.{fmt}", fmt)


def in_effect(settings: Settings, today: dt.date) -> dict[str, object]:
    """What an analysis uses for a parameter left empty: today, the walking standard of the
    settings, the settings' flood-season region."""
    return {
        "date": today.isoformat(),
        "standard_m": settings.walking_standard_m,
        "region": settings.season.region,
    }


def form_fields(
    params: BaseModel, defaults: Mapping[str, object] | None = None
) -> list[dict[str, Any]]:
    """The page's parameters as the fields of its form, with the values in effect: those asked
    for, else what the analysis uses when none is asked (``defaults``, :func:`in_effect`)."""
    fallback = defaults or {}
    fields = []
    for name, info in type(params).model_fields.items():
        value = getattr(params, name)
        if value is None:
            value = fallback.get(name, "")
        kind = "text"
        if "date" in name:
            kind = "date"
        fields.append(
            {
                "name": name,
                "label": info.description or name,
                "value": value,
                "type": kind,
                "choices": _choices(info.annotation),
            }
        )
    return fields


def _attachment(data: bytes, filename: str, fmt: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)


def _choices(annotation: object) -> list[object] | None:
    """The allowed values of a ``Literal`` (or optional ``Literal``) parameter, for a select box."""
    if getattr(annotation, "__origin__", None) is Literal:
        return list(getattr(annotation, "__args__", ()))
    for arg in getattr(annotation, "__args__", ()) or ():
        if getattr(arg, "__origin__", None) is Literal:
            return ["", *arg.__args__]
    return None
