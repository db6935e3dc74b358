"""Delivery through a real SMTP server (aiosmtpd) and, with Redis, through the RQ backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import transaction

from srmt.notifications import delivery, services
from srmt.notifications.models import Notification
from srmt.notifications.tasks import deliver_notification
from srmt.notifications.tests.smtp import Inbox, start_smtp_server
from srmt.testing.rq import use_rq_backend

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _queue(**overrides: str) -> Notification:
    fields = {
        "channel": "email",
        "to_address": "ana@example.com",
        "subject": "Su solicitud de servicio SR-7KQ2-M9XD",
        "body": "Estimada Ana:\n\nEstamos en ello.",
        "language": "es",
        "related_reference": "SR-7KQ2-M9XD",
        **overrides,
    }
    return delivery.send_to_customer(actor=None, kind="response_follow_up", **fields)


def test_a_queued_email_is_delivered_after_commit(
    inbox: Inbox, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _queue()
        # nothing leaves before the transaction commits
        assert inbox.messages == []
    # then
    assert len(callbacks) == 1
    [(sender, recipients, message)] = inbox.messages
    assert sender == "no-reply@srmt.example"
    assert recipients == ["ana@example.com"]
    assert message["Subject"] == "Su solicitud de servicio SR-7KQ2-M9XD"
    assert message["To"] == "ana@example.com"
    # SMTP carries CRLF line ends
    assert message.get_content() == "Estimada Ana:\r\n\r\nEstamos en ello.\r\n"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.sent_at) == ("sent", 1, NOW)
    assert notification.last_error == ""


def test_delivering_twice_sends_once(inbox: Inbox, django_capture_on_commit_callbacks: Any) -> None:
    # given
    with django_capture_on_commit_callbacks(execute=True):
        notification = _queue()
    # when
    again = services.deliver(notification.pk)
    deliver_notification.enqueue(notification.pk)
    # then
    assert again == "skipped"
    assert len(inbox.messages) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)


def _queue_then_fail() -> None:
    try:
        with transaction.atomic():
            _queue()
            raise RuntimeError("the caller's transaction fails")
    except RuntimeError:
        return
    raise AssertionError("the transaction should have failed")


def test_a_rolled_back_transaction_sends_nothing(
    inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _queue_then_fail()
    # then
    assert callbacks == []
    assert inbox.messages == []
    assert Notification.objects.count() == 0


def test_smtp_down_marks_failed_and_a_later_retry_succeeds(
    smtp_port: int, django_capture_on_commit_callbacks: Any
) -> None:
    # given no SMTP server listening
    with django_capture_on_commit_callbacks(execute=True):
        notification = _queue()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.sent_at) == ("failed", 1, None)
    assert notification.last_error == "[Errno 111] Connection refused"
    # when the server is back and delivery is retried
    controller, inbox = start_smtp_server(smtp_port)
    try:
        result = services.deliver(notification.pk)
    finally:
        controller.stop()
    # then
    assert result == "sent"
    assert len(inbox.messages) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (
        "sent",
        2,
        "",
    )


def test_delivery_gives_up_after_five_attempts(smtp_port: int) -> None:
    # given
    notification = _queue()
    # when
    results = [services.deliver(notification.pk) for _ in range(6)]
    # then
    assert results == ["failed"] * 5 + ["skipped"]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 5)


@pytest.mark.parametrize(
    ("channel", "to_address"), [("phone", "+18025274000"), ("mail", ""), ("email", "")]
)
def test_channels_staff_deliver_are_recorded_not_sent(
    inbox: Inbox, clock: Any, django_capture_on_commit_callbacks: Any, channel: str, to_address: str
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _queue(channel=channel, to_address=to_address)
    assert callbacks == []
    notification.refresh_from_db()
    assert (notification.status, notification.sent_at, notification.attempts) == (
        "recorded",
        NOW,
        0,
    )
    assert services.deliver(notification.pk) == "skipped"
    assert inbox.messages == []


@pytest.mark.redis
def test_delivery_through_the_rq_backend(
    inbox: Inbox, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given the production task backend against a scratch Redis database
    connection = use_rq_backend(settings, "redis://127.0.0.1:6379/15")
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    # when the message is queued, nothing is sent until a worker runs
    with django_capture_on_commit_callbacks(execute=True):
        notification = _queue()
    queue = django_rq.get_queue("default", job_class=Job)
    assert queue.count == 1
    assert inbox.messages == []
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True)
    # then
    assert queue.count == 0
    [(_sender, recipients, message)] = inbox.messages
    assert recipients == ["ana@example.com"]
    assert message["Subject"] == "Su solicitud de servicio SR-7KQ2-M9XD"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    connection.flushdb()


@pytest.mark.parametrize(
    ("attempts_before", "delay"),
    [
        (0, dt.timedelta(minutes=1)),
        (1, dt.timedelta(minutes=5)),
        (2, dt.timedelta(minutes=25)),
        (3, dt.timedelta(minutes=125)),
        (4, None),  # the fifth failure is the last
    ],
)
def test_a_failed_delivery_is_retried_later_on_backends_that_defer(
    smtp_port: int, settings: Any, clock: Any, attempts_before: int, delay: dt.timedelta | None
) -> None:
    # given a notification that failed `attempts_before` times, and a backend that can defer
    notification = _queue()
    Notification.objects.filter(pk=notification.pk).update(
        attempts=attempts_before, status="failed" if attempts_before else "queued"
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = deliver_notification.get_backend()
    backend.clear()
    # when the SMTP server is down
    result = deliver_notification.call(notification.pk)
    # then
    assert result == "failed"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", attempts_before + 1)
    scheduled = [(r.args, r.task.run_after) for r in backend.results]
    assert scheduled == ([] if delay is None else [([notification.pk], NOW + delay)])


def test_the_immediate_backend_does_not_retry_by_itself(smtp_port: int) -> None:
    notification = _queue()
    assert deliver_notification.call(notification.pk) == "failed"
    assert services.schedule_retry(notification.pk) is None
    notification.refresh_from_db()
    assert notification.attempts == 1
