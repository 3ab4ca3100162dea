"""Nothing is lost (issue 9): concurrent writers over HTTP, and a server killed with SIGKILL.

Both run against a real ``tongan serve`` process, on the embedded SQLite database and on PostGIS
(the ``database_settings`` fixture; PostGIS in CI).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from geo.settings import DatabaseSettings
from geo.storage import Store
from tests.live_server import start_server, stop_server

#: Twenty writers at once, 1,000 inspections: enough to interleave every write path (the 5,000
#: of issue 16's load test are benchmarks/bench_load.py's; the suite keeps its time).
WRITERS = 20
EACH = 50


def _record(writer: int, n: int) -> dict[str, object]:
    return {
        "target": "spot",
        "target_id": f"S{writer}",
        "date": "2026-07-15",
        "inspector": f"巡查员{writer}",
        "note": f"{writer}-{n}",
        "items": [{"kind": "life_buoy", "condition": "missing"}],
    }


def _env(settings: DatabaseSettings) -> dict[str, str]:
    return {"TONGAN_DATABASE__URL": settings.url} if settings.url else {}


def _token(settings: DatabaseSettings, workspace: Path, role: str = "river_chief") -> str:
    store = Store.open(settings, workspace)
    try:
        return store.add_user(role, role)  # type: ignore[arg-type]
    finally:
        store.close()


def test_concurrent_writers_all_land(database_settings: DatabaseSettings, tmp_path: Path) -> None:
    token = _token(database_settings, tmp_path)
    headers = {"Authorization": f"Bearer {token}"}
    proc, url = start_server(workspace=tmp_path, env=_env(database_settings))
    try:

        def writer(w: int) -> list[int]:
            ids = []
            with httpx.Client(base_url=url, headers=headers, timeout=120) as c:
                for n in range(EACH):
                    r = c.post("/api/inspections", json=_record(w, n))
                    assert r.status_code == 201, r.text
                    ids.append(r.json()["id"])
            return ids

        started = time.perf_counter()
        with ThreadPoolExecutor(WRITERS) as pool:
            acked = [i for ids in pool.map(writer, range(WRITERS)) for i in ids]
        elapsed = time.perf_counter() - started
        assert len(acked) == len(set(acked)) == WRITERS * EACH
        with httpx.Client(base_url=url, headers=headers, timeout=120) as c:
            listed = c.get("/api/inspections", params={"limit": 10_000}).json()
        assert {r["id"] for r in listed} == set(acked)
        notes = {r["note"] for r in listed}
        assert notes == {f"{w}-{n}" for w in range(WRITERS) for n in range(EACH)}
        print(f"{WRITERS * EACH} inspections by {WRITERS} writers in {elapsed:.1f} s")
    finally:
        stop_server(proc)


def test_a_killed_server_keeps_every_acknowledged_inspection(
    database_settings: DatabaseSettings, tmp_path: Path
) -> None:
    token = _token(database_settings, tmp_path)
    headers = {"Authorization": f"Bearer {token}"}
    admin = {"Authorization": f"Bearer {_token(database_settings, tmp_path, 'admin')}"}
    env = _env(database_settings)
    proc, url = start_server(workspace=tmp_path, env=env)
    acked: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(w: int) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=30) as c:
            n = 0
            while not stop.is_set():
                try:
                    r = c.post("/api/inspections", json=_record(w, n))
                except httpx.HTTPError:
                    return  # the server is gone: this request was never acknowledged
                if r.status_code == 201:
                    with lock:
                        acked.append(r.json()["id"])
                n += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    deadline = time.time() + 30
    while len(acked) < 200 and time.time() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # mid-write: the writers are still posting
    stop_server(proc)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(acked) >= 200
    proc, url = start_server(workspace=tmp_path, env=env)
    try:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
            listed = c.get("/api/inspections", params={"limit": 10_000}).json()
            log = c.get("/api/audit", params={"limit": 10_000}, headers=admin).json()
        present = {r["id"] for r in listed}
        lost = set(acked) - present
        assert not lost, f"{len(lost)} acknowledged inspections lost"
        # the audit entry is written in the inspection's transaction (issue 16): every stored
        # inspection has one, also those committed just before the kill
        audited = {
            int(e["resource"].rsplit("/", 1)[1])
            for e in log
            if e["action"] == "post" and e["resource"].startswith("/api/inspections/")
        }
        assert present - audited == set(), f"{len(present - audited)} stored without audit"
        assert audited == present  # and no entry for an inspection that was not stored
        print(f"{len(present)} stored, {len(acked)} acknowledged, {len(audited)} audited")
    finally:
        stop_server(proc)
