"""Deadline states are derived at reading; the sweep escalates, idempotent and set-based."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.notifications.models import Notification
from srmt.service_requests import tasks as schedule
from srmt.service_requests.deadline_states import count_states
from srmt.service_requests.escalations import load_default_ladder
from srmt.service_requests.models import Escalation, ServiceRequest, SweepSchedule
from srmt.service_requests.queries import filter_requests
from srmt.service_requests.sweep import run_sweep
from srmt.service_requests.tasks import start_periodic_sweep, sweep_requests
from srmt.testing.factories import make_service_request, make_user
from srmt.testing.race import run_at_once
from srmt.testing.rq import use_rq_backend

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
STATES = ("on_track", "at_risk", "overdue")


@pytest.fixture(autouse=True)
def ladder(reference: None) -> None:
    # Migration 0002 seeds the ladder; a transactional test's flush may have removed it.
    load_default_ladder()


def _request(
    *,
    created: dt.datetime,
    due: dt.datetime,
    status: str = "received",
    paused: dt.datetime | None = None,
    closed: dt.datetime | None = None,
) -> ServiceRequest:
    sr = make_service_request()
    ServiceRequest.objects.filter(pk=sr.pk).update(
        created_at=created, due_at=due, status=status, paused_at=paused, closed_at=closed
    )
    sr.refresh_from_db()
    return sr


def _levels(*requests: ServiceRequest) -> list[int]:
    rows = ServiceRequest.objects.with_escalation_level().filter(pk__in=[r.pk for r in requests])
    return [sr.escalation_level for sr in rows.order_by("pk")]


@pytest.mark.parametrize(
    ("_case", "created", "due", "status", "paused", "expected"),
    [
        ("fresh", AT - DAY, AT + 9 * DAY, "received", None, "on_track"),
        ("79 % of 10 days elapsed", AT - 7.9 * DAY, AT + 2.1 * DAY, "assigned", None,
         "on_track"),
        ("80 % elapsed is at risk", AT - 8 * DAY, AT + 2 * DAY, "in_progress", None, "at_risk"),
        ("due this very moment is at risk, not overdue", AT - 10 * DAY, AT, "received", None,
         "at_risk"),
        ("one second past due is overdue", AT - 10 * DAY, AT - dt.timedelta(seconds=1),
         "responded", None, "overdue"),
        ("paused while on track: stays on track past its due date", AT - 20 * DAY, AT - DAY,
         "awaiting_customer", AT - 15 * DAY, "on_track"),
        ("paused while at risk: stays at risk", AT - 20 * DAY, AT - DAY, "awaiting_customer",
         AT - 4 * DAY, "at_risk"),
        ("paused after its due date: stays overdue", AT - 20 * DAY, AT - 3 * DAY,
         "awaiting_customer", AT - 2 * DAY, "overdue"),
    ],
)  # fmt: skip
def test_the_state_is_read_from_the_clock_the_same_in_python_and_sql(
    _case: str,
    created: dt.datetime,
    due: dt.datetime,
    status: str,
    paused: dt.datetime | None,
    expected: str,
) -> None:
    # given
    sr = _request(created=created, due=due, status=status, paused=paused)
    # when the state is read in Python, filtered in SQL and counted in SQL
    in_python = sr.deadline_state(AT)
    filtered = {
        state: list(
            filter_requests(ServiceRequest.objects.all(), deadline_state=state, at=AT).values_list(
                "reference", flat=True
            )
        )
        for state in STATES
    }
    counted = count_states(ServiceRequest.objects.all(), at=AT)
    # then all three agree
    assert in_python == expected
    assert filtered == {state: [sr.reference] if state == expected else [] for state in STATES}
    assert counted == {state: int(state == expected) for state in STATES}
    assert (sr.is_overdue(AT), sr.is_at_risk(AT)) == (
        expected == "overdue",
        expected == "at_risk",
    )


@pytest.mark.parametrize(
    ("_case", "closed", "expected"),
    [
        ("closed before its at-risk moment", AT - 10 * DAY, "on_track"),
        ("closed late", AT, "overdue"),
    ],
)
def test_a_closed_request_is_read_at_its_closing_and_left_out_of_open_counts(
    _case: str, closed: dt.datetime, expected: str
) -> None:
    sr = _request(created=AT - 20 * DAY, due=AT - DAY, status="closed", closed=closed)
    assert sr.deadline_state(AT + 30 * DAY) == expected
    assert (sr.is_overdue(AT), sr.is_at_risk(AT)) == (False, False)
    assert count_states(ServiceRequest.objects.all(), at=AT) == dict.fromkeys(STATES, 0)
    assert [
        filter_requests(ServiceRequest.objects.all(), deadline_state=state, at=AT).count()
        for state in STATES
    ] == [0, 0, 0]


def test_time_passing_changes_the_state_without_any_write() -> None:
    # given a request created 10 days before AT, due at AT
    sr = _request(created=AT - 10 * DAY, due=AT)
    before = ServiceRequest.objects.values().get(pk=sr.pk)
    # then it is read on track, at risk, overdue as the clock moves on, and no row changes
    assert [sr.deadline_state(AT + offset) for offset in (-3 * DAY, -DAY, DAY)] == list(STATES)
    assert ServiceRequest.objects.values().get(pk=sr.pk) == before


def test_a_sweep_escalates_each_request_once_and_a_second_sweep_changes_nothing() -> None:
    # given two on track, two at risk, three overdue (past the first rung)
    plan = [(1, 9)] * 2 + [(9, 1)] * 2 + [(16, -1)] * 3
    requests = [_request(created=AT - age * DAY, due=AT + left * DAY) for age, left in plan]
    # when
    first = run_sweep(at=AT)
    second = run_sweep(at=AT)
    # then the counts are the same, the escalations happened once
    assert (first.on_track, first.at_risk, first.overdue) == (2, 2, 3)
    assert (second.on_track, second.at_risk, second.overdue) == (2, 2, 3)
    assert (first.escalations.by_level, second.escalations.by_level) == (
        {1: 3, 2: 0},
        {1: 0, 2: 0},
    )
    assert _levels(*requests) == [0, 0, 0, 0, 1, 1, 1]
    assert ServiceRequest.objects.filter(version=1).count() == 7  # the sweep is not an edit
    [event] = AuditEvent.objects.filter(action="service_requests.swept")
    assert (event.actor_id, event.actor_username) == (None, "system")  # the system actor
    assert event.changes == {
        "at": AT.isoformat(),
        "escalated": {"1": 3, "2": 0},
        "notifications": 0,
    }


def test_a_sweep_with_nothing_to_escalate_writes_nothing() -> None:
    _request(created=AT - 9 * DAY, due=AT + DAY)
    report = run_sweep(at=AT)
    assert (report.on_track, report.at_risk, report.overdue) == (0, 1, 0)
    swept = AuditEvent.objects.filter(action="service_requests.swept").count()
    sent = Notification.objects.exclude(kind="acknowledgement").count()
    assert (Escalation.objects.count(), swept, sent) == (0, 0, 0)


def test_a_sweep_takes_back_notifications_a_dead_worker_left_sending(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given one notification claimed 20 minutes before AT and never finished, one claimed
    # a minute before AT (its worker may still be sending it)
    settings.SRMT_NOTIFICATION_STALL_SECONDS = 900
    stalled, recent = (
        Notification.objects.create(
            channel="email", to_address=f"{name}@example.com", subject="s", body="b",
            transport="email", status="sending", attempts=1, claimed_at=AT - age,
        )
        for name, age in (("old", dt.timedelta(minutes=20)), ("new", dt.timedelta(minutes=1)))
    )  # fmt: skip
    # when
    with django_capture_on_commit_callbacks(execute=True):
        report = run_sweep(at=AT)
    # then the stalled one is sent again (immediate task backend), the recent one is left
    assert report.notifications_recovered == 1
    assert report.as_dict()["notifications_recovered"] == 1
    stalled.refresh_from_db()
    recent.refresh_from_db()
    assert (stalled.status, stalled.attempts) == ("sent", 2)
    assert (recent.status, recent.attempts) == ("sending", 1)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_request_exactly_once(reference: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    # given 20 requests due both rungs, 30 at risk, and a supervisor of every office
    load_default_ladder()
    make_user("sup_all", role=Role.SUPERVISOR, email="all@example.gov")
    late = [_request(created=AT - 40 * DAY, due=AT - 25 * DAY) for _n in range(20)]
    for _n in range(30):
        _request(created=AT - 9 * DAY, due=AT + DAY)
    # when two workers sweep at the same moment
    reports = run_at_once(lambda _ready: run_sweep(at=AT))
    # then every request is escalated once per rung, by one of them, and both count the same
    assert [(r.overdue, r.at_risk) for r in reports] == [(20, 30), (20, 30)]
    assert sorted(r.escalations.by_level[1] for r in reports) == [0, 20]
    assert sorted(r.escalations.by_level[2] for r in reports) == [0, 20]
    assert Escalation.objects.count() == 40
    assert _levels(*late) == [2] * 20
    # one digest per target office, each request named once (none twice, none lost)
    references = sorted(sr.reference for sr in late)
    digests = {
        n.subject: sorted(ref for line in n.body.splitlines() for ref in references if ref in line)
        for n in Notification.objects.filter(audience="staff")
    }
    assert digests == {
        "20 service requests escalated to ESC": references,
        "20 service requests escalated to HQ-SCOPS": references,
    }


def test_the_command_sweeps_as_of_a_given_moment(reference: None, capsys: Any) -> None:
    # given
    sr = _request(created=AT - 16 * DAY, due=AT - DAY)
    # when
    call_command("sweep", at=AT.isoformat())
    # then
    assert _levels(sr) == [1]
    out = capsys.readouterr().out
    assert "1 overdue, 0 at risk, 0 on track; escalated level 1: 1" in out


def test_the_command_repeats_with_every(
    reference: None, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a loop stopped (like Ctrl-C) at its second pause
    sr = _request(created=AT - 16 * DAY, due=AT - DAY)
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("srmt.service_requests.management.commands.sweep.time.sleep", sleep)
    # when
    with pytest.raises(KeyboardInterrupt):
        call_command("sweep", every=300, at=AT.isoformat())
    # then it swept twice, the second time with nothing left to do
    assert pauses == [300, 300]
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "1 overdue, 0 at risk, 0 on track; escalated level 1: 1, level 2: 0; 0 notifications; "
        "0 stalled notifications taken back; 0 due notifications woken; "
        "0 expired idempotency records purged; 0 requests on newly protected cases moved to the "
        "VAWA/T/U unit.",
        "1 overdue, 0 at risk, 0 on track; escalated level 1: 0, level 2: 0; 0 notifications; "
        "0 stalled notifications taken back; 0 due notifications woken; "
        "0 expired idempotency records purged; 0 requests on newly protected cases moved to the "
        "VAWA/T/U unit.",
    ]
    assert _levels(sr) == [1]


def test_the_loop_and_the_chain_share_the_configured_interval(
    reference: None, settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    # given an interval of two minutes and a loop stopped at its second pause
    settings.SRMT_SWEEP_SECONDS = 120
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("srmt.service_requests.management.commands.sweep.time.sleep", sleep)
    # when the loop runs without a number of seconds
    with pytest.raises(KeyboardInterrupt):
        call_command("sweep", "--every", at=AT.isoformat())
    # then it pauses for the configured interval, the one the task chain plans with
    assert pauses == [120, 120]
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert schedule.interval() == dt.timedelta(seconds=120)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "--at is not an ISO 8601 moment: yesterday"),
        ("2026-11-20T15:00:00", "--at needs a time zone offset"),
    ],
)
def test_the_command_refuses_a_bad_moment(reference: None, value: str, message: str) -> None:
    from django.core.management.base import CommandError

    sr = _request(created=AT - 16 * DAY, due=AT - DAY)
    with pytest.raises(CommandError, match=message):
        call_command("sweep", at=value)
    assert _levels(sr) == [0]
    assert Escalation.objects.count() == 0


# --- the periodic task ----------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
INTERVAL = dt.timedelta(seconds=300)


@pytest.fixture
def dummy_backend(settings: Any) -> Any:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SRMT_SWEEP_SECONDS = 300
    backend = sweep_requests.get_backend()
    backend.clear()
    return backend


def _planned(backend: Any) -> list[tuple[list[Any], dt.datetime | None]]:
    return [(r.args, r.task.run_after) for r in backend.results]


def test_the_worker_starts_one_chain_of_sweeps(
    reference: None, dummy_backend: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # when the worker starts twice (two workers, or a restart within the interval)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = start_periodic_sweep()
        with django_capture_on_commit_callbacks(execute=True):
            second = start_periodic_sweep()
    # then one sweep is queued, to run at once
    assert (first, second) == (NOW, None)
    assert _planned(dummy_backend) == [([NOW.isoformat()], None)]
    assert SweepSchedule.objects.get().next_run_at == NOW


def test_a_dead_chain_is_restarted(
    reference: None, dummy_backend: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a chain whose next run is two intervals late (its worker died)
    SweepSchedule.objects.create(name="sweep", next_run_at=NOW - 2 * INTERVAL)
    # when
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        planned = start_periodic_sweep()
    # then
    assert planned == NOW
    assert _planned(dummy_backend) == [([NOW.isoformat()], None)]


def test_a_scheduled_sweep_plans_the_next_and_a_stray_duplicate_stops(
    reference: None, dummy_backend: Any
) -> None:
    # given the schedule planned for NOW and an overdue request
    SweepSchedule.objects.create(name="sweep", next_run_at=NOW)
    sr = _request(created=AT - 16 * DAY, due=AT - DAY)
    # when the planned run and then a stray copy of it run
    with time_machine.travel(NOW + dt.timedelta(seconds=2), tick=False):
        result = sweep_requests.call(NOW.isoformat())
        stray = sweep_requests.call(NOW.isoformat())
    # then the first swept and planned the next run once; the copy swept and planned nothing
    assert (result["open_overdue"], result["escalated"]) == (1, {"1": 1, "2": 0})
    assert (stray["open_overdue"], stray["escalated"]) == (1, {"1": 0, "2": 0})
    assert _planned(dummy_backend) == [([(NOW + INTERVAL).isoformat()], NOW + INTERVAL)]
    row = SweepSchedule.objects.get()
    assert (row.next_run_at, row.last_run_at) == (NOW + INTERVAL, NOW + dt.timedelta(seconds=2))
    assert _levels(sr) == [1]


def test_the_command_starts_the_chain_once(
    reference: None, dummy_backend: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", schedule=True)
        call_command("sweep", schedule=True)
    assert capsys.readouterr().out.splitlines() == [
        f"Periodic sweep planned at {NOW.isoformat()}.",
        "Periodic sweep already scheduled (or the backend cannot defer tasks).",
    ]
    assert _planned(dummy_backend) == [([NOW.isoformat()], None)]


def test_backends_that_cannot_defer_get_no_chain(reference: None) -> None:
    # the immediate backend (tests, `make run`): `srmt sweep --every` is the way there
    assert start_periodic_sweep() is None
    assert SweepSchedule.objects.count() == 0


@pytest.mark.redis
def test_the_sweep_runs_through_the_rq_backend(
    reference: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given the production task backend against a scratch Redis database, an overdue request
    redis_connection = use_rq_backend(settings, "redis://127.0.0.1:6379/14")
    settings.SRMT_SWEEP_SECONDS = 300
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    sr = _request(created=AT - 40 * DAY, due=AT - 25 * DAY)
    # when the worker starts the chain and works the queue
    with django_capture_on_commit_callbacks(execute=True):
        planned = start_periodic_sweep()
    queue = django_rq.get_queue("default", job_class=Job)
    assert queue.count == 1
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    # then the request was swept and escalated twice, and the next run waits in Redis
    assert (sr.deadline_state(AT), _levels(sr)) == ("overdue", [2])
    assert queue.count == 0
    assert queue.scheduled_job_registry.count == 1
    assert SweepSchedule.objects.get().next_run_at == planned + INTERVAL
    redis_connection.flushdb()
