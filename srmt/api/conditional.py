"""HTTP preconditions (ETag / If-Match) and Idempotency-Key handling for the API."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from srmt.api.problems import PreconditionFailed

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 255
# A service request's ETag: "<reference>.<version>" (ServiceRequest.etag), strong only.
_ETAG = re.compile(r'^"(?P<reference>[A-Z0-9-]{1,16})\.(?P<version>[0-9]{1,9})"$')
_KEY = re.compile(r"^[\x21-\x7e]+$")  # visible ASCII, no spaces


class InvalidIdempotencyKey(APIException):
    status_code = 400
    default_detail = _("The Idempotency-Key header must be 1 to 255 visible ASCII characters.")
    default_code = "invalid_idempotency_key"


def expected_version(if_match: str | None, *, reference: str) -> int | None:
    """The version a conditional write expects, or None when the write is unconditional.

    No header and `*` are unconditional. One strong entity tag of this request is accepted;
    anything else (weak or malformed tags, lists, another request's tag) fails the
    precondition, so a client never overwrites what it did not read.
    """
    if if_match is None:
        return None
    value = if_match.strip()
    if value == "*":
        return None
    match = _ETAG.match(value)
    if match is None:
        raise PreconditionFailed(
            _('If-Match must be the ETag from a GET of this request, like "SR-7KQ2-M9XD.3".')
        )
    if match["reference"] != reference:
        raise PreconditionFailed(_("If-Match names another request's ETag."))
    return int(match["version"])


def idempotency_key(request: Request) -> str:
    """The client's Idempotency-Key ('' when absent); 400 when it is not a usable key."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return ""
    if not (len(key) <= MAX_IDEMPOTENCY_KEY and _KEY.match(key)):
        raise InvalidIdempotencyKey()
    return key


def body_hash(data: Any) -> str:
    """sha256 of the canonical JSON (sorted keys, no spaces) of the parsed body."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
