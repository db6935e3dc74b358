"""Refusals of account actions (API tokens), each with a stable code."""

from __future__ import annotations

from srmt.core.errors import DomainError


class ApiTokenRefused(DomainError):
    """The secret does not authenticate: unknown, revoked, expired, or its user deactivated."""

    code = "authentication_failed"
    http_status = 401


class InvalidTokenName(DomainError):
    code = "invalid_token_name"


class InvalidTokenLifetime(DomainError):
    code = "invalid_token_lifetime"


class NotYourToken(DomainError):
    code = "not_your_token"
    http_status = 403


class UserDeactivated(DomainError):
    code = "user_deactivated"


class InvalidContactPreferences(DomainError):
    code = "invalid_contact_preferences"


class InvalidRepresentativeNumber(DomainError):
    code = "invalid_representative_number"


class WrongAccount(DomainError):
    code = "wrong_account_kind"
