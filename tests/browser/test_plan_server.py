"""The map server makes the plan in the background (issue 23.2): the index offers it, a progress
page follows it, the files are served to the user who asked and to nobody else.

The plan is asked for once, in Debian's chromium, as a viewer would: from the index's card, the
form, the progress bar; the files are then fetched over HTTP by the same (anonymous) owner and
by others."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.server import create_app
from geo.settings import DatabaseSettings, Settings
from geo.storage import Store
from geo.validate import validate_layers
from tests.live_server import live_server
from tests.tiny_area import TODAY, tiny_frames

Server = tuple[httpx.Client, Store]
SHOTS = Path(__file__).resolve().parents[2] / "maps" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    settings = Settings(basemap="blank")
    layers, report = validate_layers(tiny_frames(), settings=settings, today=TODAY)
    assert report.ok
    store = Store.open(DatabaseSettings(), tmp_path_factory.mktemp("plan-server"))
    app = create_app(layers=layers, settings=settings, store=store, today=TODAY)
    with live_server(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client, store
    store.close()


@pytest.fixture(scope="module")
def made(browser: Any, server: Server) -> tuple[str, dict[str, object]]:
    """A viewer's plan (no token: the public edition), asked for once in chromium on a phone."""
    client, _ = server
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{client.base_url}/?lang=zh", wait_until="load")
    page.click("#card-plan a.plan")
    page.fill("#plan-date", "2026-07-15")
    page.click("form.params button[type=submit]")
    page.wait_for_url("**/plan/jobs/**")
    bars: list[float] = []
    deadline = time.monotonic() + 180
    while page.locator("#plan-done").is_hidden() and time.monotonic() < deadline:
        assert page.locator("#plan-failed").is_hidden(), page.locator("#plan-failed").inner_text()
        if page.locator("#plan-progress").count():
            bars.append(float(page.locator("#plan-progress").evaluate("b => b.value")))
        page.wait_for_timeout(300)
    assert page.locator("#plan-done").is_visible(), "the plan did not finish in 3 minutes"
    assert bars == sorted(bars) and len(set(bars)) >= 2, bars  # the bar moved forward
    links = page.locator("#plan-files a").evaluate_all("as => as.map(a => a.dataset.file)")
    assert links[0] == "plan.pdf", links
    url = page.url.split(f"{client.base_url}")[1].split("?")[0]
    page.screenshot(path=str(SHOTS / "plan_server.png"))
    page.close()
    return url, client.get(f"{url}.json").json()


def test_the_index_offers_the_plan_and_its_form_says_which_edition(
    server: Server,
) -> None:
    client, _ = server
    index = client.get("/").text
    assert 'href="/plan?lang=zh"' in index and "汛期儿童安全工作方案" in index
    form = client.get("/plan").text
    assert 'type="date" value="2026-07-01"' in form  # the server's today
    assert "公开版" in form
    assert "public edition" in client.get("/plan?lang=en").text


def test_the_plan_is_made_with_its_progress_and_files(
    server: Server, made: tuple[str, dict[str, object]]
) -> None:
    client, _ = server
    url, status = made
    assert status["state"] == "done", status
    assert status["done"] == status["total"]
    assert set(status["files"]) == {"plan.html", "plan.pdf", "plan.xlsx", "plan.gpkg"}  # type: ignore[arg-type]
    page = client.get(url).text
    assert "方案已生成" in page and f'href="{url}/files/plan.pdf"' in page
    pdf = client.get(f"{url}/files/plan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    html = client.get(f"{url}/files/plan.html").text
    assert "公开版" in html  # the viewer's edition
    image = html.split('src="maps/')[1].split('"')[0]
    assert client.get(f"{url}/files/maps/{image}").headers["content-type"] == "image/png"
    # asking again on the same layers and date gives the same job, at once
    again = client.post("/plan", data={"date": "2026-07-15"})
    assert again.headers["location"].split("?")[0] == url


def test_a_plan_is_only_its_owners(server: Server, made: tuple[str, dict[str, object]]) -> None:
    client, store = server
    url, _ = made
    other = {"Authorization": f"Bearer {store.add_user('li-plan', 'civil_affairs')}"}
    for path in ("", ".json", "/files/plan.pdf", "/files/plan.html"):
        assert client.get(f"{url}{path}", headers=other).status_code == 404, path
    assert client.get("/plan/jobs/not-a-job.json").status_code == 404
    for sneaky in ("../plan.pdf", "..%2F..%2Fetc%2Fpasswd", "maps/../../x"):
        assert client.get(f"{url}/files/{sneaky}").status_code == 404, sneaky


def test_a_bad_date_is_refused_with_a_message(server: Server) -> None:
    client, _ = server
    r = client.post("/plan", data={"date": "2026-13-40"})
    assert r.status_code == 422
    assert "date" in r.text
