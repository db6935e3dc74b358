"""Moves by hand (transition_request): anything but answering, which add_response does."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.offices.models import Office
from srmt.service_requests import core, lifecycle, policies, transfers, workspace_hooks
from srmt.service_requests.choices import Status
from srmt.service_requests.errors import ReasonRequired, RedirectTopicRequired
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.services.targets import duplicate_target, transfer_target

REASON_REQUIRED = frozenset(
    {Status.TRANSFERRED, Status.REDIRECTED, Status.WITHDRAWN, Status.MERGED, Status.REOPENED}
)


@transaction.atomic
def transition_request(
    sr: ServiceRequest,
    *,
    actor: User,
    to: str,
    reason: str = "",
    office_code: str = "",
    duplicate_of: str = "",
) -> ServiceRequest:
    """Move a request by hand (anything but answering it, which add_response does)."""
    sr = core.lock(sr)
    policies.require_act(actor, sr, Capability.TRANSITION)
    if to not in Status.values:
        raise lifecycle.InvalidTransition(_("%(to)s is not a status.") % {"to": to}, field="to")
    lifecycle.require_manual(sr.status, to)
    reason = (reason or "").strip()
    if to in REASON_REQUIRED and not reason:
        raise ReasonRequired(_("Give a reason for this change."), field="reason")
    if to == Status.REDIRECTED:  # only redirects.redirect_request, which names the agency
        raise RedirectTopicRequired(
            _("Choose the topic and agency to redirect to (the redirect form)."), field="topic"
        )
    changes: dict[str, Any] = {}
    from_office = sr.office
    if to == Status.TRANSFERRED:
        changes["office"] = [sr.office.code, transfer_target(sr, office_code).code]
        sr.office = Office.objects.get(code=changes["office"][1])
        sr.assignee = None
    if to == Status.MERGED:
        sr.duplicate_of = duplicate_target(sr, duplicate_of, actor)
        changes["duplicate_of"] = sr.duplicate_of.reference
    if to == Status.REOPENED:
        sr.closed_at = None
    move = core.move(sr, to, actor=actor, reason=reason, from_office=from_office)
    if to == Status.TRANSFERRED:
        changes |= transfers.after_transfer(sr, actor=actor, from_office=from_office, transfer=move)
        workspace_hooks.transferred(sr, actor=actor)
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_TRANSITIONED,
        object_type="service_request",
        object_id=sr.reference,
        changes={"status": [sr.status_before_move, to], "reason": reason, **changes},
    )
    return sr
