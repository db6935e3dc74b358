"""Fixtures for API tests: clients per role and a snapshot of row counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.idempotency.models import IdempotencyRecord
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
    IdempotencyRecord,
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


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


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
