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
    actor = make_user("integration", role=Role.ADMINISTRATOR)
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
    assert list(Case.objects.visible_to(cleared)) == [open_case, protected]
    assert list(Case.objects.visible_to(uncleared)) == [open_case]
