"""The season calendar: flood season, main season, critical weeks and school holidays on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.settings import Region, SeasonSettings


def _on(day: dt.date, mmdd: str) -> dt.date:
    month, d = (int(part) for part in mmdd.split("-"))
    return dt.date(day.year, month, d)


def _within(day: dt.date, start: str, end: str) -> bool:
    """Whether ``day`` falls in [start, end] (MM-DD, inclusive), wrapping over the new year."""
    a, b = _on(day, start), _on(day, end)
    return a <= day <= b if a <= b else (day >= a or day <= b)


@dataclass(frozen=True)
class SeasonState:
    """What a date means for child water safety in a region."""

    date: dt.date
    region: Region
    flood_season: bool
    main_flood_season: bool
    critical_weeks: bool
    summer_holiday: bool
    winter_holiday: bool
    weekend: bool

    @property
    def school_holiday(self) -> bool:
        return self.summer_holiday or self.winter_holiday


def season_on(
    day: dt.date, settings: SeasonSettings, *, region: Region | None = None
) -> SeasonState:
    """The season state of ``day`` under the region's presets.

    Examples
    --------
    >>> s = season_on(dt.date(2026, 7, 20), SeasonSettings())
    >>> s.flood_season, s.critical_weeks, s.summer_holiday
    (True, True, True)
    >>> season_on(dt.date(2026, 5, 1), SeasonSettings(), region="north").flood_season
    False
    """
    r = region or settings.region
    return SeasonState(
        date=day,
        region=r,
        flood_season=_within(day, settings.flood_start[r], settings.flood_end[r]),
        main_flood_season=_within(day, settings.main_start[r], settings.main_end[r]),
        critical_weeks=_within(day, settings.critical_start, settings.critical_end),
        summer_holiday=_within(day, *settings.summer_holiday),
        winter_holiday=_within(day, *settings.winter_holiday),
        weekend=day.weekday() >= 5,
    )


def flood_season_start(
    year: int, settings: SeasonSettings, *, region: Region | None = None
) -> dt.date:
    """First day of the flood season of ``year`` in the region."""
    r = region or settings.region
    return _on(dt.date(year, 1, 1), settings.flood_start[r])
