"""Office calendars: working days and hours, closures (whole and partial days), time zones,
DST, and paused clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin import site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from srmt.offices.models import Office
from srmt.sla.admin import OfficeClosureAdmin
from srmt.sla.choices import TargetUnit
from srmt.sla.deadlines import (
    CalendarSpec,
    PartialClosure,
    Target,
    add_target,
    add_working_time,
    extend_for_pause,
    is_business_day,
    open_hours,
    working_time_between,
)
from srmt.sla.models import OfficeClosure
from srmt.sla.services import calendar_for

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


# --- partial closures: business hours skip the closed part of a day -----------------------


def _closed(time_zone: str, *parts: tuple[dt.date, dt.time, dt.time]) -> CalendarSpec:
    """A Monday-Friday 08:00-16:30 calendar closed for parts of days (local times)."""
    return CalendarSpec(
        time_zone=time_zone, partial_closures=frozenset(PartialClosure(*part) for part in parts)
    )


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


# Wednesday 18 November 2026: closed from 12:00 to 17:00 in New York for a storm.
NY_STORM = _closed(NY, (dt.date(2026, 11, 18), t(12), t(17)))
# Opening at 10:00 the Monday after DST starts (9 March 2026) and after it ends (2 November).
NY_LATE_AFTER_DST = _closed(
    NY, (dt.date(2026, 3, 9), t(8), t(10)), (dt.date(2026, 11, 2), t(8), t(10))
)
# Closing at 12:00 the day before Thanksgiving (Wednesday 25 November 2026).
NY_EARLY_BEFORE_THANKSGIVING = _closed(NY, (dt.date(2026, 11, 25), t(12), t(17)))
# Thursday 12 November 2026: closed from 12:00 to 17:00 in Los Angeles.
LA_STORM = _closed(LA, (dt.date(2026, 11, 12), t(12), t(17)))
# Three closures on one day, two of them overlapping: open 09:00-11:00 and 13:00-16:30.
NY_CHOPPED = _closed(
    NY,
    (dt.date(2026, 11, 18), t(8), t(9)),
    (dt.date(2026, 11, 18), t(11), t(12, 30)),
    (dt.date(2026, 11, 18), t(12), t(13)),
)


@pytest.mark.parametrize(
    ("_case", "start", "hours", "calendar", "expected"),
    [
        ("the afternoon closed: the rest runs on the next morning", utc(2026, 11, 18, 16, 0),
         2, NY_STORM, utc(2026, 11, 19, 14, 0)),  # Wed 11:00-12:00, Thu 08:00-09:00 EST
        ("a request during the closure counts from the next opening", utc(2026, 11, 18, 18, 0),
         1, NY_STORM, utc(2026, 11, 19, 14, 0)),  # Wed 13:00 -> Thu 09:00 EST
        ("opening late after DST starts", utc(2026, 3, 6, 21, 0),  # Fri 16:00 EST
         1, NY_LATE_AFTER_DST, utc(2026, 3, 9, 14, 30)),  # Mon 10:00 + 0.5 h EDT
        ("opening late after DST ends", utc(2026, 10, 30, 20, 0),  # Fri 16:00 EDT
         1, NY_LATE_AFTER_DST, utc(2026, 11, 2, 15, 30)),  # Mon 10:00 + 0.5 h EST
        ("closing early, then Thanksgiving", utc(2026, 11, 25, 15, 0),  # Wed 10:00 EST
         4, NY_EARLY_BEFORE_THANKSGIVING, utc(2026, 11, 27, 15, 0)),  # Fri 10:00 EST
        ("closed from 12:00 Pacific in Los Angeles", utc(2026, 11, 12, 19, 0),  # Thu 11:00
         2, LA_STORM, utc(2026, 11, 13, 17, 0)),  # Fri 09:00 PST
        ("the same closure in New York hours: closed already at 14:00 EST",
         utc(2026, 11, 12, 19, 0), 2, _closed(NY, (dt.date(2026, 11, 12), t(12), t(17))),
         utc(2026, 11, 13, 15, 0)),  # Fri 08:00 + 2 h EST
        ("between closures on one day", utc(2026, 11, 18, 13, 0),  # Wed 08:00 EST
         3, NY_CHOPPED, utc(2026, 11, 18, 19, 0)),  # 09:00-11:00, 13:00-14:00 EST
    ],
)  # fmt: skip
def test_business_hours_skip_the_closed_part_of_a_day(
    _case: str, start: dt.datetime, hours: int, calendar: CalendarSpec, expected: dt.datetime
) -> None:
    due = add_target(start, Target(hours, BIZ_HOURS), time_zone="UTC", calendar=calendar)
    assert due == expected


@pytest.mark.parametrize(
    ("_case", "start", "end", "calendar", "expected"),
    [
        ("a morning-only day", utc(2026, 11, 18, 5, 0), utc(2026, 11, 19, 5, 0), NY_STORM,
         4 * H),
        ("overlapping closures are not counted twice", utc(2026, 11, 18, 5, 0),
         utc(2026, 11, 19, 5, 0), NY_CHOPPED, 5.5 * H),
        ("a closure in Pacific time", utc(2026, 11, 12, 8, 0), utc(2026, 11, 13, 8, 0),
         LA_STORM, 4 * H),
        ("a closure outside the working hours changes nothing", utc(2026, 11, 18, 5, 0),
         utc(2026, 11, 19, 5, 0), _closed(NY, (dt.date(2026, 11, 18), t(17), t(20))), 8.5 * H),
        ("a closure of all the working hours is a closed day", utc(2026, 11, 18, 5, 0),
         utc(2026, 11, 19, 5, 0), _closed(NY, (dt.date(2026, 11, 18), t(7), t(18))), 0 * H),
    ],
)  # fmt: skip
def test_working_time_between_skips_partial_closures(
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
        ("business hours: the push skips the closed afternoon",
         utc(2026, 11, 18, 16, 0), utc(2026, 11, 17, 14, 0), utc(2026, 11, 17, 16, 0),
         BIZ_HOURS, NY_STORM, utc(2026, 11, 19, 14, 0)),  # Wed 11:00 + 2 h: Thu 09:00 EST
        ("business days: a pause over the closed afternoon counts its open hour only",
         utc(2026, 11, 20, 15, 0), utc(2026, 11, 18, 16, 0), utc(2026, 11, 19, 13, 0), BIZ,
         NY_STORM, utc(2026, 11, 20, 16, 0)),  # paused Wed 11:00-Thu 08:00: Fri 11:00 EST
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
        (dt.date(2026, 11, 18), NY_STORM, True),  # open in the morning
        (dt.date(2026, 11, 18), _closed(NY, (dt.date(2026, 11, 18), t(7), t(18))), False),
        (dt.date(2026, 11, 18), _closed(NY, (dt.date(2026, 11, 18), t(8), t(16, 30))), False),
        (dt.date(2026, 11, 19), NY_STORM, True),  # the day after
    ],
)
def test_a_day_closed_all_its_working_hours_is_not_a_business_day(
    day: dt.date, calendar: CalendarSpec, expected: bool
) -> None:
    assert is_business_day(day, calendar) is expected
    assert bool(open_hours(day, calendar)) is expected


# --- OfficeClosure rows: times, the check constraint, calendar_for -------------------------


@pytest.mark.django_db
def test_calendar_for_reads_partial_closures_in_the_office_time_zone(reference: None) -> None:
    # given a closure of every office from 12:00 to 17:00 on Thursday 12 November, a
    # two-day late opening at CSC, and a whole-day closure of every office
    csc = Office.objects.get(code="CSC")
    OfficeClosure.objects.create(
        start_date=dt.date(2026, 11, 12),
        end_date=dt.date(2026, 11, 12),
        start_time=t(12),
        end_time=t(17),
        reason="Storm",
    )
    OfficeClosure.objects.create(
        office=csc,
        start_date=dt.date(2026, 11, 16),
        end_date=dt.date(2026, 11, 17),
        start_time=t(8),
        end_time=t(10),
        reason="Power work",
    )
    OfficeClosure.objects.create(
        start_date=dt.date(2026, 12, 24), end_date=dt.date(2026, 12, 24), reason="Everyone"
    )
    # when
    la = calendar_for(csc.pk, time_zone=LA)
    ny = calendar_for(Office.objects.get(code="ESC").pk, time_zone=NY)
    # then each closure is read per day, whole days apart
    assert la.partial_closures == {
        PartialClosure(dt.date(2026, 11, 12), t(12), t(17)),
        PartialClosure(dt.date(2026, 11, 16), t(8), t(10)),
        PartialClosure(dt.date(2026, 11, 17), t(8), t(10)),
    }
    assert ny.partial_closures == {PartialClosure(dt.date(2026, 11, 12), t(12), t(17))}
    assert (la.closures, ny.closures) == ({dt.date(2026, 12, 24)}, {dt.date(2026, 12, 24)})
    # and the same 12:00-17:00 closure falls at each office's own local hours
    start = utc(2026, 11, 12, 16, 0)  # Thu 08:00 PST, 11:00 EST
    assert working_time_between(start, utc(2026, 11, 13, 8, 0), la) == 4 * H  # 08:00-12:00
    assert working_time_between(start, utc(2026, 11, 13, 8, 0), ny) == 1 * H  # 11:00-12:00


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "start_time", "end_time"),
    [
        ("a start without an end", t(12), None),
        ("an end without a start", None, t(17)),
        ("a start after the end", t(17), t(12)),
        ("a start equal to the end", t(12), t(12)),
    ],
)
def test_the_database_refuses_closure_times_that_are_not_both_or_neither(
    reference: None, _case: str, start_time: dt.time | None, end_time: dt.time | None
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeClosure.objects.create(
            start_date=dt.date(2026, 11, 12),
            end_date=dt.date(2026, 11, 12),
            start_time=start_time,
            end_time=end_time,
            reason="Storm",
        )
    assert OfficeClosure.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start_time", "end_time", "shown"), [(None, None, "all day"), (t(12), t(17), "12:00-17:00")]
)
def test_the_admin_shows_the_hours_closed(
    start_time: dt.time | None, end_time: dt.time | None, shown: str
) -> None:
    closure = OfficeClosure(
        start_date=dt.date(2026, 11, 12),
        end_date=dt.date(2026, 11, 12),
        start_time=start_time,
        end_time=end_time,
        reason="Storm",
    )
    assert OfficeClosureAdmin(OfficeClosure, site).closed_hours(closure) == shown


@pytest.mark.django_db
def test_the_admin_form_explains_refused_closure_times() -> None:
    closure = OfficeClosure(
        start_date=dt.date(2026, 11, 12),
        end_date=dt.date(2026, 11, 12),
        start_time=t(17),
        end_time=t(12),
        reason="Storm",
    )
    with pytest.raises(ValidationError) as refused:
        closure.validate_constraints()
    assert refused.value.messages == [
        "Give both a start and an end time, the start before the end, or neither for a "
        "whole-day closure."
    ]
