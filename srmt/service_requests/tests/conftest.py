"""Fixtures for service request tests: a fixed clock, staff users and a request at ESC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.notifications.models import Notification
from srmt.service_requests.models import InternalNote, Response, ServiceRequest, StatusChange
from srmt.testing.factories import make_user

# Monday 2 November 2026, 10:00 in New York (EST).
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Factories give every user a password; the production hasher takes 0.2 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(reference: None) -> User:
    """Office staff at ESC (the Vermont Service Center), where EAC cases live."""
    return make_user("esc_officer", role=Role.OFFICE_STAFF, offices=["ESC"])


@pytest.fixture
def supervisor(reference: None) -> User:
    return make_user("supervisor", role=Role.SUPERVISOR, offices=["ESC"], is_1367_cleared=True)


def counts() -> dict[str, int]:
    """Row counts of everything a service can write: compare before and after a refusal."""
    return {
        "requests": ServiceRequest.objects.count(),
        "responses": Response.objects.count(),
        "notes": InternalNote.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def snapshot(sr: ServiceRequest) -> dict[str, Any]:
    """The request's stored state, to assert that a refused action changed nothing."""
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    return {
        "version": fresh.version,
        "status": fresh.status,
        "office_id": fresh.office_id,
        "assignee_id": fresh.assignee_id,
        "urgency": fresh.urgency,
        "description": fresh.description,
        "due_at": fresh.due_at,
        "closed_at": fresh.closed_at,
        "duplicate_of_id": fresh.duplicate_of_id,
        **counts(),
    }
