"""What a signed-in administrator may read in the admin's record views: the staff pages'
rules (service_requests.policies), applied to the outbox and the audit log as well.

8 U.S.C. 1367: an administrator is not cleared by being one (ADR 4). Whoever is not cleared
reads nothing about a protected case in any list, search, detail or export: not its people,
its requests, the messages about them, their escalations, nor the audit events that name
them. The rules are worked out when read, so a case protected after the fact is hidden at
once, with everything written about it before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Cast

from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case
from srmt.notifications.models import Notification
from srmt.service_requests import policies
from srmt.service_requests.models import Escalation, ServiceRequest


def _protected_references() -> QuerySet[ServiceRequest, Mapping[str, object]]:
    return ServiceRequest.objects.filter(case__is_protected=True).values("reference")


def visible_notifications(user: User) -> QuerySet[Notification]:
    """Messages about requests `user` may see, and staff messages not about one request; for
    whoever is not cleared, nothing marked confidential or about a protected request."""
    references = policies.visible_requests(user).values("reference")
    messages = Notification.objects.filter(
        Q(related_reference="") | Q(related_reference__in=references)
    )
    if not user.is_1367_cleared:
        messages = messages.exclude(is_confidential=True).exclude(
            related_reference__in=_protected_references()
        )
    return messages


def visible_escalations(user: User) -> QuerySet[Escalation]:
    return Escalation.objects.filter(service_request__in=policies.visible_requests(user))


def visible_audit_events(user: User) -> QuerySet[AuditEvent]:
    """The audit log as `user` may read it: events about requests, cases and messages they
    may not see are left out; events about anything else (configuration, users, sweeps,
    lists) are shown, lists with only the ids the user may see (listed_ids)."""
    requests = policies.visible_requests(user).values("reference")
    cases = policies.visible_cases(user).values("receipt_number")
    notifications = visible_notifications(user).annotate(key=Cast("pk", _text())).values("key")
    people = policies.visible_people(user).annotate(key=Cast("pk", _text())).values("key")
    hidden = (
        # Customer links name the linked person (ADR 27): shown only with the person.
        (Q(object_type="customer_link") & ~Q(object_id__in=people))
        # A person's page was viewed (the person view, ADR 29): shown only with the person.
        | (Q(object_type="person") & ~Q(object_id__in=people))
        | (Q(object_type="service_request") & ~Q(object_id="*") & ~Q(object_id__in=requests))
        | (Q(object_type="case") & ~Q(object_id__in=cases) & Q(object_id__in=_all_receipts()))
        | (Q(object_type="notification") & ~Q(object_id="*") & ~Q(object_id__in=notifications))
    )
    return AuditEvent.objects.exclude(hidden)


def _all_receipts() -> QuerySet[Case, Mapping[str, object]]:
    # A lookup of a receipt number with no case record names no case: it stays visible.
    return Case.objects.values("receipt_number")


def _text() -> Any:
    from django.db.models import CharField

    return CharField(max_length=64)


def listed_ids(user: User, event: AuditEvent) -> list[str]:
    """The ids of a list event (`*.listed`) that `user` may see; others are left out."""
    ids = [str(i) for i in (event.changes or {}).get("ids", [])]
    if not ids:
        return []
    return _visible_ids(user, event.object_type, ids)


def _visible_ids(user: User, object_type: str, ids: Iterable[str]) -> list[str]:
    wanted = list(ids)
    if object_type == "service_request":
        seen = set(
            policies.visible_requests(user)
            .filter(reference__in=wanted)
            .values_list("reference", flat=True)
        )
    elif object_type == "case":
        seen = set(
            policies.visible_cases(user)
            .filter(receipt_number__in=wanted)
            .values_list("receipt_number", flat=True)
        )
    else:
        return []
    return [i for i in wanted if i in seen]
