"""The page shown when sign-in is locked after too many failures (django-axes calls it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429, in plain language: what happened, how long it lasts, what to do."""
    wait = get_cool_off(request) or dt.timedelta(minutes=1)  # ADR 42: grows with each lockout
    minutes = max(1, int(wait.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
