"""One ``tongan <analysis>`` command per registered analysis, generated from its contract.

Each option is a field of the analysis's parameters (the same pydantic model as the map page's
form and ``/api/<path>``'s query), plus what every analysis command takes: the layers, ``--out``,
``--authorised``, ``--crs``, ``--columns``, ``--lang``, and the extra inputs the analysis declares
(:attr:`analysis.registry.Analysis.extras`, one ``--<name> FILE`` each, read as a table). The
command runs the analysis as the server does, writes the result's tables
(:func:`geo.export.write_tables`) and its map (:func:`api.map_files.save_map`, drawn by
:mod:`maps.registry`) into ``--out`` and prints the figures and the notes.

A command module of this package may declare a :class:`CliSpec` (``CLI = CliSpec(...)``) for
what its command keeps of its own: flags and defaults of options, extra inputs, Chinese headers,
bespoke files (a printable report, a GPX track) and its own printout.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
    parse_date,
    progress_steps,
    resolve_lang,
)
from geo.errors import InputError
from geo.i18n import tr
from geo.settings import Language, Settings

if TYPE_CHECKING:
    from geo.export import Written

__all__ = ["CliSpec", "Extra", "Option", "Run", "command_of", "read_table", "register"]


@dataclass(frozen=True)
class Option:
    """How one option is spelt: its flags, help, typer annotation, default and least value."""

    flags: tuple[str, ...] = ()
    help: str = ""
    annotation: Any = None
    default: Any = None
    min: float | None = None


@dataclass(frozen=True)
class Extra:
    """An extra input of a command, passed to the analysis in :attr:`Inputs.extras` after
    ``load`` (value -> what the analysis takes; the value itself when None)."""

    name: str
    option: Option
    load: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Run:
    """One command run: what the bespoke writers and printouts of a :class:`CliSpec` read."""

    analysis: Analysis
    result: Any
    inputs: Inputs
    view: View
    params: BaseModel
    out: Path
    options: Mapping[str, Any]
    written: Written | None = None
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class CliSpec:
    """What the command of one analysis keeps of its own (everything else is generated).

    Attributes
    ----------
    analysis
        The registered analysis's name.
    command, help
        The command's name (the analysis's route by default) and its help line.
    out, stem, map_name
        Default output folder, the tables' file stem and the map's file name.
    options
        Per parameter: its flags, help and default on the command line.
    extras
        Extra inputs (:class:`Extra`).
    authorised
        The ``--authorised`` option; None for a command without one, which runs as
        ``authorised_as``. ``map_authorised`` draws the map for another role than the tables.
    headers, sheets
        Per language, column headers and sheet names of the files.
    check
        Checks of the options before anything is read (a clear error naming the option).
    tables
        The tables written, when they are not the contract's.
    write, report
        Bespoke files (returns their paths) and the printout, when not the generated one.
    """

    analysis: str
    command: str = ""
    help: str = ""
    out: str = ""
    stem: str = ""
    map_name: str = ""
    options: Mapping[str, Option] = field(default_factory=dict)
    extras: tuple[Extra, ...] = ()
    authorised: Option | None = Option(
        ("--authorised",), help="Household detail and exact counts (authorised roles only)."
    )
    authorised_as: bool = False
    map_authorised: bool | None = None
    headers: Mapping[Language, Mapping[str, str]] = field(default_factory=dict)
    sheets: Mapping[Language, Mapping[str, str]] = field(default_factory=dict)
    check: Callable[[Mapping[str, Any], Settings], None] | None = None
    tables: Callable[[Any, View], Mapping[str, pd.DataFrame]] | None = None
    write: Callable[[Run], list[Path]] | None = None
    report: Callable[[Run], None] | None = None


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


def parse_params(analysis: Analysis, values: Mapping[str, Any]) -> BaseModel:
    """The analysis's parameters from the options given; a bad value is exit 2 naming it."""
    given = {k: v for k, v in values.items() if v is not None}
    for name, value in given.items():
        if isinstance(value, str) and "date" in str(analysis.params.model_fields[name].annotation):
            given[name] = parse_date(value, option="--" + name.replace("_", "-"))
    try:
        return analysis.params.model_validate(given)
    except ValidationError as exc:
        first = exc.errors()[0]
        flag = "--" + str(first["loc"][0]).replace("_", "-") if first["loc"] else "options"
        msg = f"{flag} {given.get(str(first['loc'][0]) if first['loc'] else '', '')!r}: {first['msg']}"
        raise InputError(msg) from None


def _spec_of(analysis: Analysis, specs: Mapping[str, CliSpec]) -> CliSpec:
    return specs.get(analysis.name) or CliSpec(analysis.name)


def _extras(spec: CliSpec, analysis: Analysis, options: dict[str, Any]) -> dict[str, Any]:
    """The extra inputs given, loaded; an analysis's undeclared extras are read as tables."""
    declared = {e.name: e for e in spec.extras}
    out: dict[str, Any] = {}
    for name in (*declared, *(n for n in analysis.extras if n not in declared)):
        value = options.pop(name, None)
        if value is None or value == "":
            continue
        extra = declared.get(name)
        if extra is None:
            out[name] = read_table(value, option=name.replace("_", "-"))
        else:
            out[name] = extra.load(value) if extra.load else value
    return out


def run_command(analysis: Analysis, spec: CliSpec, options: dict[str, Any]) -> None:
    """Check, load, run, write the tables, the map and the bespoke files, then print."""
    from api.map_files import save_map
    from geo.export import write_tables
    from geo.settings import get_settings
    from maps.registry import MapContext, draw

    lang = resolve_lang(options.pop("lang"))
    settings = get_settings()
    if spec.check is not None:
        spec.check(options, settings)
    route = spec.command or analysis.route
    out: Path = options.pop("out") or Path(spec.out or f"out/{route}")
    authorised: bool = options.pop("authorised", spec.authorised_as)
    source, crs, columns = options.pop("source"), options.pop("crs"), options.pop("columns")
    extras = _extras(spec, analysis, options)
    params = parse_params(analysis, options)
    layers = load_valid_layers(source, crs=crs, columns=columns, lang=lang)
    with progress_steps(3, analysis.label(lang)) as step:
        metric = layers.to_metric()
        inputs = Inputs(layers, metric, settings, dt.date.today(), authorised, extras=extras)
        result = analysis.compute(inputs, params)
        step("1")
        view = View(authorised, settings, lang)
        tables = (spec.tables or analysis.tables)(result, view)
        stem = spec.stem or route
        written = write_tables(
            tables,
            out,
            stem=stem,
            headers=spec.headers.get(lang),
            sheet_names=spec.sheets.get(lang),
            lang=lang,
        )
        step("2")
        seen = authorised if spec.map_authorised is None else spec.map_authorised
        ctx = MapContext(layers, metric, settings, lang, seen)
        html = save_map(draw(analysis.name, result, ctx), out / (spec.map_name or f"{stem}.html"))
        run = Run(analysis, result, inputs, view, params, out, options, written, (html,))
        files = spec.write(run) if spec.write else []
        step("3")
    run = Run(analysis, result, inputs, view, params, out, options, written, (*files, html))
    (spec.report or print_figures)(run)


def print_figures(run: Run) -> None:
    """The generated printout: the figures, the notes, the files written."""
    view, analysis = run.view, run.analysis
    console = out_console()
    table = Table(title=analysis.label(view.lang))
    table.add_column(tr("cli_figure", view.lang))
    table.add_column(tr("cli_value", view.lang), justify="right")
    for figure in analysis.figures(run.result, view):
        table.add_row(*figure.render(view.lang, view))
    console.print(table)
    for note in analysis.notes(run.result):
        console.print(f"[yellow]{tr('cli_note', view.lang)}:[/] {note.render(view.lang)}")
    written = run.written
    paths = [*(written.csv if written else ()), written.excel if written else None, *run.files]
    for path in paths:
        if path is not None:
            console.print(tr("cli_wrote", view.lang, path=path), highlight=False)


def _keyword(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _option(name: str, option: Option, help_text: str, annotation: Any) -> inspect.Parameter:
    flags = option.flags or ("--" + name.replace("_", "-"),)
    typed = option.annotation if option.annotation is not None else annotation
    info = typer.Option(*flags, help=option.help or help_text, min=option.min)
    return _keyword(name, Annotated[typed, info], option.default)


def _parameters(analysis: Analysis, spec: CliSpec) -> list[inspect.Parameter]:
    route = spec.command or analysis.route
    params = [_keyword("source", SourceArg)]
    declared = {e.name for e in spec.extras}
    for name, info in analysis.params.model_fields.items():
        if name in declared:  # given as an extra input instead (parsed by the command)
            continue
        option = spec.options.get(name, Option())
        params.append(_option(name, option, info.description or name, str | None))
    for extra in spec.extras:
        params.append(_option(extra.name, extra.option, extra.name, Path | None))
    for name, help_text in analysis.extras.items():
        if name not in declared:
            params.append(_option(name, Option(), f"{help_text} (.csv or .xlsx)", Path | None))
    default_out = spec.out or f"out/{route}"
    params.append(_option("out", Option(), f"Output folder (default {default_out}).", Path | None))
    if spec.authorised is not None:
        auth = spec.authorised
        params.append(_option("authorised", auth, auth.help, bool))
    params += [
        _keyword("crs", CrsOption),
        _keyword("columns", ColumnsOption),
        _keyword("lang", LangOption),
    ]
    return params


def command_of(analysis: Analysis, spec: CliSpec | None = None) -> Callable[..., None]:
    """The typer command of an analysis: one option per parameter and per extra input."""
    spec = spec or CliSpec(analysis.name)

    def command(**options: Any) -> None:
        run_command(analysis, spec, options)

    command.__signature__ = inspect.Signature(_parameters(analysis, spec))  # type: ignore[attr-defined]
    command.__name__ = (spec.command or analysis.route).replace("-", "_")
    command.__doc__ = spec.help or (
        f"{analysis.label('zh')} / {analysis.label('en')}: {analysis.ask('en')}"
    )
    return command


def specs() -> dict[str, CliSpec]:
    """The :class:`CliSpec` each command module of this package declares (``CLI``: one, or a
    tuple of them)."""
    import api.commands

    found: dict[str, CliSpec] = {}
    for info in pkgutil.iter_modules(api.commands.__path__):
        if info.name.startswith("_") or info.name == "analyses":
            continue
        declared = getattr(importlib.import_module(f"api.commands.{info.name}"), "CLI", ())
        for spec in declared if isinstance(declared, tuple) else (declared,):
            if isinstance(spec, CliSpec):
                found[spec.analysis] = spec
    return found


def register(app: typer.Typer) -> None:
    """Add the command of every registered analysis (with its module's :class:`CliSpec`)."""
    declared = specs()
    for analysis in analyses().values():
        if analysis.cli:
            spec = _spec_of(analysis, declared)
            command = command_of(analysis, spec)
            app.command(spec.command or analysis.route)(handle_errors(command))
