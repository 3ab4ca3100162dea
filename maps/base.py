"""The common frame of every Tongan map: basemaps, controls, legends, popups.

Map builders take analysis results and return a ``folium.Map``; nothing here computes a risk or
reads a file. Geometries are drawn in WGS84 (folium's GeoJSON), whatever CRS the results use.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Literal

import folium
import geopandas as gpd
from branca.element import Element, MacroElement, Template
from folium import plugins

from geo.crs import WGS84
from geo.i18n import ENGLISH, tr
from geo.settings import Language, get_settings
from maps.chinese_tiles import choose_basemap

# A 1x1 light-grey PNG, repeated as every tile: a plain background that needs no network.
_BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
    "/+F9PQAJYgN6qbyD3QAAAABJRU5ErkJggg=="
)


def column_in(column: str, lang: Language) -> str:
    """The column holding ``column``'s text in ``lang``: itself in Chinese, its English twin
    ``<column>_en`` (:data:`geo.i18n.ENGLISH`) in English."""
    if lang == "en":
        return column + ENGLISH
    return column


def label(key: str, lang: Language) -> str:
    """The shared map word ``key`` (``osm``, ``blank``, ``legend``) in ``lang``."""
    return tr(f"map_base_{key}", lang)


#: The closest a map opens (one red spot is shown with its surroundings, not a single house).
FIT_MAX_ZOOM = 16


def focus(*candidates: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """The first of ``candidates`` with a geometry to show: the features the map's question is
    about first (the red and yellow spots, the gaps), the wider layers after, so that a map opens
    on what matters rather than on the county's largest polygon."""
    for frame in candidates:
        shapes = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
        if len(shapes) and not (shapes.isna() | shapes.is_empty).all():
            return frame
    return candidates[-1]


def base_map(
    bounds: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    lang: Language = "zh",
    basemap: Literal["osm", "blank", "tianditu"] | None = None,
) -> folium.Map:
    """A map fitted to ``bounds`` with OpenStreetMap and an offline plain background.

    Parameters
    ----------
    bounds
        Any layer whose extent the map should show (reprojected to WGS84 for the view).
    lang
        Language of the controls' labels.
    basemap
        The basemap shown first (``osm``, the offline ``blank`` or ``tianditu``); the
        ``basemap`` setting by default. All are listed in the layer control, Tianditu's when
        the ``tianditu_key`` setting holds a key (:mod:`maps.chinese_tiles`).
    """
    settings = get_settings()
    first = basemap or settings.basemap
    minx, miny, maxx, maxy = bounds.to_crs(WGS84).total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=13,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,  # SVG: every feature is a DOM element the browser tests can click
    )
    folium.TileLayer(
        "OpenStreetMap", name=label("osm", lang), max_zoom=19, show=first == "osm"
    ).add_to(m)
    folium.TileLayer(
        tiles=_BLANK_TILE, attr="Tongan", name=label("blank", lang), show=first == "blank"
    ).add_to(m)
    key = settings.tianditu_key.get_secret_value() if settings.tianditu_key else None
    if key:
        choose_basemap(m, first, lang=lang, tianditu_key=key)
    plugins.Fullscreen(position="topleft").add_to(m)
    plugins.MeasureControl(
        position="topleft", primary_length_unit="meters", primary_area_unit="sqmeters"
    ).add_to(m)
    plugins.LocateControl(position="topleft").add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]], max_zoom=FIT_MAX_ZOOM)
    return m


def open_on(m: folium.Map, area: gpd.GeoDataFrame | gpd.GeoSeries) -> folium.Map:
    """Open ``m`` on ``area`` (a user's own villages) instead of the extent it was drawn for.

    The map keeps every layer; only the first view changes (the last fit wins in the browser).
    An empty ``area`` leaves the map as it is.
    """
    shapes = area.geometry if isinstance(area, gpd.GeoDataFrame) else area
    if not len(shapes) or (shapes.isna() | shapes.is_empty).all():
        return m
    minx, miny, maxx, maxy = area.to_crs(WGS84).total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]], max_zoom=FIT_MAX_ZOOM)
    return m


_LEGEND = """
{% macro html(this, kwargs) %}
<div class="tongan-legend" style="background: rgba(255,255,255,0.92); padding: 8px 10px;
     border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 13px/1.5 sans-serif;
     max-width: 260px;">
  <div style="font-weight: bold; margin-bottom: 4px;">{{ this.title }}</div>
  {% for color, text in this.items %}
  <div><span style="display:inline-block;width:14px;height:14px;margin-right:6px;
       vertical-align:middle;border:1px solid #555;background:{{ color }};"></span>{{ text }}</div>
  {% endfor %}
</div>
<script>
  // every legend joins one column at the bottom right, so none hides another
  (function () {
    var box = document.getElementById("tongan-legends");
    if (!box) {
      box = document.createElement("div");
      box.id = "tongan-legends";
      box.style.cssText = "position:fixed;bottom:24px;right:12px;z-index:9999;display:flex;" +
        "flex-direction:column;gap:6px;align-items:flex-end;max-height:75vh;overflow-y:auto";
      document.body.appendChild(box);
    }
    box.appendChild(document.currentScript.previousElementSibling);
  })();
</script>
{% endmacro %}
"""


class Legend(MacroElement):
    """A fixed legend box: a title and colour swatches with labels."""

    _template = Template(_LEGEND)

    def __init__(self, title: str, items: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = html.escape(title)
        self.items = [(color, html.escape(text)) for color, text in items]


def add_legend(m: folium.Map, title: str, items: Sequence[tuple[str, str]]) -> Legend:
    """Add a legend (title, then (colour, label) rows) to the bottom right of the map."""
    legend = Legend(title, items)
    m.get_root().add_child(legend)
    return legend


def popup_table(
    rows: Mapping[str, object], *, title: str | None = None, width: int = 300
) -> folium.Popup:
    """A popup holding a two-column table (label, value), values escaped."""
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:8px;white-space:nowrap'>{html.escape(str(k))}</th>"
        f"<td>{html.escape(str(v))}</td></tr>"
        for k, v in rows.items()
    )
    head = f"<h4 style='margin:0 0 4px'>{html.escape(title)}</h4>" if title else ""
    return folium.Popup(f"{head}<table>{body}</table>", max_width=width)


def finish(m: folium.Map) -> folium.Map:
    """Add the layer control last, so it lists every layer added before.

    A map with a layer loaded by URL (:mod:`maps.remote`, a large one) draws its vector
    features on a canvas: one element however many features, and one renderer, so features
    drawn later lie above and catch the clicks (several canvases would hide each other's).
    """
    from maps.remote import RemoteGeoJson

    def has_remote(element: Element) -> bool:
        return any(
            isinstance(child, RemoteGeoJson) or has_remote(child)
            for child in element._children.values()
        )

    if has_remote(m):
        m.options["prefer_canvas"] = True
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def add_village_search(
    m: folium.Map, areas: gpd.GeoDataFrame, *, lang: Language = "zh"
) -> folium.Map:
    """A search box that finds a village (or township) by name and zooms to it."""
    places = areas.loc[areas["level"].isin(["village", "township"]), ["name", "geometry"]]
    if not len(places):
        return m
    layer = folium.GeoJson(
        places.to_crs(WGS84).to_json(),
        name=label("search_layer", lang),
        style_function=lambda _f: {"color": "#000", "weight": 0, "fillOpacity": 0, "opacity": 0},
        control=False,
    )
    # drawn first, beneath every other layer, so its invisible shapes never catch a click
    layer._parent = m
    tiles = [(k, c) for k, c in m._children.items() if isinstance(c, folium.TileLayer)]
    rest = [(k, c) for k, c in m._children.items() if not isinstance(c, folium.TileLayer)]
    m._children = OrderedDict([*tiles, (layer.get_name(), layer), *rest])
    plugins.Search(
        layer=layer,
        search_label="name",
        placeholder=label("search_placeholder", lang),
        collapsed=False,
        position="topright",
    ).add_to(m)
    return m
