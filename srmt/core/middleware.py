"""Request-id correlation (echo or mint X-Request-ID and expose it to the audit log), the
refusal of NUL characters in addresses, and `no-store` on every answer that may carry
personal data."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from srmt.core.problems import is_api_request, problem_response
from srmt.core.requestid import current_api_token_id, current_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        # Every request starts with no acting API token, and none outlives it: a worker
        # thread must never credit the next request to the previous request's token.
        acting_token = current_api_token_id.set(None)
        try:
            response = self.get_response(request)
        finally:
            current_api_token_id.reset(acting_token)
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RejectNulMiddleware:
    """Refuse a request whose path or query string holds a NUL character, raw or as %00.

    No address of ours has one, and PostgreSQL cannot store or compare text with NUL (a
    lookup with one fails with an error instead of finding nothing): refusing it here, once,
    keeps every view and filter from having to. API paths get problem+json, pages a plain
    400 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "\x00" in query or "%00" in query:
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        message = _("The address has a character that is not allowed (a NUL character).")
        if is_api_request(request):
            return problem_response(400, "invalid_characters", message)
        return render(request, "400.html", {"message": message}, status=400)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer to a signed-in user and on every API answer.

    Staff pages and API answers carry personal data (requesters, cases, 8 U.S.C. 1367
    protected facts); no browser or proxy cache may keep them. One rule for all responses is
    harder to forget than a decorator per view. Static files are answered by WhiteNoise
    before this middleware runs, so they stay cacheable. The API's user is read after the
    view, once DRF has authenticated the request (token or session).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
