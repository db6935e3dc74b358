"""Every public URL is proved private or has no one's objects in it (issue 11, section 7).

The two-account tests live beside each part of the site (each module's `ISOLATION_COVERED`
names the routes it tries with two accounts: 404 with nothing changed). This module fails
when a public route is added without such a test, or without a stated reason why it shows
nothing that belongs to anyone else; and it tries the one route no module covered."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from srmt.access_codes.tests.helpers import paper_case
from srmt.staff.tests.test_url_auth import walk
from srmt.testing.factories import make_customer

COVERING_MODULES = (
    "srmt.developer.tests.test_case_status_api",
    "srmt.portal.tests.test_cases",
    "srmt.portal.tests.test_erequest_guest",
    "srmt.portal.tests.test_messages",
    "srmt.portal.tests.test_representatives",
    "srmt.portal.tests.test_requests",
    "srmt.portal.tests.test_status",
    "srmt.portal.tests.test_isolation_coverage",
)

ISOLATION_COVERED = {"portal:request-new"}

ALLAUTH_PAGES = (
    "account_change_password",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_confirm_reauthentication_code",
    "account_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login",
    "account_logout",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_set_password",
    "account_signup",
    "mfa_activate_totp",
    "mfa_authenticate",
    "mfa_deactivate_totp",
    "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
)

# Public routes that hold nothing of anyone's: the reason for each.
NOTHING_OF_ANYONES = {
    "portal:home": "the home page: the same for everyone",
    "portal:reports": "public reports: suppressed counts of requests, nobody's data (ADR 49)",
    "portal:report": "public reports: suppressed counts of requests, nobody's data (ADR 49)",
    "portal:reports-about": "how the public reports count: the same text for everyone",
    "set_language": "sets the visitor's own language cookie",
    "survey": "opened by its signed single-use link only (ADR 38, srmt/surveys/tests)",
    # Open data (ADR 50): the published release only, suppressed, the same for everyone.
    "portal:open-data": "the open data page: published statistics, the same for everyone",
    "portal:open-data-csv": "a published table of statistics (suppressed), nobody's records",
    "portal:open-data-json": "a published table of statistics (suppressed), nobody's records",
    "portal:open-data-package": "the data package describing the published tables",
    "portal:open-data-catalog": "the DCAT-US catalogue of the published tables",
    # django-allauth's pages act on the signed-in account itself (its password, emails,
    # authenticator, recovery codes) or on a secret key sent to its own address; none takes
    # another account's identifier (srmt/portal/tests/test_accounts.py tries them).
    **dict.fromkeys(ALLAUTH_PAGES, "the signed-in account's own sign-in settings (django-allauth)"),
}

STAFF_SITE = ("/staff/", "/admin/", "/api/")


def _public_names() -> set[str]:
    return {
        name for name, path in walk(get_resolver().url_patterns) if not path.startswith(STAFF_SITE)
    }


def _covered() -> set[str]:
    covered: set[str] = set()
    for module in COVERING_MODULES:
        covered |= importlib.import_module(module).ISOLATION_COVERED
    return covered


def test_every_public_route_is_proved_private_or_holds_nothing_of_anyones() -> None:
    names = _public_names()
    unaccounted = names - _covered() - set(NOTHING_OF_ANYONES)
    assert unaccounted == set()
    # and nothing listed here is stale
    assert (_covered() | set(NOTHING_OF_ANYONES)) - names == set()
    assert _covered() & set(NOTHING_OF_ANYONES) == set()


PORTAL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
def test_the_request_chooser_offers_only_the_accounts_own_cases(settings: Any) -> None:
    # given two customers, each with a case
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PORTAL_BACKEND]
    mine, ana = paper_case("EAC2690000011", name="Ana Pérez")
    theirs, luis = paper_case("EAC2690000012", name="Luis Ortiz", email="luis@example.com")
    ana_account = make_customer("ana", people=[ana])
    make_customer("luis", people=[luis])
    client = Client()
    client.force_login(ana_account, backend=PORTAL_BACKEND)
    url = reverse("portal:request-new")
    # when
    page = client.get(url)
    chosen = client.get(url, {"receipt_number": theirs.receipt_number, "type": "typographic_error"})
    # then: only her case is offered, and choosing the other's is refused on the form
    body = page.content.decode()
    assert (page.status_code, mine.receipt_number in body) == (200, True)
    assert theirs.receipt_number not in body
    assert chosen.status_code == 200
    assert list(chosen.context["form"].errors) == ["receipt_number"]
