"""Column and value aliases: how Chinese (and user-specific) names map onto the schemas.

Every schema column has a Chinese name (``geo.schemas``), recognised without configuration. Other
names are mapped with a column-mapping file (TOML), documented in the README::

    # columns.toml: file column name = schema column name
    [households]
    "户编码" = "id"
    "所在村" = "village_code"

    [all]             # applies to every layer
    "编码" = "id"

    [values.waters.kind]   # file value = schema value
    "鱼塘" = "pond"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import InputError
from geo.schemas import SCHEMAS, all_schemas

#: Chinese values of categorical columns, recognised everywhere without configuration.
VALUE_ALIASES: dict[str, str] = {
    # levels
    "县": "county", "区": "county", "县级": "county", "乡镇": "township", "镇": "township",
    "乡": "township", "街道": "township", "村": "village", "社区": "village", "村级": "village",
    # risk / depth / hazard levels
    "低": "low", "中": "medium", "高": "high", "低风险": "low", "中风险": "medium", "高风险": "high",
    "浅": "shallow", "深": "deep", "未知": "unknown",
    # water kinds
    "河流": "river", "河": "river", "江": "river", "渠道": "canal", "明渠": "canal", "渠": "canal",
    "溪流": "stream", "溪": "stream", "沟渠": "ditch", "水沟": "ditch", "沟": "ditch",
    "坑塘": "pond", "池塘": "pond", "塘": "pond", "鱼塘": "pond", "水库": "reservoir",
    "湖泊": "lake", "湖": "lake",
    # current, banks, uses
    "静止": "still", "静水": "still", "缓流": "slow", "慢": "slow", "急流": "fast", "快": "fast",
    "缓坡": "gentle", "陡坡": "steep", "陡": "steep", "窄堤": "narrow_embankment",
    "护岸": "revetted", "游泳": "swimming", "钓鱼": "fishing", "垂钓": "fishing",
    "洗衣": "washing", "洗涤": "washing", "无": "none",
    # equipment
    "警示牌": "warning_sign", "救生圈": "life_buoy", "救生绳": "rescue_rope",
    "救生杆": "rescue_pole", "救援柜": "rescue_cabinet", "四合一救援柜": "rescue_cabinet",
    "护栏": "fence", "围栏": "fence", "隔离防护设施": "fence",
    "完好": "ok", "正常": "ok", "损坏": "damaged", "破损": "damaged", "缺失": "missing",
    "丢失": "missing",
    # schools and facilities
    "小学": "primary", "中学": "middle", "初中": "middle", "幼儿园": "kindergarten",
    "儿童之家": "children_home", "未成年人保护工作站": "township_workstation",
    "工作站": "township_workstation", "未成年人救助保护机构": "county_institution",
    "儿童福利机构": "welfare_institution", "其他站点": "other_station",
    # hazards
    "洪水淹没区": "flood_zone", "洪涝区": "flood_zone", "山体滑坡区": "landslide_zone",
    "滑坡": "landslide_zone", "危墙": "dangerous_wall", "危房": "dangerous_building",
    # roads and spots
    "村道": "village_road", "机耕路": "track", "小路": "path", "步道": "path", "桥": "bridge",
    "桥梁": "bridge", "野泳点": "swimming_hole", "码头": "dock", "洗衣台阶": "washing_step",
    "钓鱼点": "fishing_spot", "其他": "other",
}  # fmt: skip

TRUE_VALUES = frozenset({"true", "t", "yes", "y", "1", "是", "有", "已签", "已签订", "√"})
FALSE_VALUES = frozenset({"false", "f", "no", "n", "0", "否", "无", "未签", "未签订", "×", ""})


@dataclass(frozen=True)
class ColumnMap:
    """User mappings from a column-mapping file, on top of the built-in Chinese aliases."""

    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def columns_for(self, layer: str) -> dict[str, str]:
        """File column name -> schema column for ``layer`` (built-in, then ``[all]``, then layer)."""
        schema = all_schemas()[layer]
        mapping = schema.zh_aliases()
        mapping |= self.columns.get("all", {})
        mapping |= self.columns.get(layer, {})
        return mapping

    def values_for(self, layer: str, column: str) -> dict[str, str]:
        return VALUE_ALIASES | self.values.get(layer, {}).get(column, {})


def read_column_map(path: Path) -> ColumnMap:
    """Read a column-mapping TOML file, checking every target against the schemas."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        msg = f"column-mapping file {str(path)!r} does not exist"
        raise InputError(msg) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        msg = f"column-mapping file {str(path)!r} is not valid UTF-8 TOML: {exc}"
        raise InputError(msg) from exc
    columns: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, dict[str, str]]] = {}
    problems: list[str] = []
    for section, table in data.items():
        if section == "values":
            for layer, cols in table.items():
                for col, pairs in cols.items():
                    _check_target(layer, col, problems)
                    values.setdefault(layer, {})[col] = {str(k): str(v) for k, v in pairs.items()}
            continue
        if section != "all" and section not in SCHEMAS:
            problems.append(f"unknown layer [{section}]; expected one of {['all', *SCHEMAS]}")
            continue
        if not isinstance(table, dict):
            problems.append(f"[{section}] must be a table of 'file column' = 'schema column'")
            continue
        for source, target in table.items():
            layers = list(SCHEMAS) if section == "all" else [section]
            if not any(target in SCHEMAS[name].column_names for name in layers):
                problems.append(f"[{section}] {source!r} maps to unknown column {target!r}")
        columns[section] = {str(k): str(v) for k, v in table.items()}
    if problems:
        msg = (
            f"column-mapping file {str(path)!r} has {len(problems)} problem(s):\n  "
            + "\n  ".join(problems)
        )
        raise InputError(msg)
    return ColumnMap(columns=columns, values=values)


def _check_target(layer: str, column: str, problems: list[str]) -> None:
    if layer not in SCHEMAS:
        problems.append(f"[values.{layer}] names an unknown layer; expected one of {list(SCHEMAS)}")
    elif column not in SCHEMAS[layer].column_names:
        problems.append(f"[values.{layer}.{column}] names an unknown column of {layer!r}")
