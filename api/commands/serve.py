"""``tongan serve``: the interactive map server on the embedded sample or a study area."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api._common import SourceArg, handle_errors, out_console
from geo.i18n import tr
from geo.settings import Language

if TYPE_CHECKING:
    from rich.console import Console

    from geo.tiles import TileSource

#: The addresses ``--authorised`` may listen on: this machine only.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def get_lang() -> Language:
    from geo.settings import get_settings

    return get_settings().language


@handle_errors
def serve(
    source: SourceArg = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    authorised: Annotated[
        bool,
        typer.Option(
            help="Requests without a token may see household-level locations (a single-user "
            "desktop of a civil-affairs officer, on 127.0.0.1 only); otherwise they get "
            "aggregates only. Everyone else signs in at /login."
        ),
    ] = False,
    workspace: Annotated[
        Path | None,
        typer.Option(
            help="Folder of the workspace database (inspections, imported layers, users, audit "
            "log); default $TONGAN_WORKSPACE or ./tongan-workspace. TONGAN_DATABASE__URL or "
            "TONGAN_DATABASE_URL selects PostgreSQL/PostGIS instead.",
            file_okay=False,
        ),
    ] = None,
    tiles: Annotated[
        Path | None,
        typer.Option(
            help="The county's offline basemap, shown first on every map: an MBTiles or PMTiles "
            "file of raster tiles, or a GeoTIFF image (any CRS). Default $TONGAN_TILES.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Start the map server and print its address (Ctrl+C stops it)."""
    import uvicorn

    if authorised and host not in LOOPBACK:
        from geo.errors import InputError

        raise InputError(tr("serve_authorised_host", get_lang(), host=host))

    from api.server import create_app
    from api.state import ServerState
    from geo.settings import get_settings
    from geo.storage import Store, default_workspace

    settings = get_settings()
    if tiles is not None:
        from geo.tiles import open_tiles

        open_tiles(tiles).close()  # a bad file is named before the layers are read
        settings = settings.model_copy(update={"tiles": tiles})
    store = Store.open(settings.database, workspace or default_workspace())
    app = create_app(
        Path(source) if source else None, settings=settings, authorised=authorised, store=store
    )
    console = out_console()
    _say_tiles(console, ServerState.of(app).tiles, settings.language)
    console.print(f"[bold green]童安地图服务 / Tongan map server:[/] http://{host}:{port}")
    console.print(f"数据库 / database: {store.describe()}", highlight=False)
    console.print(f"接口文档 / API docs: http://{host}:{port}/docs", highlight=False)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        store.close()


def _say_tiles(console: Console, source: TileSource | None, lang: Language) -> None:
    """Which offline basemap the maps show (or why a vector file is not drawn)."""
    if source is None:
        return
    info = source.info
    if info.kind == "vector":
        console.print(f"[yellow]{tr('tile_vector', lang, name=info.name)}[/]", highlight=False)
        return
    zooms = f"z{info.min_zoom}-{info.max_zoom}"
    console.print(f"{tr('local_tiles', lang, name=info.name)}: /tiles ({zooms})", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
