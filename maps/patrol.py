"""Map of a patrol plan: the road route of each day and its numbered stops with their checklists."""

from __future__ import annotations

import folium
import geopandas as gpd

from analysis.patrol import PatrolPlan
from geo.crs import WGS84
from geo.i18n import tr, value_label
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend, base_map, finish, popup_table
from maps.reference import add_reference

__all__ = ["CLASS_COLORS", "DAY_COLORS", "numbered_icon", "patrol_map"]

CLASS_COLORS = {"red": "#d7191c", "yellow": "#fdae61", "green": "#1a9641"}
DAY_COLORS = ("#2b83ba", "#7b3294", "#e66101", "#008837", "#c51b7d", "#542788", "#b35806")


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_patrol_{key}", lang, **values)


def numbered_icon(number: int, color: str) -> folium.DivIcon:
    """A round marker showing the stop's number."""
    html = (
        f"<div style='background:{color};color:#fff;border:2px solid #fff;border-radius:50%;"
        f"width:24px;height:24px;line-height:20px;text-align:center;font:bold 12px sans-serif;"
        f"box-shadow:0 0 3px #000'>{number}</div>"
    )
    return folium.DivIcon(html=html, icon_size=(24, 24), icon_anchor=(12, 12))


def patrol_map(
    plan: PatrolPlan, *, lang: Language = "zh", reference: Layers | None = None
) -> folium.Map:
    """One layer per day: the road route and its numbered stops (popups: the checklist).

    ``reference``, the workspace's layers, draws their boundaries, roads, waters and names
    beneath (:func:`maps.reference.add_reference`).
    """
    routes = plan.routes[~plan.routes.geometry.is_empty & plan.routes.geometry.notna()]
    bounds: gpd.GeoDataFrame = routes if len(routes) else plan.stops
    if not len(bounds):
        bounds = plan.routes
    m = base_map(bounds if len(bounds) and bounds.geometry.notna().any() else _world(), lang=lang)
    if reference is not None:
        add_reference(m, reference, lang=lang)
    legend: list[tuple[str, str]] = []
    stops = plan.stops.to_crs(WGS84) if len(plan.stops) else plan.stops
    for _, r in plan.routes.iterrows():
        d = int(r["day"])
        color = DAY_COLORS[(d - 1) % len(DAY_COLORS)]
        legend.append((color, _t("route", lang, d=d) + f" ({r['date']})"))
        group = folium.FeatureGroup(name=_t("route", lang, d=d))
        if r.geometry is not None and not r.geometry.is_empty:
            line = gpd.GeoSeries([r.geometry], crs=plan.routes.crs).to_crs(WGS84).iloc[0]
            folium.PolyLine(
                [(y, x) for x, y in line.coords],
                color=color,
                weight=4,
                opacity=0.8,
                tooltip=f"{_t('route', lang, d=d)}: {r['distance_m'] / 1000:.1f} km",
            ).add_to(group)
            x0, y0 = line.coords[0]
            folium.Marker((y0, x0), tooltip=_t("start", lang)).add_to(group)
        group.add_to(m)
        sg = folium.FeatureGroup(name=_t("stops", lang, d=d))
        for _, s in stops[stops["day"] == d].iterrows() if len(stops) else []:
            rows = {
                _t("place", lang): s.get("place", s["spot_id"]),
                _t("spot", lang): s["spot_id"],
                _t("water", lang): s["water_name"],
                _t("arrival", lang): s["arrival"],
                _t("risk", lang): f"{s['risk']:.0f} ({value_label(str(s['risk_class']), lang)})",
            }
            for part in str(s["checklist"]).split("；"):
                key, _, val = part.partition(":")
                rows[key] = val
            folium.Marker(
                (s.geometry.y, s.geometry.x),
                icon=numbered_icon(int(s["order"]), CLASS_COLORS.get(str(s["risk_class"]), "#555")),
                popup=popup_table(
                    rows, title=f"{d}-{int(s['order'])} {s.get('place', s['spot_id'])}"
                ),
                tooltip=f"{int(s['order'])}. {s.get('place', s['spot_id'])} {s['arrival']}",
            ).add_to(sg)
        sg.add_to(m)
    legend += [(c, f"{_t('class', lang)}: {_t(k, lang)}") for k, c in CLASS_COLORS.items()]
    add_legend(m, _t("legend", lang), legend)
    return finish(m)


def _world() -> gpd.GeoSeries:
    from shapely.geometry import box

    return gpd.GeoSeries([box(112.9, 29.78, 113.02, 29.88)], crs=WGS84)
