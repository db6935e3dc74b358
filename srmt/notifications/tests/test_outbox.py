"""The outbox row is the truth: the sweep wakes every due row that no task will deliver.

A worker can die after the sender's transaction commits and before its delivery task is
queued; a broker can lose a task. The row stays `queued` (or `failed` with attempts left),
and the sweep enqueues a delivery for it once it is due. `deliver` claims the row with a
conditional UPDATE, so a wake-up that races the row's own task sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from srmt.notifications import delivery, services
from srmt.notifications.models import Notification
from srmt.notifications.tests.smtp import Inbox, start_smtp_server
from srmt.service_requests.sweep import run_sweep
from srmt.testing.race import run_at_once

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)
MINUTE = dt.timedelta(minutes=1)


def _queue_without_its_task(*, at: dt.datetime = AT, to: str = "ana@example.com") -> int:
    """A message committed as a crash leaves it: the row is there, its task never ran.

    Outside django_capture_on_commit_callbacks, a test's on_commit callbacks never run: the
    row is in the database and no delivery task was enqueued."""
    with time_machine.travel(at, tick=False):
        notification = delivery.send_to_customer(
            actor=None,
            kind="response_follow_up",
            channel="email",
            to_address=to,
            subject="Su solicitud de servicio SR-7KQ2-M9XD",
            body="Estimada Ana:\n\nEstamos en ello.",
            language="es",
            related_reference="SR-7KQ2-M9XD",
        )
    return notification.pk


def _row(pk: int) -> tuple[str, int, dt.datetime]:
    n = Notification.objects.get(pk=pk)
    return (n.status, n.attempts, n.next_attempt_at)


def _sweep(at: dt.datetime, capture: Any) -> Any:
    with time_machine.travel(at, tick=False), capture(execute=True):
        return run_sweep(at=at)


def test_a_message_committed_without_its_task_is_delivered_once_by_the_sweep(
    reference: None, inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    # given a queued message whose delivery task was never enqueued
    pk = _queue_without_its_task()
    assert _row(pk) == ("queued", 0, AT)
    # when the sweep runs two minutes later
    report = _sweep(AT + 2 * MINUTE, django_capture_on_commit_callbacks)
    # then it is delivered, once
    assert report.notifications_woken == 1
    assert report.as_dict()["notifications_woken"] == 1
    [(_sender, recipients, message)] = inbox.messages
    assert recipients == ["ana@example.com"]
    assert message["Subject"] == "Su solicitud de servicio SR-7KQ2-M9XD"
    assert _row(pk)[:2] == ("sent", 1)
    # and a second sweep sends nothing more
    again = _sweep(AT + 10 * MINUTE, django_capture_on_commit_callbacks)
    assert again.notifications_woken == 0
    assert len(inbox.messages) == 1
    assert _row(pk)[:2] == ("sent", 1)


@pytest.mark.parametrize(
    ("_case", "age", "woken"),
    [
        ("just committed: its own task normally wins", 30 * SECOND, False),
        ("a second short of the grace: still left to its task", MINUTE - SECOND, False),
        ("due for the whole grace: woken", MINUTE, True),
    ],
)
def test_a_just_committed_message_is_left_to_its_own_task_for_the_grace(
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    _case: str,
    age: dt.timedelta,
    woken: bool,
) -> None:
    # given (the wake-up is captured, not run: nothing is sent)
    settings.SRMT_OUTBOX_GRACE_SECONDS = 60
    pk = _queue_without_its_task()
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        count = services.wake_due(at=AT + age)
    # then
    assert count == (1 if woken else 0)
    assert len(callbacks) == (1 if woken else 0)
    assert _row(pk)[:2] == ("queued", 0)


def test_a_failed_message_is_retried_by_the_sweep_after_its_back_off(
    reference: None, smtp_port: int, django_capture_on_commit_callbacks: Any
) -> None:
    # given a message whose first attempt failed (no SMTP server), on a backend that cannot
    # retry by itself (the immediate backend, as in `make run`)
    pk = _queue_without_its_task()
    with time_machine.travel(AT, tick=False):
        assert services.deliver(pk) == "failed"
    assert _row(pk) == ("failed", 1, AT + MINUTE)  # the first back-off is a minute
    controller, inbox = start_smtp_server(smtp_port)
    try:
        # when the sweep runs within the back-off, then past it
        early = _sweep(AT + 30 * SECOND, django_capture_on_commit_callbacks)
        sent_early = len(inbox.messages)
        late = _sweep(AT + 3 * MINUTE, django_capture_on_commit_callbacks)
    finally:
        controller.stop()
    # then it is retried once, after the back-off, and delivered
    assert (early.notifications_woken, sent_early) == (0, 0)
    assert late.notifications_woken == 1
    assert len(inbox.messages) == 1
    assert _row(pk)[:2] == ("sent", 2)


def test_a_message_whose_attempts_are_used_up_is_never_retried(
    reference: None, inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    # given a message that failed its fifth and last attempt a day ago
    pk = _queue_without_its_task()
    Notification.objects.filter(pk=pk).update(status="failed", attempts=5, last_error="down")
    before = list(Notification.objects.values())
    # when
    report = _sweep(AT + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    # then
    assert report.notifications_woken == 0
    assert inbox.messages == []
    assert list(Notification.objects.values()) == before


@pytest.mark.parametrize("status", ["sent", "sending", "recorded"])
def test_messages_that_are_not_waiting_are_left_alone(
    django_capture_on_commit_callbacks: Any, status: str
) -> None:
    # "sending" belongs to a worker, or to the stalled-notification recovery
    pk = _queue_without_its_task()
    Notification.objects.filter(pk=pk).update(status=status, attempts=1, claimed_at=AT)
    before = list(Notification.objects.values())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = services.wake_due(at=AT + dt.timedelta(minutes=5))
    assert (count, callbacks) == (0, [])
    assert list(Notification.objects.values()) == before


def test_a_woken_message_is_not_woken_again_until_the_stall_window_passes(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a due message woken at T, whose task is slow (never run here)
    settings.SRMT_NOTIFICATION_STALL_SECONDS = 900
    pk = _queue_without_its_task()
    woken_at = AT + 5 * MINUTE
    with django_capture_on_commit_callbacks(execute=False):
        assert services.wake_due(at=woken_at) == 1
    # when later sweeps run
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        within = services.wake_due(at=woken_at + 14 * MINUTE)
        after = services.wake_due(at=woken_at + 16 * MINUTE + SECOND)
    # then it is woken again only once its task has had the stall window to claim it
    assert (within, after) == (0, 1)
    assert len(callbacks) == 1
    assert _row(pk)[:2] == ("queued", 0)


def test_the_sweep_wakes_a_bounded_batch_the_longest_waiting_first(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given five due messages, queued a minute apart
    settings.SRMT_OUTBOX_BATCH = 2
    settings.SRMT_NOTIFICATION_STALL_SECONDS = 900
    queued_at = [AT + n * MINUTE for n in range(5)]
    pks = [_queue_without_its_task(at=at) for at in queued_at]
    sweep_at = AT + dt.timedelta(hours=1)
    rewake_at = sweep_at + dt.timedelta(seconds=900)
    woken: list[tuple[int, int, list[dt.datetime]]] = []
    # when three sweeps run (each enqueues its wake-ups after commit, captured, not run)
    for _sweep_number in range(3):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            count = services.wake_due(at=sweep_at)
        due = [_row(pk)[2] for pk in pks]
        woken.append((count, len(callbacks), due))
    # then each woke at most two, the longest waiting first, and none twice
    assert woken == [
        (2, 1, [rewake_at, rewake_at, *queued_at[2:]]),
        (2, 1, [rewake_at] * 4 + queued_at[4:]),
        (1, 1, [rewake_at] * 5),
    ]


def test_the_command_reports_the_messages_it_woke(
    reference: None, inbox: Inbox, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _queue_without_its_task()
    at = AT + 2 * MINUTE
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", at=at.isoformat())
    out = capsys.readouterr().out
    assert "; 0 stalled notifications taken back; 1 due notifications woken; " in out
    assert len(inbox.messages) == 1


# Transactional: each thread has its own connection and sees only committed rows.
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_and_a_worker_at_once_deliver_each_message_once(
    reference: None, inbox: Inbox
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    # given 20 messages to 20 people, committed without their tasks
    addresses = [f"person{n:02}@example.com" for n in range(20)]
    pks = [_queue_without_its_task(to=address) for address in addresses]
    later = AT + 5 * MINUTE
    roles = iter(["sweep", "sweep", "worker"])

    def work(role: str) -> str:
        if role == "sweep":
            return f"sweep woke {run_sweep(at=later).notifications_woken}"
        return " ".join(services.deliver(pk) for pk in pks)

    # when two sweeps (the immediate backend delivers what they wake) and a worker that
    # delivers every message run at the same moment
    with time_machine.travel(later, tick=False):
        results = run_at_once(work, times=3, prepare=lambda: next(roles))
    # then every person got exactly one email, and every row was sent by one attempt
    assert len(results) == 3
    received = sorted(r for _sender, recipients, _message in inbox.messages for r in recipients)
    assert received == addresses
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_the_migration_makes_existing_waiting_rows_due() -> None:
    # given rows as they were before next_attempt_at existed (the column then got the
    # migration's time, LATER)
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("srmt.notifications.migrations.0003_next_attempt_at")
    created, claimed, later = AT - dt.timedelta(days=2), AT - dt.timedelta(hours=1), AT
    rows = {
        "queued, its task lost": ("queued", 0, None),
        "failed once": ("failed", 1, claimed),
        "failed twice": ("failed", 2, claimed),
        "failed once before claims were recorded": ("failed", 1, None),
        "failed for good": ("failed", 5, claimed),
        "sent": ("sent", 1, claimed),
    }
    pks = {}
    for case, (status, attempts, claimed_at) in rows.items():
        pks[case] = Notification.objects.create(
            channel="email", to_address="ana@example.com", subject=case, body="b",
            status=status, attempts=attempts, claimed_at=claimed_at, created_at=created,
            next_attempt_at=later,
        ).pk  # fmt: skip
    # when
    backfill.backfill_next_attempt(apps, None)
    # then
    due = dict(Notification.objects.values_list("pk", "next_attempt_at"))
    assert {case: due[pk] for case, pk in pks.items()} == {
        "queued, its task lost": created,
        "failed once": claimed + MINUTE,
        "failed twice": claimed + 5 * MINUTE,
        "failed once before claims were recorded": created + MINUTE,
        "failed for good": later,
        "sent": later,
    }


def test_a_stalled_message_taken_back_is_due_again_if_its_new_task_is_lost_too(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a message a dead worker left sending, taken back by the recovery, whose new
    # task is lost as well (its callback is not run)
    pk = _queue_without_its_task(at=AT - dt.timedelta(hours=1))
    Notification.objects.filter(pk=pk).update(
        status="sending", attempts=1, claimed_at=AT - 16 * MINUTE
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert services.requeue_stalled(at=AT) == 1
    assert _row(pk) == ("queued", 1, AT)
    # when a later sweep runs
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        woken = services.wake_due(at=AT + 2 * MINUTE)
    # then it is woken
    assert (woken, len(callbacks)) == (1, 1)
