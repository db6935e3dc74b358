"""The new-information check in the respond panel, in a real browser (ADR 39), in English and
Spanish: as the writer types, htmx shows the score, the warning and the sentences marked in
words; a form letter is refused until the writer gives a reason; axe-core finds no violation
on the page at each step, and the security policy blocks nothing."""

from __future__ import annotations

from typing import Any

import pytest

from srmt.accounts.choices import Role
from srmt.service_requests.models import Response
from srmt.service_requests.requesters import RequesterData
from srmt.staff.tests.test_accessibility import PASSWORD, Auditor, browser  # noqa: F401
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = [pytest.mark.browser, pytest.mark.new_information]

FORM_LETTER = (
    "Thank you for contacting us. Your case is pending. Processing times are published "
    "on our website. We will contact you when there is an update."
)
INFORMATIVE = (
    "On November 2 we sent your file to the Newark Field Office because your interview "
    "will take place there. Your interview is scheduled for December 14 at 9:30 a.m."
)
# The respond form's button (the panel also holds the template picker's form).
SEND = '#panel-respond form[action$="/respond/"] button[type=submit]'
EXPECTED_PAGES = [
    "respond: an informative draft assessed",
    "respond: a form letter assessed",
    "respond: a form letter refused without a reason",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_check_as_the_writer_types_and_sends(
    live_server,
    reference,
    browser,  # noqa: F811
    settings: Any,
    language: str,
):
    settings.SRMT_NEW_INFORMATION_THRESHOLD = 0.15
    make_user("olga.esc", role=Role.OFFICE_STAFF, offices=["ESC"])  # password: PASSWORD
    sr = make_service_request(
        receipt_number=make_case(office="ESC").receipt_number,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language="en"),
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", "olga.esc")
    page.fill("#id_password", PASSWORD)
    page.click("form.usa-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")
    page.goto(f"{live_server.url}/staff/requests/{sr.reference}/respond/")

    # as the writer types news, the check says so: no warning, no reason asked
    page.fill("#respond-body", INFORMATIVE)
    page.wait_for_selector("#respond-assessment-status .srmt-assessment__score")
    page.wait_for_selector("#respond-assessment .srmt-tag--new")
    assert page.locator("#respond-assessment-status .usa-alert--warning").count() == 0
    assert page.locator("#respond-override_reason").count() == 0
    auditor.check("respond: an informative draft assessed")

    # a form letter: the warning in the live region, each sentence marked, the reason asked
    page.fill("#respond-body", FORM_LETTER)
    page.wait_for_selector("#respond-assessment-status .usa-alert--warning")
    page.wait_for_selector("#respond-override_reason")
    assert page.locator("#respond-assessment .srmt-tag--new").count() == 0
    assert page.locator("#respond-assessment .srmt-tag--known").count() == 4
    assert page.get_attribute("#respond-assessment-status", "aria-live") == "polite"
    auditor.check("respond: a form letter assessed")
    auditor.screenshot(f"respond-assessment-{language}.png")

    # sent without a reason: refused, the page shows why; nothing was sent
    page.click('label[for="respond-kind_0"]')
    auditor.submit(SEND)
    assert page.locator("#respond-override_reason.usa-input--error").count() == 1
    assert page.locator("#respond-assessment-status .usa-alert--warning").count() == 1
    assert Response.objects.filter(service_request=sr).count() == 0
    auditor.check("respond: a form letter refused without a reason")

    # with a reason it is sent, and the reason is kept
    page.fill("#respond-override_reason", "The customer asked for it in writing.")
    auditor.submit(SEND)
    page.wait_for_selector(".usa-alert--success")
    response = Response.objects.get(service_request=sr)
    assert (response.form_letter, response.form_letter_override_reason) == (
        True,
        "The customer asked for it in writing.",
    )
    context.close()

    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
