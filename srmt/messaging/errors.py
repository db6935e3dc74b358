"""Refusals of the messaging services (stable codes)."""

from __future__ import annotations

from srmt.core.errors import DomainError


class EmptyMessage(DomainError):
    code = "empty_message"


class InvalidMessageFile(DomainError):
    code = "invalid_message_file"


class NotAllowedToMessage(DomainError):
    """An account that may not write in this thread (answered 404 by the pages)."""

    code = "not_found"
    http_status = 404
