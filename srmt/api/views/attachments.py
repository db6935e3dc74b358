"""/api/v1/: the evidence attached to a service request (service_requests.attachments)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.api.authentication import signed_in_user
from srmt.api.exceptions import RequestTooLarge
from srmt.api.idempotency import idempotent
from srmt.api.inputs import StrictInput
from srmt.api.schema import REFERENCE, problems
from srmt.api.serializers import OutputModelSerializer
from srmt.api.views.base import ApiView
from srmt.service_requests import attachments, policies
from srmt.service_requests.models import Attachment

# Evidence is documented beside the expedites it mostly supports.
TAG = "expedites and attachments"
# Multipart framing around a file of the largest allowed size.
UPLOAD_OVERHEAD = 64 * 1024


class AttachmentSerializer(OutputModelSerializer[Attachment]):
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


class UploadInput(StrictInput):
    file = serializers.FileField(help_text="PDF, JPEG or PNG, at most 10 MB.")


class AttachmentCollectionView(ApiView):
    parser_classes = [MultiPartParser]
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
            sr, actor=signed_in_user(request), upload=body.validated_data["file"]
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
        return attachments.download(signed_in_user(request), reference, attachment_id)
