"""The periodic rollup refresh: one self-scheduling chain, as the sweep's (ADR 0048)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command

from srmt.reporting.models import RollupState
from srmt.reporting.public.release import current_release
from srmt.reporting.rollups.tasks import refresh_rollups, start_periodic_rollup
from srmt.service_requests.models import SweepSchedule
from srmt.testing.factories import make_service_request

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
INTERVAL = dt.timedelta(seconds=900)


@pytest.fixture
def dummy_backend(settings: Any) -> Any:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SRMT_ROLLUP_SECONDS = 900
    backend = refresh_rollups.get_backend()
    backend.clear()
    return backend


def _planned(backend: Any) -> list[tuple[list[Any], dt.datetime | None]]:
    return [(r.args, r.task.run_after) for r in backend.results]


def test_the_worker_starts_one_chain(
    reference: None, dummy_backend: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = start_periodic_rollup()
        with django_capture_on_commit_callbacks(execute=True):
            second = start_periodic_rollup()
    assert (first, second) == (NOW, None)
    assert _planned(dummy_backend) == [([NOW.isoformat()], None)]
    assert SweepSchedule.objects.get(name="rollup").next_run_at == NOW


def test_a_dead_chain_is_restarted(
    reference: None, dummy_backend: Any, django_capture_on_commit_callbacks: Any
) -> None:
    SweepSchedule.objects.create(name="rollup", next_run_at=NOW - 2 * INTERVAL)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        planned = start_periodic_rollup()
    assert planned == NOW
    assert _planned(dummy_backend) == [([NOW.isoformat()], None)]


def test_a_scheduled_run_plans_the_next_and_a_stray_copy_does_not(
    reference: None, dummy_backend: Any
) -> None:
    SweepSchedule.objects.create(name="rollup", next_run_at=NOW)
    with time_machine.travel(NOW + dt.timedelta(seconds=2), tick=False):
        first = refresh_rollups.call(NOW.isoformat())
        stray = refresh_rollups.call(NOW.isoformat())
    # the first run of an empty database is the full build; the copy finds nothing new
    assert (first["days"], first["rows"], first["published"]) == (0, 0, None)
    assert (stray["days"], stray["rows"], stray["published"]) == (0, 0, None)
    assert _planned(dummy_backend) == [([(NOW + INTERVAL).isoformat()], NOW + INTERVAL)]
    row = SweepSchedule.objects.get(name="rollup")
    assert (row.next_run_at, row.last_run_at) == (NOW + INTERVAL, NOW + dt.timedelta(seconds=2))
    assert RollupState.objects.get().refreshed_at == NOW + dt.timedelta(seconds=2)


def test_the_command_starts_the_chain_once(
    reference: None, dummy_backend: Any, django_capture_on_commit_callbacks: Any
) -> None:
    out = StringIO()
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("rollup", schedule=True, stdout=out)
        call_command("rollup", schedule=True, stdout=out)
    assert out.getvalue().splitlines() == [
        f"Periodic rollup refresh planned at {NOW.isoformat()}.",
        "Periodic rollup refresh already scheduled (or the backend cannot defer tasks).",
    ]
    assert _planned(dummy_backend) == [([NOW.isoformat()], None)]


def test_backends_that_cannot_defer_get_no_chain(reference: None) -> None:
    assert start_periodic_rollup() is None
    assert SweepSchedule.objects.filter(name="rollup").count() == 0
    assert RollupState.objects.count() == 0


def test_a_refresh_that_wrote_rows_builds_the_public_release_into_the_cache(
    reference: None, django_assert_num_queries: Any
) -> None:
    # given a week of requests, rolled up once, and one more request the next Monday
    cache.clear()
    monday = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)
    for day in range(5):
        with time_machine.travel(monday + dt.timedelta(days=day), tick=False):
            for _ in range(12):
                make_service_request()
    with time_machine.travel(monday + dt.timedelta(days=7), tick=False):
        refresh_rollups.call()
        make_service_request()
    # when the periodic refresh sees it
    with time_machine.travel(monday + dt.timedelta(days=8), tick=False):
        result = refresh_rollups.call()
        # then the unfiltered release is already in the cache: one query (the refresh state)
        with django_assert_num_queries(1):
            published = current_release()
    assert (result["days"], result["published"]) == (1, True)
    assert [(r["week"], r["requests_opened"]) for r in published.table("volume-by-week").rows] == [
        ("2026-03-02", 60)
    ]
