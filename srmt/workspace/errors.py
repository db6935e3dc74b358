from __future__ import annotations

from srmt.core.errors import DomainError, NotFound


class ViewNameRequired(DomainError):
    code = "view_name_required"


class ViewNameTaken(DomainError):
    code = "view_name_taken"
    http_status = 409


class ViewNotFound(NotFound):
    """Another user's saved view, or none: answered alike."""

    code = "view_not_found"
