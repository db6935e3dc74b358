"""axe-core finds no violation on the supervisory review pages (docs/adr/0035), in English
and Spanish: the queue, a review (with a refused return), the request page with a returned
response and the author's resubmission, a review with revisions and their differences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.reviews.defaults import load_default_rules
from srmt.reviews.models import ResponseReview, ReviewRule
from srmt.service_requests import services
from srmt.service_requests.services import reviews
from srmt.staff.tests.test_accessibility import PASSWORD, Auditor, browser  # noqa: F401
from srmt.staff.tests.test_workspace_accessibility import _sign_in
from srmt.testing.factories import make_service_request, make_user

pytestmark = pytest.mark.browser

EXPECTED_PAGES = [
    "review queue",
    "review",
    "review, return without a comment",
    "review queue, after a decision",
    "request page: returned to its author",
    "review: returned, with the resubmission form",
    "review with revisions and their differences",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_review_pages_have_no_axe_violations(live_server, reference, browser, language):  # noqa: F811
    # given two supervisors, an author on probation and two responses held for review
    load_default_rules()
    ReviewRule.objects.filter(code="random").update(share=Decimal(0))
    make_user("sofia.sup", role=Role.SUPERVISOR, offices=["ESC"], first_name="Sofía")
    other = make_user("sam.sup", role=Role.SUPERVISOR, offices=["ESC"], first_name="Sam")
    nora = make_user(
        "nora.esc",
        role=Role.OFFICE_STAFF,
        offices=["ESC"],
        first_name="Nora",
        probation_until=timezone.localdate() + dt.timedelta(days=30),
    )
    held = []
    for text in ("We asked the office for your file.", "Your interview is on May 4."):
        sr = make_service_request()
        response = services.add_response(sr, actor=nora, kind="initial", body=text)
        held.append(ResponseReview.objects.get(response=response))
    first, second = held
    reviews.decide(second, actor=other, decision="return", comment="Give the time too.")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page

    # when every page is visited, a refused form included
    _sign_in(auditor, "sofia.sup")
    auditor.visit("/staff/reviews/", "review queue")
    auditor.screenshot(f"review-queue-{language}.png")
    auditor.visit(f"/staff/reviews/{first.pk}/", "review")
    auditor.screenshot(f"review-{language}.png")
    auditor.submit("#return-heading ~ form button[type=submit]")
    auditor.check("review, return without a comment")
    auditor.page.goto(auditor.base_url + f"/staff/reviews/{first.pk}/")
    page.fill("#approve-body", "We asked the office for your file on May 2.")
    auditor.submit("#approve-heading ~ form button[type=submit]")
    auditor.check("review queue, after a decision")
    _sign_in(auditor, "nora.esc")
    reference = second.response.service_request.reference
    auditor.visit(f"/staff/requests/{reference}/", "request page: returned to its author")
    auditor.visit(f"/staff/reviews/{second.pk}/", "review: returned, with the resubmission form")
    auditor.visit(f"/staff/reviews/{first.pk}/", "review with revisions and their differences")
    auditor.screenshot(f"review-revisions-{language}.png")
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
