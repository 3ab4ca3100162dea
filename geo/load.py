"""Reading layers from files: GeoPackage, GeoJSON, Shapefile (also zipped) and CSV, via pyogrio.

A source is either one GeoPackage holding a layer per schema name (``households``, ``waters``...),
or a folder with one file per layer named after it (``households.csv``, ``waters.shp``,
``roads.geojson``, ``equipment.zip``...). Every layer is renamed to the schema's columns (Chinese
names are recognised, others mapped with a column-mapping file), brought to WGS84 lon/lat, then
validated (:mod:`geo.validate`).
"""

from __future__ import annotations

import json
import tempfile
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj
import shapely

from geo.aliases import ColumnMap
from geo.crs import WGS84, parse_crs, to_wgs84
from geo.errors import CRSError, InputError
from geo.i18n import tr
from geo.schemas import all_schemas
from geo.settings import Language

SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".csv", ".xlsx")
#: Tables whose rows users number like a spreadsheet (the header is row 1).
TABLE_SUFFIXES = (".csv", ".xlsx")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "几何")

Progress = Callable[[str], None]


def _detect_encoding(path: Path) -> str:
    """UTF-8 when the bytes decode as UTF-8, else GB18030 (Chinese Excel exports)."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _read_csv(path: Path) -> gpd.GeoDataFrame:
    encoding = _detect_encoding(path)
    if encoding != "utf-8":
        # GDAL matches the coordinate column names on raw bytes: hand it UTF-8.
        with tempfile.TemporaryDirectory() as tmp:
            utf8 = Path(tmp) / path.name
            utf8.write_text(path.read_bytes().decode(encoding), encoding="utf-8")
            return _read_csv(utf8)
    header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    lower = {str(c).strip().lower().lstrip("\ufeff"): str(c) for c in header}
    lon = next((lower[n] for n in LON_NAMES if n in lower), None)
    lat = next((lower[n] for n in LAT_NAMES if n in lower), None)
    wkt = next((lower[n] for n in WKT_NAMES if n in lower), None)
    if (lon is None or lat is None) and wkt is None:
        msg = (
            f"CSV {path.name!r} has no coordinates: give longitude/latitude columns (one of "
            f"{LON_NAMES} and one of {LAT_NAMES}) or a WKT geometry column ({WKT_NAMES})"
        )
        raise InputError(msg)
    options = (
        {"X_POSSIBLE_NAMES": lon, "Y_POSSIBLE_NAMES": lat}
        if lon is not None and lat is not None
        else {"GEOM_POSSIBLE_NAMES": wkt}
    )
    frame = pyogrio.read_dataframe(
        path,
        **options,
        KEEP_GEOM_COLUMNS="NO",
        EMPTY_STRING_AS_NULL="YES",
    )
    # A CSV states no CRS: it is set from --crs by the caller.
    return frame.set_crs(None, allow_override=True) if frame.crs is not None else frame


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or Excel table as text cells, headers as written; template example rows skipped.

    The first sheet of a workbook is read. A row whose first cell is ``示例`` (the example row
    of a ``tongan init`` template) is left out; the numbers users see on the rows are kept in
    ``attrs["file_rows"]``.
    """
    from geo.roster import EXAMPLE_ID

    try:
        if path.suffix.lower() == ".xlsx":
            table = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        else:
            table = pd.read_csv(
                path, dtype=str, encoding=_detect_encoding(path), keep_default_na=False
            )
            table = table.replace("", pd.NA)
    except (ValueError, OSError, KeyError) as exc:  # not a workbook, zip errors, bad sheet
        msg = f"cannot read {path.name!r} as a table: {exc}"
        raise InputError(msg) from None
    table.columns = [str(c).strip().lstrip("\ufeff") for c in table.columns]
    table = table.dropna(how="all")
    rows = [int(i) + 2 for i in table.index]
    first = table.iloc[:, 0].astype("string").str.strip() if len(table.columns) else None
    if first is not None:
        example = first.eq(EXAMPLE_ID).fillna(False).to_numpy()
        table = table[~example]
        rows = [r for r, e in zip(rows, example, strict=True) if not e]
    table = table.reset_index(drop=True)
    table.attrs["file_rows"] = rows
    return table


def _read_xlsx(path: Path) -> gpd.GeoDataFrame:
    """An Excel table with longitude/latitude columns as points, without a CRS (like a CSV)."""
    table = read_table(path)
    lower = {c.lower(): c for c in table.columns}
    lon = next((lower[n] for n in LON_NAMES if n in lower), None)
    lat = next((lower[n] for n in LAT_NAMES if n in lower), None)
    if lon is None or lat is None:
        msg = (
            f"Excel table {path.name!r} has no coordinates: give longitude/latitude columns "
            f"(one of {LON_NAMES} and one of {LAT_NAMES})"
        )
        raise InputError(msg)
    x = pd.to_numeric(table[lon], errors="coerce")
    y = pd.to_numeric(table[lat], errors="coerce")
    geoms = [
        None if pd.isna(a) or pd.isna(b) else shapely.Point(a, b) for a, b in zip(x, y, strict=True)
    ]
    frame = gpd.GeoDataFrame(table.drop(columns=[lon, lat]), geometry=geoms)
    frame.attrs["file_rows"] = table.attrs["file_rows"]
    return frame


def read_file(
    path: Path, *, layer: str | None = None, encoding: str | None = None
) -> gpd.GeoDataFrame:
    """Read one vector file or GeoPackage layer as it is (columns and CRS untouched).

    Parameters
    ----------
    path
        ``.gpkg``, ``.geojson``/``.json``, ``.shp``, a ``.zip`` holding a Shapefile, ``.csv``
        with longitude/latitude (or WKT) columns, or ``.xlsx`` with longitude/latitude.
    layer
        Layer name inside a GeoPackage.
    encoding
        Text encoding of a Shapefile without a ``.cpg`` (Chinese data is often ``gbk``).
    """
    if not path.exists():
        msg = f"file {str(path)!r} does not exist"
        raise InputError(msg)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        msg = f"cannot read {path.name!r}: expected one of {', '.join(SUFFIXES)}"
        raise InputError(msg)
    if suffix in {".csv", ".geojson", ".json"}:
        _refuse_nul_bytes(path)
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    return _read_vector(path, layer, encoding)


def _refuse_nul_bytes(path: Path) -> None:
    """Refuse a text file holding a NUL (raw, or ``\\u0000`` in JSON), naming its line.

    GDAL ends a value at a NUL: the rest of the row would be lost without a word.
    """
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        msg = f"{path.name} is saved as UTF-16; save it as UTF-8 (or GBK) and import again"
        raise InputError(msg)
    at = raw.find(b"\x00")
    if at < 0 and path.suffix.lower() != ".csv":
        at = raw.find(b"\\u0000")
    if at >= 0:
        line = raw.count(b"\n", 0, at) + 1
        msg = (
            f"{path.name}: line {line} holds a NUL character (U+0000), which GDAL and the "
            "database cannot keep; remove it and import again"
        )
        raise InputError(msg)


def _read_vector(path: Path, layer: str | None, encoding: str | None) -> gpd.GeoDataFrame:
    kwargs: dict[str, object] = {}
    if encoding:
        kwargs["encoding"] = encoding
    try:
        with warnings.catch_warnings():
            # GDAL warns about non-conformant GeoJSON CRS members and similar; the CRS is checked below.
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(path, layer=layer, **kwargs)
    except pyogrio.errors.DataLayerError as exc:
        msg = (
            f"{path.name!r} has no layer {layer!r}"
            if layer
            else f"cannot read {path.name!r}: {exc}"
        )
        raise InputError(msg) from exc
    except pyogrio.errors.DataSourceError as exc:
        msg = f"cannot read {path.name!r}: {exc}"
        raise InputError(msg) from exc


def apply_column_map(
    frame: gpd.GeoDataFrame, layer: str, column_map: ColumnMap
) -> gpd.GeoDataFrame:
    """Rename a frame's columns to the schema's names (exact, Chinese, mapped, then case-insensitive)."""
    schema = all_schemas()[layer]
    mapping = column_map.columns_for(layer)
    by_lower = {name.lower(): name for name in schema.column_names}
    # Shapefile field names are cut at 10 characters ("village_code" -> "village_co").
    by_lower |= {name[:10].lower(): name for name in schema.column_names if len(name) > 10}
    rename: dict[str, str] = {}
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        key = str(col).strip()
        target = mapping.get(key) or (
            key if key in schema.column_names else by_lower.get(key.lower())
        )
        if target and target not in rename.values():
            rename[col] = target
    out = frame.rename(columns=rename)
    # The file's own headers, so that messages name a column as the user wrote it.
    out.attrs["headers"] = {target: str(col) for col, target in rename.items()}
    return out


@dataclass(frozen=True)
class CrsIgnored:
    """A file states its own CRS, so the CRS the user gave (``--crs`` / ``?crs=``) was not used."""

    source: str
    stated: str
    given: str

    def line(self, lang: Language = "zh") -> str:
        return tr("crs_ignored", lang, source=self.source, stated=self.stated, given=self.given)


def states_crs(path: Path, frame: gpd.GeoDataFrame) -> bool:
    """Whether a file states its CRS (rather than a reader assuming one).

    A CSV states none; a Shapefile states one in its ``.prj``, a GeoPackage in its layer's SRS.
    GDAL reports WGS84 for every GeoJSON (RFC 7946), but only one with a ``crs`` member states
    it: a GeoJSON without one may as well hold GCJ-02 coordinates from a web map.
    """
    if frame.crs is None:
        return False
    if path.suffix.lower() in {".geojson", ".json"}:
        try:
            with path.open("rb") as f:
                data = json.load(f)
        except (OSError, ValueError):
            return True  # unreadable as JSON here; GDAL read it, so trust what it reported
        return isinstance(data, dict) and data.get("crs") is not None
    return True


def apply_crs(
    frame: gpd.GeoDataFrame,
    *,
    layer: str,
    crs: str | None,
    source: str,
    stated: bool | None = None,
    notes: list[CrsIgnored] | None = None,
) -> gpd.GeoDataFrame:
    """Bring a frame to WGS84: in the CRS its file states, else in the user's ``--crs``.

    Parameters
    ----------
    frame
        A layer as read (see :func:`read_file`).
    layer, source
        The layer name and the file (for messages).
    crs
        The user's ``--crs`` / ``?crs=`` (an EPSG code, ``gcj02`` or ``bd09``), or None.
    stated
        Whether the file states its CRS (:func:`states_crs`); by default, whether it has one.
    notes
        Gets a :class:`CrsIgnored` when the file states a CRS other than ``crs``: the file's
        own CRS is used and ``crs`` is ignored for that file.

    Raises
    ------
    CRSError
        The frame has no CRS and no ``crs`` was given, or ``crs`` is unknown.
    """
    stated = frame.crs is not None if stated is None else stated
    if crs is None:
        if frame.crs is None:
            msg = (
                f"{source} (layer {layer!r}) states no CRS; pass --crs, for example --crs "
                "EPSG:4326, --crs EPSG:4490 (CGCS2000), --crs gcj02 (Amap/Tencent) or --crs bd09 "
                "(Baidu)"
            )
            raise CRSError(msg)
        return to_wgs84(frame, layer=layer)
    given, offset = parse_crs(crs)
    if not stated:
        return to_wgs84(frame.set_crs(given, allow_override=True), offset=offset, layer=layer)
    declared = pyproj.CRS.from_user_input(frame.crs)
    if (offset != "wgs84" or not declared.equals(given)) and notes is not None:
        notes.append(CrsIgnored(source, declared.name, crs))
    return to_wgs84(frame, layer=layer)


def _names_layer(stem: str, name: str) -> bool:
    """Whether a file or layer name stands for the layer ``name`` (``areas``, ``areas_2024``)."""
    return stem == name or stem.startswith(f"{name}_")


def _gpkg_layer(path: Path, name: str) -> str:
    """The layer of a GeoPackage to read as ``name``: the one so called, else its only layer.

    Raises
    ------
    InputError
        The file is no GeoPackage, or it holds several layers and none is called ``name``.
    """
    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # GDAL's message says what is wrong with the file
        msg = f"cannot read {path.name!r} as a GeoPackage: {exc}"
        raise InputError(msg) from None
    if name in names:
        return name
    if len(names) == 1:
        return names[0]
    msg = (
        f"{path.name!r} holds the layers {names} and none is called {name!r}; rename the layer "
        f"to {name!r} or save it alone in its own GeoPackage"
    )
    raise InputError(msg)


def find_sources(source: Path) -> dict[str, list[tuple[Path, str | None]]]:
    """Map each layer name to the files (and GeoPackage layers) that hold it.

    In a folder, a layer is ``<name>.<ext>`` and any number of ``<name>_<part>.<ext>`` files that
    are read and concatenated (a Shapefile holds one geometry type, so ``waters_lines.shp`` and
    ``waters_ponds.shp`` together make the waters layer).
    """
    if not source.exists():
        msg = f"{str(source)!r} does not exist; give a GeoPackage or a folder of layer files"
        raise InputError(msg)
    found: dict[str, list[tuple[Path, str | None]]] = {}
    if source.is_file():
        if source.suffix.lower() != ".gpkg":
            msg = f"{source.name!r}: a single file must be a GeoPackage with one layer per schema"
            raise InputError(msg)
        available = [str(row[0]) for row in pyogrio.list_layers(source)]
        if len(available) == 1:  # areas_villages.gpkg with its one layer areas_villages
            stem = source.name[: -len(source.suffix)]
            only = [
                n for n in all_schemas() if _names_layer(stem, n) or _names_layer(available[0], n)
            ]
            if len(only) == 1:
                return {only[0]: [(source, available[0])]}
        found_in_file: dict[str, list[tuple[Path, str | None]]] = {}
        for name in all_schemas():
            for layer_name in available:
                if _names_layer(layer_name, name):
                    found_in_file.setdefault(name, []).append((source, layer_name))
        return found_in_file
    files = sorted(p for p in source.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    for name in all_schemas():
        for path in files:
            stem = path.name[: -len(path.suffix)]
            if _names_layer(stem, name):
                found.setdefault(name, []).append(
                    (path, _gpkg_layer(path, name) if path.suffix.lower() == ".gpkg" else None)
                )
    if not found:
        gpkgs = [p for p in files if p.suffix.lower() == ".gpkg"]
        if len(gpkgs) == 1:
            return find_sources(gpkgs[0])
    return found


def is_roster(path: Path, name: str) -> bool:
    """Whether a households file is a roster: an Excel table, or a CSV without coordinates."""
    if name != "households" or path.suffix.lower() not in TABLE_SUFFIXES:
        return False
    if path.suffix.lower() == ".xlsx":
        return True
    header = read_table(path).columns
    lower = {c.lower() for c in header}
    has_xy = any(n in lower for n in LON_NAMES) and any(n in lower for n in LAT_NAMES)
    return not has_xy and not any(n in lower for n in WKT_NAMES)


def _read_roster(
    path: Path, frames: dict[str, gpd.GeoDataFrame], crs: str | None, column_map: ColumnMap
) -> tuple[gpd.GeoDataFrame, dict[str, str], list[tuple[str, int, bool]], object]:
    """A households roster (see :mod:`geo.roster`), placed with the areas and roads read."""
    from geo.roster import roster_households

    def locate(points: gpd.GeoSeries) -> gpd.GeoSeries:
        frame = gpd.GeoDataFrame(geometry=points)
        return apply_crs(frame, layer="households", crs=crs, source=path.name).geometry

    table = read_table(path)
    frame, report = roster_households(
        table,
        file=path.name,
        areas=frames.get("areas"),
        roads=frames.get("roads"),
        column_map=column_map,
        rows=table.attrs["file_rows"],
        locate=locate,
    )
    headers = dict(report.headers)
    return frame, headers, [(path.name, r, True) for r in report.rows], report


def _without_personal(
    frame: gpd.GeoDataFrame, file: str, reports: list[object]
) -> gpd.GeoDataFrame:
    """Drop a households file's personal columns first; note them for the report."""
    from geo.roster import RosterReport, drop_personal

    rows = frame.attrs.get("file_rows")
    out, personal = drop_personal(frame)
    if personal:
        reports.append(RosterReport(file=file, personal=personal))
    out.attrs = dict(frame.attrs) | ({"file_rows": rows} if rows is not None else {})
    return out


def read_layers(
    source: str | Path,
    *,
    crs: str | None = None,
    column_map: ColumnMap | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    notes: list[CrsIgnored] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Read every layer of a source, renamed to the schema and in WGS84; not yet validated.

    ``source`` is a GeoPackage or a folder of layer files, as a path or a string
    (``read_layers("sample_layers/township.gpkg")``).

    ``crs`` applies to the files that state no CRS (:func:`states_crs`); each file that states
    another one keeps its own and adds a :class:`CrsIgnored` to ``notes``.

    A households roster without coordinates (:func:`is_roster`) is read last, once the areas
    and roads it is placed with are read; its personal columns never leave :mod:`geo.roster`.

    Returns
    -------
    dict
        Layer name -> GeoDataFrame, for the layers the source holds. A roster's report is in
        ``frames["households"].attrs["roster"]`` (see :class:`geo.roster.RosterReport`).
    """
    source = Path(source)
    column_map = column_map or ColumnMap()
    frames: dict[str, gpd.GeoDataFrame] = {}
    personal_reports: list[object] = []
    sources = find_sources(source)
    for name, parts in sources.items():
        if progress:
            progress(name)
        pieces = []
        headers: dict[str, str] = {}
        rows: list[tuple[str, int, bool]] = []
        for path, layer in parts:
            if is_roster(path, name):
                continue  # read once areas and roads are in
            label = f"{path.name}:{layer}" if path.suffix.lower() == ".gpkg" else path.name
            frame = read_file(path, layer=layer, encoding=encoding)
            stated = states_crs(path, frame)
            if name == "households":
                frame = _without_personal(frame, path.name, personal_reports)
            frame = apply_column_map(frame, name, column_map)
            headers |= frame.attrs["headers"]
            rows += _row_refs(path, frame)
            pieces.append(
                apply_crs(frame, layer=name, crs=crs, source=label, stated=stated, notes=notes)
            )
        if pieces:
            frames[name] = pieces[0] if len(pieces) == 1 else pd.concat(pieces, ignore_index=True)
            frames[name].attrs.update(headers=headers, rows=rows)
    if personal_reports and "households" in frames:
        frames["households"].attrs["roster"] = list(personal_reports)
    rosters = [path for path, _ in sources.get("households", []) if is_roster(path, "households")]
    if rosters:
        pieces = [frames["households"]] if "households" in frames else []
        headers = dict(frames["households"].attrs["headers"]) if pieces else {}
        rows = list(frames["households"].attrs["rows"]) if pieces else []
        reports = list(personal_reports)
        for path in rosters:
            frame, found, refs, report = _read_roster(path, frames, crs, column_map)
            pieces.append(frame)
            headers |= found
            rows += refs
            reports.append(report)
        households = pieces[0] if len(pieces) == 1 else pd.concat(pieces, ignore_index=True)
        households.attrs.update(headers=headers, rows=rows, roster=reports)
        frames["households"] = households
    return frames


def read_layer_file(
    path: Path,
    name: str,
    *,
    crs: str | None = None,
    column_map: ColumnMap | None = None,
    encoding: str | None = None,
    notes: list[CrsIgnored] | None = None,
    context: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> gpd.GeoDataFrame:
    """Read one file as the layer ``name``: renamed to the schema and in WGS84, not validated.

    The same steps as :func:`read_layers` for one layer, for a file uploaded on its own. A
    GeoPackage is read from its layer called ``name``, or from its only layer. A households
    roster (:func:`is_roster`: an Excel table, or a CSV without coordinates) is matched to the
    villages of ``context["areas"]`` and placed on ``context["roads"]`` (the workspace's layers,
    WGS84), its personal columns dropped first; its report is ``attrs["roster"]``.

    Raises
    ------
    InputError
        The file cannot be read, or a GeoPackage holds several layers and none is ``name``.
    """
    if context is not None and is_roster(path, name):
        frame, headers, refs, report = _read_roster(
            path, dict(context), crs, column_map or ColumnMap()
        )
        frame.attrs.update(headers=headers, rows=refs, roster=[report])
        return frame
    layer = _gpkg_layer(path, name) if path.suffix.lower() == ".gpkg" else None
    try:
        frame = read_file(path, layer=layer, encoding=encoding)
    except InputError:
        raise
    except Exception as exc:  # pyogrio/GDAL errors on a corrupt or mislabelled file
        msg = f"cannot read the file for layer {name!r}: {exc}"
        raise InputError(msg) from None
    stated = states_crs(path, frame)
    if name == "households":
        frame = _without_personal(frame, path.name, [])
    frame = apply_column_map(frame, name, column_map or ColumnMap())
    headers = frame.attrs["headers"]
    out = apply_crs(frame, layer=name, crs=crs, source=path.name, stated=stated, notes=notes)
    out.attrs.update(headers=headers, rows=_row_refs(path, frame))
    return out


def _row_refs(path: Path, frame: pd.DataFrame) -> list[tuple[str, int, bool]]:
    """Each row's place as the user sees the file: spreadsheet rows or feature numbers."""
    table = path.suffix.lower() in TABLE_SUFFIXES
    given = frame.attrs.get("file_rows")
    if isinstance(given, list) and len(given) == len(frame):
        return [(path.name, int(r), table) for r in given]
    first = 2 if table else 1  # a table's header is row 1
    return [(path.name, first + i, table) for i in range(len(frame))]


def write_layers(frames: dict[str, gpd.GeoDataFrame], path: Path) -> Path:
    """Write layers into one GeoPackage (WGS84), one layer per name, replacing the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    for name, frame in frames.items():
        frame.to_crs(WGS84).to_file(path, layer=name, driver="GPKG", engine="pyogrio")
    return path
