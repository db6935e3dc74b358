"""upsert_case: create, update, no-op, parties, G-28 rule, unknown codes and 1367 visibility."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.cases.services import CaseData, PartyData, upsert_case
from srmt.core.errors import DomainError
from srmt.testing.factories import make_case, make_user

pytestmark = pytest.mark.usefixtures("reference")

PETITIONER = PartyData(name="Ana Pérez", role="petitioner", email="ana@example.com")
BENEFICIARY = PartyData(name="Luis Pérez", role="beneficiary", language="es")
ATTORNEY = PartyData(name="Kim Law", role="attorney", has_g28_on_file=True, external_id="A-1")
DATA = CaseData(
    receipt_number="eac-219-001-2345",
    form_type="i-130",
    office="esc",
    received_on=dt.date(2026, 3, 2),
    status_text="Case Was Received",
    parties=[PETITIONER, BENEFICIARY],
)


def _case_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="case"))


def _state() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "people": Person.objects.count(),
        "parties": CaseParty.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def _parties(case: Case) -> list[tuple[str, str, bool]]:
    return sorted(
        (p.person.name, p.role, p.has_g28_on_file)
        for p in CaseParty.objects.filter(case=case).select_related("person")
    )


def test_a_new_case_is_created_and_audited() -> None:
    # given
    actor = make_user("integration", role=Role.CASE_SYSTEM, is_1367_cleared=True)
    # when
    case, created = upsert_case(DATA, actor=actor)
    # then
    assert created is True
    case.refresh_from_db()
    assert (case.receipt_number, case.form_type.code, case.office.code) == (
        "EAC2190012345",
        "I-130",
        "ESC",
    )
    assert (case.received_on, case.status_text, case.is_protected) == (
        dt.date(2026, 3, 2),
        "Case Was Received",
        False,
    )
    assert _parties(case) == [
        ("Ana Pérez", "petitioner", False),
        ("Luis Pérez", "beneficiary", False),
    ]
    [event] = _case_events()
    assert (event.action, event.object_id, event.actor, event.actor_username) == (
        "case.created",
        "EAC2190012345",
        actor,
        "integration",
    )
    assert event.changes == {
        "form_type_id": case.form_type_id,
        "office_id": case.office_id,
        "received_on": "2026-03-02",
        "status_text": "Case Was Received",
        "status_updated_on": None,
        "is_protected": False,
        "parties": ["petitioner", "beneficiary"],
    }


def test_an_update_records_only_what_changed() -> None:
    # given
    case, _ = upsert_case(DATA, actor=None)
    # when
    updated, created = upsert_case(
        replace(
            DATA,
            office="CSC",
            status_text="Case Was Transferred",
            status_updated_on=dt.date(2026, 4, 1),
        ),
        actor=None,
    )
    # then
    assert (created, updated.pk) == (False, case.pk)
    updated.refresh_from_db()
    assert (updated.office.code, updated.status_text) == ("CSC", "Case Was Transferred")
    event = _case_events()[-1]
    assert event.action == "case.updated"
    assert event.changes == {
        "office_id": [case.office_id, updated.office_id],
        "status_text": ["Case Was Received", "Case Was Transferred"],
        "status_updated_on": [None, "2026-04-01"],
    }


def test_sending_the_same_case_again_changes_nothing() -> None:
    # given
    upsert_case(DATA, actor=None)
    before = _state()
    # when
    _case, created = upsert_case(DATA, actor=None)
    # then
    assert created is False
    assert _state() == before
    assert [e.action for e in _case_events()] == ["case.created"]


def test_no_parties_leaves_the_parties_as_they_are() -> None:
    upsert_case(DATA, actor=None)
    before = _state()
    case, _ = upsert_case(replace(DATA, parties=[]), actor=None)
    assert _state() == before
    assert len(_parties(case)) == 2


def test_parties_given_replace_the_parties() -> None:
    # given
    upsert_case(DATA, actor=None)
    # when
    case, _ = upsert_case(replace(DATA, parties=[BENEFICIARY, ATTORNEY]), actor=None)
    # then
    assert _parties(case) == [("Kim Law", "attorney", True), ("Luis Pérez", "beneficiary", False)]
    assert _case_events()[-1].changes == {"parties": ["beneficiary", "attorney"]}


def test_people_with_an_external_id_are_reused_across_cases() -> None:
    upsert_case(replace(DATA, parties=[ATTORNEY]), actor=None)
    upsert_case(replace(DATA, receipt_number="EAC2190099999", parties=[ATTORNEY]), actor=None)
    assert Person.objects.filter(external_id="A-1").count() == 1
    assert CaseParty.objects.filter(person__external_id="A-1").count() == 2


@pytest.mark.parametrize(
    ("_case", "overrides", "code", "field"),
    [
        ("unknown form", {"form_type": "I-999"}, "unknown_form_type", "form_type"),
        ("unknown office", {"office": "XYZ"}, "unknown_office", "office"),
        ("bad receipt", {"receipt_number": "EAC21"}, "invalid_receipt_number", "receipt_number"),
        (
            "G-28 for a petitioner",
            {"parties": [replace(PETITIONER, has_g28_on_file=True)]},
            "invalid_person",
            "parties",
        ),
        ("unknown role", {"parties": [replace(PETITIONER, role="cousin")]}, "invalid_person", None),
        ("nameless party", {"parties": [replace(PETITIONER, name=" ")]}, "invalid_person", None),
    ],
)
def test_invalid_case_data_is_refused_and_nothing_changes(
    _case: str, overrides: dict[str, object], code: str, field: str | None
) -> None:
    # given
    upsert_case(DATA, actor=None)
    before = _state()
    # when
    with pytest.raises(DomainError) as excinfo:
        upsert_case(replace(DATA, **overrides), actor=None)  # type: ignore[arg-type]
    # then
    assert excinfo.value.code == code
    if field is not None:
        assert excinfo.value.field == field
    assert _state() == before
    assert Case.objects.get().office.code == "ESC"


@pytest.mark.parametrize("role", ["attorney", "accredited_representative"])
def test_representatives_may_have_a_g28(role: str) -> None:
    case, _ = upsert_case(
        replace(DATA, parties=[PartyData(name="Rep", role=role, has_g28_on_file=True)]), actor=None
    )
    party = CaseParty.objects.get(case=case)
    assert (party.role, party.has_g28_on_file, party.is_representative) == (role, True, True)


def test_protected_cases_are_visible_only_with_clearance() -> None:
    # given
    open_case = make_case("EAC2190000001")
    protected = make_case("EAC2190000002", is_protected=True)
    cleared = make_user("cleared", role=Role.TIER2, is_1367_cleared=True)
    uncleared = make_user("uncleared", role=Role.ADMINISTRATOR, is_superuser=True)
    # then
    assert list(Case.objects.known_to(cleared)) == [open_case, protected]
    assert list(Case.objects.known_to(uncleared)) == [open_case]


# --- 8 U.S.C. 1367: who writes case records, and protection is never lost by omission ------


def _cleared_case_system() -> object:
    return make_user("case_system", role=Role.CASE_SYSTEM, is_1367_cleared=True)


@pytest.mark.parametrize(
    ("_case", "role", "cleared"),
    [
        ("uncleared administrator (superuser)", Role.ADMINISTRATOR, False),
        ("uncleared case system", Role.CASE_SYSTEM, False),
        ("cleared supervisor: no manage-cases", Role.SUPERVISOR, True),
        ("cleared tier 2: no manage-cases", Role.TIER2, True),
    ],
)
def test_only_cleared_case_writers_write_and_the_refusal_is_the_same_for_every_case(
    _case: str, role: str, cleared: bool
) -> None:
    # given a protected case, an unprotected one and a receipt number with no record
    make_case("EAC2190000001", is_protected=True)
    make_case("EAC2190000002")
    actor = make_user("writer", role=role, is_1367_cleared=cleared, is_superuser=True)
    before = _state()
    refusals = []
    # when
    for receipt in ("EAC2190000001", "EAC2190000002", "EAC2190000003"):
        with pytest.raises(DomainError) as excinfo:
            upsert_case(replace(DATA, receipt_number=receipt), actor=actor)  # type: ignore[arg-type]
        refusals.append((excinfo.value.code, excinfo.value.http_status, excinfo.value.message))
    # then
    assert len(set(refusals)) == 1
    assert refusals[0][:2] == ("clearance_required", 403)
    assert _state() == before
    assert list(Case.objects.values_list("receipt_number", "is_protected")) == [
        ("EAC2190000001", True),
        ("EAC2190000002", False),
    ]


@pytest.mark.parametrize(
    ("_case", "sent", "expected"),
    [
        ("left out keeps protection", None, True),
        ("true keeps protection", True, True),
    ],
)
def test_protection_is_never_cleared_by_omission(
    _case: str, sent: bool | None, expected: bool
) -> None:
    upsert_case(replace(DATA, is_protected=True), actor=None)
    case, _created = upsert_case(
        replace(DATA, status_text="Case Was Approved", is_protected=sent),
        actor=_cleared_case_system(),
    )
    case.refresh_from_db()
    assert (case.is_protected, case.status_text) == (expected, "Case Was Approved")


def test_a_new_case_left_without_protection_is_not_protected() -> None:
    case, created = upsert_case(replace(DATA, is_protected=None), actor=None)
    assert (created, case.is_protected) == (True, False)


def test_removing_protection_needs_a_reason_and_nothing_changes_without_one() -> None:
    upsert_case(replace(DATA, is_protected=True), actor=None)
    before = _state()
    with pytest.raises(DomainError) as excinfo:
        upsert_case(
            replace(DATA, is_protected=False, status_text="Changed"), actor=_cleared_case_system()
        )
    assert (excinfo.value.code, excinfo.value.field) == (
        "protection_reason_required",
        "protection_reason",
    )
    assert _state() == before
    assert Case.objects.values_list("is_protected", "status_text").get() == (
        True,
        "Case Was Received",
    )


def test_removing_protection_with_a_reason_is_audited() -> None:
    upsert_case(replace(DATA, is_protected=True), actor=None)
    actor = _cleared_case_system()
    case, _created = upsert_case(
        replace(DATA, is_protected=False, protection_reason="Filed in error as a T visa case."),
        actor=actor,
    )
    case.refresh_from_db()
    assert case.is_protected is False
    updated, removed = _case_events()[-2:]
    assert (updated.action, updated.changes) == (
        "case.updated",
        {"is_protected": [True, False], "protection_reason": "Filed in error as a T visa case."},
    )
    assert (removed.action, removed.actor, removed.changes) == (
        "case.protection_removed",
        actor,
        {"reason": "Filed in error as a T visa case."},
    )


SURVIVOR = PartyData(
    name="Rosa Díaz", role="applicant", email="rosa@example.com", external_id="P-7"
)


@pytest.mark.parametrize("first_protected", [True, False])
def test_people_are_never_matched_across_the_1367_boundary(first_protected: bool) -> None:
    # given a person (by external id) on a case on one side of the boundary
    first, _ = upsert_case(
        replace(DATA, parties=[SURVIVOR], is_protected=first_protected), actor=None
    )
    # when a case on the other side names the same external id
    second, _ = upsert_case(
        replace(
            DATA,
            receipt_number="EAC2190099999",
            parties=[SURVIVOR],
            is_protected=not first_protected,
        ),
        actor=None,
    )
    # then each case has a person of its own
    one = CaseParty.objects.get(case=first).person
    other = CaseParty.objects.get(case=second).person
    assert one.pk != other.pk
    assert Person.objects.filter(external_id="P-7").count() == 2
    assert set(CaseParty.objects.filter(person=one).values_list("case", flat=True)) == {first.pk}
    # and a third case on the first side reuses the first side's person
    third, _ = upsert_case(
        replace(
            DATA, receipt_number="EAC2190088888", parties=[SURVIVOR], is_protected=first_protected
        ),
        actor=None,
    )
    assert CaseParty.objects.get(case=third).person == one


def test_a_case_protected_later_gets_its_own_people() -> None:
    # given a person shared by two unprotected cases
    first, _ = upsert_case(replace(DATA, parties=[SURVIVOR]), actor=None)
    second, _ = upsert_case(
        replace(DATA, receipt_number="EAC2190099999", parties=[SURVIVOR]), actor=None
    )
    shared = CaseParty.objects.get(case=first).person
    # when the second case becomes protected (parties not sent again)
    upsert_case(
        replace(DATA, receipt_number="EAC2190099999", parties=[], is_protected=True),
        actor=_cleared_case_system(),
    )
    # then the protected case's person is a separate record with the same details
    moved = CaseParty.objects.get(case=second).person
    assert moved.pk != shared.pk
    assert (moved.name, moved.email, moved.external_id) == (
        "Rosa Díaz",
        "rosa@example.com",
        "P-7",
    )
    assert CaseParty.objects.get(case=first).person == shared
    assert list(CaseParty.objects.filter(person=shared).values_list("case", flat=True)) == [
        first.pk
    ]
