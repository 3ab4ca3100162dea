"""Sparse many-to-many walking distances (``distance_pairs``) against the dense matrix.

``distance_matrix`` inserts every snapped point into the graph; ``distance_pairs`` inserts none
and runs Dijkstra from blocks of source stubs. Both must give the same distances (to 1e-6 m) on
hand-built cases, the tiny township and random grids, and the pairs must be exactly the finite
entries within the limit.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from geo.errors import NetworkError
from geo.network import (
    DistancePairs,
    RoadNetwork,
    SnapResult,
    build_network,
    distance_matrix,
    distance_pairs,
    distances_from,
    snap_points,
)
from geo.validate import validate_layers
from tests.geo.test_network import _random_grid, _sub, ln, points, pt, roads
from tests.tiny_area import tiny_frames


def assert_equals_dense(
    net: RoadNetwork,
    src: SnapResult,
    tgt: SnapResult,
    *,
    limit_m: float | None,
    chunk: int | None = None,
) -> DistancePairs:
    """The pairs are the finite entries of the dense matrix, each once, sorted, same values."""
    pairs = distance_pairs(net, src, tgt, limit_m=limit_m, chunk=chunk)
    dense = distance_matrix(net, src, tgt, limit_m=limit_m)
    assert pairs.shape == dense.shape == (len(src), len(tgt))
    rows, cols = np.nonzero(np.isfinite(dense))  # row-major: sorted by source, then target
    np.testing.assert_array_equal(pairs.source, rows)
    np.testing.assert_array_equal(pairs.target, cols)
    np.testing.assert_allclose(pairs.distance_m, dense[rows, cols], rtol=0, atol=1e-6)
    if limit_m is not None:
        assert (pairs.distance_m <= limit_m).all()
    np.testing.assert_allclose(pairs.to_dense(), dense, rtol=0, atol=1e-6)
    return pairs


@pytest.fixture
def path3() -> RoadNetwork:
    """Three roads of 100 m in a row along y = 0: nodes at x = 0, 100, 200 and 300."""
    return build_network(
        roads(ln((0, 0), (100, 0)), ln((100, 0), (200, 0)), ln((200, 0), (300, 0)))
    )


# --- by hand -------------------------------------------------------------------------------


def test_source_and_target_on_the_same_edge(path3: RoadNetwork) -> None:
    """C at (110, 60) snaps on the middle edge: h0 at (130, 2) is 60 + 20 + 2 = 82 along it; h1
    at (180, -3) is 60 + 70 + 3 = 133 along it too (no shorter way through an end)."""
    src = snap_points(path3, points(pt(0, -4), pt(110, 60)), limit_m=100)
    tgt = snap_points(path3, points(pt(130, 2), pt(180, -3)), limit_m=50)
    assert src.table["edge"].iloc[1] == tgt.table["edge"].iloc[0] == tgt.table["edge"].iloc[1]
    pairs = assert_equals_dense(path3, src, tgt, limit_m=None)
    np.testing.assert_allclose(pairs.to_dense(), [[136.0, 187.0], [82.0, 133.0]], atol=1e-9)


def test_zero_distance_pair_is_stored(path3: RoadNetwork) -> None:
    # a source and a target on the road at the same place: 0 m, listed like any pair
    src = snap_points(path3, points(pt(150, 0), pt(100, 0)), limit_m=10)
    tgt = snap_points(path3, points(pt(150, 0), pt(250, 0)), limit_m=10)
    pairs = assert_equals_dense(path3, src, tgt, limit_m=0.0)
    assert list(zip(pairs.source, pairs.target, strict=True)) == [(0, 0)]
    assert pairs.distance_m[0] == 0.0
    csr = pairs.to_csr()
    assert csr.nnz == 1 and csr[0, 0] == 0.0  # an explicit zero, kept
    assert pairs.within(0.0).toarray().tolist() == [[True, False], [False, False]]
    np.testing.assert_array_equal(pairs.nearest(), [0.0, np.inf])


def test_limit_is_inclusive_and_prunes(path3: RoadNetwork) -> None:
    # from (0, 0): targets at 50, 150 and 250 m along the road
    src = snap_points(path3, points(pt(0, 0)), limit_m=10)
    tgt = snap_points(path3, points(pt(50, 0), pt(150, 0), pt(250, 0)), limit_m=10)
    for limit, expect in ((150.0, [0, 1]), (149.999, [0]), (1000.0, [0, 1, 2]), (10.0, [])):
        pairs = assert_equals_dense(path3, src, tgt, limit_m=limit)
        assert pairs.target.tolist() == expect
        assert pairs.limit_m == limit


def test_unsnapped_points_have_no_pair(path3: RoadNetwork) -> None:
    src = snap_points(path3, points(pt(500, 500), pt(10, 5)), limit_m=50)
    tgt = snap_points(path3, points(pt(20, 3), pt(-400, 0), pt(290, 1)), limit_m=50)
    assert not src.snapped[0] and not tgt.snapped[1]
    pairs = assert_equals_dense(path3, src, tgt, limit_m=None)
    assert pairs.shape == (2, 3)
    assert pairs.source.tolist() == [1, 1] and pairs.target.tolist() == [0, 2]


def test_self_loop_and_parallel_edges() -> None:
    # a ring (a self-loop of 400 m at (0, 0)) with a stem south, and two roads of 100 m and
    # about 117 m between (0, -50) and (100, -50)
    net = build_network(
        roads(
            ln((0, 0), (100, 0), (100, 100), (0, 100), (0, 0)),
            ln((0, 0), (0, -50)),
            ln((0, -50), (100, -50)),
            ln((0, -50), (50, -80), (100, -50)),
        )
    )
    assert (net.edges["u"] == net.edges["v"]).any() and not net.routable.all()
    src = snap_points(net, points(pt(-3, 50), pt(50, -83), pt(60, 97)), limit_m=20)
    tgt = snap_points(
        net, points(pt(50, 103), pt(2, -30), pt(20, -48), pt(80, -71), pt(100, 50)), limit_m=20
    )
    assert src.snapped.all() and tgt.snapped.all()
    pairs = assert_equals_dense(net, src, tgt, limit_m=None)
    # on the loop, directly along it: 3 + 50 + 50 + 3 from the first source to the first target
    assert pairs.to_dense()[0, 0] == pytest.approx(106.0)
    for limit in (60.0, 150.0, 300.0):
        assert_equals_dense(net, src, tgt, limit_m=limit, chunk=1)


def test_tiny_township_sites_to_households() -> None:
    layers, _ = validate_layers(tiny_frames())
    metric = layers.to_metric()
    net = build_network(metric.roads)
    sites = [
        *metric.facilities.geometry,
        *metric.schools.geometry,
        *metric.equipment.geometry,
        *metric.households.geometry,  # a site where a household is: its own connector twice
    ]
    src = snap_points(net, gpd.GeoSeries(sites, crs=metric.households.crs), limit_m=300)
    tgt = snap_points(net, metric.households.geometry, limit_m=300)
    assert tgt.snapped.all()
    assert src.snapped.tolist() == [True, True, False, True, True, True]  # E1: by the river
    for limit in (None, 1000.0, 500.0):
        assert_equals_dense(net, src, tgt, limit_m=limit)


# --- random grids --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_grid_equals_dense_matrix(seed: int) -> None:
    """Many points per edge, sources and targets mixed on the same edges, points beyond the
    snap limit, several components (cut lines) and bridges without junction."""
    rng = np.random.default_rng(seed)
    net = build_network(_random_grid(rng, n=6))
    xy = rng.uniform(-150, 650, size=(500, 2))
    snap = snap_points(net, points(*(pt(x, y) for x, y in xy)), limit_m=40)
    src = _sub(snap, list(range(60)))
    tgt = _sub(snap, list(range(60, 500)))
    assert not src.snapped.all() and not tgt.snapped.all()
    assert np.isin(src.table["edge"][src.snapped], tgt.table["edge"]).sum() >= 5
    for limit, chunk in ((None, None), (400.0, 7), (150.0, 1), (0.0, None)):
        pairs = assert_equals_dense(net, src, tgt, limit_m=limit, chunk=chunk)
        # the nearest source per target is distances_from's answer
        near = distances_from(net, src, tgt, limit_m=limit).distance_m
        np.testing.assert_allclose(pairs.nearest(), near, rtol=0, atol=1e-9)
        some = rng.random(len(src)) < 0.3
        np.testing.assert_allclose(
            pairs.nearest(some), pairs.to_dense()[some].min(axis=0, initial=np.inf), atol=0
        )
        cov = pairs.within(100.0)
        np.testing.assert_array_equal(cov.toarray(), pairs.to_dense() <= 100.0)


def test_chunks_do_not_change_the_answer() -> None:
    rng = np.random.default_rng(7)
    net = build_network(_random_grid(rng, n=5))
    xy = rng.uniform(0, 400, size=(300, 2))
    snap = snap_points(net, points(*(pt(x, y) for x, y in xy)), limit_m=60)
    src, tgt = _sub(snap, list(range(45))), _sub(snap, list(range(45, 300)))
    whole = distance_pairs(net, src, tgt, limit_m=250.0, chunk=1000)
    for chunk in (1, 2, 16):
        part = distance_pairs(net, src, tgt, limit_m=250.0, chunk=chunk)
        np.testing.assert_array_equal(part.source, whole.source)
        np.testing.assert_array_equal(part.target, whole.target)
        np.testing.assert_array_equal(part.distance_m, whole.distance_m)


# --- limits and errors ---------------------------------------------------------------------


def test_max_pairs_stops_early(path3: RoadNetwork) -> None:
    src = snap_points(path3, points(pt(0, 1), pt(300, 1), pt(150, 1)), limit_m=10)
    tgt = snap_points(path3, points(*(pt(x, 2) for x in range(0, 300, 10))), limit_m=10)
    assert len(distance_pairs(path3, src, tgt, limit_m=None, max_pairs=90)) == 90
    with pytest.raises(NetworkError, match=r"more than 40 .* pairs lie within 500 m"):
        distance_pairs(path3, src, tgt, limit_m=500.0, chunk=1, max_pairs=40)


def test_bad_arguments_and_other_network(path3: RoadNetwork) -> None:
    snap = snap_points(path3, points(pt(5, 1)), limit_m=10)
    with pytest.raises(ValueError, match="limit_m must be >= 0"):
        distance_pairs(path3, snap, snap, limit_m=-1.0)
    with pytest.raises(ValueError, match="chunk must be >= 1"):
        distance_pairs(path3, snap, snap, limit_m=None, chunk=0)
    other = build_network(roads(ln((0, 0), (10, 0))))
    with pytest.raises(NetworkError, match="another road network"):
        distance_pairs(path3, snap_points(other, points(pt(5, 1)), limit_m=10), snap, limit_m=1.0)


def test_no_snapped_source_or_target(path3: RoadNetwork) -> None:
    far = snap_points(path3, points(pt(900, 900)), limit_m=10)
    near = snap_points(path3, points(pt(50, 1)), limit_m=10)
    for src, tgt in ((far, near), (near, far), (near, _sub(near, []))):
        pairs = distance_pairs(path3, src, tgt, limit_m=None)
        assert len(pairs) == 0 and pairs.shape == (len(src), len(tgt))
        assert np.isinf(pairs.nearest()).all() and pairs.to_csr().nnz == 0
