"""GET /api/v1/service-requests/: visibility, filters, cursor pagination, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.api.pagination import ServiceRequestCursorPagination
from srmt.api.tests.conftest import client_for, row_counts
from srmt.audit.models import AuditEvent
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.testing.factories import make_case, make_service_request, make_user

URL = "/api/v1/service-requests/"


def refs(response) -> list[str]:
    return [row["reference"] for row in response.json()["results"]]


def make_nsc_request(receipt_number: str = "LIN2190000000") -> ServiceRequest:
    case = make_case(receipt_number, office="NSC")
    return make_service_request(receipt_number=case.receipt_number)


def test_lists_newest_first_and_audits_the_references_shown(tier2):
    client, user = tier2
    older = make_service_request()
    newer = make_service_request(type="complaint")

    response = client.get(URL)

    assert response.status_code == 200
    assert refs(response) == [newer.reference, older.reference]
    row = response.json()["results"][0]
    assert row["type"] == "complaint"
    assert row["office"] == {"code": "ESC", "name": newer.office.name}
    assert response.json()["next"] is None
    event = AuditEvent.objects.get(action="service_request.listed")
    assert (event.actor, event.changes) == (user, {"ids": [newer.reference, older.reference]})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=withdrawn", ["withdrawn"]),
        ("type=complaint", ["complaint"]),
        ("office=NSC", ["nsc"]),
        ("channel=email", ["email"]),
        ("receipt_number=lin-219-000-0000", ["nsc"]),
        ("overdue=true", ["overdue"]),
        ("overdue=false", ["withdrawn", "complaint", "nsc", "email", "plain"]),
        ("created_after=2026-01-10", ["withdrawn", "complaint", "nsc", "email", "overdue"]),
        ("created_before=2026-01-10T00:00:00%2B00:00", ["plain"]),
        ("type=complaint&office=ESC", ["complaint"]),
        ("type=complaint&office=NSC", []),
    ],
)
def test_filters(tier2, query, expected):
    client, _user = tier2
    made = {
        "plain": make_service_request(),
        "overdue": make_service_request(),
        "email": make_service_request(channel="email"),
        "nsc": make_nsc_request(),
        "complaint": make_service_request(type="complaint"),
        "withdrawn": make_service_request(),
    }
    admin = made["plain"].created_by
    services.transition_request(made["withdrawn"], actor=admin, to="withdrawn", reason="Asked")
    ServiceRequest.objects.filter(pk=made["overdue"].pk).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    ServiceRequest.objects.filter(pk=made["plain"].pk).update(
        created_at=dt.datetime(2026, 1, 9, 12, tzinfo=dt.UTC)
    )
    for minute, name in enumerate(["overdue", "email", "nsc", "complaint", "withdrawn"]):
        ServiceRequest.objects.filter(pk=made[name].pk).update(
            created_at=dt.datetime(2026, 1, 10, 12, minute, tzinfo=dt.UTC)
        )

    response = client.get(f"{URL}?{query}")

    assert response.status_code == 200
    assert refs(response) == [made[name].reference for name in expected]


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("status=lost", "invalid_choice", "status"),
        ("channel=pigeon", "invalid_choice", "channel"),
        ("receipt_number=EAC12", "invalid_receipt_number", "receipt_number"),
        ("overdue=maybe", "invalid", "overdue"),
        ("created_after=yesterday", "invalid", "created_after"),
        ("created_before=2026-13-01", "invalid", "created_before"),
    ],
)
def test_invalid_filters_are_400(tier2, query, code, field):
    client, _user = tier2
    make_service_request()
    before = row_counts()

    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert row_counts() == before


def test_cursor_pagination_walks_every_request_once(tier2):
    client, _user = tier2
    made = [make_service_request() for _ in range(5)]

    seen: list[str] = []
    url = f"{URL}?page_size=2"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [row["reference"] for row in body["results"]]
        url = body["next"]
        pages += 1

    assert pages == 3
    assert seen == [sr.reference for sr in reversed(made)]


def test_the_default_page_is_50_and_page_size_goes_up_to_the_maximum(tier2, monkeypatch):
    client, _user = tier2
    monkeypatch.setattr(ServiceRequestCursorPagination, "max_page_size", 2)
    for _ in range(3):
        make_service_request()

    at_most = client.get(f"{URL}?page_size=2")
    over = client.get(f"{URL}?page_size=3")

    assert ServiceRequestCursorPagination.page_size == 50
    assert ServiceRequestCursorPagination().max_page_size == 2
    assert len(at_most.json()["results"]) == 2
    assert (over.status_code, over.json()["code"]) == (400, "invalid_page_size")


@pytest.mark.parametrize("page_size", ["0", "-1", "abc", "201", "1.5", " 5", "5_0", "", "1e2"])
def test_a_page_size_that_is_not_1_to_200_is_refused(tier2, page_size):
    client, _user = tier2
    make_service_request()

    response = client.get(URL, {"page_size": page_size})

    assert (response.status_code, response.json()["code"]) == (400, "invalid_page_size")
    assert response.json()["errors"] == [
        {
            "field": "page_size",
            "code": "invalid_page_size",
            "detail": "page_size must be a whole number from 1 to 200.",
        }
    ]
    assert not AuditEvent.objects.filter(action="service_request.listed").exists()


@pytest.mark.parametrize("page_size", ["1", "200"])
def test_page_sizes_1_and_200_are_accepted(tier2, page_size):
    client, _user = tier2
    make_service_request()

    assert client.get(URL, {"page_size": page_size}).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_the_number_of_queries_does_not_grow_with_the_page(
    make_client, django_assert_num_queries, count
):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    for _ in range(count):
        make_service_request()

    # the user's offices, the page, the audit row
    with django_assert_num_queries(3):
        response = client.get(URL)

    assert len(response.json()["results"]) == count


def test_office_staff_see_only_their_offices(make_client):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["NSC"])
    make_service_request()
    nsc = make_nsc_request()

    response = client.get(URL)

    assert refs(response) == [nsc.reference]


def test_protected_cases_need_clearance(make_client):
    protected = make_service_request(receipt_number=make_case(is_protected=True).receipt_number)
    plain = make_service_request()
    uncleared, _user = make_client(Role.SUPERVISOR)
    cleared, _user = make_client(Role.SUPERVISOR, is_1367_cleared=True)

    assert refs(uncleared.get(URL)) == [plain.reference]
    assert refs(cleared.get(URL)) == [plain.reference, protected.reference]


def test_qa_reviewers_see_every_office(make_client):
    client, _user = make_client(Role.QA_REVIEWER)
    esc = make_service_request()
    nsc = make_nsc_request()

    assert refs(client.get(URL)) == [nsc.reference, esc.reference]


def test_analysts_may_not_list_requests(make_client):
    client, _user = make_client(Role.ANALYST)
    make_service_request()
    before = row_counts()

    response = client.get(URL)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert row_counts() == before


def test_an_empty_list_writes_no_audit_row(tier2):
    client, _user = tier2
    before = row_counts()

    response = client.get(URL)

    assert response.json()["results"] == []
    assert row_counts() == before


def test_unauthenticated_list_is_401(reference):
    response = client_for(None).get(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_session_authentication_works(reference):
    user = make_user(role=Role.TIER2)
    client = APIClient()
    client.force_login(user)

    response = client.get(URL)

    assert (response.status_code, response.json()["results"]) == (200, [])
