"""The siting map: layer names, legend, numbered sites, popups; no household points by default."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest

from analysis.privacy import aggregate_households
from analysis.siting import SitingResult, site_facilities
from geo.settings import Settings
from geo.validate import validate_layers
from maps.siting import siting_map


def has(html: str, text: str) -> bool:
    """Plain or JSON-escaped (folium writes layer names with json.dumps)."""
    return text in html or json.dumps(text)[1:-1] in html


@pytest.fixture
def result(frames: dict[str, gpd.GeoDataFrame]) -> SitingResult:
    layers, _ = validate_layers(frames)
    return site_facilities(layers.to_metric(), settings=Settings(), model="mclp", k=1)


def _cells(result: SitingResult) -> gpd.GeoDataFrame:
    return aggregate_households(result.households, columns=["weight"], settings=Settings().privacy)


def test_map_in_chinese_with_layers_legend_and_popup(result: SitingResult) -> None:
    html = siting_map(result, demand_cells=_cells(result)).get_root().render()
    for name in (
        "现有设施",
        "候选站点",
        "选定新站点(按序号)",
        "服务范围(新建前)",
        "服务范围(新建后)",
        "需求(六边形汇总)",
        "选址",
    ):
        assert has(html, name), name
    # the popup of chosen site 1 carries the before/after coverage table
    for text in ("村覆盖率(新建前)", "0.0%", "村覆盖率(新建后)", "100.0%", "#1 C001"):
        assert has(html, text), text
    assert "L.control.layers" in html
    assert '"isAlphaNumericIcon": true' in html and '"text": 1' in html  # numbered by rank
    assert not has(html, "重点儿童家庭(已授权)")


def test_map_in_english_and_households_only_when_authorised(result: SitingResult) -> None:
    html = siting_map(result, lang="en").get_root().render()
    assert has(html, "Chosen sites (by rank)") and has(html, "Village coverage after")
    assert not has(html, "Households (authorised)")
    authorised = siting_map(result, lang="en", authorised=True).get_root().render()
    assert has(authorised, "Households (authorised)") and "markerClusterGroup" in authorised
