"""Password sign-in for agency staff only (ADR 27).

Customers and representatives are accounts too, but they never sign in to the staff pages,
the admin or the API: this backend refuses them as it refuses a deactivated user (the same
"enter a correct username and password" answer), and drops a session of theirs on the next
request (`get_user` asks `user_can_authenticate` too)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class StaffModelBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and bool(getattr(user, "is_agency_staff", False))
