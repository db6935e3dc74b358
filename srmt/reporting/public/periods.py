"""Complete weeks and reporting months of the public reports (ADR 0049).

A week runs from Monday to Sunday (ISO 8601). A reporting month is made of the complete
weeks whose Thursday falls in that calendar month (the ISO rule for weeks that straddle two
months), so every month is four or five whole weeks and is exactly the sum of its weeks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

WEEK = dt.timedelta(days=7)
DAY = dt.timedelta(days=1)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def week_end(day: dt.date) -> dt.date:
    """The Sunday of the week holding `day`."""
    return week_start(day) + dt.timedelta(days=6)


def first_complete_week(first_day: dt.date) -> dt.date:
    """The Monday on or after `first_day`: data starting mid-week leaves that week out."""
    return first_day + dt.timedelta(days=(7 - first_day.weekday()) % 7)


def last_complete_week(before: dt.date) -> dt.date:
    """The last Sunday strictly before `before` (a day not yet over is never published)."""
    day = before - DAY
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def month_of_week(monday: dt.date) -> str:
    """The reporting month ("2026-11") of the week starting `monday`: its Thursday's month."""
    thursday = monday + dt.timedelta(days=3)
    return f"{thursday.year:04d}-{thursday.month:02d}"


def weeks(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """The Mondays of the complete weeks from `start` (a Monday) to `end` (a Sunday)."""
    monday = start
    while monday + dt.timedelta(days=6) <= end:
        yield monday
        monday += WEEK
