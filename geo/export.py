"""Writing results: GeoPackage (WGS84), CSV (UTF-8 with BOM, opens in Excel) and an Excel workbook.

Analyses return tables with English column names; ``headers`` maps them to the Chinese (or
English) headers users read. Geometry goes to the GeoPackage only; CSV and Excel carry the
attributes plus longitude/latitude of points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84

_SHEET_MAX = 31  # Excel's limit on sheet-name length


@dataclass(frozen=True)
class Written:
    """Paths of the files one export wrote."""

    geopackage: Path | None
    csv: tuple[Path, ...]
    excel: Path


def _plain(frame: pd.DataFrame, headers: Mapping[str, str]) -> pd.DataFrame:
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
    return table.rename(columns={c: headers.get(c, c) for c in table.columns})


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    *,
    stem: str,
    headers: Mapping[str, str] | None = None,
    sheet_names: Mapping[str, str] | None = None,
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
            plain = _plain(frame, headers)
            path = out_dir / f"{stem}_{name}.csv"
            plain.to_csv(path, index=False, encoding="utf-8-sig")
            csvs.append(path)
            plain.to_excel(writer, sheet_name=sheet_names.get(name, name)[:_SHEET_MAX], index=False)
    return Written(gpkg if wrote_gpkg else None, tuple(csvs), excel)
