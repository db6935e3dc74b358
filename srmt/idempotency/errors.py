"""Refusals of the idempotency records, with the API's stable codes."""

from __future__ import annotations

from srmt.core.errors import DomainError


class IdempotencyKeyReused(DomainError):
    """The same Idempotency-Key with another body, method or path (422)."""

    code = "idempotency_key_reused"
    http_status = 422
