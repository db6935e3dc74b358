"""Deadline arithmetic: pure functions on aware datetimes, no database access.

Business days skip weekends and U.S. federal holidays (the `holidays` package) in the
office's own time zone, so a deadline lands on the same local time of a working day. An
office calendar (`CalendarSpec`) adds its own working days and hours and the closures its
staff entered; business hours are counted inside the working hours only.

A closure is a whole day, or part of a day (`PartialClosure`: closed from one local time to
another, e.g. 12:00-17:00 for a storm, or 08:00-10:00 to open late). Business hours skip the
closed part. A day whose working hours are all closed is not a business day; a business day
with part of it closed still counts, and a business-day deadline is then pushed by the
working time closed between its start and its due date, like a pause: a whole-day closure
costs a working day, a partial one the working hours it took.

Pauses (the clocks stop while a request awaits the customer): `extend_for_pause` pushes a
due date by the paused time measured in the clock's own unit: elapsed time for calendar
days and hours, working time of the office calendar for business days and business hours.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

import holidays

from srmt.sla.choices import BUSINESS_UNITS, TargetUnit

DEFAULT_WORK_START = dt.time(8, 0)
DEFAULT_WORK_END = dt.time(16, 30)
DEFAULT_WORKDAYS = frozenset({0, 1, 2, 3, 4})  # Monday to Friday (date.weekday())
# A walk through the calendar gives up after this many days (a calendar with no working day).
MAX_CALENDAR_WALK_DAYS = 3660


@dataclass(frozen=True)
class Target:
    value: int
    unit: TargetUnit


@dataclass(frozen=True)
class PartialClosure:
    """Part of one day an office is closed, from `start` to `end` in its local time."""

    day: dt.date
    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError("a partial closure must start before it ends")


@dataclass(frozen=True)
class CalendarSpec:
    """An office's business calendar: zone, working days and hours, holidays, closures
    (whole days in `closures`, parts of days in `partial_closures`)."""

    time_zone: str
    work_start: dt.time = DEFAULT_WORK_START
    work_end: dt.time = DEFAULT_WORK_END
    workdays: frozenset[int] = DEFAULT_WORKDAYS
    federal_holidays: bool = True
    closures: frozenset[dt.date] = field(default_factory=frozenset)
    partial_closures: frozenset[PartialClosure] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.work_start >= self.work_end:
            raise ValueError("work_start must be before work_end")


@functools.lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[dt.date]:
    # Federal holidays as observed (a Saturday holiday is observed on the Friday before).
    return frozenset(holidays.country_holidays("US", years=year).keys())


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


@functools.lru_cache(maxsize=64)
def _partial_closures_by_day(
    closures: frozenset[PartialClosure],
) -> dict[dt.date, list[PartialClosure]]:
    by_day: dict[dt.date, list[PartialClosure]] = {}
    for closure in closures:
        by_day.setdefault(closure.day, []).append(closure)
    return by_day


def is_business_day(day: dt.date, calendar: CalendarSpec | None = None) -> bool:
    """A working day, not a holiday nor closed; with a calendar, open for part of it at least."""
    if calendar is None:
        return day.weekday() < 5 and day not in _federal_holidays(day.year)
    return bool(open_hours(day, calendar))


def open_hours(day: dt.date, calendar: CalendarSpec) -> list[tuple[dt.time, dt.time]]:
    """The local hours the office is open on `day`: its working hours less any partial
    closure; none on a day off, a holiday or a whole-day closure."""
    if day.weekday() not in calendar.workdays or day in calendar.closures:
        return []
    if calendar.federal_holidays and day in _federal_holidays(day.year):
        return []
    hours = [(calendar.work_start, calendar.work_end)]
    for closure in _partial_closures_by_day(calendar.partial_closures).get(day, ()):
        hours = _without(hours, closure)
    return hours


def _without(
    hours: list[tuple[dt.time, dt.time]], closure: PartialClosure
) -> list[tuple[dt.time, dt.time]]:
    """`hours` less the closed part: what is left before it and after it."""
    left = []
    for opens, closes in hours:
        before, after = (opens, min(closes, closure.start)), (max(opens, closure.end), closes)
        left += [part for part in (before, after) if part[0] < part[1]]
    return left


def add_target(
    start: dt.datetime,
    target: Target,
    *,
    time_zone: str,
    calendar: CalendarSpec | None = None,
) -> dt.datetime:
    """Return the moment `target` after `start`, counted in `time_zone`.

    With a calendar, its time zone wins and business days follow its working days and
    closures (a partial closure pushes the due date by the working time it closed);
    business hours need working hours and use the default calendar without one.
    """
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if calendar is not None:
        time_zone = calendar.time_zone
    if target.unit == TargetUnit.HOURS:
        return (start + dt.timedelta(hours=target.value)).astimezone(dt.UTC)
    if target.unit == TargetUnit.BUSINESS_HOURS:
        spec = calendar or CalendarSpec(time_zone=time_zone)
        return add_working_time(start, dt.timedelta(hours=target.value), spec)
    tz = _zone(time_zone)
    local = start.astimezone(tz)
    if target.unit == TargetUnit.CALENDAR_DAYS:
        day = local.date() + dt.timedelta(days=target.value)
    else:
        day = _add_business_days(local.date(), target.value, calendar)
    # Same wall-clock time on the target day; fold=0 picks the first of an ambiguous hour.
    # Returned in UTC, like every stored datetime (audit rows serialise it as given).
    due = dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz).astimezone(dt.UTC)
    if target.unit == TargetUnit.BUSINESS_DAYS and calendar is not None:
        closed = partially_closed_time(start, due, calendar)
        return add_working_time(due, closed, calendar) if closed else due
    return due


def _add_business_days(day: dt.date, count: int, calendar: CalendarSpec | None) -> dt.date:
    remaining = count
    walked = 0
    while remaining > 0:
        day += dt.timedelta(days=1)
        walked += 1
        if walked > MAX_CALENDAR_WALK_DAYS:
            raise ValueError("the calendar has no working day")
        if is_business_day(day, calendar):
            remaining -= 1
    return day


def working_intervals(
    start: dt.datetime, calendar: CalendarSpec
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The calendar's working intervals (UTC) from `start` on, the first one clipped."""
    tz = _zone(calendar.time_zone)
    day = start.astimezone(tz).date()
    for _offset in range(MAX_CALENDAR_WALK_DAYS):
        for opens, closes in _utc_hours(day, open_hours(day, calendar), tz):
            if closes > start:
                yield max(opens, start), closes
        day += dt.timedelta(days=1)
    raise ValueError("the calendar has no working day")


def _utc_hours(
    day: dt.date, hours: list[tuple[dt.time, dt.time]], tz: zoneinfo.ZoneInfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    return [
        (
            dt.datetime.combine(day, opens, tzinfo=tz).astimezone(dt.UTC),
            dt.datetime.combine(day, closes, tzinfo=tz).astimezone(dt.UTC),
        )
        for opens, closes in hours
    ]


def partially_closed_time(
    start: dt.datetime, end: dt.datetime, calendar: CalendarSpec
) -> dt.timedelta:
    """Working time inside [start, end) lost to partial closures of business days (a day
    closed all its working hours is not a business day, and is not counted here)."""
    tz = _zone(calendar.time_zone)
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    closed = dt.timedelta(0)
    for day in _partial_closures_by_day(calendar.partial_closures):
        if not first <= day <= last or not is_business_day(day, calendar):
            continue
        working = [(calendar.work_start, calendar.work_end)]
        closed += _overlap(_utc_hours(day, working, tz), start, end)
        closed -= _overlap(_utc_hours(day, open_hours(day, calendar), tz), start, end)
    return closed


def _overlap(
    intervals: list[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> dt.timedelta:
    """How much of the intervals lies inside [start, end)."""
    total = dt.timedelta(0)
    for opens, closes in intervals:
        total += max(dt.timedelta(0), min(closes, end) - max(opens, start))
    return total


def add_working_time(
    start: dt.datetime, amount: dt.timedelta, calendar: CalendarSpec
) -> dt.datetime:
    """The moment `amount` of working time after `start` (outside hours counts from opening)."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    start = start.astimezone(dt.UTC)
    remaining = amount
    if remaining <= dt.timedelta(0):
        return start
    for opens, closes in working_intervals(start, calendar):
        if closes - opens >= remaining:
            return opens + remaining
        remaining -= closes - opens
    raise AssertionError("unreachable")  # pragma: no cover


def working_time_between(
    start: dt.datetime, end: dt.datetime, calendar: CalendarSpec
) -> dt.timedelta:
    """Working time of the calendar inside [start, end)."""
    total = dt.timedelta(0)
    if end <= start:
        return total
    for opens, closes in working_intervals(start.astimezone(dt.UTC), calendar):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total


def extend_for_pause(
    due: dt.datetime,
    *,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    unit: TargetUnit,
    calendar: CalendarSpec,
) -> dt.datetime:
    """Push `due` by the time a clock stood still between `paused_at` and `resumed_at`.

    Calendar days and hours are pushed by the elapsed pause; business days and business
    hours by the working time inside the pause, added along the calendar from `due`.
    """
    if resumed_at <= paused_at:
        return due
    if unit in BUSINESS_UNITS:
        worked = working_time_between(paused_at, resumed_at, calendar)
        return add_working_time(due, worked, calendar) if worked else due
    return (due + (resumed_at - paused_at)).astimezone(dt.UTC)
