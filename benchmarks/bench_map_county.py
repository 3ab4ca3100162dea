"""County-scale map pages: HTML weight, server time and browser render time (issue 8).

Issue 8's bar: a county-scale map (200,000 households) under 8 MB of HTML and rendered in the
browser in under 3 s. This script

1. builds the synthetic county (:func:`benchmarks.synthetic_county.synthetic_county`, full scale
   200,000 households; ``--scale`` shrinks it);
2. serves it with :func:`api.server.create_app` (offline basemap) on a loopback port: uvicorn
   in a forked process, so the server and Playwright do not share an interpreter lock;
3. per map page: requests ``/maps/{name}/map`` once (``server s``: the analysis and the map's
   HTML, what a first visitor waits for before the browser gets anything), and reports the
   HTML size; then opens the same URL (now cached) in Debian's chromium through Playwright,
   offline, and times from navigation until the map is drawn: the page has loaded, every
   layer shown that loads by URL has arrived and been drawn (``window.tonganLayers.pending``
   is 0, :mod:`maps.remote`) and two animation frames have passed, so the canvas is painted.
   ``browser s`` is a first visit (a new browser profile: scripts and styles not cached),
   ``warm s`` a second visit with them cached (the layers are fetched again). It also reports
   what the browser fetched by URL (``GeoJSON MB``: the layers and, right after drawing, their
   popup tables), how many features the by-URL layers drew, and the SVG paths, marker icons and
   canvases on the map.

The analysis time is reported apart (risk alone is ~26 s at full scale on 2 shared cores); the
3 s target is the browser's part.

Run: ``.venv/bin/python benchmarks/bench_map_county.py --scale 1.0``
(``--pages risk overview`` for some pages only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import shutil
import socket
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn
from synthetic_county import synthetic_county

from geo.settings import Settings

HTML_TARGET_MB = 8.0
RENDER_TARGET_S = 3.0
DATE = dt.date(2026, 7, 15)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# done when every by-URL layer has arrived and been added (none pending)
_DRAWN = """() => {
  const t = window.tonganLayers;
  return document.readyState === "complete" && (!t || t.pending === 0);
}"""
_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
_COUNT = """() => {
  const t = window.tonganLayers;
  const svg = document.querySelectorAll(".leaflet-overlay-pane path").length;
  const icons = document.querySelectorAll(".leaflet-marker-pane > *").length;
  const canvas = document.querySelectorAll(".leaflet-overlay-pane canvas").length;
  let byUrl = 0, failed = 0;
  const layers = {};
  if (t) for (const k in t.layers) {
    const l = t.layers[k];
    byUrl += l.count; failed += l.failed ? 1 : 0;
    if (l.ms !== null) layers[k] = [l.count, l.ms / 1000];
  }
  const nav = performance.getEntriesByType("navigation")[0];
  const dcl = nav ? nav.domContentLoadedEventEnd / 1000 : null;
  const load = nav ? nav.loadEventEnd / 1000 : null;
  return {svg, icons, canvas, byUrl, failed, layers, dcl, load};
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(app: Any, port: int) -> None:
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _serve(app: Any) -> tuple[str, Any]:
    """Serve ``app`` in a forked process (as in production: the browser and the server do
    not share this process's interpreter lock); returns its URL and the process."""
    port = _free_port()
    proc = multiprocessing.get_context("fork").Process(target=_run, args=(app, port), daemon=True)
    proc.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            _get(f"{url}/healthz", 1)
            break
        except OSError:
            time.sleep(0.1)
    return url, proc


def _get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return bytes(resp.read())


def measure(browser: Any, base: str, name: str, query: str, timeout_s: float) -> dict[str, Any]:
    """Server time and HTML size of one page, then its render time in the browser."""
    url = f"{base}/maps/{name}/map?{query}"
    t = time.perf_counter()
    html = _get(url, timeout_s)
    server_s = time.perf_counter() - t
    row: dict[str, Any] = {"name": name, "server_s": server_s, "html_mb": len(html) / 1e6}

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    for run in ("browser_s", "warm_s"):  # a first visit, then again with the assets cached
        fetched: list[int] = []
        timing, counts = _open(context, url, timeout_s, errors, fetched)
        row[run] = timing
        if run == "browser_s":
            row.update(counts)
            row["geojson_mb"] = sum(fetched) / 1e6
    row["errors"] = errors
    context.close()
    return row


def _open(
    context: Any, url: str, timeout_s: float, errors: list[str], fetched: list[int]
) -> tuple[float, dict[str, int]]:
    """Open ``url`` in a new tab; seconds until drawn, and what is on the map."""
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))

    def on_response(resp: Any) -> None:
        if resp.status >= 400:
            errors.append(f"{resp.status}: {resp.url}")
        if ".geojson" in resp.url:
            fetched.append(int(resp.headers.get("content-length", "0")))

    page.on("response", on_response)
    # the map is opened on its own, not in its page: no favicon there, so none is asked for
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    t = time.perf_counter()
    page.goto(url, wait_until="load", timeout=timeout_s * 1000)
    page.wait_for_function(_DRAWN, timeout=timeout_s * 1000, polling=20)
    page.evaluate(_FRAMES)
    seconds = time.perf_counter() - t
    counts = page.evaluate(_COUNT)
    page.close()
    return seconds, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 200,000 households")
    parser.add_argument("--pages", nargs="*", help="map pages to measure (default: all)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per request/page")
    parser.add_argument(
        "--inline-max",
        type=int,
        default=None,
        help="override the map_inline_max_features setting (features above which a layer loads by URL)",
    )
    args = parser.parse_args()

    os.environ["TONGAN_BASEMAP"] = "blank"  # no tile request leaves the machine
    from api.pages import PAGES
    from api.server import create_app

    t = time.perf_counter()
    layers = synthetic_county(scale=args.scale)
    build_s = time.perf_counter() - t
    extra: dict[str, Any] = {}
    if args.inline_max is not None:
        extra["map_inline_max_features"] = args.inline_max
    settings = Settings(basemap="blank", **extra)
    t = time.perf_counter()
    app = create_app(layers=layers, settings=settings, today=DATE)
    startup_s = time.perf_counter() - t
    print(
        f"synthetic county scale {args.scale}: {len(layers.households):,} households, "
        f"{len(layers.waters):,} waters, {len(layers.roads):,} road lines, "
        f"{len(layers.equipment):,} equipment (built in {build_s:.1f} s, app {startup_s:.1f} s)"
    )
    print(f"targets: HTML < {HTML_TARGET_MB:g} MB, browser render < {RENDER_TARGET_S:g} s")
    print(
        f"{'map':9} {'HTML MB':>8} {'server s':>9} {'browser s':>10} {'warm s':>7} {'GeoJSON MB':>11} "
        f"{'by-URL feat':>11} {'svg':>7} {'icons':>6} {'canvas':>6}  verdict"
    )
    names = args.pages or list(PAGES)
    base, proc = _serve(app)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for name in names:
                query = (
                    f"date={DATE.isoformat()}" if "date" in PAGES[name].params.model_fields else ""
                )
                try:
                    row = measure(browser, base, name, query, args.timeout)
                except Exception as exc:  # report and go on with the other pages
                    print(f"{name:9} failed: {type(exc).__name__}: {str(exc)[:200]}", flush=True)
                    continue
                ok = row["html_mb"] < HTML_TARGET_MB and row["browser_s"] < RENDER_TARGET_S
                verdict = "ok" if ok and not row["errors"] and not row["failed"] else "MISSED"
                print(
                    f"{name:9} {row['html_mb']:8.2f} {row['server_s']:9.1f} {row['browser_s']:10.2f} "
                    f"{row['warm_s']:7.2f} "
                    f"{row['geojson_mb']:11.2f} {row['byUrl']:11,} {row['svg']:7,} "
                    f"{row['icons']:6,} {row['canvas']:6}  {verdict}",
                    flush=True,
                )
                steps = ", ".join(
                    f"{k} {n:,} at {ms:.2f}"
                    for k, (n, ms) in sorted(row["layers"].items(), key=lambda kv: kv[1][1])
                )
                print(
                    f"          first visit: DOM ready {row['dcl']:.2f} s, load {row['load']:.2f} s; "
                    f"by-URL layers drawn (features at s): {steps or 'none'}",
                    flush=True,
                )
                if row["errors"]:
                    print(f"          console errors: {row['errors'][:3]}", flush=True)
            browser.close()
    finally:
        proc.terminate()
        proc.join(timeout=10)


if __name__ == "__main__":
    main()
