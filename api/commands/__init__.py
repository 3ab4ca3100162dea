"""Analysis commands of the CLI, one module each, discovered and registered on the app.

A module here defines ``register(app: typer.Typer) -> None``; adding a command never touches
``api/cli.py``.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer


def register_all(app: typer.Typer) -> None:
    """Import every module of this package and let it register its commands."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(app)
