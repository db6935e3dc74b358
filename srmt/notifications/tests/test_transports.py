"""The transport registry's contract (ADR 26), proven with a real adapter registered here.

`PortalInbox` delivers the secure_message channel into a list (the test's portal inbox):
the gate picks it for that channel, the delivery task dispatches to it, its own retry
policy and status mapping apply. Only email is registered in SRMT itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import time_machine
from django.core import mail

from srmt.notifications import delivery, services, transports
from srmt.notifications.models import Notification
from srmt.notifications.tasks import deliver_notification
from srmt.notifications.transports import DeliveryError, Outcome

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


class PortalInbox(transports.Transport):
    """Puts each message in `inbox`; fails as `script` says, one entry per attempt."""

    name = "test-portal"
    channel = "secure_message"
    max_attempts = 3
    retry_delays = (2 * MINUTE, 7 * MINUTE)
    inbox: ClassVar[list[tuple[str, str]]] = []
    script: ClassVar[list[Outcome]] = []

    def deliver(self, notification: Notification) -> None:
        outcome = self.script.pop(0) if self.script else Outcome.SENT
        if outcome is not Outcome.SENT:
            raise DeliveryError(f"portal said {outcome.value}", outcome=outcome)
        self.inbox.append((notification.to_address, notification.subject))


@pytest.fixture
def portal() -> Iterator[type[PortalInbox]]:
    PortalInbox.inbox.clear()
    PortalInbox.script.clear()
    transports.register(PortalInbox)
    yield PortalInbox
    transports.unregister(PortalInbox.name)


def _send(channel: str = "secure_message", **overrides: Any) -> Notification:
    fields: dict[str, Any] = {
        "actor": None,
        "kind": "response_follow_up",
        "channel": channel,
        "to_address": "ana-portal-7",
        "subject": "Su solicitud de servicio SR-7KQ2-M9XD",
        "body": "Estimada Ana:\n\nEstamos en ello.",
        "language": "es",
        "related_reference": "SR-7KQ2-M9XD",
        **overrides,
    }
    return delivery.send_to_customer(**fields)


def _row(pk: int) -> tuple[str, int, int, str, dt.datetime]:
    n = Notification.objects.get(pk=pk)
    return (n.status, n.attempts, n.max_attempts, n.last_error, n.next_attempt_at)


def test_email_and_letters_are_registered() -> None:
    assert transports.registered() == ["email", "letter"]
    assert transports.for_channel("email") is transports.get("email")
    assert transports.for_channel("mail") is transports.get("letter")
    assert [transports.for_channel(c) for c in ("sms", "phone", "secure_message")] == [
        None,
        None,
        None,
    ]


@pytest.mark.parametrize("name", ["sms", "print-vendor", "portal", ""])
def test_an_unregistered_transport_is_refused_with_a_clear_error(name: str) -> None:
    with pytest.raises(transports.UnknownTransport) as refused:
        transports.get(name)
    assert (
        str(refused.value) == f"No transport is registered as {name!r} (registered: email, letter)."
    )


def test_the_gate_refuses_an_unregistered_or_mismatched_transport_and_writes_nothing() -> None:
    with pytest.raises(transports.UnknownTransport, match="No transport is registered as 'sms'"):
        _send(channel="sms", transport="sms", to_address="802-555-0123")
    with pytest.raises(transports.UnknownTransport, match="delivers 'email', not 'sms'"):
        _send(channel="sms", transport="email", to_address="802-555-0123")
    with pytest.raises(delivery.NotACustomerMessage):
        _send(channel="email", kind="escalation_digest")
    assert Notification.objects.count() == 0


def test_a_channel_without_a_transport_is_recorded_for_staff_to_deliver() -> None:
    letter = _send(channel="mail", to_address="")
    assert (letter.status, letter.transport, letter.sent_at is not None) == ("recorded", "", True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "email"}, "A transport named 'email' is already registered."),
        ({"channel": "email"}, "A transport for 'email' is already registered."),
        ({"channel": "pigeon"}, "'pigeon' is not a delivery channel."),
        ({"max_attempts": 0}, "Transport 'test-portal' needs at least one attempt and one delay."),
        ({"retry_delays": ()}, "Transport 'test-portal' needs at least one attempt and one delay."),
    ],
)
def test_registration_refuses_ambiguous_or_unusable_transports(
    change: dict[str, Any], message: str
) -> None:
    bad = type("Bad", (PortalInbox,), change)
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        transports.register(bad)
    assert transports.registered() == ["email", "letter"]


def test_a_registered_transport_delivers_its_channel_through_the_task(
    portal: type[PortalInbox], django_capture_on_commit_callbacks: Any
) -> None:
    # when
    with time_machine.travel(AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        notification = _send()
    # then it went through the adapter, once, and not by email
    assert (notification.transport, notification.max_attempts) == ("test-portal", 3)
    assert portal.inbox == [("ana-portal-7", "Su solicitud de servicio SR-7KQ2-M9XD")]
    assert mail.outbox == []
    assert _row(notification.pk)[:4] == ("sent", 1, 3, "")
    assert services.deliver(notification.pk) == "skipped"
    assert len(portal.inbox) == 1


def test_its_retry_policy_and_status_mapping_apply(portal: type[PortalInbox]) -> None:
    # given a portal that fails twice, then takes the message
    portal.script.extend([Outcome.RETRY, Outcome.RETRY])
    with time_machine.travel(AT, tick=False):
        pk = _send().pk
    # when attempts are made as the back-off allows
    with time_machine.travel(AT, tick=False):
        first = services.deliver(pk)
    assert (first, _row(pk)) == ("failed", ("failed", 1, 3, "portal said retry", AT + 2 * MINUTE))
    with time_machine.travel(AT + 2 * MINUTE, tick=False):
        second = services.deliver(pk)
    assert (second, _row(pk)) == (
        "failed",
        ("failed", 2, 3, "portal said retry", AT + 9 * MINUTE),
    )
    # the sweep wakes it by its own back-off
    with time_machine.travel(AT + 10 * MINUTE, tick=False):
        assert services.wake_due(at=AT + 10 * MINUTE) == 1
        third = deliver_notification.call(pk)
    # then
    assert third == "sent"
    assert _row(pk)[:4] == ("sent", 3, 3, "")
    assert portal.inbox == [("ana-portal-7", "Su solicitud de servicio SR-7KQ2-M9XD")]


def test_its_attempts_run_out_by_its_own_limit(portal: type[PortalInbox]) -> None:
    portal.script.extend([Outcome.RETRY] * 3)
    pk = _send().pk
    results = [services.deliver(pk) for _ in range(4)]
    assert results == ["failed", "failed", "failed", "skipped"]
    assert _row(pk)[:3] == ("failed", 3, 3)
    assert services.schedule_retry(pk) is None
    assert services.wake_due(at=AT + dt.timedelta(days=30)) == 0
    assert portal.inbox == []


def test_a_rejection_for_good_is_never_retried(portal: type[PortalInbox]) -> None:
    portal.script.append(Outcome.REJECTED)
    pk = _send().pk
    assert services.deliver(pk) == "failed"
    assert _row(pk)[:4] == ("failed", 1, 1, "portal said rejected")
    assert services.deliver(pk) == "skipped"
    assert services.schedule_retry(pk) is None
    assert services.wake_due(at=AT + dt.timedelta(days=30)) == 0
    assert portal.inbox == []


def test_a_row_whose_transport_is_gone_fails_for_good_with_the_reason(
    portal: type[PortalInbox],
) -> None:
    pk = _send().pk
    transports.unregister("test-portal")
    try:
        assert services.deliver(pk) == "failed"
    finally:
        transports.register(PortalInbox)
    status, attempts, max_attempts, error, _due = _row(pk)
    assert (status, attempts, max_attempts) == ("failed", 1, 1)
    assert error == "No transport is registered as 'test-portal' (registered: email, letter)."
    assert portal.inbox == []


def test_an_email_without_an_address_is_rejected_for_good() -> None:
    # only a row written by hand can lack one: the gate records such a message for staff
    row = Notification.objects.create(
        channel="email", transport="email", to_address="", subject="s", body="b"
    )
    assert services.deliver(row.pk) == "failed"
    assert _row(row.pk)[:4] == ("failed", 1, 1, "No email address to send to.")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("path", "ids"),
    [
        ("srmt.notifications.delivery.ReleaseNow", []),
        ("srmt.notifications.delivery.HoldAll", []),
        ("srmt.notifications.delivery.Nobody", ["srmt.E101"]),
        ("srmt.notifications.delivery.Decision", ["srmt.E102"]),
    ],
)
def test_srmt_check_refuses_a_release_policy_it_cannot_use(
    settings: Any, path: str, ids: list[str]
) -> None:
    from srmt.notifications.checks import release_policy_is_usable

    settings.SRMT_RELEASE_POLICY = path
    assert [m.id for m in release_policy_is_usable(None)] == ids
