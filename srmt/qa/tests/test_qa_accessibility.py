"""axe-core finds no violation on the national QA review pages (ADR 36), in English and
Spanish: the reviewer's index, a sample with its frame and calibration, the scorecard (and
with errors), an evaluation with the decision form, the responder's results and dispute
form (and with errors), the supervisor's results and the dashboard."""

from __future__ import annotations

import pytest
from django.conf import settings

from srmt.accounts.choices import Role
from srmt.qa import services
from srmt.qa.models import Assignment
from srmt.qa.tests.helpers import AFTER_W48, ALL_MET, closed_request, evaluate, reviewer
from srmt.staff.tests.test_accessibility import PASSWORD, Auditor, browser  # noqa: F401
from srmt.testing.factories import make_user

pytestmark = pytest.mark.browser

EXPECTED_PAGES = [
    "qa index",
    "qa sample",
    "qa scorecard",
    "qa scorecard with errors",
    "qa evaluation with decision form",
    "qa dashboard",
    "qa my results",
    "qa evaluation with dispute form",
    "qa dispute with errors",
    "qa supervisor results",
]


def _sign_in(auditor: Auditor, username: str) -> None:
    page = auditor.page
    page.context.clear_cookies(name="sessionid")
    page.goto(auditor.base_url + "/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.usa-form button[type=submit]")
    page.wait_for_url(f"{auditor.base_url}/**")


@pytest.mark.parametrize("language", ["en", "es"])
def test_qa_pages_have_no_axe_violations(live_server, reference, browser, language):  # noqa: F811
    # given two NBC requests closed in 2026-W48 by one responder, two QA reviewers, a
    # sample, one evaluation (failed on accuracy), and an open dispute on another
    responder = make_user("rita.nbc", role=Role.OFFICE_STAFF, offices=["NBC"])
    make_user("sara.sup", role=Role.SUPERVISOR, offices=["NBC"])
    for _ in range(3):
        closed_request(office="NBC", responder=responder)
    one, two = reviewer("qa.one"), reviewer("qa.two")
    sample = services.draw_sample(week="2026-W48", seed=7, actor=one, at=AFTER_W48)
    scored, pending = Assignment.objects.order_by("id")  # 2 of 3: at least 2 a stratum
    evaluation = evaluate(scored, {**ALL_MET, "accuracy": 0})
    disputed = evaluate(pending, {**ALL_MET, "courtesy": 2})
    dispute = services.raise_dispute(
        disputed, actor=responder, criterion="courtesy", reason="I was polite."
    )
    services.assign(pending.item, reviewer=one if pending.reviewer == two else two, actor=one)
    fresh = Assignment.objects.filter(evaluation__isnull=True).first()
    assert fresh is not None  # a calibration assignment still waiting for scores
    decider = "qa.two" if disputed.assignment.reviewer == one else "qa.one"

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page

    # when every page is visited, forms with errors included
    _sign_in(auditor, fresh.reviewer.username)
    auditor.visit("/staff/qa/", "qa index")
    auditor.visit(f"/staff/qa/samples/{sample.pk}/", "qa sample")
    auditor.screenshot(f"qa-sample-{language}.png")
    auditor.visit(f"/staff/qa/assignments/{fresh.pk}/", "qa scorecard")
    auditor.screenshot(f"qa-scorecard-{language}.png")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("qa scorecard with errors")
    _sign_in(auditor, decider)
    auditor.visit(f"/staff/qa/evaluations/{disputed.pk}/", "qa evaluation with decision form")
    auditor.visit("/staff/qa/dashboard/?by=month", "qa dashboard")
    auditor.screenshot(f"qa-dashboard-{language}.png")
    _sign_in(auditor, "rita.nbc")
    auditor.visit("/staff/qa/mine/", "qa my results")
    auditor.visit(f"/staff/qa/evaluations/{evaluation.pk}/", "qa evaluation with dispute form")
    page.fill("#id_reason", "")
    auditor.submit("form[action$='/dispute/'] button[type=submit]")
    auditor.check("qa dispute with errors")
    _sign_in(auditor, "sara.sup")
    auditor.visit("/staff/qa/mine/", "qa supervisor results")
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert dispute.status == "open"
    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
