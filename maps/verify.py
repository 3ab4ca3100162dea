"""Map of a patrol check: the planned stops visited (green) or skipped (red), the unplanned stops
(orange) and the GPS track. It draws :class:`analysis.verify.TrackVerification` as it is."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from analysis.verify import BEIJING, TrackVerification
from geo.crs import WGS84
from geo.i18n import tr
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend, base_map, finish, focus, popup_table
from maps.patrol import numbered_icon
from maps.reference import add_reference

__all__ = ["STATUS_COLORS", "TRACK_COLOR", "verify_map"]

STATUS_COLORS = {"visited": "#1a9641", "skipped": "#d7191c", "unplanned": "#f28e2b"}
TRACK_COLOR = "#2b83ba"


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_verify_{key}", lang, **values)


def _clock(value: object, lang: Language) -> str:
    if value is None or pd.isna(value):
        return _t("none", lang)
    return pd.Timestamp(value).tz_convert(BEIJING).strftime("%H:%M")


def _add_track(m: folium.Map, track: pd.DataFrame, lang: Language) -> None:
    """The track as one polyline per segment."""
    group = folium.FeatureGroup(name=_t("track", lang))
    segments = pd.Series(track.get("segment", 0), index=track.index)
    for _, part in track.groupby(segments.to_numpy(), sort=False):
        folium.PolyLine(
            list(zip(part["lat"], part["lon"], strict=True)),
            color=TRACK_COLOR,
            weight=3,
            opacity=0.8,
            tooltip=_t("track", lang),
        ).add_to(group)
    group.add_to(m)


def _add_stops(
    m: folium.Map, rows: pd.DataFrame, places: gpd.GeoDataFrame, status: str, lang: Language
) -> None:
    """One layer of stops of one status: numbered when planned, a dot when unplanned."""
    group = folium.FeatureGroup(name=_t(status, lang))
    color = STATUS_COLORS[status]
    for _, r in rows.iterrows():
        place = places.loc[r["spot_id"]]
        point = place.geometry
        popup = {
            _t("spot", lang): r["spot_id"],
            _t("water", lang): place.get("water_name") or "",
            _t("planned", lang): place.get("arrival") or "-",
            _t("arrival", lang): _clock(r["arrival"], lang),
            _t("minutes", lang): f"{r['minutes']:.1f}",
        }
        tip = f"{r['spot_id']} {_t(status, lang)}"
        order = place.get("order")
        if status == "unplanned" or pd.isna(order):
            marker: folium.Marker | folium.CircleMarker = folium.CircleMarker(
                (point.y, point.x), radius=8, color="#fff", weight=2, fill=True,
                fill_color=color, fill_opacity=0.9,
            )  # fmt: skip
        else:
            marker = folium.Marker((point.y, point.x), icon=numbered_icon(int(order), color))
        marker.add_child(popup_table(popup, title=tip))
        marker.add_child(folium.Tooltip(tip))
        marker.add_to(group)
    group.add_to(m)


def verify_map(
    result: TrackVerification,
    places: gpd.GeoDataFrame,
    track: pd.DataFrame,
    *,
    lang: Language = "zh",
    reference: Layers | None = None,
) -> folium.Map:
    """The planned stops coloured by whether they were visited, the unplanned stops, the track.

    Parameters
    ----------
    result
        The matching (:func:`analysis.verify.verify_track`).
    places
        Where the stops are: ``spot_id`` and point geometry (any CRS) of every stop in
        ``result``, planned or unplanned; optional ``order``, ``water_name`` and ``arrival``
        (the planned HH:MM) for the markers and popups.
    track
        The track's points: ``lon``, ``lat`` (WGS84), optional ``segment``.
    lang
        Language of the layer names, legend and popups (Chinese by default).
    reference
        The workspace's layers, drawn beneath (:func:`maps.reference.add_reference`).
    """
    where = places.to_crs(WGS84).drop_duplicates("spot_id").set_index("spot_id")
    points = gpd.GeoSeries(gpd.points_from_xy(track["lon"], track["lat"]), crs=WGS84)
    m = base_map(focus(points, where), lang=lang)
    if reference is not None:
        add_reference(m, reference, lang=lang)
    _add_track(m, track, lang)
    stops = result.stops
    _add_stops(m, stops[stops["visited"].astype(bool)], where, "visited", lang)
    _add_stops(m, stops[~stops["visited"].astype(bool)], where, "skipped", lang)
    _add_stops(m, result.unplanned, where, "unplanned", lang)
    legend = [(c, _t(k, lang)) for k, c in STATUS_COLORS.items()]
    add_legend(m, _t("legend", lang), [*legend, (TRACK_COLOR, _t("track", lang))])
    return finish(m)
