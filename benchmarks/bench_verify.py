"""Median time to verify a 10,000-point track against 20 planned stops (issue 19).

Run: ``python benchmarks/bench_verify.py``.
"""

from __future__ import annotations

import statistics
import time

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from analysis.verify import verify_track


def main() -> None:
    """Print the median of five runs."""
    n = 10_000
    x = 500_000.0 + np.cumsum(np.full(n, 1.5))
    pts = gpd.GeoSeries(gpd.points_from_xy(x, np.full(n, 3_000_000.0)), crs=32648).to_crs(4326)
    start = pd.Timestamp("2026-07-01 08:00", tz="UTC")
    track = pd.DataFrame(
        {"lon": pts.x, "lat": pts.y, "time": start + pd.to_timedelta(np.arange(n) * 2, unit="s")}
    )
    stops = gpd.GeoDataFrame(
        {"spot_id": [f"s{i}" for i in range(20)]},
        geometry=[Point(500_000.0 + 700.0 * i, 3_000_010.0) for i in range(20)],
        crs=32648,
    ).to_crs(4326)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        verify_track(track, stops, radius_m=50.0, min_minutes=3.0, max_gap_minutes=10.0)
        runs.append(time.perf_counter() - t0)
    print(f"verify 10,000 points x 20 stops: median {statistics.median(runs) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
