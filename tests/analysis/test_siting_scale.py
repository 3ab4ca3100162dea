"""Siting without a dense sites x households matrix: sparse pairs, the candidate cap, p-median.

The results must be those of the dense formulation (``geo.network.distance_matrix``) on the
sample township; the cap on generated candidates and the p-median size bound must say what they
did or what to change.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from shapely.geometry import Point

from analysis.locate import pmedian
from analysis.siting import SitingResult, site_facilities
from geo.errors import InputError
from geo.layers import Layers
from geo.network import RoadNetwork, build_network, distance_matrix, snap_points
from geo.settings import Settings, SitingSettings
from geo.validate import validate_layers
from tests.tiny_area import tiny_frames


@pytest.fixture(scope="module")
def sample() -> tuple[Layers, RoadNetwork]:
    from geo.load import read_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH))
    metric = layers.to_metric()
    return metric, build_network(metric.roads)


def dense_check(res: SitingResult, layers: Layers, net: RoadNetwork, limit: float) -> None:
    """Distances, coverage and households gained as the dense matrix gives them."""
    settings = Settings()
    sites = pd.concat([res.existing.geometry, res.candidates.geometry], ignore_index=True)
    n_fix = len(res.existing)
    dist = distance_matrix(
        net,
        snap_points(net, sites, limit_m=settings.snap_limit_m),
        snap_points(net, layers.households.geometry, limit_m=settings.snap_limit_m),
        limit_m=limit,
    )
    fixed = np.zeros(len(sites), dtype=bool)
    fixed[:n_fix] = True
    rows = n_fix + np.flatnonzero(res.candidates["site_id"].isin(res.chosen["site_id"]).to_numpy())
    open_after = fixed.copy()
    open_after[rows] = True
    before = dist[fixed].min(axis=0) if n_fix else np.full(dist.shape[1], np.inf)
    after = dist[open_after].min(axis=0)
    h = res.households
    np.testing.assert_allclose(h["distance_before"], before, rtol=0, atol=1e-6)
    np.testing.assert_allclose(h["distance_after"], after, rtol=0, atol=1e-6)
    assert (h["covered_after"] == (after <= res.standard_m)).all()
    served = fixed.copy()
    by_id = dict(zip(res.candidates["site_id"], range(len(res.candidates)), strict=True))
    for site_id, gained in zip(res.chosen["site_id"], res.chosen["households_gained"], strict=True):
        was = dist[served].min(axis=0) <= res.standard_m
        j = n_fix + by_id[site_id]
        served[j] = True
        assert gained == int(((dist[j] <= res.standard_m) & ~was).sum())


@pytest.mark.parametrize(
    ("model", "options"),
    [("mclp", {"k": 3}), ("lscp", {}), ("mclp", {"k": 2, "capacity": 30.0})],
)
def test_sample_equals_the_dense_matrix(
    sample: tuple[Layers, RoadNetwork], model: str, options: dict[str, float]
) -> None:
    layers, net = sample
    res = site_facilities(layers, settings=Settings(), model=model, network=net, **options)  # type: ignore[arg-type]
    dense_check(res, layers, net, res.standard_m)
    assert res.candidate_spacing_m == Settings().siting.candidate_spacing_m
    assert res.candidates_thinned_from is None


def test_sample_pmedian_equals_the_dense_matrix(sample: tuple[Layers, RoadNetwork]) -> None:
    layers, net = sample
    s = Settings()
    res = site_facilities(layers, settings=s, model="pmedian", k=2, network=net)
    dense_check(res, layers, net, s.siting.pmedian_limit_m)
    h = res.households
    d = np.minimum(h["distance_after"].to_numpy(), s.siting.pmedian_limit_m)
    assert res.objective == pytest.approx(float((h["weight"] * d).sum()), rel=1e-9)


# --- the cap on generated candidates ----------------------------------------------------------


def test_candidate_cap_doubles_the_spacing(sample: tuple[Layers, RoadNetwork]) -> None:
    layers, net = sample
    full = site_facilities(layers, settings=Settings(), k=2, network=net)
    n_full = len(full.candidates)
    assert n_full > 20
    capped = Settings(siting=SitingSettings(max_candidates=20))
    res = site_facilities(layers, settings=capped, k=2, network=net)
    assert len(res.candidates) <= 20
    assert res.candidates_thinned_from == n_full
    spacing = res.candidate_spacing_m
    assert spacing is not None and spacing in {600.0, 1200.0, 2400.0, 4800.0}
    # the same as asking for that spacing directly, and the coarser step before it gave > 20
    direct = Settings(siting=SitingSettings(candidate_spacing_m=spacing))
    same = site_facilities(layers, settings=direct, k=2, network=net)
    pd.testing.assert_frame_equal(same.candidates, res.candidates)
    assert same.candidates_thinned_from is None
    finer = Settings(siting=SitingSettings(candidate_spacing_m=spacing / 2))
    if spacing > 600.0:
        assert len(site_facilities(layers, settings=finer, k=2, network=net).candidates) > 20


def test_candidates_layer_is_never_thinned() -> None:
    layers, _ = validate_layers(tiny_frames())
    tiny = layers.to_metric()
    pts = gpd.GeoSeries([Point(112.951, 29.81), Point(112.959, 29.8105)], crs="EPSG:4326")
    cands = gpd.GeoDataFrame({"id": ["K1", "K2"]}, geometry=pts.to_crs(tiny.households.crs))
    s = Settings(siting=SitingSettings(max_candidates=1))
    res = site_facilities(tiny, settings=s, k=1, candidates=cands)
    assert res.candidates["site_id"].tolist() == ["K1", "K2"]
    assert res.candidate_spacing_m is None and res.candidates_thinned_from is None
    # generated ones are: the two road nodes of the west village share a 600 m cell
    gen = site_facilities(tiny, settings=s, k=1)
    assert len(gen.candidates) == 1 and gen.candidates_thinned_from == 2
    assert gen.candidate_spacing_m is not None and gen.candidate_spacing_m >= 600.0


# --- p-median: the size bound, and sparse input ---------------------------------------------


def test_pmedian_too_many_pairs_names_the_fix(sample: tuple[Layers, RoadNetwork]) -> None:
    layers, net = sample
    s = Settings(siting=SitingSettings(pmedian_max_pairs=1_000))
    with pytest.raises(InputError, match=r"more than 1,000 \(site, household\) pairs.*mclp"):
        site_facilities(layers, settings=s, model="pmedian", k=2, network=net)
    # the covering models are not bounded by it
    assert len(site_facilities(layers, settings=s, model="mclp", k=2, network=net).chosen) == 2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pmedian_sparse_equals_dense(seed: int) -> None:
    """Stored entries (explicit zeros included) are the finite distances: same model, same
    answer, with fixed sites, capacity, a penalty and a required group."""
    rng = np.random.default_rng(seed)
    n_cand, n_dem = 12, 60
    d = rng.uniform(0, 900, size=(n_cand, n_dem)).round()
    d[rng.random(d.shape) < 0.5] = np.inf
    d[rng.random(d.shape) < 0.03] = 0.0
    d[:, 0] = np.inf  # a demand point no site reaches
    w = rng.integers(0, 4, n_dem).astype(float)
    w[1] = 0.0
    rows, cols = np.nonzero(np.isfinite(d))
    sparse = sp.csr_matrix((d[rows, cols], (rows, cols)), shape=d.shape)
    assert (sparse.data == 0).any()  # explicit zeros stored
    for kw in (
        {},
        {"fixed": [0, 1]},
        {"fixed": [0], "capacity": 40.0, "unassigned_cost": 1000.0},
        {"unassigned_cost": 500.0, "groups": [np.array([5, 6])]},
    ):
        a = pmedian(d, w, 3, **kw)
        b = pmedian(sparse, w, 3, **kw)
        assert b.objective == a.objective and b.status == a.status
        np.testing.assert_array_equal(b.chosen, a.chosen)
        np.testing.assert_array_equal(b.gains, a.gains)
        np.testing.assert_array_equal(b.assignment, a.assignment)
        np.testing.assert_array_equal(b.uncoverable, a.uncoverable)
        assert b.n_vars == a.n_vars
