"""Domain errors with stable codes, mapped to HTTP (api.problems) or form errors (pages)."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A refused business action. `code` is stable and part of the public API."""

    code: ClassVar[str] = "invalid"
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra


class InvalidReceiptNumber(DomainError):
    code = "invalid_receipt_number"


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class Conflict(DomainError):
    code = "conflict"
    http_status = 409
