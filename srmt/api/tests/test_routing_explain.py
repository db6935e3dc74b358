"""/api/v1/routing/explain, referral on submission, redirects and the transfer chain."""

from __future__ import annotations

from typing import Any

import pytest

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import row_counts, valid_submission
from srmt.notifications.models import Notification
from srmt.offices.defaults import TOPICS
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.routing_models import Referral
from srmt.testing.factories import make_case, make_user

URL = "/api/v1/routing/explain"


@pytest.mark.parametrize(
    ("query", "office", "rule"),
    [
        ({"receipt_number": "EAC2190012345"}, "ESC", "prefix_eac"),
        ({"receipt_number": "WAC-219-001-2345"}, "CSC", "prefix_wac"),
        ({"receipt_number": "ABC2190012345"}, "CC-T2", "unknown_prefix"),
        ({}, "CC-T2", "no_receipt_number"),
        ({"type": "appointment_request"}, "CC-T2", "appointment_tier2"),
        ({"type": "accommodation_request", "zip": "94103"}, "SFR", "accommodation_field_office"),
        ({"country": "MX"}, "MEX", "overseas_referral"),
    ],
)
def test_explain_answers_where_and_why_and_creates_nothing(
    tier2: Any, query: dict[str, str], office: str, rule: str
) -> None:
    client, _user = tier2
    before = row_counts()
    response = client.get(URL, query)
    assert response.status_code == 200
    body = response.json()
    assert (body["office"]["code"], body["rule"]) == (office, rule)
    assert (body["referral"] is not None) is (rule == "overseas_referral")
    assert row_counts() == before
    assert Referral.objects.count() == 0


def test_explain_shows_the_case_office_and_its_reason(tier2: Any) -> None:
    client, _user = tier2
    make_case("EAC2190054321", office="CSC")  # a transferred file
    body = client.get(URL, {"receipt_number": "EAC2190054321"}).json()
    assert body == {
        "office": {"code": "CSC", "name": "California Service Center"},
        "rule": "case_office",
        "reason": "The case record places the file at CSC.",
        "facts": {"has_case_record": True, "case_office": "CSC"},
        "referral": None,
    }


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("en", "The case record places the file at CSC."),
        ("es", "Según el registro del caso, el expediente está en CSC."),
    ],
)
def test_explain_gives_the_reason_in_the_readers_language(
    tier2: Any, language: str, reason: str
) -> None:
    client, _user = tier2
    make_case("EAC2190054321", office="CSC")
    body = client.get(
        URL, {"receipt_number": "EAC2190054321"}, HTTP_ACCEPT_LANGUAGE=language
    ).json()
    assert (body["rule"], body["reason"]) == ("case_office", reason)


# 8 U.S.C. 1367: to staff without clearance a protected case does not exist, so explaining
# its receipt number must give exactly the answer for a receipt number without a case record.
RECEIPT = "EAC2190055555"
NO_CASE = {
    "office": {"code": "ESC", "name": "Vermont Service Center"},
    "rule": "prefix_eac",
    "reason": "Receipt prefix EAC belongs to ESC; no case record.",
    "facts": {"receipt_prefix": "EAC"},
    "referral": None,
}
CASE_AT_CSC = {
    "office": {"code": "CSC", "name": "California Service Center"},
    "rule": "case_office",
    "reason": "The case record places the file at CSC.",
    "facts": {"has_case_record": True, "case_office": "CSC"},
    "referral": None,
}
PROTECTED = {
    "office": {"code": "ESC-VAWA", "name": "Vermont Service Center, VAWA/T/U unit"},
    "rule": "protected_1367",
    "reason": "The case is protected by 8 U.S.C. 1367; the VAWA/T/U unit (ESC-VAWA) handles "
    "it whatever else applies.",
    "facts": {"is_protected": True},
    "referral": None,
}


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
def test_explain_shows_a_1367_case_only_to_cleared_staff(
    make_client: Any, cleared: bool, case: str, expected: dict[str, Any]
) -> None:
    client, _user = make_client(Role.TIER1, is_1367_cleared=cleared)
    if case != "none":
        make_case(RECEIPT, office="CSC", is_protected=case == "protected")
    response = client.get(URL, {"receipt_number": RECEIPT})
    assert response.status_code == 200
    assert response.json() == expected


@pytest.mark.parametrize("query", [{}, {"type": "expedite_request"}, {"country": "MX"}])
def test_explain_of_a_1367_case_without_clearance_is_the_answer_without_a_case(
    make_client: Any, query: dict[str, str]
) -> None:
    client, _user = make_client(Role.TIER1)
    case = make_case(RECEIPT, office="CSC", is_protected=True)
    query = {**query, "receipt_number": RECEIPT}
    protected = client.get(URL, query)
    case.delete()
    no_case = client.get(URL, query)
    assert (protected.status_code, no_case.status_code) == (200, 200)
    assert protected.content == no_case.content
    assert protected.json() == no_case.json()
    for secret in ("ESC-VAWA", "protected_1367", "1367", "CSC"):
        assert secret not in protected.content.decode()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"receipt_number": "EAC12"}, "invalid_receipt_number"),
        ({"zip": "1234"}, "invalid_zip_code"),
        ({"zip": "00000"}, "unknown_zip_code"),
        ({"country": "ZZ"}, "invalid_country_code"),
        ({"type": "visa_lottery"}, "unknown_type"),
    ],
)
def test_explain_refuses_malformed_facts(tier2: Any, query: dict[str, str], code: str) -> None:
    client, _user = tier2
    before = row_counts()
    response = client.get(URL, query)
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert row_counts() == before


def test_explain_is_for_staff_who_take_requests(make_client: Any) -> None:
    client, _user = make_client(Role.ANALYST)
    assert client.get(URL).status_code == 403


def test_a_customer_abroad_is_referred_and_no_request_is_opened(tier2: Any) -> None:
    client, user = tier2
    before = row_counts()
    body = valid_submission(receipt_number="", type="complaint")
    body["requester"] = {**body["requester"], "country": "IN"}
    response = client.post("/api/v1/service-requests/", body, format="json")
    assert response.status_code == 200
    referral = Referral.objects.get()
    assert response.json()["referral"]["office"] == {
        "code": "NDE",
        "name": "New Delhi International Field Office",
    }
    assert "reference" not in response.json()
    assert (referral.country, referral.office.code, referral.actor, referral.name) == (
        "IN",
        "NDE",
        user,
        "Ana Pérez",
    )
    after = row_counts()
    assert after["ServiceRequest"] == before["ServiceRequest"]
    assert after["AuditEvent"] == before["AuditEvent"] + 1


def test_redirect_topics_list_every_agency(tier2: Any) -> None:
    client, _user = tier2
    body = client.get("/api/v1/redirect-topics/").json()
    assert [t["code"] for t in body] == [code for code, *_rest in TOPICS]
    assert body[0]["agency"]["code"] == "state"


@pytest.mark.parametrize(("topic", "_en", "_es", "agency"), TOPICS)
def test_each_topic_redirects_to_its_agency_in_the_customers_language(
    make_client: Any, topic: str, _en: str, _es: str, agency: str
) -> None:
    client, _user = make_client(Role.ADMINISTRATOR)
    created = client.post("/api/v1/service-requests/", valid_submission(), format="json").json()
    url = f"/api/v1/service-requests/{created['reference']}/redirect/"
    response = client.post(url, {"topic": topic, "reason": "Not ours."}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["redirect_topic"]) == ("redirected", topic)
    notification = Notification.objects.exclude(kind="acknowledgement").get(
        related_reference=created["reference"]
    )
    assert notification.language == "es"
    sr = ServiceRequest.objects.get(reference=created["reference"])
    assert sr.redirect_topic.agency.code == agency
    assert notification.to_address == "ana@example.com"
    assert sr.redirect_topic.agency.phone in notification.body
    assert sr.redirect_topic.agency.website in notification.body


def test_a_redirect_needs_a_known_topic_and_changes_nothing_otherwise(make_client: Any) -> None:
    client, _user = make_client(Role.ADMINISTRATOR)
    created = client.post("/api/v1/service-requests/", valid_submission(), format="json").json()
    before = row_counts()
    url = f"/api/v1/service-requests/{created['reference']}/redirect/"
    response = client.post(url, {"topic": "lottery", "reason": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "unknown_redirect_topic")
    bare = client.post(
        f"/api/v1/service-requests/{created['reference']}/transitions/",
        {"to": "redirected", "reason": "x"},
        format="json",
    )
    assert (bare.status_code, bare.json()["code"]) == (400, "redirect_topic_required")
    assert row_counts() == before


def test_transfers_form_a_chain_and_ping_pong_is_flagged(make_client: Any, settings: Any) -> None:
    settings.SRMT_TRANSFER_FLAG_AFTER = 2
    supervisor = make_user(role=Role.SUPERVISOR, email="boss@example.gov")
    client, _user = make_client(Role.ADMINISTRATOR)
    created = client.post("/api/v1/service-requests/", valid_submission(), format="json").json()
    url = f"/api/v1/service-requests/{created['reference']}/transitions/"
    for office in ["CSC", "ESC", "CSC"]:
        response = client.post(
            url, {"to": "transferred", "office": office, "reason": "Wrong office"}, format="json"
        )
        assert response.status_code == 200
    body = response.json()
    assert [(t["from_office"], t["to_office"]) for t in body["transfers"]] == [
        ("ESC", "CSC"),
        ("CSC", "ESC"),
        ("ESC", "CSC"),
    ]
    assert (body["transfer_count"], body["is_flagged"]) == (3, True)
    assert body["flag_reason"] == "Transferred 3 times (more than 2); last ESC -> CSC."
    [note] = Notification.objects.filter(to_address=supervisor.email)
    assert (note.channel, note.related_reference) == ("email", created["reference"])


@pytest.mark.parametrize(
    ("zip_code", "office", "rule", "facts"),
    [
        # Northern Virginia and DC: the Washington Field Office, by the seeded overrides
        ("22031", "WAS", "accommodation_field_office", {"zip_match": "override"}),
        ("20500", "WAS", "accommodation_field_office", {"zip_match": "override"}),
        ("21201", "BAL", "accommodation_field_office", {"zip_match": "nearest_in_state"}),
        # at 0,0 in the postal data: the mean position of its prefix (Los Angeles)
        ("90085", "LOS", "accommodation_field_office", {"zip_match": "nearest_in_state"}),
        # military mail: Tier 2, not the office nearest the Gulf of Guinea
        ("09001", "CC-T2", "accommodation_military_mail", {"zip_is_military_mail": True}),
        ("96201", "CC-T2", "accommodation_military_mail", {"zip_is_military_mail": True}),
        # no position at all, and no single field office in its state (Pohnpei, FM)
        ("96941", "CC-T2", "accommodation_no_field_office", {"zip_is_military_mail": False}),
    ],
)
def test_explain_routes_a_zip_to_its_jurisdiction(
    tier2: Any, zip_code: str, office: str, rule: str, facts: dict[str, str]
) -> None:
    client, _user = tier2
    response = client.get(URL, {"zip": zip_code, "type": "accommodation_request"})
    assert response.status_code == 200
    body = response.json()
    assert (body["office"]["code"], body["rule"]) == (office, rule)
    assert body["facts"]["has_zip_code"] is True
    assert facts.items() <= body["facts"].items()
    if rule == "accommodation_military_mail":
        state = {"09001": "AE", "96201": "AP"}[zip_code]
        assert body["reason"] == (
            f"Military mail ZIP (APO/FPO/DPO): no field office serves ZIP {zip_code} ({state}) "
            "by address; the contact center's Tier 2 (CC-T2) serves the customer."
        )
    if rule == "accommodation_no_field_office":
        assert body["reason"] == (
            f"ZIP {zip_code} (FM) has no known location and its state no single field office: "
            "no field office can be chosen by address; the contact center's Tier 2 (CC-T2) "
            "serves the customer."
        )
