"""Day features for the baseline: weekday, federal holiday, catch-up day, trend, season.

A federal holiday is a U.S. federal holiday as observed (the `holidays` package, as
`srmt.sla.deadlines` uses it). The catch-up day is the first weekday after a holiday that is
not itself a holiday: work not done on the holiday arrives then.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

import holidays
import numpy as np
import numpy.typing as npt

# Column order of `features`: intercept, Tue..Sun (Monday is the reference), holiday,
# catch-up, trend (years), yearly harmonics (sin, cos, sin 2x, cos 2x).
WEEKDAY_COLUMNS = 6
HOLIDAY = 7
CATCH_UP = 8
TREND = 9
YEARLY = (10, 11, 12, 13)
COLUMNS = 14


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("US", years=year).keys())


def is_holiday(day: dt.date) -> bool:
    return day in federal_holidays(day.year)


def is_catch_up(day: dt.date) -> bool:
    """The first weekday after a federal holiday (Tuesday after a Monday holiday, Monday
    after a Friday one)."""
    if day.weekday() >= 5 or is_holiday(day):
        return False
    previous = day - dt.timedelta(days=1)
    while previous.weekday() >= 5:
        previous -= dt.timedelta(days=1)
    return is_holiday(previous)


def features(start: dt.date, days: int) -> npt.NDArray[np.float64]:
    """The design rows of `days` consecutive days from `start` (trend in years since start)."""
    x = np.zeros((days, COLUMNS))
    x[:, 0] = 1.0
    for i in range(days):
        day = start + dt.timedelta(days=i)
        weekday = day.weekday()
        if weekday:
            x[i, weekday] = 1.0
        x[i, HOLIDAY] = float(is_holiday(day))
        x[i, CATCH_UP] = float(is_catch_up(day))
        x[i, TREND] = i / 365.25
        angle = 2 * math.pi * day.timetuple().tm_yday / 365.25
        x[i, YEARLY[0]] = math.sin(angle)
        x[i, YEARLY[1]] = math.cos(angle)
        x[i, YEARLY[2]] = math.sin(2 * angle)
        x[i, YEARLY[3]] = math.cos(2 * angle)
    return x
