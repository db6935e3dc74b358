"""axe-core finds no violation on the e-Request pages and My requests, every state (errors
included), in English and in Spanish (ADR 44). Reuses the staff pages' Auditor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from srmt.cases.models import CaseParty, Person
from srmt.erequests import defaults
from srmt.service_requests.models import ServiceRequest
from srmt.staff.tests.test_accessibility import Auditor, browser  # noqa: F401 (fixture)
from srmt.testing.factories import make_case, make_customer

pytestmark = pytest.mark.browser

PORTAL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ONPT = defaults.OUTSIDE_NORMAL_PROCESSING_TIME

EXPECTED_PAGES = [
    "my requests, none",
    "new request: choose",
    "new request: choose with an error",
    "refused: too early",
    "refused: confidential change of address",
    "e-Request form",
    "e-Request form with errors",
    "request detail, just sent",
    "my requests",
    "e-Request form with an open request of the same type",
    "request detail with an error",
    "request detail with the escalation hint",
    "not found",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_e_request_page_has_no_axe_violations(live_server, reference, browser, language):  # noqa: F811
    # given a customer with an old case, a recent one and a protected one
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PORTAL_BACKEND]
    ana = Person.objects.create(name="Ana Pérez", email="ana@example.com", zip_code="05401")
    old = make_case("EAC2190000801", received_on=dt.date(2015, 1, 5))
    recent = make_case("EAC2190000802", received_on=timezone.localdate())
    protected = make_case("EAC2190000803", is_protected=True)
    for case in (old, recent, protected):
        CaseParty.objects.create(case=case, person=ana, role="applicant")
    customer = make_customer("ana", people=[ana], filed_online=[old, recent, protected])
    signed_in = Client()
    signed_in.force_login(customer, backend=PORTAL_BACKEND)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
        ]
    )
    auditor = Auditor(context.new_page(), live_server.url)
    page = auditor.page

    # when every page is visited, forms with errors included
    auditor.visit("/requests/", "my requests, none")
    auditor.visit("/requests/new/", "new request: choose")
    auditor.visit(
        "/requests/new/?receipt_number=EAC2190000801&type=complaint",
        "new request: choose with an error",
    )
    auditor.visit(f"/requests/new/{recent.receipt_number}/{ONPT}/", "refused: too early")
    auditor.visit(
        f"/requests/new/{protected.receipt_number}/{defaults.CHANGE_OF_ADDRESS}/",
        "refused: confidential change of address",
    )
    auditor.visit(f"/requests/new/{old.receipt_number}/{ONPT}/", "e-Request form")
    page.fill("#id_name", "   ")  # passes the browser's check, not the server's
    page.fill("#id_description", "Still no decision.")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("e-Request form with errors")
    page.fill("#id_name", "Ana Pérez")
    page.fill("#id_description", "Still no decision after many years.")
    auditor.submit("form.usa-form button[type=submit]")
    assert re.search(r"/requests/SR-", page.url)
    auditor.check("request detail, just sent")
    auditor.screenshot(f"erequest-sent-{language}.png")
    auditor.visit("/requests/", "my requests")
    auditor.visit(
        f"/requests/new/{old.receipt_number}/{ONPT}/",
        "e-Request form with an open request of the same type",
    )
    sr = ServiceRequest.objects.get()
    page.goto(f"{live_server.url}/requests/{sr.reference}/")
    page.fill("#id_information", "   ")
    auditor.submit("form.usa-form button[type=submit]")
    auditor.check("request detail with an error")
    ServiceRequest.objects.filter(pk=sr.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40)
    )
    auditor.visit(f"/requests/{sr.reference}/", "request detail with the escalation hint")
    auditor.screenshot(f"erequest-escalation-{language}.png")
    auditor.visit("/requests/SR-0000-0000/", "not found", status=404)
    context.close()

    # then axe-core found nothing anywhere, and the security policy blocked nothing
    assert auditor.visited == EXPECTED_PAGES
    assert not auditor.failures, "\n\n".join(auditor.failures)
    assert auditor.csp_violations == []
