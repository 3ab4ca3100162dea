"""OGC API - Features (Part 1: Core, GeoJSON) over the layers and analysis results.

GIS staff open ``http://HOST:PORT/ogc`` in QGIS or read it with GDAL's OAPIF driver. Household
locations are personal data of minors: the ``households`` collection is offered only by a server
started for an authorised role; everyone else gets ``household_cells``, counts over hexagons with
small cells suppressed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from api.responses import ERROR_RESPONSES
from geo.bounds import NO_CONTROL
from geo.crs import WGS84
from geo.errors import InputError, TonganError

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
GEOJSON = "application/geo+json"
MAX_LIMIT = 10_000
DEFAULT_LIMIT = 1_000


class NotFoundError(TonganError):
    status = 404


@dataclass(frozen=True)
class Collection:
    """A collection: its title and a function giving its features (any CRS; served in WGS84)."""

    id: str
    title: str
    description: str
    load: Callable[[], gpd.GeoDataFrame]
    version: str = ""  # changes when the features change (the workspace revision)


def _json(data: Any, media_type: str = "application/json", status: int = 200) -> JSONResponse:
    return JSONResponse(data, media_type=media_type, status_code=status)


def json_value(value: Any) -> Any:
    """A JSON-safe property value (dates as ISO strings, NA as null)."""
    if (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or value is pd.NA
        or value is pd.NaT
    ):
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):
        return (
            value.isoformat()[:10]
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
            else value.isoformat()
        )
    if isinstance(value, np.generic):
        return value.item()
    return value


def geojson_features(frame: gpd.GeoDataFrame, id_column: str | None) -> list[dict[str, Any]]:
    geo = json.loads(frame.geometry.to_json())["features"]
    props = frame.drop(columns=[frame.geometry.name])
    out = []
    for i, (feature, (_, row)) in enumerate(zip(geo, props.iterrows(), strict=True)):
        fid = row[id_column] if id_column and id_column in row else frame.index[i]
        out.append(
            {
                "type": "Feature",
                "id": str(fid),
                "geometry": feature["geometry"],
                "properties": {str(k): json_value(v) for k, v in row.items()},
            }
        )
    return out


def id_column_of(frame: gpd.GeoDataFrame) -> str | None:
    for name in ("id", "code", "spot_id", "gap_id", "site_id", "institution_id", "facility_id"):
        if name in frame.columns and frame[name].is_unique:
            return name
    return None


_LON = r"-?(?:180(?:\.0+)?|(?:1[0-7]\d|[1-9]?\d)(?:\.\d+)?)"
_LAT = r"-?(?:90(?:\.0+)?|[1-8]?\d(?:\.\d+)?)"
_HEIGHT = r"-?\d{1,5}(?:\.\d+)?"
#: The bbox parameter as the OpenAPI schema states it: 4 numbers (or 6 with heights), in range.
BBOX_PATTERN = rf"^{_LON},{_LAT},(?:{_HEIGHT},)?{_LON},{_LAT}(?:,{_HEIGHT})?$"

Box = tuple[float, float, float, float]

CollectionId = Annotated[str, Path(max_length=100, pattern=NO_CONTROL)]
FeatureId = Annotated[str, Path(max_length=200, pattern=NO_CONTROL)]


def _parse_bbox(bbox: str | None) -> list[Box] | None:
    """The boxes a bbox parameter covers: one, or two when it crosses the antimeridian.

    OGC API - Features: minLon,minLat,maxLon,maxLat (or with heights as the 3rd and 6th
    numbers); a minimum longitude above the maximum is a box crossing the antimeridian. Numbers
    must be finite and in range, and the minimum latitude not above the maximum.

    Raises
    ------
    InputError
        (400) With a message saying which rule the value breaks.
    """
    if bbox is None:
        return None
    try:
        parts = [float(p) for p in bbox.split(",")]
    except ValueError:
        parts = []
    if len(parts) not in (4, 6):
        msg = f"bbox {bbox[:100]!r} must be minLon,minLat,maxLon,maxLat (WGS84 degrees)"
        raise InputError(msg)
    if not all(math.isfinite(p) for p in parts):
        msg = f"bbox {bbox[:100]!r}: every number must be finite (no nan or inf)"
        raise InputError(msg)
    x1, y1, x2, y2 = parts if len(parts) == 4 else (parts[0], parts[1], parts[3], parts[4])
    if not (-180 <= x1 <= 180 and -180 <= x2 <= 180 and -90 <= y1 <= 90 and -90 <= y2 <= 90):
        msg = f"bbox {bbox[:100]!r}: longitudes lie in -180..180 and latitudes in -90..90"
        raise InputError(msg)
    if y1 > y2:
        msg = f"bbox {bbox[:100]!r}: the minimum latitude comes first (minLon,minLat,maxLon,maxLat)"
        raise InputError(msg)
    if x1 > x2:  # across the antimeridian
        return [(x1, y1, 180.0, y2), (-180.0, y1, x2, y2)]
    return [(x1, y1, x2, y2)]


def ogc_router(
    collections: Callable[[Request], dict[str, Collection]], *, cache_size: int = 64
) -> APIRouter:
    """The OGC API - Features endpoints under ``/ogc`` over ``collections(request)``.

    ``collections`` gets the request so that what is offered depends on who asks (households
    only for roles that may see them); features are cached per collection and version.
    """
    router = APIRouter(prefix="/ogc", tags=["OGC API - Features"], responses=ERROR_RESPONSES)
    cache: OrderedDict[tuple[str, str], gpd.GeoDataFrame] = OrderedDict()
    encoded: dict[int, list[str]] = {}  # id(frame) -> its features as GeoJSON text
    lock = threading.Lock()

    def features_text(frame: gpd.GeoDataFrame) -> list[str]:
        """Every feature of a cached frame as GeoJSON text, encoded once per frame version.

        A bbox request then only picks and joins strings; encoding geometries on every request
        was four fifths of its time.
        """
        with lock:
            hit = encoded.get(id(frame))
        if hit is not None:
            return hit
        features = geojson_features(frame, id_column_of(frame))
        text = [
            json.dumps(f, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            for f in features
        ]
        with lock:
            if any(f is frame for f in cache.values()):  # still cached: keep its encoding
                encoded[id(frame)] = text
        return text

    def frame_of(request: Request, cid: str) -> gpd.GeoDataFrame:
        available = collections(request)
        if cid not in available:
            msg = f"no collection {cid!r}; available: {', '.join(available)}"
            raise NotFoundError(msg)
        key = (cid, available[cid].version)
        with lock:
            hit = cache.get(key)
        if hit is not None:
            return hit
        frame = available[cid].load()
        frame = frame.to_crs(WGS84) if frame.crs is not None else frame.set_crs(WGS84)
        with lock:
            cache[key] = frame
            while len(cache) > cache_size:
                _, old = cache.popitem(last=False)
                encoded.pop(id(old), None)
        return frame

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/") + "/ogc"

    def describe(request: Request, c: Collection) -> dict[str, Any]:
        frame = frame_of(request, c.id)
        bounds = (
            [float(v) for v in frame.total_bounds] if len(frame) else [-180.0, -90.0, 180.0, 90.0]
        )
        url = f"{base(request)}/collections/{c.id}"
        return {
            "id": c.id,
            "title": c.title,
            "description": c.description,
            "itemType": "feature",
            "crs": [CRS84],
            "extent": {"spatial": {"bbox": [bounds], "crs": CRS84}},
            "links": [
                {"href": url, "rel": "self", "type": "application/json", "title": c.title},
                {"href": f"{url}/items", "rel": "items", "type": GEOJSON, "title": c.title},
            ],
        }

    @router.get("", summary="Landing page")
    def landing(request: Request) -> JSONResponse:
        b = base(request)
        root = str(request.base_url).rstrip("/")
        return _json(
            {
                "title": "Tongan 童安 OGC API - Features",
                "description": "Layers and analysis results of the study area",
                "links": [
                    {
                        "href": b,
                        "rel": "self",
                        "type": "application/json",
                        "title": "this document",
                    },
                    {
                        "href": f"{root}/openapi.json",
                        "rel": "service-desc",
                        "type": "application/vnd.oai.openapi+json;version=3.0",
                        "title": "OpenAPI",
                    },
                    {
                        "href": f"{root}/docs",
                        "rel": "service-doc",
                        "type": "text/html",
                        "title": "API documentation",
                    },
                    {
                        "href": f"{b}/conformance",
                        "rel": "conformance",
                        "type": "application/json",
                        "title": "conformance",
                    },
                    {
                        "href": f"{b}/collections",
                        "rel": "data",
                        "type": "application/json",
                        "title": "collections",
                    },
                ],
            }
        )

    @router.get("/conformance", summary="Conformance classes")
    def conformance() -> JSONResponse:
        return _json({"conformsTo": CONFORMANCE})

    @router.get("/collections", summary="Collections")
    def list_collections(request: Request) -> JSONResponse:
        b = base(request)
        return _json(
            {
                "links": [
                    {
                        "href": f"{b}/collections",
                        "rel": "self",
                        "type": "application/json",
                        "title": "collections",
                    }
                ],
                "collections": [describe(request, c) for c in collections(request).values()],
            }
        )

    @router.get("/collections/{cid}", summary="One collection")
    def one_collection(request: Request, cid: CollectionId) -> JSONResponse:
        frame_of(request, cid)
        return _json(describe(request, collections(request)[cid]))

    @router.get("/collections/{cid}/items", summary="Features of a collection")
    def items(  # the response is GeoJSON text assembled from cached features
        request: Request,
        cid: CollectionId,
        bbox: Annotated[
            str | None,
            Query(
                description=(
                    "minLon,minLat,maxLon,maxLat in WGS84 degrees (minLon above maxLon: across "
                    "the antimeridian; 6 numbers: heights 3rd and 6th)"
                ),
                examples=["112.9,29.8,113.0,29.9"],
                max_length=200,
                json_schema_extra={"pattern": BBOX_PATTERN},
            ),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        frame = frame_of(request, cid)
        boxes = _parse_bbox(bbox)
        if boxes is not None and len(frame):
            hits = [frame.sindex.query(_box(b), predicate="intersects") for b in boxes]
            rows = np.unique(np.concatenate(hits))
        else:
            rows = np.arange(len(frame))
        matched = len(rows)
        page = rows[offset : offset + limit]
        url = f"{base(request)}/collections/{cid}/items"
        params = {"limit": limit, **({"bbox": bbox} if bbox else {})}
        links = [
            {
                "href": _href(url, {**params, "offset": offset}),
                "rel": "self",
                "type": GEOJSON,
                "title": "this page",
            }
        ]
        if offset + limit < matched:
            links.append(
                {
                    "href": _href(url, {**params, "offset": offset + limit}),
                    "rel": "next",
                    "type": GEOJSON,
                    "title": "next page",
                }
            )
        if offset > 0:
            links.append(
                {
                    "href": _href(url, {**params, "offset": max(0, offset - limit)}),
                    "rel": "prev",
                    "type": GEOJSON,
                    "title": "previous page",
                }
            )
        text = features_text(frame)
        envelope = json.dumps(
            {
                "numberMatched": matched,
                "numberReturned": len(page),
                "timeStamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "links": links,
            },
            ensure_ascii=False,
        )
        body = (
            '{"type":"FeatureCollection","features":['
            + ",".join(text[i] for i in page)
            + "],"
            + envelope[1:]
        )
        return Response(body, media_type=GEOJSON)

    @router.get("/collections/{cid}/items/{fid}", summary="One feature")
    def item(request: Request, cid: CollectionId, fid: FeatureId) -> JSONResponse:
        frame = frame_of(request, cid)
        id_col = id_column_of(frame)
        match = (
            frame[frame[id_col].astype(str) == fid]
            if id_col
            else frame[frame.index.astype(str) == fid]
        )
        if not len(match):
            msg = f"collection {cid!r} has no feature {fid!r}"
            raise NotFoundError(msg)
        feature = geojson_features(match.iloc[:1], id_col)[0]
        url = f"{base(request)}/collections/{cid}"
        feature["links"] = [
            {"href": f"{url}/items/{fid}", "rel": "self", "type": GEOJSON},
            {"href": url, "rel": "collection", "type": "application/json"},
        ]
        return _json(feature, media_type=GEOJSON)

    return router


def _box(box: Box) -> Any:
    from shapely.geometry import box as shapely_box

    return shapely_box(*box)


def _href(url: str, params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}"
