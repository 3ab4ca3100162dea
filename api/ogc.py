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
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
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
    #: Called with an id the collection does not hold: raises (403) when the id is one the
    #: asker may not see (a household of another area), naming what it may see.
    refuse: Callable[[str], None] | None = None


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


class FeatureCache:
    """Features of the collections, per collection and version, in WGS84 and as GeoJSON text.

    Parameters
    ----------
    collections
        What is offered to a request (households only for roles that may see them).
    size
        How many collection versions are kept (least recently used go first).
    """

    def __init__(
        self, collections: Callable[[Request], dict[str, Collection]], *, size: int = 64
    ) -> None:
        self.collections = collections
        self.size = size
        self._frames: OrderedDict[tuple[str, str], gpd.GeoDataFrame] = OrderedDict()
        self._encoded: dict[int, list[str]] = {}  # id(frame) -> its features as GeoJSON text
        self._lock = threading.Lock()

    def frame(self, request: Request, cid: str) -> gpd.GeoDataFrame:
        """The features of collection ``cid`` in WGS84; (404) when it is not offered."""
        available = self.collections(request)
        if cid not in available:
            msg = f"no collection {cid!r}; available: {', '.join(available)}"
            raise NotFoundError(msg)
        key = (cid, available[cid].version)
        with self._lock:
            hit = self._frames.get(key)
        if hit is not None:
            return hit
        frame = available[cid].load()
        frame = frame.to_crs(WGS84) if frame.crs is not None else frame.set_crs(WGS84)
        with self._lock:
            self._frames[key] = frame
            while len(self._frames) > self.size:
                _, old = self._frames.popitem(last=False)
                self._encoded.pop(id(old), None)
        return frame

    def features_text(self, frame: gpd.GeoDataFrame) -> list[str]:
        """Every feature of a cached frame as GeoJSON text, encoded once per frame version.

        A bbox request then only picks and joins strings; encoding geometries on every request
        was four fifths of its time.
        """
        with self._lock:
            hit = self._encoded.get(id(frame))
        if hit is not None:
            return hit
        features = geojson_features(frame, id_column_of(frame))
        text = [
            json.dumps(f, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            for f in features
        ]
        with self._lock:
            if any(f is frame for f in self._frames.values()):  # still cached: keep its encoding
                self._encoded[id(frame)] = text
        return text

    def describe(self, request: Request, c: Collection) -> dict[str, Any]:
        """A collection's description: its extent and its links."""
        frame = self.frame(request, c.id)
        bounds = (
            [float(v) for v in frame.total_bounds] if len(frame) else [-180.0, -90.0, 180.0, 90.0]
        )
        url = f"{_base(request)}/collections/{c.id}"
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


BboxQuery = Annotated[
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
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
OffsetQuery = Annotated[int, Query(ge=0)]


class Endpoints:
    """The OGC API - Features operations over one :class:`FeatureCache` (bound methods are the
    routes' endpoints: the operation ids are their names, as the schema has always said)."""

    def __init__(self, cache: FeatureCache) -> None:
        self.cache = cache

    def landing(self, request: Request) -> JSONResponse:
        b = _base(request)
        root = str(request.base_url).rstrip("/")
        links = [
            (b, "self", "application/json", "this document"),
            (f"{root}/openapi.json", "service-desc", OPENAPI, "OpenAPI"),
            (f"{root}/docs", "service-doc", "text/html", "API documentation"),
            (f"{b}/conformance", "conformance", "application/json", "conformance"),
            (f"{b}/collections", "data", "application/json", "collections"),
        ]
        return _json(
            {
                "title": "Tongan 童安 OGC API - Features",
                "description": "Layers and analysis results of the study area",
                "links": [_link(*link) for link in links],
            }
        )

    def conformance(self) -> JSONResponse:
        return _json({"conformsTo": CONFORMANCE})

    def list_collections(self, request: Request) -> JSONResponse:
        url = f"{_base(request)}/collections"
        offered = self.cache.collections(request).values()
        return _json(
            {
                "links": [_link(url, "self", "application/json", "collections")],
                "collections": [self.cache.describe(request, c) for c in offered],
            }
        )

    def one_collection(self, request: Request, cid: CollectionId) -> JSONResponse:
        self.cache.frame(request, cid)
        return _json(self.cache.describe(request, self.cache.collections(request)[cid]))

    def items(  # the response is GeoJSON text assembled from cached features
        self,
        request: Request,
        cid: CollectionId,
        bbox: BboxQuery = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        offset: OffsetQuery = 0,
    ) -> Response:
        frame = self.cache.frame(request, cid)
        boxes = _parse_bbox(bbox)
        if boxes is not None and len(frame):
            hits = [frame.sindex.query(_box(b), predicate="intersects") for b in boxes]
            rows = np.unique(np.concatenate(hits))
        else:
            rows = np.arange(len(frame))
        page = rows[offset : offset + limit]
        url = f"{_base(request)}/collections/{cid}/items"
        params = {"limit": limit, **({"bbox": bbox} if bbox else {})}
        envelope = json.dumps(
            {
                "numberMatched": len(rows),
                "numberReturned": len(page),
                "timeStamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "links": _page_links(url, params, offset=offset, limit=limit, matched=len(rows)),
            },
            ensure_ascii=False,
        )
        text = self.cache.features_text(frame)
        body = (
            '{"type":"FeatureCollection","features":['
            + ",".join(text[i] for i in page)
            + "],"
            + envelope[1:]
        )
        return Response(body, media_type=GEOJSON)

    def item(self, request: Request, cid: CollectionId, fid: FeatureId) -> JSONResponse:
        frame = self.cache.frame(request, cid)
        id_col = id_column_of(frame)
        match = (
            frame[frame[id_col].astype(str) == fid]
            if id_col
            else frame[frame.index.astype(str) == fid]
        )
        if not len(match):
            refuse = self.cache.collections(request)[cid].refuse
            if refuse is not None:
                refuse(fid)
            msg = f"collection {cid!r} has no feature {fid!r}"
            raise NotFoundError(msg)
        feature = geojson_features(match.iloc[:1], id_col)[0]
        url = f"{_base(request)}/collections/{cid}"
        feature["links"] = [
            {"href": f"{url}/items/{fid}", "rel": "self", "type": GEOJSON},
            {"href": url, "rel": "collection", "type": "application/json"},
        ]
        return _json(feature, media_type=GEOJSON)


def ogc_router(
    collections: Callable[[Request], dict[str, Collection]], *, cache_size: int = 64
) -> APIRouter:
    """The OGC API - Features endpoints under ``/ogc`` over ``collections(request)``.

    ``collections`` gets the request so that what is offered depends on who asks (households
    only for roles that may see them); features are cached per collection and version.
    """
    api = Endpoints(FeatureCache(collections, size=cache_size))
    router = APIRouter(prefix="/ogc", tags=["OGC API - Features"], responses=ERROR_RESPONSES)
    for path, endpoint, summary in (
        ("", api.landing, "Landing page"),
        ("/conformance", api.conformance, "Conformance classes"),
        ("/collections", api.list_collections, "Collections"),
        ("/collections/{cid}", api.one_collection, "One collection"),
        ("/collections/{cid}/items", api.items, "Features of a collection"),
        ("/collections/{cid}/items/{fid}", api.item, "One feature"),
    ):
        router.add_api_route(path, endpoint, methods=["GET"], summary=summary)
    return router


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _link(href: str, rel: str, media_type: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def _page_links(
    url: str, params: dict[str, Any], *, offset: int, limit: int, matched: int
) -> list[dict[str, str]]:
    """The self, next and previous links of a page of features."""
    links = [_link(_href(url, {**params, "offset": offset}), "self", GEOJSON, "this page")]
    if offset + limit < matched:
        links.append(
            _link(_href(url, {**params, "offset": offset + limit}), "next", GEOJSON, "next page")
        )
    if offset > 0:
        previous = {**params, "offset": max(0, offset - limit)}
        links.append(_link(_href(url, previous), "prev", GEOJSON, "previous page"))
    return links


def _box(box: Box) -> Any:
    from shapely.geometry import box as shapely_box

    return shapely_box(*box)


def _href(url: str, params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}"
