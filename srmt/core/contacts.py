"""Phone numbers and email addresses: one rule each, for every place that stores one
(requesters at intake; case parties from the API, the CSV import and any other writer).

Phone numbers are stored in E.164: U.S. numbers may omit +1, others need their country code
(the phonenumbers library, Google's libphonenumber data). Email addresses are stored trimmed
and in lower case, valid by Django's validator and at most 254 characters long.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# The length of every email column (Django's EmailField; RFC 5321 allows a 254-character
# path). Django's validator alone would take up to 320.
MAX_EMAIL_LENGTH = 254


def to_e164(raw: str) -> str | None:
    """`raw` in E.164; '' for an empty value; None when it is not a valid phone number."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def to_email(raw: str) -> str | None:
    """`raw` trimmed and in lower case; '' for an empty value; None when it is not an email
    address or is longer than MAX_EMAIL_LENGTH."""
    email = (raw or "").strip().lower()
    if not email:
        return ""
    if len(email) > MAX_EMAIL_LENGTH:
        return None
    try:
        validate_email(email)
    except ValidationError:
        return None
    return email
