"""axe-core finds no violation on the secure-message pages (ADR 45), public and staff, in
English and in Spanish, error states included; the security policy blocks nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from srmt.messaging import services
from srmt.messaging.tests.world import PDF, make_world, upload
from srmt.staff.tests.test_accessibility import Auditor
from srmt.staff.tests.test_accessibility import browser as browser  # the fixture

pytestmark = pytest.mark.browser

PUBLIC_BACKEND = "django.contrib.auth.backends.ModelBackend"

EXPECTED_PAGES = [
    "messages",
    "new message",
    "new message with errors",
    "thread",
    "thread with errors",
    "messages, none",
    "staff messages",
    "staff messages with errors",
]


def _session_cookie(account: Any, url: str, backend: str | None = None) -> dict[str, str]:
    client = Client()
    client.force_login(account, backend=backend)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_message_pages_have_no_axe_violations(
    live_server,
    reference,
    browser,
    language,
    settings,
    tmp_path,
):
    settings.SRMT_MESSAGE_FILES_ROOT = tmp_path / "messages"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PUBLIC_BACKEND]
    world = make_world()
    thread = services.start_thread(
        world.alice,
        subject="Interview",
        body="When is my interview?",
        case=world.case_a,
        uploads=[upload("notice.pdf", PDF)],
    )
    services.send_message(world.staff["tier2"], thread, body="Soon.")
    language_cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language}

    # the customer's pages
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {**language_cookie, "url": live_server.url},
            _session_cookie(world.alice, live_server.url, PUBLIC_BACKEND),
        ]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page
    auditor.visit("/messages/", "messages")
    auditor.visit("/messages/new/", "new message")
    auditor.submit("main form button[type=submit]")
    auditor.check("new message with errors")
    auditor.visit(f"/messages/{thread.pk}/", "thread")
    auditor.screenshot(f"message-thread-{language}.png")
    page.fill("#id_body", "")
    auditor.submit("main form button[type=submit]")
    auditor.check("thread with errors")
    context.close()

    # an account with nothing yet
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {**language_cookie, "url": live_server.url},
            _session_cookie(world.ray, live_server.url, PUBLIC_BACKEND),
        ]
    )
    auditor_none = Auditor(context.new_page(), live_server.url)
    auditor_none.visit("/messages/", "messages, none")
    context.close()

    # the staff page
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {**language_cookie, "url": live_server.url},
            _session_cookie(world.staff["tier2"], live_server.url),
        ]
    )
    auditor_staff = Auditor(context.new_page(), live_server.url)
    auditor_staff.visit(f"/staff/requests/{world.sr_a.reference}/messages/", "staff messages")
    auditor_staff.page.fill("textarea[name=body]", "")
    auditor_staff.submit("main form button[type=submit]")
    auditor_staff.check("staff messages with errors")
    context.close()

    visited = auditor.visited + auditor_none.visited + auditor_staff.visited
    failures = auditor.failures + auditor_none.failures + auditor_staff.failures
    csp = auditor.csp_violations + auditor_none.csp_violations + auditor_staff.csp_violations
    assert visited == EXPECTED_PAGES
    assert failures == [], "\n".join(failures)
    assert csp == []
