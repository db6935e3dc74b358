from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.testing.factories import make_case

pytestmark = pytest.mark.django_db
HEADER = "receipt_number,form_type,office,received_on,status_text,status_updated_on,is_protected"


def _file(tmp_path: Path, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / "cases.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def _run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_cases", str(path), *args, stdout=out, stderr=err, verbosity=0)
    return out.getvalue(), err.getvalue()


def _refused(path: Path, *args: str) -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_cases", str(path), *args, stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 1
    return str(caught.value), err.getvalue()


def _nothing_imported(cases: int = 0) -> None:
    assert Case.objects.count() == cases
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="case.").exists()


def test_imports_creates_and_updates_in_one_go(reference, tmp_path):
    existing = make_case("EAC2190000001", form="I-130", office="ESC")
    path = _file(
        tmp_path,
        f"{HEADER},applicant_name,applicant_email,applicant_phone,applicant_language,"
        "attorney_name,attorney_g28\n"
        "eac-2190-000001,I-130,ESC,2026-03-02,Case Was Approved,2026-10-01,no,,,,,,\n"
        "LIN2290000002,i-765,nsc,2026-01-15,Case Was Received,,false,"
        "Ana Pérez,ANA@example.com,802-555-0123,es,Jo Lee,true\n"
        "EAC2290000003,I-360,ESC-VAWA,2025-12-01,,,yes,,,,,,\n",
    )
    out, err = _run(path)
    assert out == "Imported 3 cases: 2 created, 1 updated, 0 unchanged.\n"
    assert err == ""
    existing.refresh_from_db()
    assert (existing.status_text, existing.status_updated_on) == (
        "Case Was Approved",
        dt.date(2026, 10, 1),
    )
    new = Case.objects.get(receipt_number="LIN2290000002")
    assert (new.form_type.code, new.office.code, new.received_on, new.is_protected) == (
        "I-765",
        "NSC",
        dt.date(2026, 1, 15),
        False,
    )
    parties = sorted(
        CaseParty.objects.filter(case=new).values_list(
            "role",
            "person__name",
            "person__email",
            "person__phone",
            "person__language",
            "has_g28_on_file",
        )
    )
    assert parties == [
        ("applicant", "Ana Pérez", "ana@example.com", "+18025550123", "es", False),
        ("attorney", "Jo Lee", "", "", "en", True),
    ]
    assert Case.objects.get(receipt_number="EAC2290000003").is_protected is True
    assert AuditEvent.objects.filter(action="case.created").count() == 2
    assert AuditEvent.objects.filter(action="case.updated").count() == 1


def test_every_bad_row_is_reported_and_nothing_is_imported(reference, tmp_path):
    path = _file(
        tmp_path,
        f"{HEADER},applicant_name,applicant_email\n"
        "EAC2190000001,I-130,ESC,2026-03-02,,,no,,\n"
        "EAC21900,I-130,ESC,2026-03-02,,,no,,\n"
        "EAC2190000002,I-999,XYZ,2026-02-30,,03/01/2026,maybe,,\n"
        "EAC2190000001,I-130,ESC,,,,no,,\n"
        "EAC2190000004,I-130,ESC,2026-03-02,,,no,,not-an-email\n",
    )
    message, err = _refused(path)
    assert err.splitlines() == [
        "row 3, receipt_number: A receipt number is 3 letters followed by 10 digits, "
        "for example EAC2190012345.",
        "row 4, form_type: There is no form I-999.",
        "row 4, office: There is no office XYZ.",
        "row 4, received_on: 2026-02-30 is not a date as YYYY-MM-DD.",
        "row 4, status_updated_on: 03/01/2026 is not a date as YYYY-MM-DD.",
        "row 4, is_protected: maybe is not one of true, false, yes, no, 1, 0.",
        "row 5, receipt_number: EAC2190000001 is also on row 2.",
        "row 5, received_on: Give a date as YYYY-MM-DD.",
        "row 6, applicant_name: Give the applicant's name (other applicant columns are filled).",
        "row 6, applicant_email: not-an-email is not an email address.",
    ]
    assert message == "4 of 5 rows have problems (10 in all). Nothing was imported."
    _nothing_imported()


def test_missing_columns_are_named(reference, tmp_path):
    path = _file(tmp_path, "receipt_number,form_type\nEAC2190000001,I-130\n")
    message, _err = _refused(path)
    assert message == (
        f"{path}: Missing required column(s): office, received_on. The header has: "
        "receipt_number, form_type. Nothing was imported."
    )
    _nothing_imported()


def test_unknown_and_repeated_columns_are_refused(reference, tmp_path):
    path = _file(tmp_path, f"{HEADER},colour\nEAC2190000001,I-130,ESC,2026-03-02,,,no,red\n")
    assert _refused(path)[0] == f"{path}: Unknown column(s): colour. Nothing was imported."
    path = _file(tmp_path, f"{HEADER},office\nEAC2190000001,I-130,ESC,2026-03-02,,,no,ESC\n")
    assert _refused(path)[0] == f"{path}: Column(s) given twice: office. Nothing was imported."
    _nothing_imported()


def test_byte_order_mark_and_header_case_are_accepted(reference, tmp_path):
    path = _file(
        tmp_path,
        "Receipt_Number,FORM_TYPE,Office,received_on\r\nEAC2190000009,I-130,ESC,2026-03-02\r\n",
        bom=True,
    )
    out, _err = _run(path)
    assert out == "Imported 1 cases: 1 created, 0 updated, 0 unchanged.\n"
    assert list(Case.objects.values_list("receipt_number", flat=True)) == ["EAC2190000009"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "The file is empty: expected a header row and case rows."),
        ("\ufeff\n\n", "The file is empty: expected a header row and case rows."),
        (f"{HEADER}\n", "The file has a header but no case rows."),
    ],
)
def test_empty_files_are_refused(reference, tmp_path, content, expected):
    path = _file(tmp_path, content)
    assert _refused(path)[0] == f"{path}: {expected} Nothing was imported."
    _nothing_imported()


def test_a_file_that_is_not_utf8_is_refused(reference, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(f"{HEADER}\nEAC2190000001,I-130,ESC,2026-03-02,Café,,no\n".encode("latin-1"))
    message, _err = _refused(path)
    assert message.startswith(f"{path}: The file is not UTF-8 text (")
    _nothing_imported()


def test_missing_file_is_refused(reference, tmp_path):
    message, _err = _refused(tmp_path / "nope.csv")
    assert message == f"Cannot read {tmp_path / 'nope.csv'}: No such file or directory."


def test_dry_run_counts_and_saves_nothing(reference, tmp_path):
    make_case("EAC2190000001", form="I-130", office="ESC", status_text="Case Was Received")
    path = _file(
        tmp_path,
        f"{HEADER}\n"
        "EAC2190000001,I-130,ESC,2026-03-02,Case Was Received,,no\n"
        "EAC2190000002,I-130,ESC,2026-03-02,,,no\n",
    )
    out, _err = _run(path, "--dry-run")
    assert out == (
        "Would import 2 cases: 1 created, 0 updated, 1 unchanged. Dry run: nothing was saved.\n"
    )
    _nothing_imported(cases=1)


def test_unknown_actor_is_refused(reference, tmp_path):
    path = _file(tmp_path, f"{HEADER}\nEAC2190000002,I-130,ESC,2026-03-02,,,no\n")
    assert _refused(path, "--actor", "ghost")[0] == "There is no user ghost."
    _nothing_imported()


def test_g28_only_for_representatives(reference, tmp_path):
    path = _file(
        tmp_path,
        f"{HEADER},applicant_name,applicant_g28,applicant_language\n"
        "EAC2190000002,I-130,ESC,2026-03-02,,,no,Ana,true,fr\n",
    )
    _message, err = _refused(path)
    assert err.splitlines() == [
        "row 2, applicant_g28: Only an attorney or accredited representative files a G-28.",
        "row 2, applicant_language: The language must be en or es.",
    ]
    _nothing_imported()


def test_importing_the_same_file_again_changes_nothing(reference, tmp_path):
    path = _file(
        tmp_path,
        f"{HEADER},applicant_name,applicant_email,applicant_phone\n"
        "EAC2190000002,I-130,ESC,2026-03-02,Case Was Received,,no,Ana,Ana@Example.com,"
        "(802) 555-0123\n",
    )
    assert _run(path)[0] == "Imported 1 cases: 1 created, 0 updated, 0 unchanged.\n"
    people, events = Person.objects.count(), AuditEvent.objects.count()
    assert _run(path)[0] == "Imported 1 cases: 0 created, 0 updated, 1 unchanged.\n"
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)
