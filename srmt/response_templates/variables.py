"""The variables a template may use: one fixed catalogue, and the placeholder syntax.

A placeholder is `{{ name }}` (spaces inside the braces optional, names in lower case with
underscores: PLACEHOLDER). Other parts of SRMT rely on this syntax (the new-information check
recognises template text by it). The values come from the request, its case, its office and
the published processing time: service_requests.template_context builds them for a request,
in the customer's language. docs/adr/0033-response-templates.md lists them with their source.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import dateformat, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
# Anything that looks like a placeholder, even one with a malformed name ({{ Name }}, {{ }}).
LOOSE_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")


@dataclass(frozen=True)
class Variable:
    name: str
    description: str | Promise
    example: str
    # No data fills it: the writer replaces it with the case-specific part of the answer.
    by_writer: bool = False


CATALOGUE: tuple[Variable, ...] = (
    Variable("customer_name", _("The requester's name."), "Ana García"),
    Variable("reference", _("The service request's reference."), "SR-7K2M9Q4P"),
    Variable("receipt_number", _("The case's receipt number."), "IOE0912345678"),
    Variable("form", _("The form of the case, by its number."), "I-485"),
    Variable(
        "form_name",
        _("The form's name in the customer's language."),
        "Application to Register Permanent Residence or Adjust Status",
    ),
    Variable("filed_on", _("The date the case was received (its receipt date)."), "May 2, 2026"),
    Variable(
        "case_status", _("The case's status as the case system shows it."), "Case Was Received"
    ),
    Variable("office_name", _("The office that holds the request."), "Vermont Service Center"),
    Variable(
        "office_contact",
        _("The office's public contact details (address, phone, email, hours), one per line."),
        "Phone: +1 802 527 4888",
    ),
    Variable(
        "published_processing_time",
        _("The processing time published for the case's form at the case's office."),
        "8.5 months",
    ),
    Variable(
        "case_inquiry_date",
        _(
            "Today less the published processing time: a case received before this date is "
            "outside normal processing time."
        ),
        "March 20, 2026",
    ),
    Variable(
        "next_step",
        _(
            "What the customer can do next about the processing time: ask now if the case is "
            "outside normal processing time, otherwise the date from which they may ask."
        ),
        "If you have no decision by January 15, 2027, you may ask us about your case again.",
    ),
    Variable("today", _("Today's date."), "December 4, 2026"),
    Variable(
        "action_taken",
        _("For the writer: what was done on the case and when (never filled from data)."),
        "On December 2 we asked the office to review your file.",
        by_writer=True,
    ),
    Variable(
        "case_details",
        _("For the writer: the answer's case-specific facts (never filled from data)."),
        "The card was returned to us as undeliverable on November 20.",
        by_writer=True,
    ),
    Variable(
        "due_date", _("The date the request is due to be answered in full."), "December 18, 2026"
    ),
)
NAMES: frozenset[str] = frozenset(v.name for v in CATALOGUE)
BY_WRITER: frozenset[str] = frozenset(v.name for v in CATALOGUE if v.by_writer)


def placeholders(body: str) -> list[str]:
    """The variable names `body` uses, each once, in the order they first appear."""
    return list(dict.fromkeys(PLACEHOLDER.findall(body)))


def unknown_variables(body: str) -> list[str]:
    """What `body` writes as a placeholder but the catalogue does not have: unknown names,
    and malformed placeholders (written as they are, e.g. "{{ Name }}")."""
    unknown = []
    for match in LOOSE_PLACEHOLDER.finditer(body):
        found = PLACEHOLDER.fullmatch(match.group(0))
        name = found.group(1) if found else match.group(0)
        if name not in NAMES and name not in unknown:
            unknown.append(name)
    return unknown


_DATE_FORMATS = {"en": "F j, Y", "es": r"j \d\e F \d\e Y"}


def format_date(day: dt.date, language: str) -> str:
    """A date as a letter writes it: "December 4, 2026"; "4 de diciembre de 2026"."""
    language = "es" if language == "es" else "en"
    with translation.override(language):
        return dateformat.format(day, _DATE_FORMATS[language])


def format_months(months: float, language: str) -> str:
    """A processing time in months: "8.5 months", "1 month"; "8,5 meses", "1 mes"."""
    whole = months == int(months)
    number = str(int(months)) if whole else f"{months:.1f}"
    if language == "es":
        return f"{number.replace('.', ',')} {'mes' if months == 1 else 'meses'}"
    return f"{number} {'month' if months == 1 else 'months'}"
