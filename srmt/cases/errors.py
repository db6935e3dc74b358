from srmt.core.errors import DomainError


class UnknownFormType(DomainError):
    code = "unknown_form_type"


class UnknownOffice(DomainError):
    code = "unknown_office"


class InvalidPerson(DomainError):
    code = "invalid_person"


class ClearanceRequired(DomainError):
    """Writing case records needs 8 U.S.C. 1367 clearance, whatever the receipt number: the
    case systems hold protected cases, and a refusal that depended on the case would tell."""

    code = "clearance_required"
    http_status = 403


class ProtectionReasonRequired(DomainError):
    code = "protection_reason_required"


class InvalidCaseDate(DomainError):
    code = "invalid_case_date"


class WrongAccountKind(DomainError):
    """A customer link needs a customer account, a Form G-28 a representative account."""

    code = "wrong_account_kind"


class AlreadyLinked(DomainError):
    code = "already_linked"


class InvalidRepresentation(DomainError):
    code = "invalid_representation"


class StatusOnlyCase(DomainError):
    """A customer asked to act online (a request, a message) about a paper case their
    account may only follow (status tracking: cases.access.full_account). The case is theirs,
    so the answer may say why (ADR 43, revised)."""

    code = "status_only_case"
    http_status = 403
