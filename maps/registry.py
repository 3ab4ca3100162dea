"""The map drawer of each analysis, looked up by the analysis's name.

A map module registers its drawer at its end (``@drawer("risk")``); the map server asks
:func:`draw` for the map of a result, so no front end lists the map builders.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import folium

from geo.layers import Layers
from geo.settings import Language, Settings
from maps.remote import RemoteLayers

__all__ = ["MapContext", "draw", "drawer", "drawers"]


@dataclass(frozen=True)
class MapContext:
    """What a drawer receives besides the result.

    Attributes
    ----------
    layers
        The layers as loaded (drawn as reference layers).
    metric
        The same layers in their metric CRS.
    settings, lang, authorised
        The settings, the language, whether the role sees households.
    remote
        Where large layers go by URL (:mod:`maps.remote`); ``None`` inlines them.
    """

    layers: Layers
    metric: Layers
    settings: Settings
    lang: Language
    authorised: bool
    remote: RemoteLayers | None = None


Drawer = Callable[[Any, MapContext], folium.Map]

_DRAWERS: dict[str, Drawer] = {}


def drawer(name: str) -> Callable[[Drawer], Drawer]:
    """Register the map drawer of the analysis ``name``."""

    def add(func: Drawer) -> Drawer:
        _DRAWERS[name] = func
        return func

    return add


def drawers() -> dict[str, Drawer]:
    """Every registered drawer (the map modules are imported once, each registers its own)."""
    import maps

    for info in pkgutil.iter_modules(maps.__path__):
        if not info.name.startswith("_") and info.name != "registry":
            importlib.import_module(f"maps.{info.name}")
    return dict(_DRAWERS)


def draw(name: str, result: object, ctx: MapContext) -> folium.Map:
    """The map of a result of the analysis ``name``."""
    found = drawers()
    if name not in found:
        msg = f"no map drawer is registered for the analysis {name!r}"
        raise KeyError(msg)
    return found[name](result, ctx)
