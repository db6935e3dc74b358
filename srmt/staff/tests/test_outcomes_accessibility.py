"""axe-core finds no violation on the outcomes page (docs/adr/0037) and the public survey
pages (docs/adr/0038), in English and Spanish: the table, the form with an error, the survey,
the survey with an error, its thanks and a refused link."""

from __future__ import annotations

import pytest
from django.conf import settings

from srmt.accounts.choices import Role
from srmt.outcomes.tests import fixture
from srmt.service_requests import services
from srmt.service_requests.requesters import RequesterData
from srmt.staff.tests.test_accessibility import PASSWORD, Auditor, browser  # noqa: F401
from srmt.surveys import services as surveys
from srmt.surveys.models import Survey
from srmt.testing.factories import make_service_request, make_user

pytestmark = pytest.mark.browser

EXPECTED_PAGES = [
    "outcomes by office",
    "outcomes by month",
    "outcomes with an error",
    "survey",
    "survey with an error",
    "survey thanks",
    "survey link refused",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_outcome_and_survey_pages_have_no_axe_violations(live_server, reference, browser, language):  # noqa: F811
    # given the metrics' world, an analyst, and a final response with its survey
    fixture.build()
    make_user("ann.analyst", role=Role.ANALYST)
    officer = make_user("olga.sup", role=Role.SUPERVISOR, offices=["ESC"])
    sr = make_service_request(
        actor=officer,
        requester=RequesterData(name="Bo Li", email="bo@example.com", language=language),
    )
    services.add_response(sr, actor=officer, kind="final", body="It is approved.")
    token = surveys.token_for(Survey.objects.get(service_request=sr))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page

    # when every page is visited, forms with errors included
    page.goto(auditor.base_url + "/staff/login/")
    page.fill("#id_username", "ann.analyst")
    page.fill("#id_password", PASSWORD)
    page.click("form.usa-form button[type=submit]")
    page.wait_for_url(f"{auditor.base_url}/staff/statistics/")
    auditor.visit("/staff/quality/outcomes/?start=2026-03-01&end=2026-03-31", "outcomes by office")
    auditor.screenshot(f"outcomes-{language}.png")
    auditor.visit("/staff/quality/outcomes/?group_by=month", "outcomes by month")
    auditor.visit(
        "/staff/quality/outcomes/?start=2026-04-01&end=2026-03-01",
        "outcomes with an error",
        status=400,
    )
    page.context.clear_cookies(name="sessionid")
    auditor.visit(f"/survey/{token}/", "survey")
    auditor.screenshot(f"survey-{language}.png")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("survey with an error")
    page.dispatch_event('label[for="id_rating_4"]', "click")
    page.fill("#id_comment", "Clear.")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("survey thanks")
    auditor.visit(f"/survey/{token}/", "survey link refused", status=409)
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == EXPECTED_PAGES
    assert Survey.objects.get(service_request=sr).rating == 4
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
