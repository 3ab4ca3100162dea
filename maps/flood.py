"""The flood-season review map: institutions by hazard level, hazards, waters, escape routes.

Built from a :class:`analysis.flood.FloodReview` only; nothing here grades an institution.
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd
import pandas as pd

from analysis.flood import CHECK_ITEMS, OFFICES, STATUS, FloodReview
from geo.crs import WGS84
from geo.i18n import value_label
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

TEXT: dict[str, dict[str, str]] = {
    "institutions": {"zh": "儿童机构(按隐患等级)", "en": "Institutions by hazard level"},
    "waters": {"zh": "水域", "en": "Waters"},
    "routes": {"zh": "撤离路线", "en": "Escape routes"},
    "hazards": {"zh": "隐患", "en": "Hazards"},
    "legend_levels": {"zh": "隐患等级", "en": "Hazard level"},
    "legend": {"zh": "汛期隐患排查", "en": "Flood-season review"},
    "name": {"zh": "名称", "en": "Name"},
    "kind": {"zh": "类型", "en": "Kind"},
    "level": {"zh": "隐患等级", "en": "Hazard level"},
    "reasons": {"zh": "原因", "en": "Reasons"},
    "exposed": {"zh": "涉及儿童/学生", "en": "Children / pupils"},
    "office": {"zh": "责任部门", "en": "Responsible office"},
    "escape": {"zh": "撤离距离", "en": "Escape distance"},
    "route_to": {"zh": "撤离路线:", "en": "Escape route: "},
    "none": {"zh": "无", "en": "none"},
    "metres": {"zh": "{d:.0f} 米", "en": "{d:.0f} m"},
}


def _t(key: str, lang: Language) -> str:
    return TEXT[key][lang]


def _level_label(level: str, lang: Language) -> str:
    return value_label(level, lang)


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

    def by_url(frame: gpd.GeoDataFrame) -> RemoteLayers | None:
        return remote if remote is not None and remote.by_url(frame) else None

    inst = review.institutions.to_crs(WGS84)
    bounds: gpd.GeoDataFrame = inst if len(inst) else review.waters
    m = base_map(bounds if len(bounds) else review.hazards, lang=lang)
    if reference is not None:
        add_reference(m, reference, lang=lang, remote=remote, waters=False)

    waters = review.waters.to_crs(WGS84)
    if len(waters):
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
        if to := by_url(w):
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

    hazards = review.hazards.to_crs(WGS84)
    for kind, color in HAZARD_COLORS.items():
        sub = hazards.loc[hazards["kind"] == kind]
        if not len(sub):
            continue
        group = folium.FeatureGroup(name=value_label(kind, lang))
        if to := by_url(sub):
            frame, popup = popup_frame(
                sub.geometry,
                [
                    {
                        _t("kind", lang): value_label(kind, lang),
                        _t("name", lang): h["name"] if pd.notna(h["name"]) else h["id"],
                        _t("level", lang): value_label(str(h["level"]), lang)
                        if pd.notna(h["level"])
                        else "—",
                    }
                    for _, h in sub.iterrows()
                ],
            )
            add_remote_layer(
                group,
                frame,
                remote=to,
                key=f"hazards_{kind}",
                styles={
                    "": {
                        "color": color,
                        "weight": 1,
                        "fill": True,
                        "fillColor": color,
                        "fillOpacity": 0.25,
                        "radius": 7,
                    }
                },
                popup=popup,
            )
            group.add_to(m)
            continue
        for _, h in sub.iterrows():
            hrows = {
                _t("kind", lang): value_label(kind, lang),
                _t("name", lang): h["name"] if pd.notna(h["name"]) else h["id"],
                _t("level", lang): value_label(str(h["level"]), lang)
                if pd.notna(h["level"])
                else "—",
            }
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

    routes = review.routes.to_crs(WGS84)
    if len(routes):
        group = folium.FeatureGroup(name=_t("routes", lang))
        names = dict(zip(inst["id"], inst["name"], strict=True))
        for _, r in routes.iterrows():
            folium.PolyLine(
                [(y, x) for x, y in r.geometry.coords],
                color=ROUTE_COLOR,
                weight=3,
                dash_array="6 6",
                tooltip=f"{_t('route_to', lang)}{names.get(r['institution_id'], '')} "
                + _t("metres", lang).format(d=r["distance_m"]),
            ).add_to(group)
        group.add_to(m)

    group = folium.FeatureGroup(name=_t("institutions", lang))
    checklist = review.checklist
    detail = "detail_zh" if lang == "zh" else "detail_en"
    for _, r in inst.iterrows():
        rows: dict[str, object] = {
            _t("kind", lang): value_label(str(r["kind"]), lang),
            _t("level", lang): _level_label(str(r["level"]), lang),
            _t("reasons", lang): r["reasons_zh" if lang == "zh" else "reasons_en"]
            or _t("none", lang),
            _t("exposed", lang): r["exposed"] if pd.notna(r["exposed"]) else "—",
            _t("office", lang): OFFICES[str(r["office"])][lang],
        }
        if isinstance(r["escape_m"], float) and math.isfinite(r["escape_m"]):
            rows[_t("escape", lang)] = _t("metres", lang).format(d=r["escape_m"])
        for _, c in checklist.loc[checklist["institution_id"] == r["id"]].iterrows():
            text = STATUS[str(c["status"])][lang]
            rows[CHECK_ITEMS[str(c["item"])][lang]] = f"{text} {c[detail]}".strip()
        folium.CircleMarker(
            [r.geometry.y, r.geometry.x],
            radius=9,
            color="#333333",
            weight=1,
            fill=True,
            fill_color=LEVEL_COLORS[str(r["level"])],
            fill_opacity=0.95,
            popup=popup_table(rows, title=str(r["name"]), width=380),
            tooltip=str(r["name"]),
        ).add_to(group)
    group.add_to(m)

    # one legend box: maps.base places every legend at the same corner, so two would overlap
    items = [
        (c, f"{_t('legend_levels', lang)}: {_level_label(lv, lang)}")
        for lv, c in LEVEL_COLORS.items()
    ]
    items += [(c, value_label(k, lang)) for k, c in HAZARD_COLORS.items()]
    items += [(WATER_COLOR, _t("waters", lang)), (ROUTE_COLOR, _t("routes", lang))]
    add_legend(m, _t("legend", lang), items)
    return finish(m)


# --------------------------------------------------------------------------------------------
# the drawer of the analysis (maps.registry)
# --------------------------------------------------------------------------------------------

from maps.registry import MapContext, drawer  # noqa: E402


@drawer("flood")
def _draw(review: FloodReview, ctx: MapContext) -> folium.Map:
    return flood_map(review, lang=ctx.lang, remote=ctx.remote, reference=ctx.layers)
