"""API tokens: stored only as a hash, shown once, expiring, revocable, every change audited."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.utils import timezone

from srmt.accounts import services
from srmt.accounts.choices import Role
from srmt.accounts.errors import (
    ApiTokenRefused,
    InvalidTokenLifetime,
    InvalidTokenName,
    NotYourToken,
    UserDeactivated,
)
from srmt.accounts.models import ApiToken, TokenStatus
from srmt.audit.models import AuditEvent
from srmt.testing.factories import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


def _every_stored_value() -> list[str]:
    """Every value of every row of every table the installed models have."""
    tables = set(connection.introspection.table_names())
    values = []
    for model in apps.get_models():
        if model._meta.db_table in tables:
            for row in model._base_manager.values_list():
                values.extend(str(value) for value in row)
    return values


def _counts() -> tuple[int, int]:
    # Only this feature's events: the test database also holds the reference data's load.
    return ApiToken.objects.count(), AuditEvent.objects.filter(
        action__startswith="api_token."
    ).count()


def test_the_database_never_holds_the_secret():
    user = make_user("alice")

    issued = services.create_api_token(user, name="Case system", actor=user)

    assert issued.secret.startswith(f"{issued.token.prefix}_")
    secret_part = issued.secret.removeprefix(f"{issued.token.prefix}_")
    assert len(secret_part) >= 43  # 32 random bytes, URL-safe base64
    stored = _every_stored_value()
    assert not [value for value in stored if secret_part in value]
    assert issued.token.secret_hash == hashlib.sha256(issued.secret.encode()).hexdigest()


def test_the_secret_is_shown_once_and_cannot_be_read_back():
    user = make_user("alice")
    issued = services.create_api_token(user, name="Case system", actor=user)

    token = ApiToken.objects.get(pk=issued.token.pk)

    assert not hasattr(token, "secret")
    assert issued.secret not in repr(token.__dict__)
    assert str(token) == f"{issued.token.prefix} (Case system, alice)"


def test_two_tokens_never_share_a_secret_or_a_prefix():
    user = make_user("alice")

    first = services.create_api_token(user, name="one", actor=user)
    second = services.create_api_token(user, name="two", actor=user)

    assert first.secret != second.secret
    assert first.token.prefix != second.token.prefix


def test_creation_is_audited_without_the_secret():
    user = make_user("alice")

    with time_machine.travel(NOW, tick=False):
        issued = services.create_api_token(user, name="Case system", actor=user)

    event = AuditEvent.objects.get(action="api_token.created")
    assert (event.actor, event.object_type, event.object_id) == (
        user,
        "api_token",
        str(issued.token.pk),
    )
    assert event.changes == {
        "user": user.pk,
        "name": "Case system",
        "prefix": issued.token.prefix,
        "expires_at": "2026-05-31T14:00:00+00:00",
    }


def test_tokens_expire_after_the_configured_days(settings):
    settings.SRMT_API_TOKEN_DAYS = 30
    user = make_user("alice")

    with time_machine.travel(NOW, tick=False):
        default = services.create_api_token(user, name="default", actor=user)
        chosen = services.create_api_token(user, name="chosen", actor=user, days=7)

    assert default.token.expires_at == NOW + dt.timedelta(days=30)
    assert chosen.token.expires_at == NOW + dt.timedelta(days=7)


@pytest.mark.parametrize(("days", "allowed"), [(0, False), (-1, False), (1, True), (365, True)])
def test_the_lifetime_is_at_least_a_day_and_at_most_the_maximum(settings, days, allowed):
    settings.SRMT_API_TOKEN_MAX_DAYS = 365
    user = make_user("alice")
    before = _counts()

    if allowed:
        services.create_api_token(user, name="t", actor=user, days=days)
        assert _counts() == (before[0] + 1, before[1] + 1)
    else:
        with pytest.raises(InvalidTokenLifetime):
            services.create_api_token(user, name="t", actor=user, days=days)
        assert _counts() == before


def test_a_lifetime_over_the_maximum_is_refused(settings):
    settings.SRMT_API_TOKEN_MAX_DAYS = 180
    user = make_user("alice")

    with pytest.raises(InvalidTokenLifetime, match="between 1 and 180 days"):
        services.create_api_token(user, name="t", actor=user, days=181)

    assert _counts() == (0, 0)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_short_name(name):
    user = make_user("alice")

    with pytest.raises(InvalidTokenName):
        services.create_api_token(user, name=name, actor=user)

    assert _counts() == (0, 0)


def test_nobody_creates_a_token_for_someone_else():
    alice = make_user("alice")
    admin = make_user("root", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)

    with pytest.raises(NotYourToken):
        services.create_api_token(alice, name="t", actor=admin)

    assert _counts() == (0, 0)


def test_a_deactivated_user_gets_no_token():
    gone = make_user("gone", is_active=False)

    with pytest.raises(UserDeactivated, match="deactivated"):
        services.create_api_token(gone, name="t", actor=None)

    assert _counts() == (0, 0)


# --- revocation ---------------------------------------------------------------------------


def test_a_user_revokes_their_own_token():
    user = make_user("alice")
    issued = services.create_api_token(user, name="t", actor=user)

    with time_machine.travel(NOW, tick=False):
        token = services.revoke_api_token(issued.token, actor=user)

    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by) == (NOW, user)
    assert token.status(at=NOW) == TokenStatus.REVOKED
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert (event.actor, event.object_id, event.changes) == (
        user,
        str(token.pk),
        {"user": user.pk, "name": "t", "prefix": token.prefix},
    )


def test_an_administrator_revokes_anyones_token():
    alice = make_user("alice")
    admin = make_user("root", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    issued = services.create_api_token(alice, name="t", actor=alice)

    services.revoke_api_token(issued.token, actor=admin)

    issued.token.refresh_from_db()
    assert issued.token.revoked_by == admin


def test_another_user_cannot_revoke_a_token():
    alice = make_user("alice")
    bob = make_user("bob", role=Role.SUPERVISOR)
    issued = services.create_api_token(alice, name="t", actor=alice)
    before = _counts()

    with pytest.raises(NotYourToken):
        services.revoke_api_token(issued.token, actor=bob)

    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None
    assert _counts() == before


def test_revoking_twice_changes_nothing_the_second_time():
    user = make_user("alice")
    issued = services.create_api_token(user, name="t", actor=user)
    with time_machine.travel(NOW, tick=False):
        services.revoke_api_token(issued.token, actor=user)
    before = _counts()

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        services.revoke_api_token(issued.token, actor=user)

    issued.token.refresh_from_db()
    assert issued.token.revoked_at == NOW
    assert _counts() == before


# --- authentication -----------------------------------------------------------------------


def test_a_valid_secret_authenticates_and_marks_the_token_used():
    user = make_user("alice")
    with time_machine.travel(NOW, tick=False):
        issued = services.create_api_token(user, name="t", actor=user)
        token = services.authenticate_api_token(issued.secret)

    assert (token.pk, token.user) == (issued.token.pk, user)
    token.refresh_from_db()
    assert token.last_used_at == NOW


def test_last_used_is_written_at_most_once_a_minute():
    user = make_user("alice")
    issued = services.create_api_token(user, name="t", actor=user)
    with time_machine.travel(NOW, tick=False):
        services.authenticate_api_token(issued.secret)
    with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
        services.authenticate_api_token(issued.secret)
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == NOW

    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        services.authenticate_api_token(issued.secret)
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == NOW + dt.timedelta(seconds=61)


def _revoked(user):
    issued = services.create_api_token(user, name="t", actor=user)
    services.revoke_api_token(issued.token, actor=user)
    return issued.secret


def _expired(user):
    with time_machine.travel(timezone.now() - dt.timedelta(days=91), tick=False):
        return services.create_api_token(user, name="t", actor=user).secret


def _of_a_deactivated_user(user):
    secret = services.create_api_token(user, name="t", actor=user).secret
    user.is_active = False
    user.save(update_fields=["is_active"])
    return secret


def _tampered(user):
    secret = services.create_api_token(user, name="t", actor=user).secret
    return secret[:-1] + ("A" if secret[-1] != "A" else "B")


@pytest.mark.parametrize(
    ("make_secret", "message"),
    [
        (_revoked, "This token was revoked."),
        (_expired, "This token has expired."),
        (_of_a_deactivated_user, "This token's user is deactivated."),
        (_tampered, "Invalid token."),
        (lambda _user: "", "Invalid token."),
        (lambda _user: "40-hex-legacy-key-0123456789abcdef012345", "Invalid token."),
    ],
    ids=["revoked", "expired", "deactivated user", "tampered", "empty", "unknown"],
)
def test_refused_secrets_change_nothing(make_secret, message):
    user = make_user("alice")
    secret = make_secret(user)
    before = (_counts(), list(ApiToken.objects.values_list("last_used_at", flat=True)))

    with pytest.raises(ApiTokenRefused) as excinfo:
        services.authenticate_api_token(secret)

    assert excinfo.value.message == message
    assert (_counts(), list(ApiToken.objects.values_list("last_used_at", flat=True))) == before


def test_status_reads_active_expired_and_revoked():
    user = make_user("alice")
    with time_machine.travel(NOW, tick=False):
        issued = services.create_api_token(user, name="t", actor=user, days=1)
    token = issued.token

    assert token.status(at=NOW) == TokenStatus.ACTIVE
    assert token.status(at=NOW + dt.timedelta(days=1)) == TokenStatus.EXPIRED
    token = services.revoke_api_token(token, actor=user)
    assert token.status(at=NOW) == TokenStatus.REVOKED
