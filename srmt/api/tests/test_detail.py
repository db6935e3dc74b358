"""GET /api/v1/service-requests/{reference}/: the whole request, its ETag, audited views."""

from __future__ import annotations

import pytest

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for, row_counts
from srmt.audit.models import AuditEvent
from srmt.service_requests import services
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import make_case, make_service_request


def url(reference: str) -> str:
    return f"/api/v1/service-requests/{reference}/"


def test_detail_shows_history_case_and_requester(tier2):
    client, user = tier2
    sr = make_service_request(
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", phone="8025550123")
    )
    admin = sr.created_by
    services.add_note(sr, actor=admin, body="Called back, no answer.")
    services.add_response(sr, actor=admin, kind="initial", body="We are looking into it.")
    services.transition_request(sr, actor=admin, to="in_progress")
    sr.refresh_from_db()

    response = client.get(url(sr.reference))

    assert response.status_code == 200
    assert response["ETag"] == f'"{sr.reference}.{sr.version}"'
    body = response.json()
    assert body["reference"] == sr.reference
    assert body["status"] == "in_progress"
    assert body["version"] == sr.version
    assert body["description"] == "Caller asks when the interview will be scheduled."
    assert body["requester"] == {
        "name": "Ana Pérez",
        "email": "ana@example.com",
        "phone": "+18025550123",
        "language": "en",
    }
    assert body["case"] == {
        "receipt_number": sr.receipt_number,
        "form_type": "I-130",
        "office": "ESC",
        "status_text": "Case Was Received",
        "is_protected": False,
    }
    assert [(r["kind"], r["body"], r["author"]) for r in body["responses"]] == [
        ("initial", "We are looking into it.", admin.username)
    ]
    assert body["responses"][0]["delivery_channel"] == "email"
    assert body["responses"][0]["delivery_status"] in {"queued", "sent"}
    assert [(n["body"], n["author"]) for n in body["notes"]] == [
        ("Called back, no answer.", admin.username)
    ]
    assert [(h["from"], h["to"], h["actor"]) for h in body["status_history"]] == [
        ("", "received", admin.username),
        ("received", "responded", admin.username),
        ("responded", "in_progress", admin.username),
    ]
    assert body["status_history"][0]["to_office"] == "ESC"
    viewed = AuditEvent.objects.get(action="service_request.viewed")
    assert (viewed.actor, viewed.object_id) == (user, sr.reference)


def test_detail_takes_a_fixed_number_of_queries(tier2, django_assert_num_queries):
    client, _user = tier2
    sr = make_service_request()
    for number in range(3):
        services.add_note(sr, actor=sr.created_by, body=f"Note {number}")

    # request, audit row, case office, responses, notes, status changes, escalations
    with django_assert_num_queries(7):
        response = client.get(url(sr.reference))

    assert len(response.json()["notes"]) == 3


def test_a_lower_case_reference_finds_the_request(tier2):
    client, _user = tier2
    sr = make_service_request()

    response = client.get(url(sr.reference.lower()))

    assert response.json()["reference"] == sr.reference


@pytest.mark.parametrize(
    ("_case", "role", "offices", "cleared", "protected"),
    [
        ("office staff of another office", Role.OFFICE_STAFF, ["NSC"], False, False),
        ("analyst", Role.ANALYST, [], False, False),
        ("protected case without clearance", Role.SUPERVISOR, [], False, True),
    ],
)
def test_invisible_requests_are_404_and_not_audited(
    make_client, _case, role, offices, cleared, protected
):
    client, _user = make_client(role, offices=offices, is_1367_cleared=cleared)
    sr = make_service_request(receipt_number=make_case(is_protected=protected).receipt_number)
    before = row_counts()

    response = client.get(url(sr.reference))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
    assert row_counts() == before


def test_visible_to_the_right_people(make_client):
    sr = make_service_request(receipt_number=make_case(is_protected=True).receipt_number)
    office_staff, _user = make_client(
        Role.OFFICE_STAFF, offices=["ESC-VAWA"], is_1367_cleared=True
    )  # 1367 cases go to the VAWA/T/U unit
    supervisor, _user = make_client(Role.SUPERVISOR, is_1367_cleared=True)

    assert office_staff.get(url(sr.reference)).status_code == 200
    assert supervisor.get(url(sr.reference)).json()["case"]["is_protected"] is True


def test_an_unknown_reference_is_404(tier2):
    client, _user = tier2
    before = row_counts()

    response = client.get(url("SR-0000-0000"))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"] == "No service request matches that reference."
    assert row_counts() == before


def test_unauthenticated_detail_is_401(reference):
    sr = make_service_request()

    response = client_for(None).get(url(sr.reference))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
