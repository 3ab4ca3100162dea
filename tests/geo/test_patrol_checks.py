"""Stored patrol checks (migration 0005): one per river chief and day, a re-check replacing the
earlier one, read back by days and chiefs; on SQLite and PostGIS (the ``store`` fixture)."""

from __future__ import annotations

import datetime as dt

from geo.patrol_checks import PatrolCheckIn, PlannedStop, stop_frame
from geo.storage import AuditEntry, Store


def _check(chief: str, day: str, visited: list[bool], *, red: int = 1) -> PatrolCheckIn:
    stops = [
        PlannedStop(spot_id=f"S{i}", village_code="V1", red=i < red, visited=v)
        for i, v in enumerate(visited)
    ]
    return PatrolCheckIn(
        river_chief=chief, day=day, stops=stops, unplanned=1, distance_m=1234.5, minutes=42.0
    )


def test_a_recheck_of_the_same_day_replaces_the_earlier_one(store: Store) -> None:
    audit = AuditEntry("李督导", "supervisor", "post", "/api/patrols/verify", "200")
    first = store.record_patrol_check(
        _check("王河长", "2026-07-04", [True, False]), user="李督导", audit=audit
    )
    assert (first.planned, first.visited, first.skipped) == (2, 1, 1)
    assert (first.red_planned, first.red_visited) == (1, 1)
    again = store.record_patrol_check(
        _check("王河长", "2026-07-04", [True, True], red=2), user="王河长"
    )
    assert again.id == first.id
    other = store.record_patrol_check(_check("王河长", "2026-07-05", [False]), user="王河长")
    store.record_patrol_check(_check("张河长", "2026-08-01", [True]), user="张河长")
    checks = store.patrol_checks()
    assert [(c.river_chief, c.day.isoformat()) for c in checks] == [
        ("王河长", "2026-07-04"), ("王河长", "2026-07-05"), ("张河长", "2026-08-01"),
    ]  # fmt: skip
    replaced = checks[0]
    assert (replaced.visited, replaced.red_planned, replaced.red_visited) == (2, 2, 2)
    assert replaced.recorded_by == "王河长" and replaced.recorded_at.tzinfo is not None
    assert replaced.stops[1] == PlannedStop(spot_id="S1", village_code="V1", red=True, visited=True)
    july = store.patrol_checks(since=dt.date(2026, 7, 1), until=dt.date(2026, 7, 31))
    assert [c.id for c in july] == [first.id, other.id]
    assert [c.id for c in store.patrol_checks(chiefs=["张河长"])] == [checks[2].id]
    assert store.patrol_checks(chiefs=[]) == []
    entries = [e for e in store.audit_log() if e["action"] == "post"]
    assert [e["resource"] for e in entries] == [f"/api/patrols/verify/{first.id}"]
    assert store.revision() == 0  # a check changes no layer


def test_stop_frame_has_a_row_per_planned_stop(store: Store) -> None:
    stored = store.record_patrol_check(_check("王河长", "2026-07-04", [True, False]), user="a")
    frame = stop_frame([stored])
    assert list(frame["check_id"]) == [stored.id, stored.id]
    assert list(frame["visited"]) == [True, False] and list(frame["red"]) == [True, False]
    assert list(frame["distance_m"]) == [1234.5, 1234.5]
    assert stop_frame([]).empty
