"""The ``tongan`` command line: argument parsing, progress and output only; work happens in geo/ and analysis/.

Every user error (a :class:`geo.errors.TonganError`) ends with one clear message per problem and
exit code 2; no traceback is shown to a user.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from api._common import (
    LangOption,
    handle_errors,
    out_console,
    print_crs_notes,
    progress_steps,
    resolve_lang,
    sample_path,
)
from api.commands import register_all
from geo.i18n import tr
from geo.settings import Language

if TYPE_CHECKING:
    from geo.layers import Layers
    from geo.validate import ValidationReport

app = typer.Typer(
    name="tongan",
    help="童安 Tongan：农村留守儿童和困境儿童关爱保护的空间规划工具 (geospatial planning for child safety).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command()
@handle_errors
def validate(
    source: Annotated[
        Path | None,
        typer.Argument(
            help="A GeoPackage, or a folder of layer files; the embedded sample if omitted."
        ),
    ] = None,
    crs: Annotated[
        str | None,
        typer.Option(
            help=(
                "CRS of files that state none (CSV, GeoJSON without a crs member, Shapefile "
                "without .prj): EPSG:4326, EPSG:4490, gcj02 or bd09; files that state one keep it."
            )
        ),
    ] = None,
    columns: Annotated[
        Path | None, typer.Option(help="Column-mapping TOML file (see the README).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Encoding of Shapefiles without .cpg, e.g. gbk.")
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="Reference date YYYY-MM-DD for date checks (default: today).")
    ] = None,
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the validated layers to this GeoPackage (only if valid)."
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Check every layer against its schema, print the validation report and a layer summary."""
    from geo.aliases import ColumnMap, read_column_map
    from geo.errors import InputError
    from geo.load import CrsIgnored, find_sources, read_layers, write_layers
    from geo.validate import validate_layers

    out = out_console()
    language = resolve_lang(lang)
    source = source or sample_path()
    column_map = read_column_map(columns) if columns else ColumnMap()
    try:
        ref = dt.date.fromisoformat(today) if today else None
    except ValueError:
        msg = f"--today {today!r} is not a date; use YYYY-MM-DD"
        raise InputError(msg) from None
    n = len(find_sources(source))
    with progress_steps(n, tr("cli_reading", language)) as step:
        notes: list[CrsIgnored] = []
        frames = read_layers(
            source, crs=crs, column_map=column_map, encoding=encoding, progress=step, notes=notes
        )
    print_crs_notes(notes, language)
    layers, report = validate_layers(frames, column_map=column_map, today=ref)

    _print_report(layers, report, source, language)
    report.raise_if_fatal(language)
    if out_path is not None:
        write_layers({name: layers[name] for name in report.present}, out_path)
    out.print(f"[green]{tr('validated', language, path=out_path or source)}[/]")


def _print_report(
    layers: Layers, report: ValidationReport, source: Path, language: Language
) -> None:
    """The layer summary, then every problem found (fatal first as the report lists them)."""
    from geo.summary import summarise

    out = out_console()
    table = Table(title=tr("summary_title", language))
    for key in ("col_layer", "col_features", "col_geometry", "col_details"):
        table.add_column(tr(key, language))
    for row in summarise(layers, present=report.present, lang=language):
        table.add_row(f"{row.title} ({row.layer})", str(row.features), row.geometry, row.details)
    out.print(table)

    out.print(f"[bold]{tr('report_title', language)}[/]: {source}")
    if not report.problems:
        out.print(f"[green]{tr('no_problems', language)}[/]")
    else:
        problems = Table()
        for key in ("col_level", "col_layer", "col_column", "col_problem"):
            problems.add_column(tr(key, language))
        for p in report.problems:
            style = "red" if p.fatal else "yellow"
            level = tr("fatal" if p.fatal else "warning", language)
            problems.add_row(f"[{style}]{level}[/]", p.layer, p.column_label, p.message(language))
        out.print(problems)
        out.print(
            tr("problems_found", language, errors=len(report.errors), warnings=len(report.warnings))
        )


@app.command()
@handle_errors
def sample(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder to write township.gpkg into.")
    ] = Path("sample_out"),
    seed: Annotated[
        int | None, typer.Option(help="Random seed (the committed sample's by default).")
    ] = None,
) -> None:
    """Regenerate the embedded sample township (deterministic)."""
    from sample_layers.generate import write_sample

    with progress_steps(1, "生成示例乡镇 / generating sample") as step:
        path = write_sample(out_dir) if seed is None else write_sample(out_dir, seed=seed)
        step("")
    out_console().print(f"[green]{path}[/] ({path.stat().st_size / 1e6:.2f} MB)")


@app.command("import-osm")
@handle_errors
def import_osm(
    out_path: Annotated[Path, typer.Option("--out", help="GeoPackage to write the layers into.")],
    place: Annotated[
        str | None, typer.Option(help="Place name to download with osmnx (needs the internet).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option(help="An OSM extract (.osm or .osm.pbf) to read offline.")
    ] = None,
) -> None:
    """Build waters, schools, roads and facilities from OpenStreetMap."""
    from geo.errors import InputError
    from geo.load import write_layers
    from geo.osm import layers_from_osm_file, layers_from_place

    if (place is None) == (file is None):
        msg = "give exactly one of --place NAME (online) or --file AREA.osm|AREA.osm.pbf (offline)"
        raise InputError(msg)
    with progress_steps(4, "导入 OSM / importing OSM") as step:
        frames = (
            layers_from_osm_file(file, progress=step)
            if file
            else layers_from_place(str(place), progress=step)
        )
    write_layers(frames, out_path)
    out = out_console()
    table = Table(title=str(out_path))
    table.add_column("layer")
    table.add_column("features")
    for name, frame in frames.items():
        table.add_row(name, str(len(frame)))
    out.print(table)


@app.command()
def schema(
    markdown: Annotated[
        bool, typer.Option(help="Print Markdown tables (as in the README).")
    ] = False,
) -> None:
    """Print the documented schema of every layer (those the analyses declare included)."""
    from analysis.registry import analyses
    from geo.schemas import all_schemas, schema_markdown

    analyses()  # an analysis declares its layers when its module is loaded
    out = out_console()
    if markdown:
        print(schema_markdown(), end="")
        return
    for s in all_schemas().values():
        table = Table(title=f"{s.name} ({s.zh}) — {' / '.join(s.geometries)}")
        for col in ("column", "中文列名", "type", "unit", "required", "allowed"):
            table.add_column(col)
        for c in s.columns:
            table.add_row(
                c.name,
                c.zh,
                c.dtype,
                c.unit,
                "yes" if c.required else "",
                ", ".join(c.allowed or ()),
            )
        out.print(table)


register_all(app)

if __name__ == "__main__":  # pragma: no cover
    app()
