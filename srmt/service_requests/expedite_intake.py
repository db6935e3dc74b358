"""Expedite details at intake: checked before the request is written, stored after.

The part of expedites that intake builds on (services.intake, through intake_extras); the
decision, which answers the customer, is in expedites, which builds on the services. See
docs/adr/0013-expedites-and-repeats.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.models import Case
from srmt.service_requests import core
from srmt.service_requests.choices import RequestTypeCode
from srmt.service_requests.errors import (
    CaseRequired,
    ExpediteDetailsRequired,
    ExpediteNotAvailable,
    InvalidExpedite,
)
from srmt.service_requests.expedite_models import ExpediteCriterion, ExpediteRequest
from srmt.service_requests.models import ServiceRequest, ServiceRequestType


@dataclass(frozen=True)
class ExpediteData:
    criterion: str
    justification: str
    customer_deadline: dt.date | None = None  # by when the customer needs the decision
    evidence: str = ""  # what evidence the customer has or will send


@dataclass(frozen=True)
class CheckedExpedite:
    criterion: ExpediteCriterion
    justification: str
    customer_deadline: dt.date | None = None
    evidence: str = ""


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
    justification = core.clean_text(
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
    if data.customer_deadline is not None and data.customer_deadline < timezone.localdate():
        raise InvalidExpedite(
            _("The customer's deadline cannot be in the past."),
            field="expedite.customer_deadline",
        )
    evidence = (
        core.clean_text(data.evidence, field="expedite.evidence", error=InvalidExpedite)
        if (data.evidence or "").strip()
        else ""
    )
    return CheckedExpedite(
        criterion=criterion,
        justification=justification,
        customer_deadline=data.customer_deadline,
        evidence=evidence,
    )


def record_submission(sr: ServiceRequest, checked: CheckedExpedite, *, actor: User) -> None:
    """Store the expedite details of the new request `sr` (in the caller's transaction)."""
    expedite = ExpediteRequest.objects.create(
        service_request=sr,
        criterion=checked.criterion,
        justification=checked.justification,
        customer_deadline=checked.customer_deadline,
        evidence=checked.evidence,
        created_at=sr.created_at,
    )
    audit.record(
        actor=actor,
        action=AuditAction.EXPEDITE_REQUESTED,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "expedite_id": expedite.pk,
            "criterion": checked.criterion.code,
            "criterion_version": checked.criterion.version,
            "customer_deadline": (
                checked.customer_deadline.isoformat() if checked.customer_deadline else None
            ),
        },
    )
