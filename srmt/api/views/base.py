"""What every API v1 view shares: size-limited JSON, authentication, role capabilities, and
the refusal of query parameters it does not take."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, ClassVar

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.api.parsers import LimitedJSONParser


class HasCapability(BasePermission):
    """The user's role has the capability the view requires for this HTTP method."""

    message = _("Your role does not allow you to do that.")

    def has_permission(self, request: Request, view: Any) -> bool:
        required = getattr(view, "required_capabilities", {}).get(request.method)
        if required is None:
            return True
        # IsAuthenticated, listed before this class, has refused an anonymous caller.
        return isinstance(request.user, User) and request.user.can(required)


def refuse_unknown_parameters(query: QueryDict, accepted: Collection[str]) -> None:
    """400 `unknown_parameter` for each parameter not in `accepted`, `repeated_parameter` for
    each given more than once: a filter the API would ignore, or read only once, is refused
    rather than silently widening (or narrowing) the answer."""
    errors: dict[str, list[ErrorDetail]] = {}
    for name in sorted(query):
        if name not in accepted:
            message = gettext(
                "This query parameter is not taken here. The parameters are: %(names)s."
            )
            errors[name] = [
                ErrorDetail(
                    message % {"names": ", ".join(sorted(accepted)) or gettext("none")},
                    code="unknown_parameter",
                )
            ]
        elif len(query.getlist(name)) > 1:
            message = gettext("Give this query parameter once.")
            errors[name] = [ErrorDetail(message, code="repeated_parameter")]
    if errors:
        raise ValidationError(errors)


if TYPE_CHECKING:
    # What the mixin is mixed into (before the DRF view class), for the type checker.
    _ViewBase = APIView
else:
    _ViewBase = object


class ApiMixin(_ViewBase):
    """Mix into every v1 view (before the DRF base class)."""

    parser_classes = [LimitedJSONParser]
    permission_classes = [IsAuthenticated, HasCapability]
    required_capabilities: ClassVar[dict[str, Capability]] = {}
    # The serializer of the query parameters each method takes (e.g. {"GET": SomeFilter});
    # a method not listed takes none, except the paging parameters of a paginated list.
    query_serializers: ClassVar[dict[str, type[serializers.Serializer[Any]]]] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not self.handles(request.method):
            return  # dispatch answers 405 Method Not Allowed, whatever the query string
        refuse_unknown_parameters(request.query_params, self.query_parameters(request.method))

    def handles(self, method: str | None) -> bool:
        """Whether this view has a handler for `method` (as APIView.dispatch decides)."""
        name = (method or "").lower()
        return name in self.http_method_names and hasattr(self, name)

    def query_parameters(self, method: str | None) -> set[str]:
        """The names of the query parameters `method` takes on this view. HEAD takes GET's:
        it is GET without the body (RFC 9110, 9.3.2)."""
        if method == "HEAD":
            method = "GET"
        names: set[str] = set()
        filters = self.query_serializers.get(method or "")
        if filters is not None:
            names |= set(filters().fields)
        paginator = getattr(self, "pagination_class", None)
        if method == "GET" and paginator is not None:
            names |= {paginator.cursor_query_param, paginator.page_size_query_param}
        return names


class ApiView(ApiMixin, APIView):
    pass
