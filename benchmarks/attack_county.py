"""The privacy red-team attack (tests/privacy) on the synthetic county: households recovered.

Builds the synthetic county (``benchmarks/synthetic_county.py``, ``--scale 0.1``: 20,000
households), serves it with ``tongan serve`` on loopback, crawls everything the anonymous role
gets (map pages, map HTML, layer files, downloads, ``/api``, OGC collections) and sweeps
``/api/coverage?standard_m=`` over 800-1200 m; prints per output the households recovered within
25 m and 0.5 m (vertices, part centroids, circles through three vertices, bbox corners; public
geometry set aside) beside the chance baseline, then the totals. Issue 15's bar: 0 beyond chance.

Run: ``python benchmarks/attack_county.py [--scale 0.1]`` (a few minutes at 0.1).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_county import synthetic_county

from geo.load import write_layers
from geo.settings import get_settings
from tests.live_server import start_server, stop_server
from tests.privacy.attack import Truth, attack, score
from tests.privacy.crawl import Crawler
from tests.privacy.extract import Extent, geometries_of
from tests.privacy.sweep import STANDARDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    t0 = time.perf_counter()
    layers = synthetic_county(scale=args.scale)
    truth = Truth.of(layers, get_settings().privacy.cell_m)
    x0, y0, x1, y1 = layers.areas.to_crs(4326).total_bounds
    extent = Extent(x0 - 0.05, y0 - 0.05, x1 + 0.05, y1 + 0.05)
    print(f"synthetic county at scale {args.scale}: {len(truth.households):,} households")
    with tempfile.TemporaryDirectory() as tmp:
        source = write_layers(dict(layers.items()), Path(tmp) / "county.gpkg")
        proc, url = start_server(str(source), workspace=Path(tmp) / "workspace")
        try:
            crawler = Crawler(url, None)
            crawl = crawler.everything()
            for standard in STANDARDS:
                crawler.get("/api/coverage", {"standard_m": standard})
            crawler.close()
        finally:
            stop_server(proc)
    points = []
    print(f"{'households within 25 m (chance) / 0.5 m':>42}  output")
    for output in crawl.ok():
        if output.kind in {"unknown", "text/plain"}:
            continue
        found = attack(truth, geometries_of(output.kind, output.body, extent)).all_points()
        points.append(found)
        s = score(truth, found)
        if s.within_25m or s.exact:
            mark = "LEAK" if s.leaks else "    "
            print(
                f"{mark} {s.within_25m:>8,} ({s.baseline:,}) / {s.exact:>6,}  {output.url[len(url) :]}"
            )
    total = score(truth, np.concatenate([*points, np.zeros((0, 2))]))
    print(f"all {len(crawl.ok())} outputs together: {total}")
    print(f"{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
