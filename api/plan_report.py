"""The county's plan as people read it: one printable report (HTML and A4 PDF), one workbook and
one GeoPackage, from a :class:`analysis.plan.Plan`.

Each analysis gives a chapter: its question, its figures (:attr:`Analysis.figures`, as the
single command prints them), its map photographed offline in chromium from the same map code
(:mod:`maps.registry`, :class:`api.printing.Printer`), its notes and its tables (the first rows;
every row is in the workbook). A section per township lists the rows of every table that names
the township. Tables carry the same headers and sheet names as the single commands
(:class:`api.commands.analyses.CliSpec`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from analysis.plan import Part, Plan
from analysis.registry import Inputs, View
from api.commands.analyses import CliSpec, specs
from api.printing import Printer
from geo.export import for_people, write_tables
from geo.i18n import tr
from geo.settings import Language

__all__ = ["PlanFiles", "write_plan"]

TEMPLATES = Path(__file__).with_name("templates")
#: Rows of a table printed in its chapter, and in a township's section.
CHAPTER_ROWS = 40
TOWNSHIP_ROWS = 25
WORKBOOK = "plan.xlsx"


@dataclass(frozen=True)
class PlanFiles:
    """What :func:`write_plan` wrote."""

    html: Path
    pdf: Path | None
    workbook: Path
    geopackage: Path | None
    images: tuple[Path, ...] = ()
    seconds: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Table:
    key: str  # the workbook's table key: <analysis>_<table>
    title: str
    frame: pd.DataFrame
    headers: Mapping[str, str]


def _spec(specs_: Mapping[str, CliSpec], name: str) -> CliSpec:
    return specs_.get(name) or CliSpec(name)


def _tables(part: Part, view: View, spec: CliSpec) -> list[_Table]:
    """The part's tables with their titles (the command's sheet names) and headers."""
    sheets = spec.sheets.get(view.lang, {})
    headers = spec.headers.get(view.lang, {})
    frames = (spec.tables or part.analysis.tables)(part.result, view)
    return [
        _Table(f"{part.analysis.name}_{name}", sheets.get(name, name), frame, headers)
        for name, frame in frames.items()
        if len(frame.columns)
    ]


def _html_table(frame: pd.DataFrame, headers: Mapping[str, str], lang: Language, rows: int) -> str:
    plain = for_people(frame.head(rows), headers, lang)
    return plain.to_html(index=False, na_rep="", border=0, escape=True)


def _more(table: _Table, shown: int, total: int, lang: Language) -> str:
    if total <= shown:
        return ""
    return tr("plan_more_rows", lang, n=total, shown=shown, workbook=WORKBOOK, sheet=table.title)


def _block(table: _Table, lang: Language, rows: int) -> dict[str, str]:
    frame = table.frame
    return {
        "title": table.title,
        "html": _html_table(frame, table.headers, lang, rows),
        "more": _more(table, min(rows, len(frame)), len(frame), lang),
    }


def _chapter(part: Part, view: View, tables: list[_Table], image: str | None) -> dict[str, Any]:
    lang = view.lang
    analysis = part.analysis
    chapter: dict[str, Any] = {
        "id": f"part-{analysis.name}",
        "title": analysis.label(lang),
        "question": analysis.ask(lang),
        "failed": part.failure.render(lang) if part.failure is not None else "",
        "figures": [],
        "tables": [],
        "notes": [],
        "image": image,
    }
    if part.ok:
        chapter["figures"] = [f.render(lang, view) for f in analysis.figures(part.result, view)]
        chapter["notes"] = [n.render(lang) for n in analysis.notes(part.result)]
        chapter["tables"] = [_block(t, lang, CHAPTER_ROWS) for t in tables if len(t.frame)]
    return chapter


def _townships(inputs: Inputs, tables: list[_Table], lang: Language) -> list[dict[str, Any]]:
    """Per township, the rows of every table that names it (``township_code``)."""
    areas = inputs.layers.areas
    towns = areas.loc[areas["level"] == "township"].sort_values("code")
    out = []
    for code, name in zip(towns["code"].astype(str), towns["name"], strict=True):
        parts = []
        for table in tables:
            frame = table.frame
            if "township_code" not in frame.columns:
                continue
            rows = frame.loc[frame["township_code"].astype(str) == code]
            if len(rows):
                part = _Table(table.key, table.title, rows, table.headers)
                parts.append(_block(part, lang, TOWNSHIP_ROWS))
        out.append({"id": f"town-{html.escape(code)}", "name": f"{name}({code})", "parts": parts})
    return out


def _area_name(inputs: Inputs) -> str:
    areas = inputs.layers.areas
    for level in ("county", "township", "village"):
        named = areas.loc[areas["level"] == level, "name"]
        if len(named):
            return str(named.iloc[0])
    return ""


def _render(inputs: Inputs, view: View, chapters: list[dict[str, Any]], towns: list[Any]) -> str:
    lang = view.lang
    area = _area_name(inputs)
    base = view.settings.privacy.round_base
    scope = "plan_scope_authorised" if view.authorised else "plan_scope_public"
    plan = {
        "title": tr("plan_title", lang, area=area),
        "subtitle": tr("plan_subtitle", lang),
        "date_line": tr("plan_date_line", lang, date=inputs.today.isoformat()),
        "made_by": tr("plan_made_by", lang, made=dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        "scope_line": tr(scope, lang, base=base),
        "sections": chapters,
        "townships": towns,
    }
    labels = {
        k: tr(f"plan_{k}", lang) for k in ("contents", "summary", "townships", "nothing_here")
    }
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["j2"])
    )
    return env.get_template("plan.html.j2").render(plan=plan, t=labels, lang=lang)


def _map_image(part: Part, inputs: Inputs, view: View, printer: Printer, out: Path) -> Path:
    from maps.registry import MapContext, draw

    ctx = MapContext(inputs.layers, inputs.metric, inputs.settings, view.lang, view.authorised)
    return printer.map_png(
        draw(part.analysis.name, part.result, ctx), out / f"{part.analysis.name}.png"
    )


def _workbook(tables: list[_Table], out: Path, lang: Language) -> tuple[Path, Path | None]:
    sheets: dict[str, str] = {}
    for table in tables:
        title = table.title if table.title not in sheets.values() else f"{table.title}-{table.key}"
        sheets[table.key] = title
    written = write_tables(
        {t.key: t.frame for t in tables},
        out,
        stem="plan",
        sheet_names=sheets,
        lang=lang,
        csv=False,
        table_headers={t.key: t.headers for t in tables},
    )
    return written.excel, written.geopackage


def write_plan(
    plan: Plan,
    inputs: Inputs,
    out: Path,
    *,
    lang: Language = "zh",
    chromium: str | Path | None = None,
    pdf: bool = True,
    progress: Callable[[str], None] | None = None,
) -> PlanFiles:
    """Write the plan's report (``plan.html``, ``plan.pdf``), workbook and GeoPackage to ``out``.

    Parameters
    ----------
    plan
        The analyses' results (:func:`analysis.plan.run_plan` on ``inputs``).
    inputs
        What the plan ran on (layers, settings, date, role).
    out
        Output folder; map images go to ``out/maps``.
    lang
        Language of the report and the workbook.
    chromium
        The browser that photographs the maps and prints the PDF (:func:`api.printing.find_chromium`).
    pdf
        Whether to print the PDF (the HTML report and its map images are always written).
    progress
        Called with each stage's name (``maps``, ``report``, ``pdf``, ``workbook``).
    """
    say = progress or (lambda _stage: None)
    out.mkdir(parents=True, exist_ok=True)
    (out / "maps").mkdir(exist_ok=True)
    view = View(plan.authorised, inputs.settings, lang)
    declared = specs()
    chapters, tables, images = [], [], []
    with Printer(chromium) as printer:
        say("maps")
        for part in plan.parts:
            found = _tables(part, view, _spec(declared, part.analysis.name)) if part.ok else []
            image = _map_image(part, inputs, view, printer, out / "maps") if part.ok else None
            images += [image] if image else []
            tables += found
            rel = f"maps/{image.name}" if image else None
            chapters.append(_chapter(part, view, found, rel))
        say("report")
        page = out / "plan.html"
        page.write_text(_render(inputs, view, chapters, _townships(inputs, tables, lang)), "utf-8")
        printed = None
        if pdf:
            say("pdf")
            printed = printer.pdf(
                page, out / "plan.pdf", title=tr("plan_title", lang, area=_area_name(inputs))
            )
    say("workbook")
    workbook, gpkg = _workbook(tables, out, lang)
    return PlanFiles(page, printed, workbook, gpkg, tuple(images), plan.seconds)
