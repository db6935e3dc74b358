"""Internal notes (add_note): staff only, never sent to the customer."""

from __future__ import annotations

from django.db import transaction

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.service_requests import core, policies
from srmt.service_requests.errors import InvalidResponse
from srmt.service_requests.models import InternalNote, ServiceRequest


@transaction.atomic
def add_note(sr: ServiceRequest, *, actor: User, body: str) -> InternalNote:
    sr = core.lock(sr)
    policies.require_act(actor, sr, Capability.NOTE)
    text = core.clean_text(body, field="body", error=InvalidResponse)
    note = InternalNote.objects.create(service_request=sr, author=actor, body=text)
    core.bump(sr)
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_NOTED,
        object_type="service_request",
        object_id=sr.reference,
        changes={"note_id": note.pk},
    )
    return note
