"""axe-core finds no violation on the workspace pages (docs/adr/0031), in English and Spanish:
the home page of each role, the queue with saved views and bulk actions, a bulk report, the
notifications and their settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.service_requests import escalations, services
from srmt.staff.tests.demo import build_demo
from srmt.staff.tests.test_accessibility import PASSWORD, Auditor, browser  # noqa: F401
from srmt.testing.factories import make_user
from srmt.workspace import services as workspace

pytestmark = pytest.mark.browser

EXPECTED_PAGES = [
    "home: supervisor",
    "queue with saved views",
    "queue sorted, with saved views",
    "bulk action report",
    "bulk action with errors",
    "queue, save with an error",
    "notifications",
    "notification settings",
    "home: office staff",
    "home: Tier 1",
    "home: Tier 2",
]


def _sign_in(auditor: Auditor, username: str) -> None:
    page = auditor.page
    page.context.clear_cookies(name="sessionid")
    page.goto(auditor.base_url + "/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.usa-form button[type=submit]")
    page.wait_for_url(f"{auditor.base_url}/staff/")


@pytest.mark.parametrize("language", ["en", "es"])
def test_workspace_pages_have_no_axe_violations(live_server, reference, browser, language):  # noqa: F811
    # given a supervisor, office staff, Tier 1 and Tier 2, and demo requests at ESC, some
    # escalated, one assigned to the supervisor by someone else
    boss = make_user("sofia.sup", role=Role.SUPERVISOR, offices=["ESC"], first_name="Sofía")
    olga = make_user("olga.esc", role=Role.OFFICE_STAFF, offices=["ESC"], first_name="Olga")
    tier1 = make_user("tomas.t1", role=Role.TIER1, offices=["CC-T1"])
    make_user("tina.t2", role=Role.TIER2, offices=["CC-T2"])
    demo = build_demo(intake=tier1, worker=olga)
    escalations.load_default_ladder()
    escalations.escalate_due(timezone.now() + dt.timedelta(days=16))
    services.assign_request(demo.fresh, actor=olga, assignee=boss)
    workspace.save_view(boss, office=demo.fresh.office, name="Overdue", query={"overdue": "on"})
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page

    # when every page is visited, forms with errors included
    _sign_in(auditor, "sofia.sup")
    auditor.check("home: supervisor")
    auditor.screenshot(f"home-supervisor-{language}.png")
    auditor.visit("/staff/queues/ESC/", "queue with saved views")
    auditor.visit("/staff/queues/ESC/?sort=-assignee&status=all", "queue sorted, with saved views")
    auditor.screenshot(f"queue-workspace-{language}.png")
    page.dispatch_event(f'label[for="select-{demo.fresh.reference}"]', "click")
    page.select_option("#id_action", "status")
    page.select_option("#id_to", "in_progress")
    page.click("#bulk-form button[type=submit]")
    auditor.check("bulk action report")
    auditor.screenshot(f"bulk-report-{language}.png")
    auditor.page.goto(auditor.base_url + "/staff/queues/ESC/")
    page.click("#bulk-form button[type=submit]")
    auditor.check("bulk action with errors")
    auditor.page.goto(auditor.base_url + "/staff/queues/ESC/")
    page.click("#views-heading ~ form button[type=submit]")
    auditor.check("queue, save with an error")
    auditor.visit("/staff/notifications/", "notifications")
    auditor.visit("/staff/notifications/settings/", "notification settings")
    for username, label in (
        ("olga.esc", "home: office staff"),
        ("tomas.t1", "home: Tier 1"),
        ("tina.t2", "home: Tier 2"),
    ):
        _sign_in(auditor, username)
        auditor.check(label)
        auditor.screenshot(f"{label.replace(': ', '-').replace(' ', '-').lower()}-{language}.png")
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
