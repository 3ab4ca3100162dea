"""The map server makes the plan in the background (issue 23.2): the index offers it, a progress
page follows it, the files are served to the user who asked and to nobody else."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.server import create_app
from geo.settings import DatabaseSettings, Settings
from geo.storage import Store
from geo.validate import validate_layers
from tests.tiny_area import TODAY, tiny_frames


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store]]:
    settings = Settings(basemap="blank")
    layers, report = validate_layers(tiny_frames(), settings=settings, today=TODAY)
    assert report.ok
    store = Store.open(DatabaseSettings(), tmp_path_factory.mktemp("plan-server"))
    app = create_app(layers=layers, settings=settings, store=store, today=TODAY)
    with TestClient(app) as client:
        yield client, store
    store.close()


def _wait(client: TestClient, url: str, headers: dict[str, str]) -> dict[str, object]:
    deadline = time.monotonic() + 180
    seen: list[int] = []
    while time.monotonic() < deadline:
        status = client.get(f"{url}.json", headers=headers).json()
        seen.append(int(status["done"]))
        if status["state"] != "running":
            assert seen == sorted(seen), "the progress went back"
            return dict(status)
        time.sleep(0.3)
    raise AssertionError("the plan did not finish in 3 minutes")


@pytest.fixture(scope="module")
def made(server: tuple[TestClient, Store]) -> tuple[str, dict[str, object]]:
    """A viewer's plan (no token: the public edition), made once for the module."""
    client, _ = server
    r = client.post("/plan", data={"date": "2026-07-15"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"].split("?")[0]
    assert url.startswith("/plan/jobs/")
    return url, _wait(client, url, {})


def test_the_index_offers_the_plan_and_its_form_says_which_edition(
    server: tuple[TestClient, Store],
) -> None:
    client, _ = server
    index = client.get("/").text
    assert 'href="/plan?lang=zh"' in index and "汛期儿童安全工作方案" in index
    form = client.get("/plan").text
    assert 'type="date" value="2026-07-01"' in form  # the server's today
    assert "公开版" in form
    assert "public edition" in client.get("/plan?lang=en").text


def test_the_plan_is_made_with_its_progress_and_files(
    server: tuple[TestClient, Store], made: tuple[str, dict[str, object]]
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
    again = client.post("/plan", data={"date": "2026-07-15"}, follow_redirects=False)
    assert again.headers["location"].split("?")[0] == url


def test_a_plan_is_only_its_owners(
    server: tuple[TestClient, Store], made: tuple[str, dict[str, object]]
) -> None:
    client, store = server
    url, _ = made
    other = {"Authorization": f"Bearer {store.add_user('li-plan', 'civil_affairs')}"}
    for path in ("", ".json", "/files/plan.pdf", "/files/plan.html"):
        assert client.get(f"{url}{path}", headers=other).status_code == 404, path
    assert client.get("/plan/jobs/not-a-job.json").status_code == 404
    for sneaky in ("../plan.pdf", "..%2F..%2Fetc%2Fpasswd", "maps/../../x"):
        assert client.get(f"{url}/files/{sneaky}").status_code == 404, sneaky


def test_a_bad_date_is_refused_with_a_message(server: tuple[TestClient, Store]) -> None:
    client, _ = server
    r = client.post("/plan", data={"date": "2026-13-40"}, follow_redirects=False)
    assert r.status_code == 422
    assert "date" in r.text
