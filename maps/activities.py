"""The safety-education map: villages coloured by whether they had their activity this year."""

from __future__ import annotations

import html

import folium

from analysis.activities import VillageActivities
from geo.i18n import tr
from geo.settings import Language
from maps.base import add_legend, base_map, finish
from maps.reference import add_reference
from maps.registry import MapContext, drawer

__all__ = ["activities_map"]

MET, LACKING = "#2e7d32", "#c62828"


def activities_map(
    result: VillageActivities, *, lang: Language = "zh", reference: object = None
) -> folium.Map:
    """Villages green when they had at least the required activities in the window, red when
    not; a popup per village with its count, attendance and latest date."""
    villages = result.villages.to_crs(4326)
    m = base_map(villages, lang=lang)
    if reference is not None:
        add_reference(m, reference, lang=lang, waters=False)  # type: ignore[arg-type]
    group = folium.FeatureGroup(name=tr("page_activities_title", lang))
    for _, row in villages.iterrows():
        colour = MET if row["meets"] else LACKING
        text = tr(
            "activity_popup",
            lang,
            name=row["village_name"],
            code=row["village_code"],
            n=int(row["activities"]),
            people=int(row["attendance"]),
            last=row["last_date"] or "-",
        )
        shape = folium.GeoJson(
            row.geometry.__geo_interface__,
            style_function=lambda _f, c=colour: {"color": c, "fillColor": c, "weight": 1},
            tooltip=html.escape(str(row["village_name"])),
        )
        folium.Popup(html.escape(text), max_width=300).add_to(shape)
        shape.add_to(group)
    group.add_to(m)
    add_legend(
        m,
        tr("page_activities_title", lang),
        [(MET, tr("activity_legend_met", lang)), (LACKING, tr("activity_legend_lacking", lang))],
    )
    return finish(m)


@drawer("activities")
def _draw(result: VillageActivities, ctx: MapContext) -> folium.Map:
    return activities_map(result, lang=ctx.lang, reference=ctx.layers)
