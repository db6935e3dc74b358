"""Fixtures of the staff page tests: reference data, one user per role, signed-in clients."""

from __future__ import annotations

import pytest
from django.test import Client

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.testing.factories import make_user


@pytest.fixture
def tier1(reference) -> User:
    return make_user(
        "tina.tier1", role=Role.TIER1, offices=["CC-T1"], first_name="Tina", last_name="Tierone"
    )


@pytest.fixture
def esc_staff(reference) -> User:
    return make_user(
        "olga.esc", role=Role.OFFICE_STAFF, offices=["ESC"], first_name="Olga", last_name="Ramos"
    )


@pytest.fixture
def csc_staff(reference) -> User:
    return make_user("carl.csc", role=Role.OFFICE_STAFF, offices=["CSC"])


@pytest.fixture
def supervisor(reference) -> User:
    return make_user("sam.supervisor", role=Role.SUPERVISOR, offices=["ESC"])


@pytest.fixture
def analyst(reference) -> User:
    return make_user("ann.analyst", role=Role.ANALYST)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
