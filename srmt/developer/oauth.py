"""The OAuth 2.0 server of the Case Status API, on authlib (ADR 0041).

Client credentials only, the client authenticating with HTTP Basic or with form fields.
authlib does the protocol (parsing, client authentication, the standard error JSON); this
module stores what it issues as hashes and answers the token in the agency's shape (every
value a string, `issued_at` in epoch milliseconds, `status: approved`).
"""

from __future__ import annotations

from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.django_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from django.conf import settings
from django.utils import timezone

from srmt.accounts.tokens import hash_token
from srmt.developer.models import AUTH_METHODS, ApiAccessToken, ApiClient


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)


class CaseStatusAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(ApiClient, ApiAccessToken)
        self.register_grant(ClientCredentialsGrant)

    def load_config(self, config: dict[str, Any]) -> None:
        # The project's settings, not AUTHLIB_OAUTH2_PROVIDER: the lifetime is read per token.
        self.config: dict[str, Any] = {}
        self.scopes_supported = None
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=_generate_token,
                expires_generator=lambda client, grant_type: (
                    settings.SRMT_CASE_STATUS_API_TOKEN_SECONDS
                ),
            ),
        )

    def query_client(self, client_id: str) -> ApiClient | None:
        return ApiClient.objects.filter(client_id=client_id, is_active=True).first()

    def save_token(self, token: dict[str, Any], request: Any) -> ApiAccessToken:
        issued = timezone.now()
        row = ApiAccessToken.objects.create(
            client=request.client,
            token_hash=hash_token(token["access_token"]),
            issued_at=issued,
            expires_in=int(token["expires_in"]),
        )
        # The agency's (Apigee's) shape: every value a string.
        token.pop("scope", None)
        token["token_type"] = "Bearer"  # noqa: S105 (a token type, not a secret)
        token["expires_in"] = str(token["expires_in"])
        token["issued_at"] = str(int(issued.timestamp() * 1000))
        token["status"] = "approved"
        return row


def _generate_token(*args: Any, **kwargs: Any) -> str:
    return str(generate_token(42))


class HashedBearerTokenValidator(BearerTokenValidator):  # type: ignore[misc]
    def authenticate_token(self, token_string: str) -> ApiAccessToken | None:
        if not token_string or len(token_string) > 200:
            return None
        return (
            ApiAccessToken.objects.select_related("client")
            .filter(token_hash=hash_token(token_string))
            .first()
        )


server = CaseStatusAuthorizationServer()
require_token = ResourceProtector()
require_token.register_token_validator(HashedBearerTokenValidator())
