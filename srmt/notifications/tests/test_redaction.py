"""Secrets in a body (an online access code) are masked once a transport has sent the
message, and only then (ADR 43, Revised)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from srmt.notifications import delivery
from srmt.notifications import services as outbox
from srmt.notifications.models import Notification

pytestmark = pytest.mark.django_db

CODE = "7KQ2-M9XD-4RTB"


@pytest.mark.parametrize(
    ("body", "secrets", "kept"),
    [
        (f"Code: {CODE}.", [CODE], "Code: XXXX-XXXX-XXXX."),
        (f"{CODE} and {CODE}", [CODE], "XXXX-XXXX-XXXX and XXXX-XXXX-XXXX"),
        (f"Code: {CODE}, PIN 4417", [CODE, "4417"], "Code: XXXX-XXXX-XXXX, PIN XXXX"),
        ("No code here.", [CODE], "No code here."),
        (f"Code: {CODE}", [], f"Code: {CODE}"),
        (f"Code: {CODE}", [""], f"Code: {CODE}"),
    ],
)
def test_what_is_kept_after_delivery(body: str, secrets: list[str], kept: str) -> None:
    assert outbox.mask_secrets(body, secrets) == kept


def _send(*, to_address: str, channel: str = "email", **extra: object) -> Notification:
    return delivery.send_to_customer(
        actor=None,
        kind="account_acceptance_notice",
        channel=channel,
        to_address=to_address,
        subject="Your online access code",
        body=f"Online access code: {CODE}\n",
        language="en",
        related_reference="AC-TEST-0001",
        redact=[CODE],
        **extra,  # type: ignore[arg-type]
    )


def test_a_sent_message_keeps_only_the_masked_body(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notice = _send(to_address="ana@example.com")
    assert outbox.deliver(notice.pk) == "sent"
    sent = Notification.objects.get(pk=notice.pk)
    assert (sent.body, sent.secrets) == ("Online access code: XXXX-XXXX-XXXX\n", [])


def test_a_held_message_keeps_its_code_until_it_is_released_and_sent(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notice = _send(to_address="ana@example.com", hold_reason="Check first.")
    held = Notification.objects.get(pk=notice.pk)
    assert (held.status, held.body, held.secrets) == (
        "held",
        f"Online access code: {CODE}\n",
        [CODE],
    )
    assert outbox.deliver(notice.pk) == "skipped"
    assert Notification.objects.get(pk=notice.pk).body == held.body
    assert delivery.release([notice.pk], actor=None, demanded=True) == [notice.pk]
    assert outbox.deliver(notice.pk) == "sent"
    assert Notification.objects.get(pk=notice.pk).body == "Online access code: XXXX-XXXX-XXXX\n"


def test_a_message_staff_deliver_by_hand_keeps_its_body() -> None:
    # No address: recorded for staff, who send what the body says.
    notice = _send(to_address="", channel="mail")
    recorded = Notification.objects.get(pk=notice.pk)
    assert (recorded.status, recorded.body, recorded.secrets) == (
        "recorded",
        f"Online access code: {CODE}\n",
        [],
    )


def test_a_reviewer_s_edit_of_a_held_message_is_masked_too(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notice = _send(to_address="ana@example.com", hold_reason="Check first.")
    edited = f"Hello Ana.\nYour code is {CODE}.\n"
    assert delivery.replace_held_body(notice.pk, body=edited, actor=None)
    assert delivery.release([notice.pk], actor=None, demanded=True) == [notice.pk]
    assert outbox.deliver(notice.pk) == "sent"
    assert (
        Notification.objects.get(pk=notice.pk).body == "Hello Ana.\nYour code is XXXX-XXXX-XXXX.\n"
    )


def test_the_migration_masks_codes_in_notices_already_sent() -> None:
    migration = import_module("srmt.notifications.migrations.0014_secrets")
    body = f"Dear Ana,\nReceipt EAC2690000001.\nOnline access code: {CODE}\n"
    rows = {
        "sent notice": ("account_acceptance_notice", "sent"),
        "queued notice": ("account_acceptance_notice", "queued"),
        "recorded notice": ("account_acceptance_notice", "recorded"),
        "sent acknowledgement": ("acknowledgement", "sent"),
    }
    pks = {
        name: Notification.objects.create(
            kind=kind,
            channel="email",
            to_address="ana@example.com",
            subject=name,
            body=body,
            status=status,
        ).pk
        for name, (kind, status) in rows.items()
    }
    migration.mask_sent_codes(apps, None)
    bodies = dict(Notification.objects.values_list("pk", "body"))
    assert {name: CODE in bodies[pk] for name, pk in pks.items()} == {
        "sent notice": False,
        "queued notice": True,
        "recorded notice": True,
        "sent acknowledgement": True,
    }
    assert bodies[pks["sent notice"]] == body.replace(CODE, "XXXX-XXXX-XXXX")
