from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.pages import PAGES
from api.server import create_app
from api.state import ServerState
from geo.settings import Settings
from maps.offline import missing_assets


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


def test_index_lists_every_map_in_chinese_and_english(client: TestClient) -> None:
    zh = client.get("/")
    assert zh.status_code == 200
    for page in PAGES.values():
        assert page.title["zh"] in zh.text
        assert f"/maps/{page.name}" in zh.text
    en = client.get("/?lang=en")
    assert all(page.title["en"] in en.text for page in PAGES.values())


def test_map_page_has_figures_downloads_and_the_map(client: TestClient) -> None:
    page = client.get("/maps/overview")
    assert page.status_code == 200
    assert "重点儿童家庭" in page.text  # a summary figure
    assert "/maps/overview/download.xlsx" in page.text
    assert 'src="/maps/overview/map?' in page.text
    html = client.get("/maps/overview/map").text
    assert "L.map(" in html


def test_map_html_uses_only_local_assets(client: TestClient) -> None:
    html = client.get("/maps/overview/map").text
    assert not re.findall(r"https://(?:cdn\.jsdelivr|cdnjs|code\.jquery|netdna)", html)
    for url in sorted(set(re.findall(r'/assets/[^"\']+', html))):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", list(PAGES))
def test_every_cdn_asset_of_the_maps_has_a_local_copy(client: TestClient, name: str) -> None:
    import datetime as dt

    from api.pages import Context

    app = client.app
    page = PAGES[name]
    layers = ServerState.of(app).workspace.base  # type: ignore[arg-type]
    ctx = Context(layers, Settings(), "zh", False, dt.date(2026, 7, 15), layers.to_metric())
    html = page.build(ctx, page.params()).map.get_root().render()
    assert missing_assets(html) == []


def test_bad_requests_are_4xx_pages_with_chinese_reasons(client: TestClient) -> None:
    r = client.get("/maps/nope")
    assert r.status_code == 404 and "没有这张地图" in r.text and "overview" in r.text
    r = client.get("/maps/overview?colour=red")
    assert r.status_code == 422 and "未知参数 colour" in r.text
    r = client.get("/nowhere")
    assert r.status_code == 404 and "页面不存在" in r.text
    r = client.get("/maps/overview/download.docx")
    assert r.status_code == 404 and "docx" in r.text
    r = client.get("/assets/npm/../../api/server.py")
    assert r.status_code == 404


def test_downloads(client: TestClient) -> None:
    r = client.get("/maps/overview/download.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = client.get("/maps/overview/download.csv")
    assert r.status_code == 200 and "households" in r.content.decode("utf-8-sig")
    r = client.get("/maps/overview/download.gpkg")
    assert r.status_code == 200 and r.content[:15] == b"SQLite format 3"


def test_cached_repeat_is_fast(client: TestClient) -> None:
    client.get("/maps/overview/map")
    # the cache answers a repeat: the same object is returned (timing is a benchmark, not a test)
    assert ServerState.of(client.app).version  # type: ignore[arg-type]
    a = client.get("/maps/overview/map").text
    b = client.get("/maps/overview/map").text
    assert a == b


def test_tianditu_basemap_needs_a_key(client: TestClient) -> None:
    r = client.get("/maps/overview/map?basemap=tianditu")
    assert r.status_code == 422 and "TONGAN_TIANDITU_KEY" in r.text
    assert "tianditu.gov.cn" not in client.get("/maps/overview/map").text
    with pytest.raises(ValueError, match="TONGAN_TIANDITU_KEY"):
        Settings(basemap="tianditu")
    keyed = Settings(tianditu_key="K1", basemap="blank")
    with TestClient(create_app(settings=keyed)) as c:
        r = c.get("/maps/overview/map?basemap=tianditu")
        assert r.status_code == 200 and "tianditu.gov.cn/vec_w/wmts" in r.text and "tk=K1" in r.text
        # offered in the control of every map, shown first only when asked for
        assert "tianditu.gov.cn/vec_w/wmts" in c.get("/maps/overview/map").text
