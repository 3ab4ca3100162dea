"""Amap (高德) basemaps, with every overlay moved into GCJ-02 so it lines up with the tiles.

Amap's tiles are drawn in GCJ-02, offset from WGS84 by hundreds of metres. Leaflet cannot
reproject, so a map meant for Amap tiles gets all its overlay coordinates converted WGS84 ->
GCJ-02 (prcoords, see :mod:`geo.crs`) after it is built: markers, lines, polygons, GeoJSON and
the fitted bounds. The map builders stay unaware of it.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import Any, Literal

import folium
import prcoords
import xyzservices.providers as xyz
from branca.element import Element

from geo.settings import Language

_NAMES: dict[str, dict[Language, str]] = {
    "Normal": {"zh": "高德地图", "en": "Amap"},
    "Satellite": {"zh": "高德卫星图", "en": "Amap satellite"},
}


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
            name=_NAMES[key][lang],
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
    m: folium.Map, basemap: Literal["osm", "blank", "amap"], *, lang: Language = "zh"
) -> folium.Map:
    """Show ``basemap`` first: OpenStreetMap, the offline background, or Amap (overlays to GCJ-02)."""
    if basemap == "amap":
        return use_amap(m, lang=lang)
    for child in m._children.values():
        if isinstance(child, folium.TileLayer):
            is_blank = str(child.tiles).startswith("data:")
            child.show = is_blank if basemap == "blank" else not is_blank
    return m
