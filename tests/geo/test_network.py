"""Tests of the routable road network: noding, snapping and walking distances."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from geo.errors import CRSError, NetworkError
from geo.network import (
    NearestSource,
    RoadNetwork,
    SnapResult,
    build_network,
    distance_matrix,
    distances_from,
    snap_points,
)

CRS = "EPSG:32649"
X0, Y0 = 500_000.0, 3_300_000.0


def pt(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def ln(*xy: tuple[float, float]) -> LineString:
    return LineString([(X0 + x, Y0 + y) for x, y in xy])


def roads(*lines: LineString | MultiLineString, kind: str = "village_road") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"r{i}" for i in range(len(lines))], "kind": [kind] * len(lines)},
        geometry=list(lines),
        crs=CRS,
    )


def points(*pts: Point) -> gpd.GeoSeries:
    return gpd.GeoSeries(list(pts), crs=CRS)


@pytest.fixture
def square() -> RoadNetwork:
    """Four roads of 100 m around a square, corners (0, 0) and (100, 100)."""
    return build_network(
        roads(
            ln((0, 0), (100, 0)),
            ln((100, 0), (100, 100)),
            ln((100, 100), (0, 100)),
            ln((0, 100), (0, 0)),
        )
    )


# --- building ----------------------------------------------------------------------------


def test_square_topology(square: RoadNetwork) -> None:
    assert square.n_nodes == 4
    assert square.n_edges == 4
    assert square.n_components == 1
    assert square.node_xy.shape == (4, 2)
    np.testing.assert_allclose(square.edges["length"], 100.0)
    assert (square.csr != square.csr.T).nnz == 0
    assert square.csr.nnz == 8
    assert square.graph.number_of_edges() == 8  # both directions
    assert set(square.edges["road_id"]) == {"r0", "r1", "r2", "r3"}


def test_edge_geometry_oriented_from_u_to_v(square: RoadNetwork) -> None:
    for u, v, data in square.graph.edges(data=True):
        coords = np.asarray(data["geometry"].coords)
        np.testing.assert_allclose(coords[0], square.node_xy[u])
        np.testing.assert_allclose(coords[-1], square.node_xy[v])


def test_osmnx_graph_to_gdfs_round_trip(square: RoadNetwork) -> None:
    ox = pytest.importorskip("osmnx")
    nodes, edges = ox.convert.graph_to_gdfs(square.graph)
    assert len(nodes) == 4
    assert len(edges) == 8
    assert nodes.crs == square.crs
    assert {"length", "osmid", "kind", "geometry"} <= set(edges.columns)
    np.testing.assert_allclose(edges["length"], edges.geometry.length)
    back = ox.convert.graph_from_gdfs(nodes, edges)
    assert back.number_of_edges() == 8


def test_interior_shared_vertex_is_a_junction() -> None:
    # a T: the stem ends on an interior vertex of the long road
    net = build_network(roads(ln((0, 0), (50, 0), (100, 0)), ln((50, 0), (50, 80))))
    assert net.n_nodes == 4
    assert net.n_edges == 3
    assert net.n_components == 1
    # a cross: both roads pass through a shared interior vertex
    net = build_network(roads(ln((0, 0), (50, 0), (100, 0)), ln((50, -50), (50, 0), (50, 50))))
    assert net.n_nodes == 5
    assert net.n_edges == 4
    assert net.n_components == 1


def test_crossing_without_shared_vertex_does_not_connect() -> None:
    # a bridge over a road: the lines cross at (50, 0) but share no vertex
    net = build_network(roads(ln((0, 0), (100, 0)), ln((50, -50), (50, 50))))
    assert net.n_components == 2
    snap = snap_points(net, points(pt(10, 1), pt(50, 40)), limit_m=10)
    d = distances_from(net, _sub(snap, [0]), _sub(snap, [1]))
    assert np.isinf(d.distance_m[0])
    assert d.reason[0] == "unreachable"
    assert d.nearest_source[0] == -1


def _sub(snap: SnapResult, rows: list[int]) -> SnapResult:
    """A SnapResult restricted to some rows."""
    return replace(snap, table=snap.table.iloc[rows])


def test_endpoints_within_tolerance_merge() -> None:
    lines = (ln((0, 0), (100, 0)), ln((100.3, 0), (200, 0)))
    net = build_network(roads(*lines), tolerance_m=0.5)
    assert net.n_components == 1
    assert net.n_nodes == 3
    apart = build_network(roads(*lines), tolerance_m=0.1)
    assert apart.n_components == 2


def test_multilinestring_is_split_into_parts() -> None:
    net = build_network(
        roads(MultiLineString([[(X0, Y0), (X0 + 100, Y0)], [(X0 + 100, Y0), (X0 + 100, Y0 + 50)]]))
    )
    assert net.n_edges == 2
    assert net.n_components == 1
    assert list(net.edges["road_id"]) == ["r0", "r0"]


def test_parallel_edges_keep_the_shortest_in_csr() -> None:
    net = build_network(roads(ln((0, 0), (100, 0)), ln((0, 0), (50, 30), (100, 0))))
    assert net.n_edges == 2
    assert net.csr.nnz == 2
    assert net.csr[0, 1] == pytest.approx(100.0)


def test_lonlat_layer_is_refused() -> None:
    gdf = gpd.GeoDataFrame(
        {"id": ["a"]}, geometry=[LineString([(112, 30), (112.01, 30)])], crs=4326
    )
    with pytest.raises(CRSError):
        build_network(gdf)


def test_empty_roads_raise_network_error() -> None:
    gdf = gpd.GeoDataFrame({"id": []}, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    with pytest.raises(NetworkError):
        build_network(gdf)


def test_polygon_roads_raise_network_error() -> None:
    gdf = gpd.GeoDataFrame(
        {"id": ["a"]}, geometry=[Polygon([(X0, Y0), (X0 + 1, Y0), (X0, Y0 + 1)])], crs=CRS
    )
    with pytest.raises(NetworkError):
        build_network(gdf)


# --- snapping ----------------------------------------------------------------------------


def test_snap_to_nearest_edge_not_node(square: RoadNetwork) -> None:
    snap = snap_points(square, points(pt(50, -10)), limit_m=50)
    row = snap.table.iloc[0]
    assert row["snapped"]
    assert row["reason"] == "ok"
    assert row["connector_m"] == pytest.approx(10.0)
    assert row["offset_m"] == pytest.approx(50.0)
    assert (row["snap_x"], row["snap_y"]) == pytest.approx((X0 + 50, Y0))
    assert snap.connectors().iloc[0].length == pytest.approx(10.0)


def test_too_far_point_is_reported_not_snapped(square: RoadNetwork) -> None:
    snap = snap_points(square, points(pt(50, 10), pt(50, -400)), limit_m=300)
    t = snap.table
    assert list(t["reason"]) == ["ok", "too_far"]
    assert bool(t["too_far"].iloc[1])
    assert not bool(t["snapped"].iloc[1])
    assert t["edge"].iloc[1] == -1
    assert t["connector_m"].iloc[1] == pytest.approx(400.0)
    d = distances_from(square, _sub(snap, [0]), snap)
    assert np.isfinite(d.distance_m[0])
    assert np.isinf(d.distance_m[1])
    assert d.reason[1] == "too_far"
    assert len(snap.unsnapped) == 1


def test_snap_result_index_aligned_to_input(square: RoadNetwork) -> None:
    pts = gpd.GeoSeries([pt(50, -10), None, pt(-5, 50)], index=["h7", "h8", "h9"], crs=CRS)
    snap = snap_points(square, pts, limit_m=50)
    assert list(snap.table.index) == ["h7", "h8", "h9"]
    assert list(snap.table["reason"]) == ["ok", "empty", "ok"]


def test_points_are_reprojected_to_the_network_crs(square: RoadNetwork) -> None:
    pts = points(pt(50, -10)).to_crs(4326)
    snap = snap_points(square, pts, limit_m=50)
    assert snap.table["connector_m"].iloc[0] == pytest.approx(10.0, abs=1e-3)


@pytest.fixture
def two_banks() -> RoadNetwork:
    """A road on each bank of a river running along y = 50: south road y = 0, north y = 60."""
    return build_network(roads(ln((0, 0), (200, 0)), ln((0, 60), (200, 60))))


RIVER = gpd.GeoSeries([ln((-50, 50), (250, 50))], crs=CRS)


def test_barrier_snaps_to_own_bank(two_banks: RoadNetwork) -> None:
    # the house is at y = 40: 20 m from the north road (across the river), 40 m from its own
    snap = snap_points(two_banks, points(pt(100, 40)), limit_m=100, barriers=RIVER)
    row = snap.table.iloc[0]
    assert row["reason"] == "ok"
    assert row["connector_m"] == pytest.approx(40.0)
    assert row["snap_y"] == pytest.approx(Y0)
    # without the barrier it goes to the nearer road across the river
    plain = snap_points(two_banks, points(pt(100, 40)), limit_m=100)
    assert plain.table["connector_m"].iloc[0] == pytest.approx(20.0)


def test_only_road_across_barrier_is_reported(two_banks: RoadNetwork) -> None:
    snap = snap_points(two_banks, points(pt(100, 40)), limit_m=30, barriers=RIVER)
    row = snap.table.iloc[0]
    assert not row["snapped"]
    assert row["reason"] == "across_barrier"
    assert row["crosses_barrier"]
    assert row["edge"] == -1


def test_polygon_barrier(two_banks: RoadNetwork) -> None:
    pond = gpd.GeoSeries([Polygon([(X0 + 80, Y0 + 45), (X0 + 120, Y0 + 45), (X0 + 120, Y0 + 55),
                                   (X0 + 80, Y0 + 55)])], crs=CRS)  # fmt: skip
    snap = snap_points(two_banks, points(pt(100, 40)), limit_m=100, barriers=pond)
    assert snap.table["snap_y"].iloc[0] == pytest.approx(Y0)


def test_connector_touching_barrier_at_road_is_not_a_crossing(square: RoadNetwork) -> None:
    ditch_along_road = gpd.GeoSeries([ln((0, 0), (100, 0))], crs=CRS)
    snap = snap_points(square, points(pt(50, 10)), limit_m=50, barriers=ditch_along_road)
    assert snap.table["reason"].iloc[0] == "ok"
    assert snap.table["connector_m"].iloc[0] == pytest.approx(10.0)


# --- distances ---------------------------------------------------------------------------


def test_opposite_sides_of_square(square: RoadNetwork) -> None:
    src = snap_points(square, points(pt(50, -10)), limit_m=50)
    tgt = snap_points(square, points(pt(50, 105), pt(30, 110)), limit_m=50)
    d = distances_from(square, src, tgt)
    # 10 + 50 + 100 + 50 + 5; 10 + 50 + 100 + 70 + 10 (or via the other side: 10 + 50 + 100 + 30 +10)
    np.testing.assert_allclose(d.distance_m, [215.0, 200.0])
    assert list(d.nearest_source) == [0, 0]
    assert list(d.reason) == ["ok", "ok"]


def test_two_points_on_the_same_edge(square: RoadNetwork) -> None:
    src = snap_points(square, points(pt(20, 5)), limit_m=50)
    tgt = snap_points(square, points(pt(80, -3)), limit_m=50)
    distance, nearest = distances_from(square, src, tgt)
    assert distance[0] == pytest.approx(5 + 60 + 3)
    assert nearest[0] == 0


def test_points_exactly_at_nodes(square: RoadNetwork) -> None:
    src = snap_points(square, points(pt(0, 0)), limit_m=50)
    tgt = snap_points(square, points(pt(100, 100), pt(100, 0), pt(0, 0)), limit_m=50)
    assert src.table["connector_m"].iloc[0] == 0.0
    d = distances_from(square, src, tgt)
    np.testing.assert_allclose(d.distance_m, [200.0, 100.0, 0.0])


def test_ring_road_self_loop() -> None:
    # a closed ring (one node at its start, a self-loop edge of 400 m) with a stem going south
    net = build_network(
        roads(ln((0, 0), (100, 0), (100, 100), (0, 100), (0, 0)), ln((0, 0), (0, -50)))
    )
    assert net.n_nodes == 2
    assert net.n_edges == 2
    assert not net.routable[net.edges["u"] == net.edges["v"]].any()
    src = snap_points(net, points(pt(-3, 50)), limit_m=20)  # on the ring, 50 m from the node
    assert src.table["offset_m"].iloc[0] == pytest.approx(350.0)
    stem = snap_points(net, points(pt(2, -30)), limit_m=20)
    # a single point on the loop: the shorter way round
    np.testing.assert_allclose(distances_from(net, src, stem).distance_m, [3 + 50 + 30 + 2])
    # two points on the loop: directly along it
    both = snap_points(net, points(pt(50, 103), pt(2, -30)), limit_m=20)
    np.testing.assert_allclose(distances_from(net, src, both).distance_m, [106.0, 85.0])
    np.testing.assert_allclose(distance_matrix(net, src, both), [[106.0, 85.0]])


def test_point_on_the_longer_of_parallel_edges() -> None:
    # two roads between the same junctions: 100 m straight and about 117 m bent
    net = build_network(roads(ln((0, 0), (100, 0)), ln((0, 0), (50, 30), (100, 0))))
    src = snap_points(net, points(pt(50, 33)), limit_m=10)  # on the bent road, at its middle
    assert src.table["edge"].iloc[0] == 1
    tgt = snap_points(net, points(pt(100, -1), pt(50, -2)), limit_m=10)
    half = float(np.hypot(50, 30))
    np.testing.assert_allclose(
        distances_from(net, src, tgt).distance_m, [3 + half + 1, 3 + half + 50 + 2]
    )


def test_nearest_of_several_sources_counts_connectors(square: RoadNetwork) -> None:
    # both sources snap to the same place; the one with the shorter connector wins
    src = snap_points(square, points(pt(50, -30), pt(50, -5), pt(50, 140)), limit_m=50)
    tgt = snap_points(square, points(pt(60, 2)), limit_m=50)
    d = distances_from(square, src, tgt)
    assert d.distance_m[0] == pytest.approx(5 + 10 + 2)
    assert d.nearest_source[0] == 1


def test_limit(square: RoadNetwork) -> None:
    src = snap_points(square, points(pt(50, -10)), limit_m=50)
    tgt = snap_points(square, points(pt(60, 0), pt(50, 105)), limit_m=50)
    d = distances_from(square, src, tgt, limit_m=100)
    assert d.distance_m[0] == pytest.approx(20.0)
    assert np.isinf(d.distance_m[1])
    assert d.reason[1] == "unreachable"
    m = distance_matrix(square, src, tgt, limit_m=100)
    np.testing.assert_allclose(m, [[20.0, np.inf]])


def test_distance_matrix_hand_values(square: RoadNetwork) -> None:
    src = snap_points(square, points(pt(50, -10), pt(-10, 50), pt(500, 500)), limit_m=50)
    tgt = snap_points(square, points(pt(100, 50), pt(50, 100)), limit_m=50)
    m = distance_matrix(square, src, tgt)
    assert m.shape == (3, 2)
    np.testing.assert_allclose(m[:2], [[110.0, 210.0], [210.0, 110.0]])
    assert np.isinf(m[2]).all()  # unsnapped source


def test_no_snapped_source(square: RoadNetwork) -> None:
    src = snap_points(square, points(pt(500, 500)), limit_m=50)
    tgt = snap_points(square, points(pt(50, 10)), limit_m=50)
    d = distances_from(square, src, tgt)
    assert np.isinf(d.distance_m[0])
    assert isinstance(d, NearestSource)
    assert d.to_frame()["reason"].iloc[0] == "unreachable"


def test_snap_result_from_another_network_is_refused(square: RoadNetwork) -> None:
    other = build_network(roads(ln((0, 0), (10, 0))))
    snap = snap_points(other, points(pt(5, 1)), limit_m=50)
    with pytest.raises(NetworkError):
        distances_from(square, snap, snap)


# --- invariants on a random grid -----------------------------------------------------------


def _random_grid(rng: np.random.Generator, n: int = 8, spacing: float = 100.0) -> gpd.GeoDataFrame:
    """A jittered grid; each row and column is one long line (interior shared vertices are the
    junctions), with some cells left out and a few crossing 'bridges' without shared vertex."""
    jitter = rng.uniform(-15, 15, size=(n, n, 2))
    xy = np.stack(np.meshgrid(np.arange(n), np.arange(n), indexing="ij"), axis=-1) * spacing
    xy = xy + jitter + np.array([X0, Y0])
    lines: list[LineString] = []
    for i in range(n):
        for coords in (xy[i, :, :], xy[:, i, :]):
            # cut the line at a random place, leaving a gap (so components may be several)
            cut = int(rng.integers(1, n))
            lines.append(LineString(coords[:cut]) if cut > 1 else LineString(coords[:2]))
            if cut < n - 1:
                lines.append(LineString(coords[cut:]))
    # bridges: diagonal lines crossing the grid with their own vertices only
    for _ in range(3):
        a, b = rng.uniform(0, (n - 1) * spacing, size=(2, 2)) + np.array([X0, Y0])
        lines.append(LineString([a, b]))
    return gpd.GeoDataFrame({"id": [str(i) for i in range(len(lines))]}, geometry=lines, crs=CRS)


def _brute_force(net: RoadNetwork, src: gpd.GeoDataFrame, tgt: gpd.GeoDataFrame) -> np.ndarray:
    """Point-to-point distances with networkx on the unmodified graph: via the edge ends, or
    directly along the edge when both points are on the same one."""
    eu = net.edges["u"].to_numpy()
    ev = net.edges["v"].to_numpy()
    length = net.edges["length"].to_numpy()
    out = np.full((len(src), len(tgt)), np.inf)
    for i, s in enumerate(src.itertuples()):
        if not s.snapped:
            continue
        ends_s = {eu[s.edge]: s.offset_m, ev[s.edge]: length[s.edge] - s.offset_m}
        if eu[s.edge] == ev[s.edge]:
            ends_s = {eu[s.edge]: min(s.offset_m, length[s.edge] - s.offset_m)}
        start: dict[int, float] = {}
        for node, off in ends_s.items():
            for k, d in nx.single_source_dijkstra_path_length(
                net.graph, node, weight="length"
            ).items():
                start[k] = min(start.get(k, np.inf), off + d)
        for j, t in enumerate(tgt.itertuples()):
            if not t.snapped:
                continue
            best = np.inf
            for node, off in ((eu[t.edge], t.offset_m), (ev[t.edge], length[t.edge] - t.offset_m)):
                best = min(best, start.get(node, np.inf) + off)
            if t.edge == s.edge:
                best = min(best, abs(t.offset_m - s.offset_m))
            out[i, j] = s.connector_m + best + t.connector_m
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_multi_source_equals_min_of_single_source_runs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    net = build_network(_random_grid(rng))
    lo, hi = X0 - 150, X0 + 850
    xy = rng.uniform(lo - X0, hi - X0, size=(200, 2))
    pts = points(*(pt(x, y) for x, y in xy))
    snap = snap_points(net, pts, limit_m=40)
    assert 0 < snap.snapped.sum() < 200  # some points are beyond the limit
    src = _sub(snap, list(range(20)))
    tgt = _sub(snap, list(range(20, 200)))

    multi = distances_from(net, src, tgt)
    matrix = distance_matrix(net, src, tgt)
    np.testing.assert_allclose(multi.distance_m, matrix.min(axis=0), rtol=1e-12, atol=1e-6)
    brute = _brute_force(net, src.table, tgt.table)
    np.testing.assert_allclose(matrix, brute, rtol=1e-12, atol=1e-6)
    # the reported nearest source attains the minimum
    ok = np.isfinite(multi.distance_m)
    assert ok.any()
    cols = np.flatnonzero(ok)
    np.testing.assert_allclose(
        matrix[multi.nearest_source[cols], cols], multi.distance_m[cols], atol=1e-6
    )
    assert (multi.nearest_source[~ok] == -1).all()
    # a limit only removes distances beyond it
    limited = distances_from(net, src, tgt, limit_m=300)
    expect = np.where(multi.distance_m <= 300, multi.distance_m, np.inf)
    np.testing.assert_allclose(limited.distance_m, expect, atol=1e-6)


# --- fast snapping equals the brute-force nearest edge --------------------------------------


def _random_network(rng: np.random.Generator) -> RoadNetwork:
    """Random polylines of 2-8 vertices over 3 km, some long, some short and bent, noded."""
    lines = []
    for _ in range(400):
        n = int(rng.integers(2, 9))
        start = rng.uniform(0, 3000, size=2)
        steps = rng.normal(0, rng.choice([5.0, 40.0, 300.0]), size=(n - 1, 2))
        xy = np.vstack([start, start + np.cumsum(steps, axis=0)])
        lines.append(ln(*map(tuple, xy)))
    return build_network(roads(*lines))


@pytest.mark.parametrize("tiers", [None, (2,)])
def test_fast_snap_equals_brute_force_nearest_edge(
    tiers: tuple[int, ...] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if tiers is not None:  # few samples per point: most points take the STRtree fallback
        monkeypatch.setattr("geo.network.edge_index._SNAP_K", tiers)
    rng = np.random.default_rng(20260701)
    net = _random_network(rng)
    edges = net.edges.geometry.to_numpy()
    xy = rng.uniform(-500, 3500, size=(5000, 2))
    xy[:100] = rng.uniform(-20_000, 20_000, size=(100, 2))  # far from every road
    coords = shapely.get_coordinates(edges)
    xy[100:150] = coords[rng.integers(0, len(coords), 50)] - [X0, Y0]  # on vertices: ties
    pts = points(*(pt(x, y) for x, y in xy))
    snap = snap_points(net, pts, limit_m=400)
    t = snap.table
    (_, ei), dist = net.tree.query_nearest(pts.to_numpy(), return_distance=True, all_matches=False)
    np.testing.assert_allclose(t["connector_m"], dist, rtol=0, atol=1e-9)
    near = dist <= 400
    assert (t["snapped"].to_numpy() == near).all()
    assert (t["too_far"].to_numpy() == ~near).all()
    same = near & (t["edge"].to_numpy() == ei)
    assert same.sum() > 0.95 * near.sum()  # other rows are ties at equal distance
    off = shapely.line_locate_point(edges[ei[same]], pts.to_numpy()[same])
    np.testing.assert_allclose(t["offset_m"].to_numpy()[same], off, rtol=0, atol=1e-9)
    at = shapely.get_coordinates(shapely.line_interpolate_point(edges[ei[same]], off))
    np.testing.assert_allclose(t.loc[same, ["snap_x", "snap_y"]], at, rtol=0, atol=1e-9)
    # a point snapped to another edge than the brute force is exactly as far from it
    other = near & ~same
    d_other = shapely.distance(pts.to_numpy()[other], edges[t["edge"].to_numpy()[other]])
    np.testing.assert_allclose(d_other, dist[other], rtol=0, atol=1e-9)
    np.testing.assert_allclose(t.loc[near, "u"], net.edges["u"].to_numpy()[t["edge"][near]])


# --- nearest source without inserting the targets --------------------------------------------


@pytest.fixture
def path3() -> RoadNetwork:
    """Three roads of 100 m in a row along y = 0: nodes at x = 0, 100, 200 and 300."""
    return build_network(
        roads(ln((0, 0), (100, 0)), ln((100, 0), (200, 0)), ln((200, 0), (300, 0)))
    )


def test_mid_edge_target_reached_through_either_end(path3: RoadNetwork) -> None:
    """By hand: the distance of a target in the middle of an edge is the better of its two ends.

    Sources: A at (0, -4) (connector 4, on the node x = 0) and B at (300, 6) (connector 6, on the
    node x = 300). Targets on the middle edge (100, 0)-(200, 0): h0 at (130, 2) is nearer A
    through the end x = 100 (4 + 130 + 2 = 136, against 6 + 170 + 2 = 178); h1 at (180, -3) is
    nearer B through the end x = 200 (6 + 120 + 3 = 129, against 4 + 180 + 3 = 187).
    """
    src = snap_points(path3, points(pt(0, -4), pt(300, 6)), limit_m=50)
    tgt = snap_points(path3, points(pt(130, 2), pt(180, -3)), limit_m=50)
    assert (tgt.table["edge"] == tgt.table["edge"].iloc[0]).all()  # both on the middle edge
    d = distances_from(path3, src, tgt)
    np.testing.assert_allclose(d.distance_m, [136.0, 129.0], rtol=0, atol=1e-9)
    assert list(d.nearest_source) == [0, 1]
    np.testing.assert_allclose(distance_matrix(path3, src, tgt), [[136, 187], [178, 129]])


def test_source_on_the_target_edge_along_it_or_through_an_end(path3: RoadNetwork) -> None:
    """A source C snapped on the targets' own edge, at (110, 0) with a connector of 60 m.

    h0 at (130, 2) takes C straight along the edge: 60 + 20 + 2 = 82 (A through x = 100: 136).
    h1 at (180, -3) takes B through x = 200: 6 + 120 + 3 = 129 (C along the edge: 60 + 70 + 3 =
    133), so a source on the same edge does not win by default.
    """
    src = snap_points(path3, points(pt(0, -4), pt(300, 6), pt(110, 60)), limit_m=100)
    tgt = snap_points(path3, points(pt(130, 2), pt(180, -3)), limit_m=50)
    assert src.table["edge"].iloc[2] == tgt.table["edge"].iloc[0]
    d = distances_from(path3, src, tgt)
    np.testing.assert_allclose(d.distance_m, [82.0, 129.0], rtol=0, atol=1e-9)
    assert list(d.nearest_source) == [2, 1]
    # the same with a limit between the two: the second is beyond it
    limited = distances_from(path3, src, tgt, limit_m=100)
    np.testing.assert_allclose(limited.distance_m, [82.0, np.inf])
    assert list(limited.reason) == ["ok", "unreachable"]
    assert list(limited.nearest_source) == [2, -1]


def test_target_at_an_edge_end_and_at_a_source(path3: RoadNetwork) -> None:
    # a target on a node takes that node's distance; a target where a source is snapped, 0 along
    src = snap_points(path3, points(pt(150, 5)), limit_m=50)
    tgt = snap_points(path3, points(pt(100, 0), pt(150, -1), pt(300, 0)), limit_m=50)
    d = distances_from(path3, src, tgt)
    np.testing.assert_allclose(d.distance_m, [55.0, 6.0, 155.0], rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", [3, 4])
def test_stub_graph_equals_inserting_every_point(seed: int) -> None:
    """Many points per edge, sources and targets mixed on the same edges: distances_from (no
    target inserted) equals the insertion of every point into the graph (distance_matrix)."""
    rng = np.random.default_rng(seed)
    net = build_network(_random_grid(rng, n=5))
    xy = rng.uniform(-20, 420, size=(600, 2))
    snap = snap_points(net, points(*(pt(x, y) for x, y in xy)), limit_m=60)
    src = _sub(snap, list(range(40)))
    tgt = _sub(snap, list(range(40, 600)))
    per_edge = np.bincount(tgt.table["edge"].to_numpy()[tgt.snapped])
    assert per_edge.max() >= 5
    assert np.isin(src.table["edge"], tgt.table["edge"]).sum() >= 10
    multi = distances_from(net, src, tgt)
    matrix = distance_matrix(net, src, tgt)
    np.testing.assert_allclose(multi.distance_m, matrix.min(axis=0), rtol=0, atol=1e-9)
    ok = np.isfinite(multi.distance_m)
    cols = np.flatnonzero(ok)
    np.testing.assert_allclose(
        matrix[multi.nearest_source[cols], cols], multi.distance_m[cols], rtol=0, atol=1e-9
    )
    assert (multi.nearest_source[~ok] == -1).all()
    unsnapped = ~tgt.snapped
    assert (multi.reason[unsnapped] == tgt.table["reason"].to_numpy()[unsnapped]).all()
    assert set(multi.reason[~unsnapped]) <= {"ok", "unreachable"}


# --- snapping: the proof of the KD-tree search, blocks and threads ---------------------------


@pytest.mark.parametrize("spacing", [2.0, 500.0])
def test_fast_snap_any_sample_spacing(spacing: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dense samples (most points settled at once) and one piece per segment (long pieces: the
    bound sqrt(d**2 + half**2) is loose, many points go to a larger k or the STRtree): both give
    GEOS' nearest edge."""
    monkeypatch.setattr("geo.network.edge_index._SNAP_SPACING", spacing)
    rng = np.random.default_rng(7)
    net = _random_network(rng)
    edges = net.edges.geometry.to_numpy()
    xy = rng.uniform(-300, 3300, size=(3000, 2))
    coords = shapely.get_coordinates(edges)
    xy[:60] = coords[rng.integers(0, len(coords), 60)] - [X0, Y0]  # on vertices: ties
    pts = points(*(pt(x, y) for x, y in xy)).to_numpy()
    t = snap_points(net, gpd.GeoSeries(pts, crs=CRS), limit_m=5000).table
    (_, ei), dist = net.tree.query_nearest(pts, return_distance=True, all_matches=False)
    np.testing.assert_array_equal(t["connector_m"], dist)
    same = t["edge"].to_numpy() == ei
    assert same.mean() > 0.95
    off = shapely.line_locate_point(edges[ei[same]], pts[same])
    np.testing.assert_array_equal(t["offset_m"].to_numpy()[same], off)
    d_other = shapely.distance(pts[~same], edges[t["edge"].to_numpy()[~same]])
    np.testing.assert_array_equal(d_other, dist[~same])


def test_snap_blocks_and_threads_do_not_change_the_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(11)
    net = _random_network(rng)
    xy = rng.uniform(-300, 3300, size=(2000, 2))
    pts = points(*(pt(x, y) for x, y in xy))
    whole = snap_points(net, pts, limit_m=100).table
    monkeypatch.setattr("geo.network.edge_index._SNAP_CHUNK", 97)
    for cores in (1, 2, 3):
        monkeypatch.setattr("geo.network.edge_index._cores", lambda cores=cores: cores)
        pd.testing.assert_frame_equal(snap_points(net, pts, limit_m=100).table, whole)


def test_snap_table_reason_is_text_like_pandas_infers(square: RoadNetwork) -> None:
    pts = gpd.GeoSeries([pt(50, -10), None, pt(50, -400)], crs=CRS)
    t = snap_points(square, pts, limit_m=50).table
    assert t["reason"].dtype == pd.Series(["ok"]).dtype
    assert list(t["reason"]) == ["ok", "empty", "too_far"]


# --- barriers: the raster prefilter and the retry a few candidates at a time -----------------


def _brute_force_snap(
    net: RoadNetwork, pts: np.ndarray, barriers: np.ndarray, limit: float
) -> list[tuple[str, int]]:
    """Per point: every edge within the limit, nearest first (then lowest), the first whose
    connector (cut by 1 mm at both ends) meets no barrier."""
    edges = net.edges.geometry.to_numpy()
    out = []
    for p in pts:
        d = shapely.distance(p, edges)
        cand = [int(e) for e in np.lexsort((np.arange(len(d)), d)) if d[e] <= limit]
        if not cand:
            out.append(("too_far", -1))
            continue
        for e in cand:
            q = shapely.line_interpolate_point(edges[e], shapely.line_locate_point(edges[e], p))
            a, b = np.array(p.coords[0]), np.array(q.coords[0])
            length = float(np.hypot(*(b - a)))
            if length > 2e-3:
                u = (b - a) / length
                conn = LineString([a + u * 1e-3, b - u * 1e-3])
                if shapely.intersects(conn, barriers).any():
                    continue
            out.append(("ok", e))
            break
        else:
            out.append(("across_barrier", -1))
    return out


def test_barriers_prefilter_and_retry_equal_brute_force() -> None:
    rng = np.random.default_rng(5)
    net = _random_network(rng)
    river = ln(*[(x, 1500 + 400 * np.sin(x / 300)) for x in np.linspace(-200, 3200, 200)])
    pond = Polygon(
        [(X0 + 1000, Y0 + 1000), (X0 + 1400, Y0 + 1000), (X0 + 1400, Y0 + 1300),
         (X0 + 1000, Y0 + 1300)],
        holes=[[(X0 + 1100, Y0 + 1100), (X0 + 1300, Y0 + 1100), (X0 + 1300, Y0 + 1200),
                (X0 + 1100, Y0 + 1200)]],
    )  # fmt: skip
    lakes = MultiLineString([[(X0 + 2000, Y0 + 500), (X0 + 2300, Y0 + 800)]]).buffer(20)
    barriers = np.array([river, pond, lakes], dtype=object)
    xy = rng.uniform(-100, 3100, size=(1500, 2))
    xy[:20] = rng.uniform(1120, 1280, size=(20, 2))  # in the pond's island (the hole)
    xy[20:40] = rng.uniform(1010, 1090, size=(20, 2))  # in the pond's water
    xy[40:200] = np.column_stack([xy[40:200, 0], 1500 + 400 * np.sin(xy[40:200, 0] / 300)])
    xy[40:200, 1] += rng.uniform(-30, 30, size=160)  # along the river
    pts = np.array([pt(x, y) for x, y in xy], dtype=object)
    snap = snap_points(
        net, gpd.GeoSeries(pts, crs=CRS), limit_m=60, barriers=gpd.GeoSeries(barriers, crs=CRS)
    )
    t = snap.table
    got = list(zip(t["reason"], t["edge"].astype(int), strict=True))
    expected = _brute_force_snap(net, pts, barriers, 60)
    assert {r for r, _ in expected} == {"ok", "too_far", "across_barrier"}
    reason_ok = [g[0] == e[0] for g, e in zip(got, expected, strict=True)]
    assert all(reason_ok)
    # the edge: the same, or one exactly as far (ties between edges at a shared vertex)
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        if g[1] != e[1]:
            d = shapely.distance(pts[i], net.edges.geometry.to_numpy()[[g[1], e[1]]])
            assert d[0] == d[1]
    # the prefilter only skips work: testing every connector exactly changes nothing
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            "geo.network.barriers.Barriers.near", lambda self, s, e: np.ones(len(s), dtype=bool)
        )
        every = snap_points(
            net, gpd.GeoSeries(pts, crs=CRS), limit_m=60, barriers=gpd.GeoSeries(barriers, crs=CRS)
        )
    pd.testing.assert_frame_equal(every.table, t)


def test_snap_no_point(square: RoadNetwork) -> None:
    t = snap_points(square, gpd.GeoSeries([], crs=CRS), limit_m=50).table
    assert len(t) == 0
    assert t["reason"].dtype == pd.Series(np.array([], dtype=object)).dtype
    d = distances_from(
        square, snap_points(square, points(pt(50, -10)), limit_m=50), _sub_empty(square)
    )
    assert len(d.distance_m) == 0


def _sub_empty(net: RoadNetwork) -> SnapResult:
    return snap_points(net, gpd.GeoSeries([], crs=CRS), limit_m=50)


def test_snapping_threads_follow_omp_num_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.network.edge_index import _cores

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    every = _cores()
    assert every >= 1
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # what Dask's nanny sets in each worker
    assert _cores() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "not a number")
    assert _cores() == every
