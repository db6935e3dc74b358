"""Background tasks of service requests. Tasks take plain values and are idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from srmt.service_requests import sweep as sweeps


@task()
def sweep_requests(scheduled_for: str = "") -> dict[str, object]:
    """Run one sweep. A scheduled run (`scheduled_for`, ISO 8601) first plans the next one."""
    if scheduled_for:
        _continue(dt.datetime.fromisoformat(scheduled_for))
    return sweeps.run_sweep().as_dict()


def _continue(scheduled_for: dt.datetime) -> None:
    following = sweeps.continue_schedule(scheduled_for, now=timezone.now())
    if following is not None and sweep_requests.get_backend().supports_defer:
        sweep_requests.using(run_after=following).enqueue(following.isoformat())


def start_periodic_sweep() -> dt.datetime | None:
    """Start the self-scheduling sweep unless a chain is alive (the worker calls this)."""
    if not sweep_requests.get_backend().supports_defer:
        return None
    with transaction.atomic():
        planned = sweeps.start_schedule()
        if planned is not None:
            iso = planned.isoformat()
            transaction.on_commit(lambda: sweep_requests.enqueue(iso))
    return planned
