"""Routing on staff pages: the intake preview, referrals, redirects, transfers and flags."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import row_counts
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.service_requests.routing_models import Referral
from srmt.staff.forms import IntakeForm
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.test_intake import FORM
from srmt.staff.views import routing
from srmt.staff.views.routing import RoutingPreview
from srmt.testing.factories import make_case, make_service_request, make_user


def test_the_intake_preview_says_where_and_why_and_saves_nothing(tier1: User) -> None:
    make_case("EAC2190077777", office="CSC")
    client = client_for(tier1)  # signing in is audited: before the snapshot
    before = row_counts()
    response = client.post(
        "/staff/intake/new/", {**FORM, "receipt_number": "EAC2190077777", "preview": "1"}
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.office.code, preview.rule) == ("CSC", "case_office")
    content = response.content.decode()
    assert "This request will go to California Service Center (CSC)." in content
    assert "Why: The case record places the file at CSC." in content
    assert row_counts() == before


# 8 U.S.C. 1367: to staff without clearance a protected case does not exist, so its receipt
# number previews exactly as a receipt number without a case record.
RECEIPT = "EAC2190055555"
NO_CASE = (
    "ESC",
    "prefix_eac",
    "This request will go to Vermont Service Center (ESC).",
    "Why: Receipt prefix EAC belongs to ESC; no case record.",
)
CASE_AT_CSC = (
    "CSC",
    "case_office",
    "This request will go to California Service Center (CSC).",
    "Why: The case record places the file at CSC.",
)
PROTECTED = (
    "ESC-VAWA",
    "protected_1367",
    "This request will go to Vermont Service Center, VAWA/T/U unit (ESC-VAWA).",
    "Why: The case is protected by 8 U.S.C. 1367; the VAWA/T/U unit (ESC-VAWA) handles it "
    "whatever else applies.",
)


def _preview(user: User, **fields: str) -> tuple[RoutingPreview, str, str]:
    """The intake preview of RECEIPT for `user`, its summary box as rendered, the page."""
    response = client_for(user).post(
        "/staff/intake/new/", {**FORM, "receipt_number": RECEIPT, **fields, "preview": "1"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    start = content.index('<div class="usa-summary-box')
    box = content[start : content.index("<form", start)]
    return response.context["preview"], box, content


@pytest.mark.parametrize(
    ("cleared", "case", "expected"),
    [
        (False, "protected", NO_CASE),
        (False, "none", NO_CASE),
        (False, "ordinary", CASE_AT_CSC),
        (True, "protected", PROTECTED),
        (True, "none", NO_CASE),
        (True, "ordinary", CASE_AT_CSC),
    ],
)
def test_the_intake_preview_shows_a_1367_case_only_to_cleared_staff(
    reference: None, cleared: bool, case: str, expected: tuple[str, str, str, str]
) -> None:
    user = make_user(role=Role.TIER1, is_1367_cleared=cleared)
    if case != "none":
        make_case(RECEIPT, office="CSC", is_protected=case == "protected")
    preview, box, _page = _preview(user)
    office, rule, where, why = expected
    assert (preview.office.code, preview.rule) == (office, rule)
    assert where in box
    assert why in box
    assert "(rule " not in box  # rule codes are for those who manage routing, not Tier 1


EXPEDITE = {
    "type": "expedite_request",
    "expedite_criterion": "emergency_humanitarian",
    "expedite_customer_deadline": "2099-01-31",
    "expedite_justification": "Surgery abroad.",
    "expedite_evidence": "A letter from the surgeon.",
}


@pytest.mark.parametrize("fields", [{}, EXPEDITE, {"requester_country": "MX"}])
def test_the_intake_preview_of_a_1367_case_without_clearance_is_the_one_without_a_case(
    tier1: User, fields: dict[str, str]
) -> None:
    case = make_case(RECEIPT, office="CSC", is_protected=True)
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC), tick=False):
        protected, protected_box, page = _preview(tier1, **fields)
        case.delete()
        no_case, no_case_box, _page = _preview(tier1, **fields)
    assert protected == no_case
    assert protected_box == no_case_box
    for secret in ("ESC-VAWA", "VAWA", "protected_1367", "1367", "CSC"):
        assert secret not in page


@pytest.mark.parametrize(("cleared", "expected"), [(False, NO_CASE), (True, PROTECTED)])
def test_intake_preview_answers_as_the_given_user_may_know_it(
    reference: None, cleared: bool, expected: tuple[str, str, str, str]
) -> None:
    make_case(RECEIPT, office="CSC", is_protected=True)
    types = list(ServiceRequestType.objects.filter(is_active=True))
    form = IntakeForm({**FORM, "receipt_number": RECEIPT}, types=types)
    assert form.is_valid()
    user = make_user(role=Role.TIER1, is_1367_cleared=cleared)
    preview = routing.intake_preview(form, user=user)
    assert preview is not None
    assert (preview.office.code, preview.rule, preview.reason) == (
        expected[0],
        expected[1],
        expected[3].removeprefix("Why: "),
    )
    no_user, uncleared = (
        routing.intake_preview(form),
        routing.intake_preview(form, user=make_user(role=Role.TIER1)),
    )  # no user: the answer for staff without clearance
    assert no_user is not None
    assert uncleared is not None
    assert (no_user.office, no_user.rule, no_user.reason) == (
        uncleared.office,
        uncleared.rule,
        uncleared.reason,
    )


def test_intake_still_routes_a_1367_case_to_the_vawa_unit(tier1: User) -> None:
    make_case(RECEIPT, office="CSC", is_protected=True)
    response = client_for(tier1).post("/staff/intake/new/", {**FORM, "receipt_number": RECEIPT})
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert (sr.office.code, sr.routing_rule.code) == ("ESC-VAWA", "protected_1367")


# Whoever may not see the request they saved (a 1367 case, without clearance) is told its
# reference and that the office responsible will contact the customer, and starts again.
UNSEEN = (
    "Service request {reference} recorded. The office responsible for it will contact the customer."
)
UNSEEN_ES = (
    "Solicitud de servicio {reference} registrada. La oficina responsable se comunicará con "
    "el cliente."
)
SECRETS = ("ESC-VAWA", "VAWA", "1367", "Vermont Service Center", "protected_1367")


@pytest.mark.parametrize(
    ("cleared", "protected", "office", "message", "lands_on"),
    [
        (False, True, "ESC-VAWA", UNSEEN, "/staff/intake/new/"),
        (
            False,
            False,
            "CSC",
            "Service request {reference} recorded and sent to California Service Center.",
            "/staff/requests/{reference}/",
        ),
        (
            True,
            True,
            "ESC-VAWA",
            "Service request {reference} recorded and sent to Vermont Service Center, "
            "VAWA/T/U unit.",
            "/staff/requests/{reference}/",
        ),
        (
            True,
            False,
            "CSC",
            "Service request {reference} recorded and sent to California Service Center.",
            "/staff/requests/{reference}/",
        ),
    ],
)
def test_the_confirmation_names_the_office_only_of_a_request_the_user_may_see(
    reference: None, cleared: bool, protected: bool, office: str, message: str, lands_on: str
) -> None:
    user = make_user(role=Role.TIER1, offices=["CC-T1"], is_1367_cleared=cleared)
    make_case(RECEIPT, office="CSC", is_protected=protected)
    before = ServiceRequest.objects.count()
    response = client_for(user).post(
        "/staff/intake/new/", {**FORM, "receipt_number": RECEIPT}, follow=True
    )
    assert ServiceRequest.objects.count() == before + 1
    sr = ServiceRequest.objects.get()
    assert (sr.office.code, sr.created_by) == (office, user)
    assert response.status_code == 200
    assert response.redirect_chain == [(lands_on.format(reference=sr.reference), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        message.format(reference=sr.reference)
    ]
    assert message.format(reference=sr.reference) in response.content.decode()


def test_the_confirmation_of_a_1367_request_tells_uncleared_staff_nothing(tier1: User) -> None:
    make_case(RECEIPT, office="CSC", is_protected=True)
    before = ServiceRequest.objects.filter(office__code="ESC-VAWA").count()
    response = client_for(tier1).post(
        "/staff/intake/new/", {**FORM, "receipt_number": RECEIPT}, follow=True
    )
    assert ServiceRequest.objects.filter(office__code="ESC-VAWA").count() == before + 1
    sr = ServiceRequest.objects.get()
    assert (sr.office.code, sr.routing_rule.code) == ("ESC-VAWA", "protected_1367")
    assert response.status_code == 200
    assert response.redirect_chain == [("/staff/intake/new/", 302)]
    (message,) = [str(m) for m in response.context["messages"]]
    assert message == UNSEEN.format(reference=sr.reference)
    form = response.context["form"]  # a fresh intake form, nothing of the saved request
    assert not form.is_bound
    assert form.initial["receipt_number"] == ""
    page = response.content.decode()
    assert message in page
    for secret in SECRETS:
        assert secret not in message
        assert secret not in page


def test_the_confirmation_of_a_1367_request_in_spanish(tier1: User) -> None:
    make_case(RECEIPT, office="CSC", is_protected=True)
    response = client_for(tier1).post(
        "/staff/intake/new/",
        {**FORM, "receipt_number": RECEIPT},
        follow=True,
        headers={"accept-language": "es"},
    )
    sr = ServiceRequest.objects.get()
    assert response.redirect_chain == [("/staff/intake/new/", 302)]
    expected = UNSEEN_ES.format(reference=sr.reference)
    assert [str(m) for m in response.context["messages"]] == [expected]
    page = response.content.decode()
    assert expected in page
    for secret in SECRETS:
        assert secret not in page


def test_the_intake_preview_shows_a_malformed_zip_next_to_its_field(tier1: User) -> None:
    response = client_for(tier1).post(
        "/staff/intake/new/", {**FORM, "requester_zip_code": "123", "preview": "1"}
    )
    assert response.context["preview"] is None
    assert response.context["form"].errors["requester_zip_code"] == [
        "Enter a ZIP code of 5 digits, like 05478, or ZIP+4, like 05478-1234."
    ]


def test_intake_refers_a_customer_abroad_and_opens_no_request(tier1: User) -> None:
    before = ServiceRequest.objects.count()
    response = client_for(tier1).post(
        "/staff/intake/new/",
        {**FORM, "type": "complaint", "requester_country": "MX", "confirm_referral": "MEX"},
    )
    assert response.status_code == 200
    referral = Referral.objects.get()
    assert (referral.office.code, referral.country, referral.actor) == ("MEX", "MX", tier1)
    assert referral.reference in response.content.decode()
    assert ServiceRequest.objects.count() == before


def test_intake_routes_an_accommodation_request_to_the_zip_field_office(tier1: User) -> None:
    response = client_for(tier1).post(
        "/staff/intake/new/",
        {**FORM, "type": "accommodation_request", "requester_zip_code": "94103"},
    )
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert (sr.office.code, sr.routing_rule.code) == ("SFR", "accommodation_field_office")


def test_redirect_from_the_respond_page(esc_staff: User, tier1: User) -> None:
    sr = make_service_request(actor=tier1)
    client = client_for(esc_staff)
    page = client.get(f"/staff/requests/{sr.reference}/respond/")
    assert "redirect_form" in page.context
    assert "redirected" not in dict(page.context["transition_form"].fields["to"].choices)
    refused = client.post(f"/staff/requests/{sr.reference}/redirect/", {"topic": "", "reason": "x"})
    assert refused.status_code == 200
    sr.refresh_from_db()
    assert sr.status == "received"
    done = client.post(
        f"/staff/requests/{sr.reference}/redirect/", {"topic": "i94", "reason": "Asks about I-94."}
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
    response = client_for(supervisor).get(f"/staff/requests/{sr.reference}/")
    assert [(c.from_office.code, c.to_office.code) for c in response.context["transfers"]] == [
        ("ESC", "CSC"),
        ("CSC", "ESC"),
    ]
    content = response.content.decode()
    assert "Transferred 2 times (more than 1); last CSC -&gt; ESC." in content
    queue = client_for(supervisor).get("/staff/queues/ESC/?flagged=on")
    assert [row[0].reference for row in queue.context["rows"]] == [sr.reference]
