"""axe-core finds no violation on the developer page (/developer/), in English and Spanish,
and the security policy blocks nothing (the staff pages' Auditor, headless Chromium)."""

from __future__ import annotations

import pytest
from django.conf import settings

from srmt.staff.tests.test_accessibility import Auditor, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_developer_page_has_no_axe_violations(
    live_server,
    reference,
    browser,  # noqa: F811
    language,
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)

    auditor.visit("/developer/", "developer page")
    auditor.screenshot(f"developer-{language}.png")
    context.close()

    assert auditor.visited == ["developer page"]
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
