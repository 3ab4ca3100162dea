"""Benchmark of the flood-season review (a script, not a test).

On the seeded synthetic county (``benchmarks/synthetic_county.py``), with flood zones added as
300 m buffers around the rivers, it prints medians of:

* the whole review (``analysis.flood.review_institutions``, road network already built);
* the escape-route search alone: scipy's multi-source Dijkstra from every safe node with
  predecessors (what the review runs), against networkx ``multi_source_dijkstra`` with paths on
  the osmnx-style graph, the same sources, in the same run (the named peer).

Run: ``.venv/bin/python benchmarks/bench_flood.py [--scale 0.1] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_county import synthetic_county

from analysis.flood import review_institutions
from geo.network import build_network
from geo.settings import Settings

FLOOD_WIDTH_M = 300.0


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    layers = synthetic_county(scale=args.scale)
    rivers = layers.waters.loc[layers.waters["kind"] == "river"]
    zones = gpd.GeoDataFrame(
        {
            "id": [f"Z{i}" for i in range(len(rivers))],
            "kind": "flood_zone",
            "name": None,
            "level": "high",
        },
        geometry=rivers.geometry.buffer(FLOOD_WIDTH_M).to_numpy(),
        crs=layers.crs,
    )
    layers = replace(layers, hazards=zones)
    network = build_network(layers.roads)
    settings = Settings()
    n_inst = len(layers.schools) + len(layers.facilities)
    print(
        f"synthetic county x{args.scale}: {network.n_nodes:,} road nodes, {n_inst} institutions, "
        f"{len(zones)} flood zones"
    )

    review = review_institutions(
        layers, settings=settings, date=dt.date(2026, 7, 20), network=network
    )
    status = review.institutions["escape_status"].value_counts().to_dict()
    print(f"levels: {review.counts()}; escape: {status}")
    t_review = _median(
        lambda: review_institutions(
            layers, settings=settings, date=dt.date(2026, 7, 20), network=network
        ),
        args.repeat,
    )
    print(f"review_institutions (network built): median {t_review:.3f} s")

    zone = shapely.union_all(zones.geometry.buffer(settings.flood.flood_zone_proximity_m))
    safe = np.flatnonzero(~shapely.intersects(shapely.points(network.node_xy), zone))
    t_ours = _median(
        lambda: dijkstra(
            network.csr, directed=False, indices=safe, return_predecessors=True, min_only=True
        ),
        args.repeat,
    )
    graph = network.graph
    sources = {int(s) for s in safe}
    t_nx = _median(
        lambda: nx.multi_source_dijkstra(graph, sources, weight="length"), max(args.repeat // 2, 1)
    )
    print(
        f"escape search from {len(safe):,} safe nodes: scipy {t_ours:.3f} s, "
        f"networkx {t_nx:.3f} s, ratio {t_nx / t_ours:.1f}x"
    )


if __name__ == "__main__":
    main()
