"""The overview map: every layer of the study area, households only as aggregated cells."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
from folium import plugins

from geo.crs import WGS84
from geo.i18n import tr, value_label
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend, base_map, finish, popup_table
from maps.reference import add_reference
from maps.remote import RemoteLayers, add_remote_layer, popup_frame

CELL_COLORS = ("#fee5d9", "#fcae91", "#fb6a4a", "#cb181d")


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_overview_{key}", lang, **values)


def _cell_color(value: float, breaks: tuple[float, float, float]) -> str:
    for color, limit in zip(CELL_COLORS, breaks, strict=False):
        if value <= limit:
            return color
    return CELL_COLORS[-1]


def _by_url(remote: RemoteLayers | None, frame: gpd.GeoDataFrame) -> RemoteLayers | None:
    return remote if remote is not None and remote.by_url(frame) else None


_EQUIPMENT_COLORS = {"ok": "green", "damaged": "orange", "missing": "red"}


def _add_cells(
    m: folium.Map, cells: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> None:
    """The households per hexagon, shaded by left-behind and in-difficulty children."""
    group = folium.FeatureGroup(name=_t("cells", lang))
    shown = cells[~cells["suppressed"]]
    values = (shown["left_behind"].fillna(0) + shown["in_difficulty"].fillna(0)).astype(float)
    qs = values.quantile([0.25, 0.5, 0.75]).tolist() if len(values) else [0, 0, 0]
    breaks = (qs[0], qs[1], qs[2])
    if by_url := _by_url(remote, cells):
        _remote_cells(group, cells, breaks, lang, by_url)
    for row in [] if by_url else cells.to_crs(WGS84).itertuples():
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
        shape = folium.GeoJson(row.geometry.__geo_interface__, style_function=lambda _f, s=style: s)
        shape.add_child(popup_table(rows))
        shape.add_to(group)
    group.add_to(m)
    labels = [f"≤ {b:.0f}" for b in breaks] + [f"> {breaks[-1]:.0f}"]
    add_legend(
        m,
        _t("cell_title", lang),
        [*zip(CELL_COLORS, labels, strict=True), ("#ddd", _t("suppressed", lang))],
    )


def _add_hazards(
    m: folium.Map, hazards: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> None:
    """The hazards (WGS84), their kind and name as tooltip."""
    group = folium.FeatureGroup(name=_t("hazards", lang))
    if by_url := _by_url(remote, hazards):
        names = hazards["name"].astype(object).fillna("")
        kinds = [value_label(str(k), lang) for k in hazards["kind"]]
        add_remote_layer(
            group,
            hazards[["geometry"]].assign(
                tip=[f"{k} {n}".strip() for k, n in zip(kinds, names, strict=True)]
            ),
            remote=by_url,
            key="hazards",
            styles={
                "": {
                    "color": "#7a0177",
                    "weight": 2,
                    "fillColor": "#c51b8a",
                    "fillOpacity": 0.25,
                    "radius": 5,
                    "fill": True,
                }
            },
            tooltip="tip",
        )
    elif len(hazards):
        shown = hazards[["kind", "name", "geometry"]].copy()
        shown["name"] = shown["name"].fillna("")
        shown["kind"] = [value_label(str(k), lang) for k in shown["kind"]]
        folium.GeoJson(
            shown.to_json(),
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


def _add_places(m: folium.Map, wgs: Layers, lang: Language) -> None:
    """The schools and the child-service facilities as markers."""
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


def overview_map(
    layers: Layers,
    *,
    cells: gpd.GeoDataFrame | None = None,
    lang: Language = "zh",
    remote: RemoteLayers | None = None,
    detail_zoom: int = 13,
) -> folium.Map:
    """Draw every layer; households only as the aggregated ``cells`` (see analysis.privacy).

    ``remote`` (the map server's) sends the layers with many features by URL
    (:mod:`maps.remote`); without it every feature is written into the HTML. Roads sent by
    URL are drawn in two layers: the through roads (primary to tertiary, bridges) at every
    zoom, the village roads, tracks and paths from ``detail_zoom`` on, as on any web map
    (a county's 15,000 village roads are a grey mat at county zoom and cost seconds to draw).
    """
    wgs = layers.to_crs(WGS84)
    m = base_map(wgs.areas if len(wgs.areas) else wgs.roads, lang=lang)
    add_reference(m, layers, lang=lang, remote=remote, detail_zoom=detail_zoom)
    if cells is not None and len(cells):
        _add_cells(m, cells, lang, remote)
    _add_hazards(m, wgs.hazards, lang, remote)
    group = folium.FeatureGroup(name=_t("equipment", lang), show=False)
    if by_url := _by_url(remote, wgs.equipment):
        _remote_equipment(group, wgs.equipment, lang, by_url)
    else:
        _inline_equipment(group, wgs.equipment, lang)
    group.add_to(m)
    _add_places(m, wgs, lang)
    return finish(m)


def _equipment_point(geom: object) -> object:
    return geom.representative_point() if geom.geom_type != "Point" else geom  # type: ignore[attr-defined]


def _inline_equipment(
    group: folium.FeatureGroup, equipment: gpd.GeoDataFrame, lang: Language
) -> None:
    cluster = plugins.MarkerCluster().add_to(group)
    for row in equipment.itertuples():
        color = _EQUIPMENT_COLORS.get(str(row.condition), "gray")
        point: Any = _equipment_point(row.geometry)
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


def _remote_equipment(
    group: folium.FeatureGroup, equipment: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers
) -> None:
    conditions = equipment["condition"].astype(str)
    frame, popup = popup_frame(
        [_equipment_point(g) for g in equipment.geometry],
        [
            {
                _t("kind", lang): value_label(str(k), lang),
                _t("condition", lang): value_label(c, lang),
            }
            for k, c in zip(equipment["kind"], conditions, strict=True)
        ],
        s=[_EQUIPMENT_COLORS.get(c, "gray") for c in conditions],
    )
    add_remote_layer(
        group,
        frame,
        remote=remote,
        key="equipment",
        styles={
            c: {
                "icon": "life-ring",
                "prefix": "fa",
                "markerColor": c,
                "iconColor": "white",
                "extraClasses": "fa-rotate-0",
            }
            for c in set(frame["s"])
        },
        style="s",
        popup=popup,
        marker="icon",
        cluster=True,
    )


def _remote_cells(
    group: folium.FeatureGroup,
    cells: gpd.GeoDataFrame,
    breaks: tuple[float, float, float],
    lang: Language,
    remote: RemoteLayers,
) -> None:
    """Hexagon cells by URL, styled and with the popups of the inline ones."""
    rows: list[dict[str, object]] = []
    keys: list[str] = []
    for row in cells.itertuples():
        if row.suppressed:
            keys.append("suppressed")
            rows.append({_t("households", lang): _t("suppressed", lang)})
        else:
            v = float(row.left_behind) + float(row.in_difficulty)
            keys.append(_cell_color(v, breaks))
            rows.append(
                {
                    _t("households", lang): int(row.households),
                    _t("children", lang): int(row.children),
                    _t("left_behind", lang): int(row.left_behind),
                    _t("in_difficulty", lang): int(row.in_difficulty),
                }
            )
    frame, popup = popup_frame(cells.geometry, rows, crs=cells.crs, s=keys)
    styles: dict[str, dict[str, object]] = {
        c: {"color": "#999", "weight": 0.5, "fillColor": c, "fillOpacity": 0.6} for c in CELL_COLORS
    }
    styles["suppressed"] = {"color": "#999", "weight": 0.5, "fillColor": "#ddd", "fillOpacity": 0.3}
    add_remote_layer(
        group, frame, remote=remote, key="cells", styles=styles, style="s", popup=popup
    )
