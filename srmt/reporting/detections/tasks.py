"""The daily detection run and digest as a self-scheduling task (ADR 0051).

Like the periodic sweep (service_requests.tasks), django-tasks has no scheduler: on backends
that can defer (database, RQ) the task re-enqueues itself with `run_after` for the next day
at SRMT_DETECTIONS_HOUR UTC, after the night's rollup. `srmt worker` starts the chain
(`start_daily_detections`, through `srmt detect --schedule`). A `SweepSchedule` row named
"detections" holds the next planned run; a run continues the chain only if it claims that
row with a conditional UPDATE, so a second chain dies at its first run, and a chain whose
run is more than a day late (its worker died) is restarted by the next worker.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from srmt.reporting.detections.digest import send_digests
from srmt.reporting.detections.run import run_detections
from srmt.service_requests.models import SweepSchedule

SCHEDULE_NAME = "detections"
DAY = dt.timedelta(days=1)


def next_run(after: dt.datetime) -> dt.datetime:
    """The first SRMT_DETECTIONS_HOUR:00 UTC strictly after `after`."""
    at = dt.time(hour=settings.SRMT_DETECTIONS_HOUR, tzinfo=dt.UTC)
    candidate = dt.datetime.combine(after.astimezone(dt.UTC).date(), at)
    return candidate if candidate > after else candidate + DAY


def run_once(today: dt.date | None = None) -> dict[str, object]:
    """Detect, then send the day's digests."""
    detections = run_detections(today)
    digests = send_digests(today)
    return {"detections": detections.as_dict(), "digests": digests.as_dict()}


@task()
def daily_detections(scheduled_for: str = "") -> dict[str, object]:
    """One daily run. A scheduled run (`scheduled_for`, ISO 8601) first plans the next."""
    if scheduled_for:
        _continue(dt.datetime.fromisoformat(scheduled_for))
    return run_once()


def start_daily_detections() -> dt.datetime | None:
    """Start the daily chain unless one is alive (the worker calls this). Returns the
    moment the first run was planned for, or None."""
    if not daily_detections.get_backend().supports_defer:
        return None
    with transaction.atomic():
        planned = _claim_start(timezone.now())
        if planned is not None:
            iso = planned.isoformat()
            transaction.on_commit(lambda: daily_detections.using(run_after=planned).enqueue(iso))
    return planned


def _continue(scheduled_for: dt.datetime) -> None:
    following = _claim_next(scheduled_for, now=timezone.now())
    if following is not None and daily_detections.get_backend().supports_defer:
        daily_detections.using(run_after=following).enqueue(following.isoformat())


def _claim_start(now: dt.datetime) -> dt.datetime | None:
    """Plan the next run unless a live chain exists; returns the moment planned, or None."""
    row, _created = SweepSchedule.objects.get_or_create(name=SCHEDULE_NAME)
    if row.next_run_at is not None and row.next_run_at > now - DAY:
        return None
    planned = next_run(now)
    claimed = SweepSchedule.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
        next_run_at=planned
    )
    return planned if claimed else None


def _claim_next(scheduled_for: dt.datetime, *, now: dt.datetime) -> dt.datetime | None:
    """Claim the run planned for `scheduled_for` and plan the next; None if another chain
    owns the schedule."""
    following = next_run(max(scheduled_for, now))
    claimed = SweepSchedule.objects.filter(name=SCHEDULE_NAME, next_run_at=scheduled_for).update(
        next_run_at=following, last_run_at=now
    )
    return following if claimed else None
