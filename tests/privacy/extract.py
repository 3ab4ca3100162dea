"""Every coordinate an output gives away, whatever its format (the attacker's parser).

An output is bytes with a kind (``json``, ``geojson``, ``html``, ``csv``, ``xlsx``, ``gpkg``,
``gpx``). :func:`geometries_of` returns the shapes an attacker can read from it, in WGS84: GeoJSON
geometries anywhere in a JSON document, runs of coordinate pairs written into Folium's HTML and
JavaScript (``[lat, lon]`` or ``[lon, lat]``, told apart by the study area's extent), bounding boxes
(four numbers), GeoPackage layers (pyogrio), GPX points, tracks and routes, lon/lat or WKT columns of
CSV files and Excel sheets. :func:`tables_of` returns the tabular counts of the same output.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import LineString, MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry

GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
_NUMBER = r"-?\d{1,3}\.\d+"
#: A coordinate pair in brackets, e.g. ``[29.812345, 112.934567]``.
_PAIR = re.compile(rf"\[\s*({_NUMBER})\s*,\s*({_NUMBER})\s*\]")
#: Four numbers in brackets: a bounding box.
_SEPARATOR = re.compile(r"\s*,\s*")
_BBOX = re.compile(rf"\[\s*({_NUMBER})\s*,\s*({_NUMBER})\s*,\s*({_NUMBER})\s*,\s*({_NUMBER})\s*\]")


@dataclass(frozen=True)
class Extent:
    """The study area's extent in degrees, padded: tells a lon from a lat."""

    lon0: float
    lat0: float
    lon1: float
    lat1: float

    def lonlat(self, a: float, b: float) -> tuple[float, float] | None:
        """``(lon, lat)`` of a pair written either way round, or None when it is no position."""
        if self.lon0 <= a <= self.lon1 and self.lat0 <= b <= self.lat1:
            return a, b
        if self.lat0 <= a <= self.lat1 and self.lon0 <= b <= self.lon1:
            return b, a
        return None


def geometries_of(kind: str, body: bytes, extent: Extent) -> list[BaseGeometry]:
    """The WGS84 shapes an attacker reads from one output."""
    if kind in {"json", "geojson"}:
        return _from_json(json.loads(body), extent)
    if kind == "html":
        return _from_text(body.decode("utf-8", "replace"), extent)
    if kind == "gpkg":
        return _from_gpkg(body)
    if kind == "gpx":
        return _from_gpx(body, extent)
    if kind in {"csv", "xlsx"}:
        return [g for frame in tables_of(kind, body).values() for g in _from_table(frame, extent)]
    if kind == "parquet":
        frame = _parquet(body)
        if isinstance(frame, gpd.GeoDataFrame):
            wgs = frame.to_crs(4326) if frame.crs is not None else frame
            return [g for g in wgs.geometry if g is not None and not g.is_empty]
        return _from_table(frame, extent)
    msg = f"no parser for output kind {kind!r}"
    raise ValueError(msg)


def tables_of(kind: str, body: bytes) -> dict[str, pd.DataFrame]:
    """The tables of an output (CSV, XLSX sheets, GPKG layers, JSON record lists / features)."""
    if kind == "csv":
        if not body.strip(b"\xef\xbb\xbf \r\n"):  # an empty export (no rows, no header)
            return {}
        return {"csv": pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")}
    if kind == "xlsx":
        return dict(pd.read_excel(io.BytesIO(body), sheet_name=None, engine="openpyxl"))
    if kind == "gpkg":
        return {name: pd.DataFrame(frame) for name, frame in _gpkg_frames(body).items()}
    if kind in {"json", "geojson"}:
        return dict(_json_tables(json.loads(body), "$"))
    if kind == "parquet":
        return {"parquet": pd.DataFrame(_parquet(body))}
    return {}


def _parquet(body: bytes) -> pd.DataFrame:
    """A (Geo)Parquet file: a GeoDataFrame when it has GeoParquet metadata."""
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(body))
    if b"geo" in (table.schema.metadata or {}):
        return gpd.read_parquet(io.BytesIO(body))
    return table.to_pandas()


# --- JSON ------------------------------------------------------------------------------------


def _from_json(doc: Any, extent: Extent) -> list[BaseGeometry]:
    out: list[BaseGeometry] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") in GEOMETRY_TYPES and (
                "coordinates" in node or "geometries" in node
            ):
                out.append(shape(node))
                continue
            stack.extend(node.values())
        elif isinstance(node, list):
            if len(node) == 4 and all(isinstance(v, int | float) for v in node):
                out.extend(_bbox_corners([float(v) for v in node], extent))
            stack.extend(v for v in node if isinstance(v, dict | list))
    return out


def _json_tables(doc: Any, path: str) -> Iterator[tuple[str, pd.DataFrame]]:
    """Lists of records and FeatureCollections' properties anywhere in a JSON document."""
    if isinstance(doc, dict):
        if doc.get("type") == "FeatureCollection":
            rows = [f.get("properties") or {} for f in doc.get("features", [])]
            yield path, pd.DataFrame(rows)
            return
        if doc.get("type") == "Feature":
            yield path, pd.DataFrame([doc.get("properties") or {}])
            return
        for key, value in doc.items():
            yield from _json_tables(value, f"{path}.{key}")
    elif isinstance(doc, list) and doc and all(isinstance(v, dict) for v in doc):
        if all("type" not in v for v in doc):
            yield path, pd.DataFrame(doc)
        else:
            for i, value in enumerate(doc):
                yield from _json_tables(value, f"{path}[{i}]")


def _bbox_corners(v: list[float], extent: Extent) -> list[BaseGeometry]:
    a, b = extent.lonlat(v[0], v[1]), extent.lonlat(v[2], v[3])
    if a is None or b is None:
        return []
    return [MultiPoint([(a[0], a[1]), (a[0], b[1]), (b[0], a[1]), (b[0], b[1])])]


# --- HTML and JavaScript ---------------------------------------------------------------------


def _from_text(text: str, extent: Extent) -> list[BaseGeometry]:
    """Runs of coordinate pairs (``[a, b], [c, d], ...``) become lines (rings when closed)."""
    out: list[BaseGeometry] = []
    run: list[tuple[float, float]] = []
    end = -1
    for match in _PAIR.finditer(text):
        point = extent.lonlat(float(match.group(1)), float(match.group(2)))
        if point is None:
            continue
        between = text[end : match.start()] if end >= 0 else "x"
        if run and _SEPARATOR.fullmatch(between):
            run.append(point)
        else:
            out.append(_run_geometry(run))
            run = [point]
        end = match.end()
    out.append(_run_geometry(run))
    for match in _BBOX.finditer(text):
        out.extend(_bbox_corners([float(g) for g in match.groups()], extent))
    return [g for g in out if not g.is_empty]


def _run_geometry(run: list[tuple[float, float]]) -> BaseGeometry:
    if not run:
        return Point()
    if len(run) == 1:
        return Point(run[0])
    return LineString(run)


# --- files -----------------------------------------------------------------------------------


def _gpkg_frames(body: bytes) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.gpkg"
        path.write_bytes(body)
        return {
            str(name): pyogrio.read_dataframe(path, layer=str(name)).to_crs(4326)
            for name, _ in pyogrio.list_layers(path)
        }


def _from_gpkg(body: bytes) -> list[BaseGeometry]:
    return [
        g for frame in _gpkg_frames(body).values() for g in frame.geometry if g and not g.is_empty
    ]


def _from_gpx(body: bytes, extent: Extent) -> list[BaseGeometry]:
    root = ET.fromstring(body)
    out: list[BaseGeometry] = []

    def point(el: ET.Element) -> tuple[float, float] | None:
        return extent.lonlat(float(el.get("lon", "nan")), float(el.get("lat", "nan")))

    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "wpt" and (p := point(el)) is not None:
            out.append(Point(p))
        elif tag in {"trkseg", "rte"}:
            pts = [
                p
                for child in el
                if child.tag.rsplit("}", 1)[-1] in {"trkpt", "rtept"}
                if (p := point(child)) is not None
            ]
            out.append(_run_geometry(pts))
    return [g for g in out if not g.is_empty]


def _from_table(frame: pd.DataFrame, extent: Extent) -> list[BaseGeometry]:
    """Positions in a table: lon/lat (经度/纬度) column pairs and WKT columns."""
    out: list[BaseGeometry] = []
    names = {str(c).lower(): c for c in frame.columns}
    lon = next((names[n] for n in ("lon", "lng", "longitude", "经度", "x") if n in names), None)
    lat = next((names[n] for n in ("lat", "latitude", "纬度", "y") if n in names), None)
    if lon is not None and lat is not None:
        xs = pd.to_numeric(frame[lon], errors="coerce")
        ys = pd.to_numeric(frame[lat], errors="coerce")
        for a, b in zip(xs, ys, strict=True):
            if pd.notna(a) and pd.notna(b) and (p := extent.lonlat(float(a), float(b))):
                out.append(Point(p))
    for col in frame.columns:
        values = frame[col].dropna().astype(str)
        wkt = values[values.str.match(r"^\s*(MULTI)?(POINT|LINESTRING|POLYGON)", case=False)]
        out.extend(g for g in shapely.from_wkt(wkt.to_numpy(), on_invalid="ignore") if g)
        # coordinates written as text elsewhere ("112.93,29.81")
        for text in values[~values.index.isin(wkt.index)]:
            out.extend(_from_text(f"[{text}]", extent) if "," in text else [])
    return out
