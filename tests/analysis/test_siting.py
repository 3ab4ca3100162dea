"""Siting on layers: the tiny hand-built township, bad input, and the sample township."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from analysis.siting import SitingResult, site_facilities
from geo.errors import InputError
from geo.layers import Layers
from geo.network import build_network
from geo.settings import Settings
from geo.validate import validate_layers


@pytest.fixture
def tiny(frames: dict[str, gpd.GeoDataFrame]) -> Layers:
    layers, _ = validate_layers(frames)
    return layers.to_metric()


def test_tiny_mclp_by_hand(tiny: Layers, settings: Settings) -> None:
    # weights (children + left-behind + 2 x in difficulty): H1 = 4 (east, near F1), H2 = 3,
    # H3 = 6 (west, no home). The generated candidates are the two road nodes in the west
    # village: C001 at the west end of the road (483 m and 608 m walking from H2 and H3) and
    # C002 at the bridge (about 390 m and 705 m); both reach both, C001 dominates by index.
    res = site_facilities(tiny, settings=settings, model="mclp", k=1)
    assert res.candidates["site_id"].tolist() == ["C001", "C002"]
    assert res.chosen["village_code"].tolist() == ["420001002"]
    assert res.chosen["gain"].tolist() == [9.0] and res.chosen["households_gained"].tolist() == [2]
    assert res.coverage_before == pytest.approx(4 / 13)
    assert res.coverage_after == pytest.approx(1.0)
    assert res.objective == pytest.approx(13.0) and res.status == "optimal"
    assert len(res.uncovered) == 0
    v = res.villages.set_index("village_code")
    assert v.loc["420001002", "share_before"] == 0 and v.loc["420001002", "share_after"] == 1
    assert not v.loc["420001002", "has_home"] and v.loc["420001001", "has_home"]
    assert len(res.reach_after) >= len(res.reach_before) > 0


def test_tiny_weights_and_standard(tiny: Layers, settings: Settings) -> None:
    # at 500 m only H2 is reached from a candidate; H3 stays beyond the standard
    res = site_facilities(tiny, settings=settings, k=1, standard_m=500, weights="in_difficulty")
    assert res.households.set_index("id")["covered_after"].to_dict() == {
        "H1": True,
        "H2": True,
        "H3": False,
    }
    assert res.uncovered["id"].tolist() == ["H3"]


def test_tiny_lscp_and_pmedian(tiny: Layers, settings: Settings) -> None:
    lscp = site_facilities(tiny, settings=settings, model="lscp")
    assert lscp.objective == 1.0 and len(lscp.chosen) == 1
    pm = site_facilities(tiny, settings=settings, model="pmedian", k=1)
    # 4 x 110.9 + 3 x 483.4 + 6 x 608.4 (C001) beats 3 x 390 + 6 x 705 (C002)
    assert pm.chosen["site_id"].tolist() == ["C001"]
    d = pm.households["distance_after"].to_numpy()
    assert pm.objective == pytest.approx(float((pm.households["weight"] * d).sum()))
    assert pm.objective == pytest.approx(4 * 110.85 + 3 * 483.38 + 6 * 608.39, abs=0.1)


def test_candidates_layer_and_required_village(tiny: Layers, settings: Settings) -> None:
    pts = gpd.GeoSeries([Point(112.951, 29.81), Point(112.959, 29.8105)], crs="EPSG:4326").to_crs(
        tiny.households.crs
    )
    cands = gpd.GeoDataFrame({"id": ["K1", "K2"]}, geometry=pts)
    res = site_facilities(tiny, settings=settings, k=1, candidates=cands)
    assert set(res.candidates["village_code"]) == {"420001002"}
    assert len(res.chosen) == 1
    with pytest.raises(InputError, match="required village 420001001 东村 has no candidate"):
        site_facilities(
            tiny, settings=settings, k=1, candidates=cands, require_villages=["420001001"]
        )


def test_bad_input_messages(tiny: Layers, settings: Settings) -> None:
    with pytest.raises(InputError, match="k = 3 new sites asked for but only 2 candidate"):
        site_facilities(tiny, settings=settings, k=3)
    with pytest.raises(InputError, match="no household lies within 10 m"):
        site_facilities(tiny, settings=settings, k=1, standard_m=10)
    with pytest.raises(InputError, match="unknown model"):
        site_facilities(tiny, settings=settings, model="xyz", k=1)  # type: ignore[arg-type]
    empty = gpd.GeoDataFrame({"id": []}, geometry=gpd.GeoSeries([], crs=tiny.households.crs))
    with pytest.raises(InputError, match="no candidate sites"):
        site_facilities(tiny, settings=settings, k=1, candidates=empty)
    hh = tiny.households.copy()
    hh[["children", "left_behind", "in_difficulty"]] = 0
    from dataclasses import replace

    with pytest.raises(InputError, match="no demand"):
        site_facilities(replace(tiny, households=hh), settings=settings, k=1)


# --- the sample township -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[Layers, object]:
    from geo.load import read_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH))
    metric = layers.to_metric()
    return metric, build_network(metric.roads)


@pytest.fixture(scope="module")
def sample_mclp(sample: tuple[Layers, object]) -> SitingResult:
    layers, net = sample
    return site_facilities(layers, settings=Settings(), model="mclp", k=2, network=net)  # type: ignore[arg-type]


def test_sample_sites_land_in_villages_without_a_home(sample_mclp: SitingResult) -> None:
    res = sample_mclp
    without = set(res.villages.loc[~res.villages["has_home"], "village_code"])
    assert len(without) == 5  # seven of twelve villages have a home
    assert len(res.chosen) == 2 and set(res.chosen["village_code"]) <= without
    assert res.coverage_after > res.coverage_before
    assert res.status == "optimal" and res.gap == 0.0
    assert list(res.chosen["rank"]) == [1, 2]
    assert np.all(np.diff(res.chosen["gain"].to_numpy()) <= 0)
    # coverage per village never falls, and the uncovered are those beyond the standard
    assert (res.villages["covered_after"] >= res.villages["covered_before"]).all()
    assert (res.uncovered["distance_after"] > res.standard_m).all()


def test_sample_required_villages(sample: tuple[Layers, object]) -> None:
    layers, net = sample
    res = site_facilities(
        layers,
        settings=Settings(),
        model="mclp",
        k=5,
        require_villages="missing",
        network=net,  # type: ignore[arg-type]
    )
    without = set(res.villages.loc[~res.villages["has_home"], "village_code"])
    assert set(res.chosen["village_code"]) == without
