"""Signing in from Chromium as each role (issue 18): the login page, the header saying who is
signed in, the households each role gets, signing out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from api.server import create_app
from geo.load import read_layers
from geo.settings import AccountSettings, DatabaseSettings, Settings
from geo.storage import Store
from geo.validate import validate_layers
from tests.live_server import live_server

PASSWORD = "长江 flows east 1"
DONGWAN, QINGHE, LIUTANG, COUNTY = "421023101001", "421023101000", "421023102000", "421023"
QINGHE_VILLAGES = {f"4210231010{n:02d}" for n in range(1, 8)}
LIUTANG_VILLAGES = {f"4210231020{n:02d}" for n in range(1, 6)}

#: user name, role, area, the header's words, villages of the households it gets (None: none)
USERS: list[tuple[str, str, str | None, str, set[str] | None]] = [
    ("管理员", "admin", None, "管理员", QINGHE_VILLAGES | LIUTANG_VILLAGES),
    ("民政局", "civil_affairs", COUNTY, "民政", QINGHE_VILLAGES | LIUTANG_VILLAGES),
    ("清河民政", "civil_affairs", QINGHE, "清河镇", QINGHE_VILLAGES),
    ("李主任", "children_director", DONGWAN, "东湾村", {DONGWAN}),
    ("张督导", "supervisor", LIUTANG, "柳塘乡", LIUTANG_VILLAGES),
    ("东湾村河长", "river_chief", None, "河长", None),
    ("教育局", "education", None, "教育", None),
    ("访客", "viewer", None, "只读", None),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    store = Store.open(DatabaseSettings(), tmp_path_factory.mktemp("login"))
    for name, role, area, _, _ in USERS:
        store.add_user(name, role, area=area, password=PASSWORD)  # type: ignore[arg-type]
    settings = Settings(basemap="blank", accounts=AccountSettings(failure_delay_s=0))
    try:
        with live_server(create_app(layers=layers, settings=settings, store=store)) as url:
            yield url
    finally:
        store.close()


@pytest.mark.parametrize(("name", "role", "area", "header", "villages"), USERS)
def test_sign_in_as_each_role(
    browser: Any,
    server: str,
    name: str,
    role: str,
    area: str | None,
    header: str,
    villages: set[str] | None,
) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/login")
    assert page.locator("h1").inner_text() == "登录"
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{server}/")
    who = page.locator("#who").inner_text()
    assert name in who and header in who, who
    cookie = next(c for c in context.cookies() if c["name"] == "tongan_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("tongan_session") == -1  # not readable by JS
    got = page.goto(f"{server}/ogc/collections/households/items?limit=10000")
    assert got is not None
    if villages is None:
        assert got.status == 404
    else:
        body = json.loads(page.locator("body").inner_text())
        assert {f["properties"]["village_code"] for f in body["features"]} == villages
    page.goto(f"{server}/")
    page.click("#logout")
    page.wait_for_url(f"{server}/login?lang=zh")
    assert page.locator("#who").inner_text() == "未登录(只读:汇总数据)"
    assert not any(c["name"] == "tongan_session" for c in context.cookies())
    assert not errors
    context.close()


def test_a_wrong_password_is_refused_in_the_browser(browser: Any, server: str) -> None:
    page = browser.new_page()
    page.goto(f"{server}/login?lang=en")
    page.fill("#name", "李主任")
    page.fill("#password", "not it at all")
    page.click("#submit")
    assert "Wrong user name or password" in page.locator("#login-error").inner_text()
    page.close()


def test_the_directors_visit_plan_is_its_village(browser: Any, server: str, tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto(f"{server}/login?next=/maps/visits")
    page.fill("#name", "李主任")
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{server}/maps/visits")
    assert "东湾村" in page.locator("aside").inner_text()
    page.close()
