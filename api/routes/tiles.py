"""``/tiles``: the county's offline basemap (``tongan serve --tiles FILE``, :mod:`geo.tiles`).

``/tiles/{z}/{x}/{y}`` answers one tile (XYZ, y down) with the file's media type, cached by the
browser for a day, or 204 where the file has no tile (Leaflet leaves the square empty);
``/tiles.json`` describes the file (TileJSON 3.0: zooms, extent, format) for QGIS and others.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from api.deps import LangDep, StateDep
from api.results import TILE_URL
from geo.errors import TonganError
from geo.i18n import tr
from geo.settings import Language
from geo.tiles import TileSource, tilejson

router = APIRouter(include_in_schema=False)  # files for the maps, like /assets

Zoom = Annotated[int, Path(ge=0, le=24, description="Zoom level.")]
Column = Annotated[int, Path(ge=0, lt=2**24, description="Tile column (x).")]
Row = Annotated[int, Path(ge=0, lt=2**24, description="Tile row (y, from the north).")]


def _source(state: Any, lang: Language) -> TileSource:
    if state.tiles is None:
        raise TonganError(tr("no_tiles", lang), status=404)
    source: TileSource = state.tiles
    return source


@router.get(TILE_URL, response_class=Response)
def tile(state: StateDep, lang: LangDep, z: Zoom, x: Column, y: Row) -> Response:
    """One tile of the county's basemap."""
    source = _source(state, lang)
    data = source.tile(z, x, y)
    headers = {"Cache-Control": "public, max-age=86400"}
    if data is None:
        return Response(status_code=204, headers=headers)
    return Response(data, media_type=source.info.media_type, headers=headers)


@router.get("/tiles.json")
def tiles_json(state: StateDep, lang: LangDep) -> dict[str, object]:
    """The TileJSON of the county's basemap."""
    return tilejson(_source(state, lang).info, TILE_URL)
