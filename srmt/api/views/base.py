"""What every API v1 view shares: size-limited JSON, authentication, role capabilities."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from srmt.accounts.roles import Capability
from srmt.api.parsers import LimitedJSONParser


class HasCapability(BasePermission):
    """The user's role has the capability the view requires for this HTTP method."""

    message = _("Your role does not allow you to do that.")

    def has_permission(self, request: Request, view: Any) -> bool:
        required = getattr(view, "required_capabilities", {}).get(request.method)
        return required is None or request.user.can(required)


class ApiMixin:
    """Mix into every v1 view (before the DRF base class)."""

    parser_classes: ClassVar[list[Any]] = [LimitedJSONParser]
    permission_classes: ClassVar[list[Any]] = [IsAuthenticated, HasCapability]
    required_capabilities: ClassVar[dict[str, Capability]] = {}


class ApiView(ApiMixin, APIView):
    pass
