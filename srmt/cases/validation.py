"""The rules every case record obeys, whichever way it is written (API, CSV import, admin):
dates in a sane range, and party phone numbers and email addresses by the rules for every
contact detail (core.contacts).

`services.upsert_case` applies them (`clean_case`), so no write path can skip them; the CSV
import also calls them row by row to report every problem at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.cases.errors import InvalidCaseDate, InvalidPerson
from srmt.core.contacts import to_e164, to_email

if TYPE_CHECKING:
    from srmt.cases.services import CaseData

# No case in the agency's systems was received before this day.
EARLIEST_CASE_DATE = dt.date(1950, 1, 1)
# The case systems may run a time zone ahead of ours: tomorrow is still a real date.
FUTURE_MARGIN = dt.timedelta(days=1)


def latest_case_date() -> dt.date:
    return timezone.localdate() + FUTURE_MARGIN


def check_case_date(day: dt.date, *, field: str) -> None:
    """Refuse a date before 1950 or after tomorrow (year 1 and 9999 are typing slips)."""
    latest = latest_case_date()
    if not EARLIEST_CASE_DATE <= day <= latest:
        raise InvalidCaseDate(
            _("Use a date from %(first)s to %(last)s.")
            % {"first": EARLIEST_CASE_DATE.isoformat(), "last": latest.isoformat()},
            field=field,
        )


def check_case_dates(received_on: dt.date, status_updated_on: dt.date | None) -> None:
    """Both dates in range, and the status never dated before the case was received."""
    check_case_date(received_on, field="received_on")
    if status_updated_on is None:
        return
    check_case_date(status_updated_on, field="status_updated_on")
    if status_updated_on < received_on:
        raise InvalidCaseDate(
            _("The status date cannot be before the date the case was received (%(day)s).")
            % {"day": received_on.isoformat()},
            field="status_updated_on",
        )


def normalize_phone(raw: str, *, field: str) -> str:
    """A phone number in E.164 ('' for none), by the rule for requesters (core.contacts)."""
    number = to_e164(raw)
    if number is None:
        raise InvalidPerson(
            _("%(value)s is not a phone number.") % {"value": raw.strip()},
            field=field,
        )
    return number


def normalize_email(raw: str, *, field: str) -> str:
    """An email address trimmed and in lower case ('' for none), by the rule for requesters
    (core.contacts)."""
    email = to_email(raw)
    if email is None:
        raise InvalidPerson(
            _("%(value)s is not an email address.") % {"value": raw.strip()}, field=field
        )
    return email


def clean_case(data: CaseData) -> CaseData:
    """`data` with its rules checked, its party phone numbers in E.164 and their email
    addresses by the rule."""
    check_case_dates(data.received_on, data.status_updated_on)
    parties = [
        replace(
            party,
            phone=normalize_phone(party.phone, field=f"parties.{index}.phone"),
            email=normalize_email(party.email, field=f"parties.{index}.email"),
        )
        for index, party in enumerate(data.parties)
    ]
    return replace(data, parties=parties)
