"""What a search box entry is: a reference, a receipt number, an email address, a phone
number, or words (names and description text). Pure functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from srmt.core.contacts import to_e164, to_email
from srmt.core.errors import InvalidReceiptNumber
from srmt.core.receipts import normalize_receipt_number

MAX_QUERY_LENGTH = 200
# A public reference (core.references): SR- or RF-, then two groups of four from Crockford's
# base 32; the dashes are optional when typed ("sr7kq2m9xd").
_REFERENCE = re.compile(r"^(SR|RF)-?([0-9A-Z]{4})-?([0-9A-Z]{4})$")
# Something typed as a phone number: digits with the usual punctuation, 7 digits or more.
_PHONE = re.compile(r"^\+?[\d\s().\-]{7,}$")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    """One search box entry, read every way it can be read (more than one may apply)."""

    text: str
    reference: str = ""
    receipt_number: str = ""
    email: str = ""
    phone: str = ""
    words: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.text


def parse(raw: str) -> ParsedQuery:
    """Read `raw` (trimmed, at most MAX_QUERY_LENGTH characters) as every kind it matches."""
    text = " ".join((raw or "").split())[:MAX_QUERY_LENGTH]
    if not text:
        return ParsedQuery(text="")
    upper = text.upper()
    reference = ""
    if match := _REFERENCE.match(upper.replace(" ", "")):
        reference = f"{match[1]}-{match[2]}-{match[3]}"
    try:
        receipt_number = normalize_receipt_number(text)
    except InvalidReceiptNumber:
        receipt_number = ""
    email = (to_email(text) or "") if "@" in text else ""
    phone = (to_e164(text) or "") if _PHONE.match(text) else ""
    words: tuple[str, ...] = ()
    if not (reference or receipt_number or email or phone):
        words = tuple(w.lower() for w in _WORD.findall(text))[:8]
    return ParsedQuery(
        text=text,
        reference=reference,
        receipt_number=receipt_number,
        email=email,
        phone=phone,
        words=words,
    )
