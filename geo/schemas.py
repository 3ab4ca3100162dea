"""The documented schema of every layer Tongan reads.

Each layer is a GeoDataFrame whose columns are described here once; the README's schema tables,
the validation rules and the Chinese column aliases all come from these definitions
(``tongan schema`` prints them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

DType = Literal["str", "int", "float", "bool", "date"]
GeomKind = Literal["Point", "LineString", "Polygon"]

LEVELS = ("county", "township", "village")
GUARDIANSHIP_RISKS = ("low", "medium", "high")
WATER_LINE_KINDS = ("river", "canal", "stream", "ditch")
WATER_POLYGON_KINDS = ("pond", "reservoir", "lake")
WATER_KINDS = WATER_LINE_KINDS + WATER_POLYGON_KINDS
DEPTH_CLASSES = ("shallow", "medium", "deep", "unknown")
CURRENTS = ("still", "slow", "fast", "unknown")
BANKS = ("gentle", "steep", "narrow_embankment", "revetted", "unknown")
WATER_USES = ("swimming", "fishing", "washing", "none", "unknown")
FOUR_ONES = ("warning_sign", "life_buoy", "rescue_rope", "rescue_pole")
EQUIPMENT_POINT_KINDS = (*FOUR_ONES, "rescue_cabinet")
EQUIPMENT_KINDS = (*EQUIPMENT_POINT_KINDS, "fence")
CONDITIONS = ("ok", "damaged", "missing")
SCHOOL_KINDS = ("primary", "middle", "kindergarten")
FACILITY_KINDS = (
    "children_home",
    "township_workstation",
    "county_institution",
    "welfare_institution",
    "other_station",
)
HAZARD_KINDS = ("flood_zone", "landslide_zone", "dangerous_wall", "dangerous_building")
HAZARD_LEVELS = ("high", "medium", "low")
ROAD_KINDS = ("primary", "secondary", "tertiary", "village_road", "track", "path", "bridge")
SPOT_KINDS = ("swimming_hole", "dock", "washing_step", "fishing_spot", "other")

#: Categories of children in difficulty (困境儿童) counted per household.
DIFFICULTY_CATEGORIES = (
    "orphan",
    "unsupported",
    "severe_disability",
    "severe_illness",
    "low_income",
    "guardianship_lacking",
)


@dataclass(frozen=True)
class Column:
    """One column of a layer.

    ``allowed`` lists the accepted values of a categorical column; for ``multi`` columns a cell
    holds several of them separated by ``;`` (for example ``"fishing;washing"``).
    """

    name: str
    dtype: DType
    zh: str
    meaning: str
    required: bool = False
    unit: str = ""
    allowed: tuple[str, ...] | None = None
    multi: bool = False
    minimum: float | None = None
    default: object = None


@dataclass(frozen=True)
class LayerSchema:
    """A layer: its name, geometry kinds, identifier column and columns."""

    name: str
    zh: str
    meaning: str
    geometries: tuple[GeomKind, ...]
    columns: tuple[Column, ...]
    required_layer: bool = True
    id_column: str = "id"
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        msg = f"layer {self.name!r} has no column {name!r}; columns: {self.column_names}"
        raise KeyError(msg)

    def zh_aliases(self) -> dict[str, str]:
        """Chinese column name -> schema column name, the built-in column mapping."""
        return {c.zh: c.name for c in self.columns} | self.aliases


def _id(zh: str = "编号") -> Column:
    return Column(
        "id", "str", zh, "Unique identifier of the feature within the layer.", required=True
    )


def _count(name: str, zh: str, meaning: str, *, required: bool = False) -> Column:
    return Column(
        name, "int", zh, meaning, required=required, unit="children", minimum=0, default=0
    )


AREAS = LayerSchema(
    "areas",
    "行政区划",
    "County, township and village polygons; the study area is their union.",
    ("Polygon",),
    (
        Column("code", "str", "区划代码", "Administrative code, unique.", required=True),
        Column("name", "str", "名称", "Name of the area.", required=True),
        Column("level", "str", "级别", "Administrative level.", required=True, allowed=LEVELS),
        Column(
            "parent_code",
            "str",
            "上级代码",
            "Code of the enclosing area (empty for the county).",
        ),
    ),
    id_column="code",
    aliases={"代码": "code", "上级区划代码": "parent_code"},
)

HOUSEHOLDS = LayerSchema(
    "households",
    "重点儿童家庭",
    "Households with children, one point each; counts only, never a name.",
    ("Point",),
    (
        _id("户编号"),
        Column("village_code", "str", "村代码", "Code of the village (areas.code).", required=True),
        _count("children", "儿童数", "Children under 18 living in the household.", required=True),
        _count(
            "left_behind", "留守儿童数", "Left-behind children (留守儿童), under 16.", required=True
        ),
        _count(
            "in_difficulty",
            "困境儿童数",
            "Children in difficulty (困境儿童), each counted once whatever their categories.",
            required=True,
        ),
        _count("orphan", "孤儿数", "Orphans (孤儿)."),
        _count(
            "unsupported", "事实无人抚养儿童数", "De facto unsupported children (事实无人抚养)."
        ),
        _count("severe_disability", "重残儿童数", "Children with a severe disability (重残)."),
        _count("severe_illness", "重病儿童数", "Children with a severe illness (重病)."),
        _count("low_income", "低保特困儿童数", "Children of low-income families (低保/特困)."),
        _count(
            "guardianship_lacking",
            "监护缺失儿童数",
            "Children lacking or with improper guardianship.",
        ),
        Column(
            "guardianship_risk",
            "str",
            "监护风险",
            "Assessed guardianship capacity risk (家庭监护能力评估).",
            allowed=GUARDIANSHIP_RISKS,
            default="low",
        ),
        Column("single_parent", "bool", "单亲家庭", "Single-parent household.", default=False),
        Column(
            "parent_disabled",
            "bool",
            "父母重度残疾",
            "A parent has a severe disability.",
            default=False,
        ),
        Column("child_disabled", "bool", "儿童残疾", "A child is disabled.", default=False),
        Column(
            "psych_flag",
            "bool",
            "心理行为问题",
            "A child shows psychological or behavioural problems.",
            default=False,
        ),
        Column(
            "care_agreement",
            "bool",
            "委托照护协议",
            "A care agreement (委托照护协议) is signed for the left-behind children.",
            default=False,
        ),
        Column("last_contact", "date", "最近联系日期", "Date of the last contact by the director."),
        Column("last_home_visit", "date", "最近家访日期", "Date of the last home visit."),
        Column(
            "location_estimated",
            "bool",
            "位置为估算",
            "The point is estimated: a roster row without coordinates placed along its village's "
            "roads (see the README, rosters); replaced when the location is captured.",
            default=False,
        ),
    ),
)

WATERS = LayerSchema(
    "waters",
    "水域",
    "Rivers, canals, streams and ditches as lines; ponds, reservoirs and lakes as polygons.",
    ("LineString", "Polygon"),
    (
        _id(),
        Column("name", "str", "名称", "Name of the water (may be empty for small ponds)."),
        Column(
            "kind",
            "str",
            "类型",
            "Kind of water; lines for river/canal/stream/ditch, polygons for pond/reservoir/lake.",
            required=True,
            allowed=WATER_KINDS,
        ),
        Column("width_m", "float", "宽度", "Typical width.", unit="m", minimum=0),
        Column(
            "depth_class", "str", "水深", "Depth class.", allowed=DEPTH_CLASSES, default="unknown"
        ),
        Column("current", "str", "流速", "Current.", allowed=CURRENTS, default="unknown"),
        Column("bank", "str", "岸坡", "Bank type.", allowed=BANKS, default="unknown"),
        Column("entry_points", "int", "下水点数", "Known entry points to the water.", minimum=0),
        Column(
            "use",
            "str",
            "用途",
            "Known uses, several separated by ';'.",
            allowed=WATER_USES,
            multi=True,
            default="unknown",
        ),
        Column("river_chief", "str", "河长", "Responsible river chief (河长) or officer."),
    ),
)

EQUIPMENT = LayerSchema(
    "equipment",
    "救生设施",
    "The four-ones (四个一) items and rescue cabinets as points; fences as lines.",
    ("Point", "LineString"),
    (
        _id(),
        Column(
            "kind",
            "str",
            "设施类型",
            "Kind of item; rescue_cabinet holds all four; fence is a line.",
            required=True,
            allowed=EQUIPMENT_KINDS,
        ),
        Column(
            "condition", "str", "状态", "Condition found last.", required=True, allowed=CONDITIONS
        ),
        Column("last_inspected", "date", "最近检查日期", "Date of the last inspection."),
        Column("water_id", "str", "水域编号", "The water it guards (waters.id), when known."),
    ),
    required_layer=False,  # a township that never surveyed its equipment lacks all of it
)

SCHOOLS = LayerSchema(
    "schools",
    "学校",
    "Primary and middle schools and kindergartens, one point each.",
    ("Point",),
    (
        _id(),
        Column("name", "str", "名称", "Name of the school.", required=True),
        Column("kind", "str", "类型", "Kind of school.", required=True, allowed=SCHOOL_KINDS),
        Column(
            "pupils", "int", "在校人数", "Pupils enrolled.", unit="pupils", minimum=0, default=0
        ),
        Column("village_code", "str", "村代码", "Village it stands in (areas.code)."),
    ),
)

FACILITIES = LayerSchema(
    "facilities",
    "儿童服务设施",
    "Children's homes, township workstations, county institutions and other stations.",
    ("Point",),
    (
        _id(),
        Column("name", "str", "名称", "Name of the facility.", required=True),
        Column("kind", "str", "类型", "Kind of facility.", required=True, allowed=FACILITY_KINDS),
        Column("area_code", "str", "所属区划代码", "Area it serves (areas.code)."),
        Column("floor_area_m2", "float", "面积", "Indoor floor area.", unit="m²", minimum=0),
        Column(
            "capacity", "int", "容量", "Children it can serve at once.", unit="children", minimum=0
        ),
        Column("opening_hours", "str", "开放时间", "Opening hours, free text."),
    ),
)

HAZARDS = LayerSchema(
    "hazards",
    "隐患",
    "Flood zones and slope/landslide zones as polygons; dangerous walls and buildings.",
    ("Polygon", "LineString", "Point"),
    (
        _id(),
        Column("kind", "str", "类型", "Kind of hazard.", required=True, allowed=HAZARD_KINDS),
        Column("name", "str", "名称", "Name or description."),
        Column("level", "str", "等级", "Hazard level where assessed.", allowed=HAZARD_LEVELS),
    ),
    required_layer=False,
)

INCIDENTS = LayerSchema(
    "incidents",
    "溺水事件",
    "Past drowning incidents, one point each; no names.",
    ("Point",),
    (
        _id(),
        Column("date", "date", "日期", "Date of the incident.", required=True),
        Column("age", "int", "年龄", "Age of the child, when recorded.", unit="years", minimum=0),
        Column("fatal", "bool", "死亡", "Whether the child died."),
    ),
    required_layer=False,
)

ROADS = LayerSchema(
    "roads",
    "道路",
    "Roads and paths that people walk; turned once into a routable graph.",
    ("LineString",),
    (
        _id(),
        Column("kind", "str", "类型", "Road class.", allowed=ROAD_KINDS, default="village_road"),
        Column("name", "str", "名称", "Road name (village roads are often unnamed)."),
    ),
)

KNOWN_SPOTS = LayerSchema(
    "known_spots",
    "已知危险点",
    "User-registered spots by the water: swimming holes, docks, washing steps.",
    ("Point",),
    (
        _id(),
        Column("kind", "str", "类型", "Kind of spot.", required=True, allowed=SPOT_KINDS),
        Column("name", "str", "名称", "Name or description."),
    ),
    required_layer=False,
)

#: Every layer, in the order the tool reads and reports them.
SCHEMAS: dict[str, LayerSchema] = {
    s.name: s
    for s in (
        AREAS,
        HOUSEHOLDS,
        WATERS,
        EQUIPMENT,
        SCHOOLS,
        FACILITIES,
        HAZARDS,
        INCIDENTS,
        ROADS,
        KNOWN_SPOTS,
    )
}

LAYER_NAMES = tuple(SCHEMAS)

#: Layers an analysis declares (:func:`register_layer`): read, validated, summarised and
#: carried like the built-in ones, but not part of the sample or of the README's tables.
EXTENSIONS: dict[str, LayerSchema] = {}


def register_layer(schema: LayerSchema) -> LayerSchema:
    """Declare an optional layer an analysis reads (its module calls it when imported).

    Raises
    ------
    ValueError
        When the name is a built-in layer's, or the layer is declared required (an added
        analysis cannot make older workspaces invalid).
    """
    if schema.name in SCHEMAS:
        msg = f"layer {schema.name!r} is a built-in layer; choose another name"
        raise ValueError(msg)
    if schema.required_layer:
        msg = f"layer {schema.name!r}: a declared layer is optional (required_layer=False)"
        raise ValueError(msg)
    EXTENSIONS[schema.name] = schema
    return schema


def all_schemas() -> dict[str, LayerSchema]:
    """The built-in layers, then the layers analyses declared (:func:`register_layer`)."""
    return SCHEMAS | EXTENSIONS


def schema_markdown(schemas: Mapping[str, LayerSchema] | None = None) -> str:
    """Render the layers' schemas (:func:`all_schemas` by default: the built-in layers, then
    those the loaded analyses declared) as the Markdown tables the README carries."""
    lines: list[str] = []
    for s in (schemas or all_schemas()).values():
        need = "optional"
        if s.required_layer:
            need = "required"
        if s.name in EXTENSIONS:
            need += ", declared by an analysis"
        lines.append(f"#### `{s.name}` ({s.zh}; {need}; {' / '.join(s.geometries)})")
        lines.append("")
        lines.append(s.meaning)
        lines.append("")
        lines.append("| column | 中文列名 | type | unit | required | meaning |")
        lines.append("|---|---|---|---|---|---|")
        for c in s.columns:
            meaning = c.meaning
            if c.allowed:
                sep = "; several separated by `;`" if c.multi else ""
                meaning += f" One of: {', '.join(f'`{a}`' for a in c.allowed)}{sep}."
            if c.default is not None and not c.required:
                meaning += f" Default `{c.default}`."
            req = "yes" if c.required else "no"
            lines.append(f"| `{c.name}` | {c.zh} | {c.dtype} | {c.unit} | {req} | {meaning} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
