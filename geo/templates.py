"""Excel templates for the layers OpenStreetMap cannot give (``tongan init`` writes them).

One workbook per layer (``households``, ``facilities``, ``equipment``, ``hazards``), each with:

* a sheet ``填写`` whose header row holds the schema's Chinese column names (read back without
  any mapping), an example row whose first cell is ``示例`` (skipped when read, see
  :func:`geo.load.read_table`) and drop-down lists (Excel data validation) for every column with
  allowed values, yes/no columns and, for households, the villages of ``areas``;
* a sheet ``说明`` describing each column: meaning, type, unit, required, allowed values.

Point layers get ``经度``/``纬度`` columns (the CRS is given with ``--crs`` as for a CSV). The
households template is a roster: a village name instead of coordinates, no name and no ID
number (:mod:`geo.roster` drops such columns anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from geo.aliases import VALUE_ALIASES
from geo.i18n import value_label
from geo.roster import EXAMPLE_ID
from geo.schemas import SCHEMAS, Column

__all__ = ["TEMPLATE_LAYERS", "write_templates", "zh_value"]

#: The layers with a template, in the order ``tongan init`` lists them.
TEMPLATE_LAYERS = ("households", "facilities", "equipment", "hazards")

#: Example values by layer and column (the schema's default where not given).
_EXAMPLES: dict[str, dict[str, object]] = {
    "households": {
        "id": EXAMPLE_ID, "village_code": "和平村", "children": 2, "left_behind": 1,
        "in_difficulty": 1, "orphan": 0, "low_income": 1, "guardianship_risk": "medium",
        "care_agreement": True, "last_contact": "2026-05-01",
    },
    "facilities": {
        "id": EXAMPLE_ID, "name": "和平村儿童之家", "kind": "children_home",
        "floor_area_m2": 60, "capacity": 30, "opening_hours": "周六、周日 9:00-17:00",
        "经度": 113.5051, "纬度": 28.7049,
    },
    "equipment": {
        "id": EXAMPLE_ID, "kind": "life_buoy", "condition": "ok", "last_inspected": "2026-05-20",
        "经度": 113.5102, "纬度": 28.7011,
    },
    "hazards": {
        "id": EXAMPLE_ID, "kind": "dangerous_wall", "name": "村小学旁危墙", "level": "high",
        "经度": 113.5063, "纬度": 28.7072,
    },
}  # fmt: skip
_HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_EXAMPLE_FONT = Font(italic=True, color="FF808080")
_VILLAGE_HEADER = "村(社区)"


def zh_value(value: str) -> str:
    """The Chinese label of an allowed value that reading maps back to it.

    Examples
    --------
    >>> zh_value("pond"), zh_value("children_home"), zh_value("rescue_cabinet")
    ('坑塘', '儿童之家', '四合一救援柜')
    """
    label = value_label(value)
    if VALUE_ALIASES.get(label) == value:
        return label
    return next((k for k, v in VALUE_ALIASES.items() if v == value), value)


def _columns(layer: str) -> list[Column]:
    """The template's columns: the schema's, minus what a person never types."""
    skip = {"location_estimated"}
    return [c for c in SCHEMAS[layer].columns if c.name not in skip]


def _header(layer: str, column: Column) -> str:
    if layer == "households" and column.name == "village_code":
        return _VILLAGE_HEADER  # a name or a code, matched by geo.roster
    return column.zh


def _example(layer: str, column: Column) -> object:
    value = _EXAMPLES[layer].get(column.name, column.default)
    if isinstance(value, bool):
        return "是" if value else "否"
    if column.allowed is not None and isinstance(value, str):
        return zh_value(value)
    return value


def _choices(column: Column) -> list[str] | None:
    if column.dtype == "bool":
        return ["是", "否"]
    if column.allowed is not None:
        return [zh_value(v) for v in column.allowed]
    return None


def _describe(layer: str, column: Column) -> list[object]:
    allowed = "、".join(_choices(column) or [])
    need = (
        "必填"
        if column.required and not (layer == "households" and column.name == "id")
        else "选填"
    )
    if layer == "households" and column.name == "village_code":
        meaning = "村名或村代码,与行政区划(areas)中的村对应;可省略“村/社区/居委会”"
        need = "必填"
    else:
        meaning = column.meaning
    return [_header(layer, column), meaning, column.dtype, column.unit, need, allowed]


def write_template(layer: str, path: Path, *, villages: Sequence[str] = ()) -> Path:
    """Write the template of one layer to ``path`` (``.xlsx``), replacing the file."""
    columns = _columns(layer)
    point = "Point" in SCHEMAS[layer].geometries and layer != "households"
    headers = [_header(layer, c) for c in columns] + (["经度", "纬度"] if point else [])
    example = [_example(layer, c) for c in columns]
    if point:
        example += [_EXAMPLES[layer]["经度"], _EXAMPLES[layer]["纬度"]]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "填写"
    sheet.append(headers)
    sheet.append(example)
    for i, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.fill = _HEADER_FILL
        cell.font = Font(bold=True)
        sheet.cell(row=2, column=i).font = _EXAMPLE_FONT
        sheet.column_dimensions[get_column_letter(i)].width = max(10, 2 * len(str(header)) + 2)
    sheet.freeze_panes = "A2"
    lists = book.create_sheet("选项")
    for i, column in enumerate(columns, start=1):
        choices = _choices(column)
        if layer == "households" and column.name == "village_code" and villages:
            choices = list(villages)
        if choices is None:
            continue
        lists.cell(row=1, column=i, value=_header(layer, column))
        for j, choice in enumerate(choices, start=2):
            lists.cell(row=j, column=i, value=choice)
        letter = get_column_letter(i)
        rule = DataValidation(
            type="list",
            formula1=f"=选项!${letter}$2:${letter}${len(choices) + 1}",
            allow_blank=not column.required,
            showErrorMessage=column.name != "village_code",  # a new village name may be typed
            errorTitle="不在允许范围",
            error="请从下拉列表中选择 / choose a value from the list",
        )
        rule.add(f"{letter}2:{letter}5000")
        sheet.add_data_validation(rule)
    notes = book.create_sheet("说明")
    notes.append(["列名", "含义", "类型", "单位", "是否必填", "可选值"])
    for column in columns:
        notes.append(_describe(layer, column))
    if point:
        notes.append(["经度", "Longitude; give the CRS with --crs", "float", "°", "必填", ""])
        notes.append(["纬度", "Latitude; give the CRS with --crs", "float", "°", "必填", ""])
    notes.append([])
    notes.append([f"第 2 行(编号为“{EXAMPLE_ID}”)是示例,读取时自动忽略;可删除。"])
    if layer == "households":
        notes.append(["不要填写姓名、身份证号、电话:这些列在读取时会被删除,不会保存。"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_templates(folder: Path, *, villages: Sequence[str] = ()) -> list[Path]:
    """Write every template (:data:`TEMPLATE_LAYERS`) into ``folder`` as ``<layer>.xlsx``."""
    return [write_template(n, folder / f"{n}.xlsx", villages=villages) for n in TEMPLATE_LAYERS]
