"""``tongan risk``: drowning-risk spots and the four-ones audit (issue 3)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from api._common import out_console
from api.commands.analyses import CliSpec, Option, Run
from geo.i18n import tr, value_label
from geo.schemas import FOUR_ONES
from geo.settings import Language

if TYPE_CHECKING:
    from analysis.risk import RiskResult

#: Chinese headers of every output column (CSV and Excel).
HEADERS_ZH: dict[str, str] = {
    "spot_id": "风险点编号", "source": "来源", "known_kind": "已知危险点类型", "name": "名称",
    "water_id": "水域编号", "water_name": "水域名称", "water_kind": "水域类型",
    "village_code": "村代码", "village_name": "村", "township_code": "乡镇代码",
    "township_name": "乡镇", "river_chief": "河长", "use": "用途", "hazard": "危险度", "exposure": "暴露度",
    "mitigation": "防护度", "risk": "风险分值", "risk_class": "风险等级",
    "children_near": "步行范围内儿童数", "weighted_children": "加权儿童数",
    "near_households": "近水家庭户数", "schools_near": "步行范围内学校数",
    "pupils_near": "步行范围内学生数", "incidents_near": "附近溺水事件数",
    "has_warning_sign": "有警示牌", "has_life_buoy": "有救生圈", "has_rescue_rope": "有救生绳",
    "has_rescue_pole": "有救生杆", "fenced": "有防护栏", "missing_items": "缺少设施",
    "n_missing": "缺少四个一件数", "fence_needed_m": "需防护栏长度(米)",
    "last_inspected": "最近检查日期", "explanation": "说明", "place": "位置", "length_m": "长度(米)",
    "spots": "风险点数", "red": "红色", "yellow": "黄色", "green": "绿色",
    "lacking_any": "缺少设施的风险点数", "warning_sign": "需购警示牌", "life_buoy": "需购救生圈",
    "rescue_rope": "需购救生绳", "rescue_pole": "需购救生杆", "fence_m": "需购防护栏(米)",
    "item": "物资", "count": "数量", "metres": "长度(米)", "lon": "经度", "lat": "纬度",
}  # fmt: skip

SHEETS_ZH = {
    "spots": "风险点",
    "reaches": "河段",
    "villages": "按村汇总",
    "townships": "按乡镇汇总",
    "chiefs": "按河长汇总",
    "procurement": "采购清单",
}

#: The texts of this command are the catalogue's ``cli_risk_*`` messages (geo/messages/cli.py).


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"cli_risk_{key}", lang, **values)


def _report(run: Run) -> None:
    _print_summary(run.result, run.view.lang, run.out)


CLI = CliSpec(
    "risk",
    help="Drowning-risk spots near homes, the four-ones audit and the procurement list.",
    out="out/risk",
    options={
        "date": Option(help="Date assessed, YYYY-MM-DD (default: today); season factors apply.")
    },
    authorised=Option(
        ("--authorised",),
        help=(
            "Draw household points on the map and write exact counts (authorised roles "
            "only); without it counts near each spot are rounded to 5."
        ),
    ),
    headers={"zh": HEADERS_ZH},
    sheets={"zh": SHEETS_ZH},
    report=_report,
)


def _print_summary(result: RiskResult, lang: Language, out_dir: Path) -> None:
    from maps.risk import spot_label

    out = out_console()
    spots = result.spots
    season = (_t("flood", lang) if result.flood_season else "") + (
        _t("summer", lang) if result.summer_holiday else ""
    )
    out.print(_t("date", lang, date=result.date.isoformat(), season=season))
    table = Table(title=_t("by_class", lang))
    for key in ("class", "spots", "lacking"):
        table.add_column(_t(key, lang))
    for cls in ("red", "yellow", "green"):
        sub = spots.loc[spots["risk_class"] == cls]
        table.add_row(_t(cls, lang), str(len(sub)), str(int((sub["n_missing"] > 0).sum())))
    table.add_row(
        _t("total", lang), str(len(spots)), str(int((spots["n_missing"] > 0).sum())), style="bold"
    )
    out.print(table)

    worst = spots.loc[spots["n_missing"] > 0].head(10)
    if len(worst):
        wt = Table(title=_t("worst", lang))
        for key in ("spot", "risk", "village", "missing"):
            wt.add_column(_t(key, lang))
        for _, row in worst.iterrows():
            missing = "、".join(
                value_label(c, lang) for c in str(row["missing_items"]).split(";") if c
            )
            wt.add_row(
                spot_label(row, lang),
                f"{row['risk']:.0f} {_t(str(row['risk_class']), lang)}",
                str(row["village_name"] or row["village_code"]),
                missing,
            )
        out.print(wt)

    pt = Table(title=_t("procurement", lang))
    for key in ("item", "count", "metres"):
        pt.add_column(_t(key, lang))
    for _, row in result.procurement.iterrows():
        item = str(row["item"])
        metres = f"{row['metres']:.0f}" if item not in FOUR_ONES else ""
        pt.add_row(value_label(item, lang), str(int(row["count"])), metres)
    out.print(pt)
    for note in result.notes:
        out.print(f"[yellow]{_t('note', lang)}:[/] {note.render(lang)}", highlight=False)
    out.print(f"[green]{_t('wrote', lang, path=out_dir)}[/]")


def register(app: typer.Typer) -> None:
    """``tongan risk`` is generated from the analysis contract (:mod:`api.commands.analyses`)."""
