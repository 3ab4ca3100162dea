"""Benchmark of ``tongan province`` on a synthetic province (a script, not a test).

Issue 10's figures, printed in one run:

1. the wall time of the province run (partitioning, then risk, coverage and flood review of every
   county) for ``--counties`` (8) counties with 1 worker and with 2 workers of a LocalCluster
   on this machine, and the speed-up (target: at least 1.6x on 2 cores);
2. the peak resident memory of every worker process;
3. a paper estimate, from the measured per-county time, of a 100-county province on a
   32-worker cluster: the county tasks' seconds spread over 32 workers (ideal, and in whole
   rounds of 32 counties), plus the partitioning, at the benchmark size and, assuming time
   linear in the county's size, at the full benchmark county (``--scale 1``).

Counties come from :mod:`benchmarks.synthetic_province` (the benchmark county of
``synthetic_county.py`` times ``--scale``). The workers are warmed up (modules imported) before
each timed run, as on a long-lived cluster; cluster start-up is reported apart.

Run: ``.venv/bin/python benchmarks/bench_province.py --counties 8 --scale 0.05``
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_province import synthetic_province, write_province

from analysis.province import ProvinceResult, local_cluster_client, run_province
from geo.settings import ProvinceSettings, Settings

DATE = dt.date(2026, 7, 15)
TARGET_COUNTIES = 100
TARGET_WORKERS = 32


def _warm() -> bool:
    """Import what the county tasks import, so that no timed task pays for it."""
    import dask_geopandas  # noqa: F401

    import analysis.province  # noqa: F401

    return True


def run(
    layers: Path, out: Path, *, workers: int, settings: Settings
) -> tuple[float, float, ProvinceResult]:
    """Start a local cluster of ``workers``, warm it, time one province run."""
    t = time.perf_counter()
    with local_cluster_client(settings, workers=workers) as client:
        client.run(_warm)
        start_s = time.perf_counter() - t
        t = time.perf_counter()
        result = run_province(layers, out, client=client, settings=settings, date=DATE)
        wall_s = time.perf_counter() - t
    return start_s, wall_s, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=8)
    parser.add_argument(
        "--scale", type=float, default=0.05, help="county size; 1.0 is the benchmark county"
    )
    parser.add_argument(
        "--row-group-rows", type=int, default=20_000, help="GeoParquet row group (one chunk each)"
    )
    args = parser.parse_args()
    settings = Settings(province=ProvinceSettings(chunk_mb=1.0, threads_per_worker=1))

    with tempfile.TemporaryDirectory(prefix="tongan-province-") as tmp:
        t = time.perf_counter()
        province = synthetic_province(args.counties, scale=args.scale)
        layers = write_province(province, Path(tmp) / "layers", row_group_rows=args.row_group_rows)
        print(
            f"synthetic province: {args.counties} counties at scale {args.scale} "
            f"({len(province.households):,} households, {len(province.roads):,} road lines, "
            f"{len(province.waters):,} waters, {len(province.facilities):,} facilities), "
            f"generated and written as GeoParquet in {time.perf_counter() - t:.1f} s"
        )
        del province

        walls: dict[int, float] = {}
        results: dict[int, ProvinceResult] = {}
        for workers in (1, 2):
            start_s, wall_s, result = run(
                layers, Path(tmp) / f"out{workers}", workers=workers, settings=settings
            )
            walls[workers], results[workers] = wall_s, result
            ok = int((result.counties["status"] == "ok").sum())
            print(
                f"{workers} worker(s): wall {wall_s:.1f} s for {args.counties} counties "
                f"({ok} ok; partitioning {result.seconds['partition']:.1f} s, county tasks "
                f"{result.seconds['counties']:.1f} s; cluster start-up {start_s:.1f} s, not counted)"
            )
            for _, w in result.workers.iterrows():
                limit = f"{w['limit_mb']:,.0f} MiB" if pd.notna(w["limit_mb"]) else "none"
                print(
                    f"    worker {w['worker']}: peak RSS {w['peak_mb']:,.0f} MiB "
                    f"({w['tasks']} county tasks, busy {w['busy_s']:,.1f} s, limit {limit})"
                )
        print(f"speed-up 1 -> 2 workers: {walls[1] / walls[2]:.2f}x (target >= 1.6x)")

        # --- paper estimate ---------------------------------------------------------------
        one = results[1]
        # with one worker the county tasks run one after the other: their wall time per county
        # is the per-county time (reading, validating, the three analyses, writing, scheduling)
        county_s = one.seconds["counties"] / args.counties
        partition_per_county = one.seconds["partition"] / args.counties
        stage_s = one.counties[[c for c in one.counties if c.endswith("_s")]].mean()
        print(
            f"measured per county (1 worker): {county_s:.2f} s, of which "
            + ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in stage_s.items())
            + f"; partitioning {partition_per_county:.2f} s per county"
        )
        rounds = math.ceil(TARGET_COUNTIES / TARGET_WORKERS)
        sizes = [(f"scale {args.scale}", 1.0)]
        if args.scale != 1.0:
            sizes.append(("full county (x1/scale)", 1 / args.scale))
        for label, factor in sizes:
            c, p = county_s * factor, partition_per_county * factor
            ideal = (TARGET_COUNTIES * c + TARGET_COUNTIES * p) / TARGET_WORKERS
            whole = rounds * c + TARGET_COUNTIES * p / TARGET_WORKERS
            print(
                f"paper estimate, {TARGET_COUNTIES} counties on {TARGET_WORKERS} workers at {label}: "
                f"{ideal:,.0f} s with tasks spread evenly, {whole:,.0f} s in {rounds} rounds of "
                f"whole counties (county {c:,.1f} s, partitioning {p:,.1f} s per county)"
            )
        peak = max(float(r.workers["peak_mb"].max()) for r in results.values())
        print(f"peak memory per worker (largest of both runs): {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
