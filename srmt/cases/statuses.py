"""The case status vocabulary: the official status titles the case systems give a case, in
English and Spanish, with a plain-language description of each (issue 11, ADR 0040).

The agency's case-status page and its Case Status API show, for a receipt number, the
current status title and a description filled with the case's form, receipt number and
status date ("On March 3, 2022, we received your Form I-130, ..."). The vocabulary is data,
`cases/data/case_statuses.csv` (one row per official English title, with its Spanish title and
the two description templates; placeholders `{date}`, `{form}`, `{form_name}`, `{receipt}`),
written for a grade-8 reading level and checked by the tests. A title the table does not know
(the case systems may add one) is never an error: it is shown as given, with a generic
description in both languages.

Nothing here reads people: a description names the form and the receipt number, never a name.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from srmt.cases.models import Case

DATA_FILE = Path(__file__).resolve().parent / "data" / "case_statuses.csv"
PLACEHOLDERS = frozenset({"date", "form", "form_name", "receipt"})

# A status the table does not know: its own words as the title, this description.
GENERIC_DESCRIPTION_EN = (
    "On {date}, there was an update on your Form {form}, {form_name}, Receipt Number "
    "{receipt}. If we need anything from you, we will mail you a notice. If you have "
    "questions, please contact us."
)
GENERIC_DESCRIPTION_ES = (
    "El {date}, hubo una novedad en su Formulario {form}, {form_name}, Número de Recibo "
    "{receipt}. Si necesitamos algo de usted, le enviaremos un aviso por correo. Si tiene "
    "preguntas, comuníquese con nosotros."
)
# A case the case systems have given no status yet.
NO_STATUS_TITLE_EN = "Case Status Is Not Available Yet"
NO_STATUS_TITLE_ES = "El Estado del Caso Aún No Está Disponible"
NO_STATUS_DESCRIPTION_EN = (
    "We have your Form {form}, {form_name}, Receipt Number {receipt}. We do not have a "
    "status to show yet. Please check again later."
)
NO_STATUS_DESCRIPTION_ES = (
    "Tenemos su Formulario {form}, {form_name}, Número de Recibo {receipt}. Todavía no "
    "tenemos un estado para mostrarle. Vuelva a consultar más tarde."
)

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_ES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


@dataclass(frozen=True)
class CaseStatusText:
    """A status as the customer reads it: its title and description in both languages."""

    title_en: str
    description_en: str
    title_es: str
    description_es: str


@dataclass(frozen=True)
class _Entry:
    title_en: str
    title_es: str
    description_en: str
    description_es: str


def _key(text: str) -> str:
    """Titles match whatever their case, spacing or apostrophes ("USCIS’" = "USCIS'")."""
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


@cache
def vocabulary() -> dict[str, _Entry]:
    """The table, by normalised title (English and Spanish titles both find the entry)."""
    entries: dict[str, _Entry] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = _Entry(
                title_en=row["title_en"].strip(),
                title_es=row["title_es"].strip(),
                description_en=row["description_en"].strip(),
                description_es=row["description_es"].strip(),
            )
            entries.setdefault(_key(entry.title_en), entry)
            entries.setdefault(_key(entry.title_es), entry)
    return entries


def _lookup(status_text: str) -> _Entry | None:
    return vocabulary().get(_key(status_text or ""))


def status_titles(status_text: str) -> tuple[str, str]:
    """The (English, Spanish) titles of any status text: the official pair when the table
    knows the title, else the text as given in both (a blank text: "not available yet")."""
    entry = _lookup(status_text)
    if entry is not None:
        return entry.title_en, entry.title_es
    text = re.sub(r"\s+", " ", status_text or "").strip()
    if not text:
        return NO_STATUS_TITLE_EN, NO_STATUS_TITLE_ES
    return text, text


def format_date_en(day: dt.date) -> str:
    return f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


def format_date_es(day: dt.date) -> str:
    return f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"


def status_date(case: Case) -> dt.date:
    """The date of the case's current status: the case systems' status date, else the day
    its latest recorded status change was dated, else the day the case was received."""
    if case.status_updated_on is not None:
        return case.status_updated_on
    latest = case.status_changes.order_by("-changed_at", "-id").first()
    if latest is not None:
        return timezone.localdate(latest.changed_at)
    return case.received_on


def describe(
    status_text: str, *, form: str, form_name_en: str, form_name_es: str, receipt: str,
    on: dt.date,
) -> CaseStatusText:  # fmt: skip
    """The status's titles and its descriptions filled with these facts."""
    title_en, title_es = status_titles(status_text)
    entry = _lookup(status_text)
    if entry is not None:
        template_en, template_es = entry.description_en, entry.description_es
    elif not (status_text or "").strip():
        template_en, template_es = NO_STATUS_DESCRIPTION_EN, NO_STATUS_DESCRIPTION_ES
    else:
        template_en, template_es = GENERIC_DESCRIPTION_EN, GENERIC_DESCRIPTION_ES
    facts = {"form": form, "receipt": receipt}
    return CaseStatusText(
        title_en=title_en,
        description_en=template_en.format(**facts, form_name=form_name_en, date=format_date_en(on)),
        title_es=title_es,
        description_es=template_es.format(
            **facts, form_name=form_name_es or form_name_en, date=format_date_es(on)
        ),
    )


def describe_case(case: Case) -> CaseStatusText:
    """The case's current status, its descriptions filled with the case's form, receipt
    number and status date, as the agency's case-status page does."""
    form_type = case.form_type
    return describe(
        case.status_text,
        form=form_type.code,
        form_name_en=form_type.name_en,
        form_name_es=form_type.name_es,
        receipt=case.receipt_number,
        on=status_date(case),
    )
