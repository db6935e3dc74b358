"""axe-core finds no violation on the open data page (ADR 50), in English and in Spanish,
with a release of two tables; the security policy blocks nothing.

Drives Debian's headless Chromium through Playwright against the live server, with the
staff pages' Auditor (srmt/staff/tests/test_accessibility.py).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from srmt.reporting.public import downloads
from srmt.reporting.tests.test_open_data import RELEASE
from srmt.staff.tests.test_accessibility import Auditor, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_open_data_page_has_no_axe_violations(
    live_server,
    reference,
    browser,  # noqa: F811
    monkeypatch,
    language,
):
    # given a published release of two tables
    monkeypatch.setattr(downloads, "published_release", lambda: RELEASE)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)

    # when the open data page is visited, from the footer link
    auditor.visit("/", "home")
    auditor.page.click("footer a[href='/data/']")
    auditor.page.wait_for_url("**/data/")
    auditor.check("open data")
    auditor.screenshot(f"public-open-data-{language}.png")
    context.close()

    # then axe-core found nothing, and the security policy blocked nothing
    assert auditor.visited == ["home", "open data"]
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
