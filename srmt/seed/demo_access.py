"""The demo's online access code (ADR 43): a paper-filed case with a code, printed by
`srmt demo` so that a new user can link it, and an IOE case nobody filed online yet.

The code is fixed (the demo's only), so a second run changes nothing and prints the same
code; once used, it says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from srmt.access_codes import codes
from srmt.access_codes import services as access_codes
from srmt.access_codes.choices import Delivery
from srmt.access_codes.models import OnlineAccessCode
from srmt.accounts.actors import SYSTEM
from srmt.cases.choices import PartyRole
from srmt.cases.models import Case, Person
from srmt.cases.services import CaseData, PartyData, upsert_case

# Paper-filed, with an IOE receipt: the full online account once linked (domain.md s. 9).
PAPER_RECEIPT = "IOE0900000002"
IOE_RECEIPT = "IOE0900000001"
DEMO_CODE = "DEMA-CC3S-2026"
DEMO_APPLICANT = "Demo Applicant"
DEMO_BIRTH_DATE = dt.date(1990, 1, 1)
DEMO_ACCESS_CASES = 2


@dataclass(frozen=True)
class DemoAccess:
    receipt_number: str
    code: str
    used: bool
    ioe_receipt_number: str


@transaction.atomic
def ensure_demo_access(*, today: dt.date) -> DemoAccess:
    for receipt, form, office in ((PAPER_RECEIPT, "I-130", "ESC"), (IOE_RECEIPT, "I-765", "NBC")):
        if not Case.objects.filter(receipt_number=receipt).exists():
            upsert_case(
                CaseData(
                    receipt_number=receipt,
                    form_type=form,
                    office=office,
                    received_on=today - dt.timedelta(days=60),
                    status_text="Case Was Received",
                    status_updated_on=today - dt.timedelta(days=60),
                    parties=[PartyData(name=DEMO_APPLICANT, role=PartyRole.APPLICANT)],
                ),
                actor=None,
            )
    case = Case.objects.get(receipt_number=PAPER_RECEIPT)
    person = Person.objects.filter(case_roles__case=case).first()
    assert person is not None
    if person.date_of_birth is None:
        Person.objects.filter(pk=person.pk).update(date_of_birth=DEMO_BIRTH_DATE)
    mine = [
        c
        for c in OnlineAccessCode.objects.filter(case=case, person=person)
        if codes.matches(DEMO_CODE, c.salt, c.digest)
    ]
    if not mine:
        access_codes.issue_code(
            case, person, actor=SYSTEM, delivery_method=Delivery.NONE, code=DEMO_CODE
        )
    used = any(c.used_at is not None for c in mine)
    valid = any(c.used_at is None and c.expires_at > timezone.now() for c in mine)
    return DemoAccess(PAPER_RECEIPT, DEMO_CODE, used or (bool(mine) and not valid), IOE_RECEIPT)
