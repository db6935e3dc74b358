"""Edits (update_request): urgency, description, assignee; optimistic concurrency."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.service_requests import clocks, core, policies
from srmt.service_requests.choices import Urgency
from srmt.service_requests.errors import InvalidDescription, InvalidUrgency, StaleVersion
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.services.assignment import assign_request


@transaction.atomic
def update_request(
    sr: ServiceRequest, *, actor: User, changes: dict[str, Any], expected_version: int | None = None
) -> ServiceRequest:
    """Edit urgency, description or assignee; with expected_version, refuse a stale write."""
    sr = core.lock(sr)
    policies.require_act(actor, sr, Capability.TRANSITION)
    if expected_version is not None and expected_version != sr.version:
        raise StaleVersion(_("This request changed since you read it. Reload and try again."))
    core.require_open(sr)
    if "assignee" in changes:
        sr = assign_request(sr, actor=actor, assignee=changes["assignee"])
    diff: dict[str, Any] = {}
    if "description" in changes:
        text = core.clean_text(
            changes["description"], field="description", error=InvalidDescription
        )
        if text != sr.description:
            diff["description"] = "changed"
            sr.description = text
    if "urgency" in changes and changes["urgency"] != sr.urgency:
        if changes["urgency"] not in Urgency.values:
            raise InvalidUrgency(_("Urgency is normal or urgent."), field="urgency")
        diff["urgency"] = [sr.urgency, changes["urgency"]]
        sr.urgency = changes["urgency"]
        clocks.recompute(sr)  # keeps earlier pauses and a clock restarted by a transfer
    if diff:
        core.bump(
            sr,
            extra_fields=[
                "description",
                "urgency",
                "first_response_due_at",
                "due_at",
                "deadline_policy",
            ],
        )
        audit.record(
            actor=actor,
            action=AuditAction.SERVICE_REQUEST_UPDATED,
            object_type="service_request",
            object_id=sr.reference,
            changes=diff,
        )
    return sr
