"""The managers' dashboards (ADR 0051): what is open and how old, against its deadlines,
escalated, waiting for supervisory review, on whose desk, the weekly trend and the recent
detections, nationally or for one office.

The open stock (ages x deadline states, unassigned, escalations, workload) and the weekly
trend are read from a snapshot (`DashboardSnapshot` and its cells), taken with the rollups
every SRMT_ROLLUP_SECONDS in one pass over the open requests and shown with its time: a page
sums at most a few thousand cells whatever the number of requests (ADR 0051, Revision of
2026-12-04). Each count is exact at the snapshot's time and links to the live queue. The
review backlog and the detections are small and read live. For whoever is not cleared for
8 U.S.C. 1367 cases a confidential unit is folded into its parent office, as on the
statistics page: its requests count in the parent's figures, its own dashboard does not
exist for them, and no detection on its series is shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, ExpressionWrapper, Min, Q, QuerySet, Sum, Value
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import OWN_OFFICES, VIEW_SCOPE, Capability
from srmt.offices.models import Office
from srmt.reporting.models import (
    DailyRollup,
    DashboardSnapshot,
    Detection,
    EscalationCell,
    OpenStockCell,
    SeriesLevel,
    TrendCell,
    WorkloadCell,
)
from srmt.reviews.choices import ReviewStatus
from srmt.reviews.models import ResponseReview
from srmt.service_requests.deadline_states import overdue_q, risk_q, with_risk_aliases
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import Escalation, ServiceRequest
from srmt.sla.choices import DeadlineState

M = TypeVar("M", OpenStockCell, EscalationCell, WorkloadCell, TrendCell)

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
    now: dt.datetime  # when the page was read: the review backlog and detections are live
    as_of: dt.datetime | None = None  # when the snapshot of the open stock was taken
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


# --- the snapshot of the open stock ----------------------------------------------------------


def _age_case(now: dt.datetime) -> models.Case:
    return models.Case(
        *(models.When(age_q(key, now=now), then=Value(key)) for key, _f, _l in AGE_BUCKETS),
        default=Value(""),  # created after `now` (a clock ahead): open, in no bucket
        output_field=models.CharField(),
    )


def _state_case(now: dt.datetime) -> models.Case:
    """The deadline state of an open request at `now` (ADR 14), as SQL; needs the aliases of
    with_risk_aliases()."""
    return models.Case(
        models.When(overdue_q(now), then=Value(str(DeadlineState.OVERDUE))),
        models.When(risk_q(now), then=Value(str(DeadlineState.AT_RISK))),
        default=Value(str(DeadlineState.ON_TRACK)),
        output_field=models.CharField(),
    )


def _open_requests() -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(status__in=OPEN_STATUSES)


def _stock_cells(snapshot: DashboardSnapshot, now: dt.datetime) -> list[OpenStockCell]:
    rows = (
        with_risk_aliases(_open_requests())  # type: ignore[arg-type]
        .annotate(
            stock_age=_age_case(now),
            stock_state=_state_case(now),
            stock_assigned=ExpressionWrapper(
                Q(assignee__isnull=False), output_field=models.BooleanField()
            ),
        )
        .values("office_id", "type_id", "stock_age", "stock_state", "stock_assigned")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        OpenStockCell(
            snapshot=snapshot,
            office_id=r["office_id"],
            type_id=r["type_id"],
            age=r["stock_age"],
            state=r["stock_state"],
            assigned=r["stock_assigned"],
            requests=r["n"],
        )
        for r in rows
    ]


def _escalation_cells(snapshot: DashboardSnapshot) -> list[EscalationCell]:
    rows = (
        Escalation.objects.filter(service_request__status__in=OPEN_STATUSES)
        .values("service_request__office_id", "level")
        .annotate(n=Count("service_request", distinct=True))
        .order_by()
    )
    return [
        EscalationCell(
            snapshot=snapshot,
            office_id=r["service_request__office_id"],
            level=r["level"],
            requests=r["n"],
        )
        for r in rows
    ]


def _workload_cells(snapshot: DashboardSnapshot) -> list[WorkloadCell]:
    rows = (
        _open_requests()
        .filter(assignee__isnull=False)
        .values("office_id", "assignee_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        WorkloadCell(
            snapshot=snapshot,
            office_id=r["office_id"],
            assignee_id=r["assignee_id"],
            requests=r["n"],
        )
        for r in rows
    ]


def _trend_cells(snapshot: DashboardSnapshot, first: dt.date, end: dt.date) -> list[TrendCell]:
    rows = (
        DailyRollup.objects.filter(day__gte=first, day__lt=end)
        .values("office_id", "day")
        .annotate(opened=Sum("opened"), closed=Sum("closed"))
        .order_by()
    )
    weeks: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:  # offices x days: at most 182 rows an office
        week = first + dt.timedelta(weeks=(r["day"] - first).days // 7)
        cell = weeks[(r["office_id"], week)]
        cell[0] += r["opened"] or 0
        cell[1] += r["closed"] or 0
    return [
        TrendCell(snapshot=snapshot, office_id=office, week=week, opened=o, closed=c)
        for (office, week), (o, c) in weeks.items()
    ]


def refresh_snapshot(now: dt.datetime | None = None) -> DashboardSnapshot:
    """Take a snapshot of the open stock at `now` (one pass over the open requests, one over
    their escalations, one over the trend's rollup days) and drop all but the two newest (a
    page being read while the next is taken keeps its own). The periodic rollup refresh calls
    this after each refresh (rollups.tasks)."""
    now = now or timezone.now()
    first, end = trend_start(now.date())
    with transaction.atomic():
        snapshot = DashboardSnapshot.objects.create(taken_at=now, trend_first=first)
        OpenStockCell.objects.bulk_create(_stock_cells(snapshot, now), batch_size=2000)
        EscalationCell.objects.bulk_create(_escalation_cells(snapshot), batch_size=2000)
        WorkloadCell.objects.bulk_create(_workload_cells(snapshot), batch_size=2000)
        TrendCell.objects.bulk_create(_trend_cells(snapshot, first, end), batch_size=2000)
    kept = list(DashboardSnapshot.objects.order_by("-pk").values_list("pk", flat=True)[:2])
    DashboardSnapshot.objects.filter(pk__lt=min(kept)).delete()
    return snapshot


def snapshot_to_show(now: dt.datetime) -> DashboardSnapshot:
    """The newest snapshot; a new one when there is none or it is older than two rollup
    intervals (no worker takes them: a demo, `srmt rollup --every`)."""
    newest = DashboardSnapshot.objects.order_by("-pk").first()
    stale = now - 2 * dt.timedelta(seconds=settings.SRMT_ROLLUP_SECONDS)
    if newest is None or newest.taken_at < stale:
        return refresh_snapshot(now)
    return newest


# --- one dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """Which offices' cells a dashboard sums: `ids` None is national."""

    ids: list[int] | None
    fold: bool  # the reader is not cleared: confidential units count in their parents


def _office_ids(office: Office, *, fold: bool) -> list[int]:
    """The office, and for an uncleared reader its confidential units folded into it."""
    ids = [office.pk]
    if fold:
        ids += list(
            Office.objects.filter(parent=office, is_confidential=True).values_list("pk", flat=True)
        )
    return ids


def _cells(model: type[M], snapshot: DashboardSnapshot, scope: _Scope) -> QuerySet[M]:
    rows = model.objects.filter(snapshot=snapshot)
    if scope.ids is not None:
        rows = rows.filter(office_id__in=scope.ids)
    return rows


def dashboard(user: User, office: Office | None, *, now: dt.datetime) -> Dashboard:
    """The figures of one dashboard for `user` (who may see it: the views check). The open
    stock, escalations, workload and trend are read from the newest snapshot (its time is
    `as_of`); the review backlog and the detections are read live."""
    fold = not user.is_1367_cleared
    scope = _Scope(ids=_office_ids(office, fold=fold) if office is not None else None, fold=fold)
    snapshot = snapshot_to_show(now)
    board = Dashboard(office=office, now=now, as_of=snapshot.taken_at)
    _stock(board, snapshot, scope)
    _escalations(board, snapshot, scope)
    _reviews(board, scope.ids)
    _workload(board, snapshot, scope)
    _trend(board, snapshot, scope)
    _detections(board, office, today=now.date(), fold=fold)
    return board


def _stock(board: Dashboard, snapshot: DashboardSnapshot, scope: _Scope) -> None:
    """Ages, deadline states, unassigned and (national) the offices with most open requests,
    from one grouped read of the snapshot's cells (at most offices x 5 x 3 x 2 rows)."""
    rows = (
        _cells(OpenStockCell, snapshot, scope)
        .values("office_id", "age", "state", "assigned")
        .annotate(n=Sum("requests"))
        .order_by()
    )
    ages = dict.fromkeys((key for key, _f, _l in AGE_BUCKETS), 0)
    states = dict.fromkeys((str(s) for s in DeadlineState), 0)
    per_office: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # open, overdue
    for r in rows:
        n = r["n"]
        board.open += n
        if r["age"] in ages:
            ages[r["age"]] += n
        states[r["state"]] += n
        if not r["assigned"]:
            board.unassigned += n
        shown = per_office[r["office_id"]]
        shown[0] += n
        if r["state"] == DeadlineState.OVERDUE:
            shown[1] += n
    board.ages = ages
    board.on_track = states[DeadlineState.ON_TRACK]
    board.at_risk = states[DeadlineState.AT_RISK]
    board.overdue = states[DeadlineState.OVERDUE]
    if board.office is None:
        board.by_office = _by_office(per_office, fold=scope.fold)


def _by_office(per_office: dict[int, list[int]], *, fold: bool) -> list[OfficeRow]:
    offices = Office.objects.select_related("parent").in_bulk(list(per_office))
    shown: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for office_id, (n, late) in per_office.items():
        office = offices[office_id]
        if fold and office.is_confidential and office.parent is not None:
            office = office.parent
            offices[office.pk] = office
        shown[office.pk][0] += n
        shown[office.pk][1] += late
    rows = [
        OfficeRow(code=offices[pk].code, name=offices[pk].name, open=n, overdue=late)
        for pk, (n, late) in shown.items()
    ]
    rows.sort(key=lambda row: (-row.open, row.code))
    return rows[:TOP_OFFICES]


def _escalations(board: Dashboard, snapshot: DashboardSnapshot, scope: _Scope) -> None:
    """Open requests (held by the office) that reached each level of the ladder."""
    rows = (
        _cells(EscalationCell, snapshot, scope)
        .values("level")
        .annotate(n=Sum("requests"))
        .order_by("level")
    )
    board.escalations = [(r["level"], r["n"]) for r in rows]


def _reviews(board: Dashboard, ids: list[int] | None) -> None:
    rows = ResponseReview.objects.filter(status=ReviewStatus.PENDING)
    if ids is not None:
        rows = rows.filter(office_id__in=ids)
    found = rows.aggregate(n=Count("pk"), oldest=Min("pending_since"))
    board.reviews_pending = found["n"]
    board.reviews_oldest = found["oldest"]


def _workload(board: Dashboard, snapshot: DashboardSnapshot, scope: _Scope) -> None:
    """Open requests per assignee, most first. An uncleared reader does not see the
    workload of a confidential unit's requests (it would name the unit's staff)."""
    rows = _cells(WorkloadCell, snapshot, scope)
    if scope.fold:
        rows = rows.filter(office__is_confidential=False)
    grouped = (
        rows.values(
            "assignee_id", "assignee__username", "assignee__first_name", "assignee__last_name"
        )
        .annotate(n=Sum("requests"))
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


def _trend(board: Dashboard, snapshot: DashboardSnapshot, scope: _Scope) -> None:
    first = snapshot.trend_first
    rows = (
        _cells(TrendCell, snapshot, scope)
        .values("week")
        .annotate(opened=Sum("opened"), closed=Sum("closed"))
        .order_by()
    )
    found = {r["week"]: (r["opened"], r["closed"]) for r in rows}
    starts = [first + dt.timedelta(weeks=i) for i in range(TREND_WEEKS)]
    board.weeks = [
        Week(start=start, opened=found.get(start, (0, 0))[0], closed=found.get(start, (0, 0))[1])
        for start in starts
    ]


def trend_start(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first Monday and the Monday after the last of the TREND_WEEKS complete weeks."""
    end = today - dt.timedelta(days=today.weekday())
    return end - dt.timedelta(weeks=TREND_WEEKS), end


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
