"""The cases an account outside the agency may act on (ADR 27): a customer's own cases and
a representative's cases with a Form G-28 in effect. Kinds and 8 U.S.C. 1367 are applied on
top by service_requests.policies; these are the plain facts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from srmt.accounts.models import User
from srmt.cases.choices import REPRESENTATIVE_ROLES
from srmt.cases.models import Case, CaseParty, CaseQuerySet, CustomerLink, Person, Representation
from srmt.core.receipts import receipt_prefix

# Receipts of electronically filed cases (Internet Online Electronic filing).
IOE_PREFIX = "IOE"


def linked_people(account: User) -> QuerySet[Person]:
    """The people `account` is linked to now (verified, not unlinked)."""
    links = CustomerLink.objects.in_effect().filter(account=account)
    return Person.objects.filter(pk__in=links.values("person"))


def own_cases(account: User) -> CaseQuerySet:
    """Cases where a person linked to `account` is a party in their own right (applicant,
    petitioner, beneficiary, employer): not as someone's representative; and the cases
    `account` filed online (IOE receipts: `Case.filed_online_by`, as the case systems say)."""
    parties = CaseParty.objects.filter(
        case=OuterRef("pk"), person__in=linked_people(account).values("pk")
    ).exclude(role__in=REPRESENTATIVE_ROLES)
    return Case.objects.filter(Q(Exists(parties)) | Q(filed_online_by=account))


def full_account(case: Case) -> bool:
    """Whether a case gets the full online account (requests, messages, documents) or only
    status tracking (../shared/docs/domain.md section 9): cases filed online and paper cases
    with an IOE receipt get everything; other paper cases, linked with an access code, get
    status tracking only. The pages and services ask this rule through
    service_requests.policies (actionable_cases, require_actionable); full_account_q() is the
    same rule as a filter (a property test holds the two together)."""
    return case.filed_online_by_id is not None or receipt_prefix(case.receipt_number) == IOE_PREFIX


def full_account_q() -> Q:
    """full_account() as a filter on cases (receipt numbers are stored normalized)."""
    return Q(filed_online_by__isnull=False) | Q(receipt_number__startswith=IOE_PREFIX)


def represented_cases(account: User, *, on: dt.date) -> CaseQuerySet:
    """Cases where `account` has a Form G-28 in effect on `on`."""
    g28 = Representation.objects.in_effect(on).filter(account=account, case=OuterRef("pk"))
    return Case.objects.filter(Exists(g28))
