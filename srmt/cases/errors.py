from srmt.core.errors import DomainError


class UnknownFormType(DomainError):
    code = "unknown_form_type"


class UnknownOffice(DomainError):
    code = "unknown_office"


class InvalidPerson(DomainError):
    code = "invalid_person"


class InvalidCaseDate(DomainError):
    code = "invalid_case_date"
