"""Demo-like data for the page tests: a worked request, an overdue one and an at-risk one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from srmt.accounts.models import User
from srmt.cases.models import Case
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import make_case, make_service_request


@dataclass(frozen=True)
class Demo:
    case: Case
    worked: ServiceRequest  # responded, with a note and an assignee
    overdue: ServiceRequest
    at_risk: ServiceRequest
    fresh: ServiceRequest


def set_deadline(sr: ServiceRequest, *, created_days_ago: float, due_in_days: float) -> None:
    """Move a request's clock for a test (the service always starts it now)."""
    now = timezone.now()
    ServiceRequest.objects.filter(pk=sr.pk).update(
        created_at=now - dt.timedelta(days=created_days_ago),
        due_at=now + dt.timedelta(days=due_in_days),
        first_response_due_at=now + dt.timedelta(days=due_in_days / 2),
    )
    sr.refresh_from_db()


def build_demo(*, intake: User, worker: User) -> Demo:
    """Requests at ESC: one worked through responses, notes and status changes."""
    case = make_case("EAC2190054321", form="I-130", office="ESC", status_text="Case Was Received")
    worked = make_service_request(
        actor=intake,
        receipt_number=case.receipt_number,
        type="outside_normal_processing_time",
        description="The customer filed in March and has heard nothing since.",
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language="es"),
    )
    services.assign_request(worked, actor=worker, assignee=worker)
    services.transition_request(worked, actor=worker, to="in_progress")
    services.add_note(worked, actor=intake, body="Caller was polite; prefers email.")
    services.add_response(
        worked, actor=worker, kind="initial", body="We are reviewing your case now."
    )
    overdue = make_service_request(
        actor=intake, receipt_number=make_case(office="ESC").receipt_number
    )
    set_deadline(overdue, created_days_ago=40, due_in_days=-2)
    at_risk = make_service_request(
        actor=intake,
        type="expedite_request",
        receipt_number=make_case(office="ESC").receipt_number,
        urgency="urgent",
    )
    set_deadline(at_risk, created_days_ago=9, due_in_days=1)
    fresh = make_service_request(
        actor=intake, receipt_number=make_case(office="ESC").receipt_number
    )
    worked.refresh_from_db()
    return Demo(case=case, worked=worked, overdue=overdue, at_risk=at_risk, fresh=fresh)
