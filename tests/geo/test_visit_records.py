"""Home-visit records: stored once per idempotency key, applied to the households layer."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.errors import InputError
from geo.visit_records import VisitIn, apply_visits, personal_fields


def test_a_resent_record_is_stored_once_and_a_strangers_key_is_refused(store) -> None:
    record = VisitIn(household_id="H1", kind="home_visit", date="2026-07-01")
    first, stored = store.record_visit(record, user="li", key="phone-1")
    again, stored_again = store.record_visit(record, user="li", key="phone-1")
    assert (stored, stored_again) == (True, False)
    assert again.id == first.id
    assert len(store.visits()) == 1
    with pytest.raises(InputError) as refused:
        store.record_visit(record, user="wang", key="phone-1")
    assert refused.value.status == 409
    assert len(store.visit_frame()) == 1


def test_visits_move_dates_flags_and_location() -> None:
    households = gpd.GeoDataFrame(
        {
            "id": ["H1", "H2"],
            "last_contact": pd.to_datetime(["2026-06-20", "2026-01-01"]),
            "last_home_visit": pd.to_datetime(["2026-03-01", "2026-01-01"]),
            "care_agreement": [False, False],
        },
        geometry=[shapely.Point(0, 0), shapely.Point(1, 1)],
        crs=4326,
    )
    visits = pd.DataFrame(
        {
            "visit_id": [1, 2, 3],
            "household_id": ["H1", "H1", "nobody"],
            "kind": ["home_visit", "contact", "home_visit"],
            "date": pd.to_datetime(["2026-06-01", "2026-07-05", "2026-07-05"]),
            "checklist": [{"care_agreement": True}, {}, {}],
            "lon": [5.0, None, None],
            "lat": [6.0, None, None],
            "relocate": [True, False, False],
        }
    )
    out = apply_visits(households, visits)
    assert str(out["last_contact"][0].date()) == "2026-07-05"  # the later contact
    assert str(out["last_home_visit"][0].date()) == "2026-06-01"
    assert bool(out["care_agreement"][0]) and not bool(out["care_agreement"][1])
    assert out.geometry[0].equals(shapely.Point(5, 6))
    assert out.iloc[1].equals(households.iloc[1])  # H2 untouched


def test_identifiers_in_free_text_are_found() -> None:
    record = VisitIn(
        household_id="H1", kind="contact", date="2026-07-01", help="身份证 11010519491231002X"
    )
    assert personal_fields(record) == ["help"]
