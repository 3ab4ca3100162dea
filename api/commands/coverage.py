"""``tongan coverage``: walking coverage of children's homes and stations, gaps, policy checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer
from rich.table import Table

from analysis.coverage import CoverageResult
from api._common import out_console
from api.commands.analyses import CliSpec, Option, Run
from geo.errors import InputError
from geo.i18n import in_language, tr
from geo.settings import Language, Settings

#: Chinese headers of the exported tables (English headers are the column names).
HEADERS_ZH: dict[str, str] = {
    "id": "编号",
    "code": "区划代码",
    "name": "名称",
    "village_code": "村代码",
    "village_name": "村",
    "township_code": "乡镇代码",
    "township_name": "乡镇",
    "county_code": "县代码",
    "county_name": "县",
    "households": "家庭户数",
    "children": "儿童数",
    "left_behind": "留守儿童数",
    "in_difficulty": "困境儿童数",
    "children_covered": "步行标准内儿童数",
    "left_behind_covered": "步行标准内留守儿童数",
    "in_difficulty_covered": "步行标准内困境儿童数",
    "share_children": "儿童覆盖率",
    "share_left_behind": "留守儿童覆盖率",
    "share_in_difficulty": "困境儿童覆盖率",
    "median_dist_m": "步行距离中位数(米)",
    "p90_dist_m": "90%分位步行距离(米)",
    "households_beyond": "标准外户数",
    "children_beyond": "标准外儿童数",
    "homes": "儿童之家数",
    "priority_children": "留守与困境儿童合计",
    "directors_needed": "需配儿童主任数",
    "workstations": "未成年人保护工作站数",
    "institutions": "未成年人救助保护机构数",
    "rule": "规则",
    "level": "级别",
    "place_code": "区划代码",
    "place_name": "地点",
    "facility_id": "设施编号",
    "finding": "发现",
    "finding_en": "发现(英文)",
    "missing": "缺少",
    "gap_id": "缺口编号",
    "small": "小缺口",
    "facility_id_": "设施编号",
    "kind": "类型",
    "reached_road_m": "可达道路长度(米)",
    "dist_m": "至最近覆盖设施步行距离(米)",
    "nearest_facility": "最近覆盖设施",
    "covered": "步行标准内",
    "reach": "可达情况",
    "snap_reason": "接入道路情况",
    "connector_m": "至道路距离(米)",
    "snapped": "已接入道路",
    "floor_area_m2": "面积(平方米)",
    "area_code": "所属区划代码",
    "suppressed": "已隐藏",
    "dist_children_home_m": "至儿童之家步行距离(米)",
    "nearest_children_home": "最近儿童之家",
    "dist_township_workstation_m": "至乡镇工作站步行距离(米)",
    "nearest_township_workstation": "最近乡镇工作站",
    "dist_county_institution_m": "至县救助保护机构步行距离(米)",
    "nearest_county_institution": "最近县救助保护机构",
    "dist_welfare_institution_m": "至儿童福利机构步行距离(米)",
    "nearest_welfare_institution": "最近儿童福利机构",
    "dist_other_station_m": "至其他站点步行距离(米)",
    "nearest_other_station": "最近其他站点",
    "lon": "经度",
    "lat": "纬度",
}

SHEETS_ZH = {
    "villages": "村覆盖",
    "townships": "乡镇覆盖",
    "county": "县覆盖",
    "checks": "政策检查",
    "gaps": "缺口区域",
    "service_areas": "服务范围",
    "facilities": "设施",
    "households": "家庭可达性",
    "household_cells": "未覆盖家庭网格",
}

#: The texts of this command are the catalogue's ``cli_coverage_*`` messages (geo/messages/cli.py).


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"cli_coverage_{key}", lang, **values)


def _check(options: Mapping[str, Any], settings: Settings) -> None:
    standard_m = options.get("standard_m")
    if standard_m is not None and not standard_m > 0:
        msg = f"--standard-m must be above 0 m, got {standard_m:g}; e.g. --standard-m 1000"
        raise InputError(msg)


def _report(run: Run) -> None:
    """The coverage figures, the policy findings, the notes and the files written."""
    result: CoverageResult = run.result.result
    language = run.view.lang
    out = out_console()
    children = result.children
    covered = result.children_covered
    county = result.county
    table = Table(title=_t("title", language, s=result.standard_m))
    table.add_column(_t("figure", language))
    table.add_column(_t("value", language), justify="right")
    table.add_row(_t("children", language), f"{children:,}")
    table.add_row(_t("covered", language), f"{covered:,}")
    table.add_row(_t("uncovered", language), f"{children - covered:,}")
    table.add_row(_t("share", language), f"{result.share_covered:.1%}")
    lb = int(county["left_behind_covered"].sum())
    lb_all = int(county["left_behind"].sum())
    table.add_row(_t("left_behind", language), f"{lb:,} / {lb_all:,}")
    d = int(county["in_difficulty_covered"].sum())
    d_all = int(county["in_difficulty"].sum())
    table.add_row(_t("in_difficulty", language), f"{d:,} / {d_all:,}")
    table.add_row(_t("gaps", language), f"{len(result.gaps):,}")
    table.add_row(_t("findings", language), f"{len(result.checks):,}")
    out.print(table)
    if len(result.checks):
        checks = Table(title=_t("check_title", language))
        checks.add_column(_t("place", language))
        checks.add_column(_t("finding", language))
        texts = in_language(result.checks, language)["finding"]
        for place, text in zip(result.checks["place_name"], texts, strict=True):
            checks.add_row(str(place), str(text))
        out.print(checks)
    for note in result.notes:
        out.print(f"{_t('note', language)}: {note.text(language)}", highlight=False)
    written = run.written
    paths = [written.geopackage if written else None, written.excel if written else None]
    for p in [*paths, *run.files]:
        if p is not None:
            out.print(_t("wrote", language, path=p), highlight=False)


CLI = CliSpec(
    "coverage",
    help="Who is beyond walking reach of a children's home or station; policy checks per place.",
    out="out/coverage",
    options={
        "standard_m": Option(
            ("--standard-m",),
            help="Walking standard in metres (default: the setting walking_standard_m, 1000).",
            annotation=float | None,
        )
    },
    authorised=Option(
        ("--authorised",),
        help="Include household-level rows and points (personal data of minors).",
    ),
    headers={"zh": HEADERS_ZH},
    sheets={"zh": SHEETS_ZH},
    check=_check,
    report=_report,
)


def register(app: typer.Typer) -> None:
    """``tongan coverage`` is generated from the analysis contract (:mod:`api.commands.analyses`)."""
