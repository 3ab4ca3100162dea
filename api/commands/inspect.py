"""``tongan patrol`` and ``tongan visits``: patrol routes and home-visit schedules (issue 6).

Writes tables (GeoPackage, CSV, Excel), a GPX track per day (written with ``xml.etree``, GPX 1.1),
a printable Chinese HTML checklist (jinja2) and the Folium map into ``--out``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import typer
from rich.table import Table
from shapely.geometry import Point

from api._common import out_console
from api.commands.analyses import CliSpec, Extra, Option, Run
from geo.errors import InputError
from geo.export import write_gpx
from geo.i18n import tr
from geo.settings import Settings

HEADERS_PATROL = {
    "day": "天", "date": "日期", "order": "顺序", "spot_id": "风险点编号", "place": "位置", "water_name": "水域", "river_chief": "河长",
    "village_code": "村代码", "risk": "风险值", "risk_class": "风险等级", "priority": "优先级",
    "overdue": "超期未查", "child_use": "儿童常去", "arrival": "到达时间",
    "arrival_min": "出发后分钟", "leg_m": "上一段距离(米)", "last_inspected": "最近检查", "checklist": "检查清单",
    "stops": "巡查点数", "distance_m": "路程(米)", "travel_min": "行程(分钟)",
    "stop_min": "检查(分钟)", "total_min": "合计(分钟)", "budget_min": "预算(分钟)",
    "windows": "巡查时段", "message": "说明", "item": "项目代码", "item_zh": "项目",
    "state_zh": "最近状态", "action_zh": "处置", "reason": "原因",
}  # fmt: skip
HEADERS_VISITS = {
    "household_id": "户编号", "village_code": "村代码", "left_behind": "留守儿童数",
    "in_difficulty": "困境儿童数", "frequent": "需每月家访", "interval_days": "家访间隔(天)",
    "last_contact": "最近联系", "next_contact": "下次联系", "last_home_visit": "最近家访",
    "next_home_visit": "下次家访", "holiday_due": "假期集中走访", "contact_status": "联系状态",
    "visit_status": "家访状态", "days_overdue": "逾期天数", "never_visited": "从未家访",
    "no_care_agreement": "未签委托照护协议", "flags": "关注事项", "checklist": "检查清单",
    "order": "顺序", "arrival": "到达时间", "leg_m": "上一段距离(米)", "date": "日期",
    "start": "出发点", "stops": "家访户数", "distance_m": "路程(米)", "travel_min": "步行(分钟)",
    "stop_min": "家访(分钟)", "budget_min": "预算(分钟)", "message": "说明", "item": "项目代码",
    "check_zh": "检查内容",
}  # fmt: skip

_HTML = jinja2.Template(
    """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font:14px/1.5 "Noto Sans CJK SC",sans-serif;margin:2em}
table{border-collapse:collapse;width:100%;margin-bottom:1.5em}
td,th{border:1px solid #444;padding:4px 6px;text-align:left}
h2{page-break-before:always}h2:first-of-type{page-break-before:avoid}
.box{display:inline-block;width:1em;height:1em;border:1px solid #000}</style></head>
<body><h1>{{ title }}</h1><p>{{ subtitle }}</p>
{% for section in sections %}<h2>{{ section.heading }}</h2><p>{{ section.note }}</p>
{% for stop in section.stops %}<h3>{{ stop.title }}</h3>
<table><tr><th>项目</th><th>最近状态</th><th>处置</th><th>检查结果</th></tr>
{% for row in stop.rows %}<tr><td>{{ row[0] }}</td><td>{{ row[1] }}</td><td>{{ row[2] }}</td>
<td><span class="box"></span> 完好 <span class="box"></span> 损坏 <span class="box"></span> 缺失
</td></tr>{% endfor %}</table>{% endfor %}{% endfor %}
<p>检查人签字：__________ 日期：__________</p></body></html>
""",
    autoescape=True,
)


def _parse_lonlat(value: str) -> Point:
    try:
        lon, lat = (float(v) for v in value.split(","))
    except ValueError:
        msg = f"--start {value!r} is not LON,LAT (e.g. 112.95,29.83)"
        raise InputError(msg) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        msg = f"--start {value!r}: longitude must be in [-180, 180] and latitude in [-90, 90]"
        raise InputError(msg)
    return Point(lon, lat)


def _check_patrol(options: Mapping[str, Any], settings: Settings) -> None:
    if not options.get("start"):
        msg = "--start LON,LAT is required (where each patrol day starts and ends)"
        raise InputError(msg)
    _parse_lonlat(options["start"])
    mode = options.get("mode")
    if mode not in settings.inspection.speeds_kmh:
        msg = f"unknown --mode {mode!r}; expected one of {sorted(settings.inspection.speeds_kmh)}"
        raise InputError(msg)
    hours = options.get("hours")
    if hours is not None and hours < 0:
        msg = f"--hours must be zero or more, got {hours}"
        raise InputError(msg)


def _patrol_sections(run: Run) -> list[dict[str, Any]]:
    plan = run.result
    sections = []
    for _, r in plan.routes.iterrows():
        d = int(r["day"])
        stops = []
        for _, s in plan.stops[plan.stops["day"] == d].iterrows():
            rows = plan.checklist[
                (plan.checklist["day"] == d) & (plan.checklist["order"] == s["order"])
            ]
            stops.append(
                {
                    "title": f"{int(s['order'])}. {s['spot_id']} {s['water_name'] or ''} "
                    f"到达 {s['arrival']} 风险 {s['risk']:.0f} 最近检查 {s['last_inspected']}",
                    "rows": rows[["item_zh", "state_zh", "action_zh"]].values.tolist(),
                }
            )
        sections.append(
            {"heading": f"第 {d} 天 {r['date']}", "stops": stops,
             "note": r["message"] or f"路程 {r['distance_m'] / 1000:.1f} 公里，合计 {r['total_min']:.0f} 分钟"}
        )  # fmt: skip
    return sections


def _write_patrol(run: Run) -> list[Path]:
    """The GPX track and the printable checklist (Chinese: it goes into the field)."""
    plan, out, params = run.result, run.out, run.params
    start = run.inputs.extras["start"]
    gpx = write_gpx(plan.routes, plan.stops, out / "patrol.gpx", name="巡查路线")
    html = out / "patrol_checklist.html"
    html.write_text(
        _HTML.render(
            title="风险点巡查清单",
            subtitle=f"出发 {start.x},{start.y}，{params.mode}，每天 {params.hours:g} 小时",  # type: ignore[attr-defined]
            sections=_patrol_sections(run),
        ),
        encoding="utf-8",
    )
    return [gpx or out / "patrol.gpx", html]


def _report_patrol(run: Run) -> None:
    plan, lang = run.result, run.view.lang
    table = Table(title=tr("cli_patrol_title", lang))
    for key in ("day", "date", "stops", "red", "km", "minutes", "note"):
        table.add_column(tr(f"cli_patrol_{key}", lang))
    for _, r in plan.routes.iterrows():
        sd = plan.stops[plan.stops["day"] == r["day"]]
        table.add_row(
            str(r["day"]), r["date"], str(r["stops"]), str(int((sd["risk_class"] == "red").sum())),
            f"{r['distance_m'] / 1000:.1f}", f"{r['total_min']:.0f}", r["message"],
        )  # fmt: skip
    console = out_console()
    console.print(table)
    for msg in plan.messages:
        console.print(f"[yellow]{msg}[/]")
    console.print(f"[green]{run.out}[/]")


PATROL = CliSpec(
    "patrol",
    help="Plan patrol routes over the drowning-risk spots: the most risk per hour first.",
    out="out/patrol",
    map_name="patrol_map.html",
    options={
        "hours": Option(
            help="Time budget per day (travel + stops), hours.", annotation=float, default=6.0
        ),
        "mode": Option(help="Travel mode: walk, ebike or car.", annotation=str, default="ebike"),
        "days": Option(help="Most days to plan.", annotation=int, default=1),
        "date": Option(help="First day YYYY-MM-DD (default today)."),
    },
    extras=(
        Extra(
            "start",
            Option(
                help="Start point LON,LAT (WGS84), e.g. a township office.",
                annotation=str,
                default="",
            ),
            load=_parse_lonlat,
        ),
    ),
    # the patrol is for the river chiefs and safety officers: the exact risk spots
    authorised=None,
    authorised_as=True,
    headers={"zh": HEADERS_PATROL},
    check=_check_patrol,
    write=_write_patrol,
    report=_report_patrol,
)


#: What ``--no-authorised`` leaves out of the visit tables: locations, and the legs, times and
#: route length that would trace the way from home to home.
_ROUTE_COLUMNS = ["geometry", "leg_m", "arrival", "distance_m", "travel_min"]


def _check_visits(options: Mapping[str, Any], settings: Settings) -> None:
    if not options.get("village"):
        msg = "--village CODE is required (a village code of the areas layer)"
        raise InputError(msg)


def _visit_tables(run: Any, view: Any) -> dict[str, pd.DataFrame]:
    plan = run.plan
    tables: dict[str, pd.DataFrame] = {
        "schedule": plan.schedule, "overdue": plan.overdue, "due_week": plan.due_week,
        "route": plan.route, "stops": plan.stops, "checklist": plan.checklist,
    }  # fmt: skip
    if not view.authorised:
        # ids and counts only: no household location, no route leading to the homes, and
        # no walking distance or time between homes (legs trace the route; issue 15)
        tables = {
            k: pd.DataFrame(v.drop(columns=_ROUTE_COLUMNS, errors="ignore"))
            for k, v in tables.items()
        }
    return tables


def _write_visits(run: Run) -> list[Path]:
    """The GPX route (authorised only) and the printable checklist (for the director)."""
    plan, out, authorised = run.result.plan, run.out, run.view.authorised
    files = []
    if authorised:
        write_gpx(plan.route, plan.stops, out / "visits.gpx", name="家访路线")
        files.append(out / "visits.gpx")
    stops = []
    for _, s in plan.stops.iterrows():
        rows = plan.checklist[plan.checklist["order"] == s["order"]]
        stops.append(
            {
                "title": f"{int(s['order'])}. 户 {s['household_id']}"
                + (f" 到达 {s['arrival']}" if authorised else "")
                + f"(留守 {s['left_behind']}，困境 {s['in_difficulty']})",
                "rows": [[t, "", "逐项检查"] for t in rows["check_zh"]],
            }
        )
    day = run.params.date or run.inputs.today  # type: ignore[attr-defined]
    html = out / "visits_checklist.html"
    html.write_text(
        _HTML.render(
            title="入户走访清单(仅限儿童主任使用)",
            subtitle=f"村代码 {run.result.village}，{day.isoformat()}，出发点：{plan.depot}",
            sections=[
                {"heading": "今日家访", "note": plan.route["message"].iloc[0], "stops": stops}
            ],
        ),
        encoding="utf-8",
    )
    return [*files, html]


def _report_visits(run: Run) -> None:
    plan, lang = run.result.plan, run.view.lang
    table = Table(title=tr("cli_visits_title", lang, village=run.result.village))
    table.add_column(tr("cli_visits_figure", lang))
    table.add_column(tr("cli_visits_value", lang))
    r = plan.route.iloc[0]
    for key, value in (
        ("scope", len(plan.schedule)),
        ("overdue", len(plan.overdue)),
        ("due_week", len(plan.due_week)),
        ("no_agreement", int(plan.schedule["no_care_agreement"].sum())),
        ("today", int(r["stops"])),
        ("walk_km", f"{r['distance_m'] / 1000:.1f}"),
    ):
        table.add_row(tr(f"cli_visits_{key}", lang), str(value))
    console = out_console()
    console.print(table)
    console.print(f"{tr('cli_visits_start', lang)}: {plan.depot}")
    for msg in plan.messages:
        console.print(f"[yellow]{msg}[/]")
    console.print(f"[green]{run.out}[/]")


VISITS = CliSpec(
    "visits",
    help="Home-visit due lists and a day's walking route for a village's children's director.",
    out="out/visits",
    map_name="visits_map.html",
    options={
        "village": Option(help="Village code (areas.code).", annotation=str, default=""),
        "date": Option(help="Plan date YYYY-MM-DD (default today)."),
    },
    authorised=Option(
        ("--authorised/--no-authorised",),
        help=(
            "For the village's authorised children's director: household locations in the "
            "tables, the GPX route and the map. --no-authorised keeps ids and counts only "
            "and maps aggregate counts."
        ),
        annotation=bool,
        default=True,
    ),
    headers={"zh": HEADERS_VISITS},
    check=_check_visits,
    tables=_visit_tables,
    write=_write_visits,
    report=_report_visits,
)

CLI = (PATROL, VISITS)


def register(app: typer.Typer) -> None:
    """``tongan patrol`` and ``tongan visits`` are generated from the analysis contracts
    (:mod:`api.commands.analyses`)."""
