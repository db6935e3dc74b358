"""axe-core finds no violation on the account pages (ADR 42), in English and Spanish:
sign-up (with errors), sign-in (with an error), re-authentication, the authenticator set-up
(with a wrong code), the recovery codes, the account page (with errors) and a
representative's clients page."""

from __future__ import annotations

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings

from srmt.accounts import services
from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.staff.tests.test_accessibility import Auditor, browser  # noqa: F401

pytestmark = pytest.mark.browser

PASSWORD = "Bright-river-canoe-41"
EXPECTED_PAGES = [
    "sign-up",
    "sign-up with errors",
    "sign-in",
    "sign-in with an error",
    "password again",
    "authenticator set-up",
    "authenticator set-up with a wrong code",
    "recovery codes",
    "account page",
    "account page with errors",
    "clients page",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_account_pages_have_no_axe_violations(live_server, browser, language):  # noqa: F811
    # given a verified representative account without an authenticator yet
    lee = User.objects.create_user(
        username="lee",
        email="lee@example.com",
        password=PASSWORD,
        kind=AccountKind.REPRESENTATIVE,
        role="",
    )
    EmailAddress.objects.create(user=lee, email=lee.email, verified=True, primary=True)
    services.create_public_profile(
        lee,
        prefs=services.ContactPreferences(language=language),
        representative_kind="attorney",
        number="4512345",
        bar_state="NY",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page

    # when every page is visited, errors included
    auditor.visit("/account/signup/", "sign-up")
    page.fill("#id_email", "not an email")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "short")
    auditor.submit("main form button[type=submit]")
    auditor.check("sign-up with errors")
    auditor.visit("/account/login/", "sign-in")
    page.fill("#id_login", "lee@example.com")
    page.fill("#id_password", "wrong password")
    auditor.submit("main form button[type=submit]")
    auditor.check("sign-in with an error")
    page.fill("#id_login", "lee@example.com")
    page.fill("#id_password", PASSWORD)
    auditor.submit("main form button[type=submit]")
    # MFA is required: the account is sent to set it up, after typing the password again.
    assert "/account/reauthenticate/" in page.url
    auditor.check("password again")
    page.fill("#id_password", PASSWORD)
    auditor.submit("main form button[type=submit]")
    assert page.url.endswith("/account/2fa/totp/activate/")
    auditor.check("authenticator set-up")
    page.fill("#id_code", "000000")
    auditor.submit("main form button[type=submit]")
    auditor.check("authenticator set-up with a wrong code")
    secret = page.inner_text("#authenticator-secret").strip()
    page.fill("#id_code", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    auditor.submit("main form button[type=submit]")
    auditor.check("recovery codes")
    auditor.visit("/account/profile/", "account page")
    page.fill("#id_phone", "12")
    auditor.submit("main form.usa-form button[type=submit]")
    auditor.check("account page with errors")
    auditor.visit("/clients/", "clients page")
    auditor.screenshot(f"account-{language}.png")

    # then
    assert auditor.visited == EXPECTED_PAGES
    assert auditor.failures == []
    assert auditor.csp_violations == []
