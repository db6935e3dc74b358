"""API throttles (docs/adr/0020-sign-in-protection-and-security-headers.md).

Rates live in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (SRMT_API_RATE_* settings) and are
read on every request: DRF's own classes read them once at import, so a changed setting
(or a test's override) would be ignored. Counts are kept in the default cache, which must
be shared by every web process in production (SRMT_CACHE_BACKEND=redis).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.settings import api_settings


class _CurrentRate:
    scope: str | None

    def get_rate(self) -> str:
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope is None or self.scope not in rates:
            raise ImproperlyConfigured(f"No API throttle rate for scope {self.scope!r}.")
        return str(rates[self.scope])


class UserRateThrottle(_CurrentRate, throttling.UserRateThrottle):
    """Calls per signed-in user (token or session), whatever their address."""


class FailedAuthenticationThrottle(_CurrentRate, throttling.SimpleRateThrottle):
    """Failed token authentications per client address.

    Not a view throttle: the authentication class asks it before looking a token up, and
    tells it about each refused token. Once an address is over the rate, every token it
    sends waits (429), so guessing costs the guesser time and the database nothing.
    """

    scope = "failed_authentication"
    # Set by SimpleRateThrottle.__init__ from get_rate(), which always gives a rate here (no
    # rate is ImproperlyConfigured), so both are numbers; DRF's stubs do not declare them.
    num_requests: int
    duration: int

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def refuse_if_exceeded(self, request: Request) -> None:
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            raise Throttled(wait=self.wait())

    def record_failure(self) -> None:
        """Count one failure (after refuse_if_exceeded() for the same request)."""
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
