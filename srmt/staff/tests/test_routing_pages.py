"""Routing on staff pages: the intake preview, referrals, redirects, transfers and flags."""

from __future__ import annotations

import pytest

from srmt.accounts.models import User
from srmt.api.tests.conftest import row_counts
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.routing_models import Referral
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.test_intake import FORM
from srmt.testing.factories import make_case, make_service_request


def test_the_intake_preview_says_where_and_why_and_saves_nothing(tier1: User) -> None:
    make_case("EAC2190077777", office="CSC")
    before = row_counts()
    response = client_for(tier1).post(
        "/intake/new/", {**FORM, "receipt_number": "EAC2190077777", "preview": "1"}
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.office.code, preview.rule) == ("CSC", "case_office")
    content = response.content.decode()
    assert "This request will go to California Service Center (CSC)." in content
    assert "Why: The case record places the file at CSC." in content
    assert row_counts() == before


def test_the_intake_preview_shows_a_malformed_zip_next_to_its_field(tier1: User) -> None:
    response = client_for(tier1).post(
        "/intake/new/", {**FORM, "requester_zip_code": "123", "preview": "1"}
    )
    assert response.context["preview"] is None
    assert response.context["form"].errors["requester_zip_code"] == [
        "Enter a ZIP code of 5 digits, like 05478, or ZIP+4, like 05478-1234."
    ]


def test_intake_refers_a_customer_abroad_and_opens_no_request(tier1: User) -> None:
    before = ServiceRequest.objects.count()
    response = client_for(tier1).post(
        "/intake/new/", {**FORM, "type": "complaint", "requester_country": "mx"}
    )
    assert response.status_code == 200
    referral = Referral.objects.get()
    assert (referral.office.code, referral.country, referral.actor) == ("MEX", "MX", tier1)
    assert referral.reference in response.content.decode()
    assert ServiceRequest.objects.count() == before


def test_intake_routes_an_accommodation_request_to_the_zip_field_office(tier1: User) -> None:
    response = client_for(tier1).post(
        "/intake/new/",
        {**FORM, "type": "accommodation_request", "requester_zip_code": "94103"},
    )
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert (sr.office.code, sr.routing_rule.code) == ("SFR", "accommodation_field_office")


def test_redirect_from_the_respond_page(esc_staff: User, tier1: User) -> None:
    sr = make_service_request(actor=tier1)
    client = client_for(esc_staff)
    page = client.get(f"/requests/{sr.reference}/respond/")
    assert "redirect_form" in page.context
    assert "redirected" not in dict(page.context["transition_form"].fields["to"].choices)
    refused = client.post(f"/requests/{sr.reference}/redirect/", {"topic": "", "reason": "x"})
    assert refused.status_code == 200
    sr.refresh_from_db()
    assert sr.status == "received"
    done = client.post(
        f"/requests/{sr.reference}/redirect/", {"topic": "i94", "reason": "Asks about I-94."}
    )
    assert done.status_code == 302
    sr.refresh_from_db()
    assert (sr.status, sr.redirect_topic.code) == ("redirected", "i94")


def test_the_detail_page_shows_the_transfer_chain_and_the_flag(
    esc_staff: User, supervisor: User, tier1: User, settings: pytest.FixtureRequest
) -> None:
    settings.SRMT_TRANSFER_FLAG_AFTER = 1
    make_service_request(actor=tier1)  # stays at ESC, not flagged
    sr = make_service_request(actor=tier1)
    for office in ["CSC", "ESC"]:
        sr = services.transition_request(
            sr, actor=supervisor, to="transferred", reason="Wrong office", office_code=office
        )
    response = client_for(supervisor).get(f"/requests/{sr.reference}/")
    assert [(c.from_office.code, c.to_office.code) for c in response.context["transfers"]] == [
        ("ESC", "CSC"),
        ("CSC", "ESC"),
    ]
    content = response.content.decode()
    assert "Transferred 2 times (more than 1); last CSC -&gt; ESC." in content
    queue = client_for(supervisor).get("/queues/ESC/?flagged=on")
    assert [row[0].reference for row in queue.context["rows"]] == [sr.reference]
