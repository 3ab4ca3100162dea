"""The data API under ``/api``: analyses as JSON and GeoJSON, inspection records, layer imports.

Every analysis endpoint takes the same parameters as its map page (the page's pydantic model,
so a bad value is a 422 naming the field) and returns the page's summary figures and tables:
GeoJSON FeatureCollections (WGS84) for tables with a geometry, lists of records otherwise. The
results are the map pages' cached results, so a map and its API call compute once.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

import geopandas as gpd
import pandas as pd
from fastapi import APIRouter, Body, Depends, File, Path, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from api.auth import IMPORT_ROLES, INSPECTION_ROLES, CurrentPrincipal, Principal
from api.ogc import geojson_features, id_column_of, json_value
from api.pages import PAGES, Page, PageResult, PlanDate
from api.responses import ERROR_RESPONSES
from api.workspace import Workspace, require_layer
from geo.bounds import NO_CONTROL
from geo.crs import WGS84
from geo.errors import InputError
from geo.settings import Language, Settings
from geo.storage import AuditEntry, Inspection, InspectionIn, Store

#: The ``/api/<path>`` of every registered analysis the API offers (derived from the registry).
API_PATHS: tuple[str, ...] = tuple(
    page.analysis.route for page in PAGES.values() if page.analysis and page.analysis.api
)

ResultFn = Callable[[Page, BaseModel, Language, Principal], PageResult]


class Figure(BaseModel):
    """One summary figure, as shown beside the map."""

    label: str
    value: str


class AnalysisOut(BaseModel):
    """An analysis result: the parameters used, the summary figures and the tables."""

    analysis: str
    parameters: dict[str, Any]
    figures: list[Figure]
    tables: dict[str, Any] = Field(
        description="Table name -> a GeoJSON FeatureCollection (WGS84) or a list of records."
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="Records and imports quarantined (left out of the analysis), with the fix.",
    )


class QuarantinedRecord(BaseModel):
    """A stored inspection left out of every analysis: the rule it breaks and the fix."""

    inspection: int | None
    field: str
    rule: str
    message: str


class QuarantineOut(BaseModel):
    """What the workspace left out: inspection records and imported layer versions."""

    records: list[QuarantinedRecord]
    layers: list[str]
    warnings: list[str]


class ImportOut(BaseModel):
    """What a layer import stored."""

    layer: str
    rows: int
    version: int
    warnings: list[str]


class LayerVersion(BaseModel):
    layer: str
    source: Literal["file", "imported"]
    version: int
    rows: int


class Me(BaseModel):
    name: str
    role: str
    sees_households: bool


Lang = Annotated[
    Literal["zh", "en"], Query(description="语言 / language of the messages (zh default)")
]
InspectionId = Annotated[int, Path(ge=1, le=2**62, description="Id of the stored inspection.")]


def _patch_model() -> type[BaseModel]:
    """Every field of :class:`InspectionIn`, optional: what ``PATCH`` may change."""
    fields: dict[str, Any] = {}
    for name, info in InspectionIn.model_fields.items():
        optional = FieldInfo.merge_field_infos(info, default=None, default_factory=None)
        annotation: Any = info.annotation
        fields[name] = (annotation | None, optional)
    model: type[BaseModel] = create_model(
        "InspectionPatch", __config__=ConfigDict(extra="forbid"), **fields
    )
    return model


InspectionPatch = _patch_model()


def _audit_entry(request: Request, principal: Principal, status: int) -> AuditEntry:
    """The audit entry of a write, stored in its transaction (the middleware then skips it)."""
    return AuditEntry(
        principal.name, principal.role, request.method.lower(), request.url.path, str(status)
    )


def inspection_store(request: Request, principal: CurrentPrincipal) -> Store:
    """The workspace database, for a role that may read inspection records."""
    principal.require(INSPECTION_ROLES, "read inspection records")
    workspace: Workspace = request.app.state.workspace
    return workspace.require_store()


InspectionStore = Annotated[Store, Depends(inspection_store)]


def _table_json(frame: pd.DataFrame) -> Any:
    """A table as a GeoJSON FeatureCollection (with a geometry) or as a list of records."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame:
        data = frame if frame.crs is None else frame.to_crs(WGS84)
        return {
            "type": "FeatureCollection",
            "features": geojson_features(data, id_column_of(data)),
        }
    return [
        {str(k): json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
    ]


def _query_model(page: Page) -> type[BaseModel]:
    """The page's parameters plus ``lang``, as the query model of its API endpoint."""
    fields: dict[str, Any] = {
        "lang": (Literal["zh", "en"], Field("zh", description="语言 / language of the labels"))
    }
    model: type[BaseModel] = create_model(
        f"{page.name.title()}Query", __base__=page.params, **fields
    )
    return model


def api_router(result: ResultFn, workspace: Workspace, settings: Settings) -> APIRouter:
    """The ``/api`` endpoints.

    Parameters
    ----------
    result
        Computes (or returns the cached) page result for a page, its parameters, a language and
        the principal asking.
    workspace
        The layers and the database the writes go to.
    settings
        ``api.max_upload_mb`` caps uploads; ``privacy.min_children`` suppresses small counts.
    """
    router = APIRouter(prefix="/api", tags=["data API"], responses=ERROR_RESPONSES)
    _analysis_routes(router, result, workspace)
    _inspection_routes(router, workspace)
    _record_routes(router, workspace)
    _layer_routes(router, workspace, settings)
    _admin_routes(router, workspace)
    return router


def _analysis_routes(router: APIRouter, result: ResultFn, workspace: Workspace) -> None:
    """``/api/<route>`` of every registered analysis the API offers (the page's parameters)."""
    for page in PAGES.values():
        if page.analysis is None or not page.analysis.api:
            continue
        path = page.analysis.route
        router.add_api_route(
            f"/{path}",
            _analysis_endpoint(path, page, result, workspace),
            methods=["GET"],
            response_model=AnalysisOut,
            summary=f"{page.title['zh']} / {page.title['en']}",
            description=page.question["en"],
        )


def _inspection_routes(router: APIRouter, workspace: Workspace) -> None:
    """Who am I, and the inspection records: record, correct, withdraw, list, export."""

    @router.get("/me", response_model=Me, summary="Who am I (the token's user and role)")
    def me(principal: CurrentPrincipal) -> Me:
        return Me(
            name=principal.name, role=principal.role, sees_households=principal.sees_households
        )

    @router.post(
        "/inspections",
        response_model=Inspection,
        status_code=201,
        summary="Record an inspection (river chiefs, safety officers)",
        description=(
            "What a patrol found at a spot or an equipment item: the four-ones items with their "
            "condition, the fence, a note. Items with an equipment id update that item; items "
            "with lon/lat are newly installed. The next risk analysis reflects it."
        ),
    )
    def post_inspection(
        request: Request, record: InspectionIn, principal: CurrentPrincipal, lang: Lang = "zh"
    ) -> Inspection:
        principal.require(INSPECTION_ROLES, "record inspections")
        stored = workspace.add_inspection(
            record, user=principal.name, lang=lang, audit=_audit_entry(request, principal, 201)
        )
        request.state.audited = True
        return stored

    @router.patch(
        "/inspections/{inspection_id}",
        response_model=Inspection,
        summary="Correct a stored inspection (its author or an admin)",
        description=(
            "The fields given replace the stored ones; the corrected record is checked like a "
            "new one (422 naming the field). 403 for other users, 404 for an unknown id."
        ),
    )
    def patch_inspection(
        request: Request,
        inspection_id: InspectionId,
        changes: Annotated[InspectionPatch, Body()],  # type: ignore[valid-type]
        principal: CurrentPrincipal,
        lang: Lang = "zh",
    ) -> Inspection:
        principal.require(INSPECTION_ROLES, "correct inspections")
        stored = workspace.correct_inspection(
            inspection_id,
            changes.model_dump(exclude_unset=True),  # type: ignore[attr-defined]
            user=principal.name,
            admin=principal.role == "admin",
            lang=lang,
            audit=_audit_entry(request, principal, 200),
        )
        request.state.audited = True
        return stored

    @router.delete(
        "/inspections/{inspection_id}",
        status_code=204,
        response_class=Response,
        summary="Withdraw a stored inspection (its author or an admin)",
        description="The record leaves every analysis; the audit log keeps it. 403 / 404 as PATCH.",
    )
    def delete_inspection(
        request: Request, inspection_id: InspectionId, principal: CurrentPrincipal
    ) -> Response:
        principal.require(INSPECTION_ROLES, "withdraw inspections")
        workspace.withdraw_inspection(
            inspection_id,
            user=principal.name,
            admin=principal.role == "admin",
            audit=_audit_entry(request, principal, 204),
        )
        request.state.audited = True
        return Response(status_code=204)


def _record_routes(router: APIRouter, workspace: Workspace) -> None:
    """What the workspace left out, and the inspections recorded (as JSON and as CSV)."""

    @router.get(
        "/quarantine",
        response_model=QuarantineOut,
        summary="Stored records and imports left out of the analyses, with the fix",
    )
    def quarantine(lang: Lang = "zh") -> QuarantineOut:
        snap = workspace.snapshot()
        return QuarantineOut(
            records=[QuarantinedRecord.model_validate(p.as_dict(lang)) for p in snap.quarantine],
            layers=[q.message(lang) for q in snap.quarantined_layers],
            warnings=snap.warnings(lang),
        )

    @router.get(
        "/inspections",
        response_model=list[Inspection],
        summary="Inspections recorded, newest last",
    )
    def list_inspections(
        store: InspectionStore,
        since: Annotated[PlanDate | None, Query(description="only from this date on")] = None,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1_000,
        offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    ) -> list[Inspection]:
        return store.inspections(since=since, limit=limit, offset=offset)

    @router.get(
        "/inspections.csv",
        response_class=Response,
        summary="Inspections as CSV (UTF-8 with BOM, opens in Excel)",
        responses={200: {"content": {"text/csv": {}}}},
    )
    def export_inspections(
        store: InspectionStore,
        since: Annotated[PlanDate | None, Query(description="only from this date on")] = None,
    ) -> Response:
        rows = [
            {
                **r.model_dump(exclude={"items"}),
                "items": json.dumps([i.model_dump() for i in r.items], ensure_ascii=False),
            }
            for r in store.inspections(since=since)
        ]
        frame = pd.DataFrame(rows)
        data = frame.to_csv(index=False).encode("utf-8-sig")
        return Response(
            data,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="inspections.csv"'},
        )


def _layer_routes(router: APIRouter, workspace: Workspace, settings: Settings) -> None:
    """The layers and their versions, and layer imports."""

    @router.get("/layers", response_model=list[LayerVersion], summary="Layers and their versions")
    def list_layers() -> list[LayerVersion]:
        snap = workspace.snapshot()
        versions = snap.imports  # the import versions the snapshot was built from
        return [
            LayerVersion(
                layer=name,
                source="imported" if name in versions else "file",
                version=versions.get(name, 0),
                rows=len(frame),
            )
            for name, frame in snap.layers.items()
        ]

    cap = int(settings.api.max_upload_mb * 1024 * 1024)

    @router.post(
        "/layers/{name}",
        response_model=ImportOut,
        status_code=201,
        summary="Import a layer file (GeoPackage, GeoJSON, zipped Shapefile, CSV)",
        description=(
            "Validated with every other layer exactly as `tongan validate` does; a file with a "
            f"fatal problem changes nothing (422 listing the problems). Files over "
            f"{settings.api.max_upload_mb:g} MB are refused (413)."
        ),
    )
    async def import_layer(
        request: Request,
        name: Annotated[str, PathParam(max_length=50, pattern=NO_CONTROL)],
        file: Annotated[UploadFile, File(description="the layer file")],
        principal: CurrentPrincipal,
        crs: Annotated[
            str | None,
            Query(
                description=(
                    "CRS of a file that states none (CSV, GeoJSON without a crs member): "
                    "EPSG:4326, EPSG:4490, gcj02, bd09; a file that states one keeps it"
                ),
                examples=["EPSG:4326"],
                max_length=100,
                pattern=NO_CONTROL,
            ),
        ] = None,
    ) -> ImportOut:
        from starlette.concurrency import run_in_threadpool

        require_layer(name)  # 404 before the role check, which depends on the layer
        principal.require(IMPORT_ROLES.get(name, frozenset()), f"import the {name} layer")
        data = await file.read(cap + 1)
        if len(data) > cap:
            msg = f"the file is larger than the upload cap of {settings.api.max_upload_mb:g} MB"
            raise InputError(msg, status=413)
        report = await run_in_threadpool(
            workspace.import_layer,
            name,
            data,
            file.filename or "upload",
            user=principal.name,
            crs=crs,
            audit=_audit_entry(request, principal, 201),
        )
        request.state.audited = True
        return ImportOut(
            layer=report.layer, rows=report.rows, version=report.version, warnings=report.warnings
        )


def _admin_routes(router: APIRouter, workspace: Workspace) -> None:
    """The audit log (admin)."""

    @router.get("/audit", response_model=list[dict[str, Any]], summary="The audit log (admin)")
    def audit(
        principal: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=10_000)] = 100
    ) -> list[dict[str, Any]]:
        principal.require(frozenset(), "read the audit log")
        store = workspace.require_store()
        return [
            {
                k: (v.isoformat() if isinstance(v, dt.datetime | dt.date) else v)
                for k, v in e.items()
            }
            for e in store.audit_log(limit=limit)
        ]


def _analysis_endpoint(
    path: str, page: Page, result: ResultFn, workspace: Workspace
) -> Callable[..., AnalysisOut]:
    query = _query_model(page)

    def endpoint(
        params: BaseModel,  # the query model: see the signature set below
        principal: Principal,
    ) -> AnalysisOut:
        values = params.model_dump()
        lang = values.pop("lang")
        page_params = page.params.model_validate(values)
        out = result(page, page_params, lang, principal)
        tables = {name: _table_json(frame) for name, frame in out.tables.items()}
        return AnalysisOut(
            analysis=path,
            parameters=json.loads(page_params.model_dump_json()),
            figures=[Figure(label=label, value=value) for label, value in out.figures],
            tables=tables,
            warnings=workspace.snapshot().warnings(lang),
        )

    endpoint.__name__ = f"analysis_{path.replace('-', '_')}"
    # the query model is made at run time: give FastAPI the real annotations, not strings
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "params", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[query, Query()]
            ),
            inspect.Parameter(
                "principal", inspect.Parameter.KEYWORD_ONLY, annotation=CurrentPrincipal
            ),
        ],
        return_annotation=AnalysisOut,
    )
    return endpoint
