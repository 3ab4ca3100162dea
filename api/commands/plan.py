"""``tongan plan``: the county's flood-season plan in one command (issue 23).

Every analysis of the registry runs once on one road network for one date
(:func:`analysis.plan.run_plan`); the plan is written as one printable report (``plan.html`` and
the A4 ``plan.pdf``, printed by Debian's chromium), one workbook (``plan.xlsx``, every table,
Chinese sheet names) and one GeoPackage (``plan.gpkg``), with the maps as images in ``maps/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
from geo.i18n import tr

if TYPE_CHECKING:
    from analysis.plan import Plan
    from api.plan_report import PlanFiles
    from geo.settings import Language


@handle_errors
def plan(
    source: SourceArg = None,
    date: Annotated[
        str | None, typer.Option(help="Plan date YYYY-MM-DD (default today): season, visits due.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("out/plan"),
    authorised: Annotated[
        bool,
        typer.Option(
            help="Exact counts and household detail (the civil-affairs office's own edition); "
            "without it every count of children and households is rounded."
        ),
    ] = False,
    pdf: Annotated[bool, typer.Option(help="Print plan.pdf with chromium.")] = True,
    crs: CrsOption = None,
    columns: ColumnsOption = None,
    lang: LangOption = None,
) -> None:
    """The county's plan: every analysis once, one report (HTML + PDF), one workbook."""
    from analysis.plan import run_plan
    from analysis.registry import Inputs, analyses
    from api.plan_report import write_plan
    from geo.settings import get_settings

    language = resolve_lang(lang)
    day = parse_date(date)
    layers = load_valid_layers(source, crs=crs, columns=columns, lang=language)
    settings = get_settings()
    stages = 1 + len(analyses()) + 3 + int(pdf)
    with progress_steps(stages, tr("plan_running", language)) as step:

        def say(name: str) -> None:
            found = analyses().get(name)
            step(found.label(language) if found else tr(f"plan_stage_{name}", language))

        inputs = Inputs(layers, layers.to_metric(), settings, day, authorised)
        result = run_plan(inputs, progress=say)
        files = write_plan(result, inputs, out, lang=language, pdf=pdf, progress=say)
    _report(result, files, language)


def _report(result: Plan, files: PlanFiles, lang: Language) -> None:
    """Each analysis with its time (or why it failed), then the files written."""
    console = out_console()
    for part in result.parts:
        title = part.analysis.label(lang)
        line = tr("plan_part_seconds", lang, title=title, seconds=part.seconds)
        if part.failure is not None:
            line += f" [red]{part.failure.render(lang)}[/]"
        console.print(line, highlight=False)
    for path in (files.html, files.pdf, files.workbook, files.geopackage):
        if path is not None:
            console.print(tr("plan_wrote", lang, path=path), highlight=False)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
