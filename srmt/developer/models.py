"""OAuth 2.0 clients of the Case Status API and the access tokens issued to them (ADR 0041).

Neither a client secret nor an access token is stored: only their SHA-256 (both are long
random strings, so a fast hash is enough, as for accounts.ApiToken). authlib reads these
models through the mixins' methods (client credentials grant, bearer token validation).
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srmt.accounts.tokens import hash_token

GRANT_TYPE = "client_credentials"
AUTH_METHODS = ("client_secret_basic", "client_secret_post")


class ApiClient(models.Model):
    """An integrator registered by an administrator (admin or `srmt api-client NAME`)."""

    name = models.CharField(_("name"), max_length=200)
    client_id = models.CharField(_("client ID"), max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Successful case-status answers, all time (the daily count lives in the cache).
    answered_count = models.PositiveBigIntegerField(_("case-status answers"), default=0)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    # authlib's ClientMixin (duck-typed: what the client credentials grant calls).
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: Any) -> str:
        return ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return self.is_active and hmac.compare_digest(self.secret_hash, hash_token(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == GRANT_TYPE


class ApiAccessToken(models.Model):
    """A bearer token issued by POST /oauth/accesstoken; stored as its SHA-256 only."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_in = models.PositiveIntegerField()
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("API access token")

    def __str__(self) -> str:
        return f"{self.client.client_id} {self.issued_at:%Y-%m-%d %H:%M}"

    # authlib's TokenMixin.
    def check_client(self, client: ApiClient) -> bool:
        return self.client_id == client.pk

    def get_scope(self) -> str:
        return ""

    def get_expires_in(self) -> int:
        return self.expires_in

    def get_expires_at(self) -> float:
        return self.issued_at.timestamp() + self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.get_expires_at()

    def is_revoked(self) -> bool:
        return self.revoked or not self.client.is_active
