"""Notifications whose worker died while sending are taken back: queued again, or failed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection

from srmt.audit.models import AuditEvent
from srmt.notifications import delivery, services
from srmt.notifications.models import Notification
from srmt.notifications.tests.smtp import Inbox
from srmt.testing.race import run_at_once

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
STALLED = "Stalled: still sending 900 s after its claim"


def _sending(*, claimed: dt.datetime, attempts: int = 1, to: str = "ana@example.com") -> int:
    """A notification a worker claimed at `claimed` and has not finished since."""
    notification = Notification.objects.create(
        channel="email",
        to_address=to,
        subject="Su solicitud de servicio SR-7KQ2-M9XD",
        body="Estimada Ana:\n\nEstamos en ello.",
        language="es",
        related_reference="SR-7KQ2-M9XD",
        transport="email",
        status="sending",
        attempts=attempts,
        claimed_at=claimed,
    )
    return notification.pk


def _row(pk: int) -> tuple[str, int, str, dt.datetime | None]:
    n = Notification.objects.get(pk=pk)
    return (n.status, n.attempts, n.last_error, n.claimed_at)


def _recovery_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="notification.stalled_recovered"))


def test_a_claim_records_its_time(inbox: Inbox) -> None:
    # given
    notification = delivery.send_to_customer(
        actor=None,
        kind="response_follow_up",
        channel="email",
        to_address="ana@example.com",
        subject="Hola",
        body="Hola",
        language="es",
        related_reference="SR-7KQ2-M9XD",
    )
    # when
    with time_machine.travel(AT, tick=False):
        result = services.deliver(notification.pk)
    # then
    assert result == "sent"
    assert _row(notification.pk) == ("sent", 1, "", AT)


def test_a_stalled_notification_is_queued_again_and_delivered_once(
    inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    # given a worker claimed it 16 minutes ago and died
    pk = _sending(claimed=AT - 16 * MINUTE)
    # when
    with (
        time_machine.travel(AT, tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        recovered = services.requeue_stalled(at=AT)
        # nothing is sent before the recovery commits
        assert inbox.messages == []
    # then it is sent once, as its second attempt
    assert recovered == 1
    assert len(callbacks) == 1
    [(_sender, recipients, message)] = inbox.messages
    assert recipients == ["ana@example.com"]
    assert message["Subject"] == "Su solicitud de servicio SR-7KQ2-M9XD"
    assert _row(pk) == ("sent", 2, "", AT)
    [event] = _recovery_events()
    assert (event.actor_id, event.actor_username, event.object_type, event.object_id) == (
        None,
        "system",
        "notification",
        "*",
    )
    assert event.changes == {
        "claimed_before": (AT - 15 * MINUTE).isoformat(),
        "requeued": [pk],
        "failed": [],
    }
    # and a second recovery finds nothing to do
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.requeue_stalled(at=AT) == 0
    assert callbacks == []
    assert len(inbox.messages) == 1
    assert len(_recovery_events()) == 1


@pytest.mark.parametrize(
    ("_case", "claimed_ago", "stall_seconds", "expected"),
    [
        ("one second past the window", 15 * MINUTE + dt.timedelta(seconds=1), 900, "queued"),
        ("exactly the window: left alone", 15 * MINUTE, 900, "sending"),
        ("a minute ago: a live worker is sending it", MINUTE, 900, "sending"),
        ("a minute ago, with a 30 s window", MINUTE, 30, "queued"),
    ],
)
def test_the_stall_window_comes_from_the_setting(
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    _case: str,
    claimed_ago: dt.timedelta,
    stall_seconds: int,
    expected: str,
) -> None:
    # given
    settings.SRMT_NOTIFICATION_STALL_SECONDS = stall_seconds
    pk = _sending(claimed=AT - claimed_ago)
    # when (the queued one is not delivered: its callback is not run)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recovered = services.requeue_stalled(at=AT)
    # then
    taken_back = expected == "queued"
    assert recovered == (1 if taken_back else 0)
    assert len(callbacks) == (1 if taken_back else 0)
    assert len(_recovery_events()) == (1 if taken_back else 0)
    error = f"Stalled: still sending {stall_seconds} s after its claim" if taken_back else ""
    assert _row(pk) == (expected, 1, error, AT - claimed_ago)


def test_older_than_overrides_the_setting() -> None:
    pk = _sending(claimed=AT - 2 * MINUTE)
    assert services.requeue_stalled(at=AT, older_than=3 * MINUTE) == 0
    assert _row(pk)[0] == "sending"
    assert services.requeue_stalled(at=AT, older_than=MINUTE) == 1
    [event] = _recovery_events()
    assert event.changes["claimed_before"] == (AT - MINUTE).isoformat()


@pytest.mark.parametrize(("attempts", "expected"), [(4, "queued"), (5, "failed")])
def test_a_stalled_last_attempt_fails_for_good(
    smtp_port: int, django_capture_on_commit_callbacks: Any, attempts: int, expected: str
) -> None:
    # given a notification that stalled on its fourth or its fifth (last) attempt
    pk = _sending(claimed=AT - 16 * MINUTE, attempts=attempts)
    # when (the queued one is not delivered: its callback is not run)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recovered = services.requeue_stalled(at=AT)
    # then
    assert recovered == 1
    assert _row(pk) == (expected, attempts, STALLED, AT - 16 * MINUTE)
    assert len(callbacks) == (1 if expected == "queued" else 0)
    [event] = _recovery_events()
    assert (event.changes["requeued"], event.changes["failed"]) == (
        ([pk], []) if expected == "queued" else ([], [pk])
    )
    # a failed one is never tried again
    if expected == "failed":
        assert services.deliver(pk) == "skipped"
        assert services.schedule_retry(pk) is None
        assert _row(pk) == ("failed", 5, STALLED, AT - 16 * MINUTE)


def test_nothing_changes_when_nothing_is_stalled(django_capture_on_commit_callbacks: Any) -> None:
    # given one notification in each state, the sending one claimed a minute ago
    recent = _sending(claimed=AT - MINUTE)
    old = AT - dt.timedelta(days=3)
    for status, attempts in [("queued", 0), ("sent", 1), ("failed", 2), ("recorded", 0)]:
        pk = _sending(claimed=old, attempts=attempts)
        Notification.objects.filter(pk=pk).update(status=status)
    before = list(Notification.objects.order_by("pk").values())
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        recovered = services.requeue_stalled(at=AT)
    # then
    assert recovered == 0
    assert callbacks == []
    assert list(Notification.objects.order_by("pk").values()) == before
    assert _row(recent) == ("sending", 1, "", AT - MINUTE)
    assert _recovery_events() == []


@pytest.mark.django_db(transaction=True)
def test_two_recoveries_at_once_take_back_each_notification_once(inbox: Inbox) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    # given 30 stalled notifications, to 30 different people
    addresses = [f"person{n:02}@example.com" for n in range(30)]
    pks = [_sending(claimed=AT - 16 * MINUTE, to=address) for address in addresses]
    # when two sweeps recover at the same moment
    counts = run_at_once(lambda _ready: services.requeue_stalled(at=AT))
    # then each notification was taken back by one of them, and sent once
    assert sum(counts) == 30
    events = _recovery_events()
    assert len(events) == len([c for c in counts if c])
    assert sorted(pk for e in events for pk in e.changes["requeued"]) == sorted(pks)
    assert sorted(r for _s, recipients, _m in inbox.messages for r in recipients) == addresses
    rows = Notification.objects.values_list("status", "attempts", "last_error")
    assert set(rows) == {("sent", 2, "")}
