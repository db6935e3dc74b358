"""The periodic sweep: escalate unanswered requests and take stock of the deadlines.

Deadline states (on track, at risk, overdue) are derived from the stored dates at the
moment of reading (service_requests.deadline_states, ADR 14): queues and the API show a
request as overdue the second its due date passes, and the sweep never rewrites rows to
"mark" them. What the sweep does:

1. escalates: for each rung of the ladder, one INSERT ... SELECT ... ON CONFLICT DO NOTHING
   of the requests that reached it (service_requests.escalations), and one digest per
   office to its supervisors;
2. moves open requests on cases protected since they were recorded to the VAWA/T/U unit
   (service_requests.protection: nobody else may see them, so nobody else could work them);
3. takes back notifications a dead worker left in "sending" (notifications.requeue_stalled);
4. wakes the notifications that are due and that no task delivered: queued ones whose task
   was lost, failed ones past their back-off (notifications.wake_due; the outbox row is the
   truth, ADR 17);
5. deletes Idempotency-Key records and staff submission tokens older than the retention
   (idempotency.purge_expired, ADR 18);
6. counts the open requests in each state at that moment, for its report.

Two sweeps at once are safe: on PostgreSQL an advisory lock makes the second wait for the
first and then find nothing to escalate; the unique (request, level) of escalations means
no interleaving, on any database, can escalate a request twice at the same rung. When the
sweep runs is decided in one place: service_requests.tasks (SRMT_SWEEP_SECONDS).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from srmt.accounts.actors import SYSTEM
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.idempotency import services as idempotency
from srmt.notifications import services as notifications
from srmt.service_requests import deadline_states, protection
from srmt.service_requests.escalations import EscalationReport, escalate_due
from srmt.service_requests.models import ServiceRequest

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
    notifications_recovered: int = 0
    moved_to_confidential_unit: int = 0
    notifications_woken: int = 0
    idempotency_purged: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "open_on_track": self.on_track,
            "open_at_risk": self.at_risk,
            "open_overdue": self.overdue,
            "escalated": {str(k): v for k, v in self.escalations.by_level.items()},
            "notifications": self.escalations.notifications,
            "notifications_recovered": self.notifications_recovered,
            "moved_to_confidential_unit": self.moved_to_confidential_unit,
            "notifications_woken": self.notifications_woken,
            "idempotency_purged": self.idempotency_purged,
        }


def run_sweep(*, at: dt.datetime | None = None) -> SweepReport:
    """One sweep at `at` (now by default): escalations commit together with their digests
    and audit row; stalled notifications are taken back, due ones woken and expired
    idempotency records purged, each in their own transaction; the state counts are read
    last."""
    at = at or timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        _one_sweep_at_a_time()
        escalations = escalate_due(at)
        if escalations.total:
            audit.record(
                actor=SYSTEM,
                action=AuditAction.SERVICE_REQUESTS_SWEPT,
                object_type="sweep",
                object_id=at.isoformat(),
                changes={
                    "at": at.isoformat(),
                    "escalated": {str(k): v for k, v in escalations.by_level.items()},
                    "notifications": escalations.notifications,
                },
            )
    moved = protection.move_protected_requests()
    recovered = notifications.requeue_stalled(at=at)
    woken = notifications.wake_due(at=at)
    purged = idempotency.purge_expired(at=at)
    states = count_deadline_states(at)
    return SweepReport(
        at=at,
        **states,
        escalations=escalations,
        notifications_recovered=recovered,
        moved_to_confidential_unit=moved,
        notifications_woken=woken,
        idempotency_purged=purged,
        seconds=time.perf_counter() - started,
    )


def _one_sweep_at_a_time() -> None:
    """On PostgreSQL a second sweep waits for the first one's transaction, then finds its
    work done. SQLite serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])


def count_deadline_states(at: dt.datetime) -> dict[str, int]:
    """How many open requests are on track, at risk and overdue at `at`."""
    return deadline_states.count_states(ServiceRequest.objects.all(), at=at)
