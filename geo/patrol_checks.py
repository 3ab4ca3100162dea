"""Stored patrol checks: what one verification of a river chief's day found (issue 19).

``POST /api/patrols/verify`` matches a GPS track against the chief's planned stops
(:func:`analysis.verify.check_patrol`); what it found is kept as one :class:`PatrolCheckIn` per
chief and day (a re-check of the same day replaces the earlier one): how many stops were
planned, visited, skipped, how many of them were red (the class the patrol plan must visit,
``inspection.must_visit_class``), the unplanned stops, distance and time, and each planned stop
with its village, so that a township counts the stops in its own villages only
(:mod:`analysis.supervision`). Risk spots and village codes are public; nothing here is
household-level.

Examples
--------
>>> check = PatrolCheckIn(river_chief="王河长", day="2026-07-04", distance_m=512.0, minutes=15,
...                       stops=[PlannedStop(spot_id="W1-r1", village_code="V1", red=True,
...                                          visited=True),
...                              PlannedStop(spot_id="W1-r2", village_code="V1", red=False,
...                                          visited=False)])
>>> check.planned, check.visited, check.skipped, check.red_planned, check.red_visited
(2, 1, 1, 1, 1)
>>> stop_frame([check])[["river_chief", "spot_id", "red", "visited"]].to_dict("list")
{'river_chief': ['王河长', '王河长'], 'spot_id': ['W1-r1', 'W1-r2'], 'red': [True, False], 'visited': [True, False]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["STOP_COLUMNS", "PatrolCheckIn", "PlannedStop", "StoredPatrolCheck", "stop_frame"]

#: Columns of :func:`stop_frame`: one row per planned stop of a stored check.
STOP_COLUMNS = (
    "check_id", "river_chief", "day", "spot_id", "village_code", "red", "visited",
    "unplanned", "distance_m", "minutes",
)  # fmt: skip


class PlannedStop(BaseModel):
    """One planned stop of a checked day: where it is and whether the track showed it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    spot_id: str = Field(
        description="The risk spot (spots are public: reach midpoints, known spots)."
    )
    village_code: str | None = Field(None, description="The village the spot lies in.")
    red: bool = Field(description="Whether the spot is of the class the plan must visit (red).")
    visited: bool


class PatrolCheckIn(BaseModel):
    """What one patrol check found, as stored (one per river chief and day)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    river_chief: str = Field(min_length=1, max_length=100)
    day: dt.date = Field(description="The day of the track (Beijing time).")
    stops: list[PlannedStop] = Field(description="The chief's planned stops of the day.")
    unplanned: int = Field(0, ge=0, description="Other risk spots where the track stayed.")
    distance_m: float = Field(ge=0, description="Metres along the track, not across its gaps.")
    minutes: float = Field(ge=0, description="Minutes of the track, not across its gaps.")

    @property
    def planned(self) -> int:
        return len(self.stops)

    @property
    def visited(self) -> int:
        return sum(s.visited for s in self.stops)

    @property
    def skipped(self) -> int:
        return self.planned - self.visited

    @property
    def red_planned(self) -> int:
        return sum(s.red for s in self.stops)

    @property
    def red_visited(self) -> int:
        return sum(s.red and s.visited for s in self.stops)


class StoredPatrolCheck(PatrolCheckIn):
    """A stored check: its id and who recorded it when (a re-check keeps the id)."""

    id: int
    recorded_by: str
    recorded_at: dt.datetime


def stop_frame(checks: Sequence[PatrolCheckIn]) -> pd.DataFrame:
    """One row per planned stop of ``checks`` (:data:`STOP_COLUMNS`), the check's unplanned
    stops, distance and minutes repeated on each of its rows; ``check_id`` is -1 for a check
    not stored (no ``id``)."""
    rows = [
        {
            "check_id": getattr(check, "id", -1),
            "river_chief": check.river_chief,
            "day": check.day,
            "spot_id": stop.spot_id,
            "village_code": stop.village_code,
            "red": stop.red,
            "visited": stop.visited,
            "unplanned": check.unplanned,
            "distance_m": check.distance_m,
            "minutes": check.minutes,
        }
        for check in checks
        for stop in check.stops
    ]
    frame = pd.DataFrame(rows, columns=list(STOP_COLUMNS))
    return frame.astype({"red": bool, "visited": bool})
