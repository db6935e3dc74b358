"""axe-core finds no violation on the public site's pages (home, case status in every state,
the error and 429 pages), in English and in Spanish; the security policy blocks nothing.

Drives Debian's headless Chromium through Playwright against the live server, with the
staff pages' Auditor (srmt/staff/tests/test_accessibility.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from srmt import error_pages
from srmt.cases.models import CaseStatusChange
from srmt.staff.tests.test_accessibility import Auditor, browser  # noqa: F401 (fixture)
from srmt.testing.factories import make_case

pytestmark = pytest.mark.browser

EXPECTED_PAGES = [
    "home",
    "status form",
    "status form with an error",
    "status of a case",
    "status, not found",
    "too many lookups",
    "page not found",
    "not allowed",
    "server error",
]


def _case_with_history() -> str:
    case = make_case("EAC2190012345", status_text="Case Was Approved")
    for text, day in [
        ("Case Was Received", dt.date(2026, 3, 2)),
        ("Case Was Approved", dt.date(2026, 5, 4)),
    ]:
        CaseStatusChange.objects.create(
            case=case,
            status_text=text,
            changed_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        )
    return case.receipt_number


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_public_page_has_no_axe_violations(
    live_server,
    reference,
    browser,  # noqa: F811
    settings_fixture_rate,
    language,
):
    # given a case with a history, and room for three lookups
    receipt = _case_with_history()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page

    # when every page and state is visited
    auditor.visit("/", "home")
    auditor.screenshot(f"public-home-{language}.png")
    page.click("a.usa-button[href='/status/']")
    page.wait_for_url("**/status/")
    auditor.check("status form")
    page.fill("#receipt_number", "EAC12")
    auditor.submit("form.usa-form button[type=submit]")
    assert page.get_attribute("#receipt_number", "aria-invalid") == "true"
    auditor.check("status form with an error")
    auditor.screenshot(f"public-status-error-{language}.png")
    auditor.visit(f"/status/?receipt_number={receipt}", "status of a case")
    auditor.screenshot(f"public-status-{language}.png")
    auditor.visit("/status/?receipt_number=EAC2190077777", "status, not found", status=404)
    auditor.visit(f"/status/?receipt_number={receipt}", "too many lookups", status=429)
    auditor.screenshot(f"public-429-{language}.png")
    auditor.visit("/no-such-page/", "page not found", status=404)
    # 403 and 500 have no URL to visit: their pages, rendered as Django would, in this origin
    for label, response in _error_pages(language):
        page.set_content(response.content.decode())
        auditor.check(label)
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []


def _error_pages(language: str) -> list[tuple[str, Any]]:
    request = RequestFactory().get("/account/")
    request.user = AnonymousUser()
    with translation.override(language):
        return [
            ("not allowed", error_pages.permission_denied(request, PermissionError())),
            ("server error", error_pages.server_error(request)),
        ]


@pytest.fixture
def settings_fixture_rate(settings):
    """Three lookups a minute per address: the fourth lookup shows the 429 page."""
    settings.SRMT_STATUS_LOOKUP_RATE = "3/minute"
    cache.clear()
    yield
    cache.clear()


REPORT_PAGES = [
    "reports, nothing published",
    "reports",
    "reports: volume",
    "reports: timeliness",
    "reports: escalations",
    "reports: repeats",
    "reports: satisfaction",
    "reports: how we count",
    "reports: volume for one office",
    "reports: filters with errors",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_report_page_has_no_axe_violations(
    live_server,
    reference,
    browser,  # noqa: F811
    language,
):
    """The public reports (issue 12, ADR 49): charts, tables, filters, errors, empty state."""
    from srmt.reporting.tests.public_fixture import small_world

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    cache.clear()
    # when every report page is visited, before and after figures are published
    auditor.visit("/reports/", "reports, nothing published")
    small_world()
    auditor.visit("/reports/", "reports")
    auditor.screenshot(f"public-reports-{language}.png")
    for slug, label in [
        ("volume", "reports: volume"),
        ("timeliness", "reports: timeliness"),
        ("escalations", "reports: escalations"),
        ("repeats", "reports: repeats"),
        ("satisfaction", "reports: satisfaction"),
    ]:
        auditor.visit(f"/reports/{slug}/", label)
    auditor.screenshot(f"public-reports-satisfaction-{language}.png")
    auditor.visit("/reports/about/", "reports: how we count")
    auditor.visit("/reports/volume/?office=ESC", "reports: volume for one office")
    auditor.screenshot(f"public-reports-volume-{language}.png")
    auditor.visit(
        "/reports/volume/?start=2026-11-10&end=2026-11-01&office=XXX",
        "reports: filters with errors",
        status=400,
    )
    context.close()
    cache.clear()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == REPORT_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
