"""`srmt issue-access-codes` (ADR 43): good rows issued, bad rows reported, nothing
half-written."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from srmt.access_codes import codes
from srmt.access_codes.models import OnlineAccessCode
from srmt.access_codes.tests.helpers import paper_case

pytestmark = pytest.mark.django_db


def _run(tmp_path, text: str) -> tuple[int, list[dict[str, str]], str]:
    path = tmp_path / "codes.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command("issue_access_codes", str(path), stdout=out, stderr=err)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, list(csv.DictReader(io.StringIO(out.getvalue()))), err.getvalue()


def test_good_and_bad_rows(tmp_path, settings) -> None:
    settings.SRMT_LETTER_SPOOL_DIR = str(tmp_path / "letters")
    paper_case("EAC2690000001")
    paper_case("EAC2690000002", name="Luis")
    status, report, progress = _run(
        tmp_path,
        "receipt_number,role,delivery\n"
        "EAC2690000001,applicant,none\n"
        "EAC2699999999,applicant,\n"
        "EAC26,applicant,\n"
        "EAC2690000002,attorney,\n"
        "EAC2690000002,beneficiary,\n"
        "EAC2690000002,applicant,pigeon\n"
        "EAC2690000002,applicant,\n",
    )
    assert status == 1
    assert [(r["row"], r["status"]) for r in report] == [
        ("2", "issued"),
        ("3", "refused"),
        ("4", "refused"),
        ("5", "refused"),
        ("6", "refused"),
        ("7", "refused"),
        ("8", "issued"),
    ]
    assert report[1]["error"] == "No case has this receipt number."
    assert report[2]["error"].startswith("A receipt number is 3 letters")
    first = OnlineAccessCode.objects.get(case__receipt_number="EAC2690000001")
    assert codes.matches(report[0]["code"], first.salt, first.digest)
    assert report[6]["code"] == ""  # mailed: the report never carries it
    assert OnlineAccessCode.objects.count() == 2
    assert "[6/7] row 7: refused" in progress
    assert "2 issued, 5 refused." in progress


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("receipt_number\nEAC2690000001\n", "Missing required column(s): role."),
        ("receipt_number,role,colour\n", "Unknown column(s): colour."),
        ("receipt_number,role\n", "The file has no rows."),
    ],
)
def test_unreadable_files_write_nothing(tmp_path, text: str, message: str) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("issue_access_codes", str(path))
    assert OnlineAccessCode.objects.count() == 0
