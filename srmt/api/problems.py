"""RFC 9457 problem details for every API error, each with a stable `code`.

Every refusal is `application/problem+json` with `type`, `title`, `status`, `code` and
`detail`; validation refusals add `errors: [{"field", "code", "detail"}]`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from srmt.api.exceptions import RequestTooLarge
from srmt.core.errors import DomainError
from srmt.core.problems import PROBLEM_CONTENT_TYPE, problem_body

# DRF's validation codes renamed to the API's stable ones.
_VALIDATION_CODES = {"max_length": "too_long"}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The If-Match header does not match the current version.")
    default_code = "precondition_failed"


class InvalidHeader(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("A request header is not valid.")
    default_code = "invalid_header"


def problem(
    *,
    status_code: int,
    code: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
) -> Response:
    body = problem_body(status_code, code, detail, errors)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = _problem_for(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # Problems are JSON even from a view that negotiated another format (the schema
        # view answers YAML): the body must be what its Content-Type says.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


def _problem_for(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        errors = (
            [{"field": exc.field, "code": exc.code, "detail": exc.message}] if exc.field else None
        )
        response = problem(
            status_code=exc.http_status, code=exc.code, detail=exc.message, errors=errors
        )
        # Some refusals carry more members (e.g. possible_repeat lists its candidates).
        response.data.update(getattr(exc, "extensions", {}))
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    drf_response = drf_exception_handler(exc, context)
    if drf_response is None:
        return None
    return _from_drf(exc, drf_response)


_CODES = {
    exceptions.ParseError: "malformed_json",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.Throttled: "throttled",
    exceptions.NotAcceptable: "not_acceptable",
}


def _from_drf(exc: Exception, response: Response) -> Response:
    if isinstance(exc, exceptions.ValidationError):
        errors = list(_flatten(exc.detail))
        codes = {e["code"] for e in errors}
        return problem(
            status_code=status.HTTP_400_BAD_REQUEST,
            code=codes.pop() if len(codes) == 1 else "validation_error",
            detail="; ".join(f"{e['field'] or 'request'}: {e['detail']}" for e in errors),
            errors=errors,
        )
    code = next((c for klass, c in _CODES.items() if isinstance(exc, klass)), None)
    if code is None:
        code = getattr(exc, "default_code", "error")
    detail = str(getattr(exc, "detail", "")) or response.status_text
    problem_response = problem(status_code=response.status_code, code=code, detail=detail)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem_response[header] = response[header]
    return problem_response


def _flatten(detail: Any, prefix: str = "") -> Any:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            yield from _flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            nested = isinstance(item, dict | list)
            yield from _flatten(item, f"{prefix}.{index}" if nested and prefix else prefix)
    else:
        code = str(getattr(detail, "code", "invalid"))
        yield {
            "field": prefix,
            "code": _VALIDATION_CODES.get(code, code),
            "detail": str(detail),
        }
