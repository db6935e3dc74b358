"""Expedite requests: recorded at intake, decided once by the office holding the case.

Policy: USCIS Policy Manual vol. 1 part A ch. 5 (criteria are versioned rows,
ExpediteCriterion). Forms eligible for premium processing are not expedited, except under
the nonprofit criterion. The decision is answered to the customer with a final response in
their language (docs/adr/0013-expedites-and-repeats.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.cases.models import Case
from srmt.service_requests import policies, services
from srmt.service_requests.choices import RequestTypeCode, ResponseKind
from srmt.service_requests.errors import (
    AlreadyDecided,
    CaseRequired,
    ExpediteDetailsRequired,
    ExpediteNotAvailable,
    InvalidExpedite,
    ReasonRequired,
)
from srmt.service_requests.models import (
    ExpediteCriterion,
    ExpediteRequest,
    ExpediteStatus,
    ServiceRequest,
    ServiceRequestType,
)


@dataclass(frozen=True)
class ExpediteData:
    criterion: str
    justification: str


@dataclass(frozen=True)
class CheckedExpedite:
    criterion: ExpediteCriterion
    justification: str


def criteria_in_force(on: dt.date | None = None) -> list[ExpediteCriterion]:
    """The criteria of the policy version in force on `on` (default: today)."""
    day = on or timezone.localdate()
    return list(ExpediteCriterion.objects.in_force(day).order_by("sort_order", "code"))


def check_submission(
    data: ExpediteData | None, *, request_type: ServiceRequestType, case: Case | None
) -> CheckedExpedite | None:
    """Validate the expedite details of a submission; None for other request types."""
    if request_type.code != RequestTypeCode.EXPEDITE_REQUEST:
        if data is not None:
            raise InvalidExpedite(
                _("Expedite details go only with an expedite request."), field="expedite"
            )
        return None
    if data is None:
        raise ExpediteDetailsRequired(
            _("Choose the expedite criterion and say why the case is urgent."),
            field="expedite.criterion",
        )
    if case is None:
        # The office holding the case decides, so the case record must be known.
        raise CaseRequired(
            _("An expedite needs the case record. Check the receipt number."),
            field="receipt_number",
        )
    criterion = (
        ExpediteCriterion.objects.in_force(timezone.localdate())
        .filter(code=(data.criterion or "").strip())
        .first()
    )
    if criterion is None:
        raise InvalidExpedite(
            _("Choose one of the expedite criteria in force today."), field="expedite.criterion"
        )
    justification = services._clean_text(
        data.justification, field="expedite.justification", error=InvalidExpedite
    )
    if case.form_type.is_premium_processing_eligible and not (
        criterion.allowed_for_premium_processing
    ):
        raise ExpediteNotAvailable(
            _(
                "Form %(form)s can use premium processing, so it is not expedited, except "
                "at the request of a nonprofit organization."
            )
            % {"form": case.form_type.code},
            field="expedite.criterion",
        )
    return CheckedExpedite(criterion=criterion, justification=justification)


def record_submission(sr: ServiceRequest, checked: CheckedExpedite, *, actor: User) -> None:
    """Store the expedite details of the new request `sr` (in the caller's transaction)."""
    expedite = ExpediteRequest.objects.create(
        service_request=sr,
        criterion=checked.criterion,
        justification=checked.justification,
        created_at=sr.created_at,
    )
    audit.record(
        actor=actor,
        action="expedite.requested",
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "expedite_id": expedite.pk,
            "criterion": checked.criterion.code,
            "criterion_version": checked.criterion.version,
        },
    )


def can_decide(actor: User, sr: ServiceRequest) -> bool:
    """Only staff of the office holding the case decide, and only while the request is there.

    National roles (supervisors, administrators) of other offices may not: the decision
    belongs to the office that adjudicates the case.
    """
    return (
        policies.can_act(actor, sr, Capability.RESPOND)
        and sr.case_id is not None
        and sr.office_id == sr.case.office_id
        and sr.office_id in actor.office_ids()
    )


def expedite_for(sr: ServiceRequest) -> ExpediteRequest | None:
    return (
        ExpediteRequest.objects.select_related("criterion", "decided_by")
        .filter(service_request=sr)
        .first()
    )


@transaction.atomic
def decide_expedite(
    sr: ServiceRequest, *, actor: User, approved: bool, reason: str = ""
) -> ExpediteRequest:
    """Approve or deny once; the customer gets a final response with the outcome."""
    sr = services._lock(sr)
    expedite = ExpediteRequest.objects.select_for_update().filter(service_request=sr).first()
    if expedite is None:
        raise InvalidExpedite(_("This request is not an expedite request."))
    if not can_decide(actor, sr):
        raise policies.PermissionDenied(
            _("Only staff of the office holding the case decide an expedite request.")
        )
    if expedite.is_decided:
        raise AlreadyDecided(
            _("This expedite request was already %(status)s.")
            % {"status": ExpediteStatus(expedite.status).label.lower()}
        )
    services._require_open(sr)
    reason = (reason or "").strip()
    if not approved and not reason:
        raise ReasonRequired(_("Give the reason for the denial."), field="reason")
    if reason:
        reason = services._clean_text(reason, field="reason", error=InvalidExpedite)
    expedite.status = ExpediteStatus.APPROVED if approved else ExpediteStatus.DENIED
    expedite.decided_by = actor
    expedite.decided_at = timezone.now()
    expedite.decision_reason = reason
    expedite.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    response = services.add_response(
        sr, actor=actor, kind=ResponseKind.FINAL, body=decision_text(sr, expedite)
    )
    audit.record(
        actor=actor,
        action="expedite.decided",
        object_type="service_request",
        object_id=sr.reference,
        changes={"status": expedite.status, "response_id": response.pk},
    )
    return expedite


def decision_text(sr: ServiceRequest, expedite: ExpediteRequest) -> str:
    """The outcome in the requester's language (the response wraps it in a message)."""
    with translation.override(sr.requester.language or "en"):
        values = {"receipt": sr.receipt_number}
        if expedite.status == ExpediteStatus.APPROVED:
            text = _(
                "Your request to expedite case %(receipt)s was approved. The office holding "
                "the case will process it ahead of its normal order."
            )
        else:
            text = _(
                "Your request to expedite case %(receipt)s was denied. The case stays in its "
                "normal processing order."
            )
        lines = [text % values]
        if expedite.decision_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": expedite.decision_reason})
        return "\n\n".join(lines)
