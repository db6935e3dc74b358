"""A JSON parser that refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE with 413.

DRF parses JSON from `HttpRequest.body`, whose size check raises RequestDataTooBig (mapped
to 413 by problems.exception_handler) when Content-Length is over the limit. This parser
applies the same limit while reading, so a body without a truthful Content-Length is
refused too.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.parsers import JSONParser

from srmt.api.problems import RequestTooLarge


class LimitedJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge(f"The request body is larger than the limit of {limit} bytes.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
