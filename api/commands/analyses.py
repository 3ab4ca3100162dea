"""One ``tongan <analysis>`` command per registered analysis, generated from its contract.

Each option is a field of the analysis's parameters (the same pydantic model as the map page's
form and ``/api/<path>``'s query), plus what every analysis command takes: the layers, ``--out``,
``--authorised``, ``--crs``, ``--columns``, ``--lang``, and the extra tables the analysis declares
(:attr:`analysis.registry.Analysis.extras`, one ``--<name> FILE`` each). The command writes the
result's tables (:func:`geo.export.write_tables`) and map (:func:`api.map_files.save_map`) into
``--out`` and prints the figures and the notes.

Analyses whose command has its own module here (``cli=False`` in their contract: ``tongan
risk``, ``coverage``, ``site``, ``flood-review``, ``patrol``, ``visits``) are not generated.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from pydantic import BaseModel, ValidationError
from rich.table import Table

from analysis.registry import Analysis, Inputs, View, analyses
from api._common import (
    ColumnsOption,
    CrsOption,
    LangOption,
    SourceArg,
    handle_errors,
    load_valid_layers,
    out_console,
    resolve_lang,
)
from geo.errors import InputError
from geo.i18n import tr


def read_table(path: Path, *, option: str) -> pd.DataFrame:
    """A CSV (UTF-8, with or without BOM) or Excel table given to ``--<option>``."""
    if not path.exists():
        msg = f"--{option} {path} does not exist; give a .csv or .xlsx table"
        raise InputError(msg)
    if path.suffix.lower() in {".xlsx", ".xls"}:
        return pd.read_excel(path, dtype=str)
    try:
        return pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        msg = f"--{option} {path}: not a UTF-8 CSV table ({exc}); save it as CSV UTF-8 or .xlsx"
        raise InputError(msg) from None


def parse_params(analysis: Analysis, values: dict[str, Any]) -> BaseModel:
    """The analysis's parameters from the options given; a bad value is exit 2 naming it."""
    given = {k: v for k, v in values.items() if v is not None}
    try:
        return analysis.params.model_validate(given)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "--" + str(first["loc"][0]).replace("_", "-") if first["loc"] else "options"
        msg = f"{field}: {first['msg']}"
        raise InputError(msg) from None


def run_command(analysis: Analysis, options: dict[str, Any]) -> None:
    """Load, run, write the tables and the map, print the figures and the notes."""
    import datetime as dt

    from api.map_files import save_map
    from geo.export import write_tables
    from maps.registry import MapContext, draw

    lang = resolve_lang(options.pop("lang"))
    out: Path = options.pop("out") or Path("out") / analysis.route
    authorised: bool = options.pop("authorised")
    source, crs, columns = options.pop("source"), options.pop("crs"), options.pop("columns")
    extras = {
        name: read_table(path, option=name)
        for name in analysis.extras
        if (path := options.pop(name, None)) is not None
    }
    params = parse_params(analysis, options)
    from geo.settings import get_settings

    settings = get_settings()
    layers = load_valid_layers(source, crs=crs, columns=columns, lang=lang)
    inputs = Inputs(
        layers, layers.to_metric(), settings, dt.date.today(), authorised=authorised, extras=extras
    )
    result = analysis.compute(inputs, params)
    view = View(authorised, settings, lang)
    written = write_tables(analysis.tables(result, view), out, stem=analysis.route, lang=lang)
    ctx = MapContext(inputs.layers, inputs.metric, settings, lang, authorised)
    html = save_map(draw(analysis.name, result, ctx), out / f"{analysis.route}.html")
    _print(analysis, result, view, [*written.csv, written.excel, html])


def _print(analysis: Analysis, result: object, view: View, paths: list[Path | None]) -> None:
    console = out_console()
    table = Table(title=analysis.label(view.lang))
    table.add_column(tr("cli_figure", view.lang))
    table.add_column(tr("cli_value", view.lang), justify="right")
    for figure in analysis.figures(result, view):
        table.add_row(*figure.render(view.lang, view))
    console.print(table)
    for note in analysis.notes(result):
        console.print(f"[yellow]{tr('cli_note', view.lang)}:[/] {note.render(view.lang)}")
    for path in paths:
        if path is not None:
            console.print(tr("cli_wrote", view.lang, path=path), highlight=False)


def _option(name: str, annotation: Any, help_text: str) -> inspect.Parameter:
    flag = "--" + name.replace("_", "-")
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[annotation, typer.Option(flag, help=help_text)],
    )


def command_of(analysis: Analysis) -> Callable[..., None]:
    """The typer command of an analysis: one option per parameter and per extra table."""

    def command(**options: Any) -> None:
        run_command(analysis, options)

    params = [
        inspect.Parameter(
            "source", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=SourceArg
        )
    ]
    for name, info in analysis.params.model_fields.items():
        params.append(_option(name, str | None, info.description or name))
    for name, help_text in analysis.extras.items():
        params.append(_option(name, Path | None, f"{help_text} (.csv or .xlsx)"))
    params += [
        _option("out", Path | None, f"Output folder (default out/{analysis.route})."),
        inspect.Parameter(
            "authorised",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[
                bool, typer.Option("--authorised", help="Household detail (authorised roles).")
            ],
        ),
        inspect.Parameter(
            "crs", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=CrsOption
        ),
        inspect.Parameter(
            "columns", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ColumnsOption
        ),
        inspect.Parameter(
            "lang", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=LangOption
        ),
    ]
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__name__ = analysis.route.replace("-", "_")
    command.__doc__ = f"{analysis.label('zh')} / {analysis.label('en')}: {analysis.ask('en')}"
    return command


def register(app: typer.Typer) -> None:
    """Add a command for every registered analysis without a command module of its own."""
    for analysis in analyses().values():
        if analysis.cli:
            app.command(analysis.route)(handle_errors(command_of(analysis)))
