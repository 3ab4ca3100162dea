"""The supervisor's month: home visits per village and patrol checks per river chief (issue 19).

A township's children's supervisor (儿童督导员), and the county, ask two things of a month:

* **per village** (and its children's directors): how many households of the visit plan are
  overdue or due this week on the month's last day (today while the month runs), how many home
  visits and contacts were recorded in the month, and how many households have open problems
  (their latest visit found some, :func:`geo.visit_records.household_file`);
* **per river chief**: how many days of the month a patrol was checked against the plan
  (``POST /api/patrols/verify``), how many planned stops and planned red stops were visited; and,
  over the area, **the share of planned red spots actually visited this month**::

      red_share = Σ red_visited / Σ red_planned      (over the month's checks, stops in the area)

A check counts the planned stops in the area's villages only (a chief's day may cross two
townships); a day counts when at least one of its stops is in the area. The visit plan's
schedule (:func:`analysis.visits.visit_schedule`) is computed on the schedule's date from the
households as imported with the stored visits up to that date applied
(:func:`geo.visit_records.apply_visits`), so a past month reads as it stood on its last day.

Only counts leave this module: no household id, name or location. The counts are exact: the
page is for roles that see these households exactly (supervisor, civil affairs, admin).

Examples
--------
>>> import geopandas as gpd, shapely
>>> from geo.patrol_checks import STOP_COLUMNS
>>> from geo.settings import Settings
>>> households = gpd.GeoDataFrame(
...     {"id": ["H1", "H2"], "village_code": ["V1", "V1"], "left_behind": [1, 1],
...      "in_difficulty": [0, 0], "last_contact": pd.to_datetime(["2026-07-01", "2026-01-01"]),
...      "last_home_visit": pd.to_datetime(["2026-07-01", "2026-01-01"])},
...     geometry=[shapely.Point(0, 0)] * 2, crs=4326)
>>> visits = pd.DataFrame({"visit_id": [1], "household_id": ["H1"], "kind": ["contact"],
...     "date": pd.to_datetime(["2026-07-10"]), "checklist": [{}], "lon": [None], "lat": [None],
...     "relocate": [False], "problems": ["塘边无护栏"]})
>>> stops = pd.DataFrame([["王河长", dt.date(2026, 7, 4), "S1", "V1", True, True, 0, 900.0, 30.0],
...                       ["王河长", dt.date(2026, 7, 4), "S2", "V1", True, False, 0, 900.0, 30.0]],
...                      columns=STOP_COLUMNS[1:])
>>> s = supervise(households, visits, stops, villages=pd.DataFrame({"code": ["V1"],
...               "name": ["东湾村"]}), directors={"V1": ["李主任"]}, chiefs=["王河长"],
...               month=Month(2026, 7), today=dt.date(2026, 12, 4), settings=Settings())
>>> s.villages[["overdue", "contacts", "open_problems"]].to_dict("records")
[{'overdue': 1, 'contacts': 1, 'open_problems': 1}]
>>> s.totals["red_planned"], s.totals["red_visited"], s.red_share
(2, 1, 0.5)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.visits import due_status, visit_schedule
from geo.bounds import FIRST_DATE, LAST_DATE
from geo.errors import InputError
from geo.i18n import tr
from geo.settings import Language, Settings, get_settings
from geo.visit_records import apply_visits

__all__ = [
    "CHIEF_COLUMNS",
    "TOTALS",
    "VILLAGE_COLUMNS",
    "Month",
    "Supervision",
    "chiefs_of",
    "supervise",
]

#: The per-village table's columns.
VILLAGE_COLUMNS = (
    "village_code", "village_name", "directors", "households", "overdue", "due_week",
    "visits", "home_visits", "contacts", "households_visited", "open_problems",
)  # fmt: skip
#: The per-river-chief table's columns (``unplanned``, ``distance_m``: the counted days' whole
#: tracks; ``last_day``: the last day checked, None when none was).
CHIEF_COLUMNS = (
    "river_chief", "days", "planned", "visited", "skipped", "share_visited", "red_planned",
    "red_visited", "red_share", "unplanned", "distance_m", "last_day",
)  # fmt: skip
#: The totals of the area, in order.
TOTALS = (
    "villages", "villages_without_director", "households", "overdue", "due_week", "visits",
    "home_visits", "contacts", "households_visited", "open_problems", "chiefs",
    "chiefs_checked", "days", "planned", "visited", "skipped", "share_visited", "red_planned",
    "red_visited", "red_share",
)  # fmt: skip

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_COUNTS = ("households", "overdue", "due_week", "visits", "home_visits", "contacts",
           "households_visited", "open_problems")  # fmt: skip
_CHIEF_COUNTS = ("days", "planned", "visited", "skipped", "red_planned", "red_visited",
                 "unplanned")  # fmt: skip


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month.

    Examples
    --------
    >>> m = Month.parse("2026-02")
    >>> str(m), m.first, m.last
    ('2026-02', datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """

    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month of ``day``."""
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str, *, lang: Language = "zh") -> Month:
        """``YYYY-MM`` as a month from 1990 to 2199.

        Raises
        ------
        InputError
            (422) Not ``YYYY-MM``, or outside the years the tool accepts.
        """
        found = _MONTH.match(text.strip())
        if found is None or not FIRST_DATE.year <= int(found.group(1)) <= LAST_DATE.year:
            raise InputError(tr("supervise_bad_month", lang, month=text), status=422)
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Supervision:
    """An area's month as its supervisor sees it.

    Attributes
    ----------
    month
        The month.
    date
        The day the visit plan's schedule was computed for: the month's last day, or today
        while the month runs.
    villages
        One row per village of the area (:data:`VILLAGE_COLUMNS`, ``directors`` a tuple of user
        names), by village code.
    chiefs
        One row per river chief of the area (:data:`CHIEF_COLUMNS`), by name; chiefs without a
        check this month have zeros (``share_visited``, ``red_share`` NaN).
    totals
        The area's totals (:data:`TOTALS`); shares are None when nothing was planned.
    """

    month: Month
    date: dt.date
    villages: pd.DataFrame
    chiefs: pd.DataFrame
    totals: Mapping[str, int | float | None]

    @property
    def red_share(self) -> float | None:
        """The share of the month's planned red spots (in the area) that were visited."""
        share = self.totals["red_share"]
        if share is None:
            return None
        return float(share)


def schedule_date(month: Month, today: dt.date, *, lang: Language = "zh") -> dt.date:
    """The day a month's visit schedule is computed for: its last day, today while it runs.

    Raises
    ------
    InputError
        (422) The month has not begun.
    """
    if month.first > today:
        raise InputError(
            tr("supervise_future_month", lang, month=str(month), today=today), status=422
        )
    return min(month.last, today)


def chiefs_of(
    waters: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, villages: frozenset[str] | None
) -> list[str]:
    """The river chiefs of an area: those named (``waters.river_chief``) for a water crossing
    one of ``villages`` (None: every named chief), by name."""
    named = waters.loc[waters["river_chief"].astype("string").fillna("").str.strip() != ""]
    if villages is not None:
        shapes = areas.loc[areas["code"].astype(str).isin(villages)]
        if shapes.empty:
            return []
        region = shapes.to_crs(named.crs).union_all()
        named = named.loc[named.intersects(region)]
    return sorted({str(c).strip() for c in named["river_chief"]})


def supervise(
    households: gpd.GeoDataFrame,
    visits: pd.DataFrame,
    stops: pd.DataFrame,
    *,
    villages: pd.DataFrame,
    directors: Mapping[str, Sequence[str]],
    chiefs: Sequence[str],
    month: Month,
    today: dt.date,
    whole: bool = False,
    settings: Settings | None = None,
    lang: Language = "zh",
) -> Supervision:
    """The month of an area: visits per village, patrol checks per river chief, the totals.

    Parameters
    ----------
    households
        The households layer as imported, before the stored visits (any CRS); households of
        other villages are left out.
    visits
        The stored visits (``geo.storage.Store.visit_frame``: :data:`geo.visit_records.VISIT_COLUMNS`
        and ``problems``); those after the schedule's date are left out.
    stops
        The planned stops of the month's stored patrol checks
        (:func:`geo.patrol_checks.stop_frame`, ``check_id`` optional).
    villages
        The area's villages: ``code`` and ``name`` (rows of the areas layer).
    directors
        Village code -> the user names of its children's directors.
    chiefs
        The area's river chiefs (:func:`chiefs_of`): each gets a row, checked or not.
    month, today
        The month, and today (the schedule's date is :func:`schedule_date`).
    whole
        Whether the area is the whole study area: every stop counts, in a village or not.
    settings
        Visit intervals (:func:`analysis.visits.visit_schedule`); ``get_settings()`` if None.
    lang
        Language of the errors.

    Raises
    ------
    InputError
        (422) The month has not begun.
    """
    settings = settings or get_settings()
    date = schedule_date(month, today, lang=lang)
    codes = [str(c) for c in villages["code"]]
    table = _village_table(households, visits, codes, month, date, settings)
    table.insert(1, "village_name", [str(n) for n in villages["name"]])
    table.insert(2, "directors", [tuple(sorted(directors.get(c, ()))) for c in codes])
    inside = stops.loc[stops["day"].between(month.first, month.last)]
    if not whole:
        inside = inside.loc[inside["village_code"].isin(codes)]
    per_chief = _chief_table(inside, chiefs)
    totals = _totals(table, per_chief)
    return Supervision(month, date, table[list(VILLAGE_COLUMNS)], per_chief, totals)


def _village_table(
    households: gpd.GeoDataFrame,
    visits: pd.DataFrame,
    codes: list[str],
    month: Month,
    date: dt.date,
    settings: Settings,
) -> pd.DataFrame:
    """Per village (in the order of ``codes``): the schedule's counts on ``date``, the month's
    visits and the households whose latest visit found problems."""
    mine = households.loc[households["village_code"].astype(str).isin(codes)]
    village_of = pd.Series(
        mine["village_code"].astype(str).to_numpy(), index=mine["id"].astype(str)
    )
    known = visits.loc[
        visits["household_id"].astype(str).isin(village_of.index)
        & (pd.to_datetime(visits["date"]) <= pd.Timestamp(date))
    ]
    schedule = visit_schedule(apply_visits(mine, known), settings=settings, date=date)
    status = due_status(schedule)
    at = schedule["village_code"].astype(str)
    out = pd.DataFrame({"village_code": codes}).set_index("village_code")
    out["households"] = at.value_counts()
    out["overdue"] = at[status == "overdue"].value_counts()
    out["due_week"] = at[status == "due_week"].value_counts()
    days = pd.to_datetime(known["date"])
    this = known.loc[days >= pd.Timestamp(month.first)]
    where = village_of.loc[this["household_id"].astype(str)].to_numpy()
    home = (this["kind"] == "home_visit").to_numpy()
    out["visits"] = pd.Series(where).value_counts()
    out["home_visits"] = pd.Series(where[home]).value_counts()
    out["contacts"] = pd.Series(where[~home]).value_counts()
    seen = pd.DataFrame({"v": where, "h": this["household_id"].astype(str).to_numpy()})
    out["households_visited"] = seen.drop_duplicates().groupby("v").size()
    out["open_problems"] = _open_problems(known, village_of)
    counts = out[list(_COUNTS)].fillna(0).astype(int)
    return counts.reset_index()


def _open_problems(known: pd.DataFrame, village_of: pd.Series) -> pd.Series:
    """Per village, the households whose latest visit (by date, then id) found problems."""
    if known.empty:
        return pd.Series(dtype=int)
    ordered = known.assign(day=pd.to_datetime(known["date"])).sort_values(["day", "visit_id"])
    latest = ordered.groupby(ordered["household_id"].astype(str)).tail(1)
    found = latest["problems"].fillna("").astype(str).str.strip() != ""
    return pd.Series(village_of.loc[latest.loc[found, "household_id"].astype(str)]).value_counts()


def _chief_table(stops: pd.DataFrame, chiefs: Sequence[str]) -> pd.DataFrame:
    """Per river chief (``chiefs`` and whoever has a counted stop), by name: days checked,
    planned and visited stops, red ones, the shares, unplanned stops and distance of the days."""
    names = sorted({*chiefs, *(str(c) for c in stops["river_chief"])})
    red_visited = stops["red"].astype(bool) & stops["visited"].astype(bool)
    days = (
        stops.assign(red_visited=red_visited)
        .groupby(["river_chief", "day"])
        .agg(
            planned=("spot_id", "size"),
            visited=("visited", "sum"),
            red_planned=("red", "sum"),
            red_visited=("red_visited", "sum"),
            unplanned=("unplanned", "first"),
            distance_m=("distance_m", "first"),
        )
        .reset_index()
    )
    per = days.groupby("river_chief").agg(
        days=("day", "size"),
        planned=("planned", "sum"),
        visited=("visited", "sum"),
        red_planned=("red_planned", "sum"),
        red_visited=("red_visited", "sum"),
        unplanned=("unplanned", "sum"),
        distance_m=("distance_m", "sum"),
        last_day=("day", "max"),
    )
    out = per.reindex(names)
    out["skipped"] = out["planned"] - out["visited"]
    counts = list(_CHIEF_COUNTS)
    out[counts] = out[counts].fillna(0).astype(int)
    out["distance_m"] = out["distance_m"].fillna(0.0).astype(float)
    out["share_visited"] = _share(out["visited"], out["planned"])
    out["red_share"] = _share(out["red_visited"], out["red_planned"])
    out["last_day"] = out["last_day"].astype(object).where(out["last_day"].notna(), None)
    return out.rename_axis("river_chief").reset_index()[list(CHIEF_COLUMNS)]


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``part / whole``, NaN where ``whole`` is 0."""
    ratio = part.to_numpy(dtype=float) / np.where(whole > 0, whole, np.nan)
    return pd.Series(ratio, index=part.index, dtype=float)


def _ratio(part: int, whole: int) -> float | None:
    if whole <= 0:
        return None
    return part / whole


def _totals(villages: pd.DataFrame, chiefs: pd.DataFrame) -> dict[str, int | float | None]:
    """The area's sums (shares from the sums, None when nothing was planned)."""
    out: dict[str, int | float | None] = {
        "villages": len(villages),
        "villages_without_director": sum(not names for names in villages["directors"]),
    }
    for name in _COUNTS:
        out[name] = int(villages[name].sum())
    out["chiefs"] = len(chiefs)
    out["chiefs_checked"] = int((chiefs["days"] > 0).sum())
    for name in ("days", "planned", "visited", "skipped", "red_planned", "red_visited"):
        out[name] = int(chiefs[name].sum())
    out["share_visited"] = _ratio(int(chiefs["visited"].sum()), int(chiefs["planned"].sum()))
    out["red_share"] = _ratio(int(chiefs["red_visited"].sum()), int(chiefs["red_planned"].sum()))
    return {name: out[name] for name in TOTALS}
