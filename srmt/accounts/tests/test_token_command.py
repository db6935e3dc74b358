"""`srmt token USERNAME`: a new token, printed once."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from srmt.accounts.models import ApiToken
from srmt.audit.models import AuditEvent
from srmt.testing.factories import make_user

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


def run(username: str, *args: str) -> str:
    out = StringIO()
    call_command("token", username, *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_prints_a_new_token_each_time_and_stores_only_its_hash():
    user = make_user("alice")

    first = run("alice")
    second = run("alice")

    assert first != second
    hashes = set(ApiToken.objects.filter(user=user).values_list("secret_hash", flat=True))
    assert hashes == {hashlib.sha256(s.encode()).hexdigest() for s in (first, second)}
    assert AuditEvent.objects.filter(action="api_token.created").count() == 2


@pytest.mark.django_db
def test_name_and_days_are_options(settings):
    settings.SRMT_API_TOKEN_DAYS = 90
    make_user("alice")

    with time_machine.travel(NOW, tick=False):
        run("alice", "--name", "Case system", "--days", "30")

    token = ApiToken.objects.get()
    assert (token.name, token.expires_at) == ("Case system", NOW + dt.timedelta(days=30))


@pytest.mark.django_db
def test_the_default_name_says_where_the_token_came_from():
    make_user("alice")

    run("alice")

    assert ApiToken.objects.get().name == "srmt token command"


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

    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_a_deactivated_user_gets_no_token():
    make_user("gone", is_active=False)

    with pytest.raises(CommandError, match="deactivated"):
        run("gone")

    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_a_lifetime_over_the_maximum_is_a_clear_error(settings):
    settings.SRMT_API_TOKEN_MAX_DAYS = 365
    make_user("alice")

    with pytest.raises(CommandError, match="between 1 and 365 days"):
        run("alice", "--days", "366")

    assert ApiToken.objects.count() == 0
