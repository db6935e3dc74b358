"""Expedite requests: recorded at intake, decided once by the office holding the case.

The intake half (criteria in force, checking and storing the details) is expedite_intake,
which intake builds on; it is re-exported here, so `expedites.ExpediteData` and
`expedites.criteria_in_force` are where callers find them.

Policy: USCIS Policy Manual vol. 1 part A ch. 5 (criteria are versioned rows,
ExpediteCriterion). Forms eligible for premium processing are not expedited, except under
the nonprofit criterion. The decision is answered to the customer with a final response in
their language (docs/adr/0013-expedites-and-repeats.md).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.service_requests import core, policies
from srmt.service_requests.choices import ResponseKind
from srmt.service_requests.errors import AlreadyDecided, InvalidExpedite, ReasonRequired
from srmt.service_requests.expedite_intake import (  # the intake half, for callers of expedites
    CheckedExpedite,
    ExpediteData,
    check_submission,
    criteria_in_force,
    record_submission,
)
from srmt.service_requests.models import ExpediteRequest, ExpediteStatus, ServiceRequest
from srmt.service_requests.services import responses

__all__ = [
    "CheckedExpedite",
    "ExpediteData",
    "can_decide",
    "check_submission",
    "criteria_in_force",
    "decide_expedite",
    "decision_text",
    "expedite_for",
    "record_submission",
]


def can_decide(actor: User, sr: ServiceRequest) -> bool:
    """Only staff of the office holding the case decide, and only while the request is there.

    National roles (supervisors, administrators) of other offices may not: the decision
    belongs to the office that adjudicates the case.
    """
    return (
        policies.can_act(actor, sr, Capability.RESPOND)
        and sr.case is not None
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
    sr = core.lock(sr)
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
    core.require_open(sr)
    reason = (reason or "").strip()
    if not approved and not reason:
        raise ReasonRequired(_("Give the reason for the denial."), field="reason")
    if reason:
        reason = core.clean_text(reason, field="reason", error=InvalidExpedite)
    expedite.status = ExpediteStatus.APPROVED if approved else ExpediteStatus.DENIED
    expedite.decided_by = actor
    expedite.decided_at = timezone.now()
    expedite.decision_reason = reason
    expedite.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    response = responses.add_response(
        sr, actor=actor, kind=ResponseKind.FINAL, body=decision_text(sr, expedite)
    )
    audit.record(
        actor=actor,
        action=AuditAction.EXPEDITE_DECIDED,
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
