"""``tongan init``: a county's starting workspace folder from an OSM extract (issue 22)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api._common import (
    CrsOption,
    LangOption,
    handle_errors,
    out_console,
    progress_steps,
    resolve_lang,
)
from geo.i18n import tr


def init(
    osm: Annotated[
        Path,
        typer.Option("--osm", help="An OpenStreetMap extract of the county (.osm or .osm.pbf)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="The new workspace folder to write.")],
    boundary: Annotated[
        Path | None,
        typer.Option(
            help="The county outline or village boundaries (GeoPackage, Shapefile, GeoJSON); "
            "used where OSM has no boundaries."
        ),
    ] = None,
    crs: CrsOption = None,
    lang: LangOption = None,
) -> None:
    """Write a workspace folder: waters, schools, roads, facilities and areas from OSM, plus
    Excel templates (households, facilities, equipment, hazards) to fill in."""
    from geo.schemas import SCHEMAS
    from geo.starter import check_boundary, init_folder

    language = resolve_lang(lang)
    check_boundary(boundary)
    with progress_steps(6, "生成工作文件夹 / init") as step:
        result = init_folder(osm, out, boundary=boundary, crs=crs, progress=step)
    console = out_console()
    table = Table(title=tr("init_title", language, folder=result.folder))
    for key in ("col_layer", "col_features"):
        table.add_column(tr(key, language))
    for name, count in result.counts.items():
        title = {"zh": SCHEMAS[name].zh, "en": name}[language]
        table.add_row(f"{title} ({name})", str(count))
    console.print(table)
    left_out = sum(result.left_out.values())
    if left_out:
        console.print(tr("init_left_out", language, left_out=left_out))
    for note in result.notes:
        console.print(f"[yellow]{tr('init_' + note, language)}[/]")
    for path in result.templates:
        console.print(f"  {path}")
    console.print(tr("init_next", language, templates=out / "templates", folder=out))


def register(app: typer.Typer) -> None:
    """Add ``init`` to the app."""
    app.command("init")(handle_errors(init))
