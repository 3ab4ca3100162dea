"""Issue 15: what a role without household access gets does not depend on single households.

A second server serves a copy of the sample in which a few households are moved by 40 m, each
within its privacy hexagon at every lattice level and within its village, and chosen so that
nobody's coverage changes. Every geometry the anonymous role gets from it must be coordinate-
identical to what it gets from the unmoved sample: a shape that moves with a household is built
from household points.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from analysis.coverage import assess_coverage
from geo.layers import Layers
from geo.load import read_layers, write_layers
from geo.settings import get_settings
from geo.validate import validate_layers
from sample_layers.generate import SAMPLE_PATH
from tests.privacy.attack import LATTICE_LEVELS, hexagon_of
from tests.privacy.conftest import Server, serve
from tests.privacy.crawl import Crawl
from tests.privacy.extract import Extent, geometries_of

MOVE_M = 40.0
MOVED = 4


def _movable(sample: Layers) -> dict[int, tuple[float, float]]:
    """A few uncovered households far beyond the standard, and where each moves (metric)."""
    settings = get_settings()
    metric = sample.to_metric()
    result = assess_coverage(metric, settings=settings)
    h = result.households
    far = h.loc[~h["covered"] & (h["dist_m"] > result.standard_m + 150)]
    shown = result.gaps.loc[~result.gaps["small"]].geometry.union_all()  # gaps a viewer sees
    far = far.loc[far.within(shown)]
    villages = metric.areas.loc[metric.areas["level"] == "village"]
    chosen: dict[int, tuple[float, float]] = {}
    seen_villages: set[str] = set()
    for pos in far.index:
        row = h.loc[pos]
        if str(row["village_code"]) in seen_villages:
            continue
        x, y = row.geometry.x, row.geometry.y
        for angle in np.deg2rad(np.arange(0, 360, 45)):
            nx, ny = x + MOVE_M * np.cos(angle), y + MOVE_M * np.sin(angle)
            same = all(
                (hexagon_of(np.array([[x, y]]), settings.privacy.cell_m * 2**k)
                 == hexagon_of(np.array([[nx, ny]]), settings.privacy.cell_m * 2**k)).all()
                for k in LATTICE_LEVELS
            )  # fmt: skip
            home = villages.loc[villages.contains(Point(x, y)), "code"]
            there = villages.loc[villages.contains(Point(nx, ny)), "code"]
            if same and len(home) and list(home) == list(there):
                chosen[int(h.index.get_loc(pos))] = (nx, ny)
                seen_villages.add(str(row["village_code"]))
                break
        if len(chosen) == MOVED:
            break
    return chosen


def moved_frames(sample: Layers) -> dict[str, gpd.GeoDataFrame]:
    """The sample's raw layers with a few households moved (coverage unchanged: checked)."""
    frames = read_layers(SAMPLE_PATH)
    metric_crs = sample.metric_crs()
    moves = _movable(sample)
    assert len(moves) == MOVED, f"only {len(moves)} households can be moved"
    hh = frames["households"]
    metric = hh.to_crs(metric_crs)
    geoms = metric.geometry.to_numpy().copy()
    for i, (x, y) in moves.items():
        geoms[i] = Point(x, y)
    hh = hh.set_geometry(gpd.GeoSeries(geoms, crs=metric_crs).to_crs(hh.crs).to_numpy())
    frames["households"] = hh
    moved, _ = validate_layers(frames, settings=get_settings())
    before = assess_coverage(sample.to_metric(), settings=get_settings()).households["covered"]
    after = assess_coverage(moved.to_metric(), settings=get_settings()).households["covered"]
    assert (before.to_numpy() == after.to_numpy()).all(), "moving changed someone's coverage"
    return frames


@pytest.fixture(scope="session")
def moved_source(sample: Layers, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("moved")
    return write_layers(moved_frames(sample), Path(folder) / "moved.gpkg")


@pytest.fixture
def moved_server(server: Server, moved_source: Path, tmp_path: Path) -> Iterator[Server]:
    """The moved copy served like ``server`` (same back end and settings).

    Only the PostGIS server is moved: its maps send every large layer by URL, so its outputs
    hold each geometry the SQLite server writes into its map pages, and more (the analyses
    are the same code on both back ends). This saves a server and a crawl in every run.
    """
    if server.backend != "postgresql":
        pytest.skip("the PostGIS server's outputs include the SQLite server's (layers by URL)")
    yield from serve(moved_source, tmp_path / "workspace", server.env, server.backend, "moved")


def _coordinates(crawl: Crawl, extent: Extent) -> dict[str, np.ndarray]:
    out = {}
    for o in crawl.ok():
        if o.kind in {"unknown", "text/plain"}:
            continue
        shapes = geometries_of(o.kind, o.body, extent)
        xy = (
            shapely.get_coordinates(np.asarray(shapes, dtype=object))
            if shapes
            else np.zeros((0, 2))
        )
        key = urlsplit(o.url)._replace(scheme="", netloc="").geturl()
        out[key] = np.unique(np.round(xy, 6), axis=0)
    return out


def test_no_geometry_depends_on_single_households(
    server: Server, moved_server: Server, extent: Extent
) -> None:
    before = _coordinates(server.crawl("anonymous"), extent)
    after = _coordinates(moved_server.crawl("anonymous"), extent)
    assert len(before) > 50 and sum(len(v) for v in before.values()) > 10_000
    missing = sorted(set(before) ^ set(after))
    changed = [
        f"{url}: {len(before[url])} vs {len(after[url])} coordinates, "
        f"{len(_diff(before[url], after[url]))} differ"
        for url in sorted(set(before) & set(after))
        if not np.array_equal(before[url], after[url])
    ]
    print(f"{len(changed)} outputs change when {MOVED} households move {MOVE_M:g} m:")
    for line in changed:
        print("  ", line)
    assert not changed and not missing, (
        f"{server.backend}: moving {MOVED} households by {MOVE_M:g} m within their cells (coverage unchanged) "
        f"changes the geometry of {len(changed)} outputs an anonymous user gets:\n"
        + "\n".join(changed)
        + (f"\nURLs only in one run: {missing}" if missing else "")
    )


def _diff(a: np.ndarray, b: np.ndarray) -> set[tuple[float, float]]:
    return {tuple(p) for p in a} ^ {tuple(p) for p in b}
