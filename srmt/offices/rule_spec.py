"""A routing rule as plain data (RuleSpec): what offices.routing.route() evaluates.

Below routing and the default rule set (offices.default_rules), which both build on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RuleSpec:
    """A routing rule as plain data. Empty tuples and None criteria match anything."""

    code: str
    action: str
    explanation: str  # English; the Spanish one below, with the same placeholders
    position: int = 0
    name: str = ""
    office_code: str = ""
    receipt_prefixes: tuple[str, ...] = ()
    request_types: tuple[str, ...] = ()
    is_protected: bool | None = None
    has_case_record: bool | None = None
    has_receipt_number: bool | None = None
    has_zip_code: bool | None = None
    requester_in_us: bool | None = None
    zip_is_military_mail: bool | None = None
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    pk: int | None = None
    explanation_es: str = ""

    def applies_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        starts = self.effective_from is None or self.effective_from <= day
        return starts and (self.effective_until is None or day <= self.effective_until)
