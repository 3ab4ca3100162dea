"""Map of a village's home visits.

Household points and the visit route are personal data of minors (DOMAIN.md, privacy): they are
drawn only when ``authorised=True`` (the village's children's director). Otherwise the map shows
only the hexagon counts of :func:`analysis.privacy.aggregate_households`, computed outside and
passed in as ``aggregates``.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from analysis.visits import VisitPlan
from geo.crs import WGS84
from geo.i18n import tr
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend, base_map, finish, popup_table
from maps.patrol import numbered_icon
from maps.reference import add_reference

__all__ = ["STATUS_COLORS", "visits_map"]

STATUS_COLORS = {"overdue": "#d7191c", "due_week": "#fdae61", "later": "#1a9641"}


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_visits_{key}", lang, **values)


def _add_route(m: folium.Map, plan: VisitPlan, lang: Language) -> None:
    """The day's route, its start, the households by visit status and the numbered stops."""
    route = plan.route.to_crs(WGS84)
    rg = folium.FeatureGroup(name=_t("route", lang))
    line = route.geometry.iloc[0]
    if line is not None and not line.is_empty:
        folium.PolyLine([(y, x) for x, y in line.coords], color="#2b83ba", weight=4).add_to(rg)
        x0, y0 = line.coords[0]
        folium.Marker((y0, x0), tooltip=f"{_t('start', lang)}: {plan.depot}").add_to(rg)
    rg.add_to(m)
    hg = folium.FeatureGroup(name=_t("households", lang))
    sched = plan.schedule.to_crs(WGS84)
    for _, r in sched.iterrows():
        color = STATUS_COLORS[str(r["visit_status"])]
        folium.CircleMarker(
            (r.geometry.y, r.geometry.x),
            radius=5,
            color=color,
            fill=True,
            fill_opacity=0.8,
            popup=popup_table(
                {
                    _t("household", lang): r["household_id"],
                    _t("children", lang): f"{r['left_behind']}/{r['in_difficulty']}",
                    _t("next_visit", lang): str(r["next_home_visit"])[:10],
                    _t("flags", lang): r["flags"],
                }
            ),
        ).add_to(hg)
    hg.add_to(m)
    sg = folium.FeatureGroup(name=_t("stops", lang))
    stops = plan.stops.to_crs(WGS84) if len(plan.stops) else plan.stops
    for _, s in stops.iterrows():
        folium.Marker(
            (s.geometry.y, s.geometry.x),
            icon=numbered_icon(int(s["order"]), STATUS_COLORS[str(s["visit_status"])]),
            tooltip=f"{int(s['order'])}. {s['household_id']} {s['arrival']}",
        ).add_to(sg)
    sg.add_to(m)
    add_legend(m, _t("legend", lang), [(c, _t(k, lang)) for k, c in STATUS_COLORS.items()])


def _add_cells(m: folium.Map, aggregates: gpd.GeoDataFrame, lang: Language) -> None:
    """Households per hexagon (suppressed cells grey, without counts)."""
    cg = folium.FeatureGroup(name=_t("cells", lang))
    cells = aggregates.to_crs(WGS84)
    for _, c in cells.iterrows():
        shown = not bool(c["suppressed"])
        n = c["households"]
        folium.GeoJson(
            c.geometry.__geo_interface__,
            style_function=lambda _f, shown=shown: {
                "color": "#555",
                "weight": 1,
                "fillColor": "#2b83ba" if shown else "#cccccc",
                "fillOpacity": 0.4,
            },
            tooltip=f"{int(n)}" if shown else _t("suppressed", lang),
        ).add_child(
            popup_table({_t("cells", lang): int(n) if shown else _t("suppressed", lang)})
        ).add_to(cg)
    cg.add_to(m)
    add_legend(
        m,
        _t("cells", lang),
        [("#2b83ba", _t("cells", lang)), ("#cccccc", _t("suppressed", lang))],
    )


def visits_map(
    plan: VisitPlan,
    *,
    authorised: bool = False,
    aggregates: gpd.GeoDataFrame | None = None,
    lang: Language = "zh",
    reference: Layers | None = None,
) -> folium.Map:
    """Home visits of one village: route and households (authorised) or aggregate counts.

    ``reference``, the workspace's layers, draws their boundaries, roads, waters and names
    beneath (:func:`maps.reference.add_reference`).
    """
    # without household access the view fits the hexagon cells: the households' own extent
    # would give four households' coordinates away
    if authorised:
        view = plan.schedule if len(plan.schedule) else plan.route
    elif aggregates is not None and len(aggregates):
        view = aggregates
    else:
        view = reference.areas if reference is not None and len(reference.areas) else plan.route
    m = base_map(view, lang=lang)
    if reference is not None:
        add_reference(m, reference, lang=lang)
    if authorised:
        _add_route(m, plan, lang)
    elif aggregates is not None and len(aggregates):
        _add_cells(m, aggregates, lang)
    return finish(m)
