"""Assignment (assign_request): who of the holding office works the request."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.service_requests import core, lifecycle, policies, reasons, workspace_hooks
from srmt.service_requests.choices import Status
from srmt.service_requests.errors import InvalidAssignee
from srmt.service_requests.models import ServiceRequest


@transaction.atomic
def assign_request(sr: ServiceRequest, *, actor: User, assignee: User | None) -> ServiceRequest:
    """Give the request to a member of staff of its office (None returns it to the queue)."""
    sr = core.lock(sr)
    policies.require_act(actor, sr, Capability.TRANSITION)
    core.require_open(sr)
    if assignee is not None and not policies.can_act(assignee, sr, Capability.RESPOND):
        raise InvalidAssignee(
            _("%(user)s cannot work requests at %(office)s.")
            % {"user": assignee.get_username(), "office": sr.office.code},
            field="assignee",
        )
    previous = sr.assignee
    old = previous.get_username() if previous else None
    sr.assignee = assignee
    if (
        assignee is not None
        and lifecycle.can_move(sr.status, Status.ASSIGNED)
        and sr.status in {Status.RECEIVED, Status.TRANSFERRED, Status.REOPENED}
    ):
        core.move(
            sr,
            Status.ASSIGNED,
            actor=actor,
            code=reasons.ASSIGNED,
            params={"user": assignee.get_username()},
        )
    else:
        core.bump(sr)
    # Before this assignment's audit event: the workspace reads the earlier ones.
    workspace_hooks.assigned(sr, actor=actor, assignee=assignee, previous=previous)
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_ASSIGNED,
        object_type="service_request",
        object_id=sr.reference,
        changes={"assignee": [old, assignee.get_username() if assignee else None]},
    )
    return sr
