"""The map server: an index of questions, one interactive map page per question, downloads.

``create_app`` loads and validates the layers once; each page recomputes its analysis from the
query string (``?date=2026-07-15&standard_m=1000``) and caches the result per layer version and
parameters, so a repeat is instant. Every asset the pages use is served from this machine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import geopandas as gpd
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from analysis.privacy import public_table
from api.auth import AuthError, Principal, token_of
from api.data_api import api_router
from api.ogc import Collection, ogc_router
from api.pages import PAGES, RESULT_COLLECTIONS, Context, Page, PageResult, layer_url
from api.workspace import Snapshot, Workspace
from geo.bounds import FREE_TEXT, NO_CONTROL, first_control
from geo.errors import InputError, TonganError
from geo.export import write_tables
from geo.layers import Layers
from geo.schemas import SCHEMAS
from geo.settings import Language, Settings, get_settings
from geo.storage import Store
from maps.base import add_village_search
from maps.chinese_tiles import Basemap, choose_basemap
from maps.offline import local_file, localise

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
CACHE_SIZE = 64

TEXT: dict[Language, dict[str, str]] = {
    "zh": {
        "app": "童安 · 儿童关爱保护地图",
        "tagline": "农村留守儿童和困境儿童关爱保护",
        "switch": "English",
        "intro": "按问题选择地图:每张地图旁有汇总数字和下载链接。",
        "open": "打开地图",
        "recompute": "重新计算",
        "busy": "正在计算,全县数据可能需要一分钟……",
        "downloads": "下载",
        "error": "出错了",
        "back": "返回首页",
        "not_found": "没有这张地图:{name}。可选:{names}",
        "bad_param": "参数 {field} 有误:{msg}",
        "tianditu_key": "天地图底图需要密钥,请设置 TONGAN_TIANDITU_KEY(天地图控制台免费申请)",
        "unknown_param": "未知参数 {field};本地图接受:{allowed}",
        "no_download": "本地图没有 {fmt} 格式的下载",
        "page_missing": "页面不存在:{path}",
    },
    "en": {
        "app": "Tongan · child safety maps",
        "tagline": "Care and protection of rural left-behind children and children in difficulty",
        "switch": "中文",
        "intro": "Choose a map by question; each has its summary figures and downloads beside it.",
        "open": "Open the map",
        "recompute": "Recompute",
        "busy": "Computing; a whole county can take a minute…",
        "downloads": "Downloads",
        "error": "Error",
        "back": "Back to the index",
        "not_found": "No such map: {name}. Available: {names}",
        "bad_param": "Parameter {field} is wrong: {msg}",
        "tianditu_key": "the Tianditu basemap needs a key: set TONGAN_TIANDITU_KEY (free from the Tianditu console)",
        "unknown_param": "Unknown parameter {field}; this map takes: {allowed}",
        "no_download": "This map has no {fmt} download",
        "page_missing": "No such page: {path}",
    },
}


QUARANTINE_TEXT: dict[Language, dict[str, str]] = {
    "zh": {
        "title": "隔离的巡查记录",
        "intro": "以下记录不符合校验规则,分析和地图未使用。记录人或管理员可填写令牌后更正或撤回。",
        "none": "没有隔离的记录。",
        "token": "令牌(tongan user add 生成)",
        "record": "巡查记录",
        "changes": "更正的字段(JSON,只填要改的字段)",
        "correct": "更正",
        "withdraw": "撤回",
        "corrected": "已更正,刷新页面查看",
        "withdrawn": "已撤回",
        "refused": "未成功:",
        "bad_json": '请填写 JSON,如 {"items": [...]}',
    },
    "en": {
        "title": "Quarantined inspection records",
        "intro": "These records break a validation rule and no analysis or map uses them. Their author or an admin can correct or withdraw them with a token.",
        "none": "No record is quarantined.",
        "token": "Token (from tongan user add)",
        "record": "Inspection",
        "changes": "Fields to correct (JSON, only those that change)",
        "correct": "Correct",
        "withdraw": "Withdraw",
        "corrected": "Corrected; reload the page to see it",
        "withdrawn": "Withdrawn",
        "refused": "Not done: ",
        "bad_json": 'Give JSON, e.g. {"items": [...]}',
    },
}


class PageError(Exception):
    """A request the server refuses, with its status and a message in the page's language."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Rendered:
    """A page's result, and its map HTML rendered on first use (the data API never needs it)."""

    def __init__(self, result: PageResult, render: Callable[[], str]) -> None:
        self.result = result
        self._render = render
        self._html: str | None = None
        self._lock = threading.Lock()

    @property
    def html(self) -> str:
        with self._lock:  # rendered once, even when two requests ask at once
            if self._html is None:
                self._html = self._render()
            return self._html


def _lang(request: Request) -> Language:
    return "en" if request.query_params.get("lang") == "en" else "zh"


def _switch_url(request: Request, lang: Language) -> str:
    query = dict(request.query_params)
    query["lang"] = "en" if lang == "zh" else "zh"
    return f"{request.url.path}?{urlencode(query)}"


def layers_version(source: Path) -> str:
    """A fingerprint of the source files: results are cached per version."""
    digest = hashlib.sha256()
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    for path in files:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


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
    from geo.load import read_layers
    from geo.validate import validate_layers

    settings = settings or get_settings()
    tianditu_key = settings.tianditu_key.get_secret_value() if settings.tianditu_key else None
    if source is None:
        from sample_layers.generate import SAMPLE_PATH

        source = SAMPLE_PATH
    if layers is None:
        frames = read_layers(source)
        layers, report = validate_layers(frames, settings=settings)
        report.raise_if_fatal(settings.language)
    version = layers_version(source) if source.exists() else "memory"
    workspace = Workspace(layers, version, settings=settings, store=store)
    anonymous = Principal(
        "anonymous", "civil_affairs" if authorised else settings.api.anonymous_role
    )
    # page results by (page, lang, basemap, sees, parameters), with the versions of the layers
    # the computation read: an inspection changes the equipment, so it recomputes the pages
    # that read equipment and leaves the others cached
    cache: OrderedDict[tuple[Any, ...], tuple[tuple[tuple[str, str], ...], _Rendered]] = (
        OrderedDict()
    )
    lock = threading.Lock()

    app = FastAPI(title="Tongan 童安", docs_url="/docs", openapi_url="/openapi.json")
    app.state.layers = layers
    app.state.version = version
    app.state.workspace = workspace
    if settings.api.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.api.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.middleware("http")
    async def identify(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Refuse control characters and malformed tokens; resolve the token to a principal;
        audit writes and household-level reads."""
        try:
            refuse_control_characters(request)
            token = token_of(request)
        except TonganError as exc:
            return await domain_error(request, exc)
        principal = anonymous
        if token is not None:
            user = await run_in_threadpool(store.authenticate, token) if store else None
            if user is None:
                error = AuthError("the token is not valid (unknown or removed); ask an admin")
                return await domain_error(request, error)
            principal = Principal(user.name, user.role)
        request.state.principal = principal
        request.state.audited = False  # set by a write that stored its entry in its transaction
        response = await call_next(request)
        latest = workspace.latest()
        if _is_data_api(request) and latest is not None:
            held = _quarantine_header(latest)
            if held:
                response.headers["X-Tongan-Quarantine"] = held
        if store is not None and _audited(request, principal) and not request.state.audited:
            await run_in_threadpool(
                store.audit,
                user=principal.name,
                role=principal.role,
                action=request.method.lower(),
                resource=request.url.path,
                detail=str(response.status_code),
            )
        return response

    def render(request: Request, template: str, code: int = 200, **values: Any) -> HTMLResponse:
        lang = _lang(request)
        snap = workspace.latest()
        warnings = snap.warnings(lang) if snap is not None else []
        return TEMPLATES.TemplateResponse(
            request,
            template,
            {
                "lang": lang,
                "t": TEXT[lang],
                "switch_url": _switch_url(request, lang),
                "warnings": warnings,
                **values,
            },
            status_code=code,
        )

    def parse_params(request: Request, page: Page) -> BaseModel:
        lang = _lang(request)
        raw = {k: v for k, v in request.query_params.items() if k not in _COMMON}
        allowed = list(page.params.model_fields)
        for key in raw:
            if key not in allowed:
                msg = TEXT[lang]["unknown_param"].format(
                    field=key, allowed=", ".join(allowed) or "-"
                )
                raise PageError(422, msg)
        try:
            return page.params.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "?"
            raise PageError(
                422, TEXT[lang]["bad_param"].format(field=field, msg=first["msg"])
            ) from None

    def get_page(request: Request, name: str) -> Page:
        if name not in PAGES:
            lang = _lang(request)
            raise PageError(404, TEXT[lang]["not_found"].format(name=name, names=", ".join(PAGES)))
        return PAGES[name]

    def compute(request: Request, page: Page) -> tuple[_Rendered, BaseModel]:
        params = parse_params(request, page)
        lang = _lang(request)
        basemap = _basemap(request, settings)
        principal: Principal = request.state.principal
        return render_page(page, params, lang, basemap, principal.sees_households), params

    def render_page(
        page: Page, params: BaseModel, lang: Language, basemap: Basemap, sees: bool
    ) -> _Rendered:
        snap = workspace.snapshot()
        key = (page.name, lang, basemap, sees, params.model_dump_json())
        with lock:
            hit = cache.get(key)
            if hit is not None and all(snap.layer_version(n) == v for n, v in hit[0]):
                cache.move_to_end(key)
                return hit[1]
        seen: set[str] = set()
        ctx = Context(
            _recording(snap.layers, seen),
            settings,
            lang,
            sees,
            today or dt.date.today(),
            _recording(snap.metric, seen),
            layer_url(params, lang, basemap),  # large layers go by URL: see map_layer
        )
        result = page.build(ctx, params)
        depends = tuple((n, snap.layer_version(n)) for n in sorted(seen))
        if not sees:  # downloads and the data API alike: small groups withheld, counts rounded
            tables = {
                name: public_table(frame, settings=settings.privacy)
                for name, frame in result.tables.items()
            }
            result = dataclasses.replace(result, tables=tables)

        def html() -> str:
            add_village_search(result.map, snap.layers.areas, lang=lang)
            choose_basemap(result.map, basemap, lang=lang, tianditu_key=tianditu_key)
            return localise(result.map.get_root().render())

        rendered = _Rendered(result, html)
        with lock:
            cache[key] = (depends, rendered)
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
        return rendered

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> HTMLResponse:
        return render(request, "error.html.j2", exc.status, status=exc.status, reason=exc.message)

    @app.exception_handler(TonganError)
    async def domain_error(request: Request, exc: TonganError) -> Response:
        if _is_data_api(request):
            return JSONResponse(
                {"code": type(exc).__name__, "description": str(exc)}, status_code=exc.status
            )
        return render(request, "error.html.j2", exc.status, status=exc.status, reason=str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_data_api(request):
            return JSONResponse(
                {
                    "code": "NotFound" if exc.status_code == 404 else "Error",
                    "description": str(exc.detail),
                },
                status_code=exc.status_code,
            )
        lang = _lang(request)
        reason = (
            TEXT[lang]["page_missing"].format(path=request.url.path)
            if exc.status_code == 404
            else str(exc.detail)
        )
        return render(
            request, "error.html.j2", exc.status_code, status=exc.status_code, reason=reason
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first["loc"] if p not in {"query", "body", "path"})
        message = f"parameter {field or '?'}: {_error_message(first)}"
        if _is_data_api(request):
            detail = [{"loc": list(e["loc"]), "msg": _error_message(e)} for e in errors]
            return JSONResponse(
                {"code": "InvalidParameter", "description": message, "detail": detail},
                status_code=422,
            )
        return render(request, "error.html.j2", 422, status=422, reason=message)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        return render(request, "index.html.j2", pages=list(PAGES.values()))

    @app.get("/quarantine", response_class=HTMLResponse, include_in_schema=False)
    def quarantine_page(request: Request) -> HTMLResponse:
        """Quarantined records, each with a correct / withdraw form (the API with a token)."""
        lang = _lang(request)
        snap = workspace.snapshot()
        return render(
            request,
            "quarantine.html.j2",
            q=QUARANTINE_TEXT[lang],
            records=[p.as_dict(lang) for p in snap.quarantine],
            layer_lines=[q.message(lang) for q in snap.quarantined_layers],
        )

    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        return f"ok {version}"

    @app.get("/maps/{name}", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, name: str) -> HTMLResponse:
        page = get_page(request, name)
        rendered, params = compute(request, page)
        lang = _lang(request)
        query = urlencode({**{k: v for k, v in request.query_params.items()}, "lang": lang})
        fields = [
            {
                "name": fname,
                "label": (f.description or fname),
                "value": "" if getattr(params, fname) is None else getattr(params, fname),
                "type": "date" if "date" in fname else "text",
                "choices": _choices(f.annotation),
            }
            for fname, f in page.params.model_fields.items()
        ]
        downloads = ["xlsx", "csv", "gpkg"] + (["gpx"] if rendered.result.gpx else [])
        return render(
            request,
            "page.html.j2",
            page=page,
            figures=rendered.result.figures,
            fields=fields,
            downloads=downloads if rendered.result.tables else [],
            query=query,
        )

    @app.get("/maps/{name}/map", response_class=HTMLResponse, include_in_schema=False)
    def map_html(request: Request, name: str) -> HTMLResponse:
        rendered, _ = compute(request, get_page(request, name))
        return HTMLResponse(rendered.html)

    @app.get("/maps/{name}/layers/{key}.geojson", include_in_schema=False)
    def map_layer(request: Request, name: str, key: str) -> Response:
        """A large layer of a map as GeoJSON, fetched by the map itself (maps.remote)."""
        rendered, _ = compute(request, get_page(request, name))
        remote = rendered.result.remote
        if remote is None or key not in remote.frames:
            lang = _lang(request)
            raise PageError(404, TEXT[lang]["page_missing"].format(path=request.url.path))
        amap = _basemap(request, settings) == "amap"
        body = remote.geojson(key, offset="gcj02" if amap else "wgs84")
        return Response(body, media_type="application/geo+json")

    @app.get("/maps/{name}/download.{fmt}", include_in_schema=False)
    def download(request: Request, name: str, fmt: str) -> Response:
        page = get_page(request, name)
        rendered, _ = compute(request, page)
        result = rendered.result
        lang = _lang(request)
        if fmt == "gpx" and result.gpx:
            return Response(
                result.gpx, media_type="application/gpx+xml", headers=_attachment(f"{name}.gpx")
            )
        if fmt not in {"xlsx", "csv", "gpkg"} or not result.tables:
            raise PageError(404, TEXT[lang]["no_download"].format(fmt=fmt))
        with tempfile.TemporaryDirectory() as tmp:
            written = write_tables(result.tables, Path(tmp), stem=name, lang=lang)
            if fmt == "xlsx":
                data, media = (
                    written.excel.read_bytes(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            elif fmt == "gpkg":
                if written.geopackage is None:
                    raise PageError(404, TEXT[lang]["no_download"].format(fmt=fmt))
                data, media = written.geopackage.read_bytes(), "application/geopackage+sqlite3"
            else:
                data, media = written.csv[0].read_bytes(), "text/csv; charset=utf-8"
        return Response(data, media_type=media, headers=_attachment(f"{name}.{fmt}"))

    @app.get("/assets/{root}/{path:path}", include_in_schema=False)
    def assets(request: Request, root: str, path: str) -> FileResponse:
        file = local_file(root, path)
        if file is None:
            raise StarletteHTTPException(404)
        return FileResponse(file, headers={"Cache-Control": "public, max-age=86400"})

    def collections(request: Request) -> dict[str, Collection]:
        from analysis.privacy import aggregate_households

        principal: Principal = request.state.principal
        snap = workspace.snapshot()
        metric = snap.metric
        out: dict[str, Collection] = {}
        for name, frame in snap.layers.items():
            if (name == "households" and not principal.sees_households) or not len(frame):
                continue
            out[name] = Collection(
                name,
                f"{SCHEMAS[name].zh} {name}",
                SCHEMAS[name].meaning,
                functools.partial(_same, frame),
                snap.layer_version(name),
            )
        out["household_cells"] = Collection(
            "household_cells",
            "重点儿童分布(聚合) household cells",
            "Households and children counted over hexagons; cells with too few households are withheld.",
            lambda: aggregate_households(
                metric.households,
                columns=["children", "left_behind", "in_difficulty"],
                settings=settings.privacy,
            ),
            snap.layer_version("households"),
        )
        ctx = Context(
            snap.layers,
            settings,
            settings.language,
            principal.sees_households,
            today or dt.date.today(),
            metric,
        )
        for cid, collection in RESULT_COLLECTIONS.items():
            load = functools.partial(collection.load, ctx)
            out[cid] = Collection(
                cid,
                collection.title,
                collection.description,
                load if principal.sees_households else functools.partial(_public, load, settings),
                f"{snap.version}-{principal.sees_households}",
            )
        return out

    app.include_router(ogc_router(collections))

    def api_result(page: Page, params: BaseModel, lang: Language, who: Principal) -> PageResult:
        return render_page(page, params, lang, settings.basemap, who.sees_households).result

    app.include_router(api_router(api_result, workspace, settings))

    def openapi() -> dict[str, Any]:
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

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.started = time.time()
    return app


API_DOC = """童安 Tongan data API: the analyses as JSON and GeoJSON, inspection records, layer
imports, and OGC API - Features under `/ogc` for QGIS and GDAL.

Send `Authorization: Bearer TOKEN` (a token from `tongan user add NAME --role ROLE`). Without a
token a request has the anonymous role (viewer unless the server runs with `--authorised`):
aggregates and public layers only. Errors are JSON: `{"code": ..., "description": ...}`.
"""

_COMMON = {"lang", "basemap"}  # query parameters every page takes


def _basemap(request: Request, settings: Settings) -> Basemap:
    value = request.query_params.get("basemap", settings.basemap)
    choices = ["osm", "blank", "amap", *(["tianditu"] if settings.tianditu_key else [])]
    if value not in choices:
        lang = _lang(request)
        reason = " | ".join(choices)
        if value == "tianditu":
            reason = TEXT[lang]["tianditu_key"]
        raise PageError(422, TEXT[lang]["bad_param"].format(field="basemap", msg=reason))
    return value  # type: ignore[return-value]


def _same(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame


def _error_message(error: Any) -> str:
    """A validation error's message; a control character is named rather than the pattern."""
    pattern = (error.get("ctx") or {}).get("pattern")
    if error.get("type") == "string_pattern_mismatch" and pattern in {NO_CONTROL, FREE_TEXT}:
        where = first_control(str(error.get("input", ""))) or "a control character"
        return f"contains the control character {where}; remove it"
    return str(error["msg"])


def refuse_control_characters(request: Request) -> None:
    """Refuse (400) a path or query value holding a control character such as %00.

    PostgreSQL cannot store a NUL, GEOS and GDAL stop at one, and no name or code of a layer
    holds one: a request carrying one is an error, answered before any route runs.
    """
    where = first_control(request.url.path)
    if where is not None:
        msg = f"the path contains the control character {where} (e.g. %00); remove it"
        raise InputError(msg)
    for key, value in request.query_params.multi_items():
        where = first_control(key) or first_control(value)
        if where is not None:
            msg = f"query parameter {key[:50]!r} contains the control character {where}; remove it"
            raise InputError(msg)


def _public(load: Callable[[], gpd.GeoDataFrame], settings: Settings) -> gpd.GeoDataFrame:
    """A result collection as a role without household access gets it (as the pages' tables)."""
    out = public_table(load(), settings=settings.privacy)
    return gpd.GeoDataFrame(out, geometry=out.geometry.name, crs=out.crs)


class _Recording(Layers):
    """Layers that note which layers a page computation reads: its cache dependencies.

    Conservative: anything that walks every layer (``items()``, ``to_crs``) reads them all.
    """

    def __getattribute__(self, name: str) -> Any:
        if name in SCHEMAS:
            seen = object.__getattribute__(self, "__dict__").get("_seen")
            if seen is not None:
                seen.add(name)
        return object.__getattribute__(self, name)


def _recording(layers: Layers, seen: set[str]) -> Layers:
    out = _Recording(**{name: frame for name, frame in layers.items()})
    object.__setattr__(out, "_seen", seen)
    return out


def _audited(request: Request, principal: Principal) -> bool:
    """Whether a request goes to the audit log: every write, and reads of household-level data."""
    if request.method not in {"GET", "HEAD", "OPTIONS"}:
        return True
    return principal.sees_households and request.url.path.startswith(
        ("/maps/", "/map", "/api/", "/ogc/collections/households")
    )


def _quarantine_header(snap: Snapshot) -> str:
    """``X-Tongan-Quarantine``: the ids left out (ASCII; the messages are in /api/quarantine)."""
    records = sorted({p.inspection for p in snap.quarantine if p.inspection is not None})
    layers = [q.layer for q in snap.quarantined_layers]
    if not records and not layers:
        return ""
    return (
        f"inspections={','.join(map(str, records))}; layers={','.join(layers)}; see /api/quarantine"
    )


def _is_data_api(request: Request) -> bool:
    return request.url.path.startswith(("/ogc", "/api/"))


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _choices(annotation: object) -> list[object] | None:
    """The allowed values of a ``Literal`` (or optional ``Literal``) parameter, for a select box."""
    if getattr(annotation, "__origin__", None) is Literal:
        return list(getattr(annotation, "__args__", ()))
    for arg in getattr(annotation, "__args__", ()) or ():
        if getattr(arg, "__origin__", None) is Literal:
            return ["", *arg.__args__]
    return None
