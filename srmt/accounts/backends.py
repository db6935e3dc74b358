"""Password sign-in for agency staff only (ADR 27).

Customers and representatives are accounts too, but they never sign in to the staff pages,
the admin or the API: this backend refuses them as it refuses a deactivated user (the same
"enter a correct username and password" answer), and drops a session of theirs on the next
request (`get_user` asks `user_can_authenticate` too)."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from srmt.accounts.choices import AccountKind


class StaffModelBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and bool(getattr(user, "is_agency_staff", False))


class PublicAccountBackend(AuthenticationBackend):  # type: ignore[misc]
    """django-allauth's email sign-in, for customers and representatives only (ADR 42).

    It answers only a sign-in by `email` (the public sign-in's), so that a customer typing
    their username on the staff sign-in is refused there; and it refuses staff accounts as
    StaffModelBackend refuses public ones: the same "email or password is not right"
    answer, and a session of theirs from this backend is dropped on the next request."""

    def authenticate(self, request: Any, **credentials: Any) -> Any:
        if not credentials.get("email"):
            return None
        return super().authenticate(request, **credentials)

    def _check_password(self, user: Any, password: str) -> Any:
        # A staff account is not even tried (allauth would otherwise keep it aside as a
        # "right password, inactive account" to explain): the timing stays the same, as
        # for an unknown address.
        if user is not None and not _is_public(user):
            return None
        return super()._check_password(user, password)

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and _is_public(user)


def _is_public(user: Any) -> bool:
    return getattr(user, "kind", None) in (AccountKind.CUSTOMER, AccountKind.REPRESENTATIVE)
