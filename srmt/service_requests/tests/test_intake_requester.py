"""Intake keeps what the caller said (issue 9, ADR 28): the person on the case is brought up
to date with the details the caller gave, audited; what they did not give stays on file."""

from __future__ import annotations

from dataclasses import replace

import pytest

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.notifications.models import Notification
from srmt.service_requests import services
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import make_case, make_user

RECEIPT = "EAC2190012345"
ON_FILE = {
    "name": "Ana Pérez",
    "email": "ana@example.com",
    "phone": "+18025550100",
    "language": "en",
    "zip_code": "05401",
    "country": "US",
    "sms_consent": False,
}


def _case_with_ana(*, protected: bool = False) -> tuple[Case, Person]:
    case = make_case(RECEIPT, office="ESC", is_protected=protected)
    person = Person.objects.create(**ON_FILE)
    CaseParty.objects.create(case=case, person=person, role="applicant")
    return case, person


def _submit(actor: User, requester: RequesterData, **extra: object) -> services.ServiceRequest:
    sr, _created = services.submit_request(
        services.Submission(
            type="general_case_inquiry",
            channel="phone_tier1",
            description="Asks about the interview.",
            receipt_number=RECEIPT,
            requester=requester,
            **extra,  # type: ignore[arg-type]
        ),
        actor=actor,
    )
    return sr


def _on_file(person: Person) -> dict[str, object]:
    person.refresh_from_db()
    return {name: getattr(person, name) for name in ON_FILE}


@pytest.mark.parametrize(
    ("said", "changes"),
    [
        # the defect: Spanish and a new phone number were discarded
        (
            RequesterData("Ana Pérez", "ana@example.com", phone="802-555-0199", language="es"),
            {"phone": ["+18025550100", "+18025550199"], "language": ["en", "es"]},
        ),
        (
            RequesterData("Ana María Pérez", "ANA@example.com", zip_code="05478", country="PR"),
            {
                "name": ["Ana Pérez", "Ana María Pérez"],
                "zip_code": ["05401", "05478"],
                "country": ["US", "PR"],
            },
        ),
        (
            RequesterData("Ana Pérez", "ana@example.com", sms_consent=True),
            {"sms_consent": [False, True]},
        ),
        # the API left `language` out: its default (en) is not what the caller said
        (
            RequesterData(
                "Ana Pérez", "ana@example.com", language="en", given=frozenset({"name", "email"})
            ),
            {},
        ),
        # nothing new: no write, no audit
        (RequesterData("Ana Pérez", "ana@example.com", language="en"), {}),
    ],
)
def test_what_the_caller_said_replaces_what_was_on_file(
    reference: None, said: RequesterData, changes: dict[str, list[object]]
) -> None:
    actor = make_user(role=Role.TIER1, offices=["CC-T1"])
    _case, person = _case_with_ana()
    sr = _submit(actor, said)
    assert sr.requester_id == person.pk
    expected = {**ON_FILE, **{name: after for name, (_before, after) in changes.items()}}
    assert _on_file(person) == expected
    events = list(AuditEvent.objects.filter(action="person.updated"))
    if not changes:
        assert events == []
        return
    (event,) = events
    assert (event.object_type, event.object_id, event.actor_id) == (
        "person",
        str(person.pk),
        actor.pk,
    )
    assert event.changes == changes


def test_a_spanish_person_stays_spanish_when_the_api_leaves_language_out(reference: None) -> None:
    actor = make_user(role=Role.TIER1, offices=["CC-T1"])
    _case, person = _case_with_ana()
    Person.objects.filter(pk=person.pk).update(language="es")
    _submit(
        actor, RequesterData("Ana Pérez", "ana@example.com", given=frozenset({"name", "email"}))
    )
    person.refresh_from_db()
    assert person.language == "es"


def test_the_worker_may_keep_the_record_on_file(reference: None) -> None:
    actor = make_user(role=Role.TIER1, offices=["CC-T1"])
    _case, person = _case_with_ana()
    sr = _submit(
        actor,
        RequesterData("Ana Pérez", "ana@example.com", phone="802-555-0199", language="es"),
        keep_person_on_file=True,
    )
    assert sr.requester_id == person.pk
    assert _on_file(person) == ON_FILE
    assert not AuditEvent.objects.filter(action="person.updated").exists()


@pytest.mark.parametrize(("cleared", "matched"), [(False, False), (True, True)])
def test_a_protected_person_is_never_matched_for_an_uncleared_actor(
    reference: None, cleared: bool, matched: bool
) -> None:
    """8 U.S.C. 1367: a caller who knows a protected person's email must not change their
    contact details through someone without clearance; the request gets its own person."""
    actor = make_user(role=Role.TIER1, offices=["CC-T1"], is_1367_cleared=cleared)
    _case, person = _case_with_ana(protected=True)
    said = RequesterData("Ana Pérez", "ana@example.com", phone="802-555-0199", language="es")
    sr = _submit(actor, said)
    assert (sr.requester_id == person.pk) is matched
    if matched:
        assert _on_file(person)["phone"] == "+18025550199"
        return
    assert _on_file(person) == ON_FILE
    assert (sr.requester.phone, sr.requester.language) == ("+18025550199", "es")
    assert not AuditEvent.objects.filter(action="person.updated").exists()


def test_every_later_email_uses_the_new_language(reference: None) -> None:
    actor = make_user(role=Role.TIER1, offices=["CC-T1"])
    officer = make_user(role=Role.OFFICE_STAFF, offices=["ESC"])
    _case, _person = _case_with_ana()
    sr = _submit(actor, replace(RequesterData("Ana Pérez", "ana@example.com"), language="es"))
    services.add_response(sr, actor=officer, kind="initial", body="Estamos revisando su caso.")
    # the acknowledgement at intake, then the response: both in the language just said
    assert list(Notification.objects.order_by("id").values_list("kind", "language")) == [
        ("acknowledgement", "es"),
        ("response_initial", "es"),
    ]
