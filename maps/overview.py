"""The overview map: every layer of the study area, households only as aggregated cells."""

from __future__ import annotations

import folium
import geopandas as gpd
from folium import plugins

from geo.crs import WGS84
from geo.i18n import value_label
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend, base_map, finish, popup_table

_T: dict[str, dict[Language, str]] = {
    "areas": {"zh": "行政区划", "en": "Areas"},
    "waters": {"zh": "水域", "en": "Waters"},
    "roads": {"zh": "道路", "en": "Roads"},
    "schools": {"zh": "学校", "en": "Schools"},
    "facilities": {"zh": "儿童服务设施", "en": "Child facilities"},
    "equipment": {"zh": "救生设施", "en": "Rescue equipment"},
    "hazards": {"zh": "隐患", "en": "Hazards"},
    "cells": {"zh": "重点儿童分布(聚合)", "en": "Children (aggregated)"},
    "cell_title": {"zh": "每格留守+困境儿童", "en": "Left-behind + in-difficulty per cell"},
    "suppressed": {"zh": "户数过少,不显示", "en": "too few households, withheld"},
    "name": {"zh": "名称", "en": "Name"},
    "kind": {"zh": "类型", "en": "Kind"},
    "households": {"zh": "户数", "en": "Households"},
    "children": {"zh": "儿童", "en": "Children"},
    "left_behind": {"zh": "留守儿童", "en": "Left-behind"},
    "in_difficulty": {"zh": "困境儿童", "en": "In difficulty"},
    "condition": {"zh": "状态", "en": "Condition"},
    "pupils": {"zh": "在校人数", "en": "Pupils"},
}

CELL_COLORS = ("#fee5d9", "#fcae91", "#fb6a4a", "#cb181d")


def _t(key: str, lang: Language) -> str:
    return _T[key][lang]


def _cell_color(value: float, breaks: tuple[float, float, float]) -> str:
    for color, limit in zip(CELL_COLORS, breaks, strict=False):
        if value <= limit:
            return color
    return CELL_COLORS[-1]


def overview_map(
    layers: Layers, *, cells: gpd.GeoDataFrame | None = None, lang: Language = "zh"
) -> folium.Map:
    """Draw every layer; households only as the aggregated ``cells`` (see analysis.privacy)."""
    wgs = layers.to_crs(WGS84)
    m = base_map(wgs.areas if len(wgs.areas) else wgs.households, lang=lang)

    group = folium.FeatureGroup(name=_t("areas", lang))
    for row in wgs.areas.itertuples():
        weight = {"county": 3, "township": 2}.get(str(row.level), 1)
        folium.GeoJson(
            row.geometry.__geo_interface__,
            style_function=lambda _f, w=weight: {"color": "#555", "weight": w, "fill": False},
            tooltip=f"{row.name} ({value_label(str(row.level), lang)})",
        ).add_to(group)
    group.add_to(m)

    if cells is not None and len(cells):
        group = folium.FeatureGroup(name=_t("cells", lang))
        shown = cells[~cells["suppressed"]]
        values = (shown["left_behind"].fillna(0) + shown["in_difficulty"].fillna(0)).astype(float)
        qs = values.quantile([0.25, 0.5, 0.75]).tolist() if len(values) else [0, 0, 0]
        breaks = (qs[0], qs[1], qs[2])
        for row in cells.to_crs(WGS84).itertuples():
            if row.suppressed:
                style = {"color": "#999", "weight": 0.5, "fillColor": "#ddd", "fillOpacity": 0.3}
                rows: dict[str, object] = {_t("households", lang): _t("suppressed", lang)}
            else:
                v = float(row.left_behind) + float(row.in_difficulty)
                style = {
                    "color": "#999",
                    "weight": 0.5,
                    "fillColor": _cell_color(v, breaks),
                    "fillOpacity": 0.6,
                }
                rows = {
                    _t("households", lang): int(row.households),
                    _t("children", lang): int(row.children),
                    _t("left_behind", lang): int(row.left_behind),
                    _t("in_difficulty", lang): int(row.in_difficulty),
                }
            shape = folium.GeoJson(
                row.geometry.__geo_interface__, style_function=lambda _f, s=style: s
            )
            shape.add_child(popup_table(rows))
            shape.add_to(group)
        group.add_to(m)
        labels = [f"≤ {b:.0f}" for b in breaks] + [f"> {breaks[-1]:.0f}"]
        add_legend(
            m,
            _t("cell_title", lang),
            [*zip(CELL_COLORS, labels, strict=True), ("#ddd", _t("suppressed", lang))],
        )

    group = folium.FeatureGroup(name=_t("roads", lang), show=True)
    if len(wgs.roads):
        folium.GeoJson(
            wgs.roads[["kind", "geometry"]].to_json(),
            style_function=lambda f: {
                "color": "#8c6d31" if f["properties"]["kind"] in {"track", "path"} else "#636363",
                "weight": 1 if f["properties"]["kind"] in {"track", "path"} else 2,
            },
        ).add_to(group)
    group.add_to(m)

    group = folium.FeatureGroup(name=_t("waters", lang))
    if len(wgs.waters):
        waters = wgs.waters[["id", "name", "kind", "geometry"]].copy()
        waters["name"] = waters["name"].fillna("")
        waters["kind"] = [value_label(str(k), lang) for k in waters["kind"]]
        folium.GeoJson(
            waters.to_json(),
            style_function=lambda _f: {
                "color": "#2b8cbe",
                "weight": 2,
                "fillColor": "#74a9cf",
                "fillOpacity": 0.6,
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["name", "kind"], aliases=[_t("name", lang), _t("kind", lang)]
            ),
        ).add_to(group)
    group.add_to(m)

    group = folium.FeatureGroup(name=_t("hazards", lang))
    if len(wgs.hazards):
        hazards = wgs.hazards[["kind", "name", "geometry"]].copy()
        hazards["name"] = hazards["name"].fillna("")
        hazards["kind"] = [value_label(str(k), lang) for k in hazards["kind"]]
        folium.GeoJson(
            hazards.to_json(),
            style_function=lambda _f: {
                "color": "#7a0177",
                "weight": 2,
                "fillColor": "#c51b8a",
                "fillOpacity": 0.25,
            },
            marker=folium.CircleMarker(radius=5, color="#7a0177", fill=True),
            tooltip=folium.GeoJsonTooltip(
                fields=["kind", "name"], aliases=[_t("kind", lang), _t("name", lang)]
            ),
        ).add_to(group)
    group.add_to(m)

    group = folium.FeatureGroup(name=_t("equipment", lang), show=False)
    cluster = plugins.MarkerCluster().add_to(group)
    for row in wgs.equipment.itertuples():
        color = {"ok": "green", "damaged": "orange", "missing": "red"}.get(
            str(row.condition), "gray"
        )
        point = (
            row.geometry.representative_point()
            if row.geometry.geom_type != "Point"
            else row.geometry
        )
        folium.Marker(
            [point.y, point.x],
            icon=folium.Icon(color=color, icon="life-ring", prefix="fa"),
            popup=popup_table(
                {
                    _t("kind", lang): value_label(str(row.kind), lang),
                    _t("condition", lang): value_label(str(row.condition), lang),
                }
            ),
        ).add_to(cluster)
    group.add_to(m)

    group = folium.FeatureGroup(name=_t("schools", lang))
    for row in wgs.schools.itertuples():
        folium.Marker(
            [row.geometry.y, row.geometry.x],
            icon=folium.Icon(color="blue", icon="graduation-cap", prefix="fa"),
            popup=popup_table(
                {
                    _t("kind", lang): value_label(str(row.kind), lang),
                    _t("pupils", lang): row.pupils,
                },
                title=str(row.name),
            ),
        ).add_to(group)
    group.add_to(m)

    group = folium.FeatureGroup(name=_t("facilities", lang))
    for row in wgs.facilities.itertuples():
        folium.Marker(
            [row.geometry.y, row.geometry.x],
            icon=folium.Icon(color="purple", icon="home", prefix="fa"),
            popup=popup_table(
                {_t("kind", lang): value_label(str(row.kind), lang)}, title=str(row.name)
            ),
        ).add_to(group)
    group.add_to(m)
    return finish(m)
