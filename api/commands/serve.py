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
        typer.Option(help="Show household-level locations (only for roles that need them)."),
    ] = False,
) -> None:
    """Start the map server and print its address (Ctrl+C stops it)."""
    import uvicorn

    from api.server import create_app

    app = create_app(Path(source) if source else None, authorised=authorised)
    out_console().print(f"[bold green]童安地图服务 / Tongan map server:[/] http://{host}:{port}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
