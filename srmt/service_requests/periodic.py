"""A periodic, self-rescheduling task chain over one `SweepSchedule` row (ADR 17).

django-tasks has no scheduler, so on backends that can defer (database, RQ) a periodic task
re-enqueues itself with `run_after`; `srmt worker` starts each chain. The SweepSchedule row
named after the chain holds its next planned run. A run continues the chain only if it
claims that row with a conditional UPDATE (`next_run_at` still the moment it was planned
for), so a second chain (two workers starting at once, a stray copy of a job) dies at its
first run, and a chain whose planned run is older than `dead_after` (its worker died) is
restarted by the next worker that starts. A backend that cannot defer (immediate) has no
chain: each command's `--every` loop is the same schedule in the foreground.

The three chains (the sweep, the rollup refresh, the daily detections) differ only in their
row's name, their task, when a new chain's first run is planned and when the next one is.
The task takes one argument, the ISO 8601 moment its run was planned for ("" when called by
hand), and calls `continue_from()` with it first.

This module sits in service_requests because the schedule's table does (the lowest layer
that may hold it: the chains above it import it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from srmt.service_requests.models import SweepSchedule


@dataclass(frozen=True)
class PeriodicChain:
    name: str  # the SweepSchedule row
    task: Task[[str], Any]  # the periodic task; its argument is the moment planned (ISO 8601)
    # When a new chain's first run is planned, given the moment it starts.
    first_run: Callable[[dt.datetime], dt.datetime]
    # The run after the one planned for `scheduled_for`, claimed at `now`.
    next_run: Callable[[dt.datetime, dt.datetime], dt.datetime]
    # A planned run at least this old means the chain's worker died.
    dead_after: Callable[[], dt.timedelta]

    def start(self) -> dt.datetime | None:
        """Start the chain unless one is alive (the worker calls this). Returns the moment
        the first run was planned for, or None (a live chain, or a backend that cannot
        defer). A first run planned for now is queued at once, a later one deferred."""
        if not self.task.get_backend().supports_defer:
            return None
        now = timezone.now()
        with transaction.atomic():
            planned = self.claim_start(now)
            if planned is not None:
                iso = planned.isoformat()
                job = self.task.using(run_after=planned) if planned > now else self.task
                transaction.on_commit(lambda: job.enqueue(iso))
        return planned

    def continue_from(self, scheduled_for: dt.datetime) -> None:
        """A scheduled run's first step: claim it and queue the next (when it is ours)."""
        following = self.claim_next(scheduled_for, now=timezone.now())
        if following is not None and self.task.get_backend().supports_defer:
            self.task.using(run_after=following).enqueue(following.isoformat())

    def claim_start(self, now: dt.datetime) -> dt.datetime | None:
        """Plan a new chain's first run unless a live chain exists; returns the moment
        planned, or None."""
        row, _created = SweepSchedule.objects.get_or_create(name=self.name)
        if row.next_run_at is not None and row.next_run_at > now - self.dead_after():
            return None
        planned = self.first_run(now)
        claimed = SweepSchedule.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=planned
        )
        return planned if claimed else None

    def claim_next(self, scheduled_for: dt.datetime, *, now: dt.datetime) -> dt.datetime | None:
        """Claim the run planned for `scheduled_for` and plan the next; None if another
        chain owns the schedule (or claimed this run already)."""
        following = self.next_run(scheduled_for, now)
        claimed = SweepSchedule.objects.filter(name=self.name, next_run_at=scheduled_for).update(
            next_run_at=following, last_run_at=now
        )
        return following if claimed else None


def every(interval: Callable[[], dt.timedelta], name: str, task: Task[[str], Any]) -> PeriodicChain:
    """A chain that runs every `interval()`: the first run at once, the next one interval
    after the planned one (or now, when late), dead when two intervals late."""
    return PeriodicChain(
        name=name,
        task=task,
        first_run=lambda now: now,
        next_run=lambda scheduled_for, now: max(scheduled_for + interval(), now),
        dead_after=lambda: 2 * interval(),
    )
