"""Fixtures for API tests: clients per role and a snapshot of row counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.notifications.models import Notification
from srmt.service_requests.models import (
    InternalNote,
    Response,
    ServiceRequest,
    StatusChange,
    SubmissionKey,
)
from srmt.testing.factories import make_user

COUNTED = (
    ServiceRequest,
    Person,
    StatusChange,
    AuditEvent,
    SubmissionKey,
    Response,
    InternalNote,
    Case,
    CaseParty,
    Notification,
)


def row_counts() -> dict[str, int]:
    """How many rows each table that a write could touch holds."""
    return {model.__name__: model.objects.count() for model in COUNTED}


def valid_submission(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "general_case_inquiry",
        "channel": "phone_tier1",
        "receipt_number": "EAC-219-001-2345",
        "description": "Caller asks when the interview will be scheduled.",
        "requester": {
            "name": "Ana Pérez",
            "email": "ana@example.com",
            "phone": "802-555-0123",
            "language": "es",
        },
    }
    body.update(overrides)
    return body


def purge_audit_log() -> None:
    """Empty the append-only audit table, for transactional tests only.

    A transactional test commits, so its rows must go; Django's flush would be refused by
    the audit table's triggers (migration audit 0002), so such tests leave srmt.audit out
    of `available_apps` and call this instead. The triggers stay in force for every other
    connection and transaction.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Skips ordinary triggers for this transaction only (the test role is a superuser).
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("DELETE FROM audit_auditevent")
            return
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            ["audit_event_no_delete"],
        )
        trigger = cursor.fetchone()
        if trigger:
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        cursor.execute("DELETE FROM audit_auditevent")
        if trigger:
            cursor.execute(trigger[0])


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """make_user sets passwords; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_client(reference: None) -> Callable[..., tuple[APIClient, User]]:
    """make_client(role, offices=..., is_1367_cleared=...) → (authenticated client, user)."""

    def factory(role: str = Role.TIER2, **kwargs: Any) -> tuple[APIClient, User]:
        user = make_user(role=role, **kwargs)
        return client_for(user), user

    return factory


@pytest.fixture
def tier2(make_client: Callable[..., tuple[APIClient, User]]) -> tuple[APIClient, User]:
    return make_client(Role.TIER2, offices=["CC-T2"])


@pytest.fixture
def admin(make_client: Callable[..., tuple[APIClient, User]]) -> tuple[APIClient, User]:
    return make_client(Role.ADMINISTRATOR)
