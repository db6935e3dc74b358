"""/api/v1/reviews/: responses held for mandatory supervisory review (ADR 35): the ones the
caller may decide, one review with its revisions, a decision, and the author's
resubmission."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.roles import Capability
from srmt.api.authentication import signed_in_user
from srmt.api.idempotency import idempotent
from srmt.api.inputs import CodedChoiceField, QueryInput, StrictInput
from srmt.api.schema import problems
from srmt.api.serializers import UtcDateTimeField
from srmt.api.views.base import ApiView
from srmt.audit import services as audit
from srmt.reviews.choices import ReviewStatus
from srmt.reviews.models import ResponseReview
from srmt.service_requests.core import MAX_TEXT
from srmt.service_requests.services import record_view
from srmt.service_requests.services import reviews as review_flow

TAG = "supervisory review"
REVIEW_ID = OpenApiParameter("review_id", int, OpenApiParameter.PATH, description="The review.")


class HeldResponseSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, help_text="The latest revision's text.")
    author = serializers.CharField(source="author.username", read_only=True)
    created_at = UtcDateTimeField(read_only=True)


class RevisionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(
        read_only=True, help_text="submitted, edited (by the reviewer) or resubmitted."
    )
    body = serializers.CharField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    created_at = UtcDateTimeField(read_only=True)


class DecisionSerializer(serializers.Serializer[Any]):
    verdict = serializers.CharField(
        read_only=True, help_text="approved, approved_with_edits or returned."
    )
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)
    decided_at = UtcDateTimeField(read_only=True)
    comment = serializers.CharField(read_only=True)


class ReviewSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, read_only=True)
    rule = serializers.CharField(source="rule.code", read_only=True)
    rule_name = serializers.CharField(
        source="rule.name", read_only=True, help_text="In the language of the request."
    )
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )
    decided_at = UtcDateTimeField(read_only=True, allow_null=True)
    comment = serializers.CharField(read_only=True)
    service_request = serializers.CharField(
        source="response.service_request.reference", read_only=True
    )
    office = serializers.CharField(source="office.code", read_only=True)
    due_at = UtcDateTimeField(
        source="response.service_request.due_at",
        read_only=True,
        help_text="The request's deadline: time in review counts against it.",
    )
    submitted_at = UtcDateTimeField(read_only=True)
    pending_since = UtcDateTimeField(read_only=True)
    response = HeldResponseSerializer(read_only=True)


class ReviewDetailSerializer(ReviewSerializer):
    revisions = RevisionSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)


class ReviewFilter(QueryInput):
    status = CodedChoiceField(
        choices=ReviewStatus.choices,
        invalid_code="invalid_status",
        required=False,
        default=ReviewStatus.PENDING,
        help_text="Default: pending.",
    )


class ReviewDecisionInput(StrictInput):
    decision = CodedChoiceField(
        choices=[("approve", "approve"), ("return", "return")], invalid_code="invalid_decision"
    )
    body = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="Approve only: the edited text (kept as a new revision, sent instead).",
    )
    comment = serializers.CharField(
        max_length=4_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to return: what the author should change.",
    )


class ReviewResubmitInput(StrictInput):
    body = serializers.CharField(max_length=MAX_TEXT, trim_whitespace=False)


def _audit_listed(request: Request, reviews: list[ResponseReview]) -> None:
    requests = [r.response.service_request for r in reviews]
    audit.record_views(
        actor=request.user,
        object_type="service_request",
        object_ids=[sr.reference for sr in requests],
        confidential_ids=[sr.reference for sr in requests if sr.is_confidential],
    )


def _detail(review: ResponseReview) -> dict[str, Any]:
    data = ReviewSerializer(review).data
    data["revisions"] = RevisionSerializer(review_flow.revisions_of(review), many=True).data
    data["decisions"] = DecisionSerializer(review_flow.decisions_of(review), many=True).data
    return dict(data)


class ReviewListView(ApiView):
    required_capabilities: ClassVar[dict[str, Capability]] = {"GET": Capability.REVIEW_RESPONSES}
    query_serializers = {"GET": ReviewFilter}

    @extend_schema(
        tags=[TAG],
        summary="Reviews the caller may decide, oldest first (not paginated)",
        operation_id="v1_reviews_list",
        description="Responses held for supervisory review on requests the caller may act "
        "on as a reviewer (their role's scope, 1367 clearance), never their own responses. "
        "`status=approved` or `returned`: the ones they could have decided.",
        parameters=[ReviewFilter],
        responses={200: ReviewSerializer(many=True), **problems(403)},
    )
    def get(self, request: Request) -> Response:
        query = ReviewFilter(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        user = signed_in_user(request)
        found = list(review_flow.decidable(user, status=query.validated_data["status"]))
        _audit_listed(request, found)
        return Response(ReviewSerializer(found, many=True).data)


class ReviewDetailView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="One review, with every revision of the text and every decision",
        description="Access as for the request's detail (404 when you may not see it).",
        parameters=[REVIEW_ID],
        responses={200: ReviewDetailSerializer, **problems(404)},
    )
    def get(self, request: Request, review_id: int) -> Response:
        user = signed_in_user(request)
        review = review_flow.get_review_for_user(user, review_id)
        record_view(review.response.service_request, actor=user)
        return Response(_detail(review))


class ReviewDecisionView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Approve (optionally with an edited text) or return a held response",
        description="403 `own_response` for the author of the response (another supervisor "
        "decides), `permission_denied` outside the caller's role or scope; 409 "
        "`already_decided` once decided; 400 `comment_required` to return without a "
        "comment, `body_unchanged` for an edit that changes nothing, `invalid_body` for a "
        "text with a return. Approval sends the response and moves the request.",
        parameters=[REVIEW_ID],
        request=ReviewDecisionInput,
        responses={200: ReviewDetailSerializer, **problems(400, 403, 404, 409, 413, 415, 422)},
    )
    @idempotent
    def post(self, request: Request, review_id: int) -> Response:
        user = signed_in_user(request)
        review = review_flow.get_review_for_user(user, review_id)
        body = ReviewDecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        decided = review_flow.decide(review, actor=user, **body.validated_data)
        return Response(_detail(review_flow.get_review_for_user(user, decided.pk)))


class ReviewResubmitView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Resubmit a returned response with a revised text (its author only)",
        description="403 `not_author` for anyone but the author; 409 `not_returned` unless "
        "the review was returned; 400 `body_unchanged` when the text is the same.",
        parameters=[REVIEW_ID],
        request=ReviewResubmitInput,
        responses={200: ReviewDetailSerializer, **problems(400, 403, 404, 409, 413, 415, 422)},
    )
    @idempotent
    def post(self, request: Request, review_id: int) -> Response:
        user = signed_in_user(request)
        review = review_flow.get_review_for_user(user, review_id)
        body = ReviewResubmitInput(data=request.data)
        body.is_valid(raise_exception=True)
        review_flow.resubmit(review, actor=user, body=body.validated_data["body"])
        return Response(_detail(review_flow.get_review_for_user(user, review.pk)))
