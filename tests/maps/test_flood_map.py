"""The flood-season review map: layers, legend, popups, language; no household points."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analysis.flood import FloodReview, review_institutions
from geo.settings import Settings
from geo.validate import validate_layers
from maps.flood import flood_map
from tests.analysis.test_flood import DATE, hand_frames


def _layer(html: str, name: str) -> bool:
    """Whether the layer control lists ``name`` (folium writes it as a JSON string)."""
    return f"{json.dumps(name)} :" in html


@pytest.fixture(scope="module")
def review() -> FloodReview:
    layers, report = validate_layers(hand_frames(), today=DATE)
    report.raise_if_fatal("en")
    return review_institutions(layers.to_metric(), settings=Settings(), date=dt.date(2026, 3, 15))


def test_map_has_layers_legend_and_chinese_popups(review: FloodReview) -> None:
    html = flood_map(review).get_root().render()
    for name in ("儿童机构(按隐患等级)", "水域", "撤离路线", "洪水淹没区", "危墙"):
        assert _layer(html, name), name
    assert not _layer(html, "危房")  # no dangerous building in the hand-built layers
    assert "汛期隐患排查" in html and "隐患等级: 高" in html  # the legend
    assert "甲小学" in html and "位于洪水淹没区(行洪区)" in html  # an institution's popup
    assert "教育局" in html and "民政局" in html
    assert "L.control.layers" in html
    # levels are drawn in their colours
    for color in ("#d7191c", "#fdae61", "#1a9641"):
        assert color in html


def test_map_in_english(review: FloodReview) -> None:
    html = flood_map(review, lang="en").get_root().render()
    assert _layer(html, "Institutions by hazard level") and _layer(html, "Escape routes")
    assert "inside flood zone" in html and "education bureau" in html


def test_map_draws_no_household(review: FloodReview) -> None:
    html = flood_map(review).get_root().render()
    assert "H1" not in html and "households" not in html
