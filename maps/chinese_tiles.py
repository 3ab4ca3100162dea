"""Chinese basemaps: Amap (高德), with every overlay moved into GCJ-02, and Tianditu (天地图).

Amap's tiles are drawn in GCJ-02, offset from WGS84 by hundreds of metres. Leaflet cannot
reproject, so a map meant for Amap tiles gets all its overlay coordinates converted WGS84 ->
GCJ-02 (prcoords, see :mod:`geo.crs`) after it is built: markers, lines, polygons, GeoJSON and
the fitted bounds. The map builders stay unaware of it.

Tianditu, the national platform of the Ministry of Natural Resources, draws in CGCS2000, which
agrees with WGS84 to centimetres: its tiles take the overlays as they are. It needs a key (free,
from https://console.tianditu.gov.cn); with the ``tianditu_key`` setting its map, its imagery and
its labels join every map's layer control.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import Any, Literal

import folium
import prcoords
import xyzservices
import xyzservices.providers as xyz
from branca.element import Element

from geo.i18n import tr
from geo.settings import Language

#: Tianditu layers (Web Mercator tile matrix ``w``): key -> (layer, names, base layer or overlay)
_TIANDITU: dict[str, tuple[str, bool]] = {
    "tianditu": ("vec", False),
    "tianditu_img": ("img", False),
    "tianditu_labels": ("cva", True),
}
_TIANDITU_ATTR = '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a> 国家地理信息公共服务平台'
Basemap = Literal["osm", "blank", "amap", "tianditu"]


def tianditu_provider(layer: str, key: str) -> xyzservices.TileProvider:
    """The xyzservices provider of a Tianditu WMTS layer (``vec``, ``img``, ``cva``...)."""
    return xyzservices.TileProvider(
        name=f"Tianditu.{layer}",
        url=(
            "https://t{s}.tianditu.gov.cn/" + layer + "_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
            "&VERSION=1.0.0&LAYER=" + layer + "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
            "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}"
        ),
        attribution=_TIANDITU_ATTR,
        subdomains="01234567",
        max_zoom=18,
        tk=key,
    )


def add_tianditu(m: folium.Map, key: str, *, lang: Language = "zh") -> folium.Map:
    """Add Tianditu's map and imagery (base layers) and its labels (an overlay) to ``m``, hidden.

    The tile layers go right after the map's other base layers, before the overlays; a map
    that has them already is left as it is.
    """
    if any(getattr(c, "_tongan_basemap", None) for c in m._children.values()):
        return m
    layers = []
    for tag, (layer, overlay) in _TIANDITU.items():
        provider = tianditu_provider(layer, key)
        tiles = folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.attribution,
            name=tr(f"map_chinese_tiles_{tag}", lang),
            subdomains=provider.subdomains,
            max_zoom=provider.max_zoom,
            show=False,
            overlay=overlay,
            control=True,
        )
        tiles._tongan_basemap = tag  # type: ignore[attr-defined]
        tiles._parent = m
        layers.append((tiles.get_name(), tiles))
    children = list(m._children.items())
    last_tiles = max(
        (i for i, (_, c) in enumerate(children) if isinstance(c, folium.TileLayer)), default=-1
    )
    m._children = OrderedDict([*children[: last_tiles + 1], *layers, *children[last_tiles + 1 :]])
    return m


def _shift(lat: float, lon: float) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # points outside China come back unchanged
        c = prcoords.wgs_gcj(prcoords.Coords(lat, lon), True)
    return c.lat, c.lon


def _shift_latlon(value: Any) -> Any:
    """Shift [lat, lon] pairs, nested at any depth (folium's ``location(s)``)."""
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, (int, float)) for v in value)
    ):
        lat, lon = _shift(float(value[0]), float(value[1]))
        return [lat, lon]
    if isinstance(value, (list, tuple)):
        return [_shift_latlon(v) for v in value]
    return value


def _shift_lonlat(value: Any) -> Any:
    """Shift GeoJSON [lon, lat] positions, nested at any depth."""
    if (
        isinstance(value, (list, tuple))
        and len(value) >= 2
        and all(isinstance(v, (int, float)) for v in value)
    ):
        lat, lon = _shift(float(value[1]), float(value[0]))
        return [lon, lat, *value[2:]]
    if isinstance(value, (list, tuple)):
        return [_shift_lonlat(v) for v in value]
    return value


def _shift_geojson(obj: Any) -> Any:
    if isinstance(obj, dict):
        out = {}
        for key, val in obj.items():
            if key == "coordinates":
                out[key] = _shift_lonlat(val)
            elif key == "bbox":
                out[key] = val
            else:
                out[key] = _shift_geojson(val)
        return out
    if isinstance(obj, list):
        return [_shift_geojson(v) for v in obj]
    return obj


def _walk(element: Element) -> None:
    child: Any
    for child in list(element._children.values()):
        if isinstance(child, folium.TileLayer):
            continue
        if isinstance(child, folium.GeoJson) and isinstance(getattr(child, "data", None), dict):
            child.data = _shift_geojson(child.data)
        if getattr(child, "location", None) is not None and not isinstance(child, folium.Map):
            child.location = _shift_latlon(child.location)
        if getattr(child, "locations", None) is not None:
            child.locations = _shift_latlon(child.locations)
        if type(child).__name__ == "FitBounds":
            child.bounds = _shift_latlon(child.bounds)
        _walk(child)


def use_amap(m: folium.Map, *, lang: Language = "zh") -> folium.Map:
    """Put Amap tiles first and move every overlay of ``m`` into GCJ-02, in place.

    The OpenStreetMap and offline layers stay in the layer control but no longer line up
    (they are WGS84); the page says so in the Amap layer's name.
    """
    for child in m._children.values():
        if isinstance(child, folium.TileLayer):
            child.show = False
    layers = []
    for key, provider in xyz.Gaode.items():
        layer = folium.TileLayer(
            tiles=provider.build_url()
            .replace("webrd01", "webrd0{s}")
            .replace("webst01", "webst0{s}"),
            attr=provider.attribution,
            name=tr(f"map_chinese_tiles_{key}", lang),
            subdomains="1234",
            max_zoom=18,
            show=key == "Normal",
            overlay=False,
        )
        layer._parent = m
        layers.append((layer.get_name(), layer))
    # tile layers go before the overlays: put them at the front of the children
    m._children = OrderedDict([*layers, *m._children.items()])
    if m.location:
        m.location = _shift_latlon(m.location)
    _walk(m)
    return m


def choose_basemap(
    m: folium.Map,
    basemap: Basemap,
    *,
    lang: Language = "zh",
    tianditu_key: str | None = None,
) -> folium.Map:
    """Show ``basemap`` first: OpenStreetMap, the offline background, Amap (overlays moved to
    GCJ-02) or Tianditu (with its labels).

    With ``tianditu_key`` Tianditu's layers join the layer control whatever is shown first;
    ``basemap="tianditu"`` without a key raises ``ValueError``.
    """
    if basemap == "tianditu" and not tianditu_key:
        raise ValueError("the Tianditu basemap needs a key: set TONGAN_TIANDITU_KEY")
    if tianditu_key:
        add_tianditu(m, tianditu_key, lang=lang)
    if basemap == "amap":
        return use_amap(m, lang=lang)
    for child in m._children.values():
        if isinstance(child, folium.TileLayer):
            tag = getattr(child, "_tongan_basemap", None)
            if tag is None:
                tag = "blank" if str(child.tiles).startswith("data:") else "osm"
            child.show = tag == basemap or (basemap == "tianditu" and tag == "tianditu_labels")
    return m
