"""Reads of deadline policies and the due dates they give."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from srmt.core.snapshots import snapshot
from srmt.sla.deadlines import add_target
from srmt.sla.models import DeadlinePolicy


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
    request_type: str, urgency: str, *, start: dt.datetime, time_zone: str
) -> Deadlines:
    # A policy takes effect on a date in the office's own calendar, not in UTC.
    local_day = start.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    policy = policy_for(request_type, urgency, on=local_day)
    return Deadlines(
        first_response_due_at=add_target(start, policy.first_response_target, time_zone=time_zone),
        due_at=add_target(start, policy.final_response_target, time_zone=time_zone),
        policy_id=policy.pk,
    )
