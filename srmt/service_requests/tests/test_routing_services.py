"""Routing at intake, referrals, change of address, transfers and redirects (services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
import time_machine

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.models import CaseParty, Person
from srmt.core.errors import DomainError
from srmt.notifications.models import Notification
from srmt.service_requests import redirects, referrals, services
from srmt.service_requests.models import InternalNote, ServiceRequest, ServiceRequestType
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.routing_models import Referral
from srmt.service_requests.tests.conftest import counts, snapshot
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("clock")

ANA = RequesterData(name="Ana Pérez", email="ana@example.com", language="es")


def _submission(**overrides: Any) -> services.Submission:
    fields: dict[str, Any] = {
        "type": "complaint",
        "channel": "phone_tier1",
        "description": "Caller asks when the interview will be scheduled.",
        "requester": ANA,
        "receipt_number": "",
    }
    fields.update(overrides)
    return services.Submission(**fields)


def test_a_1367_case_goes_to_the_vawa_unit_and_the_rule_is_stored(officer: User) -> None:
    make_case("WAC2190012345", office="CSC", is_protected=True)
    sr, _ = services.submit_request(
        _submission(type="general_case_inquiry", receipt_number="WAC2190012345"), actor=officer
    )
    assert (sr.office.code, sr.routing_rule.code) == ("ESC-VAWA", "protected_1367")
    event = AuditEvent.objects.get(action="service_request.created", object_id=sr.reference)
    assert (event.changes["routing_rule"], event.changes["routing_facts"]) == (
        "protected_1367",
        {"is_protected": True},
    )


def test_submit_request_refuses_a_customer_abroad(officer: User) -> None:
    before = counts()
    with pytest.raises(DomainError) as refused:
        services.submit_request(_submission(requester=replace(ANA, country="KE")), actor=officer)
    assert (refused.value.code, refused.value.field) == (
        "refer_to_international_office",
        "requester.country",
    )
    assert counts() == before


def test_submit_or_refer_records_the_referral_with_contact_details(officer: User) -> None:
    before = counts()
    outcome = referrals.submit_or_refer(
        _submission(requester=replace(ANA, country="ke", phone="+254 20 363 6000")),
        actor=officer,
    )
    assert (outcome.service_request, outcome.created) == (None, False)
    referral = Referral.objects.get()
    assert outcome.referral == referral
    assert (referral.office.code, referral.country, referral.phone, referral.language) == (
        "NAI",
        "KE",
        "+254203636000",
        "es",
    )
    # the office's public details from the reference data (seed/data/office_contacts.csv)
    office = referral.office
    assert referral.contact_details == "\n".join(
        [
            "Nairobi International Field Office",
            f"Address: {office.address}",
            f"Hours and appointments: {office.hours}",
            f"Web page: {office.web_page}",
        ]
    )
    assert referral.office.address.startswith("U.S. Embassy, United Nations Avenue")
    assert referral.reference.startswith("RF-")
    # the customer is emailed the office's contact details (messages.send_referral_notice)
    assert counts() == {
        **before,
        "audit_events": before["audit_events"] + 1,
        "notifications": before["notifications"] + 1,
    }


@pytest.mark.parametrize(
    ("requester", "code"),
    [
        (replace(ANA, country="XX"), "invalid_country_code"),
        (replace(ANA, zip_code="5478"), "invalid_zip_code"),
        (replace(ANA, zip_code="00000"), "unknown_zip_code"),
    ],
)
def test_malformed_residence_is_refused(officer: User, requester: RequesterData, code: str) -> None:
    before = counts()
    with pytest.raises(DomainError) as refused:
        referrals.submit_or_refer(_submission(requester=requester), actor=officer)
    assert refused.value.code == code
    assert counts() == before
    assert Referral.objects.count() == 0


def test_a_change_of_address_applies_to_every_open_case_of_the_person(officer: User) -> None:
    person = Person.objects.create(name="Ana Pérez", email="ANA@example.com")
    for receipt, status in [
        ("EAC2190000001", "Case Was Received"),
        ("EAC2190000002", "Interview Was Scheduled"),
        ("EAC2190000003", "Case Was Approved"),
    ]:
        CaseParty.objects.create(
            case=make_case(receipt, status_text=status), person=person, role="applicant"
        )
    make_case("EAC2190000004")  # someone else's
    outcome = referrals.submit_or_refer(_submission(type="change_of_address"), actor=officer)
    sr = outcome.service_request
    assert (outcome.referral, outcome.created) == (None, True)
    assert (sr.type.code, sr.status, sr.office.code) == ("change_of_address", "received", "CC-T2")
    [note] = InternalNote.objects.filter(service_request=sr)
    assert note.body == (
        "Change of address applies to every open case of the person: EAC2190000001, EAC2190000002."
    )
    event = AuditEvent.objects.get(action="service_request.address_change_applied")
    assert event.changes == {"cases": ["EAC2190000001", "EAC2190000002"]}


def test_a_transfer_keeps_the_clock_unless_the_type_restarts_it(
    officer: User, supervisor: User, clock: time_machine.Coordinates
) -> None:
    sr = make_service_request(actor=officer)
    due = sr.due_at
    clock.shift(dt.timedelta(days=3))
    sr = services.transition_request(
        sr, actor=supervisor, to="transferred", reason="Wrong office", office_code="CSC"
    )
    assert (sr.due_at, sr.transfer_count) == (due, 1)
    ServiceRequestType.objects.filter(code=sr.type.code).update(restarts_clock_on_transfer=True)
    sr = ServiceRequest.objects.get(pk=sr.pk)
    sr = services.transition_request(
        sr, actor=supervisor, to="transferred", reason="Back", office_code="ESC"
    )
    sr.refresh_from_db()
    assert sr.due_at == due + dt.timedelta(days=3)  # 15 calendar days from the transfer
    assert sr.transfer_count == 2


def test_ping_pong_is_flagged_once_and_supervisors_told_once(
    officer: User, supervisor: User, settings: Any
) -> None:
    settings.SRMT_TRANSFER_FLAG_AFTER = 1
    boss = make_user("boss", role=Role.SUPERVISOR, email="boss@example.gov")
    make_user("quiet", role=Role.SUPERVISOR)  # no email address: not told
    sr = make_service_request(actor=officer)
    for office in ["CSC", "ESC", "CSC"]:
        sr = services.transition_request(
            sr, actor=supervisor, to="transferred", reason="Wrong office", office_code=office
        )
    sr.refresh_from_db()
    assert (sr.transfer_count, sr.is_flagged) == (3, True)
    assert sr.flag_reason == "Transferred 2 times (more than 1); last CSC -> ESC."
    [told] = Notification.objects.filter(to_address=boss.email)
    assert told.subject == f"Request {sr.reference} keeps being transferred"


def test_redirect_closes_the_request_and_tells_the_customer(officer: User) -> None:
    sr = make_service_request(actor=officer)
    sr = redirects.redirect_request(
        sr, actor=officer, topic_code="sevp_sevis", reason="Student status question."
    )
    assert (sr.status, sr.redirect_topic.code) == ("redirected", "sevp_sevis")
    assert sr.closed_at is not None
    notification = Notification.objects.exclude(kind="acknowledgement").get(
        related_reference=sr.reference
    )
    assert notification.language == "es"
    assert "866-347-2423" in notification.body
    assert "https://www.ice.gov" in notification.body


@pytest.mark.parametrize(
    ("topic", "reason", "code"),
    [
        ("lottery", "x", "unknown_redirect_topic"),
        ("i94", "  ", "reason_required"),
    ],
)
def test_a_refused_redirect_changes_nothing(
    officer: User, topic: str, reason: str, code: str
) -> None:
    sr = make_service_request(actor=officer)
    before, state = counts(), snapshot(sr)
    with pytest.raises(DomainError) as refused:
        redirects.redirect_request(sr, actor=officer, topic_code=topic, reason=reason)
    assert refused.value.code == code
    assert (counts(), snapshot(sr)) == (before, state)


def test_a_closed_request_cannot_be_redirected(officer: User) -> None:
    sr = make_service_request(actor=officer)
    services.add_response(sr, actor=officer, kind="final", body="Answered.")
    before, state = counts(), snapshot(sr)
    with pytest.raises(DomainError) as refused:
        redirects.redirect_request(sr, actor=officer, topic_code="i94", reason="x")
    assert refused.value.code == "invalid_transition"
    assert (counts(), snapshot(sr)) == (before, state)
