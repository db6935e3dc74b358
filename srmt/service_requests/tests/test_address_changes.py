"""A change of address is one write: its note, version bump and audit event, or nothing."""

from __future__ import annotations

from typing import Any

import pytest

from srmt.accounts.models import User
from srmt.audit import services as audit_services
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.cases.models import CaseParty, Person
from srmt.service_requests import address_changes, referrals, services
from srmt.service_requests.models import InternalNote, ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import counts, snapshot
from srmt.testing.factories import make_case, make_service_request

pytestmark = pytest.mark.usefixtures("clock")

ANA = RequesterData(name="Ana Pérez", email="ana@example.com", language="es", zip_code="05401")
OPEN_CASES = ["EAC2190000001", "EAC2190000002"]


class Injected(Exception):
    """The failure injected half-way through the write."""


@pytest.fixture
def ana_with_cases(reference: None) -> Person:
    person = Person.objects.create(name="Ana Pérez", email="ana@example.com", zip_code="05401")
    for receipt in OPEN_CASES:
        CaseParty.objects.create(case=make_case(receipt), person=person, role="applicant")
    return person


@pytest.fixture
def audit_fails_on_address_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """audit.record raises for the address change's event, after its note was written."""
    original = audit_services.record

    def record(**kwargs: Any) -> AuditEvent:
        if kwargs["action"] == AuditAction.SERVICE_REQUEST_ADDRESS_CHANGE_APPLIED:
            assert InternalNote.objects.filter(body__startswith="Change of address").exists()
            raise Injected
        return original(**kwargs)

    monkeypatch.setattr(audit_services, "record", record)


def _change_of_address() -> services.Submission:
    return services.Submission(
        type="change_of_address",
        channel="phone_tier1",
        description="Caller moved to 12 Elm St, Burlington VT 05401.",
        requester=ANA,
    )


def _person_state() -> list[tuple[Any, ...]]:
    return list(
        Person.objects.order_by("pk").values_list("pk", "email", "zip_code", "country", "phone")
    )


@pytest.mark.usefixtures("ana_with_cases")
def test_the_note_audit_event_and_version_bump_are_written_with_the_request(
    officer: User,
) -> None:
    outcome = referrals.submit_or_refer(_change_of_address(), actor=officer)
    sr = outcome.service_request
    assert sr is not None
    stored = ServiceRequest.objects.get(pk=sr.pk)
    assert (stored.version, sr.version) == (2, 2)  # created at 1, the note bumped it
    [note] = InternalNote.objects.filter(service_request=sr)
    assert note.body == (
        "Change of address applies to every open case of the person: EAC2190000001, EAC2190000002."
    )
    assert list(
        AuditEvent.objects.filter(object_id=sr.reference).order_by("pk").values_list("action")
    ) == [("service_request.created",), ("service_request.address_change_applied",)]


@pytest.mark.usefixtures("ana_with_cases", "audit_fails_on_address_change")
def test_a_failure_half_way_through_intake_leaves_nothing(officer: User) -> None:
    before, people = counts(), _person_state()
    with pytest.raises(Injected):
        referrals.submit_or_refer(_change_of_address(), actor=officer)
    assert counts() == before
    assert _person_state() == people


@pytest.mark.usefixtures("ana_with_cases")
def test_a_failure_half_way_through_applying_to_a_request_leaves_nothing(
    officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    sr = make_service_request(actor=officer, type="change_of_address", requester=ANA)
    before, people = snapshot(sr), _person_state()
    original = audit_services.record

    def record(**kwargs: Any) -> AuditEvent:
        if kwargs["action"] == AuditAction.SERVICE_REQUEST_ADDRESS_CHANGE_APPLIED:
            assert InternalNote.objects.filter(service_request=sr).count() == 1
            assert ServiceRequest.objects.get(pk=sr.pk).version == before["version"] + 1
            raise Injected
        return original(**kwargs)

    monkeypatch.setattr(audit_services, "record", record)
    with pytest.raises(Injected):
        address_changes.apply_to_open_cases(sr, actor=officer)
    assert snapshot(sr) == before
    assert _person_state() == people
    assert not InternalNote.objects.filter(service_request=sr).exists()
