"""`Authorization: Token <token>` with SRMT API tokens (docs/adr/0019-api-tokens.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.request import Request

from srmt.accounts import services as accounts
from srmt.accounts.errors import ApiTokenRefused
from srmt.accounts.models import ApiToken, User
from srmt.api.throttling import FailedAuthenticationThrottle
from srmt.core.requestid import current_api_token_id

KEYWORD = "Token"


def signed_in_user(request: Request) -> User:
    """The user a v1 request acts for: every v1 view requires authentication (ApiMixin), so
    the permission checks have refused an anonymous caller before a handler asks."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates a request by an API token; the token then acts for its user.

    Refusals (unknown, revoked, expired token; deactivated user) are 401 with code
    `authentication_failed`. Failures are counted per address, and an address over the rate
    gets 429 before its tokens are even looked up. The token's id goes into the request's
    context, so every audit event of the request names the token that acted.
    """

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # another scheme, or none: let the next authenticator try
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header: send 'Token' and one token."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(_("Invalid token.")) from exc
        throttle = FailedAuthenticationThrottle()
        throttle.refuse_if_exceeded(request)
        try:
            token = accounts.authenticate_api_token(secret)
        except ApiTokenRefused as exc:
            throttle.record_failure()
            raise AuthenticationFailed(exc.message) from exc
        current_api_token_id.set(token.pk)  # reset when the request ends (RequestIdMiddleware)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


# drf-spectacular registers extensions in an unannotated __init_subclass__.
class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The token scheme in the OpenAPI description."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                'An SRMT API token, sent as "Authorization: Token <token>". Create one on '
                'the "API tokens" staff page or with `srmt token USERNAME`: it is shown '
                "once, expires (90 days by default) and can be revoked at any time."
            ),
        }
