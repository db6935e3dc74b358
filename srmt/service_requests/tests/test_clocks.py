"""Clocks pause while a request awaits the customer and resume, pushed, after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from srmt.accounts.models import User
from srmt.offices.models import Office
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.sla.models import DeadlinePolicy, OfficeCalendar, OfficeClosure
from srmt.sla.services import calendar_for
from srmt.testing.factories import make_service_request

pytestmark = pytest.mark.django_db

# Monday 2 November 2026, 10:00 in New York (EST).
START = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _at(moment: dt.datetime, action: Any) -> Any:
    with time_machine.travel(moment, tick=False):
        return action()


def _move(sr: ServiceRequest, actor: User, to: str, moment: dt.datetime) -> ServiceRequest:
    return _at(moment, lambda: services.transition_request(sr, actor=actor, to=to, reason="r"))


def _new(officer: User, **kwargs: Any) -> ServiceRequest:
    return _at(START, lambda: make_service_request(actor=officer, **kwargs))


def test_awaiting_the_customer_pauses_both_clocks_and_resuming_pushes_them(
    officer: User,
) -> None:
    # given a general inquiry at ESC: 15 calendar days for both clocks
    sr = _new(officer)
    assert (sr.first_response_due_at, sr.due_at) == (START + 15 * DAY, START + 15 * DAY)
    # when it waits for the customer for 3 days and 2 hours
    sr = _move(sr, officer, "awaiting_customer", START + DAY)
    assert sr.paused_at == START + DAY
    sr = _move(sr, officer, "in_progress", START + 4 * DAY + dt.timedelta(hours=2))
    # then both clocks are pushed by the elapsed pause, and the pause is kept
    sr.refresh_from_db()
    pushed = START + 18 * DAY + dt.timedelta(hours=2)
    assert (sr.first_response_due_at, sr.due_at) == (pushed, pushed)
    assert (sr.paused_at, sr.paused_seconds) == (None, 3 * 86400 + 7200)


def test_moves_that_do_not_touch_awaiting_customer_leave_the_clocks_alone(
    officer: User,
) -> None:
    sr = _new(officer)
    sr = _move(sr, officer, "in_progress", START + DAY)
    sr = _move(sr, officer, "awaiting_office", START + 2 * DAY)
    sr = _move(sr, officer, "in_progress", START + 5 * DAY)
    sr.refresh_from_db()
    assert (sr.due_at, sr.paused_at, sr.paused_seconds) == (START + 15 * DAY, None, 0)


def test_a_met_first_response_clock_is_not_pushed(officer: User) -> None:
    # given a request answered once, then waiting for the customer for 2 days
    sr = _new(officer)
    _at(START + DAY, lambda: services.add_response(sr, actor=officer, kind="initial", body="Hi"))
    sr = _move(sr, officer, "awaiting_customer", START + 2 * DAY)
    # when it resumes
    sr = _move(sr, officer, "in_progress", START + 4 * DAY)
    # then only the final clock moves
    sr.refresh_from_db()
    assert (sr.first_response_due_at, sr.due_at) == (START + 15 * DAY, START + 17 * DAY)


def test_business_day_clocks_are_pushed_by_working_time_on_the_office_calendar(
    officer: User,
) -> None:
    # given a regular Tier 2 callback (7 and 30 business days) and a snow day at ESC
    esc = Office.objects.get(code="ESC")
    OfficeClosure.objects.create(
        office=esc, start_date=dt.date(2026, 11, 4), end_date=dt.date(2026, 11, 4), reason="Snow"
    )
    sr = _new(officer, type="tier2_callback")
    # 7 business days from Mon 2 Nov skip the snow day (Wed 4) and Veterans Day (Wed 11)
    assert sr.first_response_due_at == dt.datetime(2026, 11, 13, 15, 0, tzinfo=dt.UTC)
    # when it waits from Thursday 5 Nov 10:00 to Friday 6 Nov 12:00 EST (10.5 working hours)
    sr = _move(sr, officer, "awaiting_customer", dt.datetime(2026, 11, 5, 15, 0, tzinfo=dt.UTC))
    sr = _move(sr, officer, "in_progress", dt.datetime(2026, 11, 6, 17, 0, tzinfo=dt.UTC))
    # then the first clock moves by 10.5 working hours: 6.5 h on Fri 13 from 10:00, then 4 h
    # from Monday's opening: Mon 16 12:00 EST
    sr.refresh_from_db()
    assert sr.first_response_due_at == dt.datetime(2026, 11, 16, 17, 0, tzinfo=dt.UTC)


def test_closing_a_waiting_request_ends_the_pause(officer: User) -> None:
    sr = _new(officer)
    sr = _move(sr, officer, "awaiting_customer", START + DAY)
    sr = _move(sr, officer, "withdrawn", START + 2 * DAY)
    sr.refresh_from_db()
    assert (sr.status, sr.paused_at, sr.paused_seconds) == ("withdrawn", None, 86400)


def test_calendar_for_reads_the_office_row_the_default_row_and_closures(reference: None) -> None:
    # given a default calendar, one for NSC, and closures for every office and for NSC
    nsc = Office.objects.get(code="NSC")
    OfficeCalendar.objects.create(work_start=dt.time(9, 0), work_end=dt.time(17, 0))
    OfficeCalendar.objects.create(
        office=nsc, work_start=dt.time(7, 0), work_end=dt.time(15, 30), workdays="1234"
    )
    OfficeClosure.objects.create(
        start_date=dt.date(2026, 12, 24), end_date=dt.date(2026, 12, 24), reason="Everyone"
    )
    OfficeClosure.objects.create(
        office=nsc, start_date=dt.date(2026, 12, 28), end_date=dt.date(2026, 12, 29), reason="NSC"
    )
    # when
    nsc_calendar = calendar_for(nsc.pk, time_zone="America/Chicago")
    esc_calendar = calendar_for(Office.objects.get(code="ESC").pk, time_zone="America/New_York")
    # then
    assert (nsc_calendar.work_start, nsc_calendar.work_end) == (dt.time(7, 0), dt.time(15, 30))
    assert nsc_calendar.workdays == frozenset({0, 1, 2, 3})
    assert nsc_calendar.closures == {
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 28),
        dt.date(2026, 12, 29),
    }
    assert (esc_calendar.work_start, esc_calendar.work_end) == (dt.time(9, 0), dt.time(17, 0))
    assert esc_calendar.closures == {dt.date(2026, 12, 24)}
    assert esc_calendar.time_zone == "America/New_York"


def test_the_policy_units_come_from_the_request_policy(officer: User) -> None:
    # given an urgent Tier 2 callback: 72 hours, pushed by elapsed time over a weekend
    sr = _new(officer, type="tier2_callback", urgency="urgent")
    assert DeadlinePolicy.objects.get(pk=sr.deadline_policy_id).final_response_unit == "hours"
    sr = _move(sr, officer, "awaiting_customer", START + 4 * DAY)  # Friday
    sr = _move(sr, officer, "in_progress", START + 7 * DAY)  # Monday
    sr.refresh_from_db()
    assert sr.due_at == START + 6 * DAY


def test_there_is_one_default_calendar_and_one_per_office(reference: None) -> None:
    from django.db import IntegrityError, transaction

    esc = Office.objects.get(code="ESC")
    OfficeCalendar.objects.create()
    OfficeCalendar.objects.create(office=esc)
    for office in (None, esc):
        with pytest.raises(IntegrityError), transaction.atomic():
            OfficeCalendar.objects.create(office=office, work_start=dt.time(9, 0))
    assert OfficeCalendar.objects.count() == 2
