"""``tongan serve``: the interactive map server on the embedded sample or a study area."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api._common import SourceArg, handle_errors, out_console


@handle_errors
def serve(
    source: SourceArg = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    authorised: Annotated[
        bool,
        typer.Option(
            help="Requests without a token may see household-level locations (a single-user "
            "desktop of a civil-affairs officer); otherwise they get aggregates only."
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
) -> None:
    """Start the map server and print its address (Ctrl+C stops it)."""
    import uvicorn

    from api.server import create_app
    from geo.settings import get_settings
    from geo.storage import Store, default_workspace

    settings = get_settings()
    store = Store.open(settings.database, workspace or default_workspace())
    app = create_app(Path(source) if source else None, authorised=authorised, store=store)
    console = out_console()
    console.print(f"[bold green]童安地图服务 / Tongan map server:[/] http://{host}:{port}")
    console.print(f"数据库 / database: {store.describe()}", highlight=False)
    console.print(f"接口文档 / API docs: http://{host}:{port}/docs", highlight=False)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
