"""Load run on loopback (issue 9): ``/ogc/collections/waters/items?bbox=`` at 20 concurrent clients.

Starts ``tongan serve`` on the embedded sample in a child process (a fresh temporary workspace),
then runs locust headless (``benchmarks/locustfile.py``) for a bounded time and prints the
request rate and latency percentiles against the target: p95 under 100 ms.

Run ``python benchmarks/bench_load.py [--users 20] [--seconds 20]``.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.live_server import start_server  # noqa: E402

TARGET_P95_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent clients")
    parser.add_argument("--seconds", type=int, default=20, help="length of the run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(workspace=Path(tmp) / "ws")
        try:
            # warm the collection cache, as a server that has been up a while has it
            with urllib.request.urlopen(f"{url}/ogc/collections/waters/items", timeout=60):
                pass
            prefix = Path(tmp) / "locust"
            subprocess.run(
                [
                    sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
                    "--headless", "--only-summary", "--host", url,
                    "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
                    "--csv", str(prefix), "--loglevel", "WARNING",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            with open(f"{prefix}_stats.csv", newline="") as f:
                rows = {row["Name"]: row for row in csv.DictReader(f)}
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    row = rows["/ogc/collections/waters/items?bbox="]
    p50, p95, p99 = (float(row[k]) for k in ("50%", "95%", "99%"))
    requests, failures = int(row["Request Count"]), int(row["Failure Count"])
    rate = float(row["Requests/s"])
    print(f"load run: {args.users} clients x {args.seconds} s on {url}")
    print(f"  requests {requests:,} ({rate:,.0f}/s), failures {failures}")
    print(f"  latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms")
    verdict = "meets" if p95 < TARGET_P95_MS and failures == 0 else "MISSES"
    print(f"  p95 {p95:.0f} ms vs target {TARGET_P95_MS:.0f} ms: {verdict} the target")


if __name__ == "__main__":
    main()
