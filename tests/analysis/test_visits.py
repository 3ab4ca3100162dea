"""Home-visit due dates on hand-picked dates, and the sample village's plan."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.visits import plan_visits, visit_schedule
from geo.errors import InputError
from geo.network import build_network
from geo.settings import InspectionSettings, Settings


def on_network(line, net) -> bool:  # type: ignore[no-untyped-def]
    """Every vertex and segment midpoint of ``line`` lies on an edge of ``net`` (within 1 mm)."""
    xy = shapely.get_coordinates(line)
    pts = shapely.points(np.vstack([xy, (xy[1:] + xy[:-1]) / 2]))
    _, dist = net.tree.query_nearest(pts, return_distance=True, all_matches=False)
    return bool(np.all(dist < 1e-3))


def _hh(**cols: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "id": ["H1"],
        "village_code": ["V"],
        "left_behind": [1],
        "in_difficulty": [0],
    }
    base.update({k: [v] for k, v in cols.items()})
    return pd.DataFrame(base)


def _one(date: dt.date, settings: Settings | None = None, /, **cols: object) -> pd.Series:
    return visit_schedule(_hh(**cols), settings=settings or Settings(), date=date).iloc[0]


def test_regular_interval_lands_on_leap_day() -> None:
    r = _one(dt.date(2028, 2, 20), last_home_visit=pd.Timestamp("2027-12-01"))
    assert r["next_home_visit"] == pd.Timestamp("2028-02-29")  # 90 days: 30 + 31 + 29
    assert r["visit_status"] == "later"
    assert (
        _one(dt.date(2028, 2, 23), last_home_visit=pd.Timestamp("2027-12-01"))["visit_status"]
        == "due_week"
    )
    r = _one(dt.date(2028, 3, 1), last_home_visit=pd.Timestamp("2027-12-01"))
    assert r["visit_status"] == "overdue" and r["days_overdue"] == 1


def test_monthly_for_high_risk_from_month_end() -> None:
    r = _one(
        dt.date(2028, 2, 1), last_home_visit=pd.Timestamp("2028-01-31"), guardianship_risk="high"
    )
    assert r["frequent"] and r["interval_days"] == 30
    assert r["next_home_visit"] == pd.Timestamp("2028-03-01")  # Jan 31 + 30 days in a leap year
    for flag in ("parent_disabled", "child_disabled", "psych_flag"):
        assert (
            _one(dt.date(2028, 2, 1), last_home_visit=pd.Timestamp("2028-01-31"), **{flag: True})[
                "interval_days"
            ]
            == 30
        )
    assert _one(
        dt.date(2027, 2, 1), last_home_visit=pd.Timestamp("2027-01-31"), guardianship_risk="high"
    )["next_home_visit"] == pd.Timestamp("2027-03-02")  # not a leap year


def test_contact_counts_home_visit_and_month_end() -> None:
    r = _one(
        dt.date(2028, 3, 1),
        last_contact=pd.Timestamp("2028-02-29"),
        last_home_visit=pd.Timestamp("2028-01-15"),
    )
    assert r["next_contact"] == pd.Timestamp("2028-03-30")
    r = _one(
        dt.date(2026, 7, 1),
        last_contact=pd.Timestamp("2026-05-01"),
        last_home_visit=pd.Timestamp("2026-06-20"),
    )
    assert r["next_contact"] == pd.Timestamp("2026-07-20")  # the later home visit counts


def test_never_visited_is_due_now_and_out_of_scope_dropped() -> None:
    day = dt.date(2026, 12, 31)
    r = _one(day)
    assert r["next_home_visit"] == pd.Timestamp(day) and r["next_contact"] == pd.Timestamp(day)
    assert r["visit_status"] == "due_week" and r["never_visited"]
    assert r["no_care_agreement"] and "未签委托照护协议" in r["flags"]
    none = visit_schedule(_hh(left_behind=0), settings=Settings(), date=day)
    assert none.empty


def test_holiday_concentrated_visit() -> None:
    s = Settings(inspection=InspectionSettings(holiday_visits=True))
    # visited in June: the regular visit is due 2026-09-13, the summer holiday one from 07-01
    r = _one(dt.date(2026, 6, 28), s, last_home_visit=pd.Timestamp("2026-06-15"))
    assert r["holiday_due"] == pd.Timestamp("2026-07-01")
    assert r["next_home_visit"] == pd.Timestamp("2026-07-01")
    # visited during the holiday: the next holiday visit is the winter one
    r = _one(dt.date(2026, 8, 1), s, last_home_visit=pd.Timestamp("2026-07-10"))
    assert r["holiday_due"] == pd.Timestamp("2027-01-15")
    assert r["next_home_visit"] == pd.Timestamp("2026-10-08")
    assert pd.isna(
        _one(dt.date(2026, 6, 28), last_home_visit=pd.Timestamp("2026-06-15"))["holiday_due"]
    )


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    from api._common import load_valid_layers

    layers = load_valid_layers(None).to_metric()
    return layers, build_network(layers.roads)


def test_sample_village(sample) -> None:  # type: ignore[no-untyped-def]
    layers, net = sample
    s = Settings()
    plan = plan_visits(layers, net, village="421023101001", settings=s, date=dt.date(2026, 7, 1))
    assert plan.depot.startswith("儿童之家")
    assert len(plan.overdue) > 0 and plan.schedule["no_care_agreement"].any()
    assert "name" not in plan.schedule.columns  # ids and counts only
    r = plan.route.iloc[0]
    assert r["stops"] > 0 and r["travel_min"] + r["stop_min"] <= 60 * s.inspection.visit_hours
    assert set(plan.stops["household_id"]) <= set(plan.schedule["household_id"])
    assert (plan.stops["visit_status"] != "later").all()
    assert on_network(plan.route.geometry.iloc[0], net)
    with pytest.raises(InputError, match="unknown village code 'X'"):
        plan_visits(layers, net, village="X", settings=s, date=dt.date(2026, 7, 1))
