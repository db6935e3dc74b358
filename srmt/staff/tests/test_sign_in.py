"""Signing in and out: lockout after repeated failures, and every attempt in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.testing.factories import make_user

PASSWORD = "correct horse battery staple"
START = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def officer(db) -> User:
    return make_user("olga.officer")


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


def sign_in(client: Client, password: str, username: str = "olga.officer", **extra):
    return client.post("/staff/login/", {"username": username, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_signs_in(officer):
    client = Client()

    response = sign_in(client, PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/staff/")
    assert _signed_in(client)


def test_five_failures_lock_the_username_even_against_the_right_password(officer, limits):
    client = Client()
    with time_machine.travel(START, tick=False):
        failures = [sign_in(client, f"wrong {n}").status_code for n in range(5)]
        locked = sign_in(client, PASSWORD)
        signed_in = _signed_in(client)

    assert failures == [200, 200, 200, 200, 429]
    assert (locked.status_code, signed_in) == (429, False)
    content = locked.content.decode()
    assert "Too many failed attempts to sign in" in content
    assert "Try again in 15 minutes" in content
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        assert sign_in(client, PASSWORD).status_code == 429
        assert not _signed_in(client)


def test_the_lock_ends_after_the_cool_off(officer, limits):
    client = Client()
    with time_machine.travel(START, tick=False):
        for n in range(5):
            sign_in(client, f"wrong {n}")

    # (sessions expire, so whether one exists is asked at the same time)
    with time_machine.travel(START + dt.timedelta(minutes=15, seconds=1), tick=False):
        response = sign_in(client, PASSWORD)
        signed_in = _signed_in(client)

    assert (response.status_code, signed_in) == (302, True)


def test_the_lock_is_per_username_and_address(officer, limits):
    make_user("tina.tier1")
    with time_machine.travel(START, tick=False):
        for n in range(5):
            sign_in(Client(), f"wrong {n}")
        other_user = sign_in(Client(), PASSWORD, username="tina.tier1")
        other_address = sign_in(Client(), PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert (other_user.status_code, other_address.status_code) == (302, 302)


def test_a_success_resets_the_count(officer, limits):
    with time_machine.travel(START, tick=False):
        for n in range(4):
            sign_in(Client(), f"wrong {n}")
        assert sign_in(Client(), PASSWORD).status_code == 302
        answers = [sign_in(Client(), f"wrong {n}").status_code for n in range(4)]

    assert answers == [200, 200, 200, 200]


def test_the_admin_sign_in_is_locked_too(db, limits):
    make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    for n in range(5):
        client.post("/admin/login/", {"username": "root", "password": f"wrong {n}"})

    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- audit --------------------------------------------------------------------------------


def _events() -> list[tuple[str, str, str, dict]]:
    return [
        (e.action, e.actor_username, e.object_id, e.changes)
        for e in AuditEvent.objects.filter(object_type="user").order_by("id")
    ]


def test_sign_in_and_sign_out_are_audited(officer):
    client = Client()

    sign_in(client, PASSWORD)
    client.post("/staff/logout/")

    assert _events() == [
        ("user.signed_in", "olga.officer", str(officer.pk), {"ip_address": "127.0.0.1"}),
        ("user.signed_out", "olga.officer", str(officer.pk), {"ip_address": "127.0.0.1"}),
    ]


def test_a_failed_sign_in_records_the_username_tried_never_the_password(officer):
    sign_in(Client(), "hunter2-not-it")
    sign_in(Client(), "whatever", username="nobody.here")

    assert _events() == [
        (
            "user.sign_in_failed",
            "",
            str(officer.pk),
            {"username": "olga.officer", "ip_address": "127.0.0.1"},
        ),
        ("user.sign_in_failed", "", "", {"username": "nobody.here", "ip_address": "127.0.0.1"}),
    ]
    assert not [e for e in AuditEvent.objects.all() if "hunter2" in str(e.changes)]


def test_a_lockout_is_audited(officer, limits):
    client = Client()
    for n in range(5):
        sign_in(client, f"wrong {n}")
    sign_in(client, PASSWORD)

    actions = [action for action, *_rest in _events()]
    assert actions == [
        *["user.sign_in_failed"] * 5,
        "user.locked_out",
        "user.sign_in_failed",
        "user.locked_out",
    ]
    locked = AuditEvent.objects.filter(action="user.locked_out").first()
    assert (locked.object_id, locked.changes) == (
        str(officer.pk),
        {"username": "olga.officer", "ip_address": "127.0.0.1"},
    )


def test_signing_out_without_a_session_records_nothing(db):
    Client().post("/staff/logout/")

    assert _events() == []
