"""Issuing online access codes from a CSV file (`srmt issue-access-codes`, ADR 43).

Columns: receipt_number and role (required), external_id and delivery (optional). Each
row is issued on its own, in its own transaction through `services.issue_code`: a bad row
is reported and writes nothing, and the rows around it are issued. The report has one
line per row: row (its line in the file; the header is row 1), receipt_number, status
(issued or refused), error, and code (only for delivery `none`, where the file's owner
prints the notice: the code is not kept anywhere else)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from srmt.access_codes import services
from srmt.access_codes.choices import Delivery
from srmt.access_codes.errors import CaseNotFound, NotOnCase
from srmt.accounts.actors import Actor
from srmt.cases.choices import REPRESENTATIVE_ROLES, PartyRole
from srmt.cases.models import Case, CaseParty
from srmt.core.errors import DomainError
from srmt.core.receipts import normalize_receipt_number

REQUIRED = ("receipt_number", "role")
OPTIONAL = ("external_id", "delivery")
REPORT_COLUMNS = ("row", "receipt_number", "status", "error", "code")


class BatchFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class RowResult:
    row: int
    receipt_number: str
    status: str  # issued | refused
    error: str = ""
    code: str = ""


def read(stream: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchFileError(f"The file is not UTF-8 text ({exc.reason}).") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BatchFileError(f"Missing required column(s): {', '.join(missing)}.")
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise BatchFileError(f"Unknown column(s): {', '.join(unknown)}.")
    reader.fieldnames = header
    rows = [(reader.line_num, {k: (v or "").strip() for k, v in r.items() if k}) for r in reader]
    if not rows:
        raise BatchFileError("The file has no rows.")
    return rows


def issue_rows(
    rows: list[tuple[int, dict[str, str]]],
    *,
    actor: Actor,
    progress: Callable[[RowResult], None] = lambda _r: None,
) -> Iterator[RowResult]:
    for number, values in rows:
        result = _issue_row(number, values, actor=actor)
        progress(result)
        yield result


def _issue_row(number: int, values: dict[str, str], *, actor: Actor) -> RowResult:
    raw = values.get("receipt_number", "")
    try:
        receipt = normalize_receipt_number(raw)
        role = values.get("role", "").lower()
        if role not in PartyRole.values or role in REPRESENTATIVE_ROLES:
            raise NotOnCase(f"{role or '(empty)'} is not a role a code is issued for.")
        delivery = values.get("delivery", "").lower() or None
        if delivery is not None and delivery not in Delivery.values:
            raise NotOnCase(f"delivery is letter, email or none, not {delivery}.")
        case = Case.objects.select_related("form_type").filter(receipt_number=receipt).first()
        if case is None:
            raise CaseNotFound("No case has this receipt number.")
        parties = CaseParty.objects.filter(case=case, role=role)
        if values.get("external_id"):
            parties = parties.filter(person__external_id=values["external_id"])
        found = list(parties.select_related("person")[:2])
        if len(found) != 1:
            raise NotOnCase(
                "Name exactly one person: the role, and external_id when several share it."
            )
        issued = services.issue_code(case, found[0].person, actor=actor, delivery_method=delivery)
    except DomainError as error:
        return RowResult(number, raw, "refused", error.message)
    shown = issued.plaintext if issued.code.delivery == Delivery.NONE else ""
    return RowResult(number, receipt, "issued", "", shown)


def write_report(results: list[RowResult], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for r in results:
        writer.writerow([r.row, r.receipt_number, r.status, r.error, r.code])
