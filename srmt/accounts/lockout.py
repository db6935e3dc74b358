"""Sign-in lockout with back-off (django-axes, docs/adr/0020 and 0042).

django-axes counts failed sign-ins per username and client address, on the staff sign-in
(`username`) and the public one (django-allauth's `email`, or `login` as the form posts
it): `username_of` tells it which. After SRMT_SIGN_IN_FAILURE_LIMIT failures the pair is
locked for `cool_off`: SRMT_SIGN_IN_LOCKOUT_MINUTES the first time, and twice as long for
each further run of failures of that username within a day (read from the audit log's
failed sign-ins), never more than a day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent

BACK_OFF_WINDOW = dt.timedelta(days=1)
LONGEST = dt.timedelta(days=1)
USERNAME_MAX_LENGTH = 150


def username_of(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in names: `email` (public sign-in), else `username` (staff)."""
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for key in ("email", "login", "username"):
            value = source.get(key)
            if value:
                return str(value).strip()[:USERNAME_MAX_LENGTH]
    return ""


def cool_off_for(username: str, *, now: dt.datetime | None = None) -> dt.timedelta:
    """How long a lockout of `username` lasts now: doubled for each earlier run of
    SRMT_SIGN_IN_FAILURE_LIMIT failures in the last day."""
    base = dt.timedelta(minutes=settings.SRMT_SIGN_IN_LOCKOUT_MINUTES)
    if not username:
        return base
    now = now or timezone.now()
    failures = (
        AuditEvent.objects.filter(
            action=AuditAction.USER_SIGN_IN_FAILED,
            occurred_at__gte=now - BACK_OFF_WINDOW,
            changes__username=username,
        )
        .only("pk")
        .count()
    )
    limit: int = settings.AXES_FAILURE_LIMIT
    earlier_runs = max(0, failures // limit - 1)
    wait: dt.timedelta = base * 2 ** min(earlier_runs, 10)
    return min(wait, LONGEST)


def cool_off(request: HttpRequest | None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: the lockout's length for the username this request signs in as."""
    return cool_off_for(username_of(request, None))
