"""Who may use the signed-in public pages: customers and representatives (ADR 27).

Staff accounts are nobody on the public site's own pages (they have the staff pages); an
anonymous visitor is sent to sign in and comes back. What a signed-in account may see
(its own cases, requests, messages and documents) is decided by the domain's access
helpers (`cases.access`, `service_requests.policies`), which answer 404 for anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from srmt.accounts.choices import AccountKind

PUBLIC_KINDS = frozenset({AccountKind.CUSTOMER, AccountKind.REPRESENTATIVE})


def is_public_account(user: Any) -> bool:
    return bool(user.is_authenticated and getattr(user, "kind", None) in PUBLIC_KINDS)


def sign_in_url(request: HttpRequest) -> str:
    return f"{settings.PORTAL_LOGIN_URL}?{urlencode({'next': request.get_full_path()})}"


def public_account_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """The view needs a signed-in customer or representative; anyone else signs in first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_public_account(request.user):
            return HttpResponseRedirect(sign_in_url(request))
        return view(request, *args, **kwargs)

    return wrapper
