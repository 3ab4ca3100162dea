"""The coverage map: facilities, their walking service areas, village coverage, gaps, findings.

Built from a :class:`analysis.coverage.CoverageResult` only; nothing is computed here beyond
styling. Household points are drawn only for authorised views; otherwise uncovered households
appear as the privacy-aggregated hexagons passed in as ``household_cells``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import folium
import geopandas as gpd
import pandas as pd
import shapely
from folium import plugins

from analysis.coverage import CoverageResult
from geo.crs import WGS84
from geo.i18n import tr, value_label
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend, base_map, column_in, finish, focus, label, popup_table
from maps.reference import add_reference
from maps.remote import RemoteLayers, add_popup_layer

__all__ = ["coverage_map"]


#: Share-of-children classes of the choropleth: (upper bound, colour).
SHARE_CLASSES: tuple[tuple[float, str], ...] = (
    (0.25, "#d7191c"),
    (0.5, "#fdae61"),
    (0.75, "#a6d96a"),
    (1.0, "#1a9641"),
)
NO_DATA = "#bdbdbd"
KIND_STYLE: dict[str, tuple[str, str]] = {  # folium.Icon colour, Font Awesome icon
    "children_home": ("green", "home"),
    "township_workstation": ("blue", "flag"),
    "county_institution": ("darkblue", "university"),
    "welfare_institution": ("purple", "heart"),
    "other_station": ("cadetblue", "star"),
}
KIND_FILL = {
    "children_home": "#1a9641",
    "township_workstation": "#2b83ba",
    "county_institution": "#253494",
    "welfare_institution": "#7b3294",
    "other_station": "#5f9ea0",
}
GAP_COLOUR = "#6a3d9a"
CHECK_COLOUR = "red"


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_coverage_{key}", lang, **values)


def _shape(data: Any, *, style_function: Any, tooltip: str, popup: folium.Popup) -> folium.GeoJson:
    """A GeoJSON shape with a tooltip and a popup table."""
    shape = folium.GeoJson(data, style_function=style_function, tooltip=tooltip)
    shape.add_child(popup)
    return shape


def _share_colour(share: float) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return NO_DATA
    for upper, colour in SHARE_CLASSES:
        if share <= upper:
            return colour
    return SHARE_CLASSES[-1][1]


def _fmt(value: object, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _pct(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value):.0%}"  # type: ignore[arg-type]


def _by_url(
    remote: RemoteLayers | None, frame: gpd.GeoDataFrame, *, popups: bool = True
) -> RemoteLayers | None:
    """``remote`` when ``frame`` goes by URL on it (every layer of this map has popups)."""
    return remote if remote is not None and remote.by_url(frame, popups=popups) else None


def _remote(
    group: folium.FeatureGroup,
    remote: RemoteLayers,
    key: str,
    geometry: gpd.GeoSeries,
    described: Sequence[tuple[str, str, str, Mapping[str, object]]],
    styles: dict[str, dict[str, Any]],
    *,
    marker: Literal["circle", "icon"] = "circle",
    width: int = 300,
) -> None:
    """Features by URL from (style key, tooltip, title, popup rows) per feature."""
    add_popup_layer(
        group,
        geometry,
        [d[3] for d in described],
        remote=remote,
        key=key,
        styles=styles,
        style=[d[0] for d in described],
        tooltip=[d[1] for d in described],
        title=[d[2] for d in described],
        crs=geometry.crs,
        marker=marker,
        width=width,
    )


def _villages(
    m: folium.Map, r: CoverageResult, lang: Language, remote: RemoteLayers | None = None
) -> list[tuple[str, str]]:
    areas = r.areas.loc[r.areas["level"] == "village", ["code", "geometry"]]
    table = r.villages.set_index("code")
    group = folium.FeatureGroup(name=_t("villages", lang), show=True)
    wgs = areas.to_crs(WGS84)
    described: list[tuple[str, str, str, Mapping[str, object]]] = []
    by_url = _by_url(remote, wgs)
    for code, geom in zip(wgs["code"].astype(str), wgs.geometry, strict=True):
        row = table.loc[code]
        colour = _share_colour(row["share_children"])
        rows: dict[str, object] = {
            _t("children", lang): _fmt(row["children"]),
            _t("covered", lang): _fmt(row["children_covered"]),
            _t("share", lang): _pct(row["share_children"]),
            _t(
                "left_behind", lang
            ): f"{_fmt(row['left_behind_covered'])}/{_fmt(row['left_behind'])}",
            _t(
                "in_difficulty", lang
            ): f"{_fmt(row['in_difficulty_covered'])}/{_fmt(row['in_difficulty'])}",
            _t("median", lang): _fmt(row["median_dist_m"]),
            _t("p90", lang): _fmt(row["p90_dist_m"]),
            _t("directors", lang): _fmt(row["directors_needed"]),
        }
        if by_url:
            tip = f"{row['name']} {_pct(row['share_children'])}"
            described.append((colour, tip, str(row["name"]), rows))
            continue
        _shape(
            geom.__geo_interface__,
            style_function=lambda _f, c=colour: {
                "fillColor": c,
                "color": "#444444",
                "weight": 1,
                "fillOpacity": 0.45,
            },
            tooltip=f"{row['name']} {_pct(row['share_children'])}",
            popup=popup_table(rows, title=str(row["name"])),
        ).add_to(group)
    if by_url:
        styles = {
            c: {"fillColor": c, "color": "#444444", "weight": 1, "fillOpacity": 0.45}
            for c in {d[0] for d in described}
        }
        _remote(group, by_url, "villages", wgs.geometry, described, styles)
    group.add_to(m)
    lows = [0.0, *[u for u, _ in SHARE_CLASSES[:-1]]]
    items = [(c, f"{lo:.0%}–{hi:.0%}") for lo, (hi, c) in zip(lows, SHARE_CLASSES, strict=True)]
    items.append((NO_DATA, _t("no_children", lang)))
    return [(c, f"{_t('share', lang)} {text}") for c, text in items]


def _service_areas(
    m: folium.Map, r: CoverageResult, lang: Language, remote: RemoteLayers | None = None
) -> None:
    group = folium.FeatureGroup(name=_t("areas", lang, s=r.standard_m), show=True)
    sa = r.service_areas.loc[r.service_areas.geometry.notna()].to_crs(WGS84)
    if by_url := _by_url(remote, sa):
        described = [
            (
                KIND_FILL.get(str(row["kind"]), "#666666"),
                str(row["name"]),
                str(row["name"]),
                {
                    _t("kind", lang): value_label(str(row["kind"]), lang),
                    _t("road", lang): _fmt(row["reached_road_m"]),
                },
            )
            for _, row in sa.iterrows()
        ]
        styles = {
            c: {"fillColor": c, "color": c, "weight": 1, "fillOpacity": 0.25}
            for c in {d[0] for d in described}
        }
        _remote(group, by_url, "service_areas", sa.geometry, described, styles)
        group.add_to(m)
        return
    for _, row in sa.iterrows():
        colour = KIND_FILL.get(str(row["kind"]), "#666666")
        _shape(
            row.geometry.__geo_interface__,
            style_function=lambda _f, c=colour: {
                "fillColor": c,
                "color": c,
                "weight": 1,
                "fillOpacity": 0.25,
            },
            tooltip=f"{row['name']}",
            popup=popup_table(
                {
                    _t("kind", lang): value_label(str(row["kind"]), lang),
                    _t("road", lang): _fmt(row["reached_road_m"]),
                },
                title=str(row["name"]),
            ),
        ).add_to(group)
    group.add_to(m)


def _facilities(
    m: folium.Map, r: CoverageResult, lang: Language, remote: RemoteLayers | None = None
) -> list[tuple[str, str]]:
    group = folium.FeatureGroup(name=_t("facilities", lang), show=True)
    fac = r.facilities.to_crs(WGS84)
    if by_url := _by_url(remote, fac):
        described = []
        for _, f in fac.iterrows():
            area = f.get("floor_area_m2")
            name = str(f.get("name", f["id"]))
            rows = {
                _t("kind", lang): value_label(str(f["kind"]), lang),
                _t("area", lang): _fmt(None if area is None or pd.isna(area) else area),
            }
            kind = str(f["kind"]) if str(f["kind"]) in KIND_STYLE else ""
            described.append((kind, name, name, rows))
        styles = {
            kind: {"icon": icon, "prefix": "fa", "markerColor": colour}
            for kind, (colour, icon) in {**KIND_STYLE, "": ("gray", "info-circle")}.items()
        }
        _remote(group, by_url, "facilities", fac.geometry, described, styles, marker="icon")
        group.add_to(m)
        return _facility_legend(r, lang)
    for _, f in fac.iterrows():
        kind = str(f["kind"])
        colour, icon = KIND_STYLE.get(kind, ("gray", "info-sign"))
        area = f.get("floor_area_m2")
        folium.Marker(
            [f.geometry.y, f.geometry.x],
            icon=folium.Icon(color=colour, icon=icon, prefix="fa"),
            tooltip=str(f.get("name", f["id"])),
            popup=popup_table(
                {
                    _t("kind", lang): value_label(kind, lang),
                    _t("area", lang): _fmt(None if area is None or pd.isna(area) else area),
                },
                title=str(f.get("name", f["id"])),
            ),
        ).add_to(group)
    group.add_to(m)
    return _facility_legend(r, lang)


def _facility_legend(r: CoverageResult, lang: Language) -> list[tuple[str, str]]:
    kinds = [k for k in KIND_FILL if (r.facilities["kind"] == k).any()]
    return [(KIND_FILL[k], value_label(k, lang)) for k in kinds]


_GAP_STYLE = {
    "fillColor": GAP_COLOUR,
    "color": GAP_COLOUR,
    "weight": 1.5,
    "dashArray": "4 3",
    "fillOpacity": 0.2,
}


def _shown_gaps(r: CoverageResult, authorised: bool) -> gpd.GeoDataFrame:
    """The gap areas drawn: every one for a role that sees households, else the large ones."""
    if authorised:
        return r.gaps
    return r.gaps.loc[~r.gaps["small"].astype(bool)]


def _gaps(
    m: folium.Map,
    r: CoverageResult,
    lang: Language,
    authorised: bool,
    remote: RemoteLayers | None = None,
) -> None:
    group = folium.FeatureGroup(name=_t("gaps", lang), show=True)
    gaps = _shown_gaps(r, authorised)
    by_url = _by_url(remote, gaps)
    described: list[tuple[str, str, str, Mapping[str, object]]] = []
    for _, g in gaps.to_crs(WGS84).iterrows():
        rows = {
            _t("households", lang): _fmt(g["households"]),
            _t("children", lang): _fmt(g["children"]),
            _t("left_behind", lang): _fmt(g["left_behind"]),
            _t("in_difficulty", lang): _fmt(g["in_difficulty"]),
            _t("village", lang): str(g["village_name"]),
        }
        if bool(g["small"]):
            rows[_t("small", lang)] = "✓"
        if by_url:
            tip = f"{g['gap_id']}: {_t('children', lang)} {g['children']}"
            described.append(("", tip, f"{_t('gaps', lang)} {g['gap_id']}", rows))
            continue
        _shape(
            g.geometry.__geo_interface__,
            style_function=lambda _f: {
                "fillColor": GAP_COLOUR,
                "color": GAP_COLOUR,
                "weight": 1.5,
                "dashArray": "4 3",
                "fillOpacity": 0.2,
            },
            tooltip=f"{g['gap_id']}: {_t('children', lang)} {g['children']}",
            popup=popup_table(rows, title=f"{_t('gaps', lang)} {g['gap_id']}"),
        ).add_to(group)
    if by_url:
        _remote(group, by_url, "gaps", gaps.geometry, described, {"": _GAP_STYLE})
    group.add_to(m)


def _household_rows(row: pd.Series, lang: Language) -> dict[str, object]:
    return {
        _t("children", lang): row["children"],
        _t("left_behind", lang): row["left_behind"],
        _t("in_difficulty", lang): row["in_difficulty"],
        _t("distance", lang): _fmt(row["dist_m"]),
        _t("reach", lang): _t(f"reach_{row['reach']}", lang),
    }


def _households(
    m: folium.Map, r: CoverageResult, lang: Language, remote: RemoteLayers | None = None
) -> None:
    group = folium.FeatureGroup(name=_t("hh", lang), show=False)
    h = r.households.loc[~r.households["covered"].astype(bool)].to_crs(WGS84)
    if by_url := _by_url(remote, h):
        described = [
            ("", str(row["id"]), str(row["id"]), _household_rows(row, lang))
            for _, row in h.iterrows()
        ]
        style = {"radius": 4, "color": GAP_COLOUR, "fill": True, "fillOpacity": 0.8}
        _remote(group, by_url, "households", h.geometry, described, {"": style})
        group.add_to(m)
        return
    cluster = plugins.MarkerCluster().add_to(group)
    for _, row in h.iterrows():
        folium.CircleMarker(
            [row.geometry.y, row.geometry.x],
            radius=4,
            color=GAP_COLOUR,
            fill=True,
            fill_opacity=0.8,
            popup=popup_table(_household_rows(row, lang), title=str(row["id"])),
        ).add_to(cluster)
    group.add_to(m)


def _cells(
    m: folium.Map, cells: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None = None
) -> None:
    group = folium.FeatureGroup(name=_t("cells", lang), show=True)
    by_url = _by_url(remote, cells)
    described: list[tuple[str, str, str, Mapping[str, object]]] = []
    for _, c in cells.to_crs(WGS84).iterrows():
        hidden = bool(c.get("suppressed", False))
        text = (
            _t("suppressed", lang)
            if hidden
            else f"{_t('households', lang)} {_fmt(c['households'])}"
        )
        rows = (
            {_t("households", lang): _t("suppressed", lang)}
            if hidden
            else {
                _t(k, lang): _fmt(c[k])
                for k in ("households", "children", "left_behind", "in_difficulty")
                if k in c
            }
        )
        if by_url:
            described.append(("hidden" if hidden else "shown", text, _t("cells", lang), rows))
            continue
        _shape(
            c.geometry.__geo_interface__,
            style_function=lambda _f, h=hidden: {
                "fillColor": NO_DATA if h else GAP_COLOUR,
                "color": "#555555",
                "weight": 0.5,
                "fillOpacity": 0.15 if h else 0.35,
            },
            tooltip=text,
            popup=popup_table(rows, title=_t("cells", lang)),
        ).add_to(group)
    if by_url:
        styles: dict[str, dict[str, Any]] = {
            key: {
                "fillColor": NO_DATA if key == "hidden" else GAP_COLOUR,
                "color": "#555555",
                "weight": 0.5,
                "fillOpacity": 0.15 if key == "hidden" else 0.35,
            }
            for key in ("hidden", "shown")
        }
        _remote(group, by_url, "cells", cells.geometry, described, styles)
    group.add_to(m)


def _checks(
    m: folium.Map, r: CoverageResult, lang: Language, remote: RemoteLayers | None = None
) -> None:
    group = folium.FeatureGroup(name=_t("checks", lang), show=True)
    if len(r.checks) == 0:
        group.add_to(m)
        return
    places: list[tuple[shapely.Point, str, str, Mapping[str, object]]] = []
    areas = r.areas.set_index(r.areas["code"].astype(str)).to_crs(WGS84)
    fac = r.facilities.set_index(r.facilities["id"].astype(str)).to_crs(WGS84)
    finding_col = column_in("finding", lang)
    for code, rows in r.checks.groupby("place_code", sort=False):
        fids = rows["facility_id"].dropna().astype(str)
        if len(fids) and fids.iloc[0] in fac.index:
            pt = fac.geometry.loc[fids.iloc[0]]
        elif str(code) in areas.index:
            pt = areas.geometry.loc[str(code)].representative_point()
        else:
            continue
        body: Mapping[str, object] = {
            f"{i + 1}. {_t('finding', lang)}": _t("finding_missing", lang, finding=f, items=miss)
            for i, (f, miss) in enumerate(zip(rows[finding_col], rows["missing"], strict=True))
        }
        name = str(rows["place_name"].iloc[0])
        places.append((pt, f"{name}: {len(rows)}", name, body))
    if remote is not None and remote.by_url(len(places), popups=True):
        _remote(
            group,
            remote,
            "checks",
            gpd.GeoSeries([p[0] for p in places], crs=WGS84),
            [("", tip, name, body) for _, tip, name, body in places],
            {"": {"icon": "exclamation-triangle", "prefix": "fa", "markerColor": CHECK_COLOUR}},
            marker="icon",
            width=420,
        )
    else:
        for pt, tip, name, body in places:
            folium.Marker(
                [pt.y, pt.x],
                icon=folium.Icon(color=CHECK_COLOUR, icon="exclamation-triangle", prefix="fa"),
                tooltip=tip,
                popup=popup_table(body, title=name, width=420),
            ).add_to(group)
    group.add_to(m)


def coverage_map(
    result: CoverageResult,
    *,
    lang: Language = "zh",
    authorised: bool = False,
    household_cells: gpd.GeoDataFrame | None = None,
    remote: RemoteLayers | None = None,
    reference: Layers | None = None,
) -> folium.Map:
    """The interactive coverage map.

    Parameters
    ----------
    result
        A coverage assessment.
    lang
        ``zh`` (default) or ``en`` labels.
    authorised
        Draw the uncovered households as points, and the small gap areas (which could single
        out a household). Only for roles that may see household locations.
    household_cells
        Uncovered households aggregated into hexagons
        (:func:`analysis.privacy.aggregate_households`), drawn when not authorised.
    remote
        Where layers with many features go by URL (:mod:`maps.remote`; the map server's);
        ``None`` writes every feature into the HTML.
    reference
        The workspace's layers: their boundaries, roads, waters and names are drawn beneath
        the results (:func:`maps.reference.add_reference`); ``None`` draws none.

    Returns
    -------
    folium.Map
        Layers: village coverage (choropleth), service areas, facilities, gap areas, uncovered
        households (points or hexagons) and policy-check findings, with a layer control.
    """
    m = base_map(focus(_shown_gaps(result, authorised), result.areas), lang=lang)
    if reference is not None:
        add_reference(m, reference, lang=lang, remote=remote)
    items = _villages(m, result, lang, remote)
    _service_areas(m, result, lang, remote)
    _gaps(m, result, lang, authorised, remote)
    if authorised:
        _households(m, result, lang, remote)
    elif household_cells is not None and len(household_cells):
        _cells(m, household_cells, lang, remote)
    items += _facilities(m, result, lang, remote)
    items.append((GAP_COLOUR, _t("gaps", lang)))
    if not authorised and household_cells is not None and len(household_cells):
        items.append((NO_DATA, f"{_t('cells', lang)}: {_t('suppressed', lang)}"))
    _checks(m, result, lang, remote)
    items.append(("#d63e2a", _t("checks", lang)))
    # one legend box: maps.base places every legend at the same corner, so several would overlap
    add_legend(m, f"{label('legend', lang)}({_t('areas', lang, s=result.standard_m)})", items)
    return finish(m)


# --------------------------------------------------------------------------------------------
# the drawer of the analysis (maps.registry)
# --------------------------------------------------------------------------------------------

from maps.registry import MapContext, drawer  # noqa: E402


@drawer("coverage")
def _draw(run: object, ctx: MapContext) -> folium.Map:
    return coverage_map(
        run.result,  # type: ignore[attr-defined]
        lang=ctx.lang,
        authorised=ctx.authorised,
        household_cells=run.cells,  # type: ignore[attr-defined]
        remote=ctx.remote,
        reference=ctx.layers,
    )
