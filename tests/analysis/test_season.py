from __future__ import annotations

import datetime as dt

from analysis.season import flood_season_start, season_on
from geo.settings import SeasonSettings


def test_south_and_north_presets() -> None:
    s = SeasonSettings()
    assert season_on(dt.date(2026, 4, 1), s).flood_season  # south starts in April
    assert not season_on(dt.date(2026, 4, 1), s, region="north").flood_season
    assert season_on(dt.date(2026, 9, 30), s, region="north").flood_season
    assert not season_on(dt.date(2026, 10, 1), s, region="north").flood_season
    assert season_on(dt.date(2026, 6, 15), s).main_flood_season
    assert not season_on(dt.date(2026, 6, 15), s, region="north").main_flood_season


def test_critical_weeks_and_holidays() -> None:
    s = SeasonSettings()
    assert season_on(dt.date(2026, 7, 16), s).critical_weeks
    assert season_on(dt.date(2026, 8, 15), s).critical_weeks
    assert not season_on(dt.date(2026, 8, 16), s).critical_weeks
    july = season_on(dt.date(2026, 7, 18), s)  # a Saturday
    assert july.summer_holiday and july.school_holiday and july.weekend
    assert season_on(dt.date(2026, 2, 1), s).winter_holiday


def test_wrapping_window_over_new_year() -> None:
    s = SeasonSettings(winter_holiday=("12-25", "02-10"))
    assert season_on(dt.date(2026, 12, 31), s).winter_holiday
    assert season_on(dt.date(2027, 1, 5), s).winter_holiday
    assert not season_on(dt.date(2026, 3, 1), s).winter_holiday


def test_flood_season_start() -> None:
    assert flood_season_start(2027, SeasonSettings()) == dt.date(2027, 4, 1)
    assert flood_season_start(2027, SeasonSettings(), region="north") == dt.date(2027, 6, 1)
