"""Case status without an account: /status/?receipt_number=... (issue 11, ADR 0040).

A GET form: the receipt number in, the status title and its plain-language description out
in the page's language, with the dated titles of the earlier statuses. Nothing personal. A
protected case answers exactly as an unknown receipt number (cases.public_status). Lookups
are limited per client address (settings.SRMT_STATUS_LOOKUP_RATE, in the project's cache,
with DRF's sliding-window throttle): over the limit, a 429 page says when to try again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from rest_framework.throttling import SimpleRateThrottle

from srmt.cases.public_status import PublicStatus, public_status
from srmt.cases.statuses import format_date_en, format_date_es
from srmt.core.bilingual import in_language, is_spanish
from srmt.core.clientip import client_ip
from srmt.core.errors import InvalidReceiptNumber

MAX_INPUT = 40  # longer input is not a receipt number, whatever its separators


class StatusLookupThrottle(SimpleRateThrottle):
    """Lookups per client address, counted in the default cache (shared by every process
    in production: SRMT_CACHE_BACKEND=redis)."""

    scope = "status_lookup"

    def get_rate(self) -> str:
        return str(settings.SRMT_STATUS_LOOKUP_RATE)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def allow(self, request: HttpRequest) -> bool:
        """Whether this client may look up now. DRF's throttle reads nothing of the request
        but what get_cache_key reads (above), so a plain Django request does."""
        return self.allow_request(request, None)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Step:
    date: str
    title: str


def _in_page_language(answer: PublicStatus) -> dict[str, Any]:
    language = get_language()
    format_date = format_date_es if is_spanish(language) else format_date_en
    current = answer.current
    return {
        "title": in_language(current.title_en, current.title_es, language),
        "description": in_language(current.description_en, current.description_es, language),
        "history": [
            Step(format_date(step.on), in_language(step.title_en, step.title_es, language))
            for step in reversed(answer.history)
        ],
    }


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    seconds = max(1, math.ceil(wait or 60))
    minutes = math.ceil(seconds / 60)
    response = render(
        request,
        "portal/errors/429.html",
        {"minutes": minutes, "seconds": seconds},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


@require_safe
def status(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("receipt_number")
    context: dict[str, Any] = {"receipt_number": (raw or "")[:MAX_INPUT], "looked_up": False}
    if raw is None:
        return render(request, "portal/status.html", context)
    throttle = StatusLookupThrottle()
    if not throttle.allow(request):
        return too_many_requests(request, throttle.wait())
    context["looked_up"] = True
    try:
        if len(raw) > MAX_INPUT:
            raise InvalidReceiptNumber("", field="receipt_number")
        answer = public_status(raw, actor=request.user)
    except InvalidReceiptNumber:
        context["error"] = True
        return render(request, "portal/status.html", context)
    if answer is None:
        # The same answer, to the byte, for a protected case and for a number nobody filed.
        context["not_found"] = True
        return render(request, "portal/status.html", context, status=404)
    context["receipt_number"] = answer.receipt_number
    context["answer"] = _in_page_language(answer)
    return render(request, "portal/status.html", context)
