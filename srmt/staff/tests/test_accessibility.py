"""axe-core finds no violation on any staff page, in English and in Spanish.

Drives Debian's headless Chromium through Playwright against the live server.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from srmt.accounts.choices import Role
from srmt.cases.models import Case, CaseParty, Person
from srmt.offices.models import Office
from srmt.staff.tests.demo import build_demo
from srmt.testing.factories import make_user

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in
# one unless told it is safe (the test database is only touched between page loads).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; CI must run the accessibility tests.")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browsers).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _report(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe-core violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]
        )
    return "\n".join(lines)


class Auditor:
    """Visits pages and collects every axe-core violation, so one run reports them all."""

    def __init__(self, page: Any, base_url: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.base_url = base_url
        self.axe = Axe()
        self.failures: list[str] = []
        self.visited: list[str] = []
        # The Content-Security-Policy allows no inline code: anything it blocks shows here.
        self.csp_violations: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def check(self, label: str) -> None:
        results = self.axe.run(self.page)
        self.visited.append(label)
        violations = results.response["violations"]
        if violations:
            self.failures.append(_report(f"{label} ({self.page.url})", violations))

    def submit(self, selector: str) -> None:
        """Click a button that submits a form and wait for the answer's page: axe must never
        run on the page being left (or on the blank document between the two)."""
        with self.page.expect_navigation():
            self.page.click(selector)

    def visit(self, path: str, label: str, *, status: int = 200) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        assert response.status == status, f"{label}: {path} answered {response.status}"
        self.check(label)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


EXPECTED_PAGES = [
    "login",
    "login with an error",
    "queue",
    "queue with filters",
    "queue, none",
    "detail",
    "respond",
    "respond with errors",
    "intake step 1",
    "intake step 1 with the case",
    "intake step 1 with an error",
    "intake step 2",
    "intake step 2 with errors",
    "intake step 2, again",
    "intake step 2 with due dates and the details on file",
    "intake step 2, no case",
    "intake step 2 with a referral to confirm",
    "referral confirmation",
    "detail with escalations",
    "queue of requests escalated to headquarters",
    "statistics",
    "national dashboard",
    "office dashboard",
    "search",
    "search results",
    "search, nothing found",
    "person",
    "API tokens",
    "API tokens with errors",
    "API token created",
    "API tokens after revoking",
    "not found",
    "sign-in paused",
]


def _sign_in(auditor: Auditor, username: str) -> None:
    page = auditor.page
    auditor.visit("/staff/login/", "login")
    page.fill("#id_username", username)
    page.fill("#id_password", "wrong password")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("login with an error")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    auditor.submit("form.usa-form button[type=submit]")
    page.wait_for_url(f"{auditor.base_url}/staff/")  # the home page (test_workspace_accessibility)
    auditor.visit("/staff/queues/ESC/", "queue")


def _visit_request_pages(auditor: Auditor, reference: str, language: str) -> None:
    auditor.visit(f"/staff/requests/{reference}/", "detail")
    auditor.screenshot(f"detail-{language}.png")
    auditor.visit(f"/staff/requests/{reference}/respond/", "respond")
    auditor.submit("#panel-respond form[method=post] button[type=submit]")
    auditor.check("respond with errors")
    auditor.screenshot(f"respond-errors-{language}.png")


def _visit_intake_pages(auditor: Auditor, receipt_number: str, language: str) -> None:
    auditor.visit("/staff/intake/", "intake step 1")
    auditor.visit("/staff/intake/?receipt_number=EAC-219-005-4321", "intake step 1 with the case")
    auditor.visit("/staff/intake/?receipt_number=12345", "intake step 1 with an error")
    auditor.visit(f"/staff/intake/new/?receipt_number={receipt_number}", "intake step 2")
    auditor.page.fill("#id_requester_email", "not an email")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("intake step 2 with errors")
    auditor.screenshot(f"intake-errors-{language}.png")
    _visit_intake_states(auditor, receipt_number, language)


def _fill_intake(page: Any, *, type_: str, email: str) -> None:
    page.select_option("#id_type", type_)
    page.fill("#id_description", "The customer asks about the interview.")
    page.fill("#id_requester_name", "Ana Pérez")
    page.fill("#id_requester_email", email)
    page.fill("#id_requester_phone", "802-555-0199")


def _visit_intake_states(auditor: Auditor, receipt_number: str, language: str) -> None:
    """The intake page as the worker sees it before saving: the due dates and the person's
    details on file that differ from what the caller said; a referral to confirm, with the
    office's contact details; and the referral's confirmation (issue 9, ADR 28)."""
    person = Person.objects.create(
        name="Ana Pérez", email="ana.file@example.com", phone="+18025550100", language="en"
    )
    CaseParty.objects.create(
        case=Case.objects.get(receipt_number=receipt_number), person=person, role="applicant"
    )
    office = Office.objects.get(code="GUA")  # saved: the offices' snapshot is dropped
    office.phone, office.email, office.hours = "+502 2326 4000", "gua@example.gov", "Mon-Fri"
    office.save()
    page = auditor.page
    auditor.visit(f"/staff/intake/new/?receipt_number={receipt_number}", "intake step 2, again")
    _fill_intake(page, type_="general_case_inquiry", email="ana.file@example.com")
    auditor.submit("#intake-form button[name=preview]")
    auditor.check("intake step 2 with due dates and the details on file")
    auditor.screenshot(f"intake-differences-{language}.png")
    auditor.visit("/staff/intake/new/", "intake step 2, no case")
    _fill_intake(page, type_="complaint", email="ana@example.com")
    page.evaluate("document.querySelector('select[name=requester_country]').value = 'GT'")
    auditor.submit("#intake-form button[type=submit]")
    auditor.check("intake step 2 with a referral to confirm")
    auditor.screenshot(f"intake-referral-{language}.png")
    auditor.submit("button[name=confirm_referral]")
    auditor.check("referral confirmation")


def _visit_search_pages(auditor: Auditor, sr: Any, language: str) -> None:
    """The search page (from the header's box), its results, and a person's page."""
    page = auditor.page
    auditor.visit("/staff/search/", "search")
    page.fill("#srmt-search-box", sr.receipt_number)
    auditor.submit(".srmt-header-search button[type=submit]")
    auditor.check("search results")
    auditor.screenshot(f"search-{language}.png")
    auditor.visit("/staff/search/?q=zebra%20quagga", "search, nothing found")
    auditor.visit(f"/staff/people/{sr.requester_id}/", "person")
    auditor.screenshot(f"person-{language}.png")


def _visit_token_pages(auditor: Auditor, language: str) -> None:
    page = auditor.page
    auditor.visit("/staff/account/tokens/", "API tokens")
    auditor.submit("#new-token-heading ~ form button[type=submit]")
    auditor.check("API tokens with errors")
    page.fill("#id_name", "Case system")
    auditor.submit("#new-token-heading ~ form button[type=submit]")
    auditor.check("API token created")
    auditor.screenshot(f"api-token-created-{language}.png")
    auditor.visit("/staff/account/tokens/", "API tokens")
    auditor.visited.pop()  # the same page as the first visit, now with a token
    auditor.submit("table form button[type=submit]")
    auditor.check("API tokens after revoking")
    auditor.screenshot(f"api-tokens-{language}.png")


def _visit_lockout_page(auditor: Auditor, language: str) -> None:
    """Five wrong passwords for one username from one address pause its sign-in."""
    page = auditor.page
    page.goto(auditor.base_url + "/staff/login/")
    for _attempt in range(5):
        page.fill("#id_username", "someone.else")
        page.fill("#id_password", "wrong password")
        auditor.submit("form.usa-form button[type=submit]")
    auditor.check("sign-in paused")
    auditor.screenshot(f"sign-in-paused-{language}.png")


def _escalate_everything_open() -> str:
    """Sweep 40 days on, so that every open request climbs both rungs; one of them."""
    from django.utils import timezone

    from srmt.service_requests.escalations import load_default_ladder
    from srmt.service_requests.models import Escalation
    from srmt.service_requests.sweep import run_sweep

    load_default_ladder()  # a transactional test's flush removed the migration's rows
    run_sweep(at=timezone.now() + dt.timedelta(days=40))
    return Escalation.objects.filter(level=2).order_by("pk").first().service_request.reference


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_has_no_axe_violations(live_server, reference, browser, language):
    # given a supervisor (who may do everything) and demo requests at ESC
    user = make_user("sofia.sup", role=Role.SUPERVISOR, offices=["ESC"], first_name="Sofía")
    demo = build_demo(intake=make_user("tomas.t1", role=Role.TIER1), worker=user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)

    # when every page is visited, forms with errors included
    _sign_in(auditor, "sofia.sup")
    auditor.screenshot(f"queue-{language}.png")
    auditor.visit("/staff/queues/ESC/?status=all&at_risk=on&sort=created", "queue with filters")
    auditor.visit(
        "/staff/queues/ESC/?overdue=on&assigned=me&type=general_case_inquiry", "queue, none"
    )
    _visit_request_pages(auditor, demo.worked.reference, language)
    _visit_intake_pages(auditor, demo.case.receipt_number, language)
    escalated = _escalate_everything_open()
    auditor.visit(f"/staff/requests/{escalated}/", "detail with escalations")
    auditor.visit(
        "/staff/queues/HQ-SCOPS/?escalated=on", "queue of requests escalated to headquarters"
    )
    auditor.visit("/staff/statistics/", "statistics")
    auditor.visit("/staff/dashboards/", "national dashboard")
    auditor.visit("/staff/dashboards/ESC/", "office dashboard")
    _visit_search_pages(auditor, demo.worked, language)
    _visit_token_pages(auditor, language)
    auditor.visit("/staff/requests/SR-0000-0000/", "not found", status=404)
    context.clear_cookies()
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    _visit_lockout_page(auditor, language)
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
