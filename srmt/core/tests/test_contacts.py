"""The one rule for phone numbers and the one for email addresses (core.contacts)."""

from __future__ import annotations

import pytest
from django.core.validators import validate_email
from hypothesis import given
from hypothesis import strategies as st

from srmt.core.contacts import MAX_EMAIL_LENGTH, to_e164, to_email

# 254 characters, the longest address taken (Django's validator alone takes up to 320).
LONGEST = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".co"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ana@example.com", "ana@example.com"),
        ("  Ana.Perez@Example.COM\t", "ana.perez@example.com"),
        ("", ""),
        ("   ", ""),
        ("ana@", None),
        ("ana@example", None),
        ("not an email", None),
        (LONGEST, LONGEST),
        (LONGEST + "m", None),  # 255 characters
    ],
)
def test_an_email_address_by_the_rule(raw: str, expected: str | None) -> None:
    assert to_email(raw) == expected


@given(st.one_of(st.emails(), st.text(max_size=300)))
def test_an_email_is_refused_or_stored_valid_short_and_in_lower_case(raw: str) -> None:
    email = to_email(raw)
    if not email:
        return
    assert email == email.strip().lower()
    assert len(email) <= MAX_EMAIL_LENGTH
    assert to_email(email) == email
    validate_email(email)  # raises ValidationError for an address it would refuse


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("802-555-0123", "+18025550123"),
        ("+52 55 1234 5678", "+525512345678"),
        ("", ""),
        ("555", None),
        ("not a phone", None),
    ],
)
def test_a_phone_number_by_the_rule(raw: str, expected: str | None) -> None:
    assert to_e164(raw) == expected
