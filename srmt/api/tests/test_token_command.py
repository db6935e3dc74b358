"""`srmt token USERNAME`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from srmt.testing.factories import make_user


def run(username: str) -> str:
    out = StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_prints_the_token_and_creates_it_once():
    user = make_user("alice")

    first = run("alice")
    second = run("alice")

    assert first == second == Token.objects.get(user=user).key
    assert len(first) == 40


@pytest.mark.django_db
def test_the_token_authenticates_the_user(reference):
    make_user("alice")
    key = run("alice")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get("/api/v1/offices/").status_code == 200


@pytest.mark.django_db
def test_an_unknown_user_is_a_clear_error():
    with pytest.raises(CommandError, match="There is no user named 'nobody'"):
        run("nobody")

    assert Token.objects.count() == 0


@pytest.mark.django_db
def test_a_deactivated_user_gets_no_token():
    make_user("gone", is_active=False)

    with pytest.raises(CommandError, match="deactivated"):
        run("gone")

    assert Token.objects.count() == 0
