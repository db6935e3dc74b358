from srmt.core.errors import DomainError


class WrongCode(DomainError):
    """Wrong code, no case with that receipt number, or a case the account may not know:
    one answer for all, so a refusal tells nothing about any case (8 U.S.C. 1367)."""

    code = "wrong_access_code"


class ExpiredCode(DomainError):
    code = "access_code_expired"


class UsedCode(DomainError):
    code = "access_code_used"
    http_status = 409


class LockedOut(DomainError):
    code = "access_code_locked_out"
    http_status = 429


class TooManyAttempts(DomainError):
    code = "access_code_rate_limited"
    http_status = 429


class NotOnCase(DomainError):
    """The person given is not a party on the case in their own right."""

    code = "not_on_case"


class CaseNotFound(DomainError):
    code = "not_found"
    http_status = 404


class CannotLink(DomainError):
    code = "cannot_link"
