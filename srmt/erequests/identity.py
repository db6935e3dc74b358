"""The identity check of an e-Request without an account (ADR 44): receipt number, name and
date of birth against the case's own parties.

Every failure is the same `IdentityNotConfirmed`, whether the receipt number is malformed,
unknown, protected by 8 U.S.C. 1367 (nobody without an account is entitled to it) or the name
or date of birth does not match; attempts are limited per client (an address) and hour, and
the limit is checked before anything is looked up. Reads only.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from srmt.cases.choices import REPRESENTATIVE_ROLES
from srmt.cases.models import Case, CaseParty, Person
from srmt.core.errors import DomainError
from srmt.core.receipts import normalize_receipt_number
from srmt.erequests.errors import IdentityNotConfirmed

WINDOW_SECONDS = 3600


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    http_status = 429


def same_name(a: str, b: str) -> bool:
    """Names match ignoring case, accents and spacing ("Ana  PEREZ" is "Ana Pérez")."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return " ".join(letters.casefold().split())

    return bool(plain(a)) and plain(a) == plain(b)


def _count_attempt(client_key: str) -> int:
    key = f"srmt:erequest-identity:{client_key}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def confirm_identity(
    receipt_number: str, name: str, date_of_birth: dt.date | None, *, client_key: str
) -> Case:
    """The case, when a party of it (not a representative) has this name and date of birth."""
    if _count_attempt(client_key) > settings.SRMT_EREQUEST_IDENTITY_CHECKS_PER_HOUR:
        raise TooManyAttempts(
            _("You have tried too many times. Please try again in an hour."), field=None
        )
    refused = IdentityNotConfirmed(
        _(
            "We could not match this receipt number, name and date of birth to a case. "
            "Check them against your receipt notice and try again."
        )
    )
    try:
        number = normalize_receipt_number(receipt_number)
    except DomainError:
        raise refused from None
    case = Case.objects.filter(receipt_number=number, is_protected=False).first()
    if case is None or date_of_birth is None:
        raise refused
    if _party(case, name, date_of_birth) is None:
        raise refused
    return case


def matched_party(case: Case, name: str, date_of_birth: dt.date | None) -> Person:
    """The party confirm_identity matched (call it after confirm_identity)."""
    person = _party(case, name, date_of_birth)
    assert person is not None
    return person


def _party(case: Case, name: str, date_of_birth: dt.date | None) -> Person | None:
    parties = (
        CaseParty.objects.filter(case=case, person__date_of_birth=date_of_birth)
        .exclude(role__in=REPRESENTATIVE_ROLES)
        .select_related("person")
        .order_by("pk")
    )
    return next((p.person for p in parties if same_name(name, p.person.name)), None)
