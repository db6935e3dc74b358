"""The periodic sweep: mark at-risk and overdue requests, then escalate.

Set-based and idempotent: each state is one conditional UPDATE (rows already in that state
are left alone), escalations are INSERT ... SELECT ... ON CONFLICT DO NOTHING. Two sweeps
at once are safe: on PostgreSQL an UPDATE that meets a row another sweep changed re-checks
its WHERE clause after that sweep commits, and the unique (request, level) of escalations
lets one insert win. The state does not change a request's `version` (its ETag): it is
derived from the due date, not an edit.

Requests awaiting the customer keep the state they had: their clocks are paused.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from srmt.audit import services as audit
from srmt.service_requests.escalations import RUNNING_STATUSES, EscalationReport, escalate_due
from srmt.service_requests.models import ServiceRequest
from srmt.sla.choices import DeadlineState

# Any constant shared by every sweep: the key of its PostgreSQL advisory lock.
SWEEP_LOCK_KEY = 0x5357_4545_50  # "SWEEP"


@dataclass
class SweepReport:
    at: dt.datetime
    on_track: int
    at_risk: int
    overdue: int
    escalations: EscalationReport
    seconds: float

    @property
    def marked(self) -> int:
        return self.on_track + self.at_risk + self.overdue

    def as_dict(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "on_track": self.on_track,
            "at_risk": self.at_risk,
            "overdue": self.overdue,
            "escalated": {str(k): v for k, v in self.escalations.by_level.items()},
            "notifications": self.escalations.notifications,
        }


def run_sweep(*, at: dt.datetime | None = None) -> SweepReport:
    """One sweep at `at` (now by default). Each step commits on its own."""
    at = at or timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        _one_sweep_at_a_time()
        states = mark_deadline_states(at)
    with transaction.atomic():
        _one_sweep_at_a_time()
        escalations = escalate_due(at)
        report = SweepReport(
            at=at, **states, escalations=escalations, seconds=time.perf_counter() - started
        )
        if report.marked or escalations.total:
            audit.record(
                actor=None,
                action="service_requests.swept",
                object_type="sweep",
                object_id=at.isoformat(),
                changes=report.as_dict(),
            )
    report.seconds = time.perf_counter() - started
    return report


def _one_sweep_at_a_time() -> None:
    """On PostgreSQL a second sweep waits for the first one's transaction, then finds its
    work done. Without it, two large UPDATEs scanning in different orders could deadlock.
    SQLite serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])


def _at_risk_condition(at: dt.datetime, share: float) -> RawSQL:
    """True once `share` of the time from creation to the final due date has passed."""
    table = ServiceRequest._meta.db_table
    if connection.vendor == "postgresql":
        sql = f'"{table}"."created_at" + ("{table}"."due_at" - "{table}"."created_at") * %s <= %s'
        params: tuple[object, ...] = (share, at)
    else:
        sql = (
            f'julianday("{table}"."created_at") + (julianday("{table}"."due_at") '
            f'- julianday("{table}"."created_at")) * %s <= julianday(%s)'
        )
        params = (share, at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" "))
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (no user input)


def mark_deadline_states(at: dt.datetime) -> dict[str, int]:
    """Bring `deadline_state` of every running request up to date; returns rows changed."""
    share = float(settings.SRMT_AT_RISK_SHARE)
    running = ServiceRequest.objects.filter(status__in=RUNNING_STATUSES)
    risk = _at_risk_condition(at, share)
    wanted = {
        DeadlineState.OVERDUE: Q(due_at__lt=at),
        DeadlineState.AT_RISK: Q(due_at__gte=at) & Q(risk),
        DeadlineState.ON_TRACK: Q(due_at__gte=at) & ~Q(risk),
    }
    changed: dict[str, int] = {}
    for state, condition in wanted.items():
        changed[str(state)] = (
            running.filter(condition)
            .exclude(deadline_state=state)
            .update(deadline_state=state, deadline_state_at=at)
        )
    return changed


# --- schedule -------------------------------------------------------------------------------
# django-tasks has no scheduler. The sweep task re-enqueues itself with `run_after` on
# backends that can defer (database, RQ). The SweepSchedule row holds the next planned run;
# a run continues the chain only if it claims that row with a conditional UPDATE, so a
# second chain (two workers starting at once) dies at its first run.

SCHEDULE_NAME = "sweep"


def sweep_interval() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "SRMT_SWEEP_SECONDS", 300))


def start_schedule(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Plan a run now unless a live chain exists; returns the moment planned, or None."""
    from srmt.service_requests.models import SweepSchedule

    now = now or timezone.now()
    row, _created = SweepSchedule.objects.get_or_create(name=SCHEDULE_NAME)
    if row.next_run_at is not None and row.next_run_at > now - 2 * sweep_interval():
        return None
    claimed = SweepSchedule.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
        next_run_at=now
    )
    return now if claimed else None


def continue_schedule(scheduled_for: dt.datetime, *, now: dt.datetime) -> dt.datetime | None:
    """Claim the run planned for `scheduled_for` and plan the next; None if another chain
    owns the schedule."""
    from srmt.service_requests.models import SweepSchedule

    following = max(scheduled_for + sweep_interval(), now)
    claimed = SweepSchedule.objects.filter(name=SCHEDULE_NAME, next_run_at=scheduled_for).update(
        next_run_at=following, last_run_at=now
    )
    return following if claimed else None
