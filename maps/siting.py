"""The siting map: existing facilities, candidates, chosen sites by rank, reach before and after."""

from __future__ import annotations

import folium
import geopandas as gpd
from folium import plugins

from analysis.siting import SitingResult
from geo.crs import WGS84
from geo.i18n import tr
from geo.layers import Layers
from geo.settings import Language
from maps.base import add_legend, base_map, finish, popup_table
from maps.reference import add_reference
from maps.remote import RemoteLayers, add_remote_layer, popup_frame

__all__ = ["siting_map"]

_COLORS = {
    "existing": "#1f78b4",
    "candidates": "#999999",
    "chosen": "#e31a1c",
    "reach_before": "#9e9e9e",
    "reach_after": "#ff7f00",
    "demand": "#6a3d9a",
}


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"map_siting_{key}", lang, **values)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _by_url(remote: RemoteLayers | None, frame: gpd.GeoDataFrame) -> RemoteLayers | None:
    """``remote`` when ``frame`` goes by URL, else ``None`` (drawn into the HTML)."""
    return remote if remote is not None and remote.by_url(frame) else None


def _add_demand(
    m: folium.Map, demand_cells: gpd.GeoDataFrame, lang: Language, remote: RemoteLayers | None
) -> None:
    """The demand per hexagon, shaded by its share of the heaviest cell."""
    cells = demand_cells.to_crs(WGS84)
    group = folium.FeatureGroup(name=_t("demand", lang))
    top = (
        float(cells["weight"].max()) if "weight" in cells and cells["weight"].notna().any() else 1.0
    )
    to = _by_url(remote, cells)
    rows_by_url: list[dict[str, object]] = []
    shares: list[str] = []
    for _, row in cells.iterrows():
        withheld = bool(row.get("suppressed", False))
        share = 0.0 if withheld else float(row.get("weight", 0.0) or 0.0) / max(top, 1e-9)
        rows: dict[str, object] = {
            _t("hh", lang): _t("suppressed", lang) if withheld else int(row["households"]),
            _t("weight", lang): "-" if withheld else f"{float(row['weight']):.0f}",
        }
        if to:
            rows_by_url.append(rows)
            shares.append(f"{round(share * 10)}")  # opacity in tenths: few styles
            continue
        folium.GeoJson(
            row.geometry.__geo_interface__,
            style_function=lambda _f, s=share: {
                "color": _COLORS["demand"],
                "weight": 0.5,
                "fillColor": _COLORS["demand"],
                "fillOpacity": 0.05 + 0.5 * s,
            },
        ).add_child(popup_table(rows)).add_to(group)
    if to:
        frame, popup = popup_frame(cells.geometry, rows_by_url, s=shares)
        add_remote_layer(
            group,
            frame,
            remote=to,
            key="demand",
            styles={
                str(k): {
                    "color": _COLORS["demand"],
                    "weight": 0.5,
                    "fillColor": _COLORS["demand"],
                    "fillOpacity": 0.05 + 0.05 * k,
                }
                for k in range(11)
            },
            style="s",
            popup=popup,
        )
    group.add_to(m)


def _add_reach(
    m: folium.Map, result: SitingResult, lang: Language, remote: RemoteLayers | None
) -> None:
    """The roads within the standard of a facility, before (wide, grey) and after."""
    for key in ("reach_before", "reach_after"):
        edges: gpd.GeoDataFrame = getattr(result, key)
        group = folium.FeatureGroup(name=_t(key, lang))
        weight = 7 if key == "reach_before" else 4
        if to := _by_url(remote, edges):
            add_remote_layer(
                group,
                edges[[edges.geometry.name]],
                remote=to,
                key=key,
                styles={"": {"color": _COLORS[key], "weight": weight, "opacity": 0.7}},
            )
        elif len(edges):
            color = _COLORS[key]
            folium.GeoJson(
                edges[[edges.geometry.name]].to_crs(WGS84).to_json(),
                style_function=lambda _f, c=color, wt=weight: {
                    "color": c,
                    "weight": wt,
                    "opacity": 0.7,
                },
            ).add_to(group)
        group.add_to(m)


def _add_sites(
    m: folium.Map, result: SitingResult, lang: Language, remote: RemoteLayers | None
) -> None:
    """The existing facilities and the candidates not chosen."""
    group = folium.FeatureGroup(name=_t("existing", lang))
    for _, row in result.existing.to_crs(WGS84).iterrows():
        folium.CircleMarker(
            [row.geometry.y, row.geometry.x],
            radius=8,
            color="white",
            weight=2,
            fill=True,
            fill_color=_COLORS["existing"],
            fill_opacity=1.0,
            popup=popup_table({_t("name", lang): row.get("name", row.get("id", ""))}),
        ).add_to(group)
    group.add_to(m)

    group = folium.FeatureGroup(name=_t("candidates", lang), show=True)
    cands = result.candidates.loc[~result.candidates["chosen"]].to_crs(WGS84)
    if to := _by_url(remote, cands):
        add_remote_layer(
            group,
            cands[["geometry"]].assign(tip=cands["site_id"].astype(str)),
            remote=to,
            key="candidates",
            styles={
                "": {
                    "radius": 3,
                    "color": _COLORS["candidates"],
                    "fill": True,
                    "fillOpacity": 0.8,
                }
            },
            tooltip="tip",
        )
    for _, row in [] if to else cands.iterrows():
        folium.CircleMarker(
            [row.geometry.y, row.geometry.x],
            radius=3,
            color=_COLORS["candidates"],
            fill=True,
            fill_opacity=0.8,
            tooltip=str(row["site_id"]),
        ).add_to(group)
    group.add_to(m)


def _add_chosen(m: folium.Map, result: SitingResult, lang: Language) -> None:
    """The chosen sites numbered by rank, with what each gains."""
    villages = result.villages.set_index("village_code")
    group = folium.FeatureGroup(name=_t("chosen", lang))
    for _, row in result.chosen.to_crs(WGS84).iterrows():
        code = str(row["village_code"])
        v = villages.loc[code] if code in villages.index else None
        info: dict[str, object] = {
            _t("rank", lang): int(row["rank"]),
            _t("site", lang): row["site_id"],
            _t("village", lang): row.get("village_name") or code,
            _t("gain", lang): f"{float(row['gain']):.0f}",
            _t("hh_gained", lang): int(row["households_gained"]),
        }
        if v is not None:
            info[_t("cov_before", lang)] = _pct(float(v["share_before"]))
            info[_t("cov_after", lang)] = _pct(float(v["share_after"]))
        info[_t("all_before", lang)] = _pct(result.coverage_before)
        info[_t("all_after", lang)] = _pct(result.coverage_after)
        folium.Marker(
            [row.geometry.y, row.geometry.x],
            icon=plugins.BeautifyIcon(  # type: ignore[arg-type]
                number=int(row["rank"]),
                icon_shape="marker",
                border_color=_COLORS["chosen"],
                text_color=_COLORS["chosen"],
            ),
            popup=popup_table(info, title=f"#{int(row['rank'])} {row['site_id']}"),
        ).add_to(group)
    group.add_to(m)


def _add_households(
    m: folium.Map, result: SitingResult, lang: Language, remote: RemoteLayers | None
) -> None:
    """The households, coloured by whether they are covered after (authorised roles only)."""
    if to := _by_url(remote, result.households):
        group = folium.FeatureGroup(name=_t("households", lang), show=False)
        hh = result.households
        add_remote_layer(
            group,
            hh[[hh.geometry.name]].assign(
                s=["after" if c else "not" for c in hh["covered_after"].astype(bool)]
            ),
            remote=to,
            key="households",
            styles={
                "after": {"radius": 2, "color": _COLORS["reach_after"]},
                "not": {"radius": 2, "color": "#000000"},
            },
            style="s",
        )
        group.add_to(m)
    elif len(result.households):
        group = folium.FeatureGroup(name=_t("households", lang), show=False)
        cluster = plugins.MarkerCluster().add_to(group)
        for _, row in result.households.to_crs(WGS84).iterrows():
            folium.CircleMarker(
                [row.geometry.y, row.geometry.x],
                radius=2,
                color=_COLORS["reach_after"] if row["covered_after"] else "#000000",
            ).add_to(cluster)
        group.add_to(m)


def siting_map(
    result: SitingResult,
    *,
    demand_cells: gpd.GeoDataFrame | None = None,
    authorised: bool = False,
    lang: Language = "zh",
    remote: RemoteLayers | None = None,
    reference: Layers | None = None,
) -> folium.Map:
    """Draw a siting result.

    Parameters
    ----------
    result
        From :func:`analysis.siting.site_facilities`.
    demand_cells
        Hexagon aggregates of the demand (:func:`analysis.privacy.aggregate_households` over
        ``result.households`` with column ``weight``), drawn shaded by weight.
    authorised
        Draw household points (personal data of minors) only when true.
    lang
        ``"zh"`` (default) or ``"en"``.
    remote
        Where layers with many features go by URL (:mod:`maps.remote`; the map server's);
        ``None`` writes every feature into the HTML.
    reference
        The workspace's layers: their boundaries, roads, waters and names are drawn beneath
        the results (:func:`maps.reference.add_reference`); ``None`` draws none.
    """

    # the view of a role without household access fits the demand cells, never the households'
    # own extent (its edges would be four households' coordinates)
    cells_given = demand_cells is not None and len(demand_cells) > 0
    if authorised and len(result.households):
        bounds = result.households
    else:
        bounds = demand_cells if cells_given and demand_cells is not None else result.candidates
    m = base_map(bounds, lang=lang)
    if reference is not None:
        add_reference(m, reference, lang=lang, remote=remote)
    if demand_cells is not None and len(demand_cells):
        _add_demand(m, demand_cells, lang, remote)
    _add_reach(m, result, lang, remote)
    _add_sites(m, result, lang, remote)
    _add_chosen(m, result, lang)
    if authorised:
        _add_households(m, result, lang, remote)
    add_legend(
        m,
        _t("legend", lang),
        [
            (_COLORS[k], _t(k, lang))
            for k in ("existing", "candidates", "chosen", "reach_before", "reach_after", "demand")
        ],
    )
    return finish(m)
