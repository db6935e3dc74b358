"""Reads of deadline policies and the due dates they give."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from srmt.core.snapshots import snapshot
from srmt.sla.deadlines import DEFAULT_WORKDAYS, CalendarSpec, PartialClosure, add_target
from srmt.sla.models import DeadlinePolicy, OfficeCalendar, OfficeClosure


class NoDeadlinePolicy(LookupError):
    """No policy in force: configuration is incomplete (run `srmt seed`)."""


@dataclass(frozen=True)
class Deadlines:
    first_response_due_at: dt.datetime
    due_at: dt.datetime
    policy_id: int


def all_policies() -> list[DeadlinePolicy]:
    """Every deadline policy, from this process's snapshot (core.snapshots)."""
    return snapshot("deadline_policies", lambda: list(DeadlinePolicy.objects.all()))


def policy_for(request_type: str, urgency: str, *, on: dt.date) -> DeadlinePolicy:
    candidates = [
        p
        for p in all_policies()
        if p.request_type in (request_type, "")
        and p.urgency in (urgency, "")
        and p.effective_from <= on
        and (p.effective_until is None or p.effective_until > on)
    ]
    if not candidates:
        raise NoDeadlinePolicy(f"No deadline policy in force for {request_type} on {on}.")
    # Most specific first (type beats urgency beats default), then the newest.
    candidates.sort(
        key=lambda p: (p.request_type == "", p.urgency == "", -p.effective_from.toordinal())
    )
    return candidates[0]


def deadlines_for(
    request_type: str,
    urgency: str,
    *,
    start: dt.datetime,
    time_zone: str,
    office_id: int | None = None,
) -> Deadlines:
    """Due dates of a request; with `office_id`, counted on that office's calendar."""
    # A policy takes effect on a date in the office's own calendar, not in UTC.
    local_day = start.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    policy = policy_for(request_type, urgency, on=local_day)
    calendar = calendar_for(office_id, time_zone=time_zone) if office_id is not None else None
    return Deadlines(
        first_response_due_at=add_target(
            start, policy.first_response_target, time_zone=time_zone, calendar=calendar
        ),
        due_at=add_target(
            start, policy.final_response_target, time_zone=time_zone, calendar=calendar
        ),
        policy_id=policy.pk,
    )


@dataclass(frozen=True)
class _CalendarRows:
    calendars: dict[int | None, OfficeCalendar]
    closures: dict[int | None, frozenset[dt.date]]
    partial_closures: dict[int | None, frozenset[PartialClosure]]


def _load_calendars() -> _CalendarRows:
    calendars = {c.office_id: c for c in OfficeCalendar.objects.all()}
    days: dict[int | None, set[dt.date]] = {}
    parts: dict[int | None, set[PartialClosure]] = {}
    for closure in OfficeClosure.objects.all():
        if closure.start_time is None or closure.end_time is None:
            days.setdefault(closure.office_id, set()).update(closure.days())
            continue
        parts.setdefault(closure.office_id, set()).update(
            PartialClosure(day, closure.start_time, closure.end_time) for day in closure.days()
        )
    return _CalendarRows(
        calendars,
        {k: frozenset(v) for k, v in days.items()},
        {k: frozenset(v) for k, v in parts.items()},
    )


def calendar_for(office_id: int | None, *, time_zone: str) -> CalendarSpec:
    """The business calendar of an office in its time zone: its own working hours (or the
    default row's, or 08:00-16:30 Monday to Friday), federal holidays, and its closures, whole
    days and parts of days, together with the closures of every office."""
    rows = snapshot("office_calendars", _load_calendars)
    row = rows.calendars.get(office_id) or rows.calendars.get(None)
    closures = rows.closures.get(None, frozenset())
    partial = rows.partial_closures.get(None, frozenset())
    if office_id is not None:
        closures = closures | rows.closures.get(office_id, frozenset())
        partial = partial | rows.partial_closures.get(office_id, frozenset())
    if row is None:
        return CalendarSpec(
            time_zone=time_zone,
            workdays=DEFAULT_WORKDAYS,
            closures=closures,
            partial_closures=partial,
        )
    return CalendarSpec(
        time_zone=time_zone,
        work_start=row.work_start,
        work_end=row.work_end,
        workdays=row.weekday_numbers,
        federal_holidays=row.observes_federal_holidays,
        closures=closures,
        partial_closures=partial,
    )
