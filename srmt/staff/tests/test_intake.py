"""Tier 1 intake: look up the case, see its open requests, then record a new one."""

from __future__ import annotations

import pytest

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import make_case, make_service_request, make_user

FORM = {
    "receipt_number": "",
    "type": "general_case_inquiry",
    "channel": "phone_tier1",
    "urgency": "normal",
    "description": "Caller asks about the interview.",
    "requester_name": "Luis Gómez",
    "requester_email": "luis@example.com",
    "requester_phone": "802-555-0123",
    "requester_language": "es",
}


def test_lookup_normalises_and_shows_the_case_and_its_open_requests(tier1, esc_staff):
    case = make_case("EAC2190099999", office="ESC", status_text="Interview Was Scheduled")
    open_sr = make_service_request(actor=tier1, receipt_number=case.receipt_number)
    closed_sr = make_service_request(actor=tier1, receipt_number=case.receipt_number)
    services.add_response(closed_sr, actor=esc_staff, kind="final", body="Answered.")
    response = client_for(tier1).get("/staff/intake/?receipt_number=eac-219-009-9999")
    assert response.status_code == 200
    assert response.context["receipt_number"] == "EAC2190099999"
    assert response.context["case"] == case
    assert response.context["open_requests"] == [open_sr]
    content = response.content.decode()
    assert f'href="/staff/requests/{open_sr.reference}/"' in content
    assert closed_sr.reference not in content
    assert "Interview Was Scheduled" in content
    assert 'href="/staff/intake/new/?receipt_number=EAC2190099999"' in content
    event = AuditEvent.objects.get(action="case.looked_up")
    assert event.changes == {"found": True, "open_requests": 1}


def test_lookup_rejects_a_malformed_receipt_number_in_plain_words(tier1):
    response = client_for(tier1).get("/staff/intake/?receipt_number=12345")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "receipt_number": [
            "A receipt number is 3 letters followed by 10 digits, for example EAC2190012345."
        ]
    }
    assert not AuditEvent.objects.filter(action="case.looked_up").exists()


def test_lookup_hides_protected_cases_from_uncleared_staff(tier1):
    make_case("EAC2190077777", is_protected=True)
    response = client_for(tier1).get("/staff/intake/?receipt_number=EAC2190077777")
    assert response.context["case"] is None
    assert response.context["open_requests"] == []


def test_intake_records_the_request_and_shows_its_reference(tier1):
    case = make_case("EAC2190088888", office="ESC")
    response = client_for(tier1).post(
        "/staff/intake/new/", {**FORM, "receipt_number": case.receipt_number}, follow=True
    )
    sr = ServiceRequest.objects.get()
    assert response.redirect_chain == [(f"/staff/requests/{sr.reference}/", 302)]
    assert (
        f"Service request {sr.reference} recorded and sent to Vermont Service Center."
        in response.content.decode()
    )
    assert (sr.case, sr.office.code, sr.created_by) == (case, "ESC", tier1)
    assert (sr.requester.name, sr.requester.phone, sr.requester.language) == (
        "Luis Gómez",
        "+18025550123",
        "es",
    )


ADDRESS = {
    "address_street": "12 Elm Street",
    "address_city": "Essex Junction",
    "address_state": "VT",
    "address_zip_code": "05452",
    "address_country": "US",
}


def test_intake_without_receipt_number_for_a_type_that_needs_none(tier1):
    response = client_for(tier1).post(
        "/staff/intake/new/", {**FORM, **ADDRESS, "type": "change_of_address"}
    )
    assert response.status_code == 302
    assert ServiceRequest.objects.get().receipt_number == ""


def test_intake_refusals_are_shown_on_the_form_and_nothing_is_created(tier1):
    response = client_for(tier1).post("/staff/intake/new/", {**FORM, "type": "expedite_request"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "receipt_number": ["This type of request needs the case's receipt number."],
        "expedite_criterion": ["Choose the expedite criterion."],
        "expedite_customer_deadline": ["Enter the date by which the customer needs a decision."],
        "expedite_justification": ["Say why the case is urgent."],
        "expedite_evidence": ["Describe the evidence the customer has or will send."],
    }
    bad_phone = client_for(tier1).post(
        "/staff/intake/new/",
        {**FORM, **ADDRESS, "type": "change_of_address", "requester_phone": "12"},
    )
    assert list(bad_phone.context["form"].errors) == ["requester_phone"]
    assert ServiceRequest.objects.count() == 0


def test_intake_step_two_keeps_the_receipt_number(tier1):
    response = client_for(tier1).get("/staff/intake/new/?receipt_number=EAC2190088888")
    assert 'value="EAC2190088888"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.QA_REVIEWER])
def test_intake_refused_to_roles_that_cannot_create(reference, role):
    client = client_for(make_user(role=role))
    assert client.get("/staff/intake/").status_code == 403
    assert client.post("/staff/intake/new/", FORM).status_code == 403
    assert ServiceRequest.objects.count() == 0
