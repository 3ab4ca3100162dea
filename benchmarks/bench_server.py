"""Map server figures on the embedded sample: start-up, first and cached map requests, page weight.

Run: ``python benchmarks/bench_server.py``. Prints the start-up time (layers read and validated),
then per map the first request (analysis + map), the median of 5 cached repeats and the HTML size.
Targets (issue 8): start-up under 5 s, a cached request under 200 ms, each sample map under 2 MB.
"""

from __future__ import annotations

import statistics
import time

from fastapi.testclient import TestClient


def main() -> None:
    t0 = time.perf_counter()
    from api.pages import PAGES
    from api.server import create_app

    app = create_app()
    startup = time.perf_counter() - t0
    print(f"start-up (import, read and validate the sample): {startup:.2f} s (target < 5 s)")
    print(f"{'map':10} {'first (s)':>10} {'cached median (ms)':>20} {'HTML (MB)':>10}")
    with TestClient(app) as client:
        for name in PAGES:
            t = time.perf_counter()
            html = client.get(f"/maps/{name}/map").text
            first = time.perf_counter() - t
            repeats = []
            for _ in range(5):
                t = time.perf_counter()
                client.get(f"/maps/{name}/map")
                repeats.append(time.perf_counter() - t)
            size = len(html.encode()) / 1e6
            print(f"{name:10} {first:10.2f} {statistics.median(repeats) * 1000:20.1f} {size:10.2f}")


if __name__ == "__main__":
    main()
