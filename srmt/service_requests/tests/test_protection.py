"""Requests on a case that becomes protected (8 U.S.C. 1367) move to the VAWA/T/U unit: at
once when the case systems mark it through the API, at the next sweep otherwise."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.cases.services import CaseData, upsert_case
from srmt.service_requests import protection, services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.sweep import run_sweep
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("reference")
RN = "LIN2190012345"
DATA = CaseData(receipt_number=RN, form_type="I-130", office="NSC", received_on=dt.date(2026, 1, 5))


def _requests_at_nsc() -> tuple[ServiceRequest, ServiceRequest]:
    make_case(RN, office="NSC")
    creator = make_user("creator", role=Role.SUPERVISOR)
    open_sr = make_service_request(actor=creator, receipt_number=RN)
    closed = make_service_request(actor=creator, receipt_number=RN)
    services.add_response(closed, actor=creator, kind="final", body="Done.")
    return open_sr, closed


def _place(sr: ServiceRequest) -> tuple[str, str]:
    sr.refresh_from_db()
    return sr.office.code, sr.status


def test_marking_a_case_protected_through_the_api_moves_its_open_requests_at_once() -> None:
    # given
    open_sr, closed = _requests_at_nsc()
    assert _place(open_sr) == ("NSC", "received")
    client = APIClient()
    client.force_authenticate(make_user("cs", role=Role.CASE_SYSTEM, is_1367_cleared=True))
    # when
    response = client.put(
        f"/api/v1/cases/{RN}/",
        {"form_type": "I-130", "office": "NSC", "received_on": "2026-01-05", "is_protected": True},
        format="json",
    )
    # then
    assert response.status_code == 200
    assert _place(open_sr) == ("ESC-VAWA", "transferred")
    assert _place(closed) == ("NSC", "closed")
    change = open_sr.status_changes.order_by("created_at", "id").last()
    assert (change.actor, change.reason_code, change.reason_params) == (
        None,
        "protected_case",
        {"office": "ESC-VAWA"},
    )
    assert change.reason == (
        "The case is now protected by 8 U.S.C. 1367: moved to ESC-VAWA, which works such cases"
    )
    event = AuditEvent.objects.filter(object_id=open_sr.reference).latest("id")
    assert (event.action, event.actor, event.actor_username, event.changes["office"]) == (
        "service_request.transitioned",
        None,
        "system",
        ["NSC", "ESC-VAWA"],
    )


def test_the_sweep_moves_requests_of_a_case_protected_by_another_path() -> None:
    open_sr, closed = _requests_at_nsc()
    upsert_case(replace(DATA, is_protected=True), actor=None)  # e.g. srmt import-cases
    assert _place(open_sr) == ("NSC", "received")

    first = run_sweep()
    second = run_sweep()

    assert (first.moved_to_confidential_unit, second.moved_to_confidential_unit) == (1, 0)
    assert _place(open_sr) == ("ESC-VAWA", "transferred")
    assert _place(closed) == ("NSC", "closed")


def test_nothing_moves_for_unprotected_cases_or_requests_already_at_the_unit() -> None:
    open_sr, _closed = _requests_at_nsc()
    assert protection.move_protected_requests() == 0
    upsert_case(replace(DATA, is_protected=True), actor=None)
    assert protection.move_protected_requests() == 1
    version = ServiceRequest.objects.get(pk=open_sr.pk).version
    assert protection.move_protected_requests() == 0
    assert ServiceRequest.objects.get(pk=open_sr.pk).version == version
