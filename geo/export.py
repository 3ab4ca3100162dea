"""Writing results: GeoPackage (WGS84), CSV (UTF-8 with BOM, opens in Excel) and an Excel workbook.

Analyses return tables with English column names and codes; ``headers`` maps the columns to the
Chinese (or English) headers users read, and CSV and Excel carry words for the codes and numbers
rounded as people read them. Geometry goes to the GeoPackage only; CSV and Excel carry the
attributes plus longitude/latitude of points.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84
from geo.i18n import VALUE_LABELS_ZH, tr, value_label
from geo.settings import Language

_SHEET_MAX = 31  # Excel's limit on sheet-name length


@dataclass(frozen=True)
class Written:
    """Paths of the files one export wrote."""

    geopackage: Path | None
    csv: tuple[Path, ...]
    excel: Path


def _for_people(table: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """Codes as words (``life_buoy`` -> 救生圈, lists joined with 、), yes/no for flags, and
    numbers rounded as people read them: lengths and areas (``_m``, ``_m2``, ``metres``) to 0.1, shares
    to 0.001, other decimals to 0.01; longitude and latitude keep their 6 decimals."""
    sep = tr("list_sep", lang)

    def words(value: object) -> object:
        if not isinstance(value, str) or not value:
            return value
        parts = value.split(";")
        if not all(p in VALUE_LABELS_ZH for p in parts):
            return value
        return sep.join(value_label(p, lang) for p in parts)

    for col in table.columns:
        series = table[col]
        name = str(col)
        if pd.api.types.is_bool_dtype(series):
            yes, no = tr("word_yes", lang), tr("word_no", lang)
            table[col] = series.map({True: yes, False: no})
        elif pd.api.types.is_float_dtype(series) and name not in {"lon", "lat"}:
            metric = name.endswith(("_m", "_m2")) or name == "metres"
            digits = 1 if metric else 3 if name.startswith("share") else 2
            table[col] = series.round(digits)
        elif series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            table[col] = series.map(words)
    return table


def for_people(
    frame: pd.DataFrame, headers: Mapping[str, str] | None = None, lang: Language = "zh"
) -> pd.DataFrame:
    """A table as people read it (CSV, Excel, the printed plan): no geometry (points keep their
    longitude and latitude), dates as dates, codes as words, numbers rounded, the columns under
    ``headers``."""
    headers = headers or {}
    table = (
        pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
        if isinstance(frame, gpd.GeoDataFrame)
        else frame.copy()
    )
    if isinstance(frame, gpd.GeoDataFrame) and len(frame):
        wgs = frame.to_crs(WGS84)
        points = wgs.geometry.geom_type == "Point"
        if points.all():
            table["lon"] = wgs.geometry.x.round(6).values
            table["lat"] = wgs.geometry.y.round(6).values
    for col in table.columns:
        if isinstance(table[col].dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(
            table[col]
        ):
            table[col] = table[col].dt.date
    table = _for_people(table, lang)
    return table.rename(columns={c: headers.get(c, c) for c in table.columns})


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    *,
    stem: str,
    headers: Mapping[str, str] | None = None,
    sheet_names: Mapping[str, str] | None = None,
    lang: Language = "zh",
    csv: bool = True,
    table_headers: Mapping[str, Mapping[str, str]] | None = None,
) -> Written:
    """Write each table to CSV and to one sheet of ``<stem>.xlsx``; geo-tables to ``<stem>.gpkg``.

    Parameters
    ----------
    tables
        Name -> table (GeoDataFrame or DataFrame), written in this order.
    out_dir
        Folder, created when missing.
    stem
        File stem: ``<stem>.gpkg``, ``<stem>.xlsx``, ``<stem>_<name>.csv``.
    headers
        Column name -> header for CSV and Excel (Chinese by default in the callers).
    sheet_names
        Table name -> sheet title in the workbook.
    lang
        Language of the words CSV and Excel carry for codes (``life_buoy`` -> 救生圈) and flags;
        the GeoPackage keeps the codes, for other programs.
    csv
        Whether to write the CSV files too (the plan's folder holds the workbook only).
    table_headers
        Table name -> its own headers, over ``headers`` (the plan's tables come from several
        analyses, where one column name may read differently).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    headers = headers or {}
    sheet_names = sheet_names or {}
    gpkg = out_dir / f"{stem}.gpkg"
    if gpkg.exists():
        gpkg.unlink()
    wrote_gpkg = False
    csvs: list[Path] = []
    excel = out_dir / f"{stem}.xlsx"
    with pd.ExcelWriter(excel, engine="openpyxl") as writer:
        for name, frame in tables.items():
            if isinstance(frame, gpd.GeoDataFrame) and len(frame):
                frame.to_crs(WGS84).to_file(gpkg, layer=name, driver="GPKG", engine="pyogrio")
                wrote_gpkg = True
            own = (table_headers or {}).get(name, {})
            plain = for_people(frame, {**headers, **own}, lang)
            if csv:
                path = out_dir / f"{stem}_{name}.csv"
                plain.to_csv(path, index=False, encoding="utf-8-sig")
                csvs.append(path)
            plain.to_excel(writer, sheet_name=sheet_names.get(name, name)[:_SHEET_MAX], index=False)
    return Written(gpkg if wrote_gpkg else None, tuple(csvs), excel)


_GPX_NS = "http://www.topografix.com/GPX/1/1"


def gpx_bytes(routes: gpd.GeoDataFrame, stops: gpd.GeoDataFrame, *, name: str) -> bytes:
    """A GPX 1.1 document: one track per route row and the stops as waypoints, in WGS84.

    Parameters
    ----------
    routes
        One row per route (a day of a patrol, a visit round), line geometry, optional ``date``.
    stops
        The stops in visiting order: ``order``, optional ``day`` and ``place``, ``spot_id`` or
        ``household_id`` for the waypoint's name.
    name
        The tracks' name (followed by each route's date).
    """
    ET.register_namespace("", _GPX_NS)
    root = ET.Element(f"{{{_GPX_NS}}}gpx", version="1.1", creator="Tongan")
    wgs_stops = stops.to_crs(WGS84) if len(stops) else stops
    for _, s in wgs_stops.iterrows():
        wpt = ET.SubElement(
            root, f"{{{_GPX_NS}}}wpt", lat=f"{s.geometry.y:.7f}", lon=f"{s.geometry.x:.7f}"
        )
        label = s.get("place") or s.get("spot_id", s.get("household_id"))
        ET.SubElement(wpt, f"{{{_GPX_NS}}}name").text = f"{s.get('day', 1)}-{s['order']} {label}"
    wgs = routes.to_crs(WGS84)
    for _, r in wgs.iterrows():
        trk = ET.SubElement(root, f"{{{_GPX_NS}}}trk")
        ET.SubElement(trk, f"{{{_GPX_NS}}}name").text = f"{name} {r.get('date', '')}"
        seg = ET.SubElement(trk, f"{{{_GPX_NS}}}trkseg")
        if r.geometry is not None and not r.geometry.is_empty:
            for x, y in r.geometry.coords:
                ET.SubElement(seg, f"{{{_GPX_NS}}}trkpt", lat=f"{y:.7f}", lon=f"{x:.7f}")
    gpx: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return gpx


def write_gpx(routes: gpd.GeoDataFrame, stops: gpd.GeoDataFrame, path: Path, *, name: str) -> Path:
    """Write :func:`gpx_bytes` to ``path``; returns ``path``."""
    path.write_bytes(gpx_bytes(routes, stops, name=name))
    return path
