"""Household rosters without coordinates: what a civil-affairs office holds (issue 22).

A roster is a table (Excel or CSV) with one row per household, or one row per child as the
national child-welfare information system exports it, giving a village (code, name, or an
address such as ``和平村3组``) and counts or a category, and often names, ID numbers (身份证号)
and phone numbers. :func:`roster_households` turns it into a ``households`` layer:

1. personal columns are recognised by their header (姓名, 身份证号, 联系电话...) and by their
   content (18-digit ID numbers with a valid check digit, mobile and landline numbers), and are
   dropped first, before anything else reads the table; so is every column the schema does not
   use. The report names the dropped columns, never a value;
2. the village is matched to the ``areas`` villages by code, by name, then by name without the
   suffixes 村/社区/居委会... and finally as a village name inside an address; unmatched and
   ambiguous rows are listed by row number;
3. a row without coordinates is placed on its village's roads (evenly along their length, in a
   fixed order, so the result is the same on every run) and marked ``location_estimated``.
   Rows with longitude/latitude keep them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.aliases import ColumnMap
from geo.crs import WGS84, metric_crs_for
from geo.schemas import HOUSEHOLDS

__all__ = [
    "RosterReport",
    "drop_personal",
    "identifier_kind",
    "is_id_number",
    "personal_kind",
    "roster_households",
    "village_key",
]

#: Header words (Chinese: contained; English: whole header) of personal columns, by kind.
_PERSONAL_HEADERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "name": (
        ("姓名", "名字", "户主", "监护人", "家长", "联系人", "父亲", "母亲", "委托照护人"),
        ("name", "full_name", "child_name", "guardian", "guardian_name", "head"),
    ),
    "id_number": (
        ("身份证", "证件号", "公民身份号码", "身份号码", "户口号", "户籍号"),
        ("id_card", "idcard", "id_number", "identity", "passport"),
    ),
    "phone": (
        ("电话", "手机", "联系方式", "微信"),
        ("phone", "mobile", "tel", "telephone", "wechat"),
    ),
    "address": (
        ("地址", "住址", "门牌", "户籍地", "居住地"),
        ("address", "addr"),
    ),
}
_ID_18 = re.compile(r"\d{17}[\dX]")
_ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
#: A landline with its area code and a separator (0731-8123456): without the separator a long
#: number starting with 0 may as well be a code.
_LANDLINE = re.compile(r"(?<!\d)0[1-9]\d{1,2}[- ]\d{7,8}(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

#: Headers that give the village of a row, besides the schema's 村代码 (village_code).
VILLAGE_HEADERS = (
    "村", "村名", "村名称", "所在村", "所属村", "村(社区)", "村（社区）", "村/社区", "村居",
    "社区", "行政村", "村委会", "village", "village_name",
)  # fmt: skip
#: Suffixes a village name may carry or lack: 和平村 = 和平 = 和平村委会.
VILLAGE_SUFFIXES = (
    "村民委员会", "居民委员会", "村委会", "居委会", "社区", "村委", "村", "居",
)  # fmt: skip
_CATEGORY_HEADERS = ("儿童类别", "类别", "人员类别", "儿童类型", "保障类别", "category")
#: Words of a per-child category cell and the count columns they add one to.
_CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("留守", ("left_behind",)),
    ("孤儿", ("orphan", "in_difficulty")),
    ("事实无人抚养", ("unsupported", "in_difficulty")),
    ("残", ("severe_disability", "in_difficulty")),
    ("重病", ("severe_illness", "in_difficulty")),
    ("低保", ("low_income", "in_difficulty")),
    ("特困", ("low_income", "in_difficulty")),
    ("监护缺失", ("guardianship_lacking", "in_difficulty")),
    ("监护不当", ("guardianship_lacking", "in_difficulty")),
    ("困境", ("in_difficulty",)),
)
_LON = ("经度", "lon", "lng", "longitude", "x")
_LAT = ("纬度", "lat", "latitude", "y")
#: An id written in a template's example row: the row is skipped.
EXAMPLE_ID = "示例"


@dataclass(frozen=True)
class RosterReport:
    """What reading a roster did, for the validation report (headers and row numbers only).

    Attributes
    ----------
    personal
        Dropped personal columns: (header as written, kind: name, id_number, phone, address).
    other
        Dropped columns the schema does not use (headers as written).
    unmatched
        (row number, reason: ``unknown`` or ``ambiguous``) of rows whose village matched no
        single village of ``areas``; they are left out of the layer.
    estimated
        Households placed on their village's roads (no coordinates given).
    without_roads
        Villages (codes) without a road inside: their households sit at the village's centre.
    examples
        Template example rows skipped (row numbers).
    """

    file: str
    personal: tuple[tuple[str, str], ...] = ()
    other: tuple[str, ...] = ()
    unmatched: tuple[tuple[int, str], ...] = ()
    estimated: int = 0
    without_roads: tuple[str, ...] = ()
    examples: tuple[int, ...] = ()
    per_child: bool = False
    rows: tuple[int, ...] = field(default=(), repr=False)
    headers: tuple[tuple[str, str], ...] = ()


def is_id_number(value: str) -> bool:
    """Whether a value is an 18-digit resident ID number with a valid check digit (GB 11643).

    Examples
    --------
    >>> is_id_number("11010519491231002X"), is_id_number("110105194912310021")
    (True, False)
    """
    text = value.strip().upper()
    if not _ID_18.fullmatch(text):
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == text[17]


def _header_kind(header: str) -> str | None:
    """The personal kind a header names, or None."""
    text = re.sub(r"[\s()（）/]", "", header).lower()
    for kind, (zh_words, en_words) in _PERSONAL_HEADERS.items():
        if any(w in text for w in zh_words) or text in en_words:
            return kind
    return None


def identifier_kind(text: str) -> str | None:
    """The personal identifier a text holds: ``id_number``, ``phone`` or None.

    An ID number counts only with a valid check digit (15-digit IDs were replaced by 2013: a
    15-digit number is more likely a code); a phone is a mobile number or a landline with its
    area code and a separator.

    Examples
    --------
    >>> identifier_kind("母亲电话 13912345678"), identifier_kind("编号 110105194912310021")
    ('phone', None)
    """
    upper = text.upper()
    if any(is_id_number(m) for m in _ID_IN_TEXT.findall(upper)):
        return "id_number"
    if _MOBILE.search(upper) or _LANDLINE.search(upper):
        return "phone"
    return None


def _content_kind(values: pd.Series) -> str | None:
    """The personal kind a column's values show: ID numbers or phone numbers, or None."""
    text = values.dropna().astype(str).str.strip().str.upper()
    text = text[text != ""].str.removesuffix(".0")
    if text.empty:
        return None
    kinds = set(text.map(identifier_kind).dropna())
    for kind in ("id_number", "phone"):
        if kind in kinds:
            return kind
    return None


def personal_kind(header: str, values: pd.Series) -> str | None:
    """Whether a column holds personal data: its kind (name, id_number, phone...) or None."""
    return _header_kind(header) or _content_kind(values)


def drop_personal(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[tuple[str, str], ...]]:
    """A households frame without its personal columns, and the (header, kind) dropped.

    Used on every households file, with or without coordinates: a GeoPackage or CSV with a
    姓名 column loses it before any other reading, like a roster.
    """
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    personal = tuple(
        (str(c), kind)
        for c in frame.columns
        if c != geometry and (kind := personal_kind(str(c), frame[c])) is not None
    )
    return frame.drop(columns=[c for c, _ in personal]), personal


def village_key(name: str) -> str:
    """A village name without spaces and without one of :data:`VILLAGE_SUFFIXES`.

    Examples
    --------
    >>> village_key("和平村"), village_key(" 和平村委会 "), village_key("城东社区")
    ('和平', '和平', '城东')
    """
    text = re.sub(r"\s", "", name)
    stripped = True
    while stripped:  # 和平村村委会 -> 和平村 -> 和平
        stripped = False
        for suffix in VILLAGE_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, stripped = text[: -len(suffix)], True
                break
    return text


def _match_villages(values: pd.Series, villages: pd.DataFrame) -> pd.Series:
    """Area code of each value (code, name, name key, then a name inside an address).

    Returns the code, ``""`` for no match and ``"?"`` for several villages matching.
    """
    codes = {str(c): str(c) for c in villages["code"]}
    by_name: dict[str, set[str]] = {}
    by_key: dict[str, set[str]] = {}
    for code, name in zip(villages["code"].astype(str), villages["name"].astype(str), strict=True):
        by_name.setdefault(re.sub(r"\s", "", name), set()).add(code)
        by_key.setdefault(village_key(name), set()).add(code)

    def one(found: set[str]) -> str:
        return next(iter(found)) if len(found) == 1 else "?"

    def match(value: object) -> str:
        if pd.isna(value) or not str(value).strip():
            return ""
        text = re.sub(r"\s", "", str(value)).removesuffix(".0")
        if text in codes:
            return codes[text]
        if text in by_name:
            return one(by_name[text])
        if village_key(text) in by_key:
            return one(by_key[village_key(text)])
        # an address: the longest village name (with its suffix, else its key) inside it
        for table in (by_name, by_key):
            hits = [n for n in table if len(n) >= 2 and n in text]
            if hits:
                longest = max(map(len, hits))
                found = set().union(*(table[n] for n in hits if len(n) == longest))
                return one(found)
        return ""

    return values.map(match)


def _find(columns: Iterable[str], names: Iterable[str]) -> str | None:
    lower = {str(c).strip().lower(): str(c) for c in columns}
    return next((lower[n.lower()] for n in names if n.lower() in lower), None)


def _per_child_counts(categories: pd.Series) -> pd.DataFrame:
    """One child per row: children = 1 and the counts its category names."""
    counts = pd.DataFrame(0, index=categories.index, columns=list(_COUNT_COLUMNS))
    counts["children"] = 1
    for i, cell in categories.items():
        text = "" if pd.isna(cell) else str(cell)
        for word, columns in _CATEGORY_WORDS:
            if word in text:
                counts.loc[i, list(columns)] = 1
    return counts


_COUNT_COLUMNS = (
    "children",
    "left_behind",
    "in_difficulty",
    "orphan",
    "unsupported",
    "severe_disability",
    "severe_illness",
    "low_income",
    "guardianship_lacking",
)


def roster_households(
    table: pd.DataFrame,
    *,
    file: str,
    areas: gpd.GeoDataFrame | None,
    roads: gpd.GeoDataFrame | None,
    column_map: ColumnMap | None = None,
    rows: Sequence[int] | None = None,
    locate: Callable[[gpd.GeoSeries], gpd.GeoSeries] | None = None,
) -> tuple[gpd.GeoDataFrame, RosterReport]:
    """Turn a roster table into a ``households`` frame (schema names, WGS84, not validated).

    Parameters
    ----------
    table
        The roster as read, headers as written, one row per household or per child.
    file
        Its file name, for the report.
    areas, roads
        The layers of the same source (WGS84); villages are ``areas`` of level ``village``.
    column_map
        User column mappings, on top of the Chinese schema names.
    rows
        The numbers the user sees on the rows (by default 2, 3...: the header is row 1).
    locate
        Brings given longitude/latitude points (no CRS) to WGS84, e.g. from ``--crs gcj02``;
        without it they are taken as WGS84.

    Returns
    -------
    households, report
        The matched rows with a point each (``location_estimated`` where placed on roads) and
        what was dropped, unmatched and estimated.
    """
    safe, personal = _without_personal(table)
    keep = _schema_columns(safe, column_map)
    village_col, category_col, lon_col, lat_col = _found_columns(safe, keep)
    address_col = next((c for c, k in personal if k == "address"), None)
    used = {village_col, category_col, lon_col, lat_col, *keep}
    other = tuple(str(c) for c in safe.columns if c not in used)
    numbers = list(rows) if rows is not None else list(range(2, len(table) + 2))
    row_numbers = pd.Series(numbers, index=table.index)
    frame = safe[list(keep)].rename(columns=keep)
    example = _is_example(frame)
    per_child = category_col is not None and not ({"children", "left_behind"} & set(frame))
    if per_child:
        frame = frame.join(_per_child_counts(safe[category_col]))
    village_source = safe[village_col] if village_col else None
    if village_source is None and address_col is not None:
        village_source = table[address_col]  # read for the village only, then dropped
    villages = areas[areas["level"].astype("string") == "village"] if areas is not None else None
    matched = _village_codes(village_source, villages, table.index)
    bad = ~example & matched.isin(["", "?"])
    unmatched = tuple(
        (int(n), "ambiguous" if m == "?" else "unknown")
        for n, m in zip(row_numbers[bad], matched[bad], strict=True)
    )
    ok = ~example & ~bad
    frame = frame[ok].copy()
    frame["village_code"] = matched[ok]
    frame["id"] = _ids(frame, file, row_numbers[ok])
    xy = (safe.loc[ok, lon_col], safe.loc[ok, lat_col]) if lon_col and lat_col else None
    geoms, estimated, without_roads = _points(frame, xy, locate, villages, roads)
    frame["location_estimated"] = estimated
    points = gpd.GeoSeries(list(geoms), index=frame.index, crs=WGS84)
    out = gpd.GeoDataFrame(frame, geometry=points, crs=WGS84)
    report = RosterReport(
        file=file,
        personal=tuple(personal),
        other=other,
        unmatched=unmatched,
        estimated=int(estimated.sum()),
        without_roads=without_roads,
        examples=tuple(int(r) for r in row_numbers[example]),
        per_child=per_child,
        rows=tuple(int(r) for r in row_numbers[ok]),
        headers=tuple((t, c) for c, t in keep.items())
        + ((("village_code", str(village_col)),) if village_col else ()),
    )
    return out.reset_index(drop=True), report


def _found_columns(
    safe: pd.DataFrame, keep: Mapping[str, str]
) -> tuple[str | None, str | None, str | None, str | None]:
    """The roster's village, child category, longitude and latitude headers (None: absent)."""
    village_col = next((c for c, t in keep.items() if t == "village_code"), None) or _find(
        safe.columns, VILLAGE_HEADERS
    )
    category_col = _find(safe.columns, _CATEGORY_HEADERS)
    return village_col, category_col, _find(safe.columns, _LON), _find(safe.columns, _LAT)


def _is_example(frame: pd.DataFrame) -> pd.Series:
    """The template's example rows (id :data:`EXAMPLE_ID`), never imported."""
    if "id" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["id"].astype("string").str.strip().eq(EXAMPLE_ID).fillna(False)


def _ids(frame: pd.DataFrame, file: str, row_numbers: pd.Series) -> pd.Series:
    """The households' ids: as given, else ``<file stem>-<row number>``."""
    if "id" in frame and not frame["id"].isna().any():
        return frame["id"]
    generated = pd.Series([f"{file.rsplit('.', 1)[0]}-{r}" for r in row_numbers], index=frame.index)
    return generated if "id" not in frame else frame["id"].astype("string").fillna(generated)


def _without_personal(table: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The roster without its personal columns (read first, before anything else), and the
    personal columns with their kind."""
    personal: list[tuple[str, str]] = []
    safe = pd.DataFrame(index=table.index)
    for col in table.columns:
        kind = personal_kind(str(col), table[col])
        if kind is None:
            safe[col] = table[col]
        else:
            personal.append((str(col), kind))
    return safe, personal


def _schema_columns(safe: pd.DataFrame, column_map: ColumnMap | None) -> dict[str, str]:
    """Roster header -> schema column, for the headers the user mapped or already named so
    (the first header of each schema column wins)."""
    mapping = (column_map or ColumnMap()).columns_for("households")
    schema_names = set(HOUSEHOLDS.column_names)
    keep: dict[str, str] = {}
    for col in safe.columns:
        key = str(col).strip()
        target = mapping.get(key) or (key if key in schema_names else None)
        if target and target not in keep.values():
            keep[str(col)] = target
    return keep


def _village_codes(
    source: pd.Series | None, villages: gpd.GeoDataFrame | None, index: pd.Index
) -> pd.Series:
    """Village code of every row ("" unknown, "?" ambiguous; all "" without villages)."""
    if source is not None and villages is not None and len(villages):
        return _match_villages(source, villages)
    return pd.Series("", index=index)


def _points(
    frame: pd.DataFrame,
    xy: tuple[pd.Series, pd.Series] | None,
    locate: Callable[[gpd.GeoSeries], gpd.GeoSeries] | None,
    villages: gpd.GeoDataFrame | None,
    roads: gpd.GeoDataFrame | None,
) -> tuple[pd.Series, pd.Series, tuple[str, ...]]:
    """The point of every household: its given longitude/latitude (through ``locate``), else
    placed on its village's roads. Returns the points, which are estimated, and the villages
    without roads."""
    lon, lat = (pd.to_numeric(v, errors="coerce") for v in xy) if xy else (None, None)
    has_xy = (
        (lon.notna() & lat.notna())
        if lon is not None and lat is not None
        else pd.Series(False, index=frame.index)
    )
    geoms = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if has_xy.any():
        assert lon is not None and lat is not None
        given = gpd.GeoSeries(shapely.points(lon[has_xy], lat[has_xy]), index=lon.index[has_xy])
        geoms[has_xy] = list(locate(given) if locate is not None else given)
    estimated = ~has_xy
    without_roads: tuple[str, ...] = ()
    if estimated.any() and villages is not None:
        placed, without_roads = place_on_roads(
            frame.loc[estimated, "village_code"], villages, roads
        )
        geoms[estimated] = placed
    return geoms, estimated, without_roads


def place_on_roads(
    village_codes: pd.Series, villages: gpd.GeoDataFrame, roads: gpd.GeoDataFrame | None
) -> tuple[list[shapely.Point], tuple[str, ...]]:
    """Deterministic estimated points: a village's rows spread evenly along its roads.

    The roads inside a village (clipped to its polygon, in the order of their ids) are laid end
    to end; the k-th of n rows sits at ``(k + 0.5) / n`` of their total length. A village
    without a road inside puts its rows at a point inside its polygon.

    Returns
    -------
    points, villages_without_roads
        One WGS84 point per row, in the order given, and the codes of the villages without
        roads.
    """
    metric = metric_crs_for(villages)
    polygons = villages.to_crs(metric).set_index(villages["code"].astype(str)).geometry
    lines = (
        roads.sort_values("id").to_crs(metric).geometry.to_numpy()
        if roads is not None and len(roads)
        else np.array([], dtype=object)
    )
    out: dict[object, shapely.Point] = {}
    without: list[str] = []
    for code, group in village_codes.groupby(village_codes, sort=True):
        polygon = polygons[str(code)]
        parts = [
            p
            for g in (shapely.intersection(lines, polygon) if len(lines) else [])
            for p in shapely.get_parts(g)
            if p.geom_type == "LineString" and p.length > 0
        ]
        n = len(group)
        if not parts:
            without.append(str(code))
            points = [polygon.representative_point()] * n
        else:
            lengths = np.array([p.length for p in parts])
            ends = np.cumsum(lengths)
            at = (np.arange(n) + 0.5) / n * ends[-1]
            which = np.searchsorted(ends, at, side="right").clip(max=len(parts) - 1)
            starts = ends - lengths
            points = [parts[w].interpolate(a - starts[w]) for w, a in zip(which, at, strict=True)]
        wgs = gpd.GeoSeries(points, crs=metric).to_crs(WGS84)
        out.update(zip(group.index, wgs, strict=True))
    return [out[i] for i in village_codes.index], tuple(without)
