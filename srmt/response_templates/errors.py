"""Refusals about response templates, each with a stable code (the API's problem `code`)."""

from __future__ import annotations

from collections.abc import Sequence

from srmt.core.errors import DomainError


class InvalidTemplate(DomainError):
    code = "invalid_template"


class UnknownVariable(InvalidTemplate):
    """A template body names a variable the catalogue does not have."""

    code = "unknown_variable"

    def __init__(self, message: str, *, field: str | None, variables: Sequence[str]) -> None:
        super().__init__(message, field=field)
        self.variables = list(variables)
        self.extensions = {"variables": self.variables}


class TemplateCodeTaken(InvalidTemplate):
    code = "template_code_taken"
    http_status = 409
