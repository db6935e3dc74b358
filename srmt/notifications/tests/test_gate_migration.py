"""Migration 0005 fills in the gate's fields on rows written before the gate (ADR 26)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from srmt.accounts.choices import Role
from srmt.notifications.models import Notification
from srmt.service_requests import redirects, services
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import make_service_request, make_user

pytestmark = pytest.mark.usefixtures("reference")
migration = importlib.import_module("srmt.notifications.migrations.0005_delivery_gate")


def test_older_rows_get_their_transport_kind_actor_and_audience() -> None:
    # given rows as they were written before the gate
    officer = make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"])
    make_user("sam", role=Role.SUPERVISOR, email="Sam@uscis.example")
    by_email = make_service_request()
    by_phone = make_service_request(
        requester=RequesterData(name="Luis Soto", phone="802-555-0199", language="es")
    )
    redirected = make_service_request()
    Notification.objects.filter(kind="acknowledgement").delete()  # none were written then
    answer = services.add_response(by_email, actor=officer, kind="initial", body="Soon.")
    call = services.add_response(by_phone, actor=officer, kind="final", body="Done.")
    redirects.redirect_request(redirected, actor=officer, topic_code="i94", reason="I-94.")
    notice = Notification.objects.get(related_reference=redirected.reference)
    digest = Notification.objects.create(
        channel="email", to_address="sam@uscis.example", subject="2 escalated", body="b",
        status="sent",
    )  # fmt: skip
    stray = Notification.objects.create(
        channel="email", to_address="someone@example.com", subject="x", body="b", status="sent"
    )
    Notification.objects.update(kind="", actor=None, audience="customer", transport="")
    # when
    migration.backfill_gate_fields(apps, None)
    # then
    rows = {n.pk: (n.audience, n.kind, n.actor_id, n.transport) for n in Notification.objects.all()}
    assert rows == {
        answer.notification_id: ("customer", "response_initial", officer.pk, "email"),
        call.notification_id: ("customer", "response_final", officer.pk, ""),
        notice.pk: ("customer", "redirect_notice", officer.pk, "email"),
        digest.pk: ("staff", "", None, "email"),
        stray.pk: ("customer", "", None, "email"),
    }
