"""POST /api/v1/service-requests/ on a case protected by 8 U.S.C. 1367.

The request is always recorded at the VAWA/T/U unit (ESC-VAWA). A caller who may not see it
(no 1367 clearance) is told its reference and nothing else: no office, no links, no Location
or ETag pointing to a request that answers them 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import row_counts, valid_submission
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.testing.factories import make_case, make_user

URL = "/api/v1/service-requests/"
RECEIPT = "EAC2190055555"
DETAIL = (
    "The service request was recorded. The office responsible for it will contact the customer."
)
DETAIL_ES = (
    "La solicitud de servicio quedó registrada. La oficina responsable se comunicará con el "
    "cliente."
)
FORBIDDEN = ("ESC-VAWA", "VAWA", "1367", "Vermont Service Center", "protected_1367", "links")

MakeClient = Callable[..., tuple[APIClient, User]]


def _submit(client: APIClient, **extra: Any) -> Any:
    return client.post(URL, valid_submission(receipt_number=RECEIPT), format="json", **extra)


def _answer(response: Any) -> str:
    """Everything the caller is told: headers and body."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return headers + "\n" + response.content.decode()


@pytest.mark.parametrize(
    ("cleared", "protected", "office", "reduced"),
    [
        (False, True, "ESC-VAWA", True),
        (False, False, "CSC", False),
        (True, True, "ESC-VAWA", False),
        (True, False, "CSC", False),
    ],
)
def test_the_answer_names_the_office_only_of_a_request_the_caller_may_see(
    make_client: MakeClient, cleared: bool, protected: bool, office: str, reduced: bool
) -> None:
    client, user = make_client(Role.TIER2, offices=["CC-T2"], is_1367_cleared=cleared)
    make_case(RECEIPT, office="CSC", is_protected=protected)
    before = ServiceRequest.objects.filter(office__code=office).count()

    response = _submit(client)

    assert response.status_code == 201
    assert ServiceRequest.objects.filter(office__code=office).count() == before + 1
    sr = ServiceRequest.objects.get()
    assert (sr.office.code, sr.created_by) == (office, user)
    body = response.json()
    if reduced:
        assert body == {"reference": sr.reference, "status": "received", "detail": DETAIL}
        assert ("Location" in response, "ETag" in response) == (False, False)
    else:
        assert (body["reference"], body["status"]) == (sr.reference, "received")
        assert body["office"] == {"code": office, "name": sr.office.name}
        assert body["links"]["self"] == f"/api/v1/service-requests/{sr.reference}/"
        assert response["ETag"] == f'"{sr.reference}.1"'
        assert response["Location"] == (
            f"http://testserver/api/v1/service-requests/{sr.reference}/"
        )
    assert client.get(f"{URL}{sr.reference}/").status_code == (404 if reduced else 200)


def test_the_answer_on_a_1367_case_tells_an_uncleared_caller_nothing(
    make_client: MakeClient,
) -> None:
    client, _user = make_client(Role.TIER1)
    make_case(RECEIPT, office="CSC", is_protected=True)
    before = ServiceRequest.objects.filter(office__code="ESC-VAWA").count()

    response = _submit(client)

    assert response.status_code == 201
    assert ServiceRequest.objects.filter(office__code="ESC-VAWA").count() == before + 1
    sr = ServiceRequest.objects.get()
    assert (sr.office.code, sr.routing_rule.code) == ("ESC-VAWA", "protected_1367")
    assert response.json() == {"reference": sr.reference, "status": "received", "detail": DETAIL}
    answer = _answer(response)
    for secret in FORBIDDEN:
        assert secret not in answer


def test_the_answer_on_a_1367_case_in_spanish(make_client: MakeClient) -> None:
    client, _user = make_client(Role.TIER1)
    make_case(RECEIPT, office="CSC", is_protected=True)

    response = _submit(client, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 201
    sr = ServiceRequest.objects.get()
    assert response.json() == {
        "reference": sr.reference,
        "status": "received",
        "detail": DETAIL_ES,
    }


def test_a_replay_on_a_1367_case_gives_the_same_reduced_answer(make_client: MakeClient) -> None:
    client, _user = make_client(Role.TIER2, offices=["CC-T2"])
    make_case(RECEIPT, office="CSC", is_protected=True)
    first = _submit(client, HTTP_IDEMPOTENCY_KEY="k-1367")
    sr = ServiceRequest.objects.get()
    vawa = make_user(role=Role.OFFICE_STAFF, offices=["ESC-VAWA"], is_1367_cleared=True)
    services.add_response(sr, actor=vawa, kind="initial", body="We are looking into it.")
    before = row_counts()

    again = _submit(client, HTTP_IDEMPOTENCY_KEY="k-1367")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content  # not the status it has since reached
    assert again.json() == {"reference": sr.reference, "status": "received", "detail": DETAIL}
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert ("Location" in again, "ETag" in again) == (False, False)
    assert row_counts() == before
    assert ServiceRequest.objects.get().status == "responded"
    for secret in FORBIDDEN:
        assert secret not in _answer(again)


def test_a_replay_by_a_cleared_caller_gives_the_whole_request(make_client: MakeClient) -> None:
    client, _user = make_client(Role.TIER2, offices=["CC-T2"], is_1367_cleared=True)
    make_case(RECEIPT, office="CSC", is_protected=True)
    first = _submit(client, HTTP_IDEMPOTENCY_KEY="k-1367")
    before = row_counts()

    again = _submit(client, HTTP_IDEMPOTENCY_KEY="k-1367")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.json()["office"]["code"] == "ESC-VAWA"
    assert (again["ETag"], again["Location"]) == (first["ETag"], first["Location"])
    assert again["Idempotent-Replayed"] == "true"
    assert row_counts() == before
