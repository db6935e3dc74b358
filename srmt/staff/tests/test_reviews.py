"""The supervisory review pages (ADR 35): the queue, the review page, approve / approve with
edits / return / resubmit, the request page's note, "Returned to me" on the home page, and
the permission matrix over every kind of actor, with nothing changed on refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.notifications.models import Notification
from srmt.reviews.defaults import load_default_rules
from srmt.reviews.models import ResponseReview, ReviewDecision, ReviewRevision, ReviewRule
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.staff.tests.conftest import StaffClient
from srmt.testing.factories import make_customer, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("reference")

ROLES = [
    Role.TIER1,
    Role.TIER2,
    Role.OFFICE_STAFF,
    Role.SUPERVISOR,
    Role.QA_REVIEWER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
    Role.CASE_SYSTEM,
]


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
        first_name="Nora",
        last_name="Novak",
        probation_until=timezone.localdate() + dt.timedelta(days=10),
    )


@pytest.fixture
def review(novice: User) -> ResponseReview:
    sr = make_service_request()
    response = services.add_response(sr, actor=novice, kind="initial", body="First text.")
    return ResponseReview.objects.get(response=response)


def _state(review: ResponseReview) -> tuple[Any, ...]:
    review.refresh_from_db()
    response = review.response
    response.refresh_from_db()
    sr = ServiceRequest.objects.get(pk=response.service_request_id)
    return (
        review.status,
        response.body,
        sr.status,
        sr.version,
        Notification.objects.get(pk=response.notification_id).status,
        ReviewRevision.objects.count(),
        ReviewDecision.objects.count(),
        AuditEvent.objects.exclude(action__in=["service_request.viewed"]).count(),
    )


def _user(role: str) -> User:
    return make_user(f"u-{role}", role=role, offices=["ESC"])


@pytest.mark.parametrize(
    ("role", "status"),
    [(r, 200 if r in {Role.SUPERVISOR, Role.ADMINISTRATOR} else 403) for r in ROLES],
)
def test_who_sees_the_review_queue(review: ResponseReview, role: str, status: int) -> None:
    answer = StaffClient(_user(role)).get("/staff/reviews/")
    assert answer.status_code == status
    if status == 200:
        page = answer.content.decode()
        assert review.response.service_request.reference in page
        assert "Author in a probation period" in page
        assert "Nora Novak" in page
        assert "due in" in page  # the countdown


def test_outsiders_never_see_the_review_pages(review: ResponseReview) -> None:
    anonymous = Client().get("/staff/reviews/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/staff/login/")
    customer = Client()
    customer.force_login(make_customer("carla"))
    assert customer.get("/staff/reviews/").status_code in {302, 403}
    assert customer.get(f"/staff/reviews/{review.pk}/").status_code in {302, 403}


@pytest.mark.parametrize(
    ("role", "status", "decides"),
    [
        (Role.TIER1, 200, False),
        (Role.TIER2, 200, False),
        (Role.OFFICE_STAFF, 200, False),
        (Role.SUPERVISOR, 200, True),
        (Role.QA_REVIEWER, 200, False),
        (Role.ANALYST, 404, False),
        (Role.ADMINISTRATOR, 200, True),
        (Role.CASE_SYSTEM, 404, False),
    ],
)
def test_who_sees_and_decides_a_review(
    review: ResponseReview, role: str, status: int, decides: bool
) -> None:
    user = _user(role)
    client = StaffClient(user)
    answer = client.get(f"/staff/reviews/{review.pk}/")
    assert answer.status_code == status
    if status == 200:
        assert ("Approve and send" in answer.content.decode()) is decides
    before = _state(review)
    approved = client.post(f"/staff/reviews/{review.pk}/approve/", {"body": "First text."})
    if decides:
        assert approved.status_code == 302
        assert _state(review)[0] == "approved"
    else:
        assert approved.status_code in {403, 404}
        assert _state(review) == before


def test_the_author_may_not_decide_and_is_told_why() -> None:
    sam = make_user("sam", role=Role.SUPERVISOR, offices=["ESC"])
    sr = make_service_request(type="complaint")
    response = services.add_response(sr, actor=sam, kind="initial", body="Sorry.")
    review = ResponseReview.objects.get(response=response)
    client = StaffClient(sam)
    page = client.get(f"/staff/reviews/{review.pk}/").content.decode()
    assert "You wrote this response: another supervisor decides on it." in page
    assert "Approve and send" not in page
    assert sr.reference not in client.get("/staff/reviews/").content.decode()
    before = _state(review)
    assert (
        client.post(f"/staff/reviews/{review.pk}/approve/", {"body": "Sorry."}).status_code == 403
    )
    assert client.post(f"/staff/reviews/{review.pk}/return/", {"comment": "x"}).status_code == 403
    assert _state(review) == before


def test_approve_with_edits_shows_the_diff(review: ResponseReview) -> None:
    client = StaffClient(make_user("sam", role=Role.SUPERVISOR, offices=["ESC"]))
    answer = client.post(
        f"/staff/reviews/{review.pk}/approve/",
        {"body": "First text, with the form.", "comment": ""},
    )
    assert answer.status_code == 302
    review.refresh_from_db()
    assert [d.verdict for d in review.decisions.all()] == ["approved_with_edits"]
    page = client.get(f"/staff/reviews/{review.pk}/").content.decode()
    assert "<ins>" in page
    assert "with the form." in page
    assert "Revision 2: Edited by the reviewer" in page


def test_return_needs_a_comment_then_the_author_resubmits_from_the_request_page(
    review: ResponseReview, novice: User
) -> None:
    sam = StaffClient(make_user("sam", role=Role.SUPERVISOR, offices=["ESC"]))
    before = _state(review)
    refused = sam.post(f"/staff/reviews/{review.pk}/return/", {"comment": ""})
    assert refused.status_code == 400
    assert _state(review) == before
    assert (
        sam.post(f"/staff/reviews/{review.pk}/return/", {"comment": "Name the form."}).status_code
        == 302
    )
    sr = review.response.service_request
    author = StaffClient(novice)
    # the author finds it on the home page ("Returned to me") and on the request page
    home = author.get("/staff/").content.decode()
    assert sr.reference in home
    page = author.get(f"/staff/requests/{sr.reference}/").content.decode()
    assert "A response was returned to its author" in page
    assert "Returned with this comment: Name the form." in page
    assert "Resubmit for review" in page
    # someone else may not resubmit
    before = _state(review)
    assert sam.post(f"/staff/reviews/{review.pk}/resubmit/", {"body": "Mine."}).status_code == 403
    assert _state(review) == before
    done = author.post(f"/staff/reviews/{review.pk}/resubmit/", {"body": "Send Form I-693."})
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == "pending"
    page = author.get(f"/staff/requests/{sr.reference}/").content.decode()
    assert "A response is waiting for supervisory review" in page


def test_the_queue_flags_requests_that_go_late_in_review(review: ResponseReview) -> None:
    sr = review.response.service_request
    ServiceRequest.objects.filter(pk=sr.pk).update(due_at=timezone.now() + dt.timedelta(hours=3))
    page = (
        StaffClient(make_user("sam", role=Role.SUPERVISOR)).get("/staff/reviews/").content.decode()
    )
    assert "Late because of review" in page


def test_the_queue_summarises_the_decisions(review: ResponseReview) -> None:
    client = StaffClient(make_user("sam", role=Role.SUPERVISOR, offices=["ESC"]))
    client.post(f"/staff/reviews/{review.pk}/approve/", {"body": "First text."})
    page = client.get("/staff/reviews/").content.decode()
    assert "Turnaround, median" in page
    assert "100%" in page
    assert "No response is waiting for your review." in page


def test_the_pages_speak_spanish(review: ResponseReview) -> None:
    client = StaffClient(make_user("sam", role=Role.SUPERVISOR, offices=["ESC"]))
    page = client.get("/staff/reviews/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Respuestas en espera de revisión" in page
    assert "Autor en período de prueba" in page


def test_the_respond_panel_says_a_held_response_waits_for_review(novice: User) -> None:
    from srmt.staff.tests.conftest import client_for

    sr = make_service_request()
    client = client_for(novice)
    answer = client.post(
        f"/staff/requests/{sr.reference}/respond/",
        {
            "kind": "initial",
            "body": "We transferred your file to the Omaha Field Office on 30 November 2026.",
        },
        follow=True,
    )
    page = answer.content.decode()
    assert "Response saved. It waits for a supervisor&#x27;s review to be sent." in page
    assert "Response sent." not in page
    assert ResponseReview.objects.get(response__service_request=sr).status == "pending"
