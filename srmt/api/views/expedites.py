"""/api/v1/: expedite criteria, an expedite request's details and decision, and evidence
attachments of a service request."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.roles import Capability
from srmt.api.idempotency import idempotent
from srmt.api.inputs import QueryInput, StrictInput
from srmt.api.problems import RequestTooLarge
from srmt.api.schema import REFERENCE, problems
from srmt.api.serializers import OutputModelSerializer
from srmt.api.views.base import ApiView
from srmt.core.errors import NotFound
from srmt.service_requests import attachments, expedites, policies
from srmt.service_requests.models import Attachment, ExpediteCriterion, ExpediteRequest

TAG = "expedites and attachments"
# Multipart framing around a file of the largest allowed size.
UPLOAD_OVERHEAD = 64 * 1024


class ExpediteCriterionSerializer(OutputModelSerializer):
    class Meta:
        model = ExpediteCriterion
        fields = [
            "code",
            "version",
            "name_en",
            "name_es",
            "effective_from",
            "effective_until",
            "allowed_for_premium_processing",
        ]


class ExpediteSerializer(OutputModelSerializer):
    criterion = ExpediteCriterionSerializer(read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = ExpediteRequest
        fields = [
            "criterion",
            "justification",
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "created_at",
        ]


class AttachmentSerializer(OutputModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]


class DecisionInput(StrictInput):
    approved = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=10_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for a denial; sent to the customer.",
    )


class CriteriaFilter(QueryInput):
    on = serializers.DateField(required=False, help_text="Default: today.")


class UploadInput(StrictInput):
    file = serializers.FileField(help_text="PDF, JPEG or PNG, at most 10 MB.")


class ExpediteCriterionListView(ApiView):
    required_capabilities: ClassVar[dict[str, Capability]] = {"GET": Capability.VIEW}
    query_serializers = {"GET": CriteriaFilter}

    @extend_schema(
        tags=[TAG],
        summary="Expedite criteria in force on a date",
        parameters=[CriteriaFilter],
        responses={200: ExpediteCriterionSerializer(many=True), **problems(400, 403)},
    )
    def get(self, request: Request) -> Response:
        query = CriteriaFilter(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        criteria = expedites.criteria_in_force(query.validated_data.get("on"))
        return Response(ExpediteCriterionSerializer(criteria, many=True).data)


def _expedite_or_404(sr: Any) -> ExpediteRequest:
    expedite = expedites.expedite_for(sr)
    if expedite is None:
        raise NotFound("This request is not an expedite request.")
    return expedite


class ExpediteDetailView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="The expedite details of an expedite request",
        parameters=[REFERENCE],
        responses={200: ExpediteSerializer, **problems(404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        return Response(ExpediteSerializer(_expedite_or_404(sr)).data)


class ExpediteDecisionView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Approve or deny an expedite request",
        description="Only staff of the office holding the case decide, once (409 "
        "`already_decided` after). A denial needs a `reason`. The customer is sent a final "
        "response with the outcome, which closes the request.",
        parameters=[REFERENCE],
        request=DecisionInput,
        responses={200: ExpediteSerializer, **problems(400, 403, 404, 409, 413, 415, 422)},
    )
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        _expedite_or_404(sr)
        body = DecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        expedite = expedites.decide_expedite(sr, actor=request.user, **body.validated_data)
        return Response(ExpediteSerializer(expedite).data)


class AttachmentCollectionView(ApiView):
    parser_classes: ClassVar[list[Any]] = [MultiPartParser]
    max_upload_bytes = attachments.MAX_ATTACHMENT_BYTES + UPLOAD_OVERHEAD

    @extend_schema(
        tags=[TAG],
        summary="The evidence attached to a request",
        operation_id="v1_service_requests_attachments_list",
        parameters=[REFERENCE],
        responses={200: AttachmentSerializer(many=True), **problems(404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        return Response(AttachmentSerializer(attachments.attachments_of(sr), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Attach a file of evidence (multipart/form-data, field `file`)",
        description="PDF, JPEG or PNG (checked by content), at most 10 MB, at most 10 per "
        "request; the request must be open.",
        parameters=[REFERENCE],
        request={"multipart/form-data": UploadInput},
        responses={201: AttachmentSerializer, **problems(400, 403, 404, 409, 413, 415, 422)},
    )
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > self.max_upload_bytes:
            raise RequestTooLarge("Files can be at most 10 MB.")
        body = UploadInput(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = attachments.add_attachment(
            sr, actor=request.user, upload=body.validated_data["file"]
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadView(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Download an attachment (the download is audited)",
        parameters=[
            REFERENCE,
            OpenApiParameter("attachment_id", int, OpenApiParameter.PATH),
        ],
        responses={
            **{
                (200, content_type): OpenApiResponse(
                    OpenApiTypes.BINARY, description="The file, in the type it was checked as."
                )
                for _magic, content_type in attachments.SIGNATURES
            },
            **problems(404),
        },
    )
    def get(self, request: Request, reference: str, attachment_id: int) -> FileResponse:
        sr = policies.get_request_for_user(request.user, reference)
        attachment = attachments.open_attachment(sr, attachment_id, actor=request.user)
        return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download, never rendered inline (it is evidence, not a page)."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
