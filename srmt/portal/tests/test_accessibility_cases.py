"""axe-core finds no violation on the case and access code pages (ADR 43), in English and
Spanish, error states included; the security policy blocks nothing."""

from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.test import Client

from srmt.access_codes.tests.helpers import issue, paper_case
from srmt.staff.tests.test_accessibility import Auditor, browser  # noqa: F401 (fixture)
from srmt.testing.factories import make_customer

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

EXPECTED = [
    "my cases, none",
    "link a case",
    "link a case with errors",
    "link a case with a wrong code",
    "case page",
    "my cases",
    "new code",
    "new code with errors",
    "new code requested",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_case_pages_have_no_axe_violations(
    live_server,
    reference,
    browser,  # noqa: F811 (the staff tests' fixture)
    settings,
    language,
    tmp_path,
):
    settings.SRMT_LETTER_SPOOL_DIR = str(tmp_path)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, MODEL_BACKEND]
    case, ana = paper_case()
    code = issue(case, ana)
    customer = make_customer("ana-web")
    client = Client()
    client.force_login(customer, backend=MODEL_BACKEND)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": django_settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": live_server.url,
            },
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
        ]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page

    auditor.visit("/cases/", "my cases, none")
    auditor.visit("/cases/link/", "link a case")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("link a case with errors")
    page.fill("#id_receipt_number", case.receipt_number)
    page.fill("#id_code", "AAAA-BBBB-CCCC")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("link a case with a wrong code")
    page.fill("#id_receipt_number", case.receipt_number)
    page.fill("#id_code", code)
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("case page")
    auditor.screenshot(f"portal-case-{language}.png")
    auditor.visit("/cases/", "my cases")
    auditor.visit("/access-codes/new/", "new code")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("new code with errors")
    page.fill("#id_receipt_number", case.receipt_number)
    page.fill("#id_name", "Ana Pérez")
    page.fill("#id_date_of_birth", "1990-05-17")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("new code requested")
    context.close()

    assert auditor.visited == EXPECTED
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
