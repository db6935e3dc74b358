"""Reads for the staff pages. Every read of requests starts from policies.visible_requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import (
    ACT_SCOPE,
    CAPABILITIES,
    NATIONAL,
    OWN_OFFICES,
    VIEW_SCOPE,
    Capability,
)
from srmt.audit.models import AuditEvent
from srmt.cases.choices import Language
from srmt.cases.models import Case
from srmt.core.bilingual import in_language
from srmt.offices.models import Office
from srmt.reporting.dashboards import age_q
from srmt.service_requests import policies
from srmt.service_requests.choices import Channel, Status
from srmt.service_requests.models import (
    Escalation,
    InternalNote,
    Response,
    ServiceRequest,
    ServiceRequestQuerySet,
    StatusChange,
)
from srmt.sla.choices import DeadlineState

OPEN = "open"
ALL = "all"
ASSIGNED_TO_ME = "me"
UNASSIGNED = "unassigned"
SORT_DUE = "due"
SORT_CREATED = "created"
TOP_OFFICES = 20


# --- queues -------------------------------------------------------------------------------


def queue_offices(user: User) -> QuerySet[Office]:
    """Offices whose queue `user` may open: their own offices, or every office if national."""
    if not user.can(Capability.VIEW):
        return Office.objects.none()
    scope = VIEW_SCOPE[Role(user.role)]
    if scope == NATIONAL:
        return Office.objects.active()
    if scope == OWN_OFFICES:
        return Office.objects.active().filter(pk__in=user.office_ids())
    return Office.objects.none()


def default_queue_office(user: User) -> Office | None:
    """The user's first own office they may view, else the first office they may view."""
    offices = queue_offices(user)
    return offices.filter(pk__in=user.office_ids()).first() or offices.first()


@dataclass(frozen=True)
class QueueFilters:
    status: str = OPEN
    type_code: str = ""
    channel: str = ""
    overdue_only: bool = False
    at_risk_only: bool = False
    flagged_only: bool = False
    escalated_only: bool = False
    assigned: str = ""
    age: str = ""  # an age bucket of reporting.dashboards.AGE_BUCKETS
    sort: str = SORT_DUE  # a key of SORT_KEYS, "-" first for descending


def _yes_no_filters(
    qs: ServiceRequestQuerySet, filters: QueueFilters, *, now: dt.datetime
) -> ServiceRequestQuerySet:
    """The queue's yes/no filters: overdue, at risk (both read at `now`), flagged, escalated."""
    if filters.overdue_only:
        qs = qs.overdue(at=now)
    if filters.at_risk_only:
        qs = qs.in_deadline_state(DeadlineState.AT_RISK, at=now)
    if filters.flagged_only:
        qs = qs.filter(is_flagged=True)
    if filters.escalated_only:
        qs = qs.escalated()
    if filters.age:
        qs = qs.filter(age_q(filters.age, now=now))
    return qs


# --- queue columns and sorting (docs/adr/0031) ----------------------------------------------

# The queue's sortable columns, in the table's order; every other value is refused (the
# queue falls back to the due date). Each sorts by what the reader sees (labels in their
# language), then by id, so that equal values keep one order on every page.
SORT_KEYS = (
    "reference",
    "type",
    "status",
    "due",
    "channel",
    "language",
    "assignee",
    "office",
    "created",
)


def parse_sort(value: str) -> tuple[str, bool]:
    """(column key, descending) of a sort parameter such as "due" or "-created"; the due
    date, soonest first, for anything else."""
    descending = value.startswith("-")
    key = value[1:] if descending else value
    if key not in SORT_KEYS:
        return SORT_DUE, False
    return key, descending


def _labels(field: str, choices: list[tuple[str, Any]]) -> models.Case:
    """`field`'s value as the label the reader sees, for sorting."""
    return models.Case(
        *[models.When(**{field: value}, then=models.Value(str(label))) for value, label in choices],
        default=F(field),
        output_field=models.CharField(),
    )


def _sort_expressions(key: str) -> list[Any]:
    language = get_language() or "en"
    if key == "reference":
        return [F("reference")]
    if key == "type":
        return [F("type__name_es" if language.startswith("es") else "type__name_en")]
    if key == "status":
        return [_labels("status", Status.choices)]
    if key == "channel":
        return [_labels("channel", Channel.choices)]
    if key == "language":
        return [_labels("requester__language", Language.choices)]
    if key == "assignee":
        return [F("assignee__last_name"), F("assignee__first_name"), F("assignee__username")]
    if key == "office":
        return [F("office__code")]
    if key == "created":
        return [F("created_at")]
    return [F("due_at")]


def sort_queue(qs: ServiceRequestQuerySet, sort: str) -> ServiceRequestQuerySet:
    """Order by a whitelisted column in either direction, ties broken by id; requests
    without a value (no assignee) come last in both directions, on every database."""
    key, descending = parse_sort(sort)
    order = [
        e.desc(nulls_last=True) if descending else e.asc(nulls_last=True)
        for e in _sort_expressions(key)
    ]
    return qs.order_by(*order, "-id" if descending else "id")


def queue_requests(
    user: User, office: Office, filters: QueueFilters, *, now: dt.datetime
) -> ServiceRequestQuerySet:
    """The office's requests that `user` may see, filtered and sorted for the queue page.

    With "escalated only" the queue also lists the requests escalated to this office but
    held by another (the headquarters unit holds none: its queue is made of these)."""
    here = Q(office=office)
    if filters.escalated_only:
        here |= Q(Exists(Escalation.objects.filter(service_request=OuterRef("pk"), office=office)))
    qs = policies.visible_requests(user).filter(here).for_lists()
    if filters.status == OPEN:
        qs = qs.open()
    elif filters.status != ALL:
        qs = qs.filter(status=filters.status)
    if filters.type_code:
        qs = qs.filter(type__code=filters.type_code)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    qs = _yes_no_filters(qs, filters, now=now)
    if filters.assigned == ASSIGNED_TO_ME:
        qs = qs.filter(assignee=user)
    elif filters.assigned == UNASSIGNED:
        qs = qs.filter(assignee__isnull=True)
    return sort_queue(qs, filters.sort)


# --- one request --------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "response", "note" or "status"
    item: Response | InternalNote | StatusChange


def timeline(sr: ServiceRequest) -> list[TimelineEntry]:
    """Responses, internal notes and status changes of `sr`, oldest first (three queries)."""
    entries = [
        TimelineEntry(r.created_at, "response", r)
        for r in sr.responses.select_related("author", "notification")
    ]
    entries += [TimelineEntry(n.created_at, "note", n) for n in sr.notes.select_related("author")]
    entries += [
        TimelineEntry(c.created_at, "status", c)
        for c in sr.status_changes.select_related("actor", "from_office", "to_office")
    ]
    order = {"status": 0, "response": 1, "note": 2}
    return sorted(entries, key=lambda e: (e.at, order[e.kind], e.item.pk))


def audit_events(sr: ServiceRequest) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.for_object("service_request", sr.reference).order_by(
        "occurred_at", "id"
    )


def _act_roles(scope: str) -> list[str]:
    return [
        role.value
        for role, capabilities in CAPABILITIES.items()
        if Capability.RESPOND in capabilities and ACT_SCOPE[role] == scope
    ]


def assignable_staff(sr: ServiceRequest) -> QuerySet[User]:
    """Active staff who may work `sr`: national responders, or responders of its office."""
    staff = User.objects.filter(is_active=True).filter(
        Q(role__in=_act_roles(NATIONAL)) | Q(role__in=_act_roles(OWN_OFFICES), offices=sr.office_id)
    )
    if sr.case is not None and sr.case.is_protected:
        staff = staff.filter(is_1367_cleared=True)  # 8 U.S.C. 1367
    return staff.distinct().order_by("last_name", "first_name", "username")


def office_assignable_staff(office: Office) -> QuerySet[User]:
    """Active staff who may work requests at `office` (bulk assignment offers them; the
    service still checks each request, 8 U.S.C. 1367 included)."""
    staff = User.objects.filter(is_active=True).filter(
        Q(role__in=_act_roles(NATIONAL)) | Q(role__in=_act_roles(OWN_OFFICES), offices=office)
    )
    return staff.distinct().order_by("last_name", "first_name", "username")


# --- intake -------------------------------------------------------------------------------


def visible_case(user: User, receipt_number: str) -> Case | None:
    """The case's facts if `user` may read them (policies.visible_cases); None otherwise,
    exactly as for a receipt number without a case record."""
    return (
        policies.visible_cases(user)
        .select_related("form_type", "office")
        .filter(receipt_number=receipt_number)
        .first()
    )


def open_requests_on_case(user: User, receipt_number: str) -> ServiceRequestQuerySet:
    return (
        policies.visible_requests(user)
        .open()
        .filter(receipt_number=receipt_number)
        .select_related("type", "office")
        .order_by("created_at", "id")
    )


# --- statistics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Statistics:
    total: int
    open_overdue: int
    by_status: list[tuple[str, int]]
    by_office: list[tuple[str, str, int]]
    by_type: list[tuple[str, int]]


def statistics(user: User, *, now: dt.datetime) -> Statistics:
    """Counts only: no references, no names, nothing about one person.

    For whoever is not cleared for 8 U.S.C. 1367 cases, a confidential unit's requests are
    counted in its parent office (the VAWA/T/U unit in the Vermont Service Center): its own
    figure, small and followed over time, would tell how many protected cases ask for help.
    """
    rows = ServiceRequest.objects.values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    shown = _shown_office(fold_confidential=not user.is_1367_cleared)
    by_office = (
        ServiceRequest.objects.annotate(shown_code=shown["code"], shown_name=shown["name"])
        .values("shown_code", "shown_name")
        .annotate(n=Count("id"))
        .order_by("-n", "shown_code")[:TOP_OFFICES]
    )
    by_type = (
        ServiceRequest.objects.values("type__code", "type__name_en", "type__name_es")
        .annotate(n=Count("id"))
        .order_by("-n", "type__code")
    )
    return Statistics(
        total=sum(counts.values()),
        open_overdue=ServiceRequest.objects.overdue(at=now).count(),
        by_status=[(str(s.label), counts.get(s.value, 0)) for s in Status],
        by_office=[(r["shown_code"], r["shown_name"], r["n"]) for r in by_office],
        by_type=[(_type_name(r), r["n"]) for r in by_type],
    )


def _shown_office(*, fold_confidential: bool) -> dict[str, Any]:
    """The office a request is counted under: its own, or a confidential unit's parent."""
    if not fold_confidential:
        return {"code": F("office__code"), "name": F("office__name")}
    folded = Q(office__is_confidential=True)
    return {
        field: models.Case(
            models.When(folded, then=F(f"office__parent__{field}")),
            default=F(f"office__{field}"),
        )
        for field in ("code", "name")
    }


def _type_name(row: Mapping[str, Any]) -> str:
    return in_language(row["type__name_en"], row["type__name_es"], get_language())
