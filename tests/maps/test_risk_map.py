"""The risk map: layers, legends, Chinese popups; household points only when authorised."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis.privacy import aggregate_households
from analysis.risk import RiskResult, assess_risk
from geo.layers import Layers
from geo.settings import PrivacySettings, Settings
from geo.validate import validate_layers
from maps.risk import risk_map


def _has(html: str, text: str) -> bool:
    """Whether ``text`` is in the page, raw (HTML) or JSON-escaped (layer names)."""
    return text in html or json.dumps(text)[1:-1] in html


@pytest.fixture
def sample(frames: dict[str, gpd.GeoDataFrame]) -> tuple[RiskResult, Layers]:
    eq = frames["equipment"]
    extra = gpd.GeoDataFrame(
        {"id": ["E2"], "kind": ["warning_sign"], "condition": ["damaged"], "water_id": ["W2"]},
        geometry=[Point(112.956, 29.8047)],
        crs=eq.crs,
    )
    frames["equipment"] = pd.concat([eq, extra], ignore_index=True)
    layers, _ = validate_layers(frames)
    metric = layers.to_metric()
    result = assess_risk(metric, settings=Settings(), date=dt.date(2026, 7, 15))
    return result, metric


def _render(result: RiskResult, layers: Layers, **kwargs: object) -> str:
    return str(risk_map(result, layers, **kwargs).get_root().render())  # type: ignore[arg-type]


def test_layers_legends_and_popups_in_chinese(sample: tuple[RiskResult, Layers]) -> None:
    result, layers = sample
    cells = aggregate_households(
        layers.households, columns=["children"], settings=PrivacySettings(min_households=1)
    )
    html = _render(result, layers, child_cells=cells)
    for name in (
        "水域",
        "风险点:红色(高风险)",
        "风险点:绿色(一般)",
        "救生设施(现有)",
        "儿童密度(聚合)",
    ):
        assert _has(html, name), name
    for legend in ("溺水风险点", "救生设施", "儿童数(每格)"):
        assert legend in html
    assert "L.control.layers" in html
    assert _has(html, "危险度") and _has(html, "暴露度") and _has(html, "缺少")
    assert _has(html, str(result.spots.iloc[0]["explanation"]))
    assert _has(html, "警示牌(损坏)")  # damaged equipment is marked
    assert not _has(html, "重点儿童家庭(授权)")


def test_household_points_only_when_authorised(sample: tuple[RiskResult, Layers]) -> None:
    result, layers = sample
    plain = _render(result, layers)
    authorised = _render(result, layers, authorised=True)
    assert not _has(plain, "重点儿童家庭(授权)")
    assert _has(authorised, "重点儿童家庭(授权)")
    # household features carry their children count; nothing else on these maps does
    assert '"children":' not in plain and '"children":' in authorised


def test_english_labels(sample: tuple[RiskResult, Layers]) -> None:
    result, layers = sample
    page = _render(result, layers, lang="en")
    assert "Drowning-risk spots" in page and _has(page, "Waters")


def _fitted(m: object) -> list[float]:
    """The bounds the map opens on (folium's FitBounds): south, west, north, east."""
    from folium.map import FitBounds

    fits = [c for c in m._children.values() if isinstance(c, FitBounds)]  # type: ignore[attr-defined]
    assert len(fits) == 1
    assert fits[0].options["maxZoom"] == 16  # one spot is shown with its surroundings
    return [float(v) for corner in fits[0].bounds for v in corner]


def test_the_map_opens_on_the_red_and_yellow_spots(sample: tuple[RiskResult, Layers]) -> None:
    result, layers = sample
    n = len(result.spots)
    assert n >= 2
    classes = ["red"] + ["green"] * (n - 1)
    one_red = dataclasses.replace(result, spots=result.spots.assign(risk_class=classes))
    red = one_red.spots.iloc[[0]].to_crs(4326).geometry.iloc[0]
    assert _fitted(risk_map(one_red, layers)) == pytest.approx([red.y, red.x, red.y, red.x])
    # no red or yellow spot: every spot
    calm = result.spots.assign(risk_class="green")
    west, south, east, north = calm.to_crs(4326).total_bounds
    fitted = _fitted(risk_map(dataclasses.replace(result, spots=calm), layers))
    assert fitted == pytest.approx([south, west, north, east])
