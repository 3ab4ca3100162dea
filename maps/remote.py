"""Large layers loaded by the browser from the map server by URL, not written into the HTML.

A county has 200,000 households and 20,000 risk spots; folium writes every feature into the
map's HTML as its own JavaScript object (a marker, a popup, a tooltip), which gives pages of
hundreds of megabytes that a browser parses for minutes. Issue 8's bar is 8 MB and 3 s.

So a map builder given a :class:`RemoteLayers` (the map server passes one; the command line,
which writes a self-contained HTML file, does not) sends every layer with more than
``inline_max`` features (the ``map_inline_max_features`` setting) by URL: the map holds a small
script that fetches ``layers/<key>.geojson?<the page's query>`` from the server once the layer
is shown. Such a layer's features carry only their style key and tooltip; their popup tables
come in a companion collection (``<key>.popup``, null geometries, same order) fetched right
after the layer is drawn, and are built in the browser with the same labels (Chinese by
default) and the same two-column table as :func:`maps.base.popup_table`. A map with a layer by
URL draws its vector features on one canvas (``preferCanvas``, set by :func:`maps.base.finish`)
rather than one SVG element each; points are canvas circles or, clustered, icon markers. Layers
are downloaded together and drawn in the order the map lists them. Small layers stay inline, so
small maps and offline HTML downloads work as before.

``window.tonganLayers`` tells the tests and the benchmark what happened: ``pending`` (layers
shown but not yet drawn), ``map`` and, per key, ``count`` (features drawn), ``loaded``,
``failed``, ``ms`` (when it was drawn, ``performance.now()``) and ``layer`` (the Leaflet layer).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement, Template

from geo.crs import WGS84, wgs84_to_offset

__all__ = [
    "RemoteGeoJson",
    "RemoteLayers",
    "add_popup_layer",
    "add_remote_layer",
    "geojson_bytes",
    "popup_frame",
]

#: Decimal places of the coordinates sent: 1e-6 degrees is about 0.1 m.
PRECISION = 6
#: A layer with more coordinates than this times ``inline_max`` also goes by URL.
COORDINATES_PER_FEATURE = 20
#: A feature with a popup table weighs as much in the HTML as this many without.
POPUP_WEIGHT = 4
#: Metres in a degree of latitude (a degree of longitude is at most this long).
METRES_PER_DEGREE = 111_320.0
#: Suffix of the key of a layer's popup tables (a collection of its own, fetched after drawing).
DETAILS = ".popup"

_MARKERCLUSTER = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/"

# Loaded once per page (header): the loader every by-URL layer calls.
_LOADER = """
<script>
window.tonganLayers = window.tonganLayers || {pending: 0, layers: {}, chain: Promise.resolve()};
function tonganEscape(value) {
  return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g,
    function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; });
}
function tonganPopup(spec, p) {
  // the same table as maps.base.popup_table
  var head = spec.title ? "<h4 style='margin:0 0 4px'>" + tonganEscape(p[spec.title]) + "</h4>" : "";
  var rows = spec.popup.map(function (f) {
    return "<tr><th style='text-align:left;padding-right:8px;white-space:nowrap'>" +
      tonganEscape(f[1]) + "</th><td>" + tonganEscape(p[f[0]]) + "</td></tr>";
  }).join("");
  return head + "<table>" + rows + "</table>";
}
function tonganFetch(url) {
  return fetch(url, {credentials: "same-origin"}).then(function (r) {
    if (!r.ok) { throw new Error(r.status + " " + r.statusText + " " + url); }
    return r.json();
  });
}
function tonganRemote(map, group, spec) {
  var all = window.tonganLayers;
  var state = {count: 0, loaded: false, failed: false, started: false, ms: null, url: spec.url};
  all.layers[spec.key] = state;
  all.map = map;
  all.pending += 1;
  function styleOf(feature) {
    var key = spec.style ? feature.properties[spec.style] : "";
    return spec.styles[key] || spec.styles[""] || {};
  }
  // the popup tables come apart, fetched once the layer is drawn (or at the first click)
  var details = null, detailsLoading = null;
  function loadDetails() {
    if (!detailsLoading) {
      detailsLoading = tonganFetch(spec.details).then(function (d) { details = d.features; })
        .catch(function (err) { console.error("Tongan: popups of " + spec.key + ": " + err); });
    }
    return detailsLoading;
  }
  function fill(popup, item) {
    if (details) { popup.setContent(tonganPopup(spec, details[item.tonganIndex].properties)); return; }
    popup.setContent("…");
    loadDetails().then(function () {
      if (details) { popup.setContent(tonganPopup(spec, details[item.tonganIndex].properties)); }
    });
  }
  var index = 0;
  var layer = L.geoJSON(null, {
    interactive: spec.interactive !== false,
    style: styleOf,  // drawn by the map's canvas (preferCanvas): maps.base.finish
    pointToLayer: function (feature, latlng) {
      var s = styleOf(feature);
      if (spec.marker === "icon") { return L.marker(latlng, {icon: L.AwesomeMarkers.icon(s)}); }
      return L.circleMarker(latlng, s);
    },
    onEachFeature: function (feature, item) { item.tonganIndex = index++; }
  });
  // popups and tooltips are bound to a feature when first needed, not to every feature up front
  if (spec.details) {
    layer.on("click", function (e) {
      var item = e.layer;
      if (item.getPopup()) { return; }
      item.bindPopup("…", {maxWidth: spec.width});
      fill(item.getPopup(), item);
      item.on("popupopen", function () { fill(item.getPopup(), item); });
      item.openPopup(item.getLatLng ? undefined : e.latlng);
    });
  }
  if (spec.tooltip) {
    layer.on("mouseover", function (e) {
      var item = e.layer;
      if (item.getTooltip()) { return; }
      item.bindTooltip(tonganEscape(item.feature.properties[spec.tooltip]), {sticky: true});
      item.openTooltip(e.latlng);
    });
  }
  state.layer = layer;
  // a layer with minZoom / maxZoom is drawn only within those zooms (details when zoomed in,
  // a summary when zoomed out), and fetched when first needed
  function zoomOk() {
    var z = map.getZoom();
    return (spec.minZoom === null || spec.minZoom === undefined || z >= spec.minZoom) &&
      (spec.maxZoom === null || spec.maxZoom === undefined || z <= spec.maxZoom);
  }
  var shown = null;  // what is added to the group: the layer, or its cluster
  function sync() {
    if (!map.hasLayer(group)) { return; }
    if (!zoomOk()) {
      if (shown && group.hasLayer(shown)) { group.removeLayer(shown); }
      return;
    }
    if (!state.started) { all.pending += 1; load(); return; }
    if (shown && !group.hasLayer(shown)) { group.addLayer(shown); }
  }
  function draw(data) {
    layer.addData(data);
    state.count = layer.getLayers().length;
    return new Promise(function (done) {
      var visible = zoomOk();  // the map may have been zoomed while the data came
      if (spec.cluster) {
        shown = L.markerClusterGroup({
          chunkedLoading: true,
          chunkProgress: function (processed, total) { if (processed >= total) { done(); } }
        });
        if (visible) { group.addLayer(shown); }
        shown.addLayers(layer.getLayers());
        if (!state.count || !visible) { done(); }
      } else {
        shown = layer;
        if (visible) { group.addLayer(layer); }
        done();
      }
    }).then(function () {
      state.loaded = true;
      state.ms = performance.now();
      if (spec.details) { setTimeout(loadDetails, 100); }
    });
  }
  function load() {
    if (state.started) { return; }
    state.started = true;
    var data = tonganFetch(spec.url);  // all layers download at once ...
    all.chain = all.chain.then(function () { return data; }).then(draw)  // ... drawn in map order
      .catch(function (err) {
        state.failed = true;
        console.error("Tongan: layer " + spec.key + " could not be loaded: " + err);
      })
      .finally(function () { all.pending -= 1; });
  }
  // the group is added to the map after this script: decide once the page's scripts have run;
  // a hidden layer, or one outside its zooms, is fetched when first shown
  setTimeout(function () {
    all.pending -= 1;  // counted again by sync() if it loads now
    group.on("add", sync);
    map.on("zoomend", sync);
    sync();
  }, 0);
}
</script>
"""

_TEMPLATE = """
{% macro script(this, kwargs) %}
tonganRemote({{ this._map_name }}, {{ this._parent.get_name() }}, {{ this.spec|tojson }});
{% endmacro %}
"""


@dataclass
class RemoteLayers:
    """Where a map's large layers go: their URL, and the frames the server serves there.

    Parameters
    ----------
    url
        The URL of a layer from its key, relative to the map page (the server's
        ``/maps/{name}/layers/{key}.geojson`` with the page's query string).
    inline_max
        A layer with more features than this is sent by URL; smaller ones stay in the HTML.
    simplify_m
        Lines and polygons sent by URL are simplified to this tolerance in metres (topology
        kept, so polygons stay valid); ``0`` sends them as they are. Points are never moved.
    """

    url: Callable[[str], str]
    inline_max: int
    simplify_m: float = 0.0
    frames: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    _bytes: dict[tuple[str, str], bytes] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def by_url(
        self, layer: int | gpd.GeoDataFrame | gpd.GeoSeries, *, popups: bool = False
    ) -> bool:
        """Whether a layer (or a layer of this many features) goes by URL.

        A layer goes by URL when it has more than ``inline_max`` features (``inline_max //
        POPUP_WEIGHT`` when each feature has a popup table, which folium writes as an element of
        its own: a county's 400 villages with popups weigh a megabyte), or more than
        ``COORDINATES_PER_FEATURE * inline_max`` coordinates (a few large polygons, such as a
        county's coverage gaps, weigh as much as thousands of points).
        """
        most = self.inline_max // POPUP_WEIGHT if popups else self.inline_max
        if isinstance(layer, int):
            return layer > most
        coordinates = int(shapely.get_num_coordinates(layer.geometry.to_numpy()).sum())
        return len(layer) > most or coordinates > COORDINATES_PER_FEATURE * self.inline_max

    def geojson(self, key: str, *, offset: Literal["wgs84", "gcj02"] = "wgs84") -> bytes:
        """The layer ``key`` as GeoJSON (WGS84, or GCJ-02 for Amap tiles), serialised once."""
        with self._lock:
            cached = self._bytes.get((key, offset))
        if cached is not None:
            return cached
        frame = self.frames[key]
        if offset != "wgs84":
            frame = wgs84_to_offset(frame, offset)
        data = geojson_bytes(frame)
        with self._lock:
            self._bytes[(key, offset)] = data
        return data


def geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """A FeatureCollection of ``frame`` (WGS84), coordinates rounded to ``PRECISION`` places.

    Geometries are written by GEOS (``shapely.to_geojson``, vectorised), several times faster
    than ``GeoDataFrame.to_json`` on a county's roads.
    """
    wgs = frame.to_crs(WGS84) if frame.crs is not None and not frame.crs.equals(WGS84) else frame
    geoms = wgs.geometry.to_numpy()
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, PRECISION))
    texts = shapely.to_geojson(rounded)
    props = pd.DataFrame(wgs.drop(columns=wgs.geometry.name))
    records = props.astype(object).where(props.notna(), None).to_dict("records")
    parts = [
        '{"type":"Feature","properties":'
        + json.dumps(rec, ensure_ascii=False, default=str, separators=(",", ":"))
        + ',"geometry":'
        + (text if text is not None else "null")
        + "}"
        for rec, text in zip(records, texts, strict=True)
    ]
    return ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()


class RemoteGeoJson(MacroElement):
    """A layer of a FeatureGroup whose features the browser fetches from ``spec["url"]``."""

    _template = Template(_TEMPLATE)

    def __init__(self, spec: Mapping[str, Any], *, cluster: bool) -> None:
        super().__init__()
        self._name = "RemoteGeoJson"
        self.spec = dict(spec)
        self.cluster = cluster
        self._map_name = ""

    def render(self, **kwargs: Any) -> Any:
        figure: Any = self.get_root()
        figure.header.add_child(Element(_LOADER), name="tongan_remote_loader")
        if self.cluster:
            for name, path in (
                ("markerclusterjs", "leaflet.markercluster.js"),
                ("markerclustercss", "MarkerCluster.css"),
                ("markerclusterdefaultcss", "MarkerCluster.Default.css"),
            ):
                link: Element = (
                    folium.JavascriptLink(_MARKERCLUSTER + path)
                    if path.endswith(".js")
                    else folium.CssLink(_MARKERCLUSTER + path)
                )
                figure.header.add_child(link, name=name)
        parent: Any = self._parent
        while parent is not None and not isinstance(parent, folium.Map):
            parent = getattr(parent, "_parent", None)
        if parent is None:
            raise ValueError("a RemoteGeoJson must be inside a folium.Map")
        self._map_name = parent.get_name()
        return super().render(**kwargs)


def _send(
    remote: RemoteLayers,
    frame: gpd.GeoDataFrame,
    *,
    key: str,
    style: str | None,
    tooltip: str | None,
    popup: Sequence[tuple[str, str]],
    title: str | None,
) -> str | None:
    """Hand ``frame`` to ``remote`` under ``key`` (its style and tooltip columns only) and its
    popup tables under ``key + DETAILS``; the URL of the popup tables (``None`` without)."""
    if key in remote.frames:
        raise ValueError(f"layer key {key!r} is used twice on this map")
    columns = {c for c, _ in popup} | {c for c in (style, title, tooltip) if c}
    missing = columns - set(frame.columns)
    if missing:
        raise KeyError(f"layer {key!r} has no column(s) {sorted(missing)}")
    geometry = frame.geometry.name
    shown = sorted(c for c in (style, tooltip) if c)
    remote.frames[key] = _simplified(frame[[*shown, geometry]].to_crs(WGS84), remote.simplify_m)
    details = None
    if popup or title:
        # popup tables in a companion collection (null geometries, same order): the map is
        # drawn from the small one and the popups fill in from this one
        table = list(dict.fromkeys([*(c for c, _ in popup), *([title] if title else [])]))
        remote.frames[f"{key}{DETAILS}"] = gpd.GeoDataFrame(
            frame[table].reset_index(drop=True),
            geometry=[None] * len(frame),
            crs=WGS84,
        )
        details = remote.url(f"{key}{DETAILS}")
    return details


def add_remote_layer(
    group: folium.FeatureGroup,
    frame: gpd.GeoDataFrame,
    *,
    remote: RemoteLayers,
    key: str,
    styles: Mapping[str, Mapping[str, Any]],
    style: str | None = None,
    popup: Sequence[tuple[str, str]] = (),
    title: str | None = None,
    tooltip: str | None = None,
    width: int = 300,
    marker: Literal["circle", "icon"] = "circle",
    cluster: bool = False,
    min_zoom: int | None = None,
    max_zoom: int | None = None,
    interactive: bool = True,
) -> RemoteGeoJson:
    """Send ``frame`` by URL and draw it in ``group`` once the browser has fetched it.

    Parameters
    ----------
    group
        The layer-control entry the features belong to (its name and ``show`` stay as they are).
    frame
        The features, any CRS; the columns named below are their properties (keep them few:
        they are what the browser downloads).
    remote
        Collects the frame for the server under ``key`` (unique per page).
    styles
        Leaflet options per style key: path options (``color``, ``weight``, ``fillColor``,
        ``fillOpacity``, ``radius``, ``dashArray``) or, for ``marker="icon"``,
        ``L.AwesomeMarkers.icon`` options (``icon``, ``prefix``, ``markerColor``). The key ``""``
        is the default.
    style
        Column holding each feature's style key (one style for all when ``None``).
    popup
        ``(column, label)`` rows of the popup table; ``title`` is the column of its heading.
    tooltip
        Column holding the tooltip text.
    width
        The popup's maximal width in pixels.
    marker
        Points as canvas circles (``"circle"``) or as icon markers (``"icon"``).
    cluster
        Cluster the markers (Leaflet.markercluster), for many icon markers.
    min_zoom, max_zoom
        Draw the layer only from / up to these zoom levels (both included), fetching it when
        first needed: the details of a county when zoomed in, a summary when zoomed out.
    interactive
        Whether the features take clicks and hovers; a base drawn beneath the results says
        ``False``, so a tap always reaches the result above it.
    """
    details = _send(remote, frame, key=key, style=style, tooltip=tooltip, popup=popup, title=title)
    spec = {
        "key": key,
        "url": remote.url(key),
        "details": details,
        "styles": {k: dict(v) for k, v in styles.items()},
        "style": style,
        "popup": [[c, text] for c, text in popup],
        "title": title,
        "tooltip": tooltip,
        "width": width,
        "marker": marker,
        "cluster": cluster,
        "minZoom": min_zoom,
        "maxZoom": max_zoom,
        "interactive": interactive,
    }
    element = RemoteGeoJson(spec, cluster=cluster)
    group.add_child(element)
    return element


def _simplified(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """``frame`` (WGS84) with its lines and polygons simplified to ``tolerance_m``.

    The tolerance is taken as ``tolerance_m / METRES_PER_DEGREE`` degrees, which moves no
    vertex farther than ``tolerance_m`` on the ground (a degree of longitude is shorter than
    one of latitude).
    """
    if tolerance_m <= 0 or not len(frame):
        return frame
    geoms = frame.geometry.to_numpy()
    shaped = shapely.get_type_id(geoms) > 0  # not a point (0) nor missing (-1)
    if not shaped.any():
        return frame
    out = geoms.copy()
    out[shaped] = shapely.simplify(
        geoms[shaped], tolerance_m / METRES_PER_DEGREE, preserve_topology=True
    )
    return frame.set_geometry(gpd.GeoSeries(out, index=frame.index, crs=frame.crs))


def add_popup_layer(
    group: folium.FeatureGroup,
    geometry: gpd.GeoSeries | Sequence[Any],
    rows: Sequence[Mapping[str, object]],
    *,
    remote: RemoteLayers,
    key: str,
    styles: Mapping[str, Mapping[str, Any]],
    style: Sequence[str] | None = None,
    title: Sequence[str] | None = None,
    tooltip: Sequence[str] | None = None,
    crs: Any = WGS84,
    **options: Any,
) -> RemoteGeoJson:
    """:func:`add_remote_layer` for features given as popup tables (label -> value per feature,
    as for :func:`maps.base.popup_table`) with, per feature, a style key, a popup title and a
    tooltip; ``options`` are the other arguments of :func:`add_remote_layer` (``marker``,
    ``cluster``, ``width``, ``min_zoom``...)."""
    columns = {
        name: list(values)
        for name, values in (("s", style), ("title", title), ("tip", tooltip))
        if values is not None
    }
    frame, popup = popup_frame(geometry, rows, crs=crs, **columns)
    return add_remote_layer(
        group,
        frame,
        remote=remote,
        key=key,
        styles=styles,
        style="s" if style is not None else None,
        popup=popup,
        title="title" if title is not None else None,
        tooltip="tip" if tooltip is not None else None,
        **options,
    )


def popup_frame(
    geometry: gpd.GeoSeries | Sequence[Any],
    rows: Sequence[Mapping[str, object]],
    *,
    crs: Any = WGS84,
    **columns: Sequence[object],
) -> tuple[gpd.GeoDataFrame, list[tuple[str, str]]]:
    """Features whose popup tables are ``rows`` (label -> value, as for ``popup_table``).

    Returns the frame (popup values as text in columns ``p0``, ``p1``...; ``columns`` added as
    they are) and the ``(column, label)`` list for :func:`add_remote_layer`'s ``popup``. Labels
    are taken in first-seen order over all rows; a row without a label shows it empty.
    """
    labels: dict[str, None] = {}
    for row in rows:
        labels.update(dict.fromkeys(row))
    data: dict[str, Any] = {
        f"p{i}": [_text(row.get(label)) for row in rows] for i, label in enumerate(labels)
    }
    data.update({k: list(v) for k, v in columns.items()})
    frame = gpd.GeoDataFrame(data, geometry=list(geometry), crs=crs)
    return frame, [(f"p{i}", label) for i, label in enumerate(labels)]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)
