"""Validation: check every layer against its schema, gather every problem, then report once.

``validate_layers`` turns raw frames (renamed to the schema, in WGS84, see :mod:`geo.load`) into
typed :class:`~geo.layers.Layers` and a :class:`ValidationReport`. Fatal problems (a missing
required column, a wrong type in a required column, a duplicate id, an empty geometry, a
household in no known village, a feature far outside the study area...) make the layers unusable;
warnings (a repaired geometry, an ignored column...) are listed. Nothing is dropped silently:
repaired geometries and values set empty are all named in the report.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.aliases import FALSE_VALUES, TRUE_VALUES, ColumnMap
from geo.crs import WGS84
from geo.errors import LayerError
from geo.i18n import tr
from geo.layers import Layers, empty_layer
from geo.roster import RosterReport
from geo.schemas import (
    DIFFICULTY_CATEGORIES,
    SCHEMAS,
    WATER_LINE_KINDS,
    Column,
    LayerSchema,
    all_schemas,
)
from geo.settings import Language, Settings, get_settings

_EXAMPLES = 5
_MULTI_SPLIT = re.compile(r"[;；,，、|]\s*")
_LINE_TYPES = {"LineString", "MultiLineString"}
_POLYGON_TYPES = {"Polygon", "MultiPolygon"}
_ACCEPTED: dict[str, set[str]] = {
    "Point": {"Point"},
    "LineString": _LINE_TYPES,
    "Polygon": _POLYGON_TYPES,
}


@dataclass(frozen=True)
class Problem:
    """One problem of one layer (and column), with the rows it concerns."""

    layer: str
    code: str
    fatal: bool
    column: str = ""
    count: int = 0
    params: dict[str, object] = field(default_factory=dict)

    @property
    def column_label(self) -> str:
        """The column as the user's file names it, with the schema name when they differ."""
        return _header_label(self.column, self.params)

    def message(self, lang: Language = "zh") -> str:
        values = {k: v for k, v in self.params.items() if k not in {"headers", "rows"}}
        personal = values.pop("personal", None)
        if isinstance(personal, tuple):
            values["columns"] = ", ".join(
                f"{header} ({tr('personal_' + kind, lang)})" for header, kind in personal
            )
        for key in ("dtype",):
            if key in values:
                values[key] = tr(f"dtype_{values[key]}", lang)
        if self.code in {"missing_layer", "empty_layer"}:
            values["how"] = tr(f"how_{self.layer}", lang)
        for key in ("part", "whole"):
            if key in values:
                values[key] = _header_label(str(values[key]), self.params)
        text = tr(
            self.code, lang, column=self.column_label, count=self.count, layer=self.layer, **values
        )
        rows = self.params.get("rows")
        if isinstance(rows, tuple) and rows:
            text += tr("at_rows", lang, rows=_row_text(rows, lang))
        return text

    def line(self, lang: Language = "zh") -> str:
        level = tr("fatal" if self.fatal else "warning", lang)
        return f"[{level}] {self.layer}: {self.message(lang)}"


@dataclass(frozen=True)
class ValidationReport:
    """Every problem found, and a summary per layer."""

    problems: tuple[Problem, ...]
    present: tuple[str, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.fatal]

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_layer(self, layer: str) -> list[Problem]:
        return [p for p in self.problems if p.layer == layer]

    def lines(self, lang: Language = "zh") -> list[str]:
        return [p.line(lang) for p in self.problems]

    def raise_if_fatal(self, lang: Language = "zh") -> None:
        """Raise one :class:`LayerError` listing every fatal problem."""
        if self.errors:
            msg = tr("fatal_exit", lang, errors=len(self.errors))
            raise LayerError(msg, [p.line(lang) for p in self.errors])


#: Where a row came from: the file's name, its number as the user sees it, and whether the
#: file is a table (CSV, Excel: numbered like spreadsheet rows, header = row 1) or features.
RowRef = tuple[str, int, bool]


def _header_label(column: str, params: dict[str, object]) -> str:
    """``留守儿童数 (left_behind)`` when the file's header differs from the schema's name."""
    headers = params.get("headers")
    header = headers.get(column) if isinstance(headers, dict) else None
    return f"{header} ({column})" if header and header != column else column


def _row_text(rows: tuple[RowRef, ...], lang: Language) -> str:
    """``households.csv 第 3、5 行`` / ``households.csv rows 3, 5``, grouped by file."""
    by_file: dict[tuple[str, bool], list[int]] = {}
    for file, number, table in rows:
        by_file.setdefault((file, table), []).append(number)
    parts = []
    for (file, table), numbers in by_file.items():
        shown = numbers[:_EXAMPLES]
        more = " …" if len(numbers) > _EXAMPLES else ""
        sep = tr("list_sep", lang)
        key = "rows_table" if table else "rows_features"
        parts.append(tr(key, lang, file=file, rows=sep.join(map(str, shown)) + more))
    return "; ".join(parts)


def _examples(values: Iterable[object]) -> str:
    items = [str(v) for v in values]
    shown = ", ".join(items[:_EXAMPLES])
    return shown + (" …" if len(items) > _EXAMPLES else "")


class _Checker:
    """Collects the problems of one layer while coercing its columns."""

    def __init__(self, schema: LayerSchema, frame: gpd.GeoDataFrame, column_map: ColumnMap) -> None:
        self.schema = schema
        self.frame = frame
        self.column_map = column_map
        self.problems: list[Problem] = []
        id_col = schema.id_column
        if id_col in frame.columns:
            labels = (
                frame[id_col]
                .astype("string")
                .fillna("#" + pd.Series(frame.index, index=frame.index).astype(str))
            )
        else:
            labels = pd.Series([f"#{i}" for i in frame.index], index=frame.index)
        self.labels = labels
        refs = frame.attrs.get("rows")
        self.refs: list[RowRef] | None = (
            list(refs) if isinstance(refs, list) and len(refs) == len(frame) else None
        )

    def add(
        self,
        code: str,
        *,
        fatal: bool,
        column: str = "",
        count: int = 0,
        mask: pd.Series | np.ndarray | None = None,
        **params: object,
    ) -> None:
        if mask is not None and self.refs is not None:
            where = np.flatnonzero(np.asarray(mask, dtype=bool))
            params["rows"] = tuple(self.refs[i] for i in where)
        self.problems.append(Problem(self.schema.name, code, fatal, column, count, params))

    def rows(self, mask: pd.Series | np.ndarray) -> str:
        return _examples(self.labels[np.asarray(mask, dtype=bool)])

    # --- columns ---------------------------------------------------------------------
    def columns(self) -> pd.DataFrame:
        out: dict[str, pd.Series] = {}
        geometry_name = self.frame.geometry.name
        extra = [
            c
            for c in self.frame.columns
            if c not in self.schema.column_names and c != geometry_name
        ]
        if extra:
            self.add("ignored_columns", fatal=False, columns=", ".join(map(str, extra)))
        for col in self.schema.columns:
            if col.name not in self.frame.columns:
                if col.required:
                    self.add("missing_column", fatal=True, column=col.name, column_zh=col.zh)
                out[col.name] = self._fill(
                    empty_layer(self.schema)[col.name].reindex(self.frame.index), col
                )
                continue
            out[col.name] = self._coerce(self.frame[col.name], col)
        return pd.DataFrame(out, index=self.frame.index)

    def _fill(self, series: pd.Series, col: Column) -> pd.Series:
        if col.default is not None and not col.required:
            series = series.fillna(col.default)
        return series

    def _coerce(self, raw: pd.Series, col: Column) -> pd.Series:
        blank = raw.isna() | raw.astype("string").str.strip().fillna("").eq("")
        if col.dtype == "str":
            values = self._as_text(raw)
        elif col.dtype in ("int", "float"):
            values = self._as_number(raw, col)
        elif col.dtype == "bool":
            values = self._as_bool(raw)
        else:
            values = self._as_date(raw)
        unreadable = values.isna() & ~blank
        if unreadable.any():
            code = "wrong_type" if col.required else "wrong_type_optional"
            self.add(
                code,
                fatal=col.required,
                column=col.name,
                count=int(unreadable.sum()),
                mask=unreadable,
                dtype=col.dtype,
                values=_examples(raw[unreadable].astype(str).unique()),
            )
        if col.required and blank.any():
            self.add(
                "missing_value",
                fatal=True,
                column=col.name,
                count=int(blank.sum()),
                mask=blank,
                examples=self.rows(blank),
            )
        if col.allowed is not None:
            values = self._check_allowed(values, col)
        if col.minimum is not None:
            below = values.notna() & (values.astype("Float64") < col.minimum)
            if below.any():
                self.add(
                    "below_minimum",
                    fatal=True,
                    column=col.name,
                    count=int(below.sum()),
                    mask=below.fillna(False),
                    minimum=col.minimum,
                    examples=self.rows(below.fillna(False)),
                )
        return self._fill(values, col)

    def _as_text(self, raw: pd.Series) -> pd.Series:
        if pd.api.types.is_float_dtype(raw.dtype):
            integral = raw.dropna()
            if np.isfinite(integral).all() and (integral == np.round(integral)).all():
                raw = raw.astype("Int64")
        text = raw.astype("string").str.strip()
        return text.mask(text.eq(""))

    def _as_number(self, raw: pd.Series, col: Column) -> pd.Series:
        numbers = pd.to_numeric(
            raw.astype("string").str.strip().replace("", pd.NA), errors="coerce"
        )
        if col.dtype == "float":
            return numbers.astype("Float64")
        fractional = numbers.notna() & (numbers != np.round(numbers))
        return numbers.mask(fractional).round().astype("Int64")

    def _as_bool(self, raw: pd.Series) -> pd.Series:
        if pd.api.types.is_bool_dtype(raw.dtype):
            return raw.astype("boolean")
        text = raw.astype("string").str.strip().str.lower()
        out = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        out[text.isin(TRUE_VALUES).fillna(False)] = True
        out[text.isin(FALSE_VALUES - {""}).fillna(False)] = False
        return out

    def _as_date(self, raw: pd.Series) -> pd.Series:
        if pd.api.types.is_datetime64_any_dtype(raw.dtype):
            return (
                pd.to_datetime(raw).dt.tz_localize(None)
                if getattr(raw.dt, "tz", None)
                else pd.to_datetime(raw)
            )
        text = raw.astype("string").str.strip()
        text = text.str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "", regex=False)
        return pd.to_datetime(text, errors="coerce", format="mixed", yearfirst=True)

    def _check_allowed(self, values: pd.Series, col: Column) -> pd.Series:
        assert col.allowed is not None
        aliases = self.column_map.values_for(self.schema.name, col.name)

        def normalise(value: str) -> str:
            key = value.strip()
            return aliases.get(key, key.lower())

        if col.multi:
            mapped = values.map(
                lambda v: (
                    v
                    if pd.isna(v)
                    else ";".join(normalise(p) for p in _MULTI_SPLIT.split(v) if p.strip())
                ),
                na_action="ignore",
            ).astype("string")
            bad = mapped.notna() & ~mapped.map(
                lambda v: all(p in col.allowed for p in str(v).split(";")), na_action="ignore"
            ).fillna(True).astype(bool)
        else:
            # astype: pandas maps an all-empty column to a null[pyarrow] dtype isin cannot take
            mapped = values.map(normalise, na_action="ignore").astype("string")
            bad = mapped.notna() & ~mapped.isin(col.allowed).fillna(True)
        bad = bad.fillna(False).astype(bool)
        if bad.any():
            self.add(
                "not_allowed",
                fatal=True,
                column=col.name,
                count=int(bad.sum()),
                mask=bad,
                values=_examples(values[bad].unique()),
                allowed=", ".join(col.allowed),
            )
        return mapped.astype("string")

    # --- geometry ----------------------------------------------------------------------
    def geometry(self) -> gpd.GeoSeries:
        geoms = self.frame.geometry.copy()
        empty = ~_present(geoms)
        if empty.any():
            self.add(
                "empty_geometry",
                fatal=True,
                count=int(empty.sum()),
                mask=empty,
                examples=self.rows(empty),
            )
        present = ~empty
        # A single-part multi-point is a point in all but name.
        multipoint = present & (geoms.geom_type == "MultiPoint")
        single = multipoint & (shapely.get_num_geometries(geoms.values) == 1)
        if single.any():
            geoms[single] = shapely.get_geometry(geoms[single].values, 0)
        accepted = set().union(*(_ACCEPTED[g] for g in self.schema.geometries))
        types = geoms.geom_type
        wrong = present & ~types.isin(accepted)
        if wrong.any():
            self.add(
                "wrong_geometry",
                fatal=True,
                count=int(wrong.sum()),
                mask=wrong,
                found=", ".join(sorted(set(types[wrong]))),
                expected=", ".join(self.schema.geometries),
                examples=self.rows(wrong),
            )
        invalid = present & ~wrong & ~geoms.is_valid
        if invalid.any():
            repaired = shapely.make_valid(geoms[invalid].values)
            kind = "Polygon" if types[invalid].isin(_POLYGON_TYPES).all() else None
            if kind == "Polygon":
                # make_valid may return a collection with stray lines: keep the polygonal part.
                repaired = np.array([_polygonal(g) for g in repaired], dtype=object)
            geoms[invalid] = repaired
            self.add(
                "repaired_geometry",
                fatal=False,
                count=int(invalid.sum()),
                examples=self.rows(invalid),
            )
        return geoms


def _present(geoms: gpd.GeoSeries) -> pd.Series:
    """Rows with a geometry that is neither missing nor empty."""
    values = np.asarray(geoms.values, dtype=object)
    return pd.Series(~(shapely.is_missing(values) | shapely.is_empty(values)), index=geoms.index)


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type in _POLYGON_TYPES:
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in _POLYGON_TYPES]
    return shapely.union_all(parts) if parts else geom


def validate_layer(
    name: str, frame: gpd.GeoDataFrame, *, column_map: ColumnMap | None = None
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Coerce one layer to its schema and list its own problems (no cross-layer checks).

    Parameters
    ----------
    name
        Schema name of the layer (``households``, ``waters``...).
    frame
        Columns already renamed to the schema (see :func:`geo.load.apply_column_map`), in WGS84.
    """
    schema = all_schemas()[name]
    checker = _Checker(schema, frame, column_map or ColumnMap())
    columns = checker.columns()
    geometry = checker.geometry()
    out = gpd.GeoDataFrame(columns, geometry=geometry.values, crs=frame.crs or WGS84).reset_index(
        drop=True
    )
    ids = out[schema.id_column]
    dup = ids.notna() & ids.duplicated(keep=False)
    if dup.any():
        checker.add(
            "duplicate_ids",
            fatal=True,
            column=schema.id_column,
            count=int(ids[dup].nunique()),
            values=_examples(ids[dup].unique()),
        )
    if name == "waters":
        _check_water_geometry(out, checker)
    return out, checker.problems


def _check_water_geometry(waters: gpd.GeoDataFrame, checker: _Checker) -> None:
    is_line_kind = waters["kind"].isin(WATER_LINE_KINDS).fillna(False)
    known = waters["kind"].notna() & _present(waters.geometry)
    types = waters.geometry.geom_type
    mismatch = known & (
        (is_line_kind & ~types.isin(_LINE_TYPES)) | (~is_line_kind & ~types.isin(_POLYGON_TYPES))
    )
    mismatch = mismatch.fillna(False).astype(bool)
    if mismatch.any():
        checker.add(
            "water_geometry",
            fatal=True,
            count=int(mismatch.sum()),
            examples=_examples(waters.loc[mismatch, "id"]),
        )


def _cross_checks(
    layers: dict[str, gpd.GeoDataFrame], settings: Settings, today: dt.date
) -> list[Problem]:
    areas = layers.get("areas")
    codes = set(areas["code"].dropna()) if areas is not None else set()
    villages = (
        set(areas.loc[areas["level"] == "village", "code"].dropna()) if areas is not None else set()
    )
    problems: list[Problem] = []
    if areas is not None and len(areas):
        parents = areas["parent_code"].dropna()
        unknown = parents[~parents.isin(codes)]
        if len(unknown):
            problems.append(
                _problem(
                    "areas",
                    "unknown_reference",
                    False,
                    "parent_code",
                    len(unknown),
                    target="areas.code",
                    values=_examples(unknown.unique()),
                )
            )
    households = layers.get("households")
    if households is not None and areas is not None and len(areas):
        vc = households["village_code"]
        unknown = vc.notna() & ~vc.isin(villages)
        if unknown.any():
            problems.append(
                _problem(
                    "households",
                    "unknown_village",
                    True,
                    "village_code",
                    int(unknown.sum()),
                    values=_examples(vc[unknown].unique()),
                )
            )
    if households is not None:
        problems += _household_counts(households)
    problems += _references(layers, areas, codes)
    problems += _future_dates(layers, today)
    if areas is not None and len(areas) and _present(areas.geometry).any():
        problems += _check_study_area(layers, settings)
    return problems


def _problem(
    layer: str, code: str, fatal: bool, column: str = "", count: int = 0, **params: object
) -> Problem:
    return Problem(layer, code, fatal, column, count, params)


def _household_counts(households: gpd.GeoDataFrame) -> list[Problem]:
    """Counts of a household above the count they are part of; difficulty without category."""
    problems: list[Problem] = []
    ids = households["id"]
    pairs = [("left_behind", "children"), ("in_difficulty", "children")]
    pairs += [(cat, "in_difficulty") for cat in DIFFICULTY_CATEGORIES]
    for part, whole in pairs:
        over = (households[part] > households[whole]).fillna(False).astype(bool)
        if over.any():
            problems.append(
                _problem(
                    "households",
                    "count_exceeds",
                    True,
                    part,
                    int(over.sum()),
                    part=part,
                    whole=whole,
                    examples=_examples(ids[over]),
                )
            )
    no_cat = (households["in_difficulty"] > 0).fillna(False) & households[
        list(DIFFICULTY_CATEGORIES)
    ].fillna(0).sum(axis=1).eq(0)
    if no_cat.any():
        problems.append(
            _problem(
                "households",
                "difficulty_without_category",
                False,
                "in_difficulty",
                int(no_cat.sum()),
                examples=_examples(ids[no_cat]),
            )
        )
    return problems


def _references(
    layers: dict[str, gpd.GeoDataFrame], areas: gpd.GeoDataFrame | None, codes: set[object]
) -> list[Problem]:
    """Codes of schools, facilities and equipment that name no area or water."""
    problems: list[Problem] = []
    for layer, column, target, target_codes in (
        ("schools", "village_code", "areas.code", codes),
        ("facilities", "area_code", "areas.code", codes),
        (
            "equipment",
            "water_id",
            "waters.id",
            set(layers["waters"]["id"].dropna()) if "waters" in layers else set(),
        ),
    ):
        frame = layers.get(layer)
        if frame is None or (not target_codes and target == "areas.code" and areas is None):
            continue
        values = frame[column].dropna()
        unknown = values[~values.isin(target_codes)]
        if len(unknown):
            problems.append(
                _problem(
                    layer,
                    "unknown_reference",
                    False,
                    column,
                    len(unknown),
                    target=target,
                    values=_examples(unknown.unique()),
                )
            )
    return problems


def _future_dates(layers: dict[str, gpd.GeoDataFrame], today: dt.date) -> list[Problem]:
    """Dates after ``today``, per layer and column."""
    problems: list[Problem] = []
    stamp = pd.Timestamp(today)
    for layer, frame in layers.items():
        for col in all_schemas()[layer].columns:
            if col.dtype != "date":
                continue
            future = (frame[col.name] > stamp).fillna(False).astype(bool)
            if future.any():
                problems.append(
                    _problem(
                        layer,
                        "future_date",
                        False,
                        col.name,
                        int(future.sum()),
                        examples=_examples(frame.loc[future, all_schemas()[layer].id_column]),
                    )
                )
    return problems


@dataclass(frozen=True)
class StudyArea:
    """The union of the areas in their UTM zone, prepared for the "far outside" rule.

    The one implementation of the rule, used by :func:`validate_layers` on import and by the
    workspace on every write (``geo.record_checks``), so both refuse the same features.
    """

    crs: pyproj.CRS
    shape: shapely.Geometry
    margin_m: float

    @classmethod
    def of(cls, areas: gpd.GeoDataFrame, settings: Settings) -> StudyArea | None:
        """The study area of ``areas`` (WGS84 or any CRS); None without area geometries."""
        present = _present(areas.geometry) if len(areas) else pd.Series([], dtype=bool)
        if not present.any():
            return None
        metric = areas[present].estimate_utm_crs()
        shape = areas[present].to_crs(metric).geometry.union_all()
        shapely.prepare(shape)
        return cls(metric, shape, settings.study_area_margin_m)

    @functools.cached_property
    def _from_lonlat(self) -> pyproj.Transformer:
        return pyproj.Transformer.from_crs(WGS84, self.crs, always_xy=True)

    def distance_lonlat(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Metres from WGS84 points to the study area (0 inside), without building a frame."""
        x, y = self._from_lonlat.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(shapely.distance(shapely.points(x, y), self.shape), dtype=float)

    def far(self, geoms: gpd.GeoSeries) -> pd.Series:
        """Whether each geometry lies more than ``study_area_margin_m`` outside (False if empty)."""
        ok = _present(geoms)
        dist = pd.Series(np.nan, index=geoms.index)
        if ok.any():
            dist[ok] = shapely.distance(geoms[ok].to_crs(self.crs).values, self.shape)
        return (dist > self.margin_m).fillna(False).astype(bool)


def _check_study_area(layers: dict[str, gpd.GeoDataFrame], settings: Settings) -> list[Problem]:
    study = StudyArea.of(layers["areas"], settings)
    if study is None:
        return []
    problems: list[Problem] = []
    for layer, frame in layers.items():
        if layer == "areas" or not len(frame):
            continue
        far = study.far(frame.geometry)
        if far.any():
            problems.append(
                Problem(
                    layer,
                    "far_outside",
                    True,
                    "",
                    int(far.sum()),
                    {
                        "margin_m": settings.study_area_margin_m,
                        "examples": _examples(frame.loc[far, all_schemas()[layer].id_column]),
                    },
                )
            )
    return problems


def validate_layers(
    frames: dict[str, gpd.GeoDataFrame],
    *,
    settings: Settings | None = None,
    column_map: ColumnMap | None = None,
    today: dt.date | None = None,
    required: Sequence[str] | None = None,
) -> tuple[Layers, ValidationReport]:
    """Validate every layer and the links between them.

    Parameters
    ----------
    frames
        Raw layers by name, renamed to the schema and in WGS84 (see :func:`geo.load.read_layers`).
    settings
        Thresholds (``study_area_margin_m``); :func:`geo.settings.get_settings` by default.
    today
        Reference date for "date in the future" warnings; the current date by default.
    required
        Layers that must be present; the schemas' required layers by default.

    Returns
    -------
    layers, report
        The typed layers (usable only when ``report.ok``) and every problem found.
    """
    settings = settings or get_settings()
    today = today or dt.date.today()
    problems: list[Problem] = []
    required = (
        list(required)
        if required is not None
        else [n for n, s in SCHEMAS.items() if s.required_layer]
    )
    for name in required:
        if name not in frames or not len(frames[name]):
            code = "missing_layer" if name not in frames else "empty_layer"
            # An empty layer may be true (no facility yet): a warning; a missing one is fatal.
            problems.append(Problem(name, code, name not in frames, params=_layer_help(name)))
    typed: dict[str, gpd.GeoDataFrame] = {}
    for name, frame in frames.items():
        out, found = validate_layer(name, frame, column_map=column_map)
        typed[name] = out
        problems += found
    problems += _cross_checks(typed, settings, today)
    if "households" in frames:
        problems += _roster_problems(frames["households"].attrs.get("roster") or [], frames)
    problems = _in_users_words(problems, frames)
    report = ValidationReport(tuple(problems), tuple(n for n in all_schemas() if n in frames))
    return Layers.from_dict(typed), report


def _layer_help(name: str) -> dict[str, object]:
    """Parameters of a missing/empty layer problem: its Chinese name (the how-to is a text)."""
    return {"layer_zh": SCHEMAS[name].zh}


def _in_users_words(problems: list[Problem], frames: dict[str, gpd.GeoDataFrame]) -> list[Problem]:
    """Give every problem its layer's file headers, so messages name the columns as written."""
    out = []
    for p in problems:
        frame = frames.get(p.layer)
        headers = frame.attrs.get("headers") if frame is not None else None
        if isinstance(headers, dict) and headers:
            p = Problem(
                p.layer, p.code, p.fatal, p.column, p.count, p.params | {"headers": headers}
            )
        out.append(p)
    return out


def _roster_problems(
    reports: Sequence[RosterReport], frames: dict[str, gpd.GeoDataFrame]
) -> list[Problem]:
    """What reading each households roster dropped, left out and estimated (no value shown)."""
    problems: list[Problem] = []
    has_villages = "areas" in frames and (frames["areas"]["level"] == "village").any()

    def add(code: str, fatal: bool, count: int = 0, **params: object) -> None:
        problems.append(Problem("households", code, fatal, "", count, params))

    for r in reports:
        if r.personal:
            add("roster_personal", False, len(r.personal), file=r.file, personal=r.personal)
        if r.other:
            add("roster_other", False, len(r.other), file=r.file, columns=", ".join(r.other))
        if r.unmatched:
            rows = tuple((r.file, n, True) for n, _ in r.unmatched)
            code = "roster_unmatched" if has_villages else "roster_no_villages"
            add(code, True, len(r.unmatched), file=r.file, rows=rows)
        if r.estimated:
            add("roster_estimated", False, r.estimated, file=r.file)
        if r.without_roads:
            villages = _examples(r.without_roads)
            add("roster_no_roads", False, len(r.without_roads), file=r.file, villages=villages)
    return problems
