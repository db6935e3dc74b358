"""Who may call the API at all: signed-in agency staff (ADR 27)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class IsAgencyStaff(BasePermission):
    """A signed-in, active staff account. Customers and representatives never reach the API
    (their tokens are refused and their sessions dropped before this); this is the last
    check, on every view."""

    message = _("The API is for agency staff.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_agency_staff", False))
