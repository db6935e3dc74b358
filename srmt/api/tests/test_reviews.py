"""/api/v1/reviews/ and the review on every response (ADR 35): who may list and decide,
the stable codes of refusals, and nothing changed on refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import client_for, row_counts
from srmt.reviews.defaults import load_default_rules
from srmt.reviews.models import ResponseReview, ReviewDecision, ReviewRevision, ReviewRule
from srmt.service_requests import services
from srmt.testing.factories import make_case, make_customer, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("reference")


@pytest.fixture(autouse=True)
def _rules(reference: None) -> None:
    load_default_rules()
    ReviewRule.objects.filter(code="random").update(share=Decimal(0))


@pytest.fixture
def novice() -> User:
    return make_user(
        "nora",
        role=Role.OFFICE_STAFF,
        offices=["ESC"],
        probation_until=timezone.localdate() + dt.timedelta(days=10),
    )


@pytest.fixture
def review(novice: User) -> ResponseReview:
    sr = make_service_request()
    response = services.add_response(sr, actor=novice, kind="initial", body="First text.")
    return ResponseReview.objects.get(response=response)


def _counts() -> dict[str, int]:
    return {
        **row_counts(),
        "ResponseReview": ResponseReview.objects.count(),
        "ReviewRevision": ReviewRevision.objects.count(),
        "ReviewDecision": ReviewDecision.objects.count(),
        "pending": ResponseReview.objects.filter(status="pending").count(),
    }


def _decide(user: User, review: ResponseReview, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1/reviews/{review.pk}/decision", body, format="json")


def test_every_response_has_an_id_and_its_review(review: ResponseReview, novice: User) -> None:
    sr = review.response.service_request
    supervisor = make_user("sam", role=Role.SUPERVISOR)
    listed = client_for(supervisor).get(f"/api/v1/service-requests/{sr.reference}/responses/")
    assert listed.status_code == 200
    [shown] = listed.json()
    assert shown["id"] == review.response_id
    assert shown["delivery_status"] == "held"
    assert shown["review"] == {
        "id": review.pk,
        "status": "pending",
        "rule": "probation",
        "decided_by": None,
        "decided_at": None,
        "comment": "",
    }
    detail = client_for(supervisor).get(f"/api/v1/service-requests/{sr.reference}/")
    assert detail.json()["responses"][0]["review"]["status"] == "pending"
    # a response no rule holds has review null
    other = make_service_request()
    created = client_for(supervisor).post(
        f"/api/v1/service-requests/{other.reference}/responses/",
        {"kind": "initial", "body": "Hello."},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["review"] is None
    assert isinstance(created.json()["id"], int)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.TIER1, 403),
        (Role.TIER2, 403),
        (Role.OFFICE_STAFF, 403),
        (Role.QA_REVIEWER, 403),
        (Role.ANALYST, 403),
        (Role.CASE_SYSTEM, 403),
        (Role.SUPERVISOR, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_who_may_list_reviews(review: ResponseReview, role: str, status: int) -> None:
    user = make_user(role=role, offices=["ESC"])
    before = _counts()
    answer = client_for(user).get("/api/v1/reviews/?status=pending")
    assert answer.status_code == status
    if status == 200:
        assert [r["id"] for r in answer.json()] == [review.pk]
        assert answer.json()[0]["rule_name"] == "Author in a probation period"
        assert answer.json()[0]["service_request"] == review.response.service_request.reference
    else:
        assert answer.json()["code"] == "permission_denied"
        assert _counts() == before


def test_outside_accounts_and_anonymous_callers_are_refused(review: ResponseReview) -> None:
    customer = make_customer("carla")
    before = _counts()
    assert client_for(customer).get("/api/v1/reviews/").status_code == 403
    assert client_for(None).get("/api/v1/reviews/").status_code == 401
    assert _decide(customer, review, decision="approve").status_code == 403
    assert _counts() == before


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        (Role.TIER1, 403, "permission_denied"),
        (Role.TIER2, 403, "permission_denied"),
        (Role.OFFICE_STAFF, 403, "permission_denied"),
        (Role.QA_REVIEWER, 403, "permission_denied"),
        (Role.ANALYST, 404, "not_found"),  # sees no request
        (Role.CASE_SYSTEM, 404, "not_found"),
        (Role.SUPERVISOR, 200, None),
        (Role.ADMINISTRATOR, 200, None),
    ],
)
def test_who_may_decide(review: ResponseReview, role: str, status: int, code: str | None) -> None:
    user = make_user(role=role, offices=["ESC"])
    before = _counts()
    answer = _decide(user, review, decision="approve")
    assert answer.status_code == status, answer.content
    if code is None:
        assert answer.json()["status"] == "approved"
        assert answer.json()["decided_by"] == user.username
        review.refresh_from_db()
        assert review.status == "approved"
    else:
        assert answer.json()["code"] == code
        assert _counts() == before


def test_own_response_is_403_and_changes_nothing() -> None:
    supervisor = make_user("sam", role=Role.SUPERVISOR)
    sr = make_service_request(type="complaint")
    response = services.add_response(sr, actor=supervisor, kind="initial", body="Sorry.")
    review = ResponseReview.objects.get(response=response)
    before = _counts()
    answer = _decide(supervisor, review, decision="approve")
    assert (answer.status_code, answer.json()["code"]) == (403, "own_response")
    assert _counts() == before
    # and they are not offered it
    assert client_for(supervisor).get("/api/v1/reviews/").json() == []


def test_deciding_twice_is_409_and_changes_nothing(review: ResponseReview) -> None:
    sam = make_user("sam", role=Role.SUPERVISOR)
    assert _decide(sam, review, decision="approve").status_code == 200
    before = _counts()
    answer = _decide(sam, review, decision="return", comment="Late.")
    assert (answer.status_code, answer.json()["code"]) == (409, "already_decided")
    assert _counts() == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"decision": "return"}, "comment_required"),
        ({"decision": "return", "comment": "  "}, "comment_required"),
        ({"decision": "return", "comment": "Fix.", "body": "Other text."}, "invalid_body"),
        ({"decision": "approve", "body": "First text."}, "body_unchanged"),
        ({"decision": "reject"}, "invalid_decision"),
        ({}, "required"),
        ({"decision": "approve", "reason": "x"}, "unknown_field"),
    ],
)
def test_bad_decisions_are_400_with_a_stable_code(
    review: ResponseReview, body: dict[str, str], code: str
) -> None:
    sam = make_user("sam", role=Role.SUPERVISOR)
    before = _counts()
    answer = _decide(sam, review, **body)
    assert answer.status_code == 400, answer.content
    problem = answer.json()
    codes = {problem["code"], *(e["code"] for e in problem.get("errors", []))}
    assert code in codes
    assert _counts() == before


def test_return_resubmit_and_approve_with_edits_through_the_api(
    review: ResponseReview, novice: User
) -> None:
    sam = make_user("sam", role=Role.SUPERVISOR)
    returned = _decide(sam, review, decision="return", comment="Name the form.")
    assert returned.json()["status"] == "returned"
    assert returned.json()["comment"] == "Name the form."
    # someone else may not resubmit; the author may
    before = _counts()
    refused = client_for(sam).post(
        f"/api/v1/reviews/{review.pk}/resubmit", {"body": "Other."}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_author")
    assert _counts() == before
    resubmitted = client_for(novice).post(
        f"/api/v1/reviews/{review.pk}/resubmit", {"body": "Send Form I-693."}, format="json"
    )
    assert resubmitted.status_code == 200, resubmitted.content
    assert resubmitted.json()["status"] == "pending"
    approved = _decide(sam, review, decision="approve", body="Send Form I-693 by May 1.")
    data = approved.json()
    assert data["status"] == "approved"
    assert [(r["number"], r["kind"], r["author"]) for r in data["revisions"]] == [
        (1, "submitted", "nora"),
        (2, "resubmitted", "nora"),
        (3, "edited", "sam"),
    ]
    assert [d["verdict"] for d in data["decisions"]] == ["returned", "approved_with_edits"]
    assert data["response"]["body"] == "Send Form I-693 by May 1."


def test_a_1367_review_is_hidden_from_uncleared_supervisors() -> None:
    officer = make_user(
        "vera", role=Role.OFFICE_STAFF, offices=["ESC", "ESC-VAWA"], is_1367_cleared=True
    )
    sr = make_service_request(receipt_number=make_case(is_protected=True).receipt_number)
    response = services.add_response(sr, actor=officer, kind="initial", body="Noted.")
    review = ResponseReview.objects.get(response=response)
    uncleared = make_user("sam", role=Role.SUPERVISOR)
    cleared = make_user("cleo", role=Role.SUPERVISOR, is_1367_cleared=True)
    before = _counts()
    assert client_for(uncleared).get("/api/v1/reviews/").json() == []
    assert client_for(uncleared).get(f"/api/v1/reviews/{review.pk}/").status_code == 404
    assert _decide(uncleared, review, decision="approve").status_code == 404
    assert _counts() == before
    assert [r["id"] for r in client_for(cleared).get("/api/v1/reviews/").json()] == [review.pk]
    assert _decide(cleared, review, decision="approve").status_code == 200


def test_the_status_filter_is_checked(review: ResponseReview) -> None:
    sam = make_user("sam", role=Role.SUPERVISOR)
    answer = client_for(sam).get("/api/v1/reviews/?status=lost")
    assert answer.status_code == 400
    assert client_for(sam).get("/api/v1/reviews/?status=approved").json() == []
    _decide(sam, review, decision="approve")
    assert [r["id"] for r in client_for(sam).get("/api/v1/reviews/?status=approved").json()] == [
        review.pk
    ]
