"""Fixtures of the staff page tests: reference data, one user per role, signed-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.staff import submissions
from srmt.staff.submissions import TOKEN_FIELD
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


class StaffClient(Client):
    """A signed-in browser that posts forms as the pages render them: a POST without a
    one-time submission token gets a fresh one of its user, as `{% submission_token %}`
    puts in every staff form (ADR 18). test_submission_tokens.py tests the tokens with a
    plain Client."""

    def __init__(self, user: User) -> None:
        super().__init__()
        self.staff_user = user
        self.force_login(user)

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        if data is None or (isinstance(data, dict) and TOKEN_FIELD not in data):
            data = {**(data or {}), TOKEN_FIELD: submissions.mint(self.staff_user)}
        return super().post(path, data, *args, **kwargs)


def client_for(user: User) -> Client:
    return StaffClient(user)
