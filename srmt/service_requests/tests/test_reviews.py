"""Mandatory supervisory review (ADR 35): a held response reaches the customer by no path
until a supervisor other than its author approves it; approve, approve with edits, return
and resubmit; every refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.notifications import delivery
from srmt.notifications import services as outbox
from srmt.notifications.models import Notification
from srmt.reviews.defaults import load_default_rules
from srmt.reviews.errors import (
    AlreadyDecided,
    BodyUnchanged,
    CommentRequired,
    InvalidDecision,
    NotAuthor,
    NotReturned,
    OwnResponse,
    ResponseInReview,
)
from srmt.reviews.models import ResponseReview, ReviewDecision, ReviewRevision, ReviewRule
from srmt.service_requests import expedites, services
from srmt.service_requests.models import Response, ServiceRequest
from srmt.service_requests.policies import PermissionDenied
from srmt.service_requests.services import reviews
from srmt.surveys import services as surveys
from srmt.testing.factories import make_case, make_service_request, make_user
from srmt.workspace.models import StaffNotification

pytestmark = pytest.mark.usefixtures("reference")

CUSTOMER = "ana@example.com"
HOLD_ALL = "srmt.notifications.delivery.HoldAll"


@pytest.fixture(autouse=True)
def _rules(reference: None) -> None:
    """The default rules, the random share aside (references are random: a test would be
    held one time in twenty); the random rule has its own test."""
    load_default_rules()
    ReviewRule.objects.filter(code="random").update(share=Decimal(0))


@pytest.fixture
def people() -> dict[str, User]:
    today = timezone.localdate()
    return {
        "tier1": make_user("tina", role=Role.TIER1, offices=["CC-T1"]),
        "tier2": make_user("tom", role=Role.TIER2, offices=["CC-T2"]),
        # office staff of ESC (where the factory's cases are), on probation: reviewed
        "novice": make_user(
            "nora",
            role=Role.OFFICE_STAFF,
            offices=["ESC"],
            probation_until=today + dt.timedelta(days=30),
        ),
        "officer": make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"]),
        "sam": make_user("sam", role=Role.SUPERVISOR, offices=["ESC"]),
        "sue": make_user("sue", role=Role.SUPERVISOR, offices=["ESC"]),
        "admin": make_user("ada", role=Role.ADMINISTRATOR),
    }


def _customer_mail() -> list[Any]:
    return [m for m in mail.outbox if m.to == [CUSTOMER]]


def _request(people: dict[str, User], **kwargs: Any) -> ServiceRequest:
    return make_service_request(actor=people["tier1"], **kwargs)


def _held(people: dict[str, User], capture: Callable[..., Any], **kwargs: Any) -> ResponseReview:
    """A response by the novice on probation, held for review."""
    kind = kwargs.pop("kind", "initial")
    sr = _request(people, **kwargs)
    mail.outbox.clear()
    with capture(execute=True):
        response = services.add_response(sr, actor=people["novice"], kind=kind, body="First text.")
    return ResponseReview.objects.get(response=response)


def _state(review: ResponseReview) -> tuple[Any, ...]:
    """Everything a decision could change."""
    review.refresh_from_db()
    response = review.response
    response.refresh_from_db()
    sr = ServiceRequest.objects.get(pk=response.service_request_id)
    notification = Notification.objects.get(pk=response.notification_id)
    return (
        review.status,
        review.decided_by_id,
        review.comment,
        response.body,
        sr.status,
        sr.version,
        sr.first_responded_at,
        notification.status,
        notification.body,
        ReviewRevision.objects.count(),
        ReviewDecision.objects.count(),
        AuditEvent.objects.count(),
        len(mail.outbox),
    )


def test_a_held_response_reaches_the_customer_by_no_path(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    # given a response by a member of staff on probation
    review = _held(people, django_capture_on_commit_callbacks)
    response = review.response
    sr = response.service_request
    before_due = (sr.due_at, sr.first_response_due_at)
    # then it is held, in review, and the request has not moved
    notification = Notification.objects.get(pk=response.notification_id)
    assert (notification.status, notification.hold_demanded) == ("held", True)
    assert notification.hold_reason == "Held for supervisory review: Author in a probation period"
    assert (review.status, review.rule.code, review.office.code) == ("pending", "probation", "ESC")
    sr.refresh_from_db()
    assert (sr.status, sr.first_responded_at, sr.paused_at) == ("received", None, None)
    assert (sr.due_at, sr.first_response_due_at) == before_due  # the deadline keeps running
    assert list(review.revisions.values_list("number", "kind", "body", "author__username")) == [
        (1, "submitted", "First text.", "nora")
    ]
    held = AuditEvent.objects.get(action="response.held_for_review", object_id=sr.reference)
    assert held.changes["rule"] == "probation"
    assert not AuditEvent.objects.filter(action="service_request.responded").exists()
    # when the sweep runs for weeks, and an operator releases every held message
    for days in (1, 30):
        with (
            time_machine.travel(timezone.now() + dt.timedelta(days=days), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("sweep", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_held", "--all", stdout=StringIO())
        assert delivery.release([notification.pk], actor=people["admin"]) == []
        # a worker handed its id is told there is nothing to send
        assert outbox.deliver(notification.pk) == "skipped"
    # then nothing reached the customer
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.sent_at) == ("held", 0, None)
    # (the request's acknowledgement, which no task had sent, the sweep did deliver)
    assert [m.subject for m in _customer_mail()] == [f"Recibimos su solicitud {sr.reference}"]


def test_approval_releases_the_message_and_moves_the_request(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    review = _held(people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        decided = reviews.decide(review, actor=people["sam"], decision="approve")
    assert (decided.status, decided.decided_by, decided.comment) == ("approved", people["sam"], "")
    sr = ServiceRequest.objects.get(pk=review.response.service_request_id)
    assert sr.status == "responded"
    assert sr.first_responded_at == decided.decided_at
    [sent] = _customer_mail()
    assert sent.subject == f"Su solicitud de servicio {sr.reference}"  # the requester's language
    assert "First text." in _customer_mail()[0].body
    decision = ReviewDecision.objects.get(review=review)
    assert (decision.verdict, decision.pending_since) == ("approved", review.pending_since)
    actions = list(
        AuditEvent.objects.filter(object_id=sr.reference)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["service_request.responded", "response_review.approved"]
    responded = AuditEvent.objects.get(action="service_request.responded")
    assert responded.changes["status"] == ["received", "responded"]
    assert responded.changes["author"] == "nora"


def test_a_final_response_closes_the_request_only_when_approved(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    review = _held(people, django_capture_on_commit_callbacks, kind="final")
    sr = review.response.service_request
    sr.refresh_from_db()
    assert (sr.status, sr.closed_at) == ("received", None)
    reviews.decide(review, actor=people["sue"], decision="approve")
    sr.refresh_from_db()
    assert sr.status == "closed"
    assert sr.closed_at is not None


def test_approval_with_edits_keeps_both_texts_and_sends_the_edited_one(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    review = _held(people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        reviews.decide(
            review, actor=people["sam"], decision="approve", body="Edited text.", comment="Tone."
        )
    review.refresh_from_db()
    assert (review.status, review.comment) == ("approved", "Tone.")
    assert list(review.revisions.values_list("number", "kind", "body", "author__username")) == [
        (1, "submitted", "First text.", "nora"),
        (2, "edited", "Edited text.", "sam"),
    ]
    assert review.response.body == "Edited text."
    [sent] = _customer_mail()
    assert "Edited text." in sent.body
    assert "First text." not in sent.body
    assert ReviewDecision.objects.get(review=review).verdict == "approved_with_edits"
    assert AuditEvent.objects.filter(action="notification.body_replaced").count() == 1


def test_return_then_resubmit_then_approve(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    review = _held(people, django_capture_on_commit_callbacks)
    # returned with a comment: back to its author, who is told; the message stays held
    with django_capture_on_commit_callbacks(execute=True):
        reviews.decide(review, actor=people["sam"], decision="return", comment="Name the form.")
    review.refresh_from_db()
    assert (review.status, review.comment, review.decided_by) == (
        "returned",
        "Name the form.",
        people["sam"],
    )
    told = StaffNotification.objects.get(recipient=people["novice"])
    assert (told.kind, told.reference) == ("returned", review.response.service_request.reference)
    assert list(reviews.returned_to(people["novice"])) == [review]
    assert Notification.objects.get(pk=review.response.notification_id).status == "held"
    # resubmitted with a revision: pending again, the held message carries the new text
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        reviews.resubmit(review, actor=people["novice"], body="Send Form I-693 by May 1.")
    review.refresh_from_db()
    assert review.status == "pending"
    assert review.pending_since > review.submitted_at
    notification = Notification.objects.get(pk=review.response.notification_id)
    assert notification.status == "held"
    assert "Send Form I-693 by May 1." in notification.body
    assert [r.kind for r in reviews.revisions_of(review)] == ["submitted", "resubmitted"]
    assert list(reviews.returned_to(people["novice"])) == []
    # approved by the other supervisor: the revision is what the customer gets
    with django_capture_on_commit_callbacks(execute=True):
        reviews.decide(review, actor=people["sue"], decision="approve")
    [sent] = _customer_mail()
    assert "Send Form I-693 by May 1." in sent.body
    assert [d.verdict for d in reviews.decisions_of(review)] == ["returned", "approved"]


@pytest.mark.parametrize(
    ("who", "kwargs", "error"),
    [
        ("sam", {"decision": "return"}, CommentRequired),
        ("sam", {"decision": "return", "comment": "  "}, CommentRequired),
        ("sam", {"decision": "return", "comment": "x" * 4001}, CommentRequired),
        ("sam", {"decision": "reject", "comment": "No."}, InvalidDecision),
        ("sam", {"decision": "approve", "body": "First text."}, BodyUnchanged),
        ("tier2", {"decision": "approve"}, PermissionDenied),
        ("officer", {"decision": "approve"}, PermissionDenied),
        ("novice", {"decision": "approve"}, PermissionDenied),  # no capability, own response
    ],
)
def test_refused_decisions_change_nothing(
    people: dict[str, User],
    django_capture_on_commit_callbacks: Any,
    who: str,
    kwargs: dict[str, str],
    error: type[Exception],
) -> None:
    review = _held(people, django_capture_on_commit_callbacks)
    before = _state(review)
    with pytest.raises(error):
        reviews.decide(review, actor=people[who], **kwargs)
    assert _state(review) == before


def test_nobody_decides_on_their_own_response(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    # a supervisor answers a complaint: held (every complaint response is)
    sr = _request(people, type="complaint")
    response = services.add_response(sr, actor=people["sam"], kind="initial", body="Sorry.")
    review = ResponseReview.objects.get(response=response)
    assert review.rule.code == "complaint"
    before = _state(review)
    for decision in ("approve", "return"):
        with pytest.raises(OwnResponse) as refused:
            reviews.decide(review, actor=people["sam"], decision=decision, comment="Mine.")
        assert (refused.value.code, refused.value.http_status) == ("own_response", 403)
    assert _state(review) == before
    assert not reviews.can_decide(people["sam"], review)
    assert reviews.can_decide(people["sue"], review)
    assert list(reviews.decidable(people["sam"])) == []
    assert list(reviews.decidable(people["sue"])) == [review]


def test_deciding_a_decided_review_is_a_conflict(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    review = _held(people, django_capture_on_commit_callbacks)
    reviews.decide(review, actor=people["sam"], decision="approve")
    before = _state(review)
    for actor, decision in (("sam", "approve"), ("sue", "return"), ("sue", "approve")):
        with pytest.raises(AlreadyDecided) as refused:
            reviews.decide(review, actor=people[actor], decision=decision, comment="Again.")
        assert (refused.value.code, refused.value.http_status) == ("already_decided", 409)
    assert _state(review) == before


def test_only_the_author_resubmits_and_only_a_returned_response(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    review = _held(people, django_capture_on_commit_callbacks)
    before = _state(review)
    with pytest.raises(NotReturned):
        reviews.resubmit(review, actor=people["novice"], body="New.")
    assert _state(review) == before
    reviews.decide(review, actor=people["sam"], decision="return", comment="Fix it.")
    before = _state(review)
    for who, body, error in (
        ("officer", "New.", NotAuthor),
        ("sam", "New.", NotAuthor),
        ("novice", "First text.", BodyUnchanged),
    ):
        with pytest.raises(error):
            reviews.resubmit(review, actor=people[who], body=body)
    assert _state(review) == before


def test_a_request_with_a_response_in_review_takes_no_other_response(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    review = _held(people, django_capture_on_commit_callbacks)
    sr = review.response.service_request
    for status in ("pending", "returned"):
        if status == "returned":
            reviews.decide(review, actor=people["sam"], decision="return", comment="Fix it.")
        with pytest.raises(ResponseInReview):
            services.add_response(sr, actor=people["officer"], kind="initial", body="Other.")
        assert sr.responses.count() == 1


def test_an_operator_hold_outlasts_the_approval(
    people: dict[str, User], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With every customer message held by the release policy (HoldAll), an approved
    response waits for the operator's release like any other."""
    settings.SRMT_RELEASE_POLICY = HOLD_ALL
    review = _held(people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        reviews.decide(review, actor=people["sam"], decision="approve")
    notification = Notification.objects.get(pk=review.response.notification_id)
    assert (notification.status, notification.hold_demanded) == ("held", False)
    assert _customer_mail() == []
    settings.SRMT_RELEASE_POLICY = "srmt.notifications.delivery.ReleaseNow"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_held", "--all", stdout=StringIO())
    assert [m for m in _customer_mail() if "First text." in m.body] != []


def test_an_expedite_denial_is_held_and_the_request_stays_open(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    sr = _request(people, type="expedite_request", receipt_number=make_case().receipt_number)
    expedites.decide_expedite(sr, actor=people["officer"], approved=False, reason="No proof.")
    review = ResponseReview.objects.get(response__service_request=sr)
    assert (review.rule.code, review.response.kind) == ("expedite_denial", "final")
    sr.refresh_from_db()
    assert sr.is_open
    # an approval is not reviewed (unless another rule holds it)
    other = _request(people, type="expedite_request", receipt_number=make_case().receipt_number)
    expedites.decide_expedite(other, actor=people["officer"], approved=True)
    other.refresh_from_db()
    assert other.status == "closed"


def test_a_1367_response_is_reviewed_by_cleared_supervisors_only(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    cleared_officer = make_user(
        "vera", role=Role.OFFICE_STAFF, offices=["ESC", "ESC-VAWA"], is_1367_cleared=True
    )
    cleared = make_user("cleo", role=Role.SUPERVISOR, is_1367_cleared=True)
    case = make_case(is_protected=True)
    sr = _request(people, receipt_number=case.receipt_number)
    sr = ServiceRequest.objects.get(pk=sr.pk)
    response = services.add_response(sr, actor=cleared_officer, kind="initial", body="Noted.")
    review = ResponseReview.objects.get(response=response)
    assert review.rule.code == "protected_case"
    assert Notification.objects.get(pk=response.notification_id).is_confidential
    # an uncleared supervisor neither sees it nor decides it
    assert list(reviews.decidable(people["sam"])) == []
    with pytest.raises(Http404):
        reviews.get_review_for_user(people["sam"], review.pk)
    before = _state(review)
    with pytest.raises(PermissionDenied):
        reviews.decide(review, actor=people["sam"], decision="approve")
    assert _state(review) == before
    assert list(reviews.decidable(cleared)) == [review]
    reviews.decide(review, actor=cleared, decision="approve")


def test_a_response_no_rule_holds_leaves_at_once(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    sr = _request(people)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = services.add_response(sr, actor=people["officer"], kind="initial", body="Hi.")
    assert not ResponseReview.objects.filter(response=response).exists()
    assert len(_customer_mail()) == 1
    sr.refresh_from_db()
    assert sr.status == "responded"


def test_the_random_rule_draws_from_the_responses_stable_id(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    ReviewRule.objects.filter(code="random").update(share=Decimal(1))
    sr = _request(people)
    draft = Response(service_request=sr, kind="initial", author=people["officer"], body="x")
    facts = reviews.facts_of(draft)
    assert facts.stable_id == f"{sr.reference}#1"
    response = services.add_response(sr, actor=people["officer"], kind="initial", body="Hi.")
    assert ResponseReview.objects.get(response=response).rule.code == "random"
    reviews.decide(
        ResponseReview.objects.get(response=response), actor=people["sam"], decision="approve"
    )
    follow_up = Response(service_request=sr, kind="follow_up", author=people["officer"], body="y")
    assert reviews.facts_of(follow_up).stable_id == f"{sr.reference}#2"


def test_the_facts_of_a_response(people: dict[str, User]) -> None:
    """What the flow tells the rules: which repeat on the case, probation, a form-letter
    override, a complaint, a 1367 case."""
    receipt = make_case().receipt_number
    first = _request(people, receipt_number=receipt)
    repeats = [_request(people, receipt_number=receipt) for _n in range(3)]
    for sr in repeats:
        ServiceRequest.objects.filter(pk=sr.pk).update(repeat_of=first)
        sr.refresh_from_db()

    def facts(sr: ServiceRequest, author: User, **fields: Any) -> Any:
        return reviews.facts_of(
            Response(service_request=sr, kind="initial", author=author, body="x", **fields)
        )

    officer = people["officer"]
    assert [facts(sr, officer).repeat_number for sr in [first, *repeats]] == [0, 1, 2, 3]
    assert facts(first, officer).author_on_probation is False
    assert facts(first, people["novice"]).author_on_probation is True
    assert facts(first, officer, form_letter=True).form_letter_override is True
    assert facts(first, officer, form_letter=False).form_letter_override is False
    assert facts(first, officer, form_letter_override_reason="New facts.").form_letter_override
    assert facts(first, officer).request_type == "general_case_inquiry"
    assert facts(first, officer).protected_case is False
    # the rule each fact brings
    assert (
        reviews.rule_for(
            Response(service_request=repeats[0], kind="initial", author=officer, body="x")
        )
        is None
    )
    second = reviews.rule_for(
        Response(service_request=repeats[1], kind="initial", author=officer, body="x")
    )
    assert second is not None
    assert second.code == "repeat"
    override = reviews.rule_for(
        Response(service_request=first, kind="initial", author=officer, body="x", form_letter=True)
    )
    assert override is not None
    assert override.code == "form_letter"


def test_an_edited_final_response_keeps_its_survey_link(
    people: dict[str, User], django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SRMT_SURVEY_BASE_URL = "https://survey.example"
    review = _held(people, django_capture_on_commit_callbacks, kind="final")
    [survey] = review.response.service_request.surveys.all()
    link = f"https://survey.example/survey/{surveys.token_for(survey)}/"
    with django_capture_on_commit_callbacks(execute=True):
        reviews.decide(review, actor=people["sam"], decision="approve", body="Edited text.")
    [sent] = _customer_mail()
    assert "Edited text." in sent.body
    assert sent.body.count(link) == 1
