"""RFC 9457 problem details for every API error, each with a stable `code`."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from srmt.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    *,
    status_code: int,
    code: str,
    title: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status_code,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        errors = (
            [{"field": exc.field, "code": exc.code, "detail": exc.message}] if exc.field else None
        )
        return problem(
            status_code=exc.http_status,
            code=exc.code,
            title=exc.message,
            detail=exc.message,
            errors=errors,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    return _from_drf(exc, response)


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
        first = errors[0]["code"] if len({e["code"] for e in errors}) == 1 else "invalid"
        return problem(
            status_code=status.HTTP_400_BAD_REQUEST,
            code=first if first != "invalid" else "validation_error",
            title="The request has invalid fields.",
            detail="; ".join(f"{e['field']}: {e['detail']}" for e in errors),
            errors=errors,
        )
    code = next((c for klass, c in _CODES.items() if isinstance(exc, klass)), "error")
    detail = str(getattr(exc, "detail", "")) or response.status_text
    problem_response = problem(
        status_code=response.status_code, code=code, title=detail, detail=detail
    )
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem_response[header] = response[header]
    return problem_response


def _flatten(detail: Any, prefix: str = "") -> Any:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            yield from _flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        for item in detail:
            yield from _flatten(item, prefix)
    else:
        yield {"field": prefix, "code": getattr(detail, "code", "invalid"), "detail": str(detail)}
