"""RFC 9457 problem details as plain Django responses, for the layers that answer before (or
outside) the REST framework: middleware and error handlers on API paths.

`srmt.api.problems` builds the same body for API views; both use `problem_body`.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse

from srmt.core.requestid import current_request_id

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Every path under this prefix is the REST API, whose every answer is JSON.
API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def problem_body(
    status_code: int,
    code: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "code": code,
        "detail": detail or HTTPStatus(status_code).description,
    }
    if errors:
        body["errors"] = errors
    request_id = current_request_id.get()
    if request_id:
        body["request_id"] = request_id
    return body


def problem_response(status_code: int, code: str, detail: str = "") -> HttpResponse:
    body = problem_body(status_code, code, str(detail))
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
