"""Clocks pause while a request awaits the customer and resume, pushed, after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from srmt.accounts.models import User
from srmt.offices.models import Office
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest, ServiceRequestType, StatusChange
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


# --- a new urgency counts the deadlines again, keeping pauses and a restarted clock ---------

TUE = START + DAY  # Tuesday 3 November 2026, 10:00 EST
THU = START + 3 * DAY  # Thursday 5 November 2026, 10:00 EST (2 working days after TUE)


def _update(sr: ServiceRequest, actor: User, urgency: str, moment: dt.datetime) -> ServiceRequest:
    changes = {"urgency": urgency}
    sr = _at(moment, lambda: services.update_request(sr, actor=actor, changes=changes))
    sr.refresh_from_db()
    return sr


@pytest.mark.parametrize(
    ("_case", "type_", "old", "new", "first_due", "due"),
    [
        # 72 hours from Monday 10:00 EST, plus the 48 elapsed hours paused: Saturday 10:00
        ("hours: pushed by the elapsed pause", "tier2_callback", "normal", "urgent",
         START + 5 * DAY, START + 5 * DAY),
        # 7 business days (skipping Veterans Day): Thu 12 Nov; 30: Wed 16 Dec, both 10:00
        # EST; then pushed by the 17 working hours paused (2 working days): Mon 16, Fri 18
        ("business days: pushed by the working time paused", "tier2_callback", "urgent",
         "normal", dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC),
         dt.datetime(2026, 12, 18, 15, 0, tzinfo=dt.UTC)),
        # 2 and 5 calendar days (the test's urgent inquiry policy), plus 2 elapsed days
        ("calendar days: pushed by the elapsed pause", "general_case_inquiry", "normal",
         "urgent", START + 4 * DAY, START + 7 * DAY),
    ],
)  # fmt: skip
def test_a_new_urgency_keeps_an_earlier_pause_in_the_new_unit(
    officer: User,
    _case: str,
    type_: str,
    old: str,
    new: str,
    first_due: dt.datetime,
    due: dt.datetime,
) -> None:
    # given a request that waited for the customer from Tuesday to Thursday 10:00 EST
    DeadlinePolicy.objects.create(
        request_type="general_case_inquiry",
        urgency="urgent",
        effective_from=dt.date(2000, 1, 1),
        first_response_value=2,
        first_response_unit="calendar_days",
        final_response_value=5,
        final_response_unit="calendar_days",
    )
    sr = _new(officer, type=type_, urgency=old)
    sr = _move(sr, officer, "awaiting_customer", TUE)
    sr = _move(sr, officer, "in_progress", THU)
    # when its urgency changes the next Monday
    sr = _update(sr, officer, new, START + 7 * DAY)
    # then the new targets run from creation, pushed by the pause in their own unit
    assert (sr.urgency, sr.first_response_due_at, sr.due_at) == (new, first_due, due)
    assert (sr.paused_at, sr.paused_seconds) == (None, 2 * 86400)
    assert DeadlinePolicy.objects.get(pk=sr.deadline_policy_id).urgency == new


def test_a_new_urgency_while_paused_stays_paused_and_the_resume_pushes_it(
    officer: User,
) -> None:
    # given a regular Tier 2 callback paused for 2 hours on Monday, then again from Tuesday
    sr = _new(officer, type="tier2_callback")
    sr = _move(sr, officer, "awaiting_customer", START + dt.timedelta(hours=1))
    sr = _move(sr, officer, "in_progress", START + dt.timedelta(hours=3))
    sr = _move(sr, officer, "awaiting_customer", TUE)
    # when it becomes urgent on Wednesday, still waiting for the customer
    sr = _update(sr, officer, "urgent", START + 2 * DAY)
    # then 72 hours from creation plus the 2 hours of the first pause; the second is open
    due = START + 3 * DAY + dt.timedelta(hours=2)
    assert (sr.first_response_due_at, sr.due_at, sr.paused_at) == (due, due, TUE)
    # and when the customer answers on Friday, the 3 days waited push the new dates
    sr = _move(sr, officer, "in_progress", START + 4 * DAY)
    sr.refresh_from_db()
    assert (sr.first_response_due_at, sr.due_at) == (due + 3 * DAY, due + 3 * DAY)
    assert (sr.paused_at, sr.paused_seconds) == (None, 2 * 3600 + 3 * 86400)


def test_a_new_urgency_counts_from_a_transfer_that_restarted_the_clock(
    supervisor: User,
) -> None:
    # given an urgent Tier 2 callback whose type restarts the clock on transfer, paused at
    # ESC, then transferred to CSC (Los Angeles) on Thursday 07:00 PST
    ServiceRequestType.objects.filter(code="tier2_callback").update(restarts_clock_on_transfer=True)
    sr = _new(supervisor, type="tier2_callback", urgency="urgent")
    sr = _move(sr, supervisor, "awaiting_customer", TUE)
    sr = _move(sr, supervisor, "in_progress", START + 2 * DAY)
    sr = _at(
        THU,
        lambda: services.transition_request(
            sr, actor=supervisor, to="transferred", reason="CSC holds the file", office_code="CSC"
        ),
    )
    # and waiting at CSC from Friday 07:00 to Monday 07:00 PST (Friday's 8.5 working hours)
    sr = _move(sr, supervisor, "awaiting_customer", THU + DAY)
    sr = _move(sr, supervisor, "in_progress", THU + 4 * DAY)
    # when it becomes a regular callback on Tuesday 10 November
    sr = _update(sr, supervisor, "normal", START + 8 * DAY)
    # then 7 and 30 business days from the transfer on CSC's calendar (Veterans Day, Thanks-
    # giving skipped): Tue 17 Nov and Mon 21 Dec 07:00 PST; pushed by 8.5 working hours,
    # counted from the 08:00 opening: 16:30 PST. The pause at ESC before the transfer is gone.
    assert (sr.first_response_due_at, sr.due_at) == (
        dt.datetime(2026, 11, 18, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 22, 0, 30, tzinfo=dt.UTC),
    )


def _restarts_on_transfer(restarts: bool) -> None:
    ServiceRequestType.objects.filter(code="general_case_inquiry").update(
        restarts_clock_on_transfer=restarts
    )


@pytest.mark.parametrize(
    ("_case", "restarted", "recorded", "flag_now", "counted_from"),
    [
        ("restarted; the type no longer restarts", True, True, False, THU),
        ("kept; the type restarts since", False, False, True, START),
        ("recorded before transfers said: the type's flag now", False, None, True, THU),
        ("recorded before transfers said: the type's flag now", True, None, False, START),
    ],
)
def test_a_new_urgency_counts_from_the_transfers_as_they_were_made(
    supervisor: User,
    _case: str,
    restarted: bool,
    recorded: bool | None,
    flag_now: bool,
    counted_from: dt.datetime,
) -> None:
    # given a general inquiry (urgent: 2 and 5 calendar days) transferred to CSC on Thursday
    # while its type did (or did not) restart the clock on transfer
    DeadlinePolicy.objects.create(
        request_type="general_case_inquiry",
        urgency="urgent",
        effective_from=dt.date(2000, 1, 1),
        first_response_value=2,
        first_response_unit="calendar_days",
        final_response_value=5,
        final_response_unit="calendar_days",
    )
    _restarts_on_transfer(restarted)
    sr = _new(supervisor)
    sr = _at(
        THU,
        lambda: services.transition_request(
            sr, actor=supervisor, to="transferred", reason="CSC holds the file", office_code="CSC"
        ),
    )
    # the transfer records what it did; other moves say nothing
    history = list(sr.status_changes.order_by("created_at", "id"))
    assert [(c.to_status, c.restarted_clock) for c in history] == [
        ("received", None),
        ("transferred", restarted),
    ]
    if recorded is None:  # a transfer written before the field existed
        StatusChange.objects.filter(pk=history[1].pk).update(restarted_clock=None)
    # when the type's flag changes, then the request becomes urgent the next Monday
    _restarts_on_transfer(flag_now)
    sr = _update(sr, supervisor, "urgent", START + 7 * DAY)
    # then its deadlines count from the clock's start as the transfer recorded it
    assert (sr.first_response_due_at, sr.due_at) == (counted_from + 2 * DAY, counted_from + 5 * DAY)


def test_a_new_urgency_keeps_a_met_first_response_due_date(officer: User) -> None:
    # given an urgent Tier 2 callback answered on Tuesday
    sr = _new(officer, type="tier2_callback", urgency="urgent")
    _at(TUE, lambda: services.add_response(sr, actor=officer, kind="initial", body="Hello"))
    # when it becomes a regular callback
    sr = _update(sr, officer, "normal", START + 2 * DAY)
    # then the met first-response clock keeps its date; the final one is 30 business days
    assert sr.first_responded_at == TUE
    assert (sr.first_response_due_at, sr.due_at) == (
        START + 3 * DAY,
        dt.datetime(2026, 12, 16, 15, 0, tzinfo=dt.UTC),
    )
