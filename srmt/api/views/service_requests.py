"""/api/v1/service-requests/: intake, lists, detail, edits, responses, notes, transitions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.roles import Capability
from srmt.api.authentication import signed_in_user
from srmt.api.conditional import body_hash, expected_version, idempotency_key
from srmt.api.idempotency import idempotent
from srmt.api.inputs import (
    AssessInput,
    NoteInput,
    ResponseInput,
    ServiceRequestFilter,
    ServiceRequestInput,
    ServiceRequestUpdateInput,
    TransitionInput,
)
from srmt.api.pagination import ServiceRequestCursorPagination
from srmt.api.schema import IF_MATCH, REFERENCE, ProblemSerializer, problems
from srmt.api.serializers import (
    AssessmentSerializer,
    NoteSerializer,
    ResponseSerializer,
    ServiceRequestDetailSerializer,
    ServiceRequestSerializer,
)
from srmt.api.views import routing
from srmt.api.views.base import ApiMixin, ApiView
from srmt.audit import services as audit
from srmt.core.problems import PROBLEM_CONTENT_TYPE
from srmt.quality.payload import assessment_body
from srmt.service_requests import form_letters, policies, queries, referrals, services
from srmt.service_requests.choices import Status
from srmt.service_requests.models import ServiceRequest

TAG = "service requests"


def _with_etag(response: Response, sr: ServiceRequest) -> Response:
    response["ETag"] = sr.etag
    return response


def _detail(sr: ServiceRequest, *, status_code: int = status.HTTP_200_OK) -> Response:
    data = ServiceRequestDetailSerializer(queries.load_detail(sr)).data
    return _with_etag(Response(data, status=status_code), sr)


class ServiceRequestRecordedOut(serializers.Serializer[Any]):
    """The answer to a caller who may not be told where the request went (ADR 16): its
    receipt number has no case record they may know of, or they may not see the request."""

    reference = serializers.CharField()
    status = serializers.CharField(
        help_text="Always `received`, the status every request is recorded with."
    )
    detail = serializers.CharField(
        help_text="Says that the office responsible will contact the customer."
    )


def _recorded(request: Request, sr: ServiceRequest, *, created: bool) -> Response:
    """The request as recorded, with its Location and ETag (a replay reloads it)."""
    if not created:
        sr = queries.request_by_pk(sr.pk)
    response = _with_etag(
        Response(ServiceRequestSerializer(sr).data, status=status.HTTP_201_CREATED), sr
    )
    response["Location"] = request.build_absolute_uri(
        reverse("api:service-request-detail", args=[sr.reference])
    )
    return response


def _recorded_unseen(sr: ServiceRequest) -> Response:
    """A request its caller may not be told about: its reference and nothing that names its
    office or case, no Location or ETag. The same for a receipt number without a case record
    and for a 1367 case the caller is not cleared for, byte for byte but the reference
    (ADR 16), and the same on every replay, whatever has happened to the request since."""
    body = {
        "reference": sr.reference,
        "status": Status.RECEIVED.value,
        "detail": _(
            "The service request was recorded. The office responsible for it will contact "
            "the customer."
        ),
    }
    return Response(body, status=status.HTTP_201_CREATED)


class ServiceRequestCollectionView(ApiMixin, ListModelMixin, GenericAPIView[ServiceRequest]):
    queryset = ServiceRequest.objects.none()
    serializer_class = ServiceRequestSerializer
    pagination_class = ServiceRequestCursorPagination
    required_capabilities = {"GET": Capability.VIEW, "POST": Capability.CREATE}
    query_serializers = {"GET": ServiceRequestFilter}

    @extend_schema(
        tags=[TAG],
        summary="List the service requests you may see",
        description="Newest first, cursor-paginated (`page_size` up to 200, default 50). "
        "Each list response is recorded in the audit log with the references shown.",
        parameters=[ServiceRequestFilter],
        responses={200: ServiceRequestSerializer(many=True), **problems(400, 403)},
    )
    def get(self, request: Request) -> Response:
        filters = ServiceRequestFilter(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        qs = queries.filter_requests(policies.visible_requests(request.user), **filters.filters())
        page = self.paginate_queryset(queries.for_display(qs))
        if page is None:
            raise ImproperlyConfigured("The service request list is paginated (pagination_class).")
        audit.record_views(
            actor=request.user,
            object_type="service_request",
            object_ids=[sr.reference for sr in page],
            confidential_ids=[sr.reference for sr in page if sr.is_confidential],
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Record a new service request",
        description="Routes the request and sets its deadlines. Returns 201 with Location and "
        "ETag headers; a replay of an Idempotency-Key returns the same request with "
        "`Idempotent-Replayed: true`. Expedite requests need `expedite`. With "
        '`"repeat_check": "ask"`, open or recent requests of the same type on the case '
        "refuse the submission with 409 `possible_repeat` and their `candidates`; resubmit "
        'with `repeat_of`, `merge_into` or `"repeat_check": "ignore"`. A request the caller '
        "may not see (a case protected by 8 U.S.C. 1367, without clearance) is answered with "
        "201 and only its `reference`, `status` and a `detail` sentence, without Location or "
        "ETag; its replays give the same body.",
        request=ServiceRequestInput,
        responses={
            201: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ServiceRequestCreated",
                    serializers=[ServiceRequestSerializer, ServiceRequestRecordedOut],
                    resource_type_field_name=None,
                ),
                description="The request; or, when the receipt number has no case record "
                "the caller may know of or the caller may not see the request, only its "
                "reference (ServiceRequestRecordedOut).",
            ),
            200: OpenApiResponse(
                routing.ReferralResponseOut,
                description="The customer lives outside the U.S. and was referred to the "
                "international office serving their country: no request was opened and "
                "there is no `reference`, only `referral`.",
            ),
            **problems(400, 403, 409, 413, 415, 422),
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        key = idempotency_key(request)
        body = ServiceRequestInput(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = referrals.submit_or_refer(
            body.submission(),
            actor=signed_in_user(request),
            idempotency_key=key,
            body_hash=body_hash(request.data) if key else "",
        )
        if outcome.referral is not None:  # customer abroad: referred, no request opened
            return Response(routing.referral_body(outcome.referral), status=status.HTTP_200_OK)
        sr, created = outcome.service_request, outcome.created
        assert sr is not None
        if policies.can_see_routing(request.user, sr):
            response = _recorded(request, sr, created=created)
        else:  # no case record the caller may know of (ADR 16), or one they may not see
            response = _recorded_unseen(sr)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response


class ServiceRequestDetailView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="One service request with its history",
        description="Includes responses, internal notes, status history, the case summary "
        "and the requester. The ETag header is the request's version; the view is audited.",
        parameters=[REFERENCE],
        responses={200: ServiceRequestDetailSerializer, **problems(404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        services.record_view(sr, actor=signed_in_user(request))
        return _detail(sr)

    @extend_schema(
        tags=[TAG],
        summary="Edit urgency, description or assignee",
        description="Send `If-Match` with the ETag from a GET to refuse a stale write (412).",
        parameters=[REFERENCE, IF_MATCH],
        request=ServiceRequestUpdateInput,
        responses={
            200: ServiceRequestDetailSerializer,
            **problems(400, 403, 404, 409, 412, 413, 415),
        },
    )
    def patch(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        version = expected_version(request.headers.get("If-Match"), reference=sr.reference)
        body = ServiceRequestUpdateInput(data=request.data)
        body.is_valid(raise_exception=True)
        sr = services.update_request(
            sr,
            actor=signed_in_user(request),
            changes=dict(body.validated_data),
            expected_version=version,
        )
        return _detail(sr)


class FormLetterProblemSerializer(ProblemSerializer):
    assessment = AssessmentSerializer(
        required=False,
        help_text="With code form_letter_warning: the new-information check of the body.",
    )


class ResponseCollectionView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="The responses sent to the requester, oldest first (not paginated)",
        description="Access as for the request's detail (404 when you may not see it); "
        "audited as a view of the request.",
        operation_id="v1_service_requests_responses_list",
        parameters=[REFERENCE],
        responses={200: ResponseSerializer(many=True), **problems(404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        services.record_view(sr, actor=signed_in_user(request))
        return Response(ResponseSerializer(queries.responses_of(sr), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Send a response to the requester",
        description="An initial or follow-up response moves the request to responded; a "
        "final response closes it. Every response is assessed first (the new-information "
        "check, as `responses/assess` answers): a form letter is refused with 409 "
        "`form_letter_warning` and the `assessment` in the problem body, and nothing is "
        "sent or written, unless `override_reason` says why to send it anyway; the score, "
        "the verdict and the reason are kept on the response. A response a review rule "
        "holds (supervisory review) is not sent yet: its `review.status` is pending, and "
        "the request moves when a supervisor approves it; meanwhile the request takes no "
        "other response (409 `response_in_review`).",
        parameters=[REFERENCE],
        request=ResponseInput,
        responses={
            201: ResponseSerializer,
            **problems(400, 403, 404, 409, 413, 415, 422),
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                FormLetterProblemSerializer,
                description="A form letter without `override_reason` (code "
                "form_letter_warning, with the `assessment`); or the request is closed "
                "(code request_closed), or the kind of response does not fit its status.",
            ),
        },
    )
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        body = ResponseInput(data=request.data)
        body.is_valid(raise_exception=True)
        answer = services.add_response(sr, actor=signed_in_user(request), **body.validated_data)
        return Response(ResponseSerializer(answer).data, status=status.HTTP_201_CREATED)


class ResponseAssessView(ApiView):
    # Access as for POST .../responses/ (form_letters.assess_draft): 404 before 403.
    @extend_schema(
        tags=[TAG],
        summary="Assess a draft response: does it tell the customer anything new?",
        description="The new-information check of `body` as it would be sent (in the "
        "request's language, against `template` if given, the earlier responses on the "
        "request and its case, the customer's request and the case record): a score from "
        "0 (nothing new) to 1 (all new), whether it is a form letter (below `threshold`), "
        "and each sentence, new or `why` not. Writes nothing, not even to the audit log "
        "(an Idempotency-Key is not needed and is ignored: a repeat is simply asked again). "
        "Access as for sending a response: 404 when you may not see the request, 403 when "
        "you may not respond to it, 409 when it is closed.",
        operation_id="v1_service_requests_responses_assess",
        parameters=[REFERENCE],
        request=AssessInput,
        responses={200: AssessmentSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        body = AssessInput(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = form_letters.assess_draft(
            sr,
            actor=signed_in_user(request),
            body=body.validated_data["body"],
            template_code=body.validated_data["template"],
        )
        return Response(assessment_body(assessment))


class NoteCollectionView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="The internal notes, oldest first (not paginated)",
        description="Access as for the request's detail (404 when you may not see it); "
        "audited as a view of the request.",
        operation_id="v1_service_requests_notes_list",
        parameters=[REFERENCE],
        responses={200: NoteSerializer(many=True), **problems(404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        services.record_view(sr, actor=signed_in_user(request))
        return Response(NoteSerializer(queries.notes_of(sr), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Add an internal note (never sent to the customer)",
        parameters=[REFERENCE],
        request=NoteInput,
        responses={201: NoteSerializer, **problems(400, 403, 404, 413, 415, 422)},
    )
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        body = NoteInput(data=request.data)
        body.is_valid(raise_exception=True)
        note = services.add_note(
            sr, actor=signed_in_user(request), body=body.validated_data["body"]
        )
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class TransitionCollectionView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Move the request in its lifecycle",
        description="Transfers need `office`, merges `duplicate_of`; transfers, redirects, "
        "withdrawals, merges and reopenings need a `reason`. Answering is done with "
        "responses, not here.",
        parameters=[REFERENCE],
        request=TransitionInput,
        responses={
            200: OpenApiResponse(ServiceRequestDetailSerializer, description="The request."),
            **problems(400, 403, 404, 409, 413, 415, 422),
        },
    )
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        body = TransitionInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        sr = services.transition_request(
            sr,
            actor=signed_in_user(request),
            to=data["to"],
            reason=data["reason"],
            office_code=data["office"],
            duplicate_of=data["duplicate_of"],
        )
        return _detail(sr)
