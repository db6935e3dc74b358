"""What "My requests" shows a customer or representative (ADR 0044). Reads only.

Requests come from `service_requests.policies.visible_requests` (a customer's own, a
representative's on represented cases); responses only once actually sent (a response held
by the delivery gate or in review is not shown); internal notes never.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from srmt.accounts.models import User
from srmt.notifications.choices import DeliveryStatus
from srmt.offices.models import Office
from srmt.service_requests import policies
from srmt.service_requests.escalations import HEADQUARTERS_OFFICE, steps_in_force
from srmt.service_requests.models import EscalationTarget, Response, ServiceRequest

SHOWN_DELIVERY = (DeliveryStatus.SENT, DeliveryStatus.RECORDED)


def my_requests(account: User) -> QuerySet[ServiceRequest]:
    return (
        policies.visible_requests(account)
        .select_related("type", "office", "case", "case__office")
        .order_by("-created_at", "-id")
    )


def get_my_request(account: User, reference: str) -> ServiceRequest:
    """The request, or 404 for anything the account may not see."""
    return policies.get_request_for_user(account, reference)


def sent_responses(sr: ServiceRequest) -> QuerySet[Response]:
    """The responses that actually left: their message was sent (or staff recorded giving
    it); one held by the gate (review, release policy) or still queued is not shown."""
    return sr.responses.filter(notification__status__in=SHOWN_DELIVERY).order_by("created_at", "id")


@dataclass(frozen=True)
class NextStep:
    """What the customer may do next on the escalation ladder (domain §5)."""

    level: int  # 1: the office holding the case; 2: headquarters
    office: Office | None
    since: dt.date  # the day from which they may


def next_step(sr: ServiceRequest, *, today: dt.date) -> NextStep | None:
    """The highest step of the ladder the request has reached without an answer, or None
    (answered, closed, or too early)."""
    if sr.first_responded_at is not None or not sr.is_open:
        return None
    created = sr.created_at.date()
    reached: NextStep | None = None
    days = 0
    for step in steps_in_force(today):
        days += step.days_after_previous
        since = created + dt.timedelta(days=days)
        if today < since:
            break
        if step.target == EscalationTarget.HEADQUARTERS:
            office = Office.objects.filter(code=HEADQUARTERS_OFFICE).first()
        else:
            office = sr.case.office if sr.case_id and sr.case else sr.office
        reached = NextStep(level=step.order, office=office, since=since)
    return reached
