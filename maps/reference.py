"""The county's own base under every map: boundaries, roads by class, waters, and their names.

Offline (the plain background) a map without it shows its results on an empty grey field, and a
river chief cannot tell where a red spot is (issue 20). Every map builder draws this first, so
the results lie above it, over tiles and over the plain background alike; it takes no clicks,
so a tap always reaches the result above. Names are labels that
appear by zoom, as on any web map: townships from ``TOWNSHIP_LABEL_ZOOM``, villages and waters
from the detail zoom.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement, Template

from geo.crs import WGS84
from geo.i18n import tr
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend
from maps.remote import RemoteLayers, add_remote_layer

#: Township names are shown from this zoom; village and water names from the detail zoom.
TOWNSHIP_LABEL_ZOOM = 11
#: At most this many water names are written into a page (the longest waters first).
MAX_WATER_LABELS = 300

_AREA_WEIGHTS = {"county": 3, "township": 2}
#: Road kinds drawn only when zoomed in, when the roads go by URL.
LOCAL_ROADS = ("village_road", "track", "path")
_MINOR = {"track", "path"}
WATER_STYLE = {"color": "#2b8cbe", "weight": 2, "fillColor": "#74a9cf", "fillOpacity": 0.6}
_ROAD_STYLES = {
    "minor": {"color": "#8c6d31", "weight": 1},
    "road": {"color": "#636363", "weight": 2},
}


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_reference_{key}", lang, **values)


def _by_url(remote: RemoteLayers | None, frame: gpd.GeoDataFrame) -> RemoteLayers | None:
    return remote if remote is not None and remote.by_url(frame) else None


_LABEL_ZOOM = """
{% macro header(this, kwargs) %}
<style>
  .tongan-label { background: none; border: none; white-space: nowrap; pointer-events: none;
    font: 12px/1.2 sans-serif; color: #333; text-shadow: 0 0 3px #fff, 0 0 3px #fff;
    transform: translate(-50%, -50%); width: auto !important; height: auto !important; }
  .tongan-label-county { font-size: 15px; font-weight: bold; }
  .tongan-label-township { font-size: 13px; font-weight: bold; }
  .tongan-label-water { color: #08519c; font-style: italic; }
  .tongan-z-township .tongan-label-township,
  .tongan-z-detail .tongan-label-village, .tongan-z-detail .tongan-label-water { display: none; }
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function (map) {
  function declutter() {
    var z = map.getZoom(), c = map.getContainer().classList;
    c.toggle("tongan-z-township", z < {{ this.township_zoom }});
    c.toggle("tongan-z-detail", z < {{ this.detail_zoom }});
  }
  map.on("zoomend", declutter);
  map.whenReady(declutter);
})({{ this._parent.get_name() }});
{% endmacro %}
"""


class _LabelZoom(MacroElement):
    """Hides township labels below one zoom and village and water labels below another."""

    _template = Template(_LABEL_ZOOM)

    def __init__(self, township_zoom: int, detail_zoom: int) -> None:
        super().__init__()
        self._name = "LabelZoom"
        self.township_zoom = township_zoom
        self.detail_zoom = detail_zoom


def _label(group: folium.FeatureGroup, point: shapely.Point, text: str, kind: str) -> None:
    folium.Marker(
        [point.y, point.x],
        icon=folium.DivIcon(html=html.escape(text), class_name=f"tongan-label tongan-label-{kind}"),
        interactive=False,
    ).add_to(group)


def _areas(
    m: folium.Map, areas: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> None:
    group = folium.FeatureGroup(name=_t("areas", lang))
    levels = areas["level"].astype(str)
    if by_url := _by_url(remote, areas):
        add_remote_layer(
            group,
            areas[["geometry"]].assign(level=levels),
            remote=by_url,
            key="areas",
            styles={
                lv: {"color": "#555", "weight": _AREA_WEIGHTS.get(lv, 1), "fill": False}
                for lv in set(levels)
            },
            style="level",
            interactive=False,
        )
    for row in [] if by_url else areas.itertuples():
        weight = _AREA_WEIGHTS.get(str(row.level), 1)
        folium.GeoJson(
            row.geometry.__geo_interface__,
            style_function=lambda _f, w=weight: {"color": "#555", "weight": w, "fill": False},
            interactive=False,
        ).add_to(group)
    group.add_to(m)


def _roads(
    m: folium.Map,
    roads: gpd.GeoDataFrame,
    lang: Language,
    remote: RemoteLayers | None,
    detail_zoom: int,
) -> None:
    group = folium.FeatureGroup(name=_t("roads", lang), show=True)
    kinds = roads["kind"].astype(str)
    if by_url := _by_url(remote, roads):
        styled = roads[["geometry"]].assign(s=["minor" if k in _MINOR else "road" for k in kinds])
        local = kinds.isin(LOCAL_ROADS).to_numpy()
        parts: list[tuple[str, np.ndarray, int | None]] = [
            ("roads", ~local, None),
            ("roads_local", local, detail_zoom),
        ]
        for key, mask, least in parts:
            if mask.any():
                add_remote_layer(
                    group,
                    styled.loc[mask],
                    remote=by_url,
                    key=key,
                    styles=_ROAD_STYLES,
                    style="s",
                    min_zoom=least,
                    interactive=False,
                )
        if local.any():
            add_legend(m, _t("roads", lang), [("#636363", _t("local_roads", lang, z=detail_zoom))])
    elif len(roads):
        folium.GeoJson(
            roads[["kind", "geometry"]].to_json(),
            style_function=lambda f: _ROAD_STYLES[
                "minor" if f["properties"]["kind"] in _MINOR else "road"
            ],
            interactive=False,
        ).add_to(group)
    group.add_to(m)


def _waters(
    m: folium.Map, waters: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> None:
    group = folium.FeatureGroup(name=_t("waters", lang))
    if by_url := _by_url(remote, waters):
        add_remote_layer(
            group,
            waters[["geometry"]],
            remote=by_url,
            key="waters",
            styles={"": WATER_STYLE},
            interactive=False,
        )
    elif len(waters):
        folium.GeoJson(
            waters[["geometry"]].to_json(),
            style_function=lambda _f: WATER_STYLE,
            interactive=False,
        ).add_to(group)
    group.add_to(m)


def _labels(
    m: folium.Map, areas: gpd.GeoDataFrame, waters: gpd.GeoDataFrame | None, lang: Language
) -> None:
    group = folium.FeatureGroup(name=_t("labels", lang), show=True)
    for row in areas.itertuples():
        level = str(row.level)
        if level in {"county", "township", "village"} and str(row.name):
            _label(group, row.geometry.representative_point(), str(row.name), level)
    if waters is not None and len(waters):
        named = waters.loc[waters["name"].astype(object).fillna("").astype(str) != ""]
        # the longest waters first: a county's main rivers keep their names when capped
        size = named.to_crs(named.estimate_utm_crs()).length if len(named) else named.geometry
        for i in np.argsort(-np.asarray(size, dtype=float), kind="stable")[:MAX_WATER_LABELS]:
            geom = named.geometry.iloc[i]
            point = (
                geom.interpolate(0.5, normalized=True)
                if geom.geom_type in {"LineString", "MultiLineString"}
                else geom.representative_point()
            )
            _label(group, point, str(named["name"].iloc[i]), "water")
    group.add_to(m)


def add_reference(
    m: folium.Map,
    layers: Layers,
    *,
    lang: Language = "zh",
    remote: RemoteLayers | None = None,
    detail_zoom: int = 13,
    waters: bool = True,
) -> folium.Map:
    """Draw the county's boundaries, roads, waters and names on ``m``, below what comes after.

    Parameters
    ----------
    m
        A map from :func:`maps.base.base_map`, before the results are added.
    layers
        The workspace's layers (any CRS): ``areas``, ``roads`` and ``waters`` are drawn.
    lang
        Language of the layer names and kinds.
    remote
        Sends the large layers by URL (the map server's); ``None`` writes them into the page.
    detail_zoom
        Village roads, tracks and paths (when sent by URL) and village and water names appear
        from this zoom.
    waters
        Whether to draw the waters; a map that draws them with its own styling says ``False``
        (their names are still labelled).
    """
    areas, roads, water = (layers[k].to_crs(WGS84) for k in ("areas", "roads", "waters"))
    if len(areas):
        _areas(m, areas, lang, remote)
    if len(roads):
        _roads(m, roads, lang, remote, detail_zoom)
    if waters and len(water):
        _waters(m, water, lang, remote)
    _labels(m, areas, water if len(water) else None, lang)
    m.add_child(_LabelZoom(TOWNSHIP_LABEL_ZOOM, detail_zoom))
    return m
