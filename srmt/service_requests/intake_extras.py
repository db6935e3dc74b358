"""What a submission may carry besides the request itself: expedite details and the
caller's choice about repeats. services.intake.submit_request calls check() before it
writes and apply() after, in its transaction."""

from __future__ import annotations

from dataclasses import dataclass

from srmt.accounts.models import User
from srmt.cases.models import Case
from srmt.service_requests import expedite_intake, repeats
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.service_requests.submission import Submission


@dataclass(frozen=True)
class CheckedExtras:
    expedite: expedite_intake.CheckedExpedite | None
    repeat: repeats.RepeatPlan


def check(
    data: Submission,
    *,
    actor: User | None,
    request_type: ServiceRequestType,
    case: Case | None,
    receipt_number: str,
) -> CheckedExtras:
    """Refuse what does not fit (before anything is written). Without an account (the
    system recording an identified requester's request) there are no extras."""
    if actor is None:
        return CheckedExtras(expedite=None, repeat=repeats.RepeatPlan())
    expedite = expedite_intake.check_submission(data.expedite, request_type=request_type, case=case)
    plan = repeats.plan_for(
        data.repeat, actor=actor, request_type=request_type, receipt_number=receipt_number
    )
    return CheckedExtras(expedite=expedite, repeat=plan)


def apply(sr: ServiceRequest, extras: CheckedExtras, *, actor: User) -> None:
    if extras.expedite is not None:
        expedite_intake.record_submission(sr, extras.expedite, actor=actor)
    repeats.apply_plan(sr, extras.repeat, actor=actor)
