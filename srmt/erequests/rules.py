"""The eligibility rules as pure functions of plain facts (no database; ADR 0044).

- Outside normal processing time: the case inquiry date is today minus the published
  processing time (domain §6); a case received before it may be asked about. A form with no
  published time: after six months pending.
- Not received: a set number of days after the notice or card was mailed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

DAYS_PER_MONTH = Decimal("365.25") / 12
# Domain §6: a form with no published processing time may be asked about after 6 months.
DEFAULT_MONTHS = Decimal(6)


def span(months: Decimal) -> dt.timedelta:
    """A published time in months as days (the same arithmetic as the response templates)."""
    return dt.timedelta(days=int(months * DAYS_PER_MONTH))


def inquiry_date(today: dt.date, months: Decimal | None) -> dt.date:
    """The case inquiry date: a case received before it is outside normal processing time."""
    return today - span(DEFAULT_MONTHS if months is None else months)


@dataclass(frozen=True)
class Verdict:
    """May the request be opened now? If not, `code` says why and `from_date` when it may."""

    eligible: bool
    code: str = ""
    from_date: dt.date | None = None
    months: Decimal | None = None


def outside_processing_time(
    *, received_on: dt.date, today: dt.date, months: Decimal | None
) -> Verdict:
    """Eligible iff the case was received before the case inquiry date."""
    published = DEFAULT_MONTHS if months is None else months
    if received_on < inquiry_date(today, months):
        return Verdict(True, months=published)
    return Verdict(
        False,
        code="too_early",
        from_date=received_on + span(published) + dt.timedelta(days=1),
        months=published,
    )


def not_received(*, mailed_on: dt.date | None, today: dt.date, wait_days: int) -> Verdict:
    """Eligible once `wait_days` have passed since the mailing; nothing mailed: not yet."""
    if mailed_on is None:
        return Verdict(False, code="not_mailed")
    allowed_from = mailed_on + dt.timedelta(days=wait_days)
    if today >= allowed_from:
        return Verdict(True)
    return Verdict(False, code="too_early", from_date=allowed_from)
