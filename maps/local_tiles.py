"""The county's own offline basemap on a map served by the map server (:mod:`geo.tiles`)."""

from __future__ import annotations

from collections import OrderedDict

import folium

from geo.i18n import tr
from geo.settings import Language
from geo.tiles import TileInfo

__all__ = ["add_local_tiles"]


def add_local_tiles(
    m: folium.Map, info: TileInfo, url: str, *, lang: Language = "zh"
) -> folium.Map:
    """Show the county's raster tiles at ``url`` (``.../{z}/{x}/{y}``) first on ``m``, in place.

    The layer goes after the map's other base layers (which stay in the layer control, hidden)
    and before the overlays; beyond the file's zooms Leaflet scales its nearest tiles. A map
    that has it already, or a source of vector tiles, is left as it is.
    """
    if info.kind != "raster" or any(
        getattr(c, "_tongan_basemap", None) == "local" for c in m._children.values()
    ):
        return m
    tiles = folium.TileLayer(
        tiles=url,
        attr=info.attribution or info.name,
        name=tr("local_tiles", lang, name=info.name),
        min_zoom=0,
        max_zoom=22,
        max_native_zoom=info.max_zoom,
        min_native_zoom=info.min_zoom,
        show=True,
        overlay=False,
        control=True,
    )
    tiles._tongan_basemap = "local"  # type: ignore[attr-defined]
    tiles._parent = m
    children = list(m._children.items())
    for _, child in children:
        if isinstance(child, folium.TileLayer) and not child.overlay:
            child.show = False
    last_tiles = max(
        (i for i, (_, c) in enumerate(children) if isinstance(c, folium.TileLayer)), default=-1
    )
    m._children = OrderedDict(
        [*children[: last_tiles + 1], (tiles.get_name(), tiles), *children[last_tiles + 1 :]]
    )
    return m
