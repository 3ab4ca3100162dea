"""Reads while writers post inspections (issue 16): latency idle vs during 20 concurrent writers.

Run: ``python benchmarks/bench_reads_during_writes.py`` (embedded SQLite) or with
``--postgres postgresql+psycopg://user:password@127.0.0.1:5432/db`` (a throw-away schema is
created in that database and dropped afterwards). Starts ``tongan serve`` on the embedded sample
on 127.0.0.1, warms three reads (``/api/layers``, an OGC items page of the waters, the cached
coverage map), times them idle, then again while ``--writers`` threads post ``--each``
inspections each (every one changes the equipment layer: a condition update of an existing item),
bounded by ``--seconds``. Prints median and p95 per read, idle and busy, and their ratio.
Target: a read during 20 writers within 2x of its idle latency.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

READS = {
    "layers": "/api/layers",
    "ogc": "/ogc/collections/waters/items?limit=100",
    "map": "/maps/coverage/map",
}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _time_reads(url: str, stop: threading.Event | None, rounds: int) -> dict[str, list[float]]:
    """Latency (ms) of each read, ``rounds`` times, or until ``stop`` is set."""
    out: dict[str, list[float]] = {name: [] for name in READS}
    with httpx.Client(base_url=url, timeout=60) as c:
        for _ in range(rounds):
            if stop is not None and stop.is_set():
                break
            for name, path in READS.items():
                t = time.perf_counter()
                r = c.get(path)
                out[name].append((time.perf_counter() - t) * 1000)
                r.raise_for_status()
    return out


def _writer(url: str, token: str, w: int, each: int, deadline: float, done: list[int]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
        for n in range(each):
            if time.time() > deadline:
                return
            eq = f"E{(w * each + n) % 52 + 1:03d}"
            record = {
                "target": "equipment",
                "target_id": eq,
                "date": "2026-07-15",
                "inspector": f"巡查员{w}",
                "items": [{"kind": "life_buoy", "id": eq, "condition": ("ok", "damaged")[n % 2]}],
                "note": f"{w}-{n}",
            }
            r = c.post("/api/inspections", json=record)
            if r.status_code == 201:
                done.append(1)


def _schema(base: str) -> tuple[str, str]:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    url = make_url(base)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    scoped = url.update_query_dict({"options": f"-csearch_path={schema},public"})
    return scoped.render_as_string(hide_password=False), schema


def _drop(base: str, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--each", type=int, default=25, help="inspections per writer")
    parser.add_argument("--rounds", type=int, default=40, help="idle reads of each kind")
    parser.add_argument("--seconds", type=float, default=120, help="bound of the write phase")
    parser.add_argument("--postgres", help="a PostGIS URL (else the embedded SQLite file)")
    args = parser.parse_args()

    from geo.settings import DatabaseSettings
    from geo.storage import Store
    from tests.live_server import start_server, stop_server

    schema = None
    db_url = None
    if args.postgres:
        db_url, schema = _schema(args.postgres)
    env = {"TONGAN_DATABASE__URL": db_url} if db_url else {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workspace = Path(tmp)
            with Store.open(DatabaseSettings(url=db_url), workspace) as store:
                token = store.add_user("bench", "river_chief")
            proc, url = start_server(workspace=workspace, env=env)
            try:
                _time_reads(url, None, 2)  # warm: layers built, map computed, features encoded
                idle = _time_reads(url, None, args.rounds)
                done: list[int] = []
                stop = threading.Event()
                deadline = time.time() + args.seconds
                threads = [
                    threading.Thread(
                        target=_writer, args=(url, token, w, args.each, deadline, done)
                    )
                    for w in range(args.writers)
                ]
                t0 = time.perf_counter()
                for t in threads:
                    t.start()
                busy: dict[str, list[float]] = {}

                def reader() -> None:
                    busy.update(_time_reads(url, stop, 10_000))

                rt = threading.Thread(target=reader)
                rt.start()
                for t in threads:
                    t.join()
                elapsed = time.perf_counter() - t0
                stop.set()
                rt.join()
            finally:
                stop_server(proc)
    finally:
        if schema and args.postgres:
            _drop(args.postgres, schema)

    backend = "PostGIS" if args.postgres else "SQLite"
    print(
        f"{backend}: {len(done)} inspections by {args.writers} writers in {elapsed:.1f} s "
        f"({len(done) / elapsed:.0f}/s)"
    )
    print(f"{'read':8} {'idle p50':>9} {'idle p95':>9} {'busy p50':>9} {'busy p95':>9} "
          f"{'ratio p50':>9} {'ratio p95':>9} {'n busy':>7}")  # fmt: skip
    for name in READS:
        i50, i95 = statistics.median(idle[name]), _p95(idle[name])
        b50, b95 = statistics.median(busy[name]), _p95(busy[name])
        print(
            f"{name:8} {i50:9.1f} {i95:9.1f} {b50:9.1f} {b95:9.1f} {b50 / i50:9.2f} "
            f"{b95 / i95:9.2f} {len(busy[name]):7d}"
        )


if __name__ == "__main__":
    main()
