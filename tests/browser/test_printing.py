"""Printing in Debian's chromium (issue 23): a map photographed offline, a report printed to A4.

The PDF is read back with PDFium (chromium's own PDF engine, through pypdfium2): its pages are
counted, their text (Chinese, and the page numbers of the footer) extracted and page one rendered.
"""

from __future__ import annotations

from pathlib import Path

import folium
import numpy as np
import pytest
from PIL import Image

from api.printing import Printer, find_chromium
from geo.errors import InputError
from tests.browser.conftest import CHROMIUM

REPORT = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>方案</title>
<style>@page {{ size: A4; }} section {{ break-before: page; }}</style></head><body>
<h1>县级汛期方案</h1><p>溺水风险点 12 处</p><img src="{img}" style="width:100%">
<section><h1>第二章 服务覆盖</h1><p>覆盖率 81%</p></section>
<section><h1>第三章 汛期排查</h1><p>高风险机构 2 所</p></section></body></html>"""


@pytest.fixture(scope="module")
def printer() -> object:
    with Printer(CHROMIUM) as p:
        yield p


def _map() -> folium.Map:
    m = folium.Map(location=[28.15, 112.95], zoom_start=14, tiles=None)
    folium.TileLayer("OpenStreetMap").add_to(m)  # refused: the photograph is taken offline
    folium.Polygon(
        [[28.14, 112.94], [28.16, 112.94], [28.16, 112.96], [28.14, 112.96]],
        color="#d00000", fill=True, fill_color="#d00000", fill_opacity=1.0,
    ).add_to(m)  # fmt: skip
    return m


def test_a_map_is_photographed_offline_without_its_buttons(
    printer: Printer, tmp_path: Path
) -> None:
    path = printer.map_png(_map(), tmp_path / "map.png", width=800, height=600)
    image = np.asarray(Image.open(path).convert("RGB"))
    assert image.shape == (600, 800, 3)
    red = (image[..., 0] > 180) & (image[..., 1] < 60) & (image[..., 2] < 60)
    # the square spans 0.02 degrees: at zoom 14 (256 * 2**14 px around the world) that is
    # 233 px across and, Mercator-stretched by 1 / cos(28.15 deg), 264 px high
    per_degree = 256 * 2**14 / 360
    expected = (0.02 * per_degree) * (0.02 * per_degree / np.cos(np.radians(28.15)))
    assert abs(red.sum() - expected) < 0.03 * expected, (red.sum(), expected)
    assert red[300, 400] and not red[10, 10]
    # the zoom buttons (top left) are hidden on paper: the corner is the plain background
    corner = image[5:70, 5:50]
    assert np.abs(corner.astype(int) - corner[0, 0]).max() < 8, "zoom control printed"


def test_a_report_prints_to_numbered_a4_pages_with_its_chinese_text(
    printer: Printer, tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    img = printer.map_png(_map(), tmp_path / "map.png")
    html = tmp_path / "report.html"
    html.write_text(REPORT.format(img=img.name), encoding="utf-8")
    pdf = printer.pdf(html, tmp_path / "report.pdf", title="某县汛期方案")
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == 3
    width, height = doc[0].get_size()
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297  # A4 in mm
    texts = [doc[i].get_textpage().get_text_range() for i in range(3)]
    assert "溺水风险点 12 处" in texts[0] and "覆盖率 81%" in texts[1]
    for n, text in enumerate(texts, start=1):
        assert f"某县汛期方案 · {n} / 3" in text, text
    bitmap = doc[0].render(scale=0.5).to_pil().convert("RGB")
    page = np.asarray(bitmap)
    red = (page[..., 0] > 180) & (page[..., 1] < 60) & (page[..., 2] < 60)
    assert red.mean() > 0.02, "the map image is not on page one"
    doc.close()


def test_a_missing_chromium_is_named_with_the_package_to_install(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"chromium not found at .*apt-get install chromium"):
        find_chromium(tmp_path / "no-chromium")


def test_the_printer_works_beside_another_playwright(browser: object, tmp_path: Path) -> None:
    """Playwright's sync API refuses a thread where an asyncio loop runs (the test session's own
    browser here, a server or a notebook elsewhere): the printer keeps to a thread of its own."""
    from playwright.sync_api import sync_playwright

    with pytest.raises(Exception, match="asyncio loop"):  # the condition, as Playwright sees it
        sync_playwright().start()
    with Printer(CHROMIUM) as p:
        path = p.map_png(_map(), tmp_path / "beside.png", width=320, height=240)
    with Image.open(path) as image:
        assert image.size == (320, 240)
