"""The flood-season review map: institutions by hazard level, hazards, waters, escape routes.

Built from a :class:`analysis.flood.FloodReview` only; nothing here grades an institution.
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd
import pandas as pd

from analysis.flood import FloodReview
from geo.crs import WGS84
from geo.i18n import tr, value_label
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend, base_map, finish, popup_table
from maps.reference import add_reference
from maps.remote import RemoteLayers, add_remote_layer, popup_frame

LEVEL_COLORS = {"high": "#d7191c", "medium": "#fdae61", "low": "#1a9641"}
HAZARD_COLORS = {
    "flood_zone": "#00acc1",
    "landslide_zone": "#8c510a",
    "dangerous_wall": "#7b3294",
    "dangerous_building": "#c51b7d",
}
WATER_COLOR = "#1f4e9c"
ROUTE_COLOR = "#000000"


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_flood_{key}", lang, **values)


def _level_label(level: str, lang: Language) -> str:
    return value_label(level, lang)


def _by_url(remote: RemoteLayers | None, frame: gpd.GeoDataFrame) -> RemoteLayers | None:
    """``remote`` when ``frame`` goes by URL, else ``None`` (drawn into the HTML)."""
    return remote if remote is not None and remote.by_url(frame) else None


def _add_waters(
    m: folium.Map, waters: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> None:
    """The waters reviewed (WGS84), their kind and name as tooltip."""
    group = folium.FeatureGroup(name=_t("waters", lang))
    w = waters[["id", "kind", "name", "geometry"]].copy()
    w["kind"] = [value_label(str(k), lang) for k in w["kind"]]
    w["name"] = w["name"].fillna("").astype(str)
    water_style = {
        "color": WATER_COLOR,
        "weight": 2,
        "fillColor": WATER_COLOR,
        "fillOpacity": 0.4,
    }
    if to := _by_url(remote, w):
        add_remote_layer(
            group,
            w[["geometry"]].assign(
                tip=[f"{k} {n}".strip() for k, n in zip(w["kind"], w["name"], strict=True)]
            ),
            remote=to,
            key="waters",
            styles={"": water_style},
            tooltip="tip",
        )
    else:
        folium.GeoJson(
            w.to_json(default=str),
            style_function=lambda _: water_style,
            tooltip=folium.GeoJsonTooltip(
                fields=["kind", "name"], aliases=[_t("kind", lang), _t("name", lang)]
            ),
        ).add_to(group)
    group.add_to(m)


def _hazard_rows(h: pd.Series, kind: str, lang: Language) -> dict[str, object]:
    return {
        _t("kind", lang): value_label(kind, lang),
        _t("name", lang): h["name"] if pd.notna(h["name"]) else h["id"],
        _t("level", lang): value_label(str(h["level"]), lang) if pd.notna(h["level"]) else "—",
    }


def _add_hazard_kind(
    m: folium.Map,
    sub: gpd.GeoDataFrame,
    kind: str,
    color: str,
    lang: Language,
    remote: RemoteLayers | None,
) -> None:
    """The hazards of one kind: points as circles, zones and walls as shapes, with a popup."""
    group = folium.FeatureGroup(name=value_label(kind, lang))
    if to := _by_url(remote, sub):
        frame, popup = popup_frame(
            sub.geometry, [_hazard_rows(h, kind, lang) for _, h in sub.iterrows()]
        )
        style = {"color": color, "weight": 1, "fill": True, "fillColor": color}
        add_remote_layer(
            group,
            frame,
            remote=to,
            key=f"hazards_{kind}",
            styles={"": {**style, "fillOpacity": 0.25, "radius": 7}},
            popup=popup,
        )
        group.add_to(m)
        return
    for _, h in sub.iterrows():
        hrows = _hazard_rows(h, kind, lang)
        geom = h.geometry
        if geom.geom_type == "Point":
            folium.CircleMarker(
                [geom.y, geom.x],
                radius=7,
                color=color,
                fill=True,
                fill_opacity=0.9,
                popup=popup_table(hrows),
            ).add_to(group)
        else:
            folium.GeoJson(
                geom.__geo_interface__,
                style_function=lambda _, c=color, line=geom.geom_type != "Polygon": {
                    "color": c,
                    "weight": 5 if line else 1,
                    "fillColor": c,
                    "fillOpacity": 0.25,
                },
                popup=popup_table(hrows),  # type: ignore[arg-type]
            ).add_to(group)
    group.add_to(m)


def _add_routes(
    m: folium.Map, routes: gpd.GeoDataFrame, inst: gpd.GeoDataFrame, lang: Language
) -> None:
    """The escape routes, dashed, with the institution and the distance as tooltip."""
    group = folium.FeatureGroup(name=_t("routes", lang))
    names = dict(zip(inst["id"], inst["name"], strict=True))
    for _, r in routes.iterrows():
        folium.PolyLine(
            [(y, x) for x, y in r.geometry.coords],
            color=ROUTE_COLOR,
            weight=3,
            dash_array="6 6",
            tooltip=f"{_t('route_to', lang)}{names.get(r['institution_id'], '')} "
            + _t("metres", lang, d=r["distance_m"]),
        ).add_to(group)
    group.add_to(m)


def _institution_rows(r: pd.Series, checklist: pd.DataFrame, lang: Language) -> dict[str, object]:
    """The popup of an institution: its level, reasons, office and its checklist."""
    rows: dict[str, object] = {
        _t("kind", lang): value_label(str(r["kind"]), lang),
        _t("level", lang): _level_label(str(r["level"]), lang),
        _t("reasons", lang): r[f"reasons_{lang}"] or _t("none", lang),
        _t("exposed", lang): r["exposed"] if pd.notna(r["exposed"]) else "—",
        _t("office", lang): tr(f"flood_office_{r['office']}", lang),
    }
    if isinstance(r["escape_m"], float) and math.isfinite(r["escape_m"]):
        rows[_t("escape", lang)] = _t("metres", lang, d=r["escape_m"])
    for _, c in checklist.loc[checklist["institution_id"] == r["id"]].iterrows():
        text = tr(f"flood_status_{c['status']}", lang)
        rows[tr(f"flood_item_{c['item']}", lang)] = f"{text} {c[f'detail_{lang}']}".strip()
    return rows


def _add_institutions(
    m: folium.Map, inst: gpd.GeoDataFrame, checklist: pd.DataFrame, lang: Language
) -> None:
    """The institutions coloured by hazard level, the checklist in their popup."""
    group = folium.FeatureGroup(name=_t("institutions", lang))
    for _, r in inst.iterrows():
        folium.CircleMarker(
            [r.geometry.y, r.geometry.x],
            radius=9,
            color="#333333",
            weight=1,
            fill=True,
            fill_color=LEVEL_COLORS[str(r["level"])],
            fill_opacity=0.95,
            popup=popup_table(
                _institution_rows(r, checklist, lang), title=str(r["name"]), width=380
            ),
            tooltip=str(r["name"]),
        ).add_to(group)
    group.add_to(m)


def flood_map(
    review: FloodReview,
    *,
    lang: Language = "zh",
    remote: RemoteLayers | None = None,
    reference: Layers | None = None,
) -> folium.Map:
    """A folium map of the review.

    Layers (each a ``FeatureGroup``): one per hazard kind present (flood zones, landslide zones,
    walls, buildings), waters, escape routes, and institutions coloured by hazard level with a
    popup of the checklist; two legends (levels; hazards and waters) and a layer control.

    Parameters
    ----------
    review
        The result of :func:`analysis.flood.review_institutions`.
    lang
        ``"zh"`` (default) or ``"en"``.
    remote
        Where layers with many features go by URL (:mod:`maps.remote`; the map server's);
        ``None`` writes every feature into the HTML.
    reference
        The workspace's layers: their boundaries, roads, waters and names are drawn beneath
        the results (:func:`maps.reference.add_reference`); ``None`` draws none.
    """

    inst = review.institutions.to_crs(WGS84)
    bounds: gpd.GeoDataFrame = inst if len(inst) else review.waters
    m = base_map(bounds if len(bounds) else review.hazards, lang=lang)
    if reference is not None:
        add_reference(m, reference, lang=lang, remote=remote, waters=False)
    waters = review.waters.to_crs(WGS84)
    if len(waters):
        _add_waters(m, waters, lang, remote)
    hazards = review.hazards.to_crs(WGS84)
    for kind, color in HAZARD_COLORS.items():
        sub = hazards.loc[hazards["kind"] == kind]
        if len(sub):
            _add_hazard_kind(m, sub, kind, color, lang, remote)
    routes = review.routes.to_crs(WGS84)
    if len(routes):
        _add_routes(m, routes, inst, lang)
    _add_institutions(m, inst, review.checklist, lang)

    # one legend box: maps.base places every legend at the same corner, so two would overlap
    items = [
        (c, f"{_t('legend_levels', lang)}: {_level_label(lv, lang)}")
        for lv, c in LEVEL_COLORS.items()
    ]
    items += [(c, value_label(k, lang)) for k, c in HAZARD_COLORS.items()]
    items += [(WATER_COLOR, _t("waters", lang)), (ROUTE_COLOR, _t("routes", lang))]
    add_legend(m, _t("legend", lang), items)
    return finish(m)
