"""The drowning-risk map: waters, risk spots by class, equipment present, child density (aggregated)."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium import plugins

from analysis.risk import RiskResult
from geo.crs import WGS84
from geo.i18n import tr, value_label
from geo.layers import Layers
from geo.schemas import FOUR_ONES
from geo.settings import Language
from maps.base import add_legend, base_map, column_in, finish, focus, popup_table
from maps.reference import add_reference
from maps.remote import RemoteLayers, add_popup_layer, add_remote_layer

CLASS_COLORS = {"red": "#d7191c", "yellow": "#fdae61", "green": "#1a9641"}
#: Font Awesome icon and marker colour per equipment kind.
EQUIPMENT_ICONS = {
    "warning_sign": ("exclamation-triangle", "orange"),
    "life_buoy": ("life-ring", "blue"),
    "rescue_rope": ("link", "cadetblue"),
    "rescue_pole": ("minus", "darkblue"),
    "rescue_cabinet": ("archive", "purple"),
}
EQUIPMENT_COLORS = {
    "orange": "#f69730",
    "blue": "#38aadd",
    "cadetblue": "#436978",
    "darkblue": "#0067a3",
    "purple": "#d252b9",
}
DENSITY_COLORS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3")  # purples: apart from the risk reds
WATER_COLOR = "#2b8cbe"
FENCE_COLOR = "#4d4d4d"
BROKEN_COLOR = "gray"


def _add_legends(m: folium.Map, legends: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """Add the legends; maps.base stacks them in one column at the bottom right."""
    for title, items in legends:
        add_legend(m, title, items)


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_risk_{key}", lang, **values)


def _count(value: object) -> object:
    """A count for a popup: withheld counts (roles without household access) as a dash."""
    return "—" if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _spot_popup(row: pd.Series, lang: Language) -> folium.Popup:
    title, rows = _spot_rows(row, lang)
    return popup_table(rows, title=title, width=380)


def _spot_rows(row: pd.Series, lang: Language) -> tuple[str, dict[str, object]]:
    """The title and the rows of a spot's popup."""
    missing = [value_label(c, lang) for c in str(row["missing_items"]).split(";") if c]
    water = row["water_name"] or row["water_id"] or "-"
    if row["water_kind"]:
        water = f"{water}({value_label(str(row['water_kind']), lang)})"
    last = row["last_inspected"]
    rows = {
        _t("risk", lang): f"{row['risk']:.0f}({_t(str(row['risk_class']), lang)})",
        _t("hazard", lang): f"{row['hazard']:.2f}",
        _t("exposure", lang): f"{row['exposure']:.1f}",
        _t("mitigation", lang): f"{row['mitigation']:.2f}",
        _t("children", lang): _count(row["children_near"]),
        _t("near", lang): _count(row["near_households"]),
        _t("schools", lang): int(row["schools_near"]),
        _t("missing", lang): tr("list_sep", lang).join(missing) or _t("none", lang),
        _t("water", lang): water,
        _t("village", lang): row["village_name"] or row["village_code"] or "-",
        _t("chief", lang): row["river_chief"] or "-",
        _t("inspected", lang): "-" if pd.isna(last) else pd.Timestamp(last).date().isoformat(),
    }
    explanation = row.get(column_in("explanation", lang))
    if explanation:
        rows[_t("explanation", lang)] = explanation
    return spot_label(row, lang), rows


def spot_label(row: pd.Series, lang: Language) -> str:
    """A spot in words (``清水河 1.2 km``, :func:`analysis.risk.assess_risk`'s ``place``), or its id."""
    place = row.get(column_in("place", lang))
    return str(place) if isinstance(place, str) and place else str(row["name"] or row["spot_id"])


def _plain(value: object) -> str:
    return "-" if value is None or pd.isna(value) or value == "" else str(value)


def _density_color(value: float, breaks: np.ndarray) -> str:
    return DENSITY_COLORS[int(np.searchsorted(breaks, value, side="right"))]


def _equipment_rows(row: pd.Series, lang: Language) -> tuple[str, str, str, dict[str, object]]:
    """Style key, tooltip, title and popup rows of an equipment point."""
    kind = str(row["kind"])
    broken = str(row["condition"]) != "ok"
    label = value_label(kind, lang)
    state = value_label(str(row["condition"]), lang)
    rows: dict[str, object] = {
        _t("condition", lang): state,
        _t("water", lang): _plain(row.get("water_id")),
    }
    return f"{kind}|{'broken' if broken else 'ok'}", f"{label}({state})", label, rows


def _icon_options(key: str) -> dict[str, str]:
    """``L.AwesomeMarkers.icon`` options of an equipment style key, as ``folium.Icon`` writes."""
    kind, state = key.split("|")
    icon, color = EQUIPMENT_ICONS.get(kind, ("question", "gray"))
    return {
        "icon": icon,
        "prefix": "fa",
        "markerColor": BROKEN_COLOR if state == "broken" else color,
        "iconColor": "white",
        "extraClasses": "fa-rotate-0",
    }


def _inline_equipment(group: folium.FeatureGroup, points: gpd.GeoDataFrame, lang: Language) -> None:
    cluster = plugins.MarkerCluster(name=_t("equipment", lang)).add_to(group)
    for _, row in points.iterrows():
        key, tip, title, rows = _equipment_rows(row, lang)
        options = _icon_options(key)
        folium.Marker(
            location=[row.geometry.y, row.geometry.x],
            icon=folium.Icon(icon=options["icon"], prefix="fa", color=options["markerColor"]),
            tooltip=tip,
            popup=popup_table(rows, title=title),
        ).add_to(cluster)


def _remote_equipment(
    group: folium.FeatureGroup, points: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers
) -> None:
    described = [_equipment_rows(row, lang) for _, row in points.iterrows()]
    add_popup_layer(
        group,
        points.geometry,
        [d[3] for d in described],
        remote=remote,
        key="equipment",
        styles={key: _icon_options(key) for key in {d[0] for d in described}},
        style=[d[0] for d in described],
        tooltip=[d[1] for d in described],
        title=[d[2] for d in described],
        marker="icon",
        cluster=True,
    )


#: Circle radius (px) of a summary cell by its red + yellow spots: (at least, radius).
CELL_RADII = ((0, 3), (1, 5), (5, 7), (10, 9), (25, 12))


def _spot_summary(
    m: folium.Map,
    cells: gpd.GeoDataFrame,
    lang: Language,
    remote: RemoteLayers,
    detail_zoom: int,
) -> tuple[str, list[tuple[str, str]]]:
    """Spots counted per hexagon, drawn as circles (worst class, sized by red + yellow) until
    ``detail_zoom``; returns the legend."""
    counts = {c: cells[c].fillna(0).astype(int).to_numpy() for c in CLASS_COLORS}
    urgent = counts["red"] + counts["yellow"]
    worst = np.where(counts["red"] > 0, "red", np.where(counts["yellow"] > 0, "yellow", "green"))
    size = np.zeros(len(cells), dtype=int)
    for i, (least, _) in enumerate(CELL_RADII):
        size[urgent >= least] = i
    centres = cells.geometry.centroid.to_crs(WGS84)  # hexagons in a metric CRS
    frame = gpd.GeoDataFrame(
        {
            "s": [f"{w}{k}" for w, k in zip(worst, size, strict=True)],
            "tip": [
                _t("cell_tip", lang, red=r, yellow=y, green=g)
                for r, y, g in zip(counts["red"], counts["yellow"], counts["green"], strict=True)
            ],
        },
        geometry=centres.to_numpy(),
        crs=WGS84,
    )
    styles = {
        f"{cls}{k}": {
            "radius": radius,
            "color": "#333333",
            "weight": 1,
            "fill": True,
            "fillColor": color,
            "fillOpacity": 0.85,
        }
        for cls, color in CLASS_COLORS.items()
        for k, (_, radius) in enumerate(CELL_RADII)
    }
    group = folium.FeatureGroup(name=_t("spot_cells", lang))
    add_remote_layer(
        group,
        frame,
        remote=remote,
        key="spot_cells",
        styles=styles,
        style="s",
        tooltip="tip",
        max_zoom=detail_zoom - 1,
    )
    group.add_to(m)
    items = [(CLASS_COLORS[c], _t(c, lang)) for c in CLASS_COLORS]
    items.append(("#ffffff", _t("zoom_in", lang, z=detail_zoom)))
    return _t("legend_cells", lang), items


def _remote_spots(
    group: folium.FeatureGroup,
    spots: gpd.GeoDataFrame,
    cls: str,
    lang: Language,
    remote: RemoteLayers,
    min_zoom: int | None = None,
) -> None:
    """One class of spots by URL: canvas circles, popups built in the browser."""
    described = [_spot_rows(row, lang) for _, row in spots.iterrows()]
    missing = spots["missing_items"].fillna("").astype(str) != ""
    circle = {
        "radius": 7 if cls == "red" else 5,
        "weight": 1,
        "fill": True,
        "fillColor": CLASS_COLORS[cls],
        "fillOpacity": 0.9,
    }
    add_popup_layer(
        group,
        spots.geometry,
        [rows for _, rows in described],
        remote=remote,
        key=f"spots_{cls}",
        styles={
            "ok": {**circle, "color": CLASS_COLORS[cls]},
            "missing": {**circle, "color": "#333333"},
        },
        style=["missing" if m else "ok" for m in missing],
        title=[title for title, _ in described],
        tooltip=[
            f"{spot_label(row, lang)} {_t('risk', lang)} {row['risk']:.0f}"
            for _, row in spots.iterrows()
        ],
        width=380,
        min_zoom=min_zoom,
    )


Legend = tuple[str, list[tuple[str, str]]]


def _add_child_density(
    m: folium.Map, child_cells: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> Legend:
    """Children per hexagon, shaded by quartile (suppressed cells grey, without counts)."""
    cells = child_cells.to_crs(WGS84)
    values = pd.to_numeric(cells["children"], errors="coerce").astype(float)
    shown = values.dropna()
    breaks = np.unique(np.quantile(shown, [0.25, 0.5, 0.75])) if len(shown) else np.array([0.0])
    group = folium.FeatureGroup(name=_t("density", lang), show=True)
    suppressed = values.isna().to_numpy()
    shaded = gpd.GeoDataFrame(
        {
            "color": [
                "#cccccc" if sup else _density_color(float(v), breaks)
                for v, sup in zip(values, suppressed, strict=True)
            ],
            "tip": [
                _t("suppressed", lang)
                if sup
                else f"{_t('children_col', lang)} {v:.0f} / {_t('households_col', lang)} {h:.0f}"
                for v, h, sup in zip(values, cells["households"], suppressed, strict=True)
            ],
        },
        geometry=cells.geometry.to_numpy(),
        crs=WGS84,
    )
    if remote is not None and remote.by_url(shaded):
        add_remote_layer(
            group,
            shaded,
            remote=remote,
            key="density",
            styles={
                c: {"fillColor": c, "color": c, "weight": 0.5, "fillOpacity": 0.45}
                for c in set(shaded["color"])
            },
            style="color",
            tooltip="tip",
        )
    else:
        folium.GeoJson(
            shaded,
            style_function=lambda f: {
                "fillColor": f["properties"]["color"],
                "color": f["properties"]["color"],
                "weight": 0.5,
                "fillOpacity": 0.45,
            },
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        ).add_to(group)
    group.add_to(m)
    edges = [0.0, *breaks.tolist()]
    items = [(DENSITY_COLORS[i], f"≥ {edges[i]:.0f}") for i in range(min(len(edges), 4))] + [
        ("#cccccc", _t("suppressed", lang))
    ]
    return _t("legend_density", lang), items


_WATER_STYLE = {"color": WATER_COLOR, "weight": 2, "fillColor": WATER_COLOR, "fillOpacity": 0.35}


def _add_waters(
    m: folium.Map, waters: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> None:
    """The waters (WGS84) with their name and kind as tooltip."""
    if remote is not None and remote.by_url(waters):
        group = folium.FeatureGroup(name=_t("waters", lang))
        kinds = [value_label(str(k), lang) for k in waters["kind"]]
        names = waters["name"].astype(object).fillna("")
        add_remote_layer(
            group,
            waters[["geometry"]].assign(
                tip=[f"{n} {k}".strip() for n, k in zip(names, kinds, strict=True)]
            ),
            remote=remote,
            key="waters",
            styles={"": dict(_WATER_STYLE)},
            tooltip="tip",
        )
        group.add_to(m)
    elif len(waters):
        folium.GeoJson(
            waters[["id", "name", "kind", "geometry"]].assign(
                kind=[value_label(str(k), lang) for k in waters["kind"]],
                name=waters["name"].astype(object).fillna(""),
            ),
            name=_t("waters", lang),
            style_function=lambda _f: dict(_WATER_STYLE),
            tooltip=folium.GeoJsonTooltip(fields=["name", "kind"], aliases=["", ""]),
        ).add_to(m)


def _add_spots(
    m: folium.Map,
    result: RiskResult,
    lang: Language,
    remote: RemoteLayers | None,
    spot_cells: gpd.GeoDataFrame | None,
    detail_zoom: int,
) -> list[Legend]:
    """The spots, one layer per class (green first, so red is drawn on top); per hexagon
    below ``detail_zoom`` when they go by URL and ``spot_cells`` are given."""
    legends: list[Legend] = []
    spots = result.spots.to_crs(WGS84)
    summary = remote is not None and spot_cells is not None and remote.by_url(spots)
    if summary:
        assert remote is not None and spot_cells is not None
        legends.append(_spot_summary(m, spot_cells, lang, remote, detail_zoom))
    for cls in ("green", "yellow", "red"):
        group = folium.FeatureGroup(name=f"{_t('spots', lang)}:{_t(cls, lang)}")
        sub = spots.loc[spots["risk_class"] == cls]
        if remote is not None and (summary or remote.by_url(sub)):
            _remote_spots(group, sub, cls, lang, remote, detail_zoom if summary else None)
            group.add_to(m)
            continue
        for _, row in sub.iterrows():
            folium.CircleMarker(
                location=[row.geometry.y, row.geometry.x],
                radius=7 if cls == "red" else 5,
                color="#333333" if row["missing_items"] else CLASS_COLORS[cls],
                weight=1,
                fill=True,
                fill_color=CLASS_COLORS[cls],
                fill_opacity=0.9,
                popup=_spot_popup(row, lang),
                tooltip=f"{spot_label(row, lang)} {_t('risk', lang)} {row['risk']:.0f}",
            ).add_to(group)
        group.add_to(m)
    legends.append(
        (_t("legend_risk", lang), [(CLASS_COLORS[c], _t(c, lang)) for c in CLASS_COLORS])
    )
    return legends


def _add_fences(
    m: folium.Map,
    fences: gpd.GeoDataFrame,
    cond: pd.Series,
    lang: Language,
    remote: RemoteLayers | None,
) -> None:
    """Fences as lines, dashed grey when damaged or missing."""
    tips = [f"{value_label('fence', lang)}({value_label(str(c), lang)})" for c in cond]
    if remote is not None and remote.by_url(fences):
        fgroup = folium.FeatureGroup(name=_t("fences", lang))
        fence_frame = fences[["geometry"]].assign(
            ok=["ok" if c == "ok" else "broken" for c in cond], tip=tips
        )
        add_remote_layer(
            fgroup,
            fence_frame,
            remote=remote,
            key="fences",
            styles={
                "ok": {"color": FENCE_COLOR, "weight": 4},
                "broken": {"color": "#bbbbbb", "weight": 4, "dashArray": "6,6"},
            },
            style="ok",
            tooltip="tip",
        )
        fgroup.add_to(m)
    elif len(fences):
        fgroup = folium.FeatureGroup(name=_t("fences", lang))
        for geom, c, tip in zip(fences.geometry, cond, tips, strict=True):
            folium.PolyLine(
                [(y, x) for x, y in geom.coords],
                color=FENCE_COLOR if c == "ok" else "#bbbbbb",
                weight=4,
                dash_array=None if c == "ok" else "6,6",
                tooltip=tip,
            ).add_to(fgroup)
        fgroup.add_to(m)


def _add_equipment(
    m: folium.Map, equipment: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> Legend:
    """The equipment present: the items as icons, the fences as lines."""
    eq = equipment.to_crs(WGS84)
    kinds = eq["kind"].astype(object).fillna("")
    cond = eq["condition"].astype(object).fillna("ok")
    points = eq.loc[kinds != "fence"]
    group = folium.FeatureGroup(name=_t("equipment", lang))
    if remote is not None and remote.by_url(points):
        _remote_equipment(group, points, lang, remote)
    else:
        _inline_equipment(group, points, lang)
    group.add_to(m)
    fences = eq.loc[kinds == "fence"]
    _add_fences(m, fences, cond.loc[fences.index], lang, remote)
    items = [
        (EQUIPMENT_COLORS[EQUIPMENT_ICONS[k][1]], value_label(k, lang))
        for k in (*FOUR_ONES, "rescue_cabinet")
    ]
    items += [(FENCE_COLOR, value_label("fence", lang)), ("#8c8c8c", _t("broken", lang))]
    return _t("legend_eq", lang), items


def _add_households(
    m: folium.Map, households: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> None:
    """Household points with their children (authorised roles only), hidden at first."""
    hh = households.to_crs(WGS84)
    group = folium.FeatureGroup(name=_t("households", lang), show=False)
    children = pd.to_numeric(hh["children"], errors="coerce").fillna(0).astype(int)
    if remote is not None and remote.by_url(hh):
        add_remote_layer(
            group,
            hh[["geometry"]].assign(tip=[f"{_t('children_col', lang)} {n}" for n in children]),
            remote=remote,
            key="households",
            styles={"": {"radius": 3, "color": "#6a51a3", "fill": True, "fillOpacity": 0.8}},
            tooltip="tip",
        )
    else:
        points = gpd.GeoDataFrame(
            {"children": children}, geometry=hh.geometry.to_numpy(), crs=WGS84
        )
        folium.GeoJson(
            points,
            marker=folium.CircleMarker(radius=3, color="#6a51a3", fill=True, fill_opacity=0.8),
            tooltip=folium.GeoJsonTooltip(fields=["children"], aliases=[_t("children_col", lang)]),
        ).add_to(group)
    group.add_to(m)


def risk_map(
    result: RiskResult,
    layers_metric: Layers,
    *,
    lang: Language = "zh",
    authorised: bool = False,
    child_cells: gpd.GeoDataFrame | None = None,
    remote: RemoteLayers | None = None,
    spot_cells: gpd.GeoDataFrame | None = None,
    detail_zoom: int = 13,
) -> folium.Map:
    """Draw the risk analysis: waters, spots by class, equipment present, child density.

    Parameters
    ----------
    result
        The output of :func:`analysis.risk.assess_risk`.
    layers_metric
        The layers (any CRS; drawn in WGS84): waters, equipment and, when authorised, households.
    lang
        ``"zh"`` (default) or ``"en"`` labels.
    authorised
        Draw household points (personal data of minors); otherwise only ``child_cells``.
    child_cells
        Aggregated hexagon counts (:func:`analysis.privacy.aggregate_households` with a
        ``children`` column); suppressed cells are drawn grey without counts.
    remote
        Where layers with many features go by URL (:mod:`maps.remote`; the map server's);
        ``None`` writes every feature into the HTML.
    spot_cells
        Spots counted per hexagon (:func:`analysis.privacy.hexagon_counts` of ``red``,
        ``yellow`` and ``green`` indicator columns). When the spots go by URL, these are drawn
        instead of the single spots below ``detail_zoom`` (a county's 20,000 spots are a blur at
        county zoom and cost the browser seconds).
    detail_zoom
        The zoom level from which single spots are drawn when ``spot_cells`` stand in for them.
    """
    waters = layers_metric.waters.to_crs(WGS84)
    spots = result.spots
    pressing = spots.loc[spots["risk_class"].isin(("red", "yellow"))]
    m = base_map(focus(pressing, spots, waters), lang=lang)
    add_reference(m, layers_metric, lang=lang, remote=remote, detail_zoom=detail_zoom, waters=False)
    legends: list[Legend] = []
    if child_cells is not None and len(child_cells):
        legends.append(_add_child_density(m, child_cells, lang, remote))
    _add_waters(m, waters, lang, remote)
    legends += _add_spots(m, result, lang, remote, spot_cells, detail_zoom)
    if len(layers_metric.equipment):
        legends.append(_add_equipment(m, layers_metric.equipment, lang, remote))
    if authorised and len(layers_metric.households):
        _add_households(m, layers_metric.households, lang, remote)
    _add_legends(m, legends)
    return finish(m)


# --------------------------------------------------------------------------------------------
# the drawer of the analysis (maps.registry)
# --------------------------------------------------------------------------------------------

from maps.registry import MapContext, drawer  # noqa: E402

_CLASSES = ("red", "yellow", "green")


def _spot_cells(spots: gpd.GeoDataFrame, ctx: MapContext) -> gpd.GeoDataFrame:
    """Risk spots per class counted in hexagons for the zoomed-out map (no personal data: no
    suppression), ``privacy.cell_m`` wide or coarser when there would be more than
    :data:`analysis.registry.MAP_MAX_CELLS`."""
    from analysis.privacy import hexagon_counts
    from analysis.registry import MAP_MAX_CELLS

    flags = spots[["geometry"]].assign(
        **{c: (spots["risk_class"] == c).astype(int) for c in _CLASSES}
    )
    cell_m = ctx.settings.privacy.cell_m
    cells = hexagon_counts(flags, columns=list(_CLASSES), cell_m=cell_m)
    while len(cells) > MAP_MAX_CELLS:
        cell_m *= 2
        cells = hexagon_counts(flags, columns=list(_CLASSES), cell_m=cell_m)
    return cells


@drawer("risk")
def _draw(result: RiskResult, ctx: MapContext) -> folium.Map:
    from analysis.registry import map_cells

    return risk_map(
        result,
        ctx.metric,
        lang=ctx.lang,
        authorised=ctx.authorised,
        child_cells=map_cells(ctx.metric.households, ["children"], settings=ctx.settings),
        remote=ctx.remote,
        spot_cells=_spot_cells(result.spots, ctx),
        detail_zoom=ctx.settings.map_detail_zoom,
    )
