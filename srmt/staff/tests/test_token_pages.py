"""The API tokens page: each user lists, creates and revokes their own tokens only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from srmt.accounts import services as accounts
from srmt.accounts.choices import Role
from srmt.accounts.models import ApiToken, User
from srmt.audit.models import AuditEvent
from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import make_user

PAGE = "/staff/account/tokens/"
NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


def _counts() -> tuple[int, int, int]:
    return (
        ApiToken.objects.count(),
        ApiToken.objects.filter(revoked_at__isnull=False).count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def alice(db) -> User:
    return make_user("alice", role=Role.TIER2)


@pytest.fixture
def bob(db) -> User:
    return make_user("bob", role=Role.SUPERVISOR)


def test_the_page_lists_only_my_tokens_with_their_dates_and_status(alice, bob):
    with time_machine.travel(NOW, tick=False):
        mine = accounts.create_api_token(alice, name="Case system", actor=alice)
        revoked = accounts.create_api_token(alice, name="Old laptop", actor=alice)
        accounts.revoke_api_token(revoked.token, actor=alice)
        theirs = accounts.create_api_token(bob, name="Bob's script", actor=bob)

        response = client_for(alice).get(PAGE)

    assert response.status_code == 200
    assert [t.pk for t in response.context["tokens"]] == [revoked.token.pk, mine.token.pk]
    content = response.content.decode()
    for text in ("Case system", mine.token.prefix, "Old laptop", "Revoked", "Active", "Never"):
        assert text in content, text
    assert "Bob&#x27;s script" not in content
    assert theirs.token.prefix not in content
    assert mine.secret not in content


def test_the_page_takes_a_fixed_number_of_queries(alice, django_assert_num_queries):
    for number in range(3):
        accounts.create_api_token(alice, name=f"t{number}", actor=alice)
    client = client_for(alice)

    # session, user, tokens, the header's unread notifications (ADR 31), the user's office
    # (its time zone for the times shown, once for all rows)
    with django_assert_num_queries(5):
        client.get(PAGE)


def test_creating_shows_the_secret_once(alice):
    client = client_for(alice)
    before = _counts()

    with time_machine.travel(NOW, tick=False):
        created = client.post(PAGE, {"name": "Case system", "days": "30"})

    assert created.status_code == 200
    token = ApiToken.objects.get()
    secret = created.context["secret"]
    assert secret.startswith(token.prefix)
    content = created.content.decode()
    assert secret in content
    assert "You will not see this token again" in content
    assert created["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert (token.user, token.name, token.expires_at) == (
        alice,
        "Case system",
        NOW + dt.timedelta(days=30),
    )
    assert _counts() == (before[0] + 1, 0, before[2] + 1)
    assert secret not in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "", "days": "30"}, "Enter a name for the token"),
        ({"name": "x" * 101, "days": "30"}, "Ensure this value has at most 100 characters"),
        ({"name": "ok", "days": "0"}, "Ensure this value is greater than or equal to 1"),
        ({"name": "ok", "days": "366"}, "Ensure this value is less than or equal to 365"),
        ({"name": "ok", "days": "soon"}, "Enter a whole number"),
    ],
)
def test_bad_input_is_explained_and_creates_nothing(alice, data, error):
    client = client_for(alice)
    before = _counts()

    response = client.post(PAGE, data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert "secret" not in response.context
    assert _counts() == before


def test_i_revoke_my_own_token(alice):
    issued = accounts.create_api_token(alice, name="Case system", actor=alice)

    response = client_for(alice).post(f"{PAGE}{issued.token.prefix}/revoke/", follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Token Case system was revoked. It no longer works." in response.content.decode()
    issued.token.refresh_from_db()
    assert issued.token.revoked_by == alice


def test_i_cannot_see_or_revoke_someone_elses_token(alice, bob):
    theirs = accounts.create_api_token(bob, name="Bob's script", actor=bob)
    client = client_for(alice)
    before = _counts()

    response = client.post(f"{PAGE}{theirs.token.prefix}/revoke/")

    assert response.status_code == 404
    assert _counts() == before


def test_revoking_needs_a_post(alice):
    issued = accounts.create_api_token(alice, name="Case system", actor=alice)
    client = client_for(alice)
    before = _counts()

    response = client.get(f"{PAGE}{issued.token.prefix}/revoke/")

    assert response.status_code == 405
    assert _counts() == before


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_manage_its_own_tokens(db, role):
    user = make_user(role=role)

    response = client_for(user).post(PAGE, {"name": "mine", "days": "30"})

    assert response.status_code == 200
    assert ApiToken.objects.get().user == user


def test_the_nav_links_to_the_page(alice):
    content = client_for(alice).get(PAGE).content.decode()

    assert f'href="{PAGE}" aria-current="page"' in content
