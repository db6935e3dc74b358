"""PUT and GET /api/v1/cases/{receipt_number}/."""

from __future__ import annotations

import pytest

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for, row_counts
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case
from srmt.testing.factories import make_case

URL = "/api/v1/cases/{}/"


@pytest.fixture
def case_system(make_client):
    """The case systems' integration account: manage-cases and 1367 clearance (ADR 16)."""
    return make_client(Role.CASE_SYSTEM, is_1367_cleared=True)


def case_body(**overrides):
    body = {
        "form_type": "I-130",
        "office": "NSC",
        "received_on": "2026-02-03",
        "status_text": "Case Was Received",
        "status_updated_on": "2026-02-04",
        "is_protected": False,
        "parties": [
            {"name": "Ana Pérez", "role": "petitioner", "email": "ana@example.com"},
            {
                "name": "Lee Law",
                "role": "attorney",
                "has_g28_on_file": True,
                "external_id": "ATT-1",
            },
        ],
    }
    body.update(overrides)
    return body


def test_put_creates_then_updates_a_case(case_system):
    client, user = case_system

    created = client.put(URL.format("lin-219-012-3456"), case_body(), format="json")
    updated = client.put(
        URL.format("LIN2190123456"), case_body(status_text="Interview Scheduled"), format="json"
    )

    assert (created.status_code, updated.status_code) == (201, 200)
    assert created.json()["receipt_number"] == "LIN2190123456"
    assert created.json()["office"] == "NSC"
    assert created.json()["form_type"] == "I-130"
    assert created.json()["status_updated_on"] == "2026-02-04"
    assert created.json()["parties"] == [
        {
            "name": "Lee Law",
            "role": "attorney",
            "email": "",
            "phone": "",
            "language": "en",
            "has_g28_on_file": True,
            "external_id": "ATT-1",
        },
        {
            "name": "Ana Pérez",
            "role": "petitioner",
            "email": "ana@example.com",
            "phone": "",
            "language": "en",
            "has_g28_on_file": False,
            "external_id": "",
        },
    ]
    assert updated.json()["status_text"] == "Interview Scheduled"
    assert Case.objects.get().status_text == "Interview Scheduled"
    actions = list(AuditEvent.objects.filter(object_type="case").values_list("action", "actor_id"))
    assert actions == [("case.created", user.pk), ("case.updated", user.pk)]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.TIER2, Role.ANALYST])
def test_put_needs_the_manage_cases_capability(make_client, role):
    client, _user = make_client(role)
    before = row_counts()

    response = client.put(URL.format("LIN2190123456"), case_body(), format="json")

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert row_counts() == before


@pytest.mark.parametrize(
    ("receipt", "body", "code"),
    [
        ("LIN21", case_body(), "invalid_receipt_number"),
        ("LIN2190123456", case_body(form_type="I-999"), "unknown_form_type"),
        ("LIN2190123456", case_body(office="XYZ"), "unknown_office"),
        ("LIN2190123456", case_body(received_on="yesterday"), "invalid"),
        (
            "LIN2190123456",
            case_body(parties=[{"name": "Ana", "role": "applicant", "has_g28_on_file": True}]),
            "invalid_person",
        ),
        ("LIN2190123456", case_body(parties=[{"name": "Ana", "role": "cousin"}]), "invalid_choice"),
    ],
)
def test_invalid_puts_are_400_and_change_nothing(case_system, receipt, body, code):
    client, _user = case_system
    before = row_counts()

    response = client.put(URL.format(receipt), body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert row_counts() == before


def test_party_errors_name_the_party(case_system):
    client, _user = case_system

    response = client.put(
        URL.format("LIN2190123456"),
        case_body(parties=[{"name": "Ana", "role": "applicant"}, {"role": "attorney"}]),
        format="json",
    )

    assert response.json()["errors"] == [
        {"field": "parties.1.name", "code": "required", "detail": "This field is required."}
    ]


def test_get_shows_the_case_and_audits_the_view(tier2):
    client, user = tier2
    case = make_case()

    response = client.get(URL.format(case.receipt_number.lower()))

    assert response.status_code == 200
    assert response.json()["receipt_number"] == case.receipt_number
    assert response.json()["parties"] == []
    event = AuditEvent.objects.get(action="case.viewed")
    assert (event.actor, event.object_id) == (user, case.receipt_number)


def test_protected_cases_are_404_without_clearance(make_client):
    case = make_case(is_protected=True)
    uncleared, _user = make_client(Role.SUPERVISOR)
    cleared, _user = make_client(Role.SUPERVISOR, is_1367_cleared=True)
    before = row_counts()

    refused = uncleared.get(URL.format(case.receipt_number))

    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    assert row_counts() == before
    assert cleared.get(URL.format(case.receipt_number)).json()["is_protected"] is True


@pytest.mark.parametrize(
    ("role", "receipt", "status", "code"),
    [
        (Role.ANALYST, "EAC2190000001", 403, "permission_denied"),
        (Role.TIER2, "EAC21", 400, "invalid_receipt_number"),
        (Role.TIER2, "EAC2199999999", 404, "not_found"),
    ],
)
def test_get_refusals(make_client, role, receipt, status, code):
    client, _user = make_client(role)
    make_case("EAC2190000001")
    before = row_counts()

    response = client.get(URL.format(receipt))

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert row_counts() == before


def test_cases_need_authentication(reference):
    response = client_for(None).get(URL.format("EAC2190000001"))

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
