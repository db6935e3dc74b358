"""Where a request stands against its final due date: on track, at risk or overdue.

The state is derived, never stored (ADR 14). It is a function of the stored dates and the
moment of reading, so a queue or an API answer is exact at the second it is read, and no
sweep has to rewrite rows when time passes:

- the clocks are read at `at`; while a request awaits the customer they are stopped, so it
  is read at `paused_at` (it keeps the state it had when the clocks stopped);
- overdue: the final due date has passed;
- at risk: not overdue, and `SRMT_AT_RISK_SHARE` of the time from creation to the due date
  has passed.

`state_of()` answers for one loaded request; `filter_state()` and `overdue_q()` answer the
same question in SQL, on PostgreSQL and SQLite, so lists filter with the database's indexes
(office, status, due_at).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, F, FloatField, Func, Q
from django.db.models.expressions import Expression

from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.sla.choices import DeadlineState

if TYPE_CHECKING:
    from srmt.service_requests.models import ServiceRequest, ServiceRequestQuerySet


class EpochSeconds(Func):
    """Seconds since 1970 of a datetime column, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::float8", **extra
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores aware datetimes in UTC as ISO text, which julianday() reads.
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra,
        )


def at_risk_share() -> float:
    return float(settings.SRMT_AT_RISK_SHARE)


def at_risk_from() -> Expression:
    """The moment (epoch seconds) a request becomes at risk: `share` of the way from its
    creation to its due date."""
    share = at_risk_share()
    return EpochSeconds(F("created_at")) * (1.0 - share) + EpochSeconds(F("due_at")) * share


def at_risk_moment(sr: ServiceRequest) -> dt.datetime:
    """The same moment for one loaded request."""
    return sr.created_at + (sr.due_at - sr.created_at) * at_risk_share()


def state_of(sr: ServiceRequest, at: dt.datetime) -> DeadlineState:
    """The state of `sr` read at `at`; a closed request is read at its closing."""
    moment = sr.closed_at or sr.paused_at or at
    if sr.due_at < moment:
        return DeadlineState.OVERDUE
    if moment >= at_risk_moment(sr):
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TRACK


def overdue_q(at: dt.datetime) -> Q:
    """Open requests past their due date at `at` (paused ones: when their clocks stopped)."""
    running = Q(paused_at__isnull=True, due_at__lt=at)
    paused = Q(paused_at__isnull=False, due_at__lt=F("paused_at"))
    return Q(status__in=OPEN_STATUSES) & (running | paused)


def with_risk_aliases(
    qs: ServiceRequestQuerySet, *, for_aggregate: bool = False
) -> ServiceRequestQuerySet:
    """Alias what risk_q() compares: the at-risk moment and the pause, in epoch seconds.
    An aggregate can only read annotations, so it gets them as such."""
    expressions = {
        "srmt_risk_from": at_risk_from(),
        "srmt_paused_epoch": EpochSeconds(F("paused_at")),
    }
    return qs.annotate(**expressions) if for_aggregate else qs.alias(**expressions)


def risk_q(at: dt.datetime) -> Q:
    """The at-risk moment has passed (at `at`, or when the clocks stopped); needs the
    aliases of with_risk_aliases(). Overdue requests match too: combine with overdue_q()."""
    running = Q(paused_at__isnull=True, srmt_risk_from__lte=at.timestamp())
    paused = Q(paused_at__isnull=False, srmt_risk_from__lte=F("srmt_paused_epoch"))
    return running | paused


def filter_state(
    qs: ServiceRequestQuerySet, state: str, *, at: dt.datetime
) -> ServiceRequestQuerySet:
    """Open requests of `qs` in `state` at `at`."""
    if state == DeadlineState.OVERDUE:
        return qs.filter(overdue_q(at))
    qs = with_risk_aliases(qs.filter(status__in=OPEN_STATUSES).exclude(overdue_q(at)))
    if state == DeadlineState.AT_RISK:
        return qs.filter(risk_q(at))
    return qs.exclude(risk_q(at))


def count_states(qs: ServiceRequestQuerySet, *, at: dt.datetime) -> dict[str, int]:
    """How many open requests of `qs` are on track, at risk and overdue at `at` (one query)."""
    overdue = overdue_q(at)
    open_requests = qs.filter(status__in=OPEN_STATUSES)
    counts = with_risk_aliases(open_requests, for_aggregate=True).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue),
        risky=Count("pk", filter=risk_q(at) & ~overdue),
    )
    return {
        str(DeadlineState.ON_TRACK): counts["total"] - counts["overdue"] - counts["risky"],
        str(DeadlineState.AT_RISK): counts["risky"],
        str(DeadlineState.OVERDUE): counts["overdue"],
    }
