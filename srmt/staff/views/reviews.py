"""Supervisory review pages (ADR 35): the review queue of a supervisor's offices, one
review (the text, the request's context, the revisions and their differences, the
decision), and the author's resubmission (from the request page or the review page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.reviews import metrics
from srmt.reviews.diff import Segment, word_diff
from srmt.reviews.errors import NotAuthor, OwnResponse
from srmt.reviews.models import ResponseReview, ReviewRevision, ReviewRule
from srmt.service_requests import policies, services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.services import reviews as review_flow
from srmt.staff.review_forms import ApproveForm, ResubmitForm, ReturnForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views.common import call_service, refuse, staff_user

QUEUE_ROWS = 200
SUMMARY_DAYS = 30


@dataclass(frozen=True)
class QueueRow:
    review: ResponseReview
    sr: ServiceRequest
    overdue: bool
    at_risk: bool
    late_in_review: bool  # due within the margin (or overdue) while it waits for review


@dataclass(frozen=True)
class RevisionView:
    revision: ReviewRevision
    changes: list[Segment]  # against the revision before it; empty for the first


def _decide(review: ResponseReview, **kwargs: Any) -> ResponseReview:
    """The decision; one's own response is a 403 page as in the API (four eyes)."""
    try:
        return review_flow.decide(review, **kwargs)
    except OwnResponse as exc:
        raise policies.PermissionDenied(exc.message) from exc


def _resubmit(review: ResponseReview, **kwargs: Any) -> ResponseReview:
    """The resubmission; anyone but the author gets a 403 page as in the API."""
    try:
        return review_flow.resubmit(review, **kwargs)
    except NotAuthor as exc:
        raise policies.PermissionDenied(exc.message) from exc


def _margin() -> dt.timedelta:
    return dt.timedelta(hours=settings.SRMT_REVIEW_MARGIN_HOURS)


def queue_rows(user: User, *, now: dt.datetime) -> list[QueueRow]:
    """Pending reviews of the user's offices (every office for a user without one) that the
    user may decide, oldest first."""
    pending = review_flow.in_my_offices(user, review_flow.decidable(user))[:QUEUE_ROWS]
    rows = []
    for review in pending:
        sr = review.response.service_request
        rows.append(
            QueueRow(
                review=review,
                sr=sr,
                overdue=sr.is_overdue(now),
                at_risk=sr.is_at_risk(now),
                late_in_review=sr.due_at - now <= _margin(),
            )
        )
    return rows


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not user.can(Capability.REVIEW_RESPONSES):
        raise refuse()
    now = timezone.now()
    rows = queue_rows(user, now=now)
    requests = [row.sr for row in rows]
    audit.record_views(
        actor=user,
        object_type="service_request",
        object_ids=[sr.reference for sr in requests],
        confidential_ids=[sr.reference for sr in requests if sr.is_confidential],
    )
    offices = user.office_ids()
    summary = metrics.review_measures(
        now - dt.timedelta(days=SUMMARY_DAYS), now, offices=offices or None
    )
    return render(
        request,
        "staff/review_queue.html",
        {
            "rows": rows,
            "now": now,
            "margin_hours": settings.SRMT_REVIEW_MARGIN_HOURS,
            "summary": summary,
            "by_rule": _named(summary.by_rule),
            "summary_days": SUMMARY_DAYS,
        },
    )


def _named(by_rule: dict[str, metrics.Shares]) -> list[tuple[str, metrics.Shares]]:
    """The summary's rows by rule, named as the supervisor reads them (the latest rule of
    each code)."""
    names = {rule.code: rule.name for rule in ReviewRule.objects.order_by("code", "effective_from")}
    return [(names.get(code, code), shares) for code, shares in by_rule.items()]


def _revisions(review: ResponseReview) -> list[RevisionView]:
    revisions = review_flow.revisions_of(review)
    shown = []
    previous = ""
    for n, revision in enumerate(revisions):
        shown.append(RevisionView(revision, word_diff(previous, revision.body) if n else []))
        previous = revision.body
    return shown


def review_context(request: HttpRequest, review: ResponseReview, **bound: Any) -> dict[str, Any]:
    user = staff_user(request)
    sr = review.response.service_request
    now = timezone.now()
    may_decide = review_flow.can_decide(user, review)
    is_author = review.response.author_id == user.pk
    may_resubmit = is_author and review.status == "returned"
    context: dict[str, Any] = {
        "review": review,
        "sr": sr,
        "response": review.response,
        "now": now,
        "overdue": sr.is_overdue(now),
        "at_risk": sr.is_at_risk(now),
        "late_in_review": review.is_pending and sr.due_at - now <= _margin(),
        "revisions": _revisions(review),
        "decisions": review_flow.decisions_of(review),
        "is_author": is_author,
        "may_decide": may_decide,
        "approve_form": ApproveForm(initial={"body": review.response.body}) if may_decide else None,
        "return_form": ReturnForm() if may_decide else None,
        "resubmit_form": ResubmitForm(initial={"body": review.response.body})
        if may_resubmit
        else None,
    }
    context.update({k: v for k, v in bound.items() if v is not None})
    return context


def _page(
    request: HttpRequest, review: ResponseReview, status: int = 200, **bound: Any
) -> HttpResponse:
    return render(
        request, "staff/review.html", review_context(request, review, **bound), status=status
    )


@login_required
@require_GET
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    user = staff_user(request)
    review = review_flow.get_review_for_user(user, review_id)
    services.record_view(review.response.service_request, actor=user)
    return _page(request, review)


@login_required
@require_POST
@one_time_submission
def approve(request: HttpRequest, review_id: int) -> HttpResponse:
    user = staff_user(request)
    review = review_flow.get_review_for_user(user, review_id)
    form = ApproveForm(request.POST)
    if form.is_valid():
        text = form.cleaned_data["body"]
        edited = text.strip() != review.response.body
        done = call_service(
            form,
            _decide,
            review,
            actor=user,
            decision=review_flow.APPROVE,
            body=text if edited else "",
            comment=form.cleaned_data["comment"],
        )
        if done is not None:
            messages.success(
                request,
                _("Approved with your edits and sent to the customer.")
                if edited
                else _("Approved and sent to the customer."),
            )
            return redirect("staff:review-queue")
    return _page(request, review, status=400, approve_form=form)


@login_required
@require_POST
@one_time_submission
def return_to_author(request: HttpRequest, review_id: int) -> HttpResponse:
    user = staff_user(request)
    review = review_flow.get_review_for_user(user, review_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        done = call_service(
            form,
            _decide,
            review,
            actor=user,
            decision=review_flow.RETURN,
            comment=form.cleaned_data["comment"],
        )
        if done is not None:
            messages.success(request, _("Returned to its author with your comment."))
            return redirect("staff:review-queue")
    return _page(request, review, status=400, return_form=form)


@login_required
@require_POST
@one_time_submission
def resubmit(request: HttpRequest, review_id: int) -> HttpResponse:
    user = staff_user(request)
    review = review_flow.get_review_for_user(user, review_id)
    form = ResubmitForm(request.POST)
    if form.is_valid():
        done = call_service(form, _resubmit, review, actor=user, body=form.cleaned_data["body"])
        if done is not None:
            messages.success(request, _("Resubmitted for review."))
            return redirect(
                "staff:request-detail", reference=review.response.service_request.reference
            )
    return _page(request, review, status=400, resubmit_form=form)
