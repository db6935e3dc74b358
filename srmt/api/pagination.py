"""Cursor pagination for service request lists: stable under inserts, no COUNT query.

A cursor is opaque but only base64 of the position of the last row shown: a cursor that does
not decode to a position of this list (a crafted one) is refused with 400 `invalid_cursor`,
never passed to the database. `page_size` is a whole number from 1 to MAX_PAGE_SIZE; anything
else is 400 `invalid_page_size` (never a silent fallback to the default).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from srmt.api.inputs import DateOrDateTimeField

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,6}$")


def _refuse(parameter: str, code: str, message: str) -> ValidationError:
    return ValidationError({parameter: [ErrorDetail(message, code=code)]})


class ServiceRequestCursorPagination(CursorPagination):
    ordering = "-created_at"
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def decode_cursor(self, request: Request) -> Cursor | None:
        message = _("This cursor is not one of this list's; use the next or previous link.")
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise _refuse(self.cursor_query_param, "invalid_cursor", message) from None
        if cursor is None or cursor.position is None:
            return cursor
        try:  # the position is the created_at of a row: a datetime DRF wrote as text
            position = DateOrDateTimeField().run_validation(cursor.position)
        except ValidationError:
            raise _refuse(self.cursor_query_param, "invalid_cursor", message) from None
        return cursor._replace(position=position.isoformat())

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = int(raw) if _WHOLE_NUMBER.match(raw) else 0
        if not 1 <= size <= self.max_page_size:
            raise _refuse(
                self.page_size_query_param,
                "invalid_page_size",
                _("page_size must be a whole number from 1 to %(max)d.")
                % {"max": self.max_page_size},
            )
        return size
