"""Reads of the home page per role and of the staff notifications (docs/adr/0031).

Every list starts from policies.visible_requests, so 8 U.S.C. 1367 and the role's scope
apply as on the queues; notifications are shown only while their request is visible to the
reader (a notification written before a clearance was withdrawn is not shown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.offices.labels import office_label, shared_names
from srmt.offices.models import Office
from srmt.service_requests import policies
from srmt.service_requests.models import ServiceRequest, ServiceRequestQuerySet
from srmt.service_requests.services import reviews as review_flow
from srmt.sla.choices import DeadlineState
from srmt.staff import selectors
from srmt.workspace.choices import StaffNotificationKind
from srmt.workspace.models import StaffNotification

SECTION_ROWS = 10
RECENT_DAYS = 7
RETURNED_DAYS = 30
# What counts as a change by someone else (views and lists are not changes).
CHANGES = (
    AuditAction.SERVICE_REQUEST_RESPONDED,
    AuditAction.SERVICE_REQUEST_NOTED,
    AuditAction.SERVICE_REQUEST_TRANSITIONED,
    AuditAction.SERVICE_REQUEST_ASSIGNED,
    AuditAction.SERVICE_REQUEST_UPDATED,
    AuditAction.SERVICE_REQUEST_REDIRECTED,
    AuditAction.SERVICE_REQUEST_ATTACHMENT_ADDED,
    AuditAction.EXPEDITE_DECIDED,
)


@dataclass
class Section:
    key: str
    title: str
    rows: list[ServiceRequest]
    count: int
    empty: str
    link: str = ""  # the full list, when a queue shows it
    show_level: bool = False
    # (request, overdue, at risk) for each row, as the page shows them (with_states)
    table: list[tuple[ServiceRequest, bool, bool]] = field(default_factory=list)

    def with_states(self, now: dt.datetime) -> Section:
        self.table = [(sr, sr.is_overdue(now), sr.is_at_risk(now)) for sr in self.rows]
        return self


@dataclass
class Home:
    kind: str  # "worker", "supervisor", "office", "viewer"
    sections: list[Section] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        seen: dict[str, ServiceRequest] = {}
        for section in self.sections:
            for sr in section.rows:
                seen.setdefault(sr.reference, sr)
        return list(seen)

    @property
    def confidential_references(self) -> list[str]:
        return [sr.reference for s in self.sections for sr in s.rows if sr.is_confidential]


def home_kind(user: User) -> str:
    """Which home page: supervisors (and administrators) see the review and escalation
    queues, office staff their office's queue, workers (Tier 2) their work, others the
    requests they recorded."""
    role = Role(user.role)
    if role in {Role.SUPERVISOR, Role.ADMINISTRATOR}:
        return "supervisor"
    if role == Role.OFFICE_STAFF:
        return "office"
    if user.can(Capability.RESPOND):
        return "worker"
    return "viewer"


def _section(
    key: str, title: str, qs: ServiceRequestQuerySet, empty: str, **extra: object
) -> Section:
    rows = list(qs[:SECTION_ROWS])
    count = len(rows) if len(rows) < SECTION_ROWS else qs.count()
    return Section(
        key=key,
        title=str(title),
        rows=rows,
        count=count,
        empty=str(empty),
        link=str(extra.get("link", "")),
        show_level=bool(extra.get("show_level", False)),
    )


def _urgency_first(qs: ServiceRequestQuerySet, now: dt.datetime) -> ServiceRequestQuerySet:
    """Overdue first, then at risk, then the rest; each by due date."""
    overdue = qs.overdue(at=now).values("pk")
    at_risk = qs.in_deadline_state(DeadlineState.AT_RISK, at=now).values("pk")
    return qs.annotate(
        urgency_rank=Case(
            When(pk__in=overdue, then=Value(0)),
            When(pk__in=at_risk, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("urgency_rank", "due_at", "id")


def my_work(user: User, *, now: dt.datetime) -> list[Section]:
    visible = policies.visible_requests(user).for_lists()
    mine = visible.open().filter(assignee=user)
    due_soon = _urgency_first(
        mine.filter(
            Q(pk__in=mine.overdue(at=now).values("pk"))
            | Q(pk__in=mine.in_deadline_state(DeadlineState.AT_RISK, at=now).values("pk"))
        ),
        now,
    )
    return [
        _section(
            "assigned",
            _("Assigned to me"),
            _urgency_first(mine, now),
            _("Nothing is assigned to you."),
        ),
        _section(
            "due-soon",
            _("Due soon: overdue or at risk"),
            due_soon,
            _("None of your requests is overdue or at risk."),
        ),
        _section(
            "returned",
            _("Returned to me"),
            returned_to(user, now=now),
            _("Nothing was handed back to you in the last 30 days."),
        ),
        _section(
            "changed",
            _("Recently changed by others"),
            changed_by_others(user, now=now),
            _("Nobody else changed your requests in the last 7 days."),
        ),
    ]


def returned_to(user: User, *, now: dt.datetime) -> ServiceRequestQuerySet:
    """Open requests handed back to `user` in the last 30 days (reassigned or transferred
    back to them), and those whose response a supervisor returned to them and that wait for
    their revision (supervisory review, ADR 35, however long ago), newest first."""
    returns = StaffNotification.objects.filter(
        recipient=user,
        kind=StaffNotificationKind.RETURNED,
        created_at__gte=now - dt.timedelta(days=RETURNED_DAYS),
    )
    latest = returns.filter(reference=OuterRef("reference")).order_by("-created_at")
    return (
        policies.visible_requests(user)
        .for_lists()
        .open()
        .filter(
            Q(reference__in=returns.values("reference"))
            | Q(pk__in=review_flow.returned_to(user).values("response__service_request_id"))
        )
        .annotate(returned_at=Subquery(latest.values("created_at")[:1]))
        .order_by("-returned_at", "-id")
    )


def changed_by_others(user: User, *, now: dt.datetime) -> ServiceRequestQuerySet:
    """Open requests assigned to `user` that someone else changed in the last 7 days,
    most recently changed first."""
    mine = policies.visible_requests(user).open().filter(assignee=user)
    changes = (
        AuditEvent.objects.filter(
            object_type="service_request",
            action__in=[a.value for a in CHANGES],
            occurred_at__gte=now - dt.timedelta(days=RECENT_DAYS),
        )
        .exclude(actor=user)
        .exclude(actor__isnull=True)
    )
    last = (
        changes.filter(object_id=OuterRef("reference"))
        .values("object_id")
        .annotate(at=Max("occurred_at"))
        .values("at")[:1]
    )
    return (
        mine.for_lists()
        .annotate(changed_at=Subquery(last))
        .filter(changed_at__isnull=False)
        .order_by("-changed_at", "-id")
    )


def scope_offices(user: User) -> list[int]:
    """The offices a supervisor answers for: their own, or none (national) without any."""
    return sorted(user.office_ids())


def escalated(user: User) -> ServiceRequestQuerySet:
    """Open requests that climbed the escalation ladder, in the supervisor's scope (held by
    or escalated to their offices; every office for a national one), highest level first."""
    qs = policies.visible_requests(user).open().escalated().for_lists()
    offices = scope_offices(user)
    if offices:
        qs = qs.filter(Q(office__in=offices) | Q(escalations__office__in=offices)).distinct()
    return qs.order_by(F("current_escalation_level").desc(), "due_at", "id")


def flagged(user: User) -> ServiceRequestQuerySet:
    """The review queue today: open requests flagged for a supervisor's decision (transferred
    too often), in the supervisor's scope."""
    qs = policies.visible_requests(user).open().filter(is_flagged=True).for_lists()
    offices = scope_offices(user)
    if offices:
        qs = qs.filter(office__in=offices)
    return qs.order_by("due_at", "id")


def office_queue(user: User, office: Office, *, now: dt.datetime) -> ServiceRequestQuerySet:
    return selectors.queue_requests(user, office, selectors.QueueFilters(), now=now)


def recorded_by(user: User) -> ServiceRequestQuerySet:
    return (
        policies.visible_requests(user)
        .filter(created_by=user)
        .for_lists()
        .order_by("-created_at", "-id")
    )


def home(user: User, *, now: dt.datetime) -> Home:
    kind = home_kind(user)
    page = Home(kind=kind)
    if kind == "supervisor":
        page.sections += [
            _section(
                "escalated",
                _("Escalated"),
                escalated(user),
                _("No open request is escalated."),
                show_level=True,
            ),
            _section(
                "review",
                _("Flagged for review"),
                flagged(user),
                _("No open request is flagged for review."),
            ),
        ]
    if kind in {"supervisor", "office", "worker"}:
        page.sections += my_work(user, now=now)
    if kind == "office":
        shared = shared_names(Office.objects.active())
        for office in selectors.queue_offices(user).filter(pk__in=user.office_ids()):
            page.sections.append(
                _section(
                    f"office-{office.code}",
                    _("Queue of %(office)s")
                    % {"office": office_label(office, shared_names=shared)},
                    office_queue(user, office, now=now),
                    _("The queue is empty."),
                    link=office.code,
                )
            )
    if kind == "viewer":
        page.sections.append(
            _section(
                "recorded",
                _("Recorded by me"),
                recorded_by(user),
                _("You have not recorded any service request."),
            )
        )
    for section in page.sections:
        section.with_states(now)
    return page


# --- notifications ------------------------------------------------------------------------


def visible_notifications(user: User) -> QuerySet[StaffNotification]:
    """`user`'s notifications about requests they may see today, newest first."""
    references = policies.visible_requests(user).values("reference")
    return StaffNotification.objects.filter(
        recipient=user, reference__in=references
    ).select_related("actor")


def unread_count(user: User) -> int:
    return visible_notifications(user).filter(read_at__isnull=True).count()
