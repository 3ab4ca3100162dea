"""The supervisor's month (analysis.supervision), on a hand-made area whose every count can be
worked out by hand: two villages of the township (V1 东湾村, V2 西湾村), one of another (V3).

Month 2026-07, computed on 2026-12-04: the schedule is that of 2026-07-31 (contacts every 30
days, home visits every 90, due this week up to 2026-08-06). Before the stored visits:

* H1 (V1): contact 07-20, visit 06-01: next contact 08-19, next visit 08-30: later.
* H2 (V1): contact and visit 06-01: contact due 07-01, overdue; the home visit of 07-10 (which
  found a problem) moves both to later.
* H3 (V1): contact 07-05, visit 05-05: contact due 08-04, visit 08-03: due this week.
* H4 (V2): contact and visit 05-01, contacted 06-15 (a problem): contact due 07-15 and visit
  07-30, overdue; its home visit of 08-10 comes after the month and is left out.
* H5 (V2): no left-behind or in-difficulty child: not in the visit plan.
* H6 (V3): another township's, left out with its visit.
"""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, box

from analysis.supervision import Month, Supervision, chiefs_of, schedule_date, supervise
from geo.errors import InputError
from geo.patrol_checks import STOP_COLUMNS
from geo.settings import Settings

TODAY = dt.date(2026, 12, 4)
JULY = Month(2026, 7)
VILLAGES = pd.DataFrame({"code": ["V1", "V2"], "name": ["东湾村", "西湾村"]})
DIRECTORS = {"V1": ["李主任", "张主任"], "V3": ["王主任"]}


def _households() -> gpd.GeoDataFrame:
    rows = [
        ("H1", "V1", 1, "2026-07-20", "2026-06-01"),
        ("H2", "V1", 1, "2026-06-01", "2026-06-01"),
        ("H3", "V1", 1, "2026-07-05", "2026-05-05"),
        ("H4", "V2", 1, "2026-05-01", "2026-05-01"),
        ("H5", "V2", 0, "2026-01-01", "2026-01-01"),
        ("H6", "V3", 1, "2026-01-01", "2026-01-01"),
    ]
    frame = pd.DataFrame(rows, columns=["id", "village_code", "left_behind", "c", "v"])
    return gpd.GeoDataFrame(
        {
            "id": frame["id"],
            "village_code": frame["village_code"],
            "left_behind": frame["left_behind"],
            "in_difficulty": 0,
            "last_contact": pd.to_datetime(frame["c"]),
            "last_home_visit": pd.to_datetime(frame["v"]),
        },
        geometry=[shapely.Point(i, 0) for i in range(len(frame))],
        crs=4326,
    )


def _visits() -> pd.DataFrame:
    rows = [
        (1, "H2", "home_visit", "2026-07-10", "暑假无人看护"),
        (2, "H1", "contact", "2026-07-20", ""),
        (3, "H4", "contact", "2026-06-15", "塘边无护栏"),
        (4, "H4", "home_visit", "2026-08-10", ""),
        (5, "H6", "home_visit", "2026-07-12", "另一乡镇"),
        (6, "H1", "home_visit", "2026-07-25", ""),
    ]
    frame = pd.DataFrame(rows, columns=["visit_id", "household_id", "kind", "date", "problems"])
    return frame.assign(
        date=pd.to_datetime(frame["date"]), checklist=[{}] * len(frame), lon=None, lat=None,
        relocate=False,
    )  # fmt: skip


def _stops() -> pd.DataFrame:
    day = dt.date.fromisoformat
    rows = [
        (1, "王河长", day("2026-07-04"), "S1", "V1", True, True, 1, 1000.0, 40.0),
        (1, "王河长", day("2026-07-04"), "S2", "V1", True, False, 1, 1000.0, 40.0),
        (1, "王河长", day("2026-07-04"), "S3", "V3", True, True, 1, 1000.0, 40.0),
        (2, "王河长", day("2026-07-05"), "S4", "V2", False, True, 0, 500.0, 20.0),
        (3, "李河长", day("2026-07-06"), "S5", "V3", True, True, 0, 800.0, 30.0),
        (4, "王河长", day("2026-06-30"), "S6", "V1", True, False, 0, 700.0, 25.0),
    ]
    return pd.DataFrame(rows, columns=list(STOP_COLUMNS))


def _month(month: Month = JULY, today: dt.date = TODAY, *, whole: bool = False) -> Supervision:
    return supervise(
        _households(), _visits(), _stops(), villages=VILLAGES, directors=DIRECTORS,
        chiefs=["王河长", "赵河长"], month=month, today=today, whole=whole, settings=Settings(),
    )  # fmt: skip


def test_villages_count_the_schedule_the_months_visits_and_open_problems() -> None:
    result = _month()
    assert result.date == dt.date(2026, 7, 31)
    rows = result.villages.set_index("village_code").to_dict("index")
    assert rows["V1"] == {
        "village_name": "东湾村", "directors": ("张主任", "李主任"), "households": 3,
        "overdue": 0, "due_week": 1, "visits": 3, "home_visits": 2, "contacts": 1,
        "households_visited": 2, "open_problems": 1,
    }  # fmt: skip
    assert rows["V2"] == {
        "village_name": "西湾村", "directors": (), "households": 1, "overdue": 1,
        "due_week": 0, "visits": 0, "home_visits": 0, "contacts": 0, "households_visited": 0,
        "open_problems": 1,
    }  # fmt: skip
    assert list(result.villages["village_code"]) == ["V1", "V2"]  # V3 is not the area's


def test_river_chiefs_count_the_stops_in_the_area_this_month() -> None:
    result = _month()
    rows = result.chiefs.set_index("river_chief").to_dict("index")
    assert list(rows) == ["王河长", "赵河长"]  # 李河长 has no stop in the area
    wang = rows["王河长"]
    # 07-04: S1 and S2 (S3 lies in V3); 07-05: S4; 06-30 is June's
    assert (wang["days"], wang["planned"], wang["visited"], wang["skipped"]) == (2, 3, 2, 1)
    assert (wang["red_planned"], wang["red_visited"], wang["red_share"]) == (2, 1, 0.5)
    assert wang["share_visited"] == pytest.approx(2 / 3)
    assert (wang["unplanned"], wang["distance_m"], wang["last_day"]) == (
        1,
        1500.0,
        dt.date(2026, 7, 5),
    )
    zhao = rows["赵河长"]
    assert (zhao["days"], zhao["planned"], zhao["last_day"]) == (0, 0, None)
    assert math.isnan(zhao["red_share"]) and math.isnan(zhao["share_visited"])
    totals = result.totals
    assert (totals["chiefs"], totals["chiefs_checked"], totals["days"]) == (2, 1, 2)
    assert (totals["red_planned"], totals["red_visited"], result.red_share) == (2, 1, 0.5)
    assert totals["share_visited"] == pytest.approx(2 / 3)
    assert (totals["villages"], totals["villages_without_director"]) == (2, 1)
    assert (totals["households"], totals["overdue"], totals["due_week"]) == (4, 1, 1)
    assert (totals["visits"], totals["open_problems"]) == (3, 2)


def test_the_whole_area_counts_every_stop() -> None:
    rows = _month(whole=True).chiefs.set_index("river_chief")
    assert list(rows.index) == ["李河长", "王河长", "赵河长"]
    assert (rows.loc["王河长", "planned"], rows.loc["王河长", "red_planned"]) == (4, 3)
    assert rows.loc["李河长", "days"] == 1


def test_a_past_month_stands_as_on_its_last_day_and_the_current_one_as_today() -> None:
    august = _month(Month(2026, 8), today=dt.date(2026, 8, 15))
    assert august.date == dt.date(2026, 8, 15)
    v2 = august.villages.set_index("village_code").loc["V2"]
    # H4's home visit of 08-10 now counts: no longer overdue, and it found nothing
    assert (v2["overdue"], v2["home_visits"], v2["open_problems"]) == (0, 1, 0)
    assert august.red_share is None and august.totals["planned"] == 0


def test_months_are_parsed_and_a_future_one_refused() -> None:
    assert Month.parse("2026-07") == Month(2026, 7) and str(Month(2026, 12)) == "2026-12"
    assert Month(2026, 12).last == dt.date(2026, 12, 31)
    assert Month(2028, 2).last == dt.date(2028, 2, 29)
    for bad in ("2026-13", "2026-7", "1989-12", "July"):
        with pytest.raises(InputError, match="YYYY-MM") as refused:
            Month.parse(bad, lang="en")
        assert refused.value.status == 422
    with pytest.raises(InputError, match="2027-01 has not begun"):
        schedule_date(Month(2027, 1), TODAY, lang="en")
    with pytest.raises(InputError, match="尚未开始"):
        _month(Month(2027, 1))


def test_chiefs_of_an_area_are_those_of_the_waters_crossing_it() -> None:
    areas = gpd.GeoDataFrame(
        {"code": ["V1", "V2", "V3"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)],
        crs=4326,
    )  # fmt: skip
    waters = gpd.GeoDataFrame(
        {"river_chief": ["王河长", "李河长", None, " "]},
        geometry=[LineString([(0.5, -1), (0.5, 2)]), LineString([(5, 5.5), (7, 5.5)]),
                  LineString([(1.5, 0), (1.5, 1)]), LineString([(1.5, 0), (1.6, 1)])],
        crs=4326,
    )  # fmt: skip
    assert chiefs_of(waters, areas, frozenset({"V1", "V2"})) == ["王河长"]
    assert chiefs_of(waters, areas, None) == ["李河长", "王河长"]
    assert chiefs_of(waters, areas, frozenset()) == []
