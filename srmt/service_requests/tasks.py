"""Background tasks of service requests, and the one schedule of the periodic sweep.

Tasks take plain values and are idempotent.

The schedule: the sweep runs every SRMT_SWEEP_SECONDS (`interval()`), as a self-rescheduling
task chain (`CHAIN`, service_requests.periodic): `srmt worker` starts it
(`start_periodic_sweep`); a chain whose run is two intervals late (its worker died) is
restarted by the next worker. A backend that cannot defer (immediate) has no chain:
`srmt sweep --every` is the same schedule as a loop in the foreground.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from srmt.service_requests import periodic
from srmt.service_requests import sweep as sweeps

SCHEDULE_NAME = "sweep"


def interval() -> dt.timedelta:
    """The time between two sweeps (SRMT_SWEEP_SECONDS)."""
    return dt.timedelta(seconds=settings.SRMT_SWEEP_SECONDS)


@task()
def sweep_requests(scheduled_for: str = "") -> dict[str, object]:
    """Run one sweep. A scheduled run (`scheduled_for`, ISO 8601) first plans the next one."""
    if scheduled_for:
        CHAIN.continue_from(dt.datetime.fromisoformat(scheduled_for))
    return sweeps.run_sweep().as_dict()


def start_periodic_sweep() -> dt.datetime | None:
    """Start the self-scheduling sweep unless a chain is alive (the worker calls this).
    Returns the moment the first run was planned for, or None."""
    return CHAIN.start()


CHAIN = periodic.every(interval, SCHEDULE_NAME, sweep_requests)
