"""Reference catalogues: offices, forms and request types.

Open to every authenticated member of staff (analysts included). They are small, so they
are not paginated: each answer is the whole list.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.api.inputs import OfficeFilter
from srmt.api.schema import problems
from srmt.api.serializers import (
    FormTypeSerializer,
    OfficeSerializer,
    ServiceRequestTypeSerializer,
)
from srmt.api.views.base import ApiMixin
from srmt.offices.models import FormType, Office
from srmt.service_requests.models import ServiceRequestType

TAG = "reference data"


class OfficeListView(ApiMixin, ListAPIView[Office]):
    serializer_class = OfficeSerializer
    pagination_class = None
    queryset = Office.objects.select_related("parent").order_by("code")
    query_serializers = {"GET": OfficeFilter}

    def get_queryset(self) -> QuerySet[Office]:
        qs = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return qs
        filters = OfficeFilter(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        if filters.validated_data.get("kind"):
            qs = qs.filter(kind=filters.validated_data["kind"])
        if filters.validated_data.get("active") is not None:
            qs = qs.filter(is_active=filters.validated_data["active"])
        return qs

    @extend_schema(
        tags=[TAG],
        summary="Offices (not paginated)",
        parameters=[OfficeFilter],
        responses={200: OfficeSerializer(many=True), **problems(400)},
    )
    def get(self, request: Request) -> Response:
        return self.list(request)


class FormTypeListView(ApiMixin, ListAPIView[FormType]):
    serializer_class = FormTypeSerializer
    pagination_class = None
    queryset = FormType.objects.order_by("code")

    @extend_schema(
        tags=[TAG],
        summary="Immigration forms (not paginated)",
        responses={200: FormTypeSerializer(many=True), **problems()},
    )
    def get(self, request: Request) -> Response:
        return self.list(request)


class ServiceRequestTypeListView(ApiMixin, ListAPIView[ServiceRequestType]):
    serializer_class = ServiceRequestTypeSerializer
    pagination_class = None
    queryset = ServiceRequestType.objects.order_by("sort_order", "code")

    @extend_schema(
        tags=[TAG],
        summary="Service request types with their rules (not paginated)",
        responses={200: ServiceRequestTypeSerializer(many=True), **problems()},
    )
    def get(self, request: Request) -> Response:
        return self.list(request)
