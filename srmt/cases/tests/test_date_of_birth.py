"""A party's date of birth comes from the case systems (import and upsert), for the
e-Request identity check (ADR 44)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from srmt.cases.models import Case, Person
from srmt.cases.services import CaseData, PartyData, upsert_case

pytestmark = pytest.mark.usefixtures("reference")
HEADER = "receipt_number,form_type,office,received_on,applicant_name,applicant_date_of_birth"


def _import(tmp_path: Path, rows: str) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(f"{HEADER}\n{rows}", encoding="utf-8")
    call_command("import_cases", str(path), stdout=StringIO(), stderr=StringIO(), verbosity=0)


def test_import_records_the_date_of_birth(tmp_path):
    _import(tmp_path, "EAC2190000701,I-130,ESC,2026-03-02,Ana Pérez,1990-04-17\n")
    assert Person.objects.get().date_of_birth == dt.date(1990, 4, 17)


def test_import_refuses_a_malformed_date_of_birth_and_imports_nothing(tmp_path):
    with pytest.raises(CommandError):
        _import(tmp_path, "EAC2190000702,I-130,ESC,2026-03-02,Ana Pérez,17/04/1990\n")
    assert (Case.objects.count(), Person.objects.count()) == (0, 0)


def _case(dob: dt.date | None) -> CaseData:
    return CaseData(
        receipt_number="EAC2190000703",
        form_type="I-130",
        office="ESC",
        received_on=dt.date(2026, 3, 2),
        parties=[PartyData(name="Ana Pérez", role="applicant", date_of_birth=dob)],
    )


def test_upsert_records_it_and_a_changed_date_is_a_change():
    upsert_case(_case(dt.date(1990, 4, 17)), actor=None)
    assert Person.objects.get().date_of_birth == dt.date(1990, 4, 17)
    upsert_case(_case(dt.date(1990, 4, 17)), actor=None)
    assert Person.objects.count() == 1  # the same parties again: nothing new
    upsert_case(_case(dt.date(1991, 4, 17)), actor=None)
    assert Case.objects.get().parties.get().person.date_of_birth == dt.date(1991, 4, 17)
