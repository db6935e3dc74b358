"""The refusals of e-Requests, with stable codes (ADR 0044)."""

from __future__ import annotations

from srmt.core.errors import DomainError


class NotEligible(DomainError):
    """The case may not have this request online now; `extra` says why and from when."""

    code = "not_eligible"
    http_status = 409


class IdentityNotConfirmed(DomainError):
    """The receipt number, name and date of birth do not match a case we can act on (the same
    answer whether the case exists or not)."""

    code = "identity_not_confirmed"
    http_status = 404
