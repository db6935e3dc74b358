"""Every error answer on an API path is problem+json, whoever produced it.

API views answer problem details themselves (`problems.exception_handler`). What they do not
cover is answered by Django: its 404 for an unknown address, its 500 page for an error
outside a view, and with DEBUG its technical pages, all HTML. This middleware replaces any
such HTML error on an API path by problem details of the same status, so an API client
never has to parse a page (and never sees a traceback). Django has already logged the error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from srmt.core.problems import PROBLEM_CONTENT_TYPE, is_api_request, problem_response

# Stable codes for the statuses Django answers by itself; others get "error".
_CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    500: "server_error",
}


def _details() -> dict[int, str]:
    return {
        404: _("There is no API endpoint at this address."),
        500: _(
            "The server failed to answer this request. Nothing was changed. Quote the "
            "request_id to the help desk if it happens again."
        ),
    }


def problem_for(status: int) -> HttpResponse:
    """The problem details of an error Django answers by itself, by its status."""
    return problem_response(status, _CODES.get(status, "error"), _details().get(status, ""))


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith(("application/json", PROBLEM_CONTENT_TYPE)):
            return response
        status = response.status_code
        replaced = problem_for(status)
        for header in ("Allow", "WWW-Authenticate", "Retry-After", "Cache-Control", "Expires"):
            if header in response:
                replaced[header] = response[header]
        # Django logs an error answer once; the replacement must not be logged again.
        replaced._has_been_logged = getattr(response, "_has_been_logged", False)  # type: ignore[attr-defined]
        return replaced
