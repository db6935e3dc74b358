"""The managers' dashboards (ADR 0051): what is open and how old, against its deadlines,
escalated, waiting for supervisory review, on whose desk, the weekly trend and the recent
detections, nationally or for one office.

Live figures are single aggregate queries over the requests (conditional counts), the
trend reads the rollups; nothing walks the rows in Python. For whoever is not cleared for
8 U.S.C. 1367 cases a confidential unit is folded into its parent office, as on the
statistics page: its requests count in the parent's figures, its own dashboard does not
exist for them, and no detection on its series is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, F, Min, Q, QuerySet, Sum

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import OWN_OFFICES, VIEW_SCOPE, Capability
from srmt.offices.models import Office
from srmt.reporting.models import DailyRollup, Detection, SeriesLevel
from srmt.reviews.choices import ReviewStatus
from srmt.reviews.models import ResponseReview
from srmt.service_requests.deadline_states import overdue_q, risk_q, with_risk_aliases
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import Escalation, ServiceRequest

# Open requests by age in whole days since creation: (key, first day, last day or None).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7),
    ("8-15", 8, 15),
    ("16-30", 16, 30),
    ("31-60", 31, 60),
    ("61+", 61, None),
)
TREND_WEEKS = 26
DETECTION_DAYS = 28  # detections whose event reached the last four weeks
WORKLOAD_ROWS = 25
TOP_OFFICES = 20


def age_q(key: str, *, now: dt.datetime) -> Q:
    """Requests whose age at `now`, in whole days, falls in bucket `key`."""
    for name, first, last in AGE_BUCKETS:
        if name == key:
            condition = Q(created_at__lte=now - dt.timedelta(days=first))
            if last is not None:
                condition &= Q(created_at__gt=now - dt.timedelta(days=last + 1))
            return condition
    raise ValueError(f"{key!r} is not an age bucket")


# --- who sees what ---------------------------------------------------------------------------


def may_see_national(user: User) -> bool:
    """The national dashboard: whoever may read aggregate counts."""
    return user.can(Capability.AGGREGATES)


def dashboard_offices(user: User) -> QuerySet[Office]:
    """Offices whose dashboard `user` may open: every office for whoever may read
    aggregates; their own offices for office staff (whose view is their offices).
    Confidential units only for cleared users."""
    if user.can(Capability.AGGREGATES):
        offices = Office.objects.all()
    elif user.can(Capability.VIEW) and VIEW_SCOPE[Role(user.role)] == OWN_OFFICES:
        offices = Office.objects.filter(pk__in=user.office_ids())
    else:
        return Office.objects.none()
    if not user.is_1367_cleared:
        offices = offices.filter(is_confidential=False)
    return offices.order_by("code")


def may_see_dashboards(user: User) -> bool:
    """Whether to offer the dashboards (the staff nav asks on every page: no query beyond
    the user's cached offices)."""
    if may_see_national(user):
        return True
    own = user.can(Capability.VIEW) and VIEW_SCOPE[Role(user.role)] == OWN_OFFICES
    return own and bool(user.office_ids())


# --- the figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    start: dt.date  # a Monday
    opened: int
    closed: int


@dataclass(frozen=True)
class Assignee:
    user_id: int
    name: str
    open: int


@dataclass(frozen=True)
class OfficeRow:
    code: str
    name: str
    open: int
    overdue: int


@dataclass
class Dashboard:
    office: Office | None  # None: national
    now: dt.datetime
    open: int = 0
    ages: dict[str, int] = field(default_factory=dict)
    on_track: int = 0
    at_risk: int = 0
    overdue: int = 0
    unassigned: int = 0
    escalations: list[tuple[int, int]] = field(default_factory=list)  # (level, open requests)
    reviews_pending: int = 0
    reviews_oldest: dt.datetime | None = None
    workload: list[Assignee] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    detections: list[Detection] = field(default_factory=list)
    by_office: list[OfficeRow] = field(default_factory=list)


def _office_ids(office: Office, *, fold: bool) -> list[int]:
    """The office, and for an uncleared reader its confidential units folded into it."""
    ids = [office.pk]
    if fold:
        ids += list(
            Office.objects.filter(parent=office, is_confidential=True).values_list("pk", flat=True)
        )
    return ids


def dashboard(user: User, office: Office | None, *, now: dt.datetime) -> Dashboard:
    """The figures of one dashboard for `user` (who may see it: the views check)."""
    fold = not user.is_1367_cleared
    ids = _office_ids(office, fold=fold) if office is not None else None
    board = Dashboard(office=office, now=now)
    requests = ServiceRequest.objects.all()
    if ids is not None:
        requests = requests.filter(office_id__in=ids)
    open_requests = requests.filter(status__in=OPEN_STATUSES)
    _live_counts(board, open_requests, now=now)
    _escalations(board, ids)
    _reviews(board, ids)
    _workload(board, open_requests, fold=fold)
    _trend(board, ids, today=now.date())
    _detections(board, office, today=now.date(), fold=fold)
    if office is None:
        _by_office(board, open_requests, now=now, fold=fold)
    return board


def _live_counts(
    board: Dashboard, open_requests: QuerySet[ServiceRequest], *, now: dt.datetime
) -> None:
    overdue = overdue_q(now)
    counts = {f"age_{key}": Count("pk", filter=age_q(key, now=now)) for key, _f, _l in AGE_BUCKETS}
    row = with_risk_aliases(open_requests, for_aggregate=True).aggregate(  # type: ignore[arg-type]
        total=Count("pk"),
        overdue=Count("pk", filter=overdue),
        risky=Count("pk", filter=risk_q(now) & ~overdue),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        **counts,
    )
    board.open = row["total"]
    board.ages = {key: row[f"age_{key}"] for key, _f, _l in AGE_BUCKETS}
    board.overdue = row["overdue"]
    board.at_risk = row["risky"]
    board.on_track = row["total"] - row["overdue"] - row["risky"]
    board.unassigned = row["unassigned"]


def _escalations(board: Dashboard, ids: list[int] | None) -> None:
    """Open requests (held by the office) that reached each level of the ladder."""
    rows = Escalation.objects.filter(service_request__status__in=OPEN_STATUSES)
    if ids is not None:
        rows = rows.filter(service_request__office_id__in=ids)
    grouped = rows.values("level").annotate(n=Count("service_request", distinct=True))
    board.escalations = [(r["level"], r["n"]) for r in grouped.order_by("level")]


def _reviews(board: Dashboard, ids: list[int] | None) -> None:
    rows = ResponseReview.objects.filter(status=ReviewStatus.PENDING)
    if ids is not None:
        rows = rows.filter(office_id__in=ids)
    found = rows.aggregate(n=Count("pk"), oldest=Min("pending_since"))
    board.reviews_pending = found["n"]
    board.reviews_oldest = found["oldest"]


def _workload(board: Dashboard, open_requests: QuerySet[ServiceRequest], *, fold: bool) -> None:
    """Open requests per assignee, most first. An uncleared reader does not see the
    workload of a confidential unit's requests (it would name the unit's staff)."""
    rows = open_requests.filter(assignee__isnull=False)
    if fold:
        rows = rows.filter(office__is_confidential=False)
    grouped = (
        rows.values(
            "assignee_id", "assignee__username", "assignee__first_name", "assignee__last_name"
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "assignee__last_name", "assignee__first_name", "assignee__username")
    )
    board.workload = [
        Assignee(
            user_id=r["assignee_id"],
            name=" ".join(p for p in (r["assignee__first_name"], r["assignee__last_name"]) if p)
            or r["assignee__username"],
            open=r["n"],
        )
        for r in grouped[:WORKLOAD_ROWS]
    ]


def trend_start(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first Monday and the Monday after the last of the TREND_WEEKS complete weeks."""
    end = today - dt.timedelta(days=today.weekday())
    return end - dt.timedelta(weeks=TREND_WEEKS), end


def _trend(board: Dashboard, ids: list[int] | None, *, today: dt.date) -> None:
    first, end = trend_start(today)
    rows = DailyRollup.objects.filter(day__gte=first, day__lt=end)
    if ids is not None:
        rows = rows.filter(office_id__in=ids)
    by_day = rows.values("day").annotate(opened=Sum("opened"), closed=Sum("closed")).order_by()
    opened = [0] * TREND_WEEKS
    closed = [0] * TREND_WEEKS
    for row in by_day:  # at most 182 rows: one per day
        index = (row["day"] - first).days // 7
        opened[index] += row["opened"] or 0
        closed[index] += row["closed"] or 0
    board.weeks = [
        Week(start=first + dt.timedelta(weeks=i), opened=opened[i], closed=closed[i])
        for i in range(TREND_WEEKS)
    ]


def _names_office(detection: Detection, code: str) -> bool:
    return any(
        isinstance(part, dict) and part.get("dimension") == "office" and part.get("value") == code
        for part in detection.contributors
    )


def _detections(board: Dashboard, office: Office | None, *, today: dt.date, fold: bool) -> None:
    recent = Detection.objects.filter(end__gte=today - dt.timedelta(days=DETECTION_DAYS))
    if fold:
        recent = recent.exclude(office__is_confidential=True)
    recent = recent.select_related("office", "type").order_by("-end", "-start", "series")
    if office is None:
        board.detections = list(
            recent.filter(level__in=[SeriesLevel.NATIONAL, SeriesLevel.CHANNEL])[:20]
        )
        return
    # Its own series, and the series without an office in which it stands out.
    without_office = [SeriesLevel.NATIONAL, SeriesLevel.CHANNEL, SeriesLevel.FORM_TYPE]
    mine = recent.filter(Q(office=office) | Q(level__in=without_office))
    board.detections = [
        d for d in mine if d.office_id == office.pk or _names_office(d, office.code)
    ][:20]


def _by_office(
    board: Dashboard, open_requests: QuerySet[ServiceRequest], *, now: dt.datetime, fold: bool
) -> None:
    if fold:
        folded = Q(office__is_confidential=True)
        code: Any = models.Case(
            models.When(folded, then=F("office__parent__code")), default=F("office__code")
        )
        name: Any = models.Case(
            models.When(folded, then=F("office__parent__name")), default=F("office__name")
        )
    else:
        code, name = F("office__code"), F("office__name")
    rows = (
        open_requests.annotate(shown_code=code, shown_name=name)
        .values("shown_code", "shown_name")
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(now)))
        .order_by("-n", "shown_code")[:TOP_OFFICES]
    )
    board.by_office = [
        OfficeRow(code=r["shown_code"], name=r["shown_name"], open=r["n"], overdue=r["late"])
        for r in rows
    ]
