"""The attacks themselves: hand-checked geometry, no false positive on public layers, and a
positive control (buffered households are found), so a green suite means something."""

from __future__ import annotations

import numpy as np

from geo.layers import Layers
from tests.privacy.attack import (
    Truth,
    attack,
    circle_centres,
    lattice_distance,
    lattice_edge_distance,
    score,
)
from tests.privacy.conftest import Server
from tests.privacy.extract import Extent, geometries_of

PUBLIC_COLLECTIONS = ("areas", "waters", "roads", "facilities", "schools", "equipment", "hazards")


def test_three_points_of_a_circle_give_its_centre() -> None:
    ring = np.array([[11.0, 5.0], [10.0, 6.0], [9.0, 5.0], [10.0, 4.0]])
    assert np.allclose(circle_centres(ring), [[10.0, 5.0], [10.0, 5.0]])
    assert len(circle_centres(np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]]))) == 0  # a line


def test_hexagon_vertices_and_centres_lie_on_the_lattice() -> None:
    size = 500 / np.sqrt(3)  # circumradius of a 500 m (flat-to-flat) cell
    centre = np.array([[size * np.sqrt(3) * (3 + 2 / 2), size * 1.5 * 2]])  # q=3, r=2
    vertex = centre + np.array([[size * np.cos(np.pi / 6), size * np.sin(np.pi / 6)]])
    assert lattice_distance(centre, 500)[0] < 1e-6
    assert lattice_distance(vertex, 500)[0] < 1e-6
    assert lattice_distance(centre + np.array([[100.0, 0.0]]), 500)[0] > 50


def test_points_on_a_hexagons_edge_lie_on_the_lattice_edges() -> None:
    # a 500 m (flat-to-flat) hexagon at the origin: its flat sides are 250 m left and right
    xy = np.array([[250.0, 0.0], [250.0, 100.0], [0.0, 0.0], [100.0, 0.0]])
    assert np.allclose(lattice_edge_distance(xy, 500), [0.0, 0.0, 250.0, 150.0])


def test_public_layers_alone_recover_nobody(sample: Layers, truth: Truth) -> None:
    """The baseline on public layers: every layer but the households, and road buffers."""
    wgs = sample.to_crs(4326)
    shapes = [g for name, f in wgs.items() if name != "households" for g in f.geometry]
    metric = sample.to_metric()
    buffers = metric.roads.geometry.buffer(50).to_crs(4326)  # as the service areas are drawn
    found = attack(truth, [*shapes, *buffers])
    s = score(truth, found.all_points())
    print(f"public layers alone ({found.shapes} shapes, {found.public_shapes} public): {s}")
    assert found.shapes > 300 and found.public_shapes == found.shapes
    assert s.within_25m == 0 and not s.leaks


def test_buffered_households_are_found(sample: Layers, truth: Truth) -> None:
    """Positive control: 200 households buffered by 300 m (as gaps were) are found exactly."""
    metric = sample.to_metric().households.iloc[::15]
    circles = metric.geometry.buffer(300, quad_segs=8).to_crs(4326)
    s = score(truth, attack(truth, list(circles)).all_points())
    assert s.exact >= len(metric) and s.leaks, s


def test_household_points_moved_by_chance_are_not_a_leak(truth: Truth) -> None:
    """Negative control: candidates that are the households moved 60-150 m at random."""
    rng = np.random.default_rng(7)
    angle = rng.uniform(0, 2 * np.pi, len(truth.households))
    moved = truth.households + np.c_[np.cos(angle), np.sin(angle)] * rng.uniform(
        60, 150, (len(angle), 1)
    )
    s = score(truth, moved[::10])
    assert s.exact == 0 and not s.leaks, s


def test_the_servers_public_collections_recover_nobody(
    server: Server, truth: Truth, extent: Extent
) -> None:
    got = [
        o for o in server.crawl("anonymous").ok()
        if any(f"/collections/{c}/items?" in o.url for c in PUBLIC_COLLECTIONS)
    ]  # fmt: skip
    assert len(got) >= len(PUBLIC_COLLECTIONS)
    shapes = [g for o in got for g in geometries_of(o.kind, o.body, extent)]
    found = attack(truth, shapes)
    s = score(truth, found.all_points())
    print(f"{server.backend}: public OGC collections: {found.shapes} shapes, {s}")
    assert found.shapes > 300 and s.within_25m == 0, s
