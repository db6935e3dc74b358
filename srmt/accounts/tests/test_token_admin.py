"""The admin lists API tokens without their secrets and revokes them; nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from srmt.accounts import services
from srmt.accounts.choices import Role
from srmt.accounts.models import ApiToken, User
from srmt.audit.models import AuditEvent
from srmt.testing.factories import make_user

pytestmark = pytest.mark.django_db

LIST = "/admin/accounts/apitoken/"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def root() -> User:
    return make_user("root", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)


@pytest.fixture
def issued():
    officer = make_user("olga.officer", role=Role.TIER2, is_1367_cleared=True)
    return services.create_api_token(officer, name="Case system", actor=officer)


def _revoke(client: Client, *tokens: ApiToken):
    return client.post(
        LIST, {"action": "revoke_tokens", "_selected_action": [t.pk for t in tokens]}
    )


def test_the_list_and_the_detail_never_show_the_secret_or_its_hash(root, issued):
    client = _signed_in(root)

    listing = client.get(LIST)
    detail = client.get(f"{LIST}{issued.token.pk}/change/")

    assert (listing.status_code, detail.status_code) == (200, 200)
    for page in (listing, detail):
        content = page.content.decode()
        assert issued.token.prefix in content
        assert "olga.officer" in content
        assert issued.secret.removeprefix(issued.token.prefix) not in content
        assert issued.token.secret_hash not in content


def test_the_plaintext_token_admin_is_gone(root):
    assert _signed_in(root).get("/admin/authtoken/tokenproxy/").status_code == 404


def test_tokens_cannot_be_added_or_edited_in_the_admin(root, issued):
    client = _signed_in(root)
    before = (ApiToken.objects.count(), issued.token.secret_hash, issued.token.name)

    added = client.post(f"{LIST}add/", {"name": "mine", "user": root.pk})
    changed = client.post(f"{LIST}{issued.token.pk}/change/", {"name": "renamed"})

    assert added.status_code == 403
    assert changed.status_code == 403
    issued.token.refresh_from_db()
    assert (ApiToken.objects.count(), issued.token.secret_hash, issued.token.name) == before


def test_an_administrator_revokes_with_the_admin_action(root, issued):
    response = _revoke(_signed_in(root), issued.token)

    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_by == root
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert (event.actor, event.object_id) == (root, str(issued.token.pk))


def test_tokens_cannot_be_deleted_in_the_admin(root, issued):
    response = _signed_in(root).post(
        LIST, {"action": "delete_selected", "_selected_action": [issued.token.pk], "post": "yes"}
    )

    assert response.status_code == 302
    assert ApiToken.objects.filter(pk=issued.token.pk).exists()


def _staff(*permissions: str) -> User:
    user = make_user("sam.staff", role=Role.SUPERVISOR, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.mark.parametrize(
    ("_case", "make_actor", "list_status"),
    [
        ("staff who may only view tokens cannot revoke", lambda: _staff("view_apitoken"), 200),
        ("staff without token permissions see nothing", lambda: _staff(), 403),
        ("a user who is not admin staff is sent to sign in", lambda: make_user("tina"), 302),
    ],
)
def test_who_cannot_revoke_in_the_admin(issued, _case, make_actor, list_status):
    client = _signed_in(make_actor())
    before = AuditEvent.objects.count()

    listing = client.get(LIST)
    _revoke(client, issued.token)

    assert listing.status_code == list_status
    if list_status == 200:
        assert "revoke_tokens" not in listing.content.decode()
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None
    assert AuditEvent.objects.count() == before
