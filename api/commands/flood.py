"""``tongan flood-review``: the flood-season review around schools and child institutions."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
import typer
from rich.table import Table

from analysis.flood import CHECK_ITEMS, LEVELS, OFFICES, STATUS, WHY, FloodReview
from api._common import out_console
from api.commands.analyses import CliSpec, Extra, Option, Run
from geo.i18n import MESSAGES, tr, value_label
from geo.raster import read_dem
from geo.settings import Language

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

#: The texts of this command are the catalogue's ``cli_flood_*`` messages (geo/messages/cli.py).

HEADERS_ZH: dict[str, str] = {
    "id": "编号", "name": "名称", "kind": "类型", "layer": "来源图层", "exposed": "涉及儿童/学生数",
    "exposed_source": "人数来源", "nearest_water_m": "最近水域距离(米)",
    "nearest_water_kind": "最近水域类型", "nearest_water_id": "最近水域编号",
    "flood_zone_m": "距洪水淹没区(米)", "flood_zone_id": "洪水淹没区编号",
    "flood_zone_status": "洪水淹没区", "landslide_zone_m": "距滑坡区(米)",
    "landslide_zone_ids": "附近滑坡区", "dangerous_wall_m": "距危墙(米)",
    "dangerous_wall_ids": "附近危墙", "dangerous_building_m": "距危房(米)",
    "dangerous_building_ids": "附近危房", "incidents_near": "附近溺水事件数",
    "max_slope_deg": "最大坡度(度)", "dem_coverage": "高程覆盖", "escape_status": "撤离路线",
    "escape_m": "撤离距离(米)", "escape_why": "无法撤离原因", "level": "隐患等级",
    "reasons": "原因代码", "reasons_zh": "原因", "reasons_en": "原因(英文)", "office": "责任部门",
    "institution_id": "机构编号", "item": "检查项", "status": "结果", "detail_zh": "说明",
    "detail_en": "说明(英文)", "distance_m": "撤离距离(米)",
    **{f"water_{k}_m": f"距{value_label(k)}(米)" for k in
       ("river", "canal", "stream", "ditch", "pond", "reservoir", "lake")},
}  # fmt: skip
SHEETS_ZH = {"institutions": "机构排查", "checklist": "检查清单", "routes": "撤离路线"}


def _t(key: str, lang: Language) -> str:
    return MESSAGES[f"cli_flood_{key}"][lang]


def _escape_text(row: pd.Series, lang: Language) -> str:
    status = str(row["escape_status"])
    if status == "ok":
        return _t("escape_ok", lang).format(d=float(row["escape_m"]))
    if status == "unreachable":
        why = WHY.get(str(row["escape_why"]), WHY[""])[lang]
        return _t("escape_unreachable", lang).format(why=why)
    return _t("escape_not_needed", lang)


def render_report(review: FloodReview, *, lang: Language = "zh") -> str:
    """The printable HTML report: a summary, then one section per institution (high first)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    inst = review.institutions
    exposed = review.exposed_by_level()
    counts = review.counts()
    summary = [
        {"code": lv, "label": value_label(lv, lang), "count": counts[lv], "exposed": exposed[lv]}
        for lv in LEVELS
    ]
    order = inst.assign(_r=inst["level"].map({lv: i for i, lv in enumerate(LEVELS)}))
    order = order.sort_values(["_r", "id"], kind="stable")
    sections = []
    for _, r in order.iterrows():
        checks = review.checklist.loc[review.checklist["institution_id"] == r["id"]]
        sections.append(
            {
                "id": r["id"],
                "name": r["name"],
                "kind": value_label(str(r["kind"]), lang),
                "level": r["level"],
                "level_label": value_label(str(r["level"]), lang),
                "exposed": r["exposed"] if pd.notna(r["exposed"]) else _t("unknown", lang),
                "office": OFFICES[str(r["office"])][lang],
                "escape": _escape_text(r, lang),
                "reasons": r[f"reasons_{lang}"],
                "checks": [
                    {
                        "item": CHECK_ITEMS[str(c["item"])][lang],
                        "code": c["status"],
                        "status": STATUS[str(c["status"])][lang],
                        "detail": c[f"detail_{lang}"],
                    }
                    for _, c in checks.iterrows()
                ],
            }
        )
    sep = tr("cli_list_sep", lang)
    return env.get_template("flood_report.html.j2").render(
        lang=lang,
        t={
            c.removeprefix("cli_flood_"): m[lang]
            for c, m in MESSAGES.items()
            if c.startswith("cli_flood_")
        },
        date=review.date.isoformat(),
        reviews=sep.join(r.label(lang) for r in review.reviews),
        dem_used=review.dem_used,
        summary=summary,
        sections=sections,
    )


def _write(run: Run) -> list[Path]:
    """The printable HTML report (``flood_report.html``)."""
    report = run.out / "flood_report.html"
    report.write_text(render_report(run.result, lang=run.view.lang), encoding="utf-8")
    return [report]


def _report(run: Run) -> None:
    """Institutions per hazard level, the flagged ones with their reasons, the reviews due."""
    review: FloodReview = run.result
    language = run.view.lang
    out = out_console()
    table = Table(title=f"{_t('title', language)} {review.date.isoformat()}")
    for key in ("level", "count", "exposed"):
        table.add_column(_t(key, language))
    counts, exposed = review.counts(), review.exposed_by_level()
    for lv in LEVELS:
        table.add_row(value_label(lv, language), str(counts[lv]), str(exposed[lv]))
    table.add_row(_t("total", language), str(sum(counts.values())), str(sum(exposed.values())))
    out.print(table)
    flagged = review.institutions.loc[review.institutions["level"] != "low"]
    for _, r in flagged.iterrows():
        text = r[f"reasons_{language}"]
        out.print(
            f"[bold]{r['name']}[/] ({value_label(str(r['level']), language)}): {text}",
            highlight=False,
        )
    due = tr("cli_list_sep", language).join(r.label(language) for r in review.reviews)
    out.print(f"{_t('reviews_due', language)}: {due or _t('no_reviews', language)}")
    if review.dem_used:
        outside = int((review.institutions["dem_coverage"] == "outside").sum())
        if outside:
            out.print(f"[yellow]{tr('cli_outside_dem', language, n=outside)}[/]")
    written = run.written
    csv = written.csv if written else ()
    excel = [written.excel] if written and written.excel else []
    paths = [str(p) for p in (*csv, *excel, *run.files)]
    out.print(f"{_t('written', language)}: " + ", ".join(paths), highlight=False)


CLI = CliSpec(
    "flood",
    help="Flood-season review: hazards around schools and child institutions, reviews due.",
    out="out/flood-review",
    stem="flood_review",
    map_name="flood_map.html",
    options={
        "date": Option(help="Review date YYYY-MM-DD (default: today)."),
        "region": Option(
            help="Flood-season preset: south or north (default: the setting).",
            annotation=Literal["south", "north"] | None,
        ),
    },
    extras=(
        Extra(
            "dem",
            Option(help="Elevation raster (GeoTIFF) for the slope check.", annotation=Path | None),
            load=read_dem,
        ),
    ),
    # children served, summed from households: rounded in the files (issue 15)
    authorised=None,
    authorised_as=False,
    headers={"zh": HEADERS_ZH},
    sheets={"zh": SHEETS_ZH},
    write=_write,
    report=_report,
)


def register(app: typer.Typer) -> None:
    """``tongan flood-review`` is generated from the analysis contract
    (:mod:`api.commands.analyses`)."""
