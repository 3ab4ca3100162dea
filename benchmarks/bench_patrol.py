"""Patrol plan over 2,000 candidate spots in a 250,000-node grid-like county (target: < 30 s).

Synthetic: a 500 x 500 road grid, 60 m apart (a 30 km x 30 km county), jittered so it is not
perfectly regular; 2,000 spots scattered 5-40 m off the roads with random risk. Prints the median
time of ``plan_patrols`` (ebike, 6 h, 3 days) and, as the peer, the pure constructive insertion
(``solve_orienteering`` without local search or multi-start) on the same travel-time matrix: the
ratio of prize collected and of time taken.

Run: ``.venv/bin/python benchmarks/bench_patrol.py [--side 500] [--spots 2000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from analysis import _routing
from analysis.patrol import plan_patrols
from geo.network import build_network
from geo.settings import Settings

CRS = "EPSG:32649"


def county(side: int, spots: int, seed: int = 7) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rng = np.random.default_rng(seed)
    step = 60.0
    g = np.arange(side) * step
    xx, yy = np.meshgrid(g, g)
    xx = xx + rng.normal(0, 5, xx.shape)
    yy = yy + rng.normal(0, 5, yy.shape)
    rows = [shapely.linestrings(np.c_[xx[i], yy[i]]) for i in range(side)]
    cols = [shapely.linestrings(np.c_[xx[:, j], yy[:, j]]) for j in range(side)]
    lines = rows + cols
    roads = gpd.GeoDataFrame({"id": [f"R{i}" for i in range(len(lines))]}, geometry=lines, crs=CRS)
    i, j = rng.integers(0, side - 1, spots), rng.integers(0, side, spots)
    t = rng.uniform(0, 1, spots)
    x = xx[j, i] * (1 - t) + xx[j, i + 1] * t
    y = yy[j, i] * (1 - t) + yy[j, i + 1] * t + rng.uniform(5, 40, spots)
    risk = rng.uniform(5, 100, spots)
    frame = gpd.GeoDataFrame(
        {
            "spot_id": [f"S{k:05d}" for k in range(spots)],
            "water_name": "河",
            "village_code": "V",
            "risk": risk,
            "risk_class": np.select([risk >= 70, risk >= 40], ["red", "yellow"], "green"),
            "has_warning_sign": rng.random(spots) < 0.5,
            "has_life_buoy": rng.random(spots) < 0.3,
            "has_rescue_rope": False,
            "has_rescue_pole": False,
            "fenced": False,
            "missing_items": "rescue_rope;rescue_pole",
            "last_inspected": pd.to_datetime("2026-05-01"),
        },
        geometry=shapely.points(x, y),
        crs=CRS,
    )
    return roads, frame


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--side", type=int, default=500)
    ap.add_argument("--spots", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    roads, spots = county(args.side, args.spots)
    t0 = time.perf_counter()
    net = build_network(roads)
    print(
        f"network: {net.n_nodes:,} nodes, {net.n_edges:,} edges, built in {time.perf_counter() - t0:.1f} s"
    )
    settings = Settings()
    c = args.side * 60.0 / 2
    start = Point(c, c)
    times, plan = [], None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        plan = plan_patrols(
            spots,
            net,
            start=start,
            settings=settings,
            date=dt.date(2026, 7, 4),
            hours=6,
            mode="ebike",
            days=3,
        )
        times.append(time.perf_counter() - t0)
    assert plan is not None
    med = statistics.median(times)
    print(
        f"plan_patrols over {args.spots} spots, 3 days: median {med:.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}); target < 30 s"
    )
    print(plan.routes[["day", "stops", "distance_m", "total_min"]].to_string(index=False))

    # peer: constructive insertion only, on a matrix of the same size
    rng = np.random.default_rng(1)
    n = settings.inspection.max_candidates
    xy = rng.uniform(0, 30_000, (n + 1, 2))
    travel = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)) / 250.0
    prize = rng.uniform(5, 100, n + 1)
    service = np.full(n + 1, 15.0)
    t0 = time.perf_counter()
    full = _routing.solve_orienteering(travel, prize, service, 360.0)
    t_full = time.perf_counter() - t0
    t0 = time.perf_counter()
    peer = _routing.solve_orienteering(
        travel, prize, service, 360.0, alphas=(1.0,), n_starts=0, max_rounds=0
    )
    t_peer = time.perf_counter() - t0
    print(
        f"heuristic vs constructive insertion ({n} candidates, 6 h at 15 km/h): prize {full.prize:.0f} vs "
        f"{peer.prize:.0f} (ratio {full.prize / max(peer.prize, 1e-9):.3f}), time {t_full:.2f} s vs "
        f"{t_peer:.3f} s (ratio {t_full / max(t_peer, 1e-9):.1f})"
    )


if __name__ == "__main__":
    main()
