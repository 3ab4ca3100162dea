"""Printing with Debian's chromium driven by Playwright: maps as PNG images, reports as PDF.

The county's plan is read on paper and as a PDF: its maps are the same folium maps the pages
show, photographed in a headless chromium from their offline copies (:func:`api.map_files.save_map`,
every request off the machine refused), and the report's HTML is printed to A4 with page numbers.
One :class:`Printer` keeps one browser open for all the images and the PDF of a plan, on a thread
of its own: Playwright's synchronous API refuses to start on a thread whose asyncio loop runs (a
server's, a notebook's, or another Playwright's), so the printer never shares one.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import folium

from api.map_files import save_map
from geo.errors import InputError

__all__ = ["Printer", "find_chromium"]

#: Chromium's flags for a headless run in a container, with nothing fetched from the network.
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: A4 margins, leaving room for the page number in the footer.
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
_FOOTER = (
    '<div style="width:100%;font-size:9px;color:#555;text-align:center;'
    "font-family:'WenQuanYi Micro Hei',sans-serif;\">{title} · "
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


#: On paper a map needs no buttons: zoom, full screen, measure, locate and the layer control go;
#: the scale bar, the attribution and the legends stay.
_PRINTED_MAP_CSS = ".leaflet-top { display: none !important; }"


def find_chromium(path: str | Path | None = None) -> Path:
    """The chromium to print with: ``path`` when given, else ``chromium`` on ``PATH``.

    Raises
    ------
    InputError
        When there is none, with the package to install.
    """
    found = Path(path) if path else Path(shutil.which("chromium") or "/usr/bin/chromium")
    if not found.is_file():
        msg = (
            f"chromium not found at {found}: install Debian's package (apt-get install chromium) "
            "or set TONGAN_CHROMIUM to its path; PDF and map images need it"
        )
        raise InputError(msg)
    return found


def _offline(route: Any) -> None:
    """Let ``file://`` and ``data:`` requests through and refuse every other one."""
    url = route.request.url
    if url.startswith(("file:", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


class Printer:
    """One headless chromium for a batch of map images and PDFs (a context manager).

    Parameters
    ----------
    chromium
        The browser's executable (:func:`find_chromium` by default).
    """

    def __init__(self, chromium: str | Path | None = None) -> None:
        self.chromium = find_chromium(chromium)
        self._playwright: Any = None
        self._browser: Any = None
        self._thread: ThreadPoolExecutor | None = None

    def __enter__(self) -> Printer:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tongan-printer")
        try:
            self._run(self._start)
        except BaseException:
            self._thread.shutdown()
            self._thread = None
            raise
        return self

    def _run(self, job: Callable[..., Any], *args: Any) -> Any:
        """Run ``job(*args)`` on the printer's own thread, where its browser lives."""
        if self._thread is None:
            msg = "use the Printer in a with-block: `with Printer() as p: ...`"
            raise RuntimeError(msg)
        return self._thread.submit(job, *args).result()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(self.chromium), args=list(FLAGS)
        )

    def _stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser = self._playwright = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._thread is None:
            return
        try:
            self._run(self._stop)
        finally:
            self._thread.shutdown()
            self._thread = None

    def _page(self, width: int, height: int) -> Any:
        context = self._browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=1
        )
        context.route("**/*", _offline)
        return context.new_page()

    def map_png(self, m: folium.Map, path: Path, *, width: int = 1000, height: int = 680) -> Path:
        """Photograph map ``m`` as ``width`` x ``height`` pixels into the PNG ``path``.

        The map is written with its assets to a scratch folder and opened from ``file://``
        with every other request refused, so only its offline background and the county's
        own layers are drawn.
        """
        return self._run(self._photograph, m, path, width, height)

    def _photograph(self, m: folium.Map, path: Path, width: int, height: int) -> Path:
        with tempfile.TemporaryDirectory(prefix="tongan-map-") as tmp:
            page_file = save_map(m, Path(tmp) / "map.html")
            page = self._page(width, height)
            try:
                page.goto(page_file.as_uri(), wait_until="load")
                page.wait_for_selector(".leaflet-container", state="attached")
                page.add_style_tag(content=_PRINTED_MAP_CSS)
                page.wait_for_timeout(400)  # the fitted view's first frame
                page.screenshot(path=str(path), full_page=False)
            finally:
                page.context.close()
        return path

    def pdf(self, html: Path, path: Path, *, title: str = "") -> Path:
        """Print the HTML file ``html`` to the A4 PDF ``path`` with ``title · n / N`` below
        every page (links and the table of contents stay clickable)."""
        return self._run(self._print, html, path, title)

    def _print(self, html: Path, path: Path, title: str) -> Path:
        page = self._page(1240, 1754)
        try:
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.pdf(
                path=str(path),
                format="A4",
                print_background=True,
                margin=MARGIN,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=_FOOTER.format(title=_escape(title)),
                outline=True,
                tagged=True,
            )
        finally:
            page.context.close()
        return path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
