"""Party email addresses follow the one rule for email addresses (core.contacts, the same as
requesters'): trimmed, in lower case, valid, at most 254 characters, on every write path (the
service, the API and the CSV import). A refusal writes nothing."""

from __future__ import annotations

from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.cases.services import CaseData, PartyData, upsert_case
from srmt.core.errors import DomainError
from srmt.testing.factories import make_user

pytestmark = pytest.mark.usefixtures("reference")

# Valid by Django's validator (labels of at most 63 characters, 320 in all), but longer than
# the 254 characters of Person.email: PostgreSQL refused it with a DataError (a 500 from the
# API, a crash of the import) and SQLite stored it.
LONG = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".com"
BAD_EMAILS = ["ana@", "not an email", "ana@example", LONG]


def _data(email: str) -> CaseData:
    import datetime as dt

    return CaseData(
        receipt_number="EAC2190012345",
        form_type="I-130",
        office="ESC",
        received_on=dt.date(2026, 3, 2),
        parties=[PartyData(name="Ana Pérez", role="petitioner", email=email)],
    )


def state() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "people": Person.objects.count(),
        "parties": CaseParty.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def test_the_long_address_is_valid_but_too_long() -> None:
    assert len(LONG) == 260


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("ana@example.com", "ana@example.com"),
        ("  Ana.Perez@Example.COM ", "ana.perez@example.com"),
        ("", ""),
    ],
)
def test_the_service_stores_party_emails_by_the_rule(raw: str, stored: str) -> None:
    upsert_case(_data(raw), actor=None)
    assert Person.objects.get().email == stored


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_the_service_refuses_a_bad_party_email(email: str) -> None:
    before = state()
    with pytest.raises(DomainError) as refused:
        upsert_case(_data(email), actor=None)
    assert (refused.value.code, refused.value.field) == ("invalid_person", "parties.0.email")
    assert state() == before


def put(body: dict) -> object:
    client = client_for(make_user(role=Role.CASE_SYSTEM, is_1367_cleared=True))
    base = {"form_type": "I-130", "office": "NSC", "received_on": "2026-02-03"}
    return client.put("/api/v1/cases/EAC2190012345/", {**base, **body}, format="json")


def test_the_api_stores_party_emails_in_lower_case() -> None:
    response = put({"parties": [{"name": "Ana", "role": "petitioner", "email": "Ana@Example.COM"}]})
    assert response.status_code == 201
    assert response.json()["parties"][0]["email"] == "ana@example.com"
    assert Person.objects.get().email == "ana@example.com"


@pytest.mark.parametrize(
    ("email", "code"),
    # the API's input refuses what is longer than its column, as for a requester's email
    [*((email, "invalid_person") for email in BAD_EMAILS[:-1]), (LONG, "too_long")],
)
def test_the_api_refuses_a_bad_party_email(email: str, code: str) -> None:
    before = state()
    response = put({"parties": [{"name": "Ana", "role": "petitioner", "email": email}]})
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert [e["field"] for e in response.json()["errors"]] == ["parties.0.email"]
    assert state() == before


HEADER = "receipt_number,form_type,office,received_on,applicant_name,applicant_email"


def test_the_import_refuses_a_bad_email_and_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    rows = [
        f"EAC219000000{n},I-130,ESC,2026-03-02,Ana,{email}" for n, email in enumerate(BAD_EMAILS)
    ]
    path.write_text("\n".join([HEADER, *rows, "EAC2190000009,I-130,ESC,2026-03-02,Ana,a@b.co"]))
    before = state()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_cases", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"row {n + 2}, applicant_email: {email} is not an email address."
        for n, email in enumerate(BAD_EMAILS)
    ]
    assert state() == before


def test_the_import_stores_emails_in_lower_case(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(f"{HEADER}\nEAC2190000001,I-130,ESC,2026-03-02,Ana, Ana@Example.COM \n")
    call_command("import_cases", str(path), stdout=StringIO(), stderr=StringIO())
    assert Person.objects.get().email == "ana@example.com"


def test_a_case_without_parties_is_untouched_by_the_rule() -> None:
    case, created = upsert_case(replace(_data(""), parties=[]), actor=None)
    assert (created, case.parties.count()) == (True, 0)
