"""Deadline arithmetic across weekends, federal holidays, office time zones and DST."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.sla.choices import TargetUnit
from srmt.sla.deadlines import (
    CalendarSpec,
    PartialClosure,
    Target,
    add_target,
    is_business_day,
    partially_closed_time,
)

UTC = dt.UTC
NY = "America/New_York"
LA = "America/Los_Angeles"
GUAM = "Pacific/Guam"
CAL = TargetUnit.CALENDAR_DAYS
BIZ = TargetUnit.BUSINESS_DAYS
HOURS = TargetUnit.HOURS


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("_case", "start", "target", "time_zone", "expected"),
    [
        (
            "15 calendar days keep the wall-clock time (EST, no DST change)",
            utc(2026, 11, 2, 15, 0),
            Target(15, CAL),
            NY,
            utc(2026, 11, 17, 15, 0),
        ),
        (
            "calendar days count weekends and holidays",
            utc(2026, 11, 25, 15, 0),
            Target(7, CAL),
            NY,
            utc(2026, 12, 2, 15, 0),
        ),
        (
            "1 calendar day over DST start keeps 12:00 local (23 h elapsed)",
            utc(2026, 3, 7, 17, 0),  # Sat 12:00 EST
            Target(1, CAL),
            NY,
            utc(2026, 3, 8, 16, 0),  # Sun 12:00 EDT
        ),
        (
            "1 calendar day over DST end keeps 12:00 local (25 h elapsed)",
            utc(2026, 10, 31, 16, 0),  # Sat 12:00 EDT
            Target(1, CAL),
            NY,
            utc(2026, 11, 1, 17, 0),  # Sun 12:00 EST
        ),
        (
            "calendar days count the local date, not the UTC date",
            utc(2026, 11, 3, 3, 0),  # Mon 2 Nov 22:00 EST
            Target(1, CAL),
            NY,
            utc(2026, 11, 4, 3, 0),  # Tue 3 Nov 22:00 EST
        ),
        (
            "24 hours across DST start are 24 elapsed hours (13:00 EDT)",
            utc(2026, 3, 7, 17, 0),
            Target(24, HOURS),
            NY,
            utc(2026, 3, 8, 17, 0),
        ),
        (
            "72 hours are exact elapsed hours whatever the zone",
            utc(2026, 11, 25, 15, 0),
            Target(72, HOURS),
            GUAM,
            utc(2026, 11, 28, 15, 0),
        ),
        (
            "business day from Friday skips the weekend",
            utc(2026, 11, 6, 15, 0),  # Fri 10:00 EST
            Target(1, BIZ),
            NY,
            utc(2026, 11, 9, 15, 0),  # Mon 10:00 EST
        ),
        (
            "business day from Saturday lands on Monday",
            utc(2026, 11, 7, 15, 0),
            Target(1, BIZ),
            NY,
            utc(2026, 11, 9, 15, 0),
        ),
        (
            "Thanksgiving 2026-11-26 is skipped",
            utc(2026, 11, 25, 15, 0),  # Wed 10:00 EST
            Target(1, BIZ),
            NY,
            utc(2026, 11, 27, 15, 0),  # Fri 10:00 EST
        ),
        (
            "Christmas (Fri 2026-12-25) and the weekend are skipped",
            utc(2026, 12, 24, 15, 0),  # Thu
            Target(1, BIZ),
            NY,
            utc(2026, 12, 28, 15, 0),  # Mon
        ),
        (
            "Independence Day on a Saturday is observed on Friday 2026-07-03",
            utc(2026, 7, 2, 13, 0),  # Thu 09:00 EDT
            Target(1, BIZ),
            NY,
            utc(2026, 7, 6, 13, 0),  # Mon 09:00 EDT
        ),
        (
            "New Year 2028 (Saturday) is observed on Friday 2027-12-31",
            utc(2027, 12, 30, 15, 0),  # Thu
            Target(1, BIZ),
            NY,
            utc(2028, 1, 3, 15, 0),  # Mon
        ),
        (
            "10 business days across Veterans Day and two weekends",
            utc(2026, 11, 10, 15, 0),  # Tue 10:00 EST
            Target(10, BIZ),
            NY,
            utc(2026, 11, 25, 15, 0),  # skips 11 (holiday), 14-15 and 21-22 Nov
        ),
        (
            "3 business days across Thanksgiving",
            utc(2026, 11, 24, 15, 0),  # Tue 10:00 EST
            Target(3, BIZ),
            NY,
            utc(2026, 11, 30, 15, 0),  # Wed 25, Fri 27, Mon 30
        ),
        (
            "business days over DST start keep the wall-clock time",
            utc(2026, 3, 6, 14, 0),  # Fri 09:00 EST
            Target(1, BIZ),
            NY,
            utc(2026, 3, 9, 13, 0),  # Mon 09:00 EDT
        ),
        (
            "the same UTC instant in Los Angeles is Wednesday noon",
            utc(2026, 11, 25, 20, 0),  # Wed 12:00 PST
            Target(1, BIZ),
            LA,
            utc(2026, 11, 27, 20, 0),  # Fri 12:00 PST
        ),
        (
            "the same UTC instant in Guam is already Thanksgiving morning",
            utc(2026, 11, 25, 20, 0),  # Thu 26 Nov 06:00 ChST
            Target(1, BIZ),
            GUAM,
            utc(2026, 11, 26, 20, 0),  # Fri 27 Nov 06:00 ChST
        ),
        (
            "New York at the same instant is Wednesday afternoon",
            utc(2026, 11, 25, 20, 0),  # Wed 15:00 EST
            Target(1, BIZ),
            NY,
            utc(2026, 11, 27, 20, 0),  # Fri 15:00 EST
        ),
        (
            "Guam has no DST: calendar days are exactly 24 h each",
            utc(2026, 3, 7, 17, 0),
            Target(2, CAL),
            GUAM,
            utc(2026, 3, 9, 17, 0),
        ),
        (
            "zero business days is the start itself",
            utc(2026, 11, 26, 15, 0),
            Target(0, BIZ),
            NY,
            utc(2026, 11, 26, 15, 0),
        ),
    ],
)
def test_add_target(
    _case: str, start: dt.datetime, target: Target, time_zone: str, expected: dt.datetime
) -> None:
    # when
    due = add_target(start, target, time_zone=time_zone)
    # then
    assert due == expected
    assert due.tzinfo is UTC


def test_a_non_existent_local_time_moves_forward_by_the_gap() -> None:
    # given 02:30 on 2026-03-07 (EST); 1 calendar day later 02:30 does not exist in New York
    start = utc(2026, 3, 7, 7, 30)
    # when
    due = add_target(start, Target(1, CAL), time_zone=NY)
    # then: read as 02:30 EST, that is 03:30 EDT
    assert due.astimezone(UTC) == utc(2026, 3, 8, 7, 30)


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="start must be an aware datetime"):
        add_target(dt.datetime(2026, 11, 2, 10, 0), Target(1, CAL), time_zone=NY)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 25), True),  # Wednesday
        (dt.date(2026, 11, 26), False),  # Thanksgiving
        (dt.date(2026, 11, 28), False),  # Saturday
        (dt.date(2026, 11, 29), False),  # Sunday
        (dt.date(2026, 12, 25), False),  # Christmas
        (dt.date(2026, 7, 3), False),  # Independence Day observed
        (dt.date(2026, 7, 4), False),  # Saturday (and the holiday itself)
        (dt.date(2027, 6, 18), False),  # Juneteenth observed
        (dt.date(2027, 12, 31), False),  # New Year 2028 observed
        (dt.date(2026, 2, 16), False),  # Washington's Birthday
        (dt.date(2026, 4, 3), True),  # Good Friday is not a federal holiday
    ],
)
def test_is_business_day(day: dt.date, expected: bool) -> None:
    assert is_business_day(day) is expected


# --- partial closures: business days skip the closed part of a day ------------------------


def _closed(time_zone: str, *parts: tuple[dt.date, int, int]) -> CalendarSpec:
    """A Monday-Friday 08:00-16:30 calendar closed from one local hour to another on days."""
    return CalendarSpec(
        time_zone=time_zone,
        partial_closures=frozenset(
            PartialClosure(day, dt.time(opens), dt.time(closes)) for day, opens, closes in parts
        ),
    )


# Wednesday 18 November 2026, closed from 12:00 to 17:00 in New York (4.5 working hours).
NY_STORM = _closed(NY, (dt.date(2026, 11, 18), 12, 17))
# Opens at 10:00 on Monday 9 March 2026, the day after DST starts.
NY_LATE_AFTER_DST = _closed(NY, (dt.date(2026, 3, 9), 8, 10))
# Closes at 12:00 on Wednesday 25 November 2026, the day before Thanksgiving.
NY_EARLY_BEFORE_THANKSGIVING = _closed(NY, (dt.date(2026, 11, 25), 12, 17))
# Thursday 12 November 2026, closed from 12:00 to 17:00 in Los Angeles.
LA_STORM = _closed(LA, (dt.date(2026, 11, 12), 12, 17))
# Closed for all the working hours of Monday 16 November 2026: not a business day.
NY_ALL_HOURS = _closed(NY, (dt.date(2026, 11, 16), 7, 18))


@pytest.mark.parametrize(
    ("_case", "start", "days", "calendar", "expected"),
    [
        ("a closure after the due time costs nothing", utc(2026, 11, 17, 14, 0),  # Tue 09:00
         1, NY_STORM, utc(2026, 11, 18, 14, 0)),  # Wed 09:00 EST, still open
        ("a due time inside the closure moves on by the hours closed before it",
         utc(2026, 11, 17, 19, 0), 1, NY_STORM,  # Tue 14:00 EST; Wed 12:00-14:00 lost
         utc(2026, 11, 19, 15, 0)),  # Wed closed after 12:00: Thu 08:00 + 2 h
        ("a closure inside the span pushes by its working hours", utc(2026, 11, 17, 15, 0),
         2, NY_STORM, utc(2026, 11, 19, 19, 30)),  # Thu 10:00 + 4.5 h: Thu 14:30 EST
        ("a day closed all its working hours is skipped whole", utc(2026, 11, 13, 15, 0),
         1, NY_ALL_HOURS, utc(2026, 11, 17, 15, 0)),  # Fri 10:00 -> Tue 10:00 EST
        ("opening late the Monday after DST starts", utc(2026, 3, 6, 14, 0),  # Fri 09:00 EST
         1, NY_LATE_AFTER_DST, utc(2026, 3, 9, 15, 0)),  # Mon 09:00 EDT + 1 h from 10:00
        ("closing early before Thanksgiving; the holiday is skipped",
         utc(2026, 11, 24, 19, 0), 2, NY_EARLY_BEFORE_THANKSGIVING,  # Tue 14:00 EST
         utc(2026, 11, 30, 15, 0)),  # Fri 27 14:00 + 4.5 h: Mon 30 10:00 EST
        ("in Los Angeles the closure is 12:00-17:00 Pacific", utc(2026, 11, 12, 18, 0),
         1, LA_STORM, utc(2026, 11, 13, 22, 30)),  # Thu 10:00 PST -> Fri 10:00 + 4.5 h
        ("the same closure in New York hours starts three hours earlier",
         utc(2026, 11, 12, 18, 0), 1, _closed(NY, (dt.date(2026, 11, 12), 12, 17)),
         utc(2026, 11, 13, 21, 30)),  # Thu 13:00 EST, 3.5 h closed after: Fri 16:30 EST
    ],
)  # fmt: skip
def test_business_days_skip_the_closed_part_of_a_day(
    _case: str, start: dt.datetime, days: int, calendar: CalendarSpec, expected: dt.datetime
) -> None:
    due = add_target(start, Target(days, BIZ), time_zone="UTC", calendar=calendar)
    assert due == expected
    assert due.tzinfo is UTC


@pytest.mark.parametrize(
    ("_case", "start", "end", "calendar", "expected"),
    [
        ("a morning-only day", utc(2026, 11, 18, 5, 0), utc(2026, 11, 19, 5, 0), NY_STORM,
         dt.timedelta(hours=4, minutes=30)),
        ("a span inside the open morning", utc(2026, 11, 18, 14, 0), utc(2026, 11, 18, 16, 0),
         NY_STORM, dt.timedelta(0)),
        ("a day closed all its working hours is a business day skipped, not closed time",
         utc(2026, 11, 16, 5, 0), utc(2026, 11, 17, 5, 0), NY_ALL_HOURS, dt.timedelta(0)),
        ("a closure on Thanksgiving itself adds nothing", utc(2026, 11, 26, 5, 0),
         utc(2026, 11, 27, 5, 0), _closed(NY, (dt.date(2026, 11, 26), 12, 17)),
         dt.timedelta(0)),
    ],
)  # fmt: skip
def test_partially_closed_time(
    _case: str, start: dt.datetime, end: dt.datetime, calendar: CalendarSpec, expected: dt.timedelta
) -> None:
    assert partially_closed_time(start, end, calendar) == expected


def test_a_partial_closure_must_start_before_it_ends() -> None:
    with pytest.raises(ValueError, match="a partial closure must start before it ends"):
        PartialClosure(dt.date(2026, 11, 18), dt.time(17, 0), dt.time(12, 0))
