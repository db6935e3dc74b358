"""The periodic rollup refresh: a self-rescheduling task chain like the sweep's
(service_requests.periodic, row "rollup" of the schedule table).

The refresh runs every SRMT_ROLLUP_SECONDS; `srmt worker` starts the chain
(`start_periodic_rollup`), and a chain two intervals late (its worker died) is restarted by
the next worker. Each run refreshes the rollups, builds the public release into the cache
when days changed (ADR 0049), and takes the managers' dashboards' snapshot of the open stock
(ADR 0051, Revision of 2026-12-04). A backend that cannot defer has no chain:
`srmt rollup --every` runs the same steps (`refresh_and_publish`) in the foreground.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from srmt.reporting import dashboards
from srmt.reporting.public import release
from srmt.reporting.rollups import build
from srmt.service_requests import periodic

SCHEDULE_NAME = "rollup"


def interval() -> dt.timedelta:
    """The time between two refreshes (SRMT_ROLLUP_SECONDS)."""
    return dt.timedelta(seconds=settings.SRMT_ROLLUP_SECONDS)


@task()
def refresh_rollups(scheduled_for: str = "") -> dict[str, object]:
    """Run one incremental refresh. A scheduled run (`scheduled_for`, ISO 8601) first plans
    the next one."""
    if scheduled_for:
        CHAIN.continue_from(dt.datetime.fromisoformat(scheduled_for))
    return refresh_and_publish()[1]


def refresh_and_publish(*, full: bool = False) -> tuple[build.RefreshResult, dict[str, object]]:
    """One run of the schedule: refresh the rollups (or rebuild them, `full`), build the
    public releases into the cache when days changed, take the dashboards' snapshot. The
    task and `srmt rollup --every` both run this. Returns the refresh and a summary."""
    result = build.rebuild() if full else build.refresh()
    # The public pages read the unfiltered release from the cache: build it now, not when
    # the first reader asks (ADR 0049).
    published = release.warm_published() if result.days else None
    # The open stock moves with time even when no day changed: a snapshot every run.
    snapshot = dashboards.refresh_snapshot()
    return result, {
        "days": result.days,
        "rows": result.rows,
        "seconds": round(result.seconds, 3),
        "published": published,
        "dashboard_snapshot": snapshot.taken_at.isoformat(),
    }


def start_periodic_rollup() -> dt.datetime | None:
    """Start the self-scheduling refresh unless a chain is alive (the worker calls this).
    Returns the moment the first run was planned for, or None."""
    return CHAIN.start()


CHAIN = periodic.every(interval, SCHEDULE_NAME, refresh_rollups)
