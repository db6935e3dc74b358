"""The clocks of a request: first response due and final response due.

Both clocks stop while the request awaits the customer and run again when it leaves that
status. Rule: on resume each running clock is pushed by the paused time in its own unit
(`sla.deadlines.extend_for_pause`): elapsed time for calendar days and hours; working time
of the office calendar for business days and business hours. A first-response clock that
was already met (a response went out) is not pushed. `paused_seconds` accumulates the
elapsed pause; the escalation ladder adds it to its own periods.
"""

from __future__ import annotations

import datetime as dt

from srmt.service_requests.choices import Status
from srmt.service_requests.models import ServiceRequest
from srmt.sla.choices import TargetUnit
from srmt.sla.deadlines import extend_for_pause
from srmt.sla.services import all_policies, calendar_for


def on_status_change(sr: ServiceRequest, *, old: str, new: str, at: dt.datetime) -> list[str]:
    """Pause or resume the clocks for a move `old` -> `new`; returns the fields changed.

    The caller saves those fields with the move (service_requests.services._move).
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


def _units(policy_id: int | None) -> tuple[TargetUnit, TargetUnit]:
    policy = next((p for p in all_policies() if p.pk == policy_id), None)
    if policy is None:
        return TargetUnit.CALENDAR_DAYS, TargetUnit.CALENDAR_DAYS
    return TargetUnit(policy.first_response_unit), TargetUnit(policy.final_response_unit)
