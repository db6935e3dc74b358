"""Deadline arithmetic: pure functions on aware datetimes, no database access.

Business days skip weekends and U.S. federal holidays (the `holidays` package) in the
office's own time zone, so a deadline lands on the same local time of a working day.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

import holidays

from srmt.sla.choices import TargetUnit


@dataclass(frozen=True)
class Target:
    value: int
    unit: TargetUnit


@functools.lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[dt.date]:
    # Federal holidays as observed (a Saturday holiday is observed on the Friday before).
    return frozenset(holidays.country_holidays("US", years=year).keys())


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def add_target(start: dt.datetime, target: Target, *, time_zone: str) -> dt.datetime:
    """Return the moment `target` after `start`, counted in `time_zone`."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if target.unit == TargetUnit.HOURS:
        return (start + dt.timedelta(hours=target.value)).astimezone(dt.UTC)
    tz = zoneinfo.ZoneInfo(time_zone)
    local = start.astimezone(tz)
    if target.unit == TargetUnit.CALENDAR_DAYS:
        day = local.date() + dt.timedelta(days=target.value)
    else:
        day = local.date()
        remaining = target.value
        while remaining > 0:
            day += dt.timedelta(days=1)
            if is_business_day(day):
                remaining -= 1
    # Same wall-clock time on the target day; fold=0 picks the first of an ambiguous hour.
    # Returned in UTC, like every stored datetime (audit rows serialise it as given).
    return dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz).astimezone(dt.UTC)


def is_at_risk(
    *, created_at: dt.datetime, due_at: dt.datetime, at: dt.datetime, share: float
) -> bool:
    """True once `share` of the time between creation and the due date has passed."""
    if at >= due_at:
        return False
    return at >= created_at + (due_at - created_at) * share
