"""The JSON parser of every API endpoint: bounded in size and depth, and free of NUL.

- Size: DRF parses JSON from `HttpRequest.body`, whose size check raises RequestDataTooBig
  (mapped to 413 by problems.exception_handler) when Content-Length is over the limit. This
  parser applies the same limit while reading, so a body without a truthful Content-Length
  is refused too.
- Depth: Python's JSON decoder recurses once per level of nesting, so `[` * 30000 would end
  in RecursionError (a 500). Nesting deeper than MAX_DEPTH is refused with 400
  `malformed_json` by a scan of the raw bytes, before the decoder runs.
- NUL: no text of ours may hold U+0000 (PostgreSQL cannot store or compare it), so a string
  or key with one is refused with 400 `invalid_characters`, whatever field it is in.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from srmt.api.exceptions import InvalidCharacters, RequestTooLarge

# Deeper than any body of ours (3 levels) by far, far shallower than the recursion limit.
MAX_DEPTH = 64
# A JSON string, escapes included (unrolled so that it never backtracks).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# Every byte but the four brackets, for bytes.translate(None, delete=...).
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def nesting_depth_exceeds(raw: bytes, limit: int) -> bool:
    """Whether the JSON text `raw` opens more than `limit` arrays or objects at once.

    Brackets inside strings do not count. The text need not be valid JSON: the decoder
    judges that afterwards.
    """
    brackets = _STRING.sub(b"", raw).translate(None, delete=_NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        if depth > limit:
            return True
    return False


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


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
        if nesting_depth_exceeds(raw, MAX_DEPTH):
            raise exceptions.ParseError(
                _("JSON parse error - nesting deeper than %(limit)d levels.") % {"limit": MAX_DEPTH}
            )
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        if _has_nul(data):
            raise InvalidCharacters()
        return data
