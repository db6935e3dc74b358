"""API refusals raised outside the views (parsers, preconditions), each with a stable code.

Kept apart from `problems` because the parsers are loaded by DRF's settings while
`rest_framework.views` is still being imported.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class InvalidCharacters(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The request holds a NUL character, which no field accepts.")
    default_code = "invalid_characters"
