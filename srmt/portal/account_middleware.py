"""Two rules for customers and representatives signed in on the public sign-in (ADR 42);
staff are untouched.

- Idle timeout: after SRMT_PUBLIC_IDLE_MINUTES without a request, the account is signed
  out and told why on the sign-in page.
- Multi-factor authentication is required: until the account has an authenticator app,
  every page but setting one up (and signing out, the language switch and static files)
  sends it to set one up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from srmt.portal.access import is_public_account

PUBLIC_BACKEND = "srmt.accounts.backends.PublicAccountBackend"


def _public_session(request: HttpRequest) -> bool:
    """A customer or representative signed in through django-allauth: the only way such an
    account gets a session (the staff sign-in and the admin refuse them). Sessions made
    otherwise (tests' force_login) are left to the access checks alone."""
    return is_public_account(request.user) and (
        request.session.get(BACKEND_SESSION_KEY) == PUBLIC_BACKEND
    )


LAST_SEEN = "srmt_public_last_seen"
# Seconds between two writes of LAST_SEEN (the session is not saved on every request).
RESOLUTION = 30


class PublicIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _public_session(request):
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if isinstance(last, int) and now - last > settings.SRMT_PUBLIC_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _(
                        "We signed you out because you were not active for %(minutes)d "
                        "minutes. This keeps your information safe. Please sign in again."
                    )
                    % {"minutes": settings.SRMT_PUBLIC_IDLE_MINUTES},
                )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{settings.PORTAL_LOGIN_URL}?{query}")
            if not isinstance(last, int) or now - last >= RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def _allowed_without_mfa(path: str) -> bool:
    allowed = (
        reverse("mfa_activate_totp"),
        # Setting up an authenticator asks for the password again first (allauth.mfa).
        reverse("account_reauthenticate"),
        reverse("account_logout"),
        "/i18n/",
        settings.STATIC_URL,
    )
    return path.startswith(allowed)


class PublicMfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            _public_session(request)
            and not _allowed_without_mfa(request.path)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
