"""OpenAPI pieces shared by the views: the problem-details body and its responses."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from srmt.core.problems import PROBLEM_CONTENT_TYPE

PROTECTED_HELP = (
    "The case is protected by 8 U.S.C. 1367 confidentiality (VAWA, T and U cases): the case "
    "and its requests are shown only to staff with 1367 clearance, and to others as if they "
    "did not exist."
)


class ProblemErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="Dotted path of the field, '' for the whole body.")
    code = serializers.CharField(help_text="Stable machine-readable code.")
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer[Any]):
    """RFC 9457 problem details; `code` is stable and part of the API."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    code = serializers.CharField(
        help_text="Stable code: invalid_receipt_number, unknown_type, malformed_json, "
        "invalid_characters, unknown_field, unknown_parameter, repeated_parameter, "
        "invalid_choice, invalid_cursor, invalid_page_size, invalid_urgency, "
        "invalid_case_date, clearance_required, protection_reason_required, "
        "unsupported_media_type, too_long, request_too_large, invalid_transition, "
        "precondition_failed, idempotency_key_reused, permission_denied, not_found, "
        "not_authenticated, authentication_failed, throttled, server_error, ..."
    )
    detail = serializers.CharField()
    # A declared field, not Serializer.errors: DRF's metaclass takes fields off the class.
    errors = ProblemErrorSerializer(many=True, required=False)  # type: ignore[assignment]
    request_id = serializers.CharField(required=False)


_DESCRIPTIONS = {
    400: "Invalid request: validation errors, malformed or too deeply nested JSON, NUL "
    "characters, unknown fields or query parameters, too long, unknown codes.",
    401: "Not authenticated (code not_authenticated), or the token was refused: unknown, "
    "revoked, expired, or its user deactivated (code authentication_failed).",
    403: "The role does not allow this (code permission_denied).",
    404: "No such object, or not visible to you (code not_found).",
    409: "Not allowed in the request's current status (code invalid_transition, ...).",
    412: "If-Match is malformed or stale (code precondition_failed); nothing was changed.",
    413: "The body is larger than the limit (code request_too_large).",
    415: "The body is not JSON (code unsupported_media_type).",
    422: "Idempotency-Key reused with another body or path (code idempotency_key_reused).",
    429: "Too many calls, or too many refused tokens from this address (code throttled); "
    "Retry-After gives the seconds to wait.",
}


def problems(*statuses: int) -> dict[tuple[int, str], OpenApiResponse]:
    """Problem-details responses for these status codes (400, 401 and 429 are added to
    every operation: every call refuses unknown query parameters, is authenticated and is
    throttled)."""
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description=_DESCRIPTIONS.get(status, HTTPStatus(status).phrase)
        )
        for status in sorted({400, 401, 429, *statuses})
    }


REFERENCE = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="The request's reference."
)
RECEIPT_NUMBER = OpenApiParameter(
    "receipt_number",
    str,
    OpenApiParameter.PATH,
    description="3 letters and 10 digits; spaces and dashes are ignored.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag from a GET; a stale or malformed value is refused with 412.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Client-chosen key (1-255 visible ASCII characters) naming one operation; "
    "keys are per user and honoured for SRMT_IDEMPOTENCY_RETENTION_HOURS (48 by default). "
    "A retry with "
    "the same key, path and body does nothing again and returns the first answer (status, "
    "body, Location, ETag) with `Idempotent-Replayed: true`; the same key with another body "
    "or on another path is refused with 422 `idempotency_key_reused`. A refused request "
    "keeps nothing, so it can be retried with the same key.",
)
