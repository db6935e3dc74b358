"""Office calendars: working days and hours, closures, time zones, DST, and paused clocks."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.sla.choices import TargetUnit
from srmt.sla.deadlines import (
    CalendarSpec,
    Target,
    add_target,
    add_working_time,
    extend_for_pause,
    is_business_day,
    working_time_between,
)

NY = "America/New_York"
LA = "America/Los_Angeles"
GUAM = "Pacific/Guam"
HONOLULU = "Pacific/Honolulu"
CAL = TargetUnit.CALENDAR_DAYS
BIZ = TargetUnit.BUSINESS_DAYS
HOURS = TargetUnit.HOURS
BIZ_HOURS = TargetUnit.BUSINESS_HOURS
H = dt.timedelta(hours=1)

NY_CAL = CalendarSpec(time_zone=NY)  # 08:00-16:30 Monday to Friday, federal holidays
LA_CAL = CalendarSpec(time_zone=LA)
GUAM_CAL = CalendarSpec(time_zone=GUAM)
# Closed for snow on Monday 2026-11-16 and Tuesday 2026-11-17.
SNOW = CalendarSpec(
    time_zone=NY, closures=frozenset({dt.date(2026, 11, 16), dt.date(2026, 11, 17)})
)
# Works Tuesday to Saturday, 07:00-15:00, and ignores federal holidays.
SHIFTED = CalendarSpec(
    time_zone=HONOLULU,
    work_start=dt.time(7, 0),
    work_end=dt.time(15, 0),
    workdays=frozenset({1, 2, 3, 4, 5}),
    federal_holidays=False,
)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("_case", "start", "target", "calendar", "expected"),
    [
        ("8 business hours from Monday 09:00 EST end Tuesday 08:30", utc(2026, 11, 2, 14, 0),
         Target(8, BIZ_HOURS), NY_CAL, utc(2026, 11, 3, 13, 30)),
        ("business hours from Friday afternoon skip the weekend", utc(2026, 11, 6, 20, 0),
         Target(2, BIZ_HOURS), NY_CAL, utc(2026, 11, 9, 13, 30)),  # Fri 15:00 -> Mon 08:30
        ("a request after hours starts counting at the next opening", utc(2026, 11, 3, 1, 0),
         Target(1, BIZ_HOURS), NY_CAL, utc(2026, 11, 3, 14, 0)),  # Mon 20:00 -> Tue 09:00
        ("business hours skip Thanksgiving", utc(2026, 11, 25, 21, 0),  # Wed 16:00 EST
         Target(1, BIZ_HOURS), NY_CAL, utc(2026, 11, 27, 13, 30)),  # Fri 08:30 EST
        ("business hours over DST end keep local opening hours", utc(2026, 10, 30, 20, 0),
         Target(1, BIZ_HOURS), NY_CAL, utc(2026, 11, 2, 13, 30)),  # Fri 16:00 EDT -> Mon 08:30 EST
        ("business hours over DST start", utc(2026, 3, 6, 21, 0),  # Fri 16:00 EST
         Target(1, BIZ_HOURS), NY_CAL, utc(2026, 3, 9, 12, 30)),  # Mon 08:30 EDT
        ("the same instant in Los Angeles is Friday 13:00 PST", utc(2026, 11, 6, 21, 0),
         Target(2, BIZ_HOURS), LA_CAL, utc(2026, 11, 6, 23, 0)),  # Fri 15:00 PST
        ("Guam is a day ahead: Saturday morning counts from Monday", utc(2026, 11, 6, 21, 0),
         Target(1, BIZ_HOURS), GUAM_CAL, utc(2026, 11, 8, 23, 0)),  # Mon 09:00 ChST
        ("business days skip an office closure", utc(2026, 11, 13, 15, 0),  # Fri 10:00 EST
         Target(1, BIZ), SNOW, utc(2026, 11, 18, 15, 0)),  # Wed
        ("calendar days ignore closures", utc(2026, 11, 13, 15, 0),
         Target(4, CAL), SNOW, utc(2026, 11, 17, 15, 0)),
        ("hours ignore the calendar", utc(2026, 11, 13, 15, 0),
         Target(72, HOURS), SNOW, utc(2026, 11, 16, 15, 0)),
        ("a Tuesday-Saturday office works Saturday, not Monday", utc(2026, 11, 6, 20, 0),
         Target(2, BIZ), SHIFTED, utc(2026, 11, 10, 20, 0)),  # Fri 10:00 HST -> Sat, Tue
        ("an office without federal holidays works Thanksgiving", utc(2026, 11, 25, 20, 0),
         Target(1, BIZ), SHIFTED, utc(2026, 11, 26, 20, 0)),
        ("its working hours are 07:00-15:00 Honolulu", utc(2026, 11, 26, 0, 30),  # Wed 14:30
         Target(1, BIZ_HOURS), SHIFTED, utc(2026, 11, 26, 17, 30)),  # Thu 07:30 HST
    ],
)  # fmt: skip
def test_add_target_on_an_office_calendar(
    _case: str, start: dt.datetime, target: Target, calendar: CalendarSpec, expected: dt.datetime
) -> None:
    due = add_target(start, target, time_zone="UTC", calendar=calendar)
    assert due == expected
    assert due.tzinfo is dt.UTC


def test_business_hours_without_a_calendar_use_the_default_hours_in_the_zone() -> None:
    due = add_target(utc(2026, 11, 2, 14, 0), Target(8, BIZ_HOURS), time_zone=NY)
    assert due == utc(2026, 11, 3, 13, 30)


@pytest.mark.parametrize(
    ("_case", "start", "end", "calendar", "expected"),
    [
        ("inside one working day", utc(2026, 11, 2, 14, 0), utc(2026, 11, 2, 16, 0), NY_CAL, 2 * H),
        ("overnight counts nothing", utc(2026, 11, 2, 22, 0), utc(2026, 11, 3, 12, 0), NY_CAL,
         0 * H),
        ("a full week is five working days", utc(2026, 11, 2, 5, 0), utc(2026, 11, 9, 5, 0),
         NY_CAL, 42.5 * H),
        ("Veterans Day is not worked", utc(2026, 11, 10, 5, 0), utc(2026, 11, 12, 5, 0), NY_CAL,
         8.5 * H),
        ("closure days are not worked", utc(2026, 11, 13, 5, 0), utc(2026, 11, 19, 5, 0), SNOW,
         17 * H),  # Fri 13 and Wed 18
        ("end before start", utc(2026, 11, 3, 0, 0), utc(2026, 11, 2, 0, 0), NY_CAL, 0 * H),
    ],
)  # fmt: skip
def test_working_time_between(
    _case: str, start: dt.datetime, end: dt.datetime, calendar: CalendarSpec, expected: dt.timedelta
) -> None:
    assert working_time_between(start, end, calendar) == expected


@pytest.mark.parametrize(
    ("_case", "due", "paused", "resumed", "unit", "calendar", "expected"),
    [
        ("calendar days: pushed by the elapsed pause",
         utc(2026, 11, 17, 15, 0), utc(2026, 11, 5, 15, 0), utc(2026, 11, 9, 15, 0), CAL, NY_CAL,
         utc(2026, 11, 21, 15, 0)),
        ("hours: pushed by the elapsed pause across DST end",
         utc(2026, 11, 3, 15, 0), utc(2026, 10, 31, 15, 0), utc(2026, 11, 1, 15, 0), HOURS,
         NY_CAL, utc(2026, 11, 4, 15, 0)),
        ("business days: a weekend pause pushes nothing",
         utc(2026, 11, 12, 15, 0), utc(2026, 11, 6, 22, 0), utc(2026, 11, 9, 13, 0), BIZ, NY_CAL,
         utc(2026, 11, 12, 15, 0)),
        ("business days: one working day paused is one working day later",
         utc(2026, 11, 12, 15, 0), utc(2026, 11, 3, 15, 0), utc(2026, 11, 4, 15, 0), BIZ, NY_CAL,
         utc(2026, 11, 13, 15, 0)),
        ("business days: the push skips Thanksgiving",
         utc(2026, 11, 25, 15, 0), utc(2026, 11, 3, 15, 0), utc(2026, 11, 4, 15, 0), BIZ, NY_CAL,
         utc(2026, 11, 27, 15, 0)),
        ("business hours: two working hours paused, across a closure",
         utc(2026, 11, 13, 20, 0), utc(2026, 11, 10, 14, 0), utc(2026, 11, 10, 16, 0), BIZ_HOURS,
         SNOW, utc(2026, 11, 18, 13, 30)),  # Fri 15:00 + 1.5 h, closed Mon-Tue, Wed 08:30
        ("resumed before paused pushes nothing",
         utc(2026, 11, 13, 20, 0), utc(2026, 11, 10, 16, 0), utc(2026, 11, 10, 14, 0), CAL,
         NY_CAL, utc(2026, 11, 13, 20, 0)),
    ],
)  # fmt: skip
def test_extend_for_pause(
    _case: str,
    due: dt.datetime,
    paused: dt.datetime,
    resumed: dt.datetime,
    unit: TargetUnit,
    calendar: CalendarSpec,
    expected: dt.datetime,
) -> None:
    extended = extend_for_pause(
        due, paused_at=paused, resumed_at=resumed, unit=unit, calendar=calendar
    )
    assert extended == expected


@pytest.mark.parametrize(
    ("day", "calendar", "expected"),
    [
        (dt.date(2026, 11, 16), SNOW, False),
        (dt.date(2026, 11, 16), NY_CAL, True),
        (dt.date(2026, 11, 14), SHIFTED, True),  # Saturday
        (dt.date(2026, 11, 16), SHIFTED, False),  # Monday
        (dt.date(2026, 11, 26), SHIFTED, True),  # Thanksgiving, no federal holidays
        (dt.date(2026, 11, 26), NY_CAL, False),
    ],
)
def test_is_business_day_on_a_calendar(
    day: dt.date, calendar: CalendarSpec, expected: bool
) -> None:
    assert is_business_day(day, calendar) is expected


def test_a_calendar_needs_opening_before_closing() -> None:
    with pytest.raises(ValueError, match="work_start must be before work_end"):
        CalendarSpec(time_zone=NY, work_start=dt.time(17, 0), work_end=dt.time(9, 0))


def test_a_calendar_without_working_days_is_refused() -> None:
    closed = CalendarSpec(time_zone=NY, workdays=frozenset())
    with pytest.raises(ValueError, match="the calendar has no working day"):
        add_working_time(utc(2026, 11, 2, 14, 0), H, closed)
    with pytest.raises(ValueError, match="the calendar has no working day"):
        add_target(utc(2026, 11, 2, 14, 0), Target(1, BIZ), time_zone=NY, calendar=closed)
