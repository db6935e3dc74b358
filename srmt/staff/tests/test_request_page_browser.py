"""The request page in a browser: keyboard shortcuts, and axe-core finds nothing with the
action area open, with errors shown and after a collision, in English and Spanish."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from srmt.accounts.choices import Role
from srmt.service_requests import services
from srmt.staff.tests.demo import build_demo
from srmt.staff.tests.test_accessibility import PASSWORD, Auditor, browser  # noqa: F401
from srmt.testing.factories import make_user

pytestmark = pytest.mark.browser


def _signed_in(browser: Any, live_server: Any, username: str, language: str) -> Auditor:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.usa-form button[type=submit]")
    return Auditor(page, live_server.url)


def _focused_id(page: Any) -> str:
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def _is_open(page: Any, panel: str) -> bool:
    return bool(page.evaluate(f"document.getElementById('panel-{panel}').open"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_request_page_shortcuts_and_axe(live_server, reference, browser, language):  # noqa: F811
    # given an officer of ESC and requests there, one of them an expedite
    officer = make_user(
        "olga.esc", role=Role.OFFICE_STAFF, offices=["ESC"], first_name="Olga", last_name="Ramos"
    )
    officer.set_password(PASSWORD)
    officer.save()
    tier1 = make_user("tomas.t1", role=Role.TIER1, first_name="Tomás", last_name="Uno")
    demo = build_demo(intake=tier1, worker=officer)
    auditor = _signed_in(browser, live_server, "olga.esc", language)
    page = auditor.page

    # the page, every panel closed
    auditor.visit(f"/staff/requests/{demo.worked.reference}/", "detail")
    assert not _is_open(page, "note")

    # "n" opens the note panel with the cursor in the note
    page.locator("h1").click()
    page.keyboard.press("n")
    assert _is_open(page, "note")
    assert _focused_id(page) == "note-body"
    # typing in a field never fires a shortcut
    page.keyboard.type("ran")
    assert page.input_value("#note-body") == "ran"
    assert not _is_open(page, "respond")
    assert not _is_open(page, "assign")
    auditor.check("detail with the note panel open")

    # "a" puts the focus on "Assign to me" (taking it needs Enter); "s" on the status
    page.locator("h1").click()
    page.keyboard.press("s")
    assert _is_open(page, "status")
    assert _focused_id(page) == "status-to"
    page.locator("h1").click()
    page.keyboard.press("?")
    assert page.evaluate("document.getElementById('shortcuts').open")
    assert page.get_attribute("#panel-note summary", "aria-keyshortcuts") == "n"
    auditor.check("detail with the shortcuts listed")

    # "t" chooses Transferred and puts the cursor in the (searchable) office picker
    page.locator("h1").click()
    page.keyboard.press("t")
    assert page.input_value("select[name=to]") == "transferred"
    assert _focused_id(page) == "status-office"
    auditor.screenshot(f"request-transfer-{language}.png")

    # "r" opens the respond panel; sending it empty shows the errors in place
    page.locator("h1").click()
    page.keyboard.press("r")
    assert _is_open(page, "respond")
    assert _focused_id(page) == "respond-kind_0"
    auditor.submit("#panel-respond form[method=post] button[type=submit]")
    assert _is_open(page, "respond")
    assert page.locator("#panel-respond .usa-alert--error").count() == 1
    auditor.check("respond with errors")

    # a change by someone else since the page was opened: refused, said plainly
    auditor.visit(f"/staff/requests/{demo.worked.reference}/", "detail")
    services.add_note(demo.worked, actor=tier1, body="Customer called again.")
    page.locator("h1").click()
    page.keyboard.press("n")
    page.keyboard.type("Called back.")
    auditor.submit("#panel-note form button[type=submit]")
    assert page.locator("#collision").count() == 1
    assert "Tomás Uno" in page.inner_text("#collision")
    auditor.check("after a collision")

    # "a" on a request assigned to someone else: the focus is on "Assign to me"
    auditor.visit(f"/staff/requests/{demo.fresh.reference}/", "detail")
    page.locator("h1").click()
    page.keyboard.press("a")
    assert _is_open(page, "assign")
    assert (
        page.evaluate("document.activeElement.textContent.trim()")
        == {
            "en": "Assign to me",
            "es": "Asignármela",
        }[language]
    )

    # the expedite decision: what the customer asked first, the decision after; errors
    auditor.visit(f"/staff/requests/{demo.at_risk.reference}/", "expedite request")
    page.locator("h1").click()
    page.keyboard.press("e")
    assert _is_open(page, "expedite")
    auditor.submit("#panel-expedite form[action$='/decide/'] button[type=submit]")
    assert page.locator("#panel-expedite .usa-alert--error").count() == 1
    auditor.check("expedite decision with errors")
    auditor.screenshot(f"request-expedite-errors-{language}.png")

    page.context.close()
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
