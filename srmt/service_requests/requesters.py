"""The person asking: validation of names, email addresses, phone numbers and language."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from srmt.cases.models import Case, Person
from srmt.core.contacts import to_e164, to_email
from srmt.service_requests.errors import InvalidRequester

LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class IdentifiedRequester:
    """A visitor without an account whose receipt number, name and date of birth matched
    `person`, a party of `case` (erequests.identity). Only with one may the system record
    an online request, on their behalf (policies.require_may_submit, ADR 0044)."""

    case: Case
    person: Person


# The fields of a person on file that what a caller says at intake may replace.
PERSON_FIELDS = ("name", "phone", "language", "zip_code", "country", "sms_consent")


@dataclass(frozen=True)
class RequesterData:
    name: str
    email: str = ""
    phone: str = ""
    language: str = "en"
    zip_code: str = ""
    sms_consent: bool = False
    country: str = ""  # ISO 3166-1 alpha-2; blank means the U.S. (routing validates it)
    # The fields the caller actually gave (None: all of them). A field left out (an API
    # body without `language`, an empty phone on the page) never replaces what is on file.
    given: frozenset[str] | None = None

    def was_given(self, name: str) -> bool:
        return self.given is None or name in self.given


def clean_requester(data: RequesterData) -> RequesterData:
    """Return the requester with a trimmed name, checked email and E.164 phone number."""
    name = (data.name or "").strip()
    if not name:
        raise InvalidRequester(_("Enter the name of the person asking."), field="requester.name")
    if len(name) > 200:
        raise InvalidRequester(
            _("Use at most 200 characters for the name."), field="requester.name"
        )
    email = to_email(data.email)
    if email is None:
        raise InvalidRequester(
            _("Enter an email address like name@example.com."), field="requester.email"
        )
    language = (data.language or "en").strip().lower()
    if language not in LANGUAGES:
        raise InvalidRequester(
            _("The language must be en (English) or es (Spanish)."), field="requester.language"
        )
    zip_code = (data.zip_code or "").strip()
    if len(zip_code) > 10:
        raise InvalidRequester(
            _("Enter a ZIP code like 05478 or 05478-1234."), field="requester.zip_code"
        )
    return replace(
        data,
        name=name,
        email=email,
        phone=normalize_phone(data.phone),
        language=language,
        zip_code=zip_code,
    )


def normalize_phone(raw: str) -> str:
    """U.S. numbers may omit +1; others need their country code. Returns E.164 or ''."""
    number = to_e164(raw)
    if number is None:
        raise InvalidRequester(
            _(
                "Enter a phone number like 802-555-0123, or with its country code, +52 55 1234 "
                "5678."
            ),
            field="requester.phone",
        )
    return number


def on_file_value(person: Person, name: str) -> str | bool:
    if name == "sms_consent":
        return bool(person.sms_consent)
    if name == "country":
        return (person.country or "US").upper()  # blank on file means the U.S., as at intake
    return str(getattr(person, name))


def said_value(data: RequesterData, name: str) -> str | bool:
    if name == "sms_consent":
        return data.sms_consent
    if name == "country":
        return (data.country or "US").upper()
    return str(getattr(data, name))


def differences(person: Person, data: RequesterData) -> dict[str, tuple[str | bool, str | bool]]:
    """The fields the caller gave that differ from the person on file: name -> (on file,
    just said). An empty value the caller gave (no phone, no ZIP code) erases nothing."""
    found: dict[str, tuple[str | bool, str | bool]] = {}
    for name in PERSON_FIELDS:
        said = said_value(data, name)
        if not data.was_given(name) or said == "":
            continue
        on_file = on_file_value(person, name)
        if said != on_file:
            found[name] = (on_file, said)
    return found


def person_on_file(case: Case | None, email: str) -> Person | None:
    """The party of `case` (as the reader may know it: see policies.as_known_to) with this
    email address, or None."""
    if not email or case is None:
        return None
    return Person.objects.filter(case_roles__case=case, email__iexact=email).first()
