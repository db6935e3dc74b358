"""Migration 0006 marks older outbox rows about protected cases as confidential."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from srmt.notifications.models import Notification
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("reference")
migration = importlib.import_module(
    "srmt.service_requests.migrations.0006_confidential_notifications"
)


def _message(subject: str, body: str = "", related_reference: str = "") -> Notification:
    return Notification.objects.create(
        channel="email",
        to_address="someone@example.com",
        subject=subject,
        body=body,
        related_reference=related_reference,
    )


def test_older_messages_about_protected_cases_are_marked() -> None:
    # given rows written before the mark existed
    cleared = make_user("cleared", is_1367_cleared=True)
    protected = make_service_request(
        actor=cleared, receipt_number=make_case(is_protected=True).receipt_number
    )
    public = make_service_request(actor=cleared)
    Notification.objects.update(is_confidential=False)
    about_protected = _message("Your request", related_reference=protected.reference)
    about_public = _message("Your request", related_reference=public.reference)
    digest = _message("2 escalated to ESC", body=f"{public.reference}\n{protected.reference}")
    unit_digest = _message("1 escalated to ESC-VAWA", body="(none you may see)")
    plain_digest = _message("1 escalated to ESC", body=public.reference)
    # when
    migration.mark_confidential_messages(apps, None)
    # then
    marked = dict(Notification.objects.values_list("pk", "is_confidential"))
    assert [
        marked[n.pk] for n in (about_protected, about_public, digest, unit_digest, plain_digest)
    ] == [True, False, True, True, False]
