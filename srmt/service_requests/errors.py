"""Refusals of service request actions, each with a stable code."""

from srmt.core.errors import DomainError


class UnknownRequestType(DomainError):
    code = "unknown_type"


class UnknownChannel(DomainError):
    code = "unknown_channel"


class ReceiptNumberRequired(DomainError):
    code = "receipt_number_required"


class InvalidRequester(DomainError):
    code = "invalid_requester"


class InvalidDescription(DomainError):
    code = "invalid_description"


class InvalidResponse(DomainError):
    code = "invalid_response"


class RequestClosed(DomainError):
    code = "request_closed"
    http_status = 409


class ReasonRequired(DomainError):
    code = "reason_required"


class InvalidTransfer(DomainError):
    code = "invalid_transfer"


class InvalidDuplicate(DomainError):
    code = "invalid_duplicate"


class InvalidAssignee(DomainError):
    code = "invalid_assignee"


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    http_status = 422


class StaleVersion(DomainError):
    code = "precondition_failed"
    http_status = 412
