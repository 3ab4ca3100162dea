"""``tongan risk``: drowning-risk spots and the four-ones audit (issue 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from api._common import (
    ColumnsOption,
    CrsOption,
    LangOption,
    SourceArg,
    handle_errors,
    load_valid_layers,
    out_console,
    parse_date,
    progress_steps,
    resolve_lang,
)
from api.map_files import save_map
from geo.i18n import value_label
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

TEXT: dict[str, dict[str, str]] = {
    "step": {"zh": "溺水风险分析", "en": "drowning risk"},
    "by_class": {"zh": "风险点分级", "en": "Spots by class"},
    "class": {"zh": "等级", "en": "Class"},
    "spots": {"zh": "风险点数", "en": "Spots"},
    "lacking": {"zh": "缺少四个一设施", "en": "Lacking an item"},
    "red": {"zh": "红色", "en": "red"},
    "yellow": {"zh": "黄色", "en": "yellow"},
    "green": {"zh": "绿色", "en": "green"},
    "total": {"zh": "合计", "en": "total"},
    "procurement": {
        "zh": "采购清单(使全部红、黄风险点配齐)",
        "en": "Procurement (to equip every red and yellow spot)",
    },
    "item": {"zh": "物资", "en": "Item"},
    "count": {"zh": "数量", "en": "Count"},
    "metres": {"zh": "米", "en": "metres"},
    "worst": {"zh": "缺少设施的高风险点(前10)", "en": "Riskiest spots lacking items (top 10)"},
    "spot": {"zh": "风险点", "en": "Spot"},
    "risk": {"zh": "风险", "en": "Risk"},
    "village": {"zh": "村", "en": "Village"},
    "missing": {"zh": "缺少", "en": "Missing"},
    "date": {"zh": "评估日期 {date}{season}", "en": "Assessed for {date}{season}"},
    "flood": {"zh": " · 汛期", "en": " · flood season"},
    "summer": {"zh": " · 暑假", "en": " · summer holidays"},
    "wrote": {"zh": "已写出:{path}", "en": "Wrote: {path}"},
    "note": {"zh": "注意", "en": "Note"},
}


def _t(key: str, lang: Language, **values: object) -> str:
    return TEXT[key][lang].format(**values)


def _parse_date(value: str | None) -> dt.date:
    return parse_date(value)


def risk(
    source: SourceArg = None,
    date: Annotated[
        str | None,
        typer.Option(help="Date assessed, YYYY-MM-DD (default: today); season factors apply."),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for risk.gpkg, CSVs, risk.xlsx and risk.html.")
    ] = Path("out/risk"),
    authorised: Annotated[
        bool,
        typer.Option(
            "--authorised",
            help=(
                "Draw household points on the map and write exact counts (authorised roles "
                "only); without it counts near each spot are rounded to 5."
            ),
        ),
    ] = False,
    crs: CrsOption = None,
    columns: ColumnsOption = None,
    lang: LangOption = None,
) -> None:
    """Drowning-risk spots near homes, the four-ones audit and the procurement list."""
    from analysis.privacy import aggregate_households
    from analysis.risk import assess_risk
    from geo.export import write_tables
    from geo.i18n import in_language
    from geo.network import build_network
    from geo.settings import get_settings
    from maps.risk import risk_map

    language = resolve_lang(lang)
    day = _parse_date(date)
    settings = get_settings()
    layers = load_valid_layers(source, crs=crs, columns=columns, lang=language)
    with progress_steps(4, _t("step", language)) as step:
        metric = layers.to_metric()
        network = build_network(metric.roads)
        step("network")
        result = assess_risk(metric, settings=settings, date=day, network=network)
        if not authorised:  # counts near each spot rounded (issue 15)
            result = result.public(settings.privacy)
        step("spots")
        tables = {
            "spots": in_language(result.spots, language),
            "reaches": result.reaches,
            "villages": result.summary_village,
            "townships": result.summary_township,
            "chiefs": result.summary_chief,
            "procurement": result.procurement,
        }
        headers = HEADERS_ZH if language == "zh" else {}
        sheets = SHEETS_ZH if language == "zh" else {}
        write_tables(
            tables, out_dir, stem="risk", headers=headers, sheet_names=sheets, lang=language
        )
        step("tables")
        cells = aggregate_households(
            metric.households, columns=["children"], settings=settings.privacy
        )
        m = risk_map(result, metric, lang=language, authorised=authorised, child_cells=cells)
        save_map(m, out_dir / "risk.html")
        step("map")
    _print_summary(result, language, out_dir)


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
    """Register ``tongan risk`` on the app."""
    app.command("risk")(handle_errors(risk))
