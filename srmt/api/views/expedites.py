"""/api/v1/: expedite criteria, and an expedite request's details and decision (the evidence
attached to a request: api.views.attachments)."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.roles import Capability
from srmt.api.authentication import signed_in_user
from srmt.api.idempotency import idempotent
from srmt.api.inputs import QueryInput, StrictInput
from srmt.api.schema import REFERENCE, problems
from srmt.api.serializers import OutputModelSerializer
from srmt.api.views.base import ApiView
from srmt.core.errors import NotFound
from srmt.service_requests import expedites, policies
from srmt.service_requests.expedite_models import ExpediteCriterion, ExpediteRequest

TAG = "expedites and attachments"


class ExpediteCriterionSerializer(OutputModelSerializer[ExpediteCriterion]):
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


class ExpediteSerializer(OutputModelSerializer[ExpediteRequest]):
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
        expedite = expedites.decide_expedite(
            sr, actor=signed_in_user(request), **body.validated_data
        )
        return Response(ExpediteSerializer(expedite).data)
