"""Reads that are audited (record_view): who was shown a request's case details."""

from __future__ import annotations

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.service_requests.models import ServiceRequest


def record_view(sr: ServiceRequest, *, actor: User) -> None:
    """Audit that `actor` was shown this request's case-specific details."""
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_VIEWED,
        object_type="service_request",
        object_id=sr.reference,
    )
