"""Shared pieces of the command line: consoles, progress bars, error handling, loading layers."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from geo.errors import LayerError, TonganError
from geo.i18n import tr
from geo.layers import Layers
from geo.settings import Language, get_settings

if TYPE_CHECKING:
    from geo.load import CrsIgnored


def out_console() -> Console:
    # Made per call so that the terminal width (or COLUMNS) is read when the command runs.
    return Console()


def err_console() -> Console:
    return Console(stderr=True, soft_wrap=True)


P = ParamSpec("P")
R = TypeVar("R")

LangOption = Annotated[
    Language | None,
    typer.Option("--lang", help="Language of the output: zh (简体中文, default) or en."),
]


def resolve_lang(value: Language | None) -> Language:
    return value or get_settings().language


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors into a message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except LayerError as exc:
            err = err_console()
            err.print(f"[bold red]{exc.message}[/]")
            for line in exc.problems:
                err.print(line, markup=False, highlight=False)
            raise typer.Exit(2) from None
        except TonganError as exc:
            err_console().print(f"[bold red]错误 / error:[/] {exc.message}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper


def progress_bar(*, transient: bool = True) -> Progress:
    """The progress bar every command shows on stderr: spinner, label, bar, count, time."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console(),
        transient=transient,
    )


@contextmanager
def progress_steps(total: int, description: str) -> Iterator[Callable[[str], None]]:
    """A rich progress bar advanced once per named step."""
    with progress_bar() as bar:
        task = bar.add_task(description, total=total)

        def step(name: str) -> None:
            bar.update(task, description=f"{description} {name}")
            bar.advance(task)

        yield step


def sample_path() -> Path:
    """The embedded sample township, the default source of every command."""
    from sample_layers.generate import SAMPLE_PATH

    return SAMPLE_PATH


SourceArg = Annotated[
    Path | None,
    typer.Argument(
        help="A GeoPackage, or a folder of layer files; the embedded sample if omitted."
    ),
]
CrsOption = Annotated[
    str | None,
    typer.Option(
        help=(
            "CRS of files that state none (CSV, GeoJSON without a crs member, Shapefile without "
            ".prj): EPSG:4326, EPSG:4490, gcj02 or bd09; files that state one keep it."
        )
    ),
]
ColumnsOption = Annotated[
    Path | None, typer.Option(help="Column-mapping TOML file (see the README).")
]


def load_valid_layers(
    source: Path | None,
    *,
    crs: str | None = None,
    columns: Path | None = None,
    lang: Language = "zh",
) -> Layers:
    """Read and validate a source for an analysis; fatal problems raise one LayerError."""
    from geo.aliases import ColumnMap, read_column_map
    from geo.load import find_sources, read_layers
    from geo.validate import validate_layers

    source = source or sample_path()
    column_map = read_column_map(columns) if columns else ColumnMap()
    with progress_steps(len(find_sources(source)), tr("cli_reading", lang)) as step:
        notes: list[CrsIgnored] = []
        frames = read_layers(source, crs=crs, column_map=column_map, progress=step, notes=notes)
    print_crs_notes(notes, lang)
    layers, report = validate_layers(frames, column_map=column_map)
    report.raise_if_fatal(lang)
    return layers


def print_crs_notes(notes: Sequence[CrsIgnored], lang: Language) -> None:
    """Say on stderr, per file, that the file's own CRS was used instead of ``--crs``."""
    err = err_console()
    for note in notes:
        err.print(f"[yellow]{escape(note.line(lang))}[/]", highlight=False)


def parse_date(value: str | None, *, option: str = "--date") -> dt.date:
    """A YYYY-MM-DD option; today when omitted; a clear InputError otherwise."""
    from geo.errors import InputError

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"{option} {value!r} is not a date; use YYYY-MM-DD (e.g. 2026-07-15)"
        raise InputError(msg) from None
