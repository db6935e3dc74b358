"""Read-side selectors for service requests: filtered lists and detail loading.

Used by the REST API and the staff pages. Functions take a queryset (already restricted by
policies.visible_requests) and return a narrower one; they never check access themselves.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from srmt.service_requests.deadline_states import overdue_q
from srmt.service_requests.models import (
    Escalation,
    InternalNote,
    Response,
    ServiceRequest,
    ServiceRequestQuerySet,
    StatusChange,
)


def filter_requests(
    qs: ServiceRequestQuerySet,
    *,
    status: str | None = None,
    type: str | None = None,
    office: str | None = None,
    channel: str | None = None,
    receipt_number: str | None = None,
    overdue: bool | None = None,
    created_after: dt.datetime | None = None,
    created_before: dt.datetime | None = None,
    repeat_count_min: int | None = None,
    deadline_state: str | None = None,
    escalation_level_min: int | None = None,
    at: dt.datetime | None = None,
) -> ServiceRequestQuerySet:
    """Narrow `qs` by the given criteria; None means "any".

    `receipt_number` must already be normalised. `overdue` and `deadline_state` are read at
    `at` (default: now; see deadline_states). `created_after` is inclusive, `created_before`
    exclusive.
    """
    exact = {
        "status": status,
        "type__code": type,
        "office__code": office,
        "channel": channel,
        "receipt_number": receipt_number,
    }
    qs = qs.filter(**{key: value for key, value in exact.items() if value is not None})
    now = at or timezone.now()
    if overdue is not None:
        # NOT (open AND past due) is every other row, closed ones included.
        qs = qs.filter(overdue_q(now)) if overdue else qs.exclude(overdue_q(now))
    if created_after is not None:
        qs = qs.filter(created_at__gte=created_after)
    if created_before is not None:
        qs = qs.filter(created_at__lt=created_before)
    if repeat_count_min is not None:
        qs = qs.filter(repeat_count__gte=repeat_count_min)
    if deadline_state is not None:
        qs = qs.in_deadline_state(deadline_state, at=now)
    if escalation_level_min is not None:
        qs = qs.escalated(level_min=escalation_level_min)
    return qs


def for_display(qs: ServiceRequestQuerySet) -> ServiceRequestQuerySet:
    """Everything a request's list row shows, in the same query (no N+1)."""
    return qs.for_lists()


def load_detail(sr: ServiceRequest) -> ServiceRequest:
    """Load what a request's detail shows onto `sr`, in a fixed number of queries.

    Relations already loaded (by for_lists() or by the service that returned `sr`) are not
    fetched again.
    """
    prefetch_related_objects(
        [sr],
        "type",
        "office",
        "assignee",
        "requester",
        "duplicate_of",
        "case__form_type",
        "case__office",
        Prefetch(
            "responses",
            queryset=Response.objects.select_related(
                "author", "notification", "review__rule", "review__decided_by"
            ).order_by("created_at", "id"),
        ),
        Prefetch(
            "notes",
            queryset=InternalNote.objects.select_related("author").order_by("created_at", "id"),
        ),
        Prefetch(
            "status_changes",
            queryset=StatusChange.objects.select_related(
                "actor", "from_office", "to_office"
            ).order_by("created_at", "id"),
        ),
        Prefetch(
            "escalations",
            queryset=Escalation.objects.select_related("step", "office").order_by("level"),
        ),
    )
    return sr


def request_by_pk(pk: int) -> ServiceRequest:
    """The request with its list-row relations loaded (e.g. to show a replayed submission)."""
    return ServiceRequest.objects.for_lists().get(pk=pk)


def responses_of(sr: ServiceRequest) -> QuerySet[Response]:
    """The responses sent on `sr` (a request the caller may see), oldest first."""
    return (
        Response.objects.filter(service_request=sr)
        .select_related("author", "notification", "review__rule", "review__decided_by")
        .order_by("created_at", "id")
    )


def notes_of(sr: ServiceRequest) -> QuerySet[InternalNote]:
    """The internal notes on `sr` (a request the caller may see), oldest first."""
    return (
        InternalNote.objects.filter(service_request=sr)
        .select_related("author")
        .order_by("created_at", "id")
    )
