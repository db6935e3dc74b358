"""Importing case records from a CSV file (`srmt import-cases`).

Every row is checked before anything is written; one bad row stops the whole import and the
report lists every problem (row, column, message). A clean file is imported in one
transaction through `services.upsert_case`, so each created or changed case is audited.

Row numbers are line numbers in the file: the header is row 1, the first case row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction

from srmt.accounts.models import User
from srmt.accounts.representatives import InvalidIdentifier, key_from_case_system
from srmt.audit.models import AuditEvent
from srmt.cases import validation
from srmt.cases.choices import REPRESENTATIVE_ROLES, Language, PartyRole
from srmt.cases.services import CaseData, PartyData, resolve_online_filer, upsert_case
from srmt.core.errors import DomainError, InvalidReceiptNumber
from srmt.core.receipts import normalize_receipt_number
from srmt.offices.models import FormType, Office

REQUIRED_COLUMNS = ("receipt_number", "form_type", "office", "received_on")
OPTIONAL_COLUMNS = (
    "status_text",
    "status_updated_on",
    "is_protected",
    "protection_reason",
    "filed_online_by",  # the online account's email (IOE receipts, ADR 43)
)
# Each party role takes these columns, e.g. applicant_name, attorney_g28.
PARTY_FIELDS = ("name", "email", "phone", "language", "external_id", "g28", "date_of_birth")
# With a G-28: the representative's bar state and number (NY-4512345) or EOIR number (ADR 42).
REPRESENTATIVE_COLUMNS = tuple(f"{role}_representative_id" for role in sorted(REPRESENTATIVE_ROLES))
PARTY_COLUMNS = (
    *(f"{role}_{name}" for role in PartyRole.values for name in PARTY_FIELDS),
    *REPRESENTATIVE_COLUMNS,
)
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0", ""})


class ImportFileError(Exception):
    """The file as a whole cannot be read (empty, wrong encoding, missing columns)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


class InvalidRows(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))


def read_rows(stream: IO[bytes]) -> list[_Row]:
    """Decode (UTF-8, with or without BOM) and check the header; rows are not checked yet."""
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"The file is not UTF-8 text ({exc.reason}).") from None
    if not text.strip():
        raise ImportFileError("The file is empty: expected a header row and case rows.")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    _check_header(header)
    reader.fieldnames = header
    rows = [_Row(reader.line_num, values) for values in reader]
    if not rows:
        raise ImportFileError("The file has a header but no case rows.")
    return rows


def _check_header(header: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            f"Missing required column(s): {', '.join(missing)}. "
            f"The header has: {', '.join(header) or '(nothing)'}."
        )
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(PARTY_COLUMNS)
    unknown = [c for c in header if c not in known]
    if unknown:
        raise ImportFileError(f"Unknown column(s): {', '.join(unknown)}.")
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise ImportFileError(f"Column(s) given twice: {', '.join(duplicated)}.")


def validate_rows(rows: list[_Row]) -> list[tuple[int, CaseData]]:
    """Check every row; raises InvalidRows listing all problems, else returns the cases."""
    checker = _RowChecker()
    cases = [(row.number, checker.check(row)) for row in rows]
    errors = [error for row in rows for error in row.errors]
    if errors:
        raise InvalidRows(errors)
    return cases


class _RowChecker:
    def __init__(self) -> None:
        self.forms = {c.upper(): c for c in FormType.objects.values_list("code", flat=True)}
        self.offices = {c.upper(): c for c in Office.objects.values_list("code", flat=True)}
        self.seen: dict[str, int] = {}

    def check(self, row: _Row) -> CaseData:
        receipt = self._receipt(row)
        form = self._lookup(row, "form_type", self.forms, "form")
        office = self._lookup(row, "office", self.offices, "office")
        received_on = _date(row, "received_on", required=True)
        status_updated_on = _date(row, "status_updated_on", required=False)
        if received_on is not None:
            try:
                validation.check_case_dates(received_on, status_updated_on)
            except DomainError as exc:
                row.error(exc.field or "received_on", exc.message)
        status_text = row.get("status_text")
        if len(status_text) > 200:
            row.error("status_text", "Use at most 200 characters.")
        return CaseData(
            receipt_number=receipt,
            form_type=form,
            office=office,
            received_on=received_on or dt.date.min,
            status_text=status_text,
            status_updated_on=status_updated_on,
            is_protected=_protection(row),
            protection_reason=row.get("protection_reason"),
            parties=[p for role in PartyRole.values if (p := _party(row, role)) is not None],
            filed_online_by=_filer(row),
        )

    def _receipt(self, row: _Row) -> str:
        try:
            receipt = normalize_receipt_number(row.get("receipt_number"))
        except InvalidReceiptNumber as exc:
            row.error("receipt_number", exc.message)
            return ""
        if receipt in self.seen:
            row.error("receipt_number", f"{receipt} is also on row {self.seen[receipt]}.")
        else:
            self.seen[receipt] = row.number
        return receipt

    def _lookup(self, row: _Row, column: str, known: dict[str, str], noun: str) -> str:
        value = row.get(column)
        if not value:
            row.error(column, f"Give the {noun} code.")
            return ""
        if value.upper() not in known:
            row.error(column, f"There is no {noun} {value}.")
            return ""
        return known[value.upper()]


def _filer(row: _Row) -> str | None:
    """The online filer's email, checked now (an empty column keeps the case's filer)."""
    email = row.get("filed_online_by")
    if not email:
        return None
    try:
        resolve_online_filer(email)
    except DomainError as exc:
        row.error("filed_online_by", exc.message)
    return email


def _date(row: _Row, column: str, *, required: bool) -> dt.date | None:
    value = row.get(column)
    if not value:
        if required:
            row.error(column, "Give a date as YYYY-MM-DD.")
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or len(value) != 10:  # fromisoformat also takes 20260301
        row.error(column, f"{value} is not a date as YYYY-MM-DD.")
        return None
    return day


def _protection(row: _Row) -> bool | None:
    """is_protected: blank keeps the case's protection as it is (never cleared by omission)."""
    if not row.get("is_protected"):
        return None
    return _boolean(row, "is_protected")


def _boolean(row: _Row, column: str) -> bool:
    value = row.get(column).lower()
    if value in TRUE_WORDS:
        return True
    if value not in FALSE_WORDS:
        row.error(column, f"{value} is not one of true, false, yes, no, 1, 0.")
    return False


def _party(row: _Row, role: str) -> PartyData | None:
    values = {name: row.get(f"{role}_{name}") for name in PARTY_FIELDS}
    if not any(values.values()):
        return None
    if not values["name"]:
        row.error(f"{role}_name", f"Give the {role}'s name (other {role} columns are filled).")
    elif len(values["name"]) > 200:
        row.error(f"{role}_name", "Use at most 200 characters.")
    g28 = _boolean(row, f"{role}_g28")
    if g28 and role not in REPRESENTATIVE_ROLES:
        row.error(f"{role}_g28", "Only an attorney or accredited representative files a G-28.")
    language = values["language"].lower() or Language.ENGLISH
    if language not in Language.values:
        row.error(f"{role}_language", "The language must be en or es.")
    return PartyData(
        name=values["name"],
        role=role,
        email=_email(row, role, values["email"]),
        phone=_phone(row, role, values["phone"]),
        language=language,
        has_g28_on_file=g28,
        external_id=values["external_id"][:64],
        date_of_birth=_date(row, f"{role}_date_of_birth", required=False),
        representative_id=_representative_id(row, role, g28),
    )


def _representative_id(row: _Row, role: str, g28: bool) -> str:
    column = f"{role}_representative_id"
    if column not in REPRESENTATIVE_COLUMNS:
        return ""
    value = row.get(column)
    if not value:
        return ""
    if not g28:
        row.error(column, "A representative's number comes only with a G-28 on file.")
        return ""
    try:
        key_from_case_system(role, value)
    except InvalidIdentifier:
        row.error(
            column, "Give a bar number as the state and the number (NY-4512345), or an EOIR number."
        )
        return ""
    return value


def _email(row: _Row, role: str, value: str) -> str:
    try:
        return validation.normalize_email(value, field=f"{role}_email")
    except DomainError as exc:
        row.error(f"{role}_email", exc.message)
        return ""


def _phone(row: _Row, role: str, value: str) -> str:
    try:
        return validation.normalize_phone(value, field=f"{role}_phone")
    except DomainError as exc:
        row.error(f"{role}_phone", exc.message)
        return ""


def import_cases(
    cases: Iterable[tuple[int, CaseData]],
    *,
    actor: User | None,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
) -> ImportReport:
    """Upsert every case in one transaction; with dry_run, roll it back and only count."""
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        updates_before = AuditEvent.objects.filter(action="case.updated").count()
        for _number, data in cases:
            _case, created = upsert_case(data, actor=actor)
            report.rows += 1
            report.created += created
            if progress is not None:
                progress()
        report.updated = AuditEvent.objects.filter(action="case.updated").count() - updates_before
        report.unchanged = report.rows - report.created - report.updated
        if dry_run:
            transaction.set_rollback(True)
    return report
