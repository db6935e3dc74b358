"""A change of address applies to every open case of the person (domain.md section 1).

The person is found by the requester's email address on the parties of cases. A case is
open unless its status from the case system is final (approved, denied, closed, withdrawn,
rejected, or a card or document delivered). The request records the cases it applies to
in an internal note and in the audit log, so the office updating the case systems sees
every receipt number at once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.models import Case
from srmt.service_requests import core
from srmt.service_requests.models import InternalNote, ServiceRequest

FINAL_CASE_WORDS = ("approved", "denied", "closed", "withdrawn", "rejected", "delivered")


def is_open_case(case: Case) -> bool:
    status = case.status_text.lower()
    return not any(word in status for word in FINAL_CASE_WORDS)


def open_cases_of_requester(sr: ServiceRequest) -> list[Case]:
    """The person's open cases on the same side of the 8 U.S.C. 1367 boundary as `sr`.

    A change of address made on an unprotected request never lists, or even looks at, the
    person's protected cases: change-of-address tools must not disclose them (domain.md
    section 8), and the VAWA/T/U unit keeps those addresses through its own requests.
    """
    email = sr.requester.email
    cases = Case.objects.filter(pk=sr.case_id) if sr.case_id else Case.objects.none()
    if email:
        cases = cases | Case.objects.filter(parties__person__email__iexact=email)
    protected = sr.is_confidential
    if not protected:
        cases = cases.filter(is_protected=False)
    return [c for c in cases.distinct().order_by("receipt_number") if is_open_case(c)]


@transaction.atomic
def apply_to_open_cases(sr: ServiceRequest, *, actor: User) -> list[str]:
    """Record the change of address against every open case; returns their receipts.

    One transaction with the caller's (intake's, through referrals): the note, the version
    bump and the audit event are written together or not at all.
    """
    sr = core.lock(sr)
    receipts = [c.receipt_number for c in open_cases_of_requester(sr)]
    if not receipts:
        return receipts
    InternalNote.objects.create(
        service_request=sr,
        author=actor,
        body=_("Change of address applies to every open case of the person: %(cases)s.")
        % {"cases": ", ".join(receipts)},
    )
    core.bump(sr)
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_ADDRESS_CHANGE_APPLIED,
        object_type="service_request",
        object_id=sr.reference,
        changes={"cases": receipts},
    )
    return receipts
