"""Receipt numbers: 3 letters + 10 digits (domain.md section 8).

Input is normalised (spaces and dashes removed, upper case); anything else is refused.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from srmt.core.errors import InvalidReceiptNumber

RECEIPT_PATTERN = re.compile(r"^[A-Z]{3}[0-9]{10}$")
_SEPARATORS = re.compile(r"[\s\-]+")


def normalize_receipt_number(raw: str) -> str:
    """Return the canonical form of `raw` or raise InvalidReceiptNumber."""
    candidate = _SEPARATORS.sub("", raw or "").upper()
    if not RECEIPT_PATTERN.match(candidate):
        raise InvalidReceiptNumber(
            _("A receipt number is 3 letters followed by 10 digits, for example EAC2190012345."),
            field="receipt_number",
        )
    return candidate


def receipt_prefix(receipt_number: str) -> str:
    return receipt_number[:3]
