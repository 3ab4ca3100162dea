"""The supervisor's page (issue 19 items 3 and 4), on SQLite and PostGIS (the ``store`` fixture).

李主任, children's director of 三合村 (柳塘乡), records three visits; 张督导, the supervisor of 柳塘乡,
verifies 柳塘乡河长's ride of 2026-07-04 (tests/patrol_walk.py: four red stops in 三合村, W002-005
skipped). July 2026, the server's today 2026-07-20. By hand, for 三合村:

* visits in July: HA home visit 07-10 (a problem), HB contact 07-12 (none): 2 visits, 1 home
  visit, 1 contact, 2 households; HC's home visit of 06-20 (a problem) is June's;
* open problems: HA and HC, whose latest visit found one: 2;
* 柳塘乡河长: 1 day, 4 planned, 3 visited, 1 skipped; red 4 planned, 3 visited: 75 %.

清河镇's supervisor sees 清河镇's seven villages and none of these; 柳塘乡河长's waters cross 清河镇
too, so the chief is listed there, with no stop of 清河镇 checked.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from geo.layers import Layers
from geo.settings import Settings
from geo.storage import Store
from tests.patrol_walk import CHIEF, DAY, START, planned_stops, walk

SANHE, LIUTANG, QINGHE, COUNTY = "421023102003", "421023102000", "421023101000", "421023"
TODAY = "2026-07-20"


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    return layers


@pytest.fixture(scope="module")
def gpx(sample: Layers) -> bytes:
    return walk(planned_stops(sample)).gpx


@pytest.fixture
def client(sample: Layers, store: Store) -> Iterator[TestClient]:
    import datetime as dt

    app = create_app(
        layers=sample, settings=Settings(), store=store, today=dt.date.fromisoformat(TODAY)
    )
    with TestClient(app) as c:
        yield c


def _bearer(store: Store, role: str, area: str | None, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.add_user(name, role, area=area)}"}  # type: ignore[arg-type]


def _households(sample: Layers) -> list[str]:
    """Three households of 三合村's visit plan (left-behind or in-difficulty children)."""
    hh = sample.households
    plan = hh[(hh["village_code"] == SANHE) & ((hh["left_behind"] > 0) | (hh["in_difficulty"] > 0))]
    return [str(i) for i in plan["id"].iloc[:3]]


def _month_of(client: TestClient, headers: dict[str, str], lang: str = "zh") -> dict:  # type: ignore[type-arg]
    r = client.get(f"/api/supervision?month=2026-07&lang={lang}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _record(client: TestClient, store: Store, sample: Layers, gpx: bytes) -> dict[str, str]:
    """The director's three visits and the supervisor's patrol check; the supervisor's token."""
    director = _bearer(store, "children_director", SANHE, "李主任")
    ha, hb, hc = _households(sample)
    visits = [
        {
            "household_id": ha,
            "kind": "home_visit",
            "date": "2026-07-10",
            "problems": "暑假无人看护",
        },
        {"household_id": hb, "kind": "contact", "date": "2026-07-12"},
        {"household_id": hc, "kind": "home_visit", "date": "2026-06-20", "problems": "塘边无护栏"},
    ]
    for visit in visits:
        r = client.post("/api/visit-records", json=visit, headers=director)
        assert r.status_code == 201, r.text
    supervisor = _bearer(store, "supervisor", LIUTANG, "张督导")
    form = {"river_chief": CHIEF, "date": DAY.isoformat()}
    files = {"file": ("walk.gpx", gpx, "application/gpx+xml")}
    r = client.post(
        f"/api/patrols/verify?start={START}", files=files, data=form, headers=supervisor
    )
    assert r.status_code == 200, r.text
    return supervisor


def test_the_townships_supervisor_gets_the_counts_by_hand(
    client: TestClient, store: Store, sample: Layers, gpx: bytes
) -> None:
    supervisor = _record(client, store, sample, gpx)
    body = _month_of(client, supervisor)
    assert (body["month"], body["date"], body["area"]) == ("2026-07", TODAY, f"柳塘乡 {LIUTANG}")
    rows = {v["village_code"]: v for v in body["villages"]}
    assert sorted(rows) == [f"4210231020{n:02d}" for n in range(1, 6)]
    sanhe = rows[SANHE]
    assert sanhe["village_name"] == "三合村" and sanhe["directors"] == ["李主任"]
    assert (sanhe["visits"], sanhe["home_visits"], sanhe["contacts"]) == (2, 1, 1)
    assert (sanhe["households_visited"], sanhe["open_problems"]) == (2, 2)
    assert all(rows[c]["visits"] == 0 and rows[c]["directors"] == [] for c in rows if c != SANHE)
    # overdue and due this week: the visit plan's own lists of the same day
    admin = _bearer(store, "admin", None, "管理员")
    plan = client.get(f"/api/visits?village={SANHE}&date={TODAY}", headers=admin).json()
    assert sanhe["overdue"] == len(plan["tables"]["overdue"])
    assert sanhe["due_week"] == len(plan["tables"]["due_week"])
    chief = next(c for c in body["chiefs"] if c["river_chief"] == CHIEF)
    assert (chief["days"], chief["planned"], chief["visited"], chief["skipped"]) == (1, 4, 3, 1)
    assert (chief["red_planned"], chief["red_visited"], chief["red_share"]) == (4, 3, 0.75)
    assert chief["last_day"] == DAY.isoformat()
    totals = body["totals"]
    assert (totals["red_planned"], totals["red_visited"], totals["red_share"]) == (4, 3, 0.75)
    assert (totals["visits"], totals["open_problems"], totals["chiefs_checked"]) == (2, 2, 1)
    assert totals["villages_without_director"] == 4
    # counts only: no household id anywhere in the answer
    assert not any(h in str(body) for h in _households(sample))


def test_other_townships_and_roles(
    client: TestClient, store: Store, sample: Layers, gpx: bytes
) -> None:
    _record(client, store, sample, gpx)
    qinghe = _month_of(client, _bearer(store, "supervisor", QINGHE, "王督导"))
    assert sorted(v["village_code"] for v in qinghe["villages"]) == [
        f"4210231010{n:02d}" for n in range(1, 8)
    ]
    chief = next(c for c in qinghe["chiefs"] if c["river_chief"] == CHIEF)
    assert (chief["days"], chief["planned"], qinghe["totals"]["red_share"]) == (0, 0, None)
    county = _month_of(client, _bearer(store, "civil_affairs", COUNTY, "民政局"))
    assert len(county["villages"]) == 12 and county["totals"]["red_share"] == 0.75
    for role, area, name in [
        ("river_chief", None, "东湾村河长"),
        ("viewer", None, "访客"),
        ("children_director", SANHE, "王主任"),
        ("education", None, "教育局"),
    ]:
        headers = _bearer(store, role, area, name)
        for path in ("/api/supervision", "/supervise", "/supervise.xlsx"):
            r = client.get(f"{path}?lang=en", headers=headers)
            assert r.status_code == 403, (role, path, r.text)
            assert "may not open the supervisor's page" in r.text
    assert client.get("/api/supervision").status_code == 403  # anonymous: a viewer
    for path in ("/supervise", "/supervise.xlsx?month=2026-07"):
        away = client.get(path, follow_redirects=False)
        assert away.status_code == 303
    assert away.headers["location"] == "/login?lang=zh&next=/supervise.xlsx%3Fmonth%3D2026-07"
    assert client.get("/supervise", follow_redirects=False).headers["location"] == (
        "/login?lang=zh&next=/supervise"
    )


def test_bad_months_are_a_422_with_the_fix(client: TestClient, store: Store) -> None:
    admin = _bearer(store, "admin", None, "管理员")
    later = client.get("/api/supervision?month=2026-08&lang=en", headers=admin)
    assert later.status_code == 422
    assert later.json()["description"] == (
        "2026-08 has not begun (today is 2026-07-20); choose this month or an earlier one"
    )
    bad = client.get("/api/supervision?month=July", headers=admin)
    assert bad.status_code == 422 and "month" in bad.json()["description"]
    page = client.get("/supervise?month=2099-01", headers=admin)
    assert page.status_code == 422 and "尚未开始" in page.text


def test_the_page_and_the_workbook_hold_the_same_numbers(
    client: TestClient, store: Store, sample: Layers, gpx: bytes
) -> None:
    from openpyxl import load_workbook

    supervisor = _record(client, store, sample, gpx)
    page = client.get("/supervise?month=2026-07", headers=supervisor)
    assert page.status_code == 200, page.text
    text = page.text
    assert "督导工作台" in text and 'id="red-figure">75%<' in text
    assert "3/4 个计划红色风险点已巡查" in text and "三合村" in text and CHIEF in text
    assert not any(h in text for h in _households(sample))
    english = client.get("/supervise?lang=en", headers=supervisor).text
    assert "Supervisor's page" in english and "3 of 4 planned red spots visited" in english
    r = client.get("/supervise.xlsx?month=2026-07", headers=supervisor)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="supervise-2026-07.xlsx"'
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["各村走访", "河长巡查", "汇总"]
    villages = [list(row) for row in book["各村走访"].iter_rows(values_only=True)]
    head = villages[0]
    assert head[:3] == ["村", "儿童主任", "逾期(户)"] and head[-1] == "村代码"
    sanhe = dict(zip(head, next(v for v in villages if v[-1] == SANHE), strict=True))
    assert (sanhe["儿童主任"], sanhe["本月走访(次)"], sanhe["家访(次)"]) == ("李主任", 2, 1)
    assert (sanhe["联系(次)"], sanhe["未解决问题(户)"]) == (1, 2)
    json_rows = {v["village_code"]: v for v in _month_of(client, supervisor)["villages"]}
    assert sanhe["逾期(户)"] == json_rows[SANHE]["overdue"]
    chiefs = [list(row) for row in book["河长巡查"].iter_rows(values_only=True)]
    wang = dict(zip(chiefs[0], next(c for c in chiefs if c[0] == CHIEF), strict=True))
    assert (wang["核验天数"], wang["计划点"], wang["已巡查"], wang["漏查"]) == (1, 4, 3, 1)
    assert (wang["计划红色点"], wang["红色点已巡查"], wang["红色点巡查率(%)"]) == (4, 3, 75.0)
    totals = dict(book["汇总"].iter_rows(min_row=2, values_only=True))
    assert totals["月份"] == "2026-07" and totals["红色风险点巡查率(%)"] == 75.0
    assert (totals["本月走访(次)"], totals["未解决问题(户)"]) == (2, 2)
