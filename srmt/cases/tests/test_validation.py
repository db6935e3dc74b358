"""Case dates within a sane range and party phone numbers in E.164, on every write path: the
service, the API and the CSV import. A refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.cases.services import CaseData, PartyData, upsert_case
from srmt.core.errors import DomainError
from srmt.testing.factories import make_user

pytestmark = pytest.mark.usefixtures("reference")

TODAY = dt.date(2026, 3, 10)
DATA = CaseData(
    receipt_number="EAC2190012345",
    form_type="I-130",
    office="ESC",
    received_on=dt.date(2026, 3, 2),
    parties=[PartyData(name="Ana Pérez", role="petitioner")],
)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 10, 15, tzinfo=dt.UTC), tick=False):
        yield


def state() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "people": Person.objects.count(),
        "parties": CaseParty.objects.count(),
        "events": AuditEvent.objects.count(),
    }


BAD_DATES = [
    # (received_on, status_updated_on, field)
    (dt.date(1, 1, 1), None, "received_on"),
    (dt.date(9999, 12, 31), None, "received_on"),
    (dt.date(1949, 12, 31), None, "received_on"),
    (dt.date(2026, 3, 12), None, "received_on"),  # two days ahead
    (dt.date(2026, 3, 2), dt.date(1, 1, 1), "status_updated_on"),
    (dt.date(2026, 3, 2), dt.date(9999, 12, 31), "status_updated_on"),
    (dt.date(2026, 3, 2), dt.date(2026, 3, 1), "status_updated_on"),  # before received
    (dt.date(2026, 3, 2), dt.date(2026, 3, 12), "status_updated_on"),
]


@pytest.mark.parametrize(("received_on", "status_updated_on", "field"), BAD_DATES)
def test_the_service_refuses_dates_out_of_range(received_on, status_updated_on, field):
    before = state()
    data = replace(DATA, received_on=received_on, status_updated_on=status_updated_on)

    with pytest.raises(DomainError) as refused:
        upsert_case(data, actor=None)

    assert (refused.value.code, refused.value.field) == ("invalid_case_date", field)
    assert state() == before


@pytest.mark.parametrize(
    ("received_on", "status_updated_on"),
    [
        (dt.date(1950, 1, 1), None),
        (dt.date(2026, 3, 11), dt.date(2026, 3, 11)),  # tomorrow: the case system's time zone
        (dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
    ],
)
def test_dates_at_the_bounds_are_accepted(received_on, status_updated_on):
    case, created = upsert_case(
        replace(DATA, received_on=received_on, status_updated_on=status_updated_on), actor=None
    )

    assert created
    assert (case.received_on, case.status_updated_on) == (received_on, status_updated_on)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("802-555-0123", "+18025550123"),
        ("(802) 555-0123", "+18025550123"),
        ("+52 55 1234 5678", "+525512345678"),
        ("", ""),
    ],
)
def test_party_phones_are_stored_in_e164(raw, stored):
    parties = [PartyData(name="Ana Pérez", role="petitioner", phone=raw)]

    upsert_case(replace(DATA, parties=parties), actor=None)

    assert Person.objects.get().phone == stored


@pytest.mark.parametrize("raw", ["12", "call me", "555-0123", "+1 802 555 01234567", "\u0661"])
def test_a_party_phone_that_is_not_a_number_is_refused_naming_the_party(raw):
    parties = [
        PartyData(name="Ana Pérez", role="petitioner", phone="802-555-0123"),
        PartyData(name="Luis Pérez", role="beneficiary", phone=raw),
    ]
    before = state()

    with pytest.raises(DomainError) as refused:
        upsert_case(replace(DATA, parties=parties), actor=None)

    assert (refused.value.code, refused.value.field) == ("invalid_person", "parties.1.phone")
    assert state() == before


def test_resending_a_phone_in_another_format_changes_nothing():
    parties = [PartyData(name="Ana Pérez", role="petitioner", phone="802-555-0123")]
    upsert_case(replace(DATA, parties=parties), actor=None)
    before = state()

    again = [PartyData(name="Ana Pérez", role="petitioner", phone="+1 802 555 0123")]
    upsert_case(replace(DATA, parties=again), actor=None)

    assert state() == before


# --- through the API ----------------------------------------------------------------------


def put(body: dict) -> object:
    client = client_for(make_user(role=Role.CASE_SYSTEM, is_1367_cleared=True))
    base = {"form_type": "I-130", "office": "NSC", "received_on": "2026-02-03"}
    return client.put("/api/v1/cases/EAC2190012345/", {**base, **body}, format="json")


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"received_on": "0001-01-01"}, "received_on", "invalid_case_date"),
        ({"received_on": "9999-12-31"}, "received_on", "invalid_case_date"),
        ({"status_updated_on": "2026-02-02"}, "status_updated_on", "invalid_case_date"),
        (
            {"parties": [{"name": "Ana", "role": "petitioner", "phone": "not a phone"}]},
            "parties.0.phone",
            "invalid_person",
        ),
    ],
)
def test_the_api_refuses_bad_case_dates_and_phones(body, field, code):
    before = state()

    response = put(body)

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert [e["field"] for e in response.json()["errors"]] == [field]
    after = state()
    assert {k: v for k, v in after.items() if k != "events"} == {
        k: v for k, v in before.items() if k != "events"
    }
    assert not AuditEvent.objects.filter(object_type="case").exists()


def test_the_api_stores_party_phones_in_e164():
    response = put({"parties": [{"name": "Ana", "role": "petitioner", "phone": "802 555 0123"}]})

    assert response.status_code == 201
    assert response.json()["parties"][0]["phone"] == "+18025550123"


# --- through the CSV import ---------------------------------------------------------------

HEADER = (
    "receipt_number,form_type,office,received_on,status_updated_on,applicant_name,applicant_phone"
)


def refused_import(tmp_path: Path, rows: str) -> list[str]:
    path = tmp_path / "cases.csv"
    path.write_text(f"{HEADER}\n{rows}", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_cases", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def test_the_import_reports_bad_dates_and_phones_and_imports_nothing(tmp_path):
    before = state()

    problems = refused_import(
        tmp_path,
        "EAC2190000001,I-130,ESC,0001-01-01,,,\n"
        "EAC2190000002,I-130,ESC,9999-12-31,,,\n"
        "EAC2190000003,I-130,ESC,2026-03-02,2026-03-01,,\n"
        "EAC2190000004,I-130,ESC,2026-03-02,,Ana,555\n"
        "EAC2190000005,I-130,ESC,2026-03-02,2026-03-02,Ana,802-555-0123\n",
    )

    assert problems == [
        "row 2, received_on: Use a date from 1950-01-01 to 2026-03-11.",
        "row 3, received_on: Use a date from 1950-01-01 to 2026-03-11.",
        "row 4, status_updated_on: The status date cannot be before the date the case was "
        "received (2026-03-02).",
        "row 5, applicant_phone: 555 is not a phone number.",
    ]
    assert state() == before
