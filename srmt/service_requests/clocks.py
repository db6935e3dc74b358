"""The clocks of a request: first response due and final response due.

Both clocks stop while the request awaits the customer and run again when it leaves that
status. Rule: on resume each running clock is pushed by the paused time in its own unit
(`sla.deadlines.extend_for_pause`): elapsed time for calendar days and hours; working time
of the office calendar for business days and business hours. A first-response clock that
was already met (a response went out) is not pushed. `paused_seconds` accumulates the
elapsed pause; the escalation ladder adds it to its own periods.

`recompute` counts both due dates again when the policy changes (a new urgency): from the
clock's start, then pushed by every completed pause, both read from the StatusChange history
(a transfer's row records whether it restarted the clock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from srmt.offices.models import Office
from srmt.service_requests.choices import Status
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.sla.choices import TargetUnit
from srmt.sla.deadlines import CalendarSpec, extend_for_pause
from srmt.sla.services import all_policies, calendar_for, deadlines_for


def on_status_change(sr: ServiceRequest, *, old: str, new: str, at: dt.datetime) -> list[str]:
    """Pause or resume the clocks for a move `old` -> `new`; returns the fields changed.

    The caller saves those fields with the move (service_requests.core.move).
    """
    waiting = Status.AWAITING_CUSTOMER
    if new == waiting and old != waiting and sr.paused_at is None:
        sr.paused_at = at
        return ["paused_at"]
    if old == waiting and new != waiting and sr.paused_at is not None:
        return resume(sr, at=at)
    return []


def resume(sr: ServiceRequest, *, at: dt.datetime) -> list[str]:
    """Restart the paused clocks at `at`, pushing the due dates by the paused time."""
    paused_at = sr.paused_at
    if paused_at is None or at <= paused_at:
        sr.paused_at = None
        return ["paused_at"]
    calendar = calendar_for(sr.office_id, time_zone=sr.office.time_zone)
    first_unit, final_unit = _units(sr.deadline_policy_id)
    if sr.first_responded_at is None:
        sr.first_response_due_at = extend_for_pause(
            sr.first_response_due_at,
            paused_at=paused_at,
            resumed_at=at,
            unit=first_unit,
            calendar=calendar,
        )
    sr.due_at = extend_for_pause(
        sr.due_at, paused_at=paused_at, resumed_at=at, unit=final_unit, calendar=calendar
    )
    sr.paused_seconds += int((at - paused_at).total_seconds())
    sr.paused_at = None
    return ["paused_at", "paused_seconds", "first_response_due_at", "due_at"]


def recompute(sr: ServiceRequest) -> list[str]:
    """Count both due dates again under the request's type and urgency; returns the fields.

    The policy's targets run from the clock's start (creation, or the last transfer that
    restarted the clock) on the calendar of the office holding the request then; each
    completed pause since pushes them as `resume` did, on the calendar of the office at the
    resume. A pause still open stays open: its `resume` pushes the new dates. A met
    first-response clock keeps its due date. The caller saves the fields. Whether a transfer
    restarted the clock is what its StatusChange recorded (`restarted_clock`); only for
    transfers recorded before that was kept, the type's flag as it is now.
    """
    history = list(
        StatusChange.objects.filter(service_request=sr)
        .select_related("to_office")
        .order_by("created_at", "id")
    )
    since_start, started_at, office = _since_clock_start(sr, history)
    deadlines = deadlines_for(
        sr.type.code,
        sr.urgency,
        start=started_at,
        time_zone=office.time_zone,
        office_id=office.pk,
    )
    first_unit, final_unit = _units(deadlines.policy_id)
    pauses = [
        (paused_at, resumed_at, calendar_for(resumed_in.pk, time_zone=resumed_in.time_zone))
        for paused_at, resumed_at, resumed_in in _completed_pauses(since_start, office=sr.office)
    ]
    first_due = _pushed(deadlines.first_response_due_at, pauses, unit=first_unit)
    final_due = _pushed(deadlines.due_at, pauses, unit=final_unit)
    if sr.first_responded_at is None:
        sr.first_response_due_at = first_due
    sr.due_at = final_due
    sr.deadline_policy_id = deadlines.policy_id
    return ["first_response_due_at", "due_at", "deadline_policy"]


def _since_clock_start(
    sr: ServiceRequest, history: list[StatusChange]
) -> tuple[Sequence[StatusChange], dt.datetime, Office]:
    """The moves after the clock's start, that start, and the office holding it then."""
    for index in range(len(history) - 1, -1, -1):
        restart = history[index]
        if restart.to_status == Status.TRANSFERRED and _restarted_clock(restart, sr):
            return history[index + 1 :], restart.created_at, restart.to_office or sr.office
    # The creation row (no from_status) names the office the request was routed to.
    office = sr.office
    if history and not history[0].from_status and history[0].to_office is not None:
        office = history[0].to_office
    return history, sr.created_at, office


def _restarted_clock(transfer: StatusChange, sr: ServiceRequest) -> bool:
    """What the transfer recorded; for one recorded before that was kept, the type's flag."""
    if transfer.restarted_clock is None:
        return sr.type.restarts_clock_on_transfer
    return transfer.restarted_clock


def _completed_pauses(
    history: Sequence[StatusChange], *, office: Office
) -> Iterator[tuple[dt.datetime, dt.datetime, Office]]:
    """(paused at, resumed at, office at the resume) for each pause that has ended; the
    moves into and out of awaiting_customer follow `on_status_change`."""
    waiting = Status.AWAITING_CUSTOMER
    paused_at: dt.datetime | None = None
    for row in history:
        if row.to_status == waiting and row.from_status != waiting and paused_at is None:
            paused_at = row.created_at
        elif row.from_status == waiting and row.to_status != waiting and paused_at is not None:
            yield paused_at, row.created_at, row.to_office or office
            paused_at = None


def _pushed(
    due: dt.datetime,
    pauses: list[tuple[dt.datetime, dt.datetime, CalendarSpec]],
    *,
    unit: TargetUnit,
) -> dt.datetime:
    """`due` pushed by each pause in turn, as `resume` pushed it."""
    for paused_at, resumed_at, calendar in pauses:
        due = extend_for_pause(
            due, paused_at=paused_at, resumed_at=resumed_at, unit=unit, calendar=calendar
        )
    return due


def _units(policy_id: int | None) -> tuple[TargetUnit, TargetUnit]:
    policy = next((p for p in all_policies() if p.pk == policy_id), None)
    if policy is None:
        return TargetUnit.CALENDAR_DAYS, TargetUnit.CALENDAR_DAYS
    return TargetUnit(policy.first_response_unit), TargetUnit(policy.final_response_unit)
