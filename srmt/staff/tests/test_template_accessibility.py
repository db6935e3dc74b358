"""axe-core finds no violation on the template library's pages (docs/adr/0033), in English
and Spanish: the list, creating (with errors), a template's page with its history, a diff
and a preview (with an error), a new version, and the respond panel filled from a template
(with htmx and without)."""

from __future__ import annotations

import pytest
from django.conf import settings

from srmt.accounts.choices import Role
from srmt.staff.tests.demo import build_demo
from srmt.staff.tests.test_accessibility import PASSWORD, Auditor, browser  # noqa: F401
from srmt.testing.factories import make_user

pytestmark = pytest.mark.browser

EXPECTED_PAGES = [
    "template list",
    "template list, filtered, Spanish wording",
    "new template",
    "new template with errors",
    "template",
    "new version",
    "new version with errors",
    "template with a diff",
    "template with a preview",
    "template with a preview error",
    "respond panel filled by htmx",
    "respond panel filled without JavaScript",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_template_pages_have_no_axe_violations(live_server, reference, browser, language):  # noqa: F811
    # given a national supervisor and demo requests at ESC
    make_user("nadia.sup", role=Role.SUPERVISOR, first_name="Nadia")
    olga = make_user("olga.esc", role=Role.OFFICE_STAFF, offices=["ESC"], first_name="Olga")
    tier1 = make_user("tomas.t1", role=Role.TIER1, offices=["CC-T1"])
    demo = build_demo(intake=tier1, worker=olga)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page
    page.goto(auditor.base_url + "/staff/login/")
    page.fill("#id_username", "nadia.sup")
    page.fill("#id_password", PASSWORD)
    page.click("form.usa-form button[type=submit]")
    page.wait_for_url(f"{auditor.base_url}/staff/")

    # when every page is visited, forms with errors included
    auditor.visit("/staff/templates/", "template list")
    auditor.visit(
        "/staff/templates/?office=national&language=es", "template list, filtered, Spanish wording"
    )
    auditor.visit("/staff/templates/new/", "new template")
    auditor.submit("main form.usa-form--large button[type=submit]")
    auditor.check("new template with errors")
    auditor.visit("/staff/templates/acknowledgement/", "template")
    auditor.visit("/staff/templates/acknowledgement/edit/", "new version")
    auditor.submit("main form.usa-form--large button[type=submit]")  # no change note
    auditor.check("new version with errors")
    page.fill("#id_body_en", page.input_value("#id_body_en") + " Thank you for your patience.")
    page.fill("#id_change_note", "Thanks the customer")
    auditor.submit("main form.usa-form--large button[type=submit]")
    auditor.visit("/staff/templates/acknowledgement/?from=1&to=2", "template with a diff")
    auditor.screenshot(f"template-diff-{language}.png")
    auditor.visit(
        f"/staff/templates/acknowledgement/?reference={demo.fresh.reference}",
        "template with a preview",
    )
    auditor.visit(
        "/staff/templates/acknowledgement/?reference=SR-NONE-NONE", "template with a preview error"
    )
    page.goto(auditor.base_url + f"/staff/requests/{demo.fresh.reference}/respond/")
    page.select_option("#respond-template-choice", "acknowledgement")
    page.click(".srmt-template-picker button[type=submit]")
    page.wait_for_selector("#respond-form .usa-alert--warning")  # what is left to write
    assert "{{ action_taken }}" in page.input_value("#respond-body")
    assert page.input_value("#respond-template") == "acknowledgement"
    assert page.url.endswith(f"/staff/requests/{demo.fresh.reference}/respond/")  # no navigation
    auditor.check("respond panel filled by htmx")
    auditor.screenshot(f"respond-template-{language}.png")
    auditor.visit(
        f"/staff/requests/{demo.fresh.reference}/respond/template/?template=acknowledgement",
        "respond panel filled without JavaScript",
    )
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
