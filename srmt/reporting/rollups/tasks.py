"""The periodic rollup refresh: a self-scheduling task, like the sweep's (service_requests.tasks).

The refresh runs every SRMT_ROLLUP_SECONDS. django-tasks has no scheduler, so on backends that
can defer (database, RQ) the task re-enqueues itself with `run_after`; `srmt worker` starts
the chain (`start_periodic_rollup`). The chain's next planned run is held in the sweep's
schedule table (`SweepSchedule`, row "rollup"); a run continues the chain only if it claims
that row with a conditional UPDATE, so a second chain dies at its first run, and a chain two
intervals late (its worker died) is restarted by the next worker. A backend that cannot defer
has no chain: `srmt rollup --every` is the same schedule in the foreground.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from srmt.reporting.public import release
from srmt.reporting.rollups import build
from srmt.service_requests.models import SweepSchedule

SCHEDULE_NAME = "rollup"


def interval() -> dt.timedelta:
    """The time between two refreshes (SRMT_ROLLUP_SECONDS)."""
    return dt.timedelta(seconds=settings.SRMT_ROLLUP_SECONDS)


@task()
def refresh_rollups(scheduled_for: str = "") -> dict[str, object]:
    """Run one incremental refresh. A scheduled run (`scheduled_for`, ISO 8601) first plans
    the next one."""
    if scheduled_for:
        _continue(dt.datetime.fromisoformat(scheduled_for))
    result = build.refresh()
    # The public pages read the unfiltered release from the cache: build it now, not when
    # the first reader asks (ADR 0049).
    published = release.warm_published() if result.days else None
    return {
        "days": result.days,
        "rows": result.rows,
        "seconds": round(result.seconds, 3),
        "published": published,
    }


def start_periodic_rollup() -> dt.datetime | None:
    """Start the self-scheduling refresh unless a chain is alive (the worker calls this).
    Returns the moment the first run was planned for, or None."""
    if not refresh_rollups.get_backend().supports_defer:
        return None
    with transaction.atomic():
        planned = _claim_start(timezone.now())
        if planned is not None:
            iso = planned.isoformat()
            transaction.on_commit(lambda: refresh_rollups.enqueue(iso))
    return planned


def _continue(scheduled_for: dt.datetime) -> None:
    following = _claim_next(scheduled_for, now=timezone.now())
    if following is not None and refresh_rollups.get_backend().supports_defer:
        refresh_rollups.using(run_after=following).enqueue(following.isoformat())


def _claim_start(now: dt.datetime) -> dt.datetime | None:
    """Plan a run now unless a live chain exists; returns the moment planned, or None."""
    row, _created = SweepSchedule.objects.get_or_create(name=SCHEDULE_NAME)
    if row.next_run_at is not None and row.next_run_at > now - 2 * interval():
        return None
    claimed = SweepSchedule.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
        next_run_at=now
    )
    return now if claimed else None


def _claim_next(scheduled_for: dt.datetime, *, now: dt.datetime) -> dt.datetime | None:
    """Claim the run planned for `scheduled_for` and plan the next; None if another chain
    owns the schedule."""
    following = max(scheduled_for + interval(), now)
    claimed = SweepSchedule.objects.filter(name=SCHEDULE_NAME, next_run_at=scheduled_for).update(
        next_run_at=following, last_run_at=now
    )
    return following if claimed else None
