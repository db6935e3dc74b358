"""The daily detection run and digest as a self-scheduling task (ADR 0051).

A self-rescheduling task chain like the periodic sweep's (service_requests.periodic, row
"detections" of the schedule table), run daily at SRMT_DETECTIONS_HOUR UTC: the night's
full rollup rebuild, then the detections and the digests. `srmt worker` starts the chain
(`start_daily_detections`, through `srmt detect --schedule`); a chain whose run is a day
late (its worker died) is restarted by the next worker.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from srmt.reporting.detections.digest import send_digests
from srmt.reporting.detections.run import run_detections
from srmt.reporting.rollups.tasks import refresh_and_publish
from srmt.service_requests import periodic

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
    """One daily run: the night's full rollup rebuild (ADR 0048, Revision: it counts the
    rows an incremental refresh missed, those committed after a refresh read its
    watermarks), then the detections and the digests on the rebuilt rollups. A scheduled
    run (`scheduled_for`, ISO 8601) first plans the next."""
    if scheduled_for:
        CHAIN.continue_from(dt.datetime.fromisoformat(scheduled_for))
    _result, rollup = refresh_and_publish(full=True)
    return {"rollup": rollup, **run_once()}


def start_daily_detections() -> dt.datetime | None:
    """Start the daily chain unless one is alive (the worker calls this). Returns the
    moment the first run was planned for, or None."""
    return CHAIN.start()


CHAIN = periodic.PeriodicChain(
    name=SCHEDULE_NAME,
    task=daily_detections,
    first_run=next_run,
    next_run=lambda scheduled_for, now: next_run(max(scheduled_for, now)),
    dead_after=lambda: DAY,
)
