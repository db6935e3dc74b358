"""The staff site (pages, admin, API) is for agency staff only (ADR 27)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse


class StaffAccountsOnlyMiddleware:
    """A signed-in account that is not agency staff (a customer or representative, however
    its session came to be) is nobody here: every staff page sends it to sign in, the admin
    shows its sign-in page, and the API answers 401. The staff sign-in itself refuses such
    accounts (accounts.backends.StaffModelBackend); this holds even if a later sign-in path,
    such as the portal's, makes them a session.

    The public site (customers' and representatives' own pages) is everything else: there
    the account stays signed in, and its pages check its kind themselves (srmt.portal)."""

    # The staff site: its pages, the admin and the REST API.
    STAFF_PREFIXES = ("/staff/", "/admin/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path.startswith(self.STAFF_PREFIXES)
            and user.is_authenticated
            and not getattr(user, "is_agency_staff", False)
        ):
            request.user = AnonymousUser()
        return self.get_response(request)
