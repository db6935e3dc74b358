"""Requests on a case that became protected (8 U.S.C. 1367) move to the unit that works such
cases.

A case is marked protected by the case systems (cases.services.upsert_case), often after
requests were recorded on it. From that moment staff without clearance no longer see those
requests, including the staff of the office that holds them: left there, nobody could work
them. record_case() moves them in the same transaction as the case write (the API); the
sweep catches any other write path (imports, older data) with move_protected_requests().
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from srmt.accounts.actors import SYSTEM
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases import services as cases
from srmt.cases.models import Case
from srmt.offices.models import Office, offices_by_code
from srmt.service_requests import core, reasons, routing_facts, transfers
from srmt.service_requests.choices import Status
from srmt.service_requests.models import ServiceRequest


@transaction.atomic
def record_case(data: cases.CaseData, *, actor: User | None) -> tuple[Case, bool]:
    """upsert_case, then move the open requests of a case that is now protected."""
    case, created = cases.upsert_case(data, actor=actor)
    if case.is_protected and not created:
        move_protected_requests(case=case)
    return case, created


def _stranded(case: Case | None) -> Any:
    """Open requests on protected cases that sit outside a confidential unit."""
    qs = ServiceRequest.objects.open().filter(
        case__is_protected=True, office__is_confidential=False
    )
    return qs.filter(case=case) if case is not None else qs


@transaction.atomic
def move_protected_requests(*, case: Case | None = None) -> int:
    """Transfer each open request on a protected case (all, or `case`'s) to the office the
    routing rules name for it, as the system; returns how many moved."""
    moved = 0
    for pk in list(_stranded(case).order_by("pk").values_list("pk", flat=True)):
        sr = core.lock(ServiceRequest(pk=pk))
        if sr.is_open and sr.is_confidential and not sr.office.is_confidential:
            moved += _move_to_unit(sr)
    return moved


def _move_to_unit(sr: ServiceRequest) -> int:
    decision = routing_facts.route_submission(
        receipt_number=sr.receipt_number, request_type=sr.type.code, case=sr.case
    ).decision
    unit = (
        offices_by_code().get(decision.office_code)
        or Office.objects.filter(code=decision.office_code).first()
    )
    if unit is None or unit.pk == sr.office_id or decision.is_referral:
        return 0
    from_office = sr.office
    sr.office = unit
    sr.assignee = None
    transfer = core.move(
        sr,
        Status.TRANSFERRED,
        actor=None,  # type: ignore[arg-type]  # the system moves it
        code=reasons.PROTECTED_CASE,
        params={"office": unit.code},
        from_office=from_office,
        at=timezone.now(),
    )
    changes = transfers.after_transfer(
        sr,
        actor=None,  # type: ignore[arg-type]
        from_office=from_office,
        transfer=transfer,
    )
    audit.record(
        actor=SYSTEM,
        action=AuditAction.SERVICE_REQUEST_TRANSITIONED,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "status": [sr.status_before_move, Status.TRANSFERRED.value],
            "office": [from_office.code, unit.code],
            "reason": reasons.english(reasons.PROTECTED_CASE, {"office": unit.code}),
            **changes,
        },
    )
    return 1
