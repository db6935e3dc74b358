"""Customers' and representatives' accounts (issue 11 §2, ADR 42): sign-up with email
verification through the delivery gate, MFA with a real TOTP code, recovery codes,
password policy, staff refused on the public sign-in, lockout with back-off, idle
timeout, and the account page."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from srmt.accounts.choices import AccountKind
from srmt.accounts.models import PublicProfile, User
from srmt.accounts.representatives import US_BAR_STATES, key_for, key_from_case_system
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.notifications.choices import MessageKind
from srmt.notifications.models import Notification
from srmt.testing.factories import make_user

PASSWORD = "Bright-river-canoe-41"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
START = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


def totp_now(secret: str) -> str:
    """The code an authenticator app shows now (allauth.mfa's own HOTP, RFC 6238)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_up(client: Client, email: str = "ana@example.com", **extra: str):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "kind": "customer",
        "language": "en",
        **extra,
    }
    return client.post(reverse("account_signup"), data)


def confirmation_path(notification: Notification) -> str:
    match = re.search(r"http://testserver(/account/confirm-email/[^\s/]+/)", notification.body)
    assert match is not None, notification.body
    return match.group(1)


def public_account(email: str = "ana@example.com", *, mfa: bool = True) -> User:
    """A verified customer account with a password, and (by default) an authenticator."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        username=email.split("@")[0],
        email=email,
        password=PASSWORD,
        kind=AccountKind.CUSTOMER,
        role="",
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    PublicProfile.objects.create(user=user)
    if mfa:
        TOTP.activate(user, SECRET)
    return user


def sign_in(client: Client, email: str = "ana@example.com", password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


# --- sign-up, verification through the gate, MFA set-up -------------------------------------


def test_sign_up_verify_set_up_mfa_then_signed_in(db):
    client = Client()

    response = sign_up(client, language="es")

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("account_email_verification_sent"),
    )
    user = User.objects.get(email="ana@example.com")
    assert (user.kind, user.role, user.is_staff, user.language) == ("customer", "", False, "es")
    [mail] = Notification.objects.all()
    assert (mail.kind, mail.to_address, mail.language, mail.audience) == (
        MessageKind.ACCOUNT_EMAIL,
        "ana@example.com",
        "es",
        "customer",
    )
    assert signed_in_as(client) is None  # verification is mandatory

    path = confirmation_path(mail)
    response = client.post(path)
    assert signed_in_as(client) == user.pk

    # Before anything else, the account sets up its authenticator app.
    response = client.get(reverse("portal:account"))
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))
    # allauth.mfa asks for the password again before an authenticator is added.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()

    client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    assert client.get(reverse("portal:account")).status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-41a", "too short"),
        ("48203948572019", "entirely numeric"),
        ("password12345", "too common"),
        ("ana@example.com1", "too similar"),
    ],
)
def test_weak_passwords_are_refused(db, password, message):
    client = Client()

    response = client.post(
        reverse("account_signup"),
        {
            "email": "ana@example.com",
            "password1": password,
            "password2": password,
            "kind": "customer",
            "language": "en",
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert (User.objects.count(), Notification.objects.count()) == (0, 0)


# --- sign-in with MFA ------------------------------------------------------------------------


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_one(db):
    user = public_account()
    client = Client()

    response = sign_in(client)

    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_as(client) is None
    client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert signed_in_as(client) is None
    client.post(reverse("mfa_authenticate"), {"code": totp_now(SECRET)})
    assert signed_in_as(client) == user.pk


def test_a_recovery_code_works_once(db):
    user = public_account()
    codes = RecoveryCodes.activate(user)
    code = codes.get_unused_codes()[0]

    first = Client()
    sign_in(first)
    first.post(reverse("mfa_authenticate"), {"code": code})
    second = Client()
    sign_in(second)
    second.post(reverse("mfa_authenticate"), {"code": code})

    assert (signed_in_as(first), signed_in_as(second)) == (user.pk, None)


def test_staff_are_refused_on_the_public_sign_in(db):
    officer = make_user("olga.officer", email="olga@agency.example")
    client = Client()

    response = client.post(
        reverse("account_login"),
        {"login": "olga@agency.example", "password": "correct horse battery staple"},
    )

    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert officer.pk not in AuditEvent.objects.filter(
        action=AuditAction.USER_SIGNED_IN
    ).values_list("actor_id", flat=True)


def test_customers_are_refused_on_the_staff_sign_in(db):
    public_account()
    client = Client()

    by_username = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    by_email = client.post(reverse("login"), {"username": "ana@example.com", "password": PASSWORD})

    assert (by_username.status_code, by_email.status_code) == (200, 200)
    assert signed_in_as(client) is None


def test_a_staff_address_gets_no_password_reset_mail(db):
    make_user("olga.officer", email="olga@agency.example")

    Client().post(reverse("account_reset_password"), {"email": "olga@agency.example"})

    assert Notification.objects.count() == 0


def test_password_reset_mail_goes_through_the_gate_in_the_account_language(db):
    user = public_account()
    user.language = "es"
    user.save()

    Client().post(reverse("account_reset_password"), {"email": "ana@example.com"})

    [mail] = Notification.objects.all()
    assert (mail.kind, mail.to_address, mail.language) == ("account_email", "ana@example.com", "es")
    assert "/account/password/reset/key/" in mail.body


# --- lockout with back-off, idle timeout -----------------------------------------------------


def test_lockout_backs_off_after_each_run_of_failures(db, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.SRMT_SIGN_IN_LOCKOUT_MINUTES = 15
    settings.ACCOUNT_RATE_LIMITS = False
    public_account()
    client = Client()
    with time_machine.travel(START, tick=False):
        first = [sign_in(client, password=f"wrong {n}").status_code for n in range(5)]
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        still_locked = sign_in(client).status_code
    # Each attempt during a lockout starts the wait again (ADR 20): the next run starts
    # 15 minutes after the last attempt, and locks for twice as long.
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        second = [sign_in(client, password=f"wrong {n}") for n in range(5)]
    with time_machine.travel(START + dt.timedelta(minutes=30 + 31), tick=False):
        after_the_wait = sign_in(client)

    assert first == [200, 200, 200, 200, 429]
    assert still_locked == 429
    assert [r.status_code for r in second] == [200, 200, 200, 200, 429]
    assert "Try again in 30 minutes" in second[-1].content.decode()
    assert (after_the_wait.status_code, after_the_wait["Location"]) == (
        302,
        reverse("mfa_authenticate"),
    )


def test_back_off_doubles_up_to_a_day(db, settings):
    from srmt.accounts.lockout import cool_off_for
    from srmt.accounts.services import record_sign_in_failure

    settings.AXES_FAILURE_LIMIT = 5
    settings.SRMT_SIGN_IN_LOCKOUT_MINUTES = 15
    waits = []
    for _run in range(9):
        for _n in range(5):
            record_sign_in_failure("ana@example.com", ip_address="192.0.2.1")
        waits.append(int(cool_off_for("ana@example.com").total_seconds() // 60))

    assert waits == [15, 30, 60, 120, 240, 480, 960, 1440, 1440]
    assert cool_off_for("someone.else@example.com") == dt.timedelta(minutes=15)


def test_idle_public_session_is_signed_out_with_a_message(db, settings):
    settings.SRMT_PUBLIC_IDLE_MINUTES = 15
    user = public_account()
    client = Client()
    client.force_login(user, backend="srmt.accounts.backends.PublicAccountBackend")
    with time_machine.travel(START, tick=False):
        assert client.get(reverse("portal:account")).status_code == 200
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        assert client.get(reverse("portal:account")).status_code == 200
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        response = client.get(reverse("portal:account"), follow=True)

    assert signed_in_as(client) is None
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "because you were not active for 15 minutes" in response.content.decode()


def test_staff_sessions_have_no_public_idle_timeout(db, settings):
    settings.SRMT_PUBLIC_IDLE_MINUTES = 15
    officer = make_user("olga.officer")
    client = Client()
    client.force_login(officer)
    with time_machine.travel(START, tick=False):
        client.get("/staff/")
    with time_machine.travel(START + dt.timedelta(minutes=60), tick=False):
        client.get("/staff/")

    assert signed_in_as(client) == officer.pk


# --- the account page ------------------------------------------------------------------------


def test_account_page_saves_preferences_audited_and_switches_the_language(db):
    user = public_account()
    client = Client()
    client.force_login(user, backend="srmt.accounts.backends.PublicAccountBackend")

    response = client.post(
        reverse("portal:account"),
        {
            "phone": "202-555-0123",
            "sms_consent": "on",
            "language": "es",
            "time_zone": "America/Chicago",
        },
    )

    assert (response.status_code, response["Location"]) == (302, reverse("portal:account"))
    assert response.cookies["django_language"].value == "es"
    profile = PublicProfile.objects.get(user=user)
    user.refresh_from_db()
    assert (profile.phone, profile.sms_consent, profile.time_zone, user.language) == (
        "+12025550123",
        True,
        "America/Chicago",
        "es",
    )
    event = AuditEvent.objects.get(action=AuditAction.PUBLIC_PROFILE_CHANGED)
    assert event.changes == {
        "phone": ["", "+12025550123"],
        "sms_consent": [False, True],
        "time_zone": ["America/New_York", "America/Chicago"],
        "language": ["en", "es"],
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "12", "language": "en", "time_zone": "America/Chicago"}, "area code"),
        (
            {"phone": "", "sms_consent": "on", "language": "en", "time_zone": "America/Chicago"},
            "mobile phone number",
        ),
        ({"phone": "", "language": "fr", "time_zone": "America/Chicago"}, "Select a valid choice"),
        ({"phone": "", "language": "en", "time_zone": "Mars/Olympus"}, "Select a valid choice"),
    ],
)
def test_account_page_refuses_bad_input_and_changes_nothing(db, data, message):
    user = public_account()
    client = Client()
    client.force_login(user, backend="srmt.accounts.backends.PublicAccountBackend")

    response = client.post(reverse("portal:account"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    profile = PublicProfile.objects.get(user=user)
    assert (profile.phone, profile.sms_consent, profile.time_zone) == (
        "",
        False,
        "America/New_York",
    )
    assert not AuditEvent.objects.filter(action=AuditAction.PUBLIC_PROFILE_CHANGED).exists()


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_account_page_needs_a_public_account(db, who):
    client = Client()
    if who == "staff":
        client.force_login(make_user("olga.officer"))

    response = client.get(reverse("portal:account"))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_a_public_sign_in_without_an_authenticator_is_sent_to_set_one_up(db):
    user = public_account(mfa=False)
    client = Client()

    response = sign_in(client)

    assert signed_in_as(client) == user.pk
    for path in (reverse("portal:account"), reverse("portal:clients"), "/"):
        response = client.get(path)
        assert (path, response.status_code, response["Location"]) == (
            path,
            302,
            reverse("mfa_activate_totp"),
        )


# --- rate limits (allauth) and the identifier's normal form ----------------------------------


def test_sign_up_and_password_reset_are_rate_limited(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/h/ip", "reset_password": "1/h/ip"}
    client = Client()

    sign_ups = [sign_up(client, f"user{n}@example.com").status_code for n in range(3)]
    Client().post(reverse("account_reset_password"), {"email": "user0@example.com"})
    resets = Client().post(reverse("account_reset_password"), {"email": "user1@example.com"})

    assert sign_ups == [302, 302, 429]
    assert User.objects.count() == 2
    assert resets.status_code == 429


@given(
    number=st.text(alphabet="0123456789ABCDEFabcdef", min_size=1, max_size=12),
    separators=st.lists(st.sampled_from([" ", "-", "."]), max_size=3),
    state=st.sampled_from(sorted(US_BAR_STATES)),
)
def test_a_bar_number_has_one_normal_form_whatever_its_separators(number, separators, state):
    written = "".join(separators) + number[:1] + "".join(separators) + number[1:]

    assert key_for("attorney", number=written, state=state.lower()) == (
        f"bar:{state}:{number.upper()}"
    )
    assert key_from_case_system("attorney", f"{state}-{written}") == (
        f"bar:{state}:{number.upper()}"
    )
