"""OpenStreetMap tags to Tongan layers: the pure mapping shared by every OSM reader.

Each reader (GDAL's OSM driver for ``.osm``/``.pbf`` files, osmnx for online downloads) turns OSM
elements into one *feature table*: a GeoDataFrame in EPSG:4326 with an ``osm_id`` column
(``"node/45"``, ``"way/123"``, ``"relation/7"``), a ``tags`` column holding a ``dict[str, str]``
per element and the element's geometry. :func:`build_layers` turns that table into the layers of
:mod:`geo.schemas`; the small ``*_kind`` functions decide, from the tags alone, what an element
is. They are pure and documented so the choices can be read, tested and argued about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import WGS84
from geo.layers import empty_layer
from geo.schemas import FACILITIES, ROADS, SCHOOLS, WATERS, LayerSchema

Tags = Mapping[str, str]

#: The layers OSM can feed, in the order they are built.
OSM_LAYERS = ("waters", "schools", "roads", "facilities")

#: A standing water without a ``water=*`` tag is a pond below this area, a lake above (1 ha).
POND_MAX_AREA_M2 = 10_000.0

#: Equal-area CRS used only to measure water areas (WGS 84 / NSIDC EASE-Grid 2.0 Global).
_EQUAL_AREA = "EPSG:6933"

# --- tags ----------------------------------------------------------------------------------

_HSTORE_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
_UNESCAPE = re.compile(r"\\(.)")


def parse_other_tags(text: str | None) -> dict[str, str]:
    """Parse the ``other_tags`` column of GDAL's OSM driver into a tag dictionary.

    GDAL writes the tags it has no column for as an hstore-like string,
    ``"key"=>"value","key2"=>"value2"``, with ``"`` and ``\\`` escaped by a backslash.

    Examples
    --------
    >>> parse_other_tags('"water"=>"pond","name:zh"=>"东塘"')
    {'water': 'pond', 'name:zh': '东塘'}
    >>> parse_other_tags(None)
    {}
    """
    if not isinstance(text, str) or not text:
        return {}
    return {_UNESCAPE.sub(r"\1", k): _UNESCAPE.sub(r"\1", v) for k, v in _HSTORE_PAIR.findall(text)}


def osm_name(tags: Tags) -> str | None:
    """The name to show: ``name:zh``, then ``name:zh-Hans``, then ``name``; None if unnamed."""
    for key in ("name:zh", "name:zh-Hans", "name"):
        value = tags.get(key, "").strip()
        if value:
            return value
    return None


def _values(tags: Tags, key: str) -> set[str]:
    """The values of a possibly multi-valued tag (``a;b``), stripped and lower-cased."""
    return {v.strip().lower() for v in tags.get(key, "").split(";") if v.strip()}


def _yes(tags: Tags, key: str) -> bool:
    """Whether a tag is present with any value but ``no`` (``bridge=viaduct`` is a bridge)."""
    return tags.get(key, "no").strip().lower() not in {"no", "false", "0"}


# --- waters --------------------------------------------------------------------------------

#: ``waterway=*`` values kept as water lines, and their kind.
WATERWAY_KINDS = {
    "river": "river",
    "canal": "canal",
    "stream": "stream",
    "ditch": "ditch",
    "drain": "ditch",
}

#: ``water=*`` values of standing water, and their kind.
WATER_TAG_KINDS = {
    "pond": "pond",
    "basin": "pond",
    "fishpond": "pond",
    "reservoir": "reservoir",
    "lake": "lake",
    "oxbow": "lake",
    "lagoon": "lake",
}

#: ``water=*`` values of ornamental or technical water: a campus reflecting pool, a fountain's
#: basin, a swimming pool, wastewater tanks. Shallow, walled or fenced, not a drowning spot of the
#: kind the tool looks for (ponds, reservoirs, lakes).
ARTIFICIAL_WATER_TAGS = frozenset(
    {"reflecting_pool", "fountain", "pool", "swimming_pool", "wastewater", "sewage", "tank"}
)

#: ``water=*`` values of flowing water mapped as areas: the waterway line already represents it.
FLOWING_WATER_TAGS = frozenset(
    {"river", "canal", "stream", "ditch", "drain", "lock", "rapids", "riverbank", "stream_pool"}
)


def water_line_kind(tags: Tags) -> str | None:
    """Kind of a ``waterway`` line, or None when the way is no open water line.

    ``river``, ``canal``, ``stream`` and ``ditch`` keep their name and ``drain`` becomes
    ``ditch``. Water in a tunnel or culvert (``tunnel=*`` other than ``no``) is skipped: nobody
    can fall into it, and the open reaches either side are mapped as their own ways.

    Examples
    --------
    >>> water_line_kind({"waterway": "drain"})
    'ditch'
    >>> water_line_kind({"waterway": "stream", "tunnel": "culvert"}) is None
    True
    """
    kind = WATERWAY_KINDS.get(tags.get("waterway", ""))
    if kind is None or _yes(tags, "tunnel"):
        return None
    return kind


def water_area_kind(tags: Tags, area_m2: float) -> str | None:
    """Kind of a standing water polygon, or None when the area is no pond, reservoir or lake.

    Water areas are ``natural=water``, ``landuse=reservoir`` and ``landuse=basin``. The
    ``water=*`` tag decides first (:data:`WATER_TAG_KINDS`; ``basin`` is a ``pond``); areas of
    flowing water (``water=river``, riverbanks, :data:`FLOWING_WATER_TAGS`) are skipped because the
    river line represents them, and so are ornamental and technical waters (a reflecting pool, a
    fountain, :data:`ARTIFICIAL_WATER_TAGS`, or any element tagged ``amenity=fountain``,
    ``leisure=swimming_pool`` or ``man_made=wastewater_plant``/``reservoir_covered``). Without a known ``water`` value, ``landuse=reservoir`` is a
    reservoir, ``landuse=basin`` a pond, and any other water a pond below
    :data:`POND_MAX_AREA_M2` (1 ha) and a lake above.

    Examples
    --------
    >>> water_area_kind({"natural": "water"}, 2_500.0)
    'pond'
    >>> water_area_kind({"natural": "water", "water": "river"}, 2_500.0) is None
    True
    """
    natural, landuse = tags.get("natural"), tags.get("landuse")
    if natural != "water" and landuse not in {"reservoir", "basin"}:
        return None
    if tags.get("waterway") == "riverbank":
        return None
    water = tags.get("water", "").strip().lower()
    if water in FLOWING_WATER_TAGS or water in ARTIFICIAL_WATER_TAGS or _ornamental(tags):
        return None
    if water in WATER_TAG_KINDS:
        return WATER_TAG_KINDS[water]
    if landuse == "reservoir":
        return "reservoir"
    if landuse == "basin":
        return "pond"
    return "pond" if area_m2 < POND_MAX_AREA_M2 else "lake"


def _ornamental(tags: Tags) -> bool:
    """Whether other tags make a water polygon a fountain, a pool or a technical basin."""
    return (
        tags.get("amenity") == "fountain"
        or tags.get("leisure") == "swimming_pool"
        or tags.get("man_made") in {"wastewater_plant", "reservoir_covered", "water_tank"}
        or tags.get("covered", "no") == "yes"
    )


_WIDTH = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(m|meters?|metres?|米|ft|feet|')?\s*$", re.IGNORECASE)


def width_m(tags: Tags) -> float | None:
    """The ``width`` tag in metres when it is a plain number (metres, or feet if marked).

    Examples
    --------
    >>> width_m({"width": "3.5"}), width_m({"width": "10 ft"}), width_m({"width": "3-5"})
    (3.5, 3.048, None)
    """
    match = _WIDTH.match(tags.get("width", ""))
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    unit = (match.group(2) or "m").lower()
    return round(value * 0.3048, 3) if unit in {"ft", "feet", "'"} else value


# --- schools -------------------------------------------------------------------------------

#: Name words of vocational schools: left out wherever they stand (a 职业中学 is vocational).
_VOCATIONAL_WORDS = (
    "职业", "职校", "职高", "技工", "技师", "中专", "中等专业", "技术学校", "党校", "培训",
    "进修", "vocational", "polytechnic", "ammattikoulu",
)  # fmt: skip
#: Name words of tertiary institutions: left out unless a school word follows them
#: (华中师范大学附属小学 is a primary school).
_TERTIARY_WORDS = ("大学", "学院", "电大", "university", "college", "institute", "yliopisto")
_KINDERGARTEN_WORDS = ("幼儿园", "幼稚园", "托幼", "kindergarten", "preschool", "päiväkoti")
_MIDDLE_WORDS = (
    "中学", "初中", "高中", "初级中学", "完全中学", "middle school", "high school", "secondary",
    "yläaste", "yläkoulu", "lukio", "gymnasium", "gymnasiet", "högstadie",
)  # fmt: skip
_PRIMARY_WORDS = ("小学", "完小", "教学点", "primary", "elementary", "ala-aste", "alakoulu")
_SCHOOL_LEVELS = {
    "kindergarten": "kindergarten",
    "preschool": "kindergarten",
    "nursery": "kindergarten",
    "primary": "primary",
    "elementary": "primary",
    "middle": "middle",
    "secondary": "middle",
    "lower_secondary": "middle",
    "upper_secondary": "middle",
    "junior_high": "middle",
    "high": "middle",
}
#: ``school:*`` / ``school=*`` values of schools the tool leaves out (not children's schools).
_NOT_A_SCHOOL_VALUES = frozenset(
    {"vocational", "professional", "university", "college", "tertiary", "adult", "driving",
     "language", "music", "art", "dance", "sport", "religious", "training"}
)  # fmt: skip


def _school_values(tags: Tags) -> list[str]:
    """Values of ``school:level`` first, then of ``school`` and every other ``school:*`` key."""
    keys = sorted(k for k in tags if k == "school" or k.startswith("school:"))
    keys.sort(key=lambda k: k != "school:level")
    return [v for key in keys for v in sorted(_values(tags, key))]


def _isced_levels(value: str) -> set[int]:
    """ISCED levels of an ``isced:level`` value: ``"1;2"`` -> {1, 2}, ``"1-3"`` -> {1, 2, 3}."""
    levels: set[int] = set()
    for part in re.split(r"[;,]", value):
        bounds = [int(d) for d in re.findall(r"\d", part)]
        if len(bounds) == 2 and "-" in part:
            levels.update(range(bounds[0], bounds[1] + 1))
        else:
            levels.update(bounds)
    return levels


_NAME_KEYS = ("name:zh", "name:zh-Hans", "name", "official_name", "name:en", "name:fi", "name:sv")


def _kind_from_name(name: str) -> str | None:
    """The school kind one name says, ``"excluded"`` for tertiary/vocational, else None.

    The word standing last decides, as a Chinese name ends with what the institution is:
    ``XX中学附属小学`` is a primary school, ``XX大学附属中学`` a middle school.
    """
    name = name.lower()
    if any(w in name for w in _VOCATIONAL_WORDS):
        return "excluded"
    last: dict[str, int] = {}
    for words, kind in (
        (_TERTIARY_WORDS, "excluded"),
        (_KINDERGARTEN_WORDS, "kindergarten"),
        (_PRIMARY_WORDS, "primary"),
        (_MIDDLE_WORDS, "middle"),
    ):
        at = max((name.rfind(w) + len(w) for w in words if w in name), default=-1)
        if at >= 0:
            last[kind] = at
    return max(last, key=lambda k: last[k]) if last else None


def _kind_from_names(tags: Tags) -> str | None:
    """The first verdict of :func:`_kind_from_name` over the names, Chinese first."""
    for key in _NAME_KEYS:
        kind = _kind_from_name(tags.get(key, ""))
        if kind is not None:
            return kind
    return None


def school_kind(tags: Tags) -> str | None:
    """Kind of a school, or None when the element is no school the tool plans for.

    ``amenity=kindergarten`` is a ``kindergarten``; universities, colleges (``amenity=college``,
    ``university``), driving and language schools are none. For ``amenity=school``, in order:

    1. left out when vocational or tertiary: ``school:*``/``school=*`` values such as
       ``vocational`` or ``university`` (:data:`_NOT_A_SCHOOL_VALUES`), ``isced:level`` 4 and
       above only, or a name with 职业, 职校, 技工, 中专, 大学, 学院 (:data:`_NOT_A_SCHOOL_WORDS`);
    2. ``isced:level``: 0 only is a kindergarten; any 1 a primary (a nine-year school takes
       young pupils, so it counts as primary); 2 or 3 only a middle school (upper-secondary
       高中 pupils are children too and the schema has no separate kind);
    3. ``school:level`` (then ``school`` and other ``school:*``) values, then the name: 幼儿园
       kindergarten, 小学 primary, 中学/初中/高中 middle (and English and Finnish words);
    4. else ``primary``, the commonest school of a rural township.

    Examples
    --------
    >>> school_kind({"amenity": "school", "name": "城关镇第一中学"})
    'middle'
    >>> school_kind({"amenity": "school", "isced:level": "1;2"})
    'primary'
    >>> school_kind({"amenity": "school", "name": "平江县职业技术学校"}) is None
    True
    >>> school_kind({"amenity": "kindergarten"}), school_kind({"amenity": "college"})
    ('kindergarten', None)
    """
    amenity = tags.get("amenity")
    if amenity == "kindergarten":
        return "kindergarten"
    if amenity != "school":
        return None
    level_values = _school_values(tags)
    by_name = _kind_from_names(tags)
    levels = _isced_levels(tags.get("isced:level", ""))
    if (
        any(v in _NOT_A_SCHOOL_VALUES for v in level_values)
        or (levels and min(levels) >= 4)
        or (by_name == "excluded" and not levels & {0, 1, 2})
    ):
        return None
    if levels:
        if levels == {0}:
            return "kindergarten"
        if 1 in levels or 0 in levels:
            return "primary"
        return "middle"
    for value in level_values:
        if value in _SCHOOL_LEVELS:
            return _SCHOOL_LEVELS[value]
    return by_name if by_name not in {None, "excluded"} else "primary"


def school_pupils(tags: Tags) -> int | None:
    """Pupils from ``capacity`` (or ``student:count``), when a plain number; else None."""
    for key in ("student:count", "students", "capacity"):
        count = _count(tags.get(key))
        if count is not None:
            return count
    return None


# --- roads ---------------------------------------------------------------------------------

#: ``highway=*`` values people walk along, and their road kind.
HIGHWAY_KINDS = {
    "trunk": "primary",
    "trunk_link": "primary",
    "primary": "primary",
    "primary_link": "primary",
    "secondary": "secondary",
    "secondary_link": "secondary",
    "tertiary": "tertiary",
    "tertiary_link": "tertiary",
    "unclassified": "village_road",
    "residential": "village_road",
    "living_street": "village_road",
    "service": "village_road",
    "track": "track",
    "path": "path",
    "footway": "path",
    "pedestrian": "path",
    "steps": "path",
    "cycleway": "path",
}

_FOOT_ALLOWED = frozenset({"yes", "designated", "permissive"})


def road_kind(tags: Tags) -> str | None:
    """Road kind of a way, or None when it is not part of the walkable network.

    Kept: the ``highway`` values of :data:`HIGHWAY_KINDS` (motorways, their links, proposed,
    construction and abandoned roads are not). Dropped: ``foot=no``, and ``access=private`` or
    ``access=no`` unless ``foot`` is ``yes``, ``designated`` or ``permissive``, and pedestrian
    areas (``area=yes``). A bridge (``bridge=*`` other than ``no``) is a ``bridge`` whatever the
    road class: children cross water there.

    Examples
    --------
    >>> road_kind({"highway": "residential"}), road_kind({"highway": "footway", "bridge": "yes"})
    ('village_road', 'bridge')
    >>> road_kind({"highway": "service", "access": "private"}) is None
    True
    """
    kind = HIGHWAY_KINDS.get(tags.get("highway", ""))
    if kind is None or tags.get("area") == "yes":
        return None
    foot = tags.get("foot", "").strip().lower()
    if foot == "no":
        return None
    if tags.get("access", "").strip().lower() in {"private", "no"} and foot not in _FOOT_ALLOWED:
        return None
    return "bridge" if _yes(tags, "bridge") else kind


# --- facilities ----------------------------------------------------------------------------

_CHILD_GROUPS = frozenset({"child", "juvenile", "orphan"})
#: ``social_facility=*`` values where children live: a welfare institution (儿童福利院).
_RESIDENTIAL_CARE = frozenset({"group_home", "shelter", "assisted_living", "nursing_home"})
#: Name fragments, checked in order, that say which kind of children's facility it is.
_FACILITY_NAME_KINDS = (
    ("儿童之家", "children_home"),
    ("工作站", "township_workstation"),
    ("未成年人救助保护", "county_institution"),
    ("未成年人保护中心", "county_institution"),
    ("福利院", "welfare_institution"),
    ("儿童福利", "welfare_institution"),
)


def facility_kind(tags: Tags) -> str | None:
    """Kind of a children's service facility, or None when the element is none.

    A facility is an ``amenity=social_facility`` (or any element with a ``social_facility`` tag
    that is no school) serving children (``social_facility:for`` includes ``child``,
    ``juvenile`` or ``orphan``), or a legacy ``amenity=orphanage``. Its kind comes from the
    Chinese name when it says so (儿童之家 children_home, 工作站 township_workstation,
    未成年人救助保护 county_institution, 福利院 welfare_institution), else from the type of care:
    residential care (``group_home``, ``shelter``...) and orphanages are a
    ``welfare_institution``, day care and outreach an ``other_station``. Childcare
    (``amenity=childcare``) is a kindergarten-like service and is not taken.

    Examples
    --------
    >>> facility_kind({"amenity": "social_facility", "social_facility": "group_home",
    ...                "social_facility:for": "orphan"})
    'welfare_institution'
    >>> facility_kind({"amenity": "social_facility", "social_facility:for": "senior"}) is None
    True
    """
    amenity = tags.get("amenity")
    if amenity == "orphanage":
        care = "group_home"
    elif amenity in {"school", "kindergarten"}:
        return None
    elif amenity == "social_facility" or "social_facility" in tags:
        if not _values(tags, "social_facility:for") & _CHILD_GROUPS:
            return None
        care = tags.get("social_facility", "").strip().lower()
    else:
        return None
    name = osm_name(tags) or ""
    for fragment, kind in _FACILITY_NAME_KINDS:
        if fragment in name:
            return kind
    return "welfare_institution" if care in _RESIDENTIAL_CARE else "other_station"


# --- layers --------------------------------------------------------------------------------

_LINES = ("LineString", "MultiLineString")
_POLYGONS = ("Polygon", "MultiPolygon")


def feature_table(
    osm_ids: list[str], tags: list[dict[str, str]], geometry: gpd.GeoSeries | list[object]
) -> gpd.GeoDataFrame:
    """Build the feature table every reader hands to :func:`build_layers` (EPSG:4326)."""
    return gpd.GeoDataFrame(
        {"osm_id": pd.Series(osm_ids, dtype=object), "tags": pd.Series(tags, dtype=object)},
        geometry=gpd.GeoSeries(list(geometry), crs=WGS84),
        crs=WGS84,
    )


def _layer(
    schema: LayerSchema, rows: list[dict[str, object]], geoms: list[object]
) -> gpd.GeoDataFrame:
    """A frame with exactly the schema's columns and dtypes; unset cells take the default."""
    empty = empty_layer(schema)
    data: dict[str, pd.Series] = {}
    for column in schema.columns:
        values = [row.get(column.name, column.default) for row in rows]
        data[column.name] = pd.Series(
            [pd.NA if v is None else v for v in values], dtype=empty[column.name].dtype
        )
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)


def _single(geom: shapely.Geometry) -> shapely.Geometry:
    """A one-part Multi* geometry as its single part; others unchanged."""
    if geom.geom_type.startswith("Multi") and len(geom.geoms) == 1:
        return geom.geoms[0]
    return geom


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry | None:
    """A valid (Multi)Polygon from a possibly invalid one (clipped extracts), or None."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        if geom.geom_type == "GeometryCollection":
            parts = [g for g in geom.geoms if g.geom_type in _POLYGONS]
            geom = shapely.union_all(parts) if parts else shapely.Polygon()
    if geom.is_empty or geom.geom_type not in _POLYGONS:
        return None
    return _single(geom)


def _count(value: str | None) -> int | None:
    """A non-negative whole number tag (``capacity=40``), else None."""
    return int(value) if value is not None and value.strip().isdecimal() else None


def _point(geom: shapely.Geometry) -> shapely.Geometry:
    """A point inside the feature (a clipped, invalid polygon is repaired first)."""
    if geom.geom_type == "Point":
        return geom
    if geom.geom_type in _POLYGONS:
        geom = _polygonal(geom) or geom.centroid
    return geom.representative_point()


def build_layers(
    features: gpd.GeoDataFrame, *, progress: Callable[[str], None] | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """Turn a feature table (see :func:`feature_table`) into the OSM layers, in EPSG:4326.

    Returns ``waters``, ``schools``, ``roads`` and ``facilities`` with exactly their schema's
    columns and dtypes; a layer OSM has nothing for is an empty frame. Elements with empty or
    missing geometry are skipped.
    """
    if progress is not None:
        progress(f"building layers from {len(features)} OSM features")
    features = features[features.geometry.notna() & ~features.geometry.is_empty]
    geom_types = features.geometry.geom_type.to_numpy()
    is_area = pd.Series(geom_types, index=features.index).isin(_POLYGONS)
    areas = pd.Series(0.0, index=features.index)
    if is_area.any():
        areas[is_area] = features.geometry[is_area].to_crs(_EQUAL_AREA).area

    rows: dict[str, list[dict[str, object]]] = {name: [] for name in OSM_LAYERS}
    geoms: dict[str, list[object]] = {name: [] for name in OSM_LAYERS}

    def add(layer: str, row: dict[str, object], geom: object) -> None:
        rows[layer].append(row)
        geoms[layer].append(geom)

    for osm_id, tags, geom, gtype, area in zip(
        features["osm_id"], features["tags"], features.geometry, geom_types, areas, strict=True
    ):
        name = osm_name(tags)
        if gtype in _LINES:
            kind = water_line_kind(tags)
            if kind is not None:
                add(
                    "waters",
                    {"id": osm_id, "name": name, "kind": kind, "width_m": width_m(tags)},
                    _single(geom),
                )
            kind = road_kind(tags)
            if kind is not None and gtype == "LineString":
                add("roads", {"id": osm_id, "kind": kind, "name": name}, geom)
        elif gtype in _POLYGONS:
            kind = water_area_kind(tags, float(area))
            polygon = _polygonal(geom) if kind is not None else None
            if kind is not None and polygon is not None:
                add(
                    "waters",
                    {"id": osm_id, "name": name, "kind": kind, "width_m": width_m(tags)},
                    polygon,
                )
        kind = school_kind(tags)
        if kind is not None:
            label = "未命名幼儿园" if kind == "kindergarten" else "未命名学校"
            school: dict[str, object] = {"id": osm_id, "name": name or f"{label} {osm_id}"}
            pupils = school_pupils(tags)  # unknown: the schema's default (0)
            school |= {"kind": kind} if pupils is None else {"kind": kind, "pupils": pupils}
            add("schools", school, _point(geom))
        kind = facility_kind(tags)
        if kind is not None:
            add(
                "facilities",
                {
                    "id": osm_id,
                    "name": name or f"未命名儿童服务设施 {osm_id}",
                    "kind": kind,
                    "capacity": _count(tags.get("capacity")),
                    "opening_hours": tags.get("opening_hours"),
                },
                _point(geom),
            )

    schemas = {"waters": WATERS, "schools": SCHOOLS, "roads": ROADS, "facilities": FACILITIES}
    return {name: _layer(schemas[name], rows[name], geoms[name]) for name in OSM_LAYERS}
