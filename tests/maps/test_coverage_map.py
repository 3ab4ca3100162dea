"""The coverage map: layers, legend, Chinese popups, household points only when authorised."""

from __future__ import annotations

import re
from dataclasses import replace

import folium
import pytest

from analysis.coverage import CoverageResult, assess_coverage
from analysis.privacy import aggregate_households
from geo.load import read_layers
from geo.settings import Settings
from geo.validate import validate_layers
from maps.coverage import coverage_map
from sample_layers.generate import SAMPLE_PATH


@pytest.fixture(scope="module")
def result() -> CoverageResult:
    layers, _ = validate_layers(read_layers(SAMPLE_PATH))
    return assess_coverage(layers.to_metric(), settings=Settings())


@pytest.fixture(scope="module")
def authorised_html(result: CoverageResult) -> str:
    # a few hundred households are enough to see the points; drawing all of them is slow
    h = result.households
    few = h.loc[~h["covered"]].iloc[:150]
    return _html(coverage_map(replace(result, households=few), authorised=True))


def _html(m: folium.Map) -> str:
    """The rendered page, with the JSON escapes of Chinese (layer names) decoded."""
    html = m.get_root().render()
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), html)


def test_chinese_layers_legend_and_findings(result: CoverageResult) -> None:
    cells = aggregate_households(
        result.households.loc[~result.households["covered"]],
        columns=["children", "left_behind", "in_difficulty"],
        settings=Settings().privacy,
    )
    html = _html(coverage_map(result, household_cells=cells))
    for name in (
        "村儿童覆盖率",
        "服务范围(步行 1000 米)",
        "儿童服务设施",
        "覆盖缺口区域",
        "未覆盖家庭(网格汇总)",
        "政策检查发现",
    ):
        assert name in html, name
    assert "图例" in html and "覆盖率 0%–25%" in html and "儿童之家" in html
    assert "L.control.layers" in html
    # policy findings as Chinese popups
    assert "没有儿童之家" in html and "没有未成年人保护工作站" in html
    assert "需配备第二名儿童主任" in html
    # no household points: neither the authorised layer nor household ids
    assert "未覆盖家庭(授权可见)" not in html
    assert "H00001" not in html and "markerClusterGroup" not in html


def test_household_points_only_when_authorised(
    result: CoverageResult, authorised_html: str
) -> None:
    html = authorised_html
    assert "未覆盖家庭(授权可见)" in html
    uncovered = result.households.loc[~result.households["covered"], "id"]
    assert str(uncovered.iloc[0]) in html
    assert "markerClusterGroup" in html


def test_small_gaps_hidden_unless_authorised(result: CoverageResult, authorised_html: str) -> None:
    small = result.gaps.loc[result.gaps["small"], "gap_id"]
    assert len(small)
    tag = f"覆盖缺口区域 {small.iloc[0]}"
    assert tag not in _html(coverage_map(result))
    assert tag in authorised_html


def test_english_labels(result: CoverageResult) -> None:
    html = _html(coverage_map(result, lang="en"))
    assert "Village coverage of children" in html and "Policy-check findings" in html
    assert "has no children home" in html


def test_the_map_opens_on_the_gaps_a_viewer_is_shown(result: CoverageResult) -> None:
    from folium.map import FitBounds

    def fitted(m: folium.Map) -> list[float]:
        fits = [c for c in m._children.values() if isinstance(c, FitBounds)]
        return [float(v) for corner in fits[0].bounds for v in corner]

    large = result.gaps.loc[~result.gaps["small"].astype(bool)]
    assert len(large)
    west, south, east, north = large.to_crs(4326).total_bounds
    assert fitted(coverage_map(result)) == pytest.approx([south, west, north, east])
    # without gaps, the whole area
    closed = replace(result, gaps=result.gaps.iloc[:0])
    west, south, east, north = closed.areas.to_crs(4326).total_bounds
    assert fitted(coverage_map(closed)) == pytest.approx([south, west, north, east])
