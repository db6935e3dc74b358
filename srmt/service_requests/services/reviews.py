"""Mandatory supervisory review of responses (docs/adr/0035): the flow over srmt.reviews.

add_response asks `rule_for` about every response it builds; when a rule holds it, the
message is written held (the delivery gate, at the sender's demand: no path delivers it),
`hold` opens its review, and the request does not move: it moves, as add_response would have
moved it, when a supervisor approves (`decide`), and the message is released then. A
supervisor may edit the text before approving (a new revision), or return it with a comment
to its author, who revises and resubmits it (`resubmit`). Nobody decides on their own
response. The request's deadline keeps running meanwhile.

Reads for pages and the API: `decidable`, `get_review_for_user`, `can_decide`,
`in_review_on`, `returned_to`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import ACT_SCOPE, NATIONAL, OWN_OFFICES, Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.notifications import delivery
from srmt.reviews import rules
from srmt.reviews.choices import ReviewStatus, RevisionKind, Verdict
from srmt.reviews.errors import (
    AlreadyDecided,
    BodyUnchanged,
    CommentRequired,
    InvalidDecision,
    InvalidReviewText,
    NotAuthor,
    NotReturned,
    OwnResponse,
    ResponseInReview,
)
from srmt.reviews.models import ResponseReview, ReviewDecision, ReviewRevision, ReviewRule
from srmt.service_requests import core, lifecycle, policies, reasons, workspace_hooks
from srmt.service_requests.choices import ResponseKind, Status
from srmt.service_requests.expedite_models import ExpediteStatus
from srmt.service_requests.messages import response_message
from srmt.service_requests.models import ExpediteRequest, Response, ServiceRequest
from srmt.surveys import services as surveys

APPROVE = "approve"
RETURN = "return"
DECISIONS = (APPROVE, RETURN)
IN_REVIEW = (ReviewStatus.PENDING, ReviewStatus.RETURNED)
MAX_COMMENT = 4_000


# --- holding a response (called by add_response) ------------------------------------------


def require_none_in_review(sr: ServiceRequest) -> None:
    """A request whose response is in review (pending, or returned to its author) takes no
    other response until that one is approved: the two would cross."""
    if in_review_on(sr) is not None:
        raise ResponseInReview(
            _("A response on this request is in supervisory review. It must be approved first.")
        )


def facts_of(response: Response) -> rules.ResponseFacts:
    """The facts the rules look at, for a response built and not yet saved."""
    sr = response.service_request
    today = timezone.localdate()
    number = Response.objects.filter(service_request=sr).count() + 1
    author = response.author
    return rules.ResponseFacts(
        stable_id=f"{sr.reference}#{number}",
        request_type=sr.type.code,
        expedite_denied=ExpediteRequest.objects.filter(
            service_request=sr, status=ExpediteStatus.DENIED
        ).exists(),
        protected_case=sr.is_confidential,
        repeat_number=_repeat_number(sr),
        author_on_probation=isinstance(author, User) and author.on_probation(today),
        form_letter_override=response.form_letter is True
        or bool(response.form_letter_override_reason),
        on=today,
    )


def _repeat_number(sr: ServiceRequest) -> int:
    """0 when `sr` is not a repeat; else which repeat it is on its case (its receipt
    number; without one, its thread), counting in the order they were recorded."""
    if sr.repeat_of_id is None:
        return 0
    repeats = ServiceRequest.objects.filter(repeat_of__isnull=False, pk__lte=sr.pk)
    if sr.receipt_number:
        return repeats.filter(receipt_number=sr.receipt_number).count()
    return repeats.filter(repeat_of_id=sr.repeat_of_id).count()


def rule_for(response: Response) -> ReviewRule | None:
    """The rule that holds this response (built, not yet saved), or None."""
    return rules.rule_holding(facts_of(response))


def hold_reason(rule: ReviewRule | None) -> str | None:
    """What the delivery gate records on a message the rule holds; None: not held."""
    if rule is None:
        return None
    return f"Held for supervisory review: {rule.name_en}"[:200]


def hold(response: Response, rule: ReviewRule, *, actor: User) -> ResponseReview:
    """Open the review of a response just written held (add_response's transaction)."""
    sr = response.service_request
    now = timezone.now()
    review = ResponseReview.objects.create(
        response=response, rule=rule, office=sr.office, submitted_at=now, pending_since=now
    )
    ReviewRevision.objects.create(
        review=review,
        number=1,
        kind=RevisionKind.SUBMITTED,
        body=response.body,
        author=actor,
        created_at=now,
    )
    core.bump(sr)
    audit.record(
        actor=actor,
        action=AuditAction.RESPONSE_HELD_FOR_REVIEW,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "response_id": response.pk,
            "review_id": review.pk,
            "kind": response.kind,
            "rule": rule.code,
            "office": sr.office.code,
            "notification_id": response.notification_id,
        },
    )
    return review


# --- deciding --------------------------------------------------------------------------------


def can_decide(user: User, review: ResponseReview) -> bool:
    """May `user` decide this review (their role, scope and clearance; not their own)?"""
    return (
        review.is_pending
        and review.response.author_id != user.pk
        and policies.can_act(user, review.response.service_request, Capability.REVIEW_RESPONSES)
    )


@transaction.atomic
def decide(
    review: ResponseReview,
    *,
    actor: User,
    decision: str,
    body: str = "",
    comment: str = "",
) -> ResponseReview:
    """Approve (with `body`: approve with edits, kept as a new revision) or return (with a
    required `comment`) a pending review. Approval releases the message and moves the
    request as add_response would have; a return hands it back to its author."""
    review, sr = _lock(review)
    policies.require_act(actor, sr, Capability.REVIEW_RESPONSES)
    response = review.response
    if response.author_id == actor.pk:
        raise OwnResponse(_("You wrote this response: another supervisor decides on it."))
    if not review.is_pending:
        raise AlreadyDecided(
            _("This review was already decided (%(status)s).")
            % {"status": ReviewStatus(review.status).label.lower()}
        )
    if decision not in DECISIONS:
        raise InvalidDecision(_("A decision is approve or return."), field="decision")
    comment = _clean_comment(comment, required=decision == RETURN)
    if decision == RETURN:
        if body.strip():
            raise InvalidReviewText(
                _("Return the response with a comment; its author revises the text."),
                field="body",
            )
        return _return(review, sr, actor=actor, comment=comment)
    edited = body.strip() != "" and body.strip() != response.body
    if body.strip() and not edited:
        raise BodyUnchanged(_("The text is unchanged: approve it without edits."), field="body")
    return _approve(review, sr, actor=actor, body=body if edited else "", comment=comment)


def _approve(
    review: ResponseReview, sr: ServiceRequest, *, actor: User, body: str, comment: str
) -> ResponseReview:
    response = review.response
    now = timezone.now()
    verdict = Verdict.APPROVED
    if body:
        text = core.clean_text(body, field="body", error=InvalidReviewText)
        _revise(review, response, sr, author=actor, text=text, kind=RevisionKind.EDITED, at=now)
        verdict = Verdict.APPROVED_WITH_EDITS
    _record_decision(review, actor=actor, verdict=verdict, comment=comment, at=now)
    review.status = ReviewStatus.APPROVED
    review.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    released = delivery.release(
        [response.notification_id] if response.notification_id else [], actor=actor, demanded=True
    )
    changes: dict[str, object] = {
        "kind": response.kind,
        "response_id": response.pk,
        "channel": response.delivery_channel,
        "author": response.author.get_username(),
        "review_id": review.pk,
    }
    if sr.is_open:
        target = Status.CLOSED if response.kind == ResponseKind.FINAL else Status.RESPONDED
        if lifecycle.can_move(sr.status, target):
            if sr.first_responded_at is None:
                sr.first_responded_at = now
            core.move(
                sr, target, actor=actor, code=reasons.RESPONSE_SENT, params={"kind": response.kind}
            )
            changes["status"] = [sr.status_before_move, sr.status]
    if "status" not in changes:
        core.bump(sr)
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_RESPONDED,
        object_type="service_request",
        object_id=sr.reference,
        changes=changes,
    )
    audit.record(
        actor=actor,
        action=AuditAction.RESPONSE_REVIEW_APPROVED,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "review_id": review.pk,
            "response_id": response.pk,
            "verdict": verdict.value,
            "rule": review.rule.code,
            "released": released,
        },
    )
    return review


def _return(
    review: ResponseReview, sr: ServiceRequest, *, actor: User, comment: str
) -> ResponseReview:
    now = timezone.now()
    _record_decision(review, actor=actor, verdict=Verdict.RETURNED, comment=comment, at=now)
    review.status = ReviewStatus.RETURNED
    review.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    core.bump(sr)
    author = review.response.author
    if policies.can_view(author, sr):
        workspace_hooks.returned_from_review(sr, actor=actor, author=author)
    audit.record(
        actor=actor,
        action=AuditAction.RESPONSE_REVIEW_RETURNED,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "review_id": review.pk,
            "response_id": review.response_id,
            "rule": review.rule.code,
            "author": author.get_username(),
        },
    )
    return review


@transaction.atomic
def resubmit(review: ResponseReview, *, actor: User, body: str) -> ResponseReview:
    """The author's revision of a returned response: a new revision, pending again."""
    review, sr = _lock(review)
    response = review.response
    if response.author_id != actor.pk:
        raise NotAuthor(_("Only the author of the response revises and resubmits it."))
    policies.require_act(actor, sr, Capability.RESPOND)
    if review.status != ReviewStatus.RETURNED:
        raise NotReturned(_("Only a response returned to you is resubmitted."))
    text = core.clean_text(body, field="body", error=InvalidReviewText)
    if text == response.body:
        raise BodyUnchanged(_("Revise the text before you resubmit it."), field="body")
    now = timezone.now()
    _revise(review, response, sr, author=actor, text=text, kind=RevisionKind.RESUBMITTED, at=now)
    review.status = ReviewStatus.PENDING
    review.pending_since = now
    review.save(update_fields=["status", "pending_since"])
    core.bump(sr)
    audit.record(
        actor=actor,
        action=AuditAction.RESPONSE_REVIEW_RESUBMITTED,
        object_type="service_request",
        object_id=sr.reference,
        changes={"review_id": review.pk, "response_id": response.pk, "rule": review.rule.code},
    )
    return review


def _lock(review: ResponseReview) -> tuple[ResponseReview, ServiceRequest]:
    """The request, then the review, re-read under row locks (the request first, as every
    write to a request takes it)."""
    sr = core.lock(ServiceRequest(pk=_request_id(review)))
    locked = (
        ResponseReview.objects.select_for_update(of=("self",))
        .select_related("response", "response__author", "rule", "office")
        .get(pk=review.pk)
    )
    locked.response.service_request = sr
    return locked, sr


def _request_id(review: ResponseReview) -> int:
    return int(
        Response.objects.values_list("service_request_id", flat=True).get(pk=review.response_id)
    )


def _clean_comment(comment: str, *, required: bool) -> str:
    text = (comment or "").strip()
    if required and not text:
        raise CommentRequired(
            _("Say what the author should change: a comment is required."), field="comment"
        )
    if len(text) > MAX_COMMENT:
        raise CommentRequired(
            _("Keep the comment under %(max)d characters.") % {"max": MAX_COMMENT},
            field="comment",
        )
    if "\x00" in text:
        raise CommentRequired(_("The comment contains an invalid character."), field="comment")
    return text


def _revise(
    review: ResponseReview,
    response: Response,
    sr: ServiceRequest,
    *,
    author: User,
    text: str,
    kind: RevisionKind,
    at: dt.datetime,
) -> None:
    """A new revision: kept whole; the response and its held message take its text."""
    number = review.revisions.count() + 1
    ReviewRevision.objects.create(
        review=review, number=number, kind=kind, body=text, author=author, created_at=at
    )
    response.body = text
    response.save(update_fields=["body", "updated_at"])
    if response.notification_id:
        link = surveys.current_link(sr) if response.kind == ResponseKind.FINAL else ""
        _subject, message = response_message(sr, kind=response.kind, body=text, survey_link=link)
        delivery.replace_held_body(response.notification_id, body=message, actor=author)


def _record_decision(
    review: ResponseReview, *, actor: User, verdict: Verdict, comment: str, at: dt.datetime
) -> None:
    ReviewDecision.objects.create(
        review=review,
        verdict=verdict,
        decided_by=actor,
        decided_at=at,
        pending_since=review.pending_since,
        comment=comment,
        rule=review.rule,
        office=review.office,
    )
    review.decided_by = actor
    review.decided_at = at
    review.comment = comment


# --- reads -----------------------------------------------------------------------------------


def _with_relations(qs: QuerySet[ResponseReview]) -> QuerySet[ResponseReview]:
    return qs.select_related(
        "rule",
        "office",
        "decided_by",
        "response",
        "response__author",
        "response__service_request",
        "response__service_request__type",
        "response__service_request__office",
        "response__service_request__case",
        "response__service_request__requester",
    )


def visible_reviews(user: User) -> QuerySet[ResponseReview]:
    """Reviews of responses on requests `user` may see."""
    return _with_relations(
        ResponseReview.objects.filter(
            response__service_request__in=policies.visible_requests(user).values("pk")
        )
    )


def decidable(user: User, *, status: str = ReviewStatus.PENDING) -> QuerySet[ResponseReview]:
    """Reviews `user` may decide (role, scope, clearance; never their own responses), in
    `status` (pending by default), oldest first. Decided ones (approved, returned) are the
    ones the user could have decided, for history."""
    if not user.can(Capability.REVIEW_RESPONSES):
        return ResponseReview.objects.none()
    qs = visible_reviews(user).filter(status=status).exclude(response__author=user)
    scope = ACT_SCOPE[Role(user.role)]
    if scope == OWN_OFFICES:
        qs = qs.filter(response__service_request__office__in=user.office_ids())
    elif scope != NATIONAL:
        return ResponseReview.objects.none()
    return qs.order_by("pending_since", "id")


def in_my_offices(user: User, qs: QuerySet[ResponseReview]) -> QuerySet[ResponseReview]:
    """The review queue's scope: the requests held by the user's offices (all for a user
    without offices, national)."""
    offices = user.office_ids()
    if not offices:
        return qs
    return qs.filter(response__service_request__office__in=offices)


def get_review_for_user(user: User, review_id: int) -> ResponseReview:
    """The review if `user` may see its request; otherwise Http404."""
    review = visible_reviews(user).filter(pk=review_id).first()
    if review is None:
        raise Http404(_("No review matches that number."))
    return review


def in_review_on(sr: ServiceRequest) -> ResponseReview | None:
    """The response in review on `sr` (pending, or returned to its author), if any."""
    return (
        _with_relations(
            ResponseReview.objects.filter(response__service_request=sr, status__in=IN_REVIEW)
        )
        .order_by("-pending_since", "-id")
        .first()
    )


def returned_to(user: User) -> QuerySet[ResponseReview]:
    """Responses `user` wrote that a supervisor returned to them, newest first."""
    return (
        visible_reviews(user)
        .filter(status=ReviewStatus.RETURNED, response__author=user)
        .order_by("-decided_at", "-id")
    )


def revisions_of(review: ResponseReview) -> list[ReviewRevision]:
    return list(review.revisions.select_related("author").order_by("number"))


def decisions_of(review: ResponseReview) -> list[ReviewDecision]:
    return list(review.decisions.select_related("decided_by").order_by("decided_at", "id"))
