"""Customers and representatives never use the staff site: the staff sign-in refuses them,
and whatever session they may hold (a later sign-in path, such as the portal's, could make
one) is nobody on every staff page, admin page and API endpoint (ADR 27)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from srmt.accounts import services as accounts
from srmt.accounts.choices import AccountKind
from srmt.accounts.errors import NotYourToken
from srmt.accounts.models import ApiToken, User
from srmt.accounts.tokens import hash_token, new_token
from srmt.audit.models import AuditEvent
from srmt.staff.tests.test_url_auth import ALL_URLS, PUBLIC
from srmt.testing.factories import make_user

PASSWORD = "correct horse battery staple"
KINDS = [AccountKind.CUSTOMER, AccountKind.REPRESENTATIVE]
# A stand-in for a sign-in path other than the staff one (the portal's, later).
OTHER_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _outside_account(kind: AccountKind) -> User:
    account = accounts.create_outside_account(
        f"{kind.value}1", kind=kind, email=f"{kind.value}@example.com", actor=None
    )
    account.set_password(PASSWORD)  # as if it had one: the staff sign-in must still refuse
    account.save(update_fields=["password"])
    return account


def _answers(client: Client) -> list[tuple[str, str, int, str]]:
    """Every non-public URL, GET and POST: status and where a redirect goes."""
    return [
        (path, method, response.status_code, response.get("Location", ""))
        for _name, path in ALL_URLS
        if _name not in PUBLIC
        for method in ("get", "post")
        for response in [getattr(client, method)(path)]
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_the_staff_sign_in_refuses_outside_accounts_as_a_wrong_password(kind: AccountKind) -> None:
    # given
    _outside_account(kind)
    client = Client()
    # when
    refused = client.post("/staff/login/", {"username": f"{kind.value}1", "password": PASSWORD})
    wrong = client.post("/staff/login/", {"username": f"{kind.value}1", "password": "wrong"})
    admin = client.post("/admin/login/", {"username": f"{kind.value}1", "password": PASSWORD})
    # then
    assert "_auth_user_id" not in client.session
    assert (refused.status_code, admin.status_code) == (200, 200)
    assert refused.context["form"].errors == wrong.context["form"].errors
    assert AuditEvent.objects.filter(action="user.signed_in").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_an_outside_session_is_nobody_on_every_staff_url(kind: AccountKind, settings: Any) -> None:
    # given a session made by another sign-in path, and one made by the staff backend
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OTHER_BACKEND]
    account = _outside_account(kind)
    portal, staff_backend, anonymous = Client(), Client(), Client()
    portal.force_login(account, backend=OTHER_BACKEND)
    staff_backend.force_login(account, backend="srmt.accounts.backends.StaffModelBackend")
    # when / then: every answer is the one an anonymous visitor gets
    expected = _answers(anonymous)
    assert _answers(portal) == expected
    assert _answers(staff_backend) == expected
    assert {status for _p, _m, status, _l in expected} <= {302, 401, 403}


def test_a_staff_session_from_the_same_backends_still_works(reference: None, settings: Any) -> None:
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OTHER_BACKEND]
    staff = make_user("tina.tier1", offices=["CC-T1"])
    client = Client()
    client.force_login(staff, backend=OTHER_BACKEND)
    assert client.get("/staff/queues/CC-T1/").status_code == 200
    assert client.get("/api/v1/service-request-types/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_outside_accounts_hold_no_api_token(kind: AccountKind) -> None:
    # given a token written straight into the table (no service makes one for them)
    account = _outside_account(kind)
    prefix, secret = new_token()
    ApiToken.objects.create(
        user=account,
        name="sneaked in",
        prefix=prefix,
        secret_hash=hash_token(secret),
        expires_at="2999-01-01T00:00:00Z",
    )
    before = ApiToken.objects.count()
    # when / then
    with pytest.raises(NotYourToken):
        accounts.create_api_token(account, name="mine", actor=account)
    assert ApiToken.objects.count() == before
    answer = Client().get("/api/v1/service-request-types/", HTTP_AUTHORIZATION=f"Token {secret}")
    unknown = Client().get("/api/v1/service-request-types/", HTTP_AUTHORIZATION="Token nope")
    assert answer.status_code == unknown.status_code == 401
    assert answer.json()["detail"] == unknown.json()["detail"]
    assert ApiToken.objects.get(prefix=prefix).last_used_at is None
