"""Phone numbers in E.164, one rule for every place that stores one (requesters, case parties).

U.S. numbers may omit +1; others need their country code (the phonenumbers library, Google's
libphonenumber data)."""

from __future__ import annotations

import phonenumbers


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
