"""The Case Status API's writes (ADR 0041): registering a client, recording an answer."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F

from srmt.accounts.actors import SystemActor
from srmt.accounts.tokens import hash_token
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.developer.models import ApiClient


@dataclass(frozen=True)
class NewClient:
    """A client just registered and its secret, shown once and never stored."""

    client: ApiClient
    client_secret: str


@transaction.atomic
def register_client(
    *, actor: AbstractBaseUser | AnonymousUser | SystemActor, name: str
) -> NewClient:
    """Register an integrator: a random client ID and secret; only the secret's hash is kept."""
    secret = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name.strip()[:200] or "client",
        client_id=secrets.token_urlsafe(24),
        secret_hash=hash_token(secret),
    )
    audit.record(
        actor=actor,
        action=AuditAction.API_CLIENT_REGISTERED,
        object_type="api_client",
        object_id=client.client_id,
        changes={"name": client.name},
    )
    return NewClient(client=client, client_secret=secret)


@transaction.atomic
def record_answer(*, client: ApiClient, receipt_number: str) -> None:
    """A case status was answered to `client`: counted on the client and audited (which
    client, which receipt number), as a staff view of case data is."""
    ApiClient.objects.filter(pk=client.pk).update(answered_count=F("answered_count") + 1)
    audit.record(
        actor=None,
        action=AuditAction.CASE_STATUS_API_ANSWERED,
        object_type="case",
        object_id=receipt_number,
        changes={"api_client": client.client_id},
    )
