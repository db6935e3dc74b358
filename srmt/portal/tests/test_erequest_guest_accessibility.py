"""axe-core finds no violation on the e-Request without an account (form, errors,
confirmation, too early), in English and in Spanish (ADR 44)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from srmt.cases.models import CaseParty, Person
from srmt.staff.tests.test_accessibility import Auditor, browser  # noqa: F401 (fixture)
from srmt.testing.factories import make_case

pytestmark = pytest.mark.browser

EXPECTED_PAGES = [
    "form",
    "form with errors",
    "form with the identity refusal",
    "refused: too early",
    "form again",
    "confirmation",
]


def _fill(page, receipt: str, name: str) -> None:
    page.fill("#id_receipt_number", receipt)
    page.fill("#id_name", name)
    page.fill("#id_date_of_birth", "1990-04-17")
    radio = page.locator("input[name=type][value=outside_normal_processing_time]")
    page.click(f"label[for={radio.get_attribute('id')}]")  # USWDS draws the radio on its label
    page.fill("#id_description", "Still no decision after many years.")
    page.fill("#id_email", "ana@example.com")


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_guest_e_request_page_has_no_axe_violations(
    live_server,
    reference,
    browser,  # noqa: F811
    language,
):
    # given a person with an old case and a recent one
    ana = Person.objects.create(name="Ana Pérez", date_of_birth=dt.date(1990, 4, 17))
    old = make_case("EAC2190000801", received_on=dt.date(2015, 1, 5))
    recent = make_case("EAC2190000802", received_on=timezone.localdate())
    for case in (old, recent):
        CaseParty.objects.create(case=case, person=ana, role="applicant")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page
    submit = "form.usa-form button[type=submit]"

    # when every state is visited
    auditor.visit("/e-request/", "form")
    auditor.submit(submit)
    auditor.check("form with errors")
    _fill(page, old.receipt_number, "Somebody Else")
    auditor.submit(submit)
    auditor.check("form with the identity refusal")
    _fill(page, recent.receipt_number, "Ana Perez")
    auditor.submit(submit)
    auditor.check("refused: too early")
    auditor.visit("/e-request/", "form again")
    _fill(page, old.receipt_number, "Ana Perez")
    auditor.submit(submit)
    assert "/e-request/sent/" in page.url
    auditor.check("confirmation")
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
