"""/api/v1/routing/explain, redirects to other agencies, and their topic catalogue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.roles import Capability
from srmt.api.authentication import signed_in_user
from srmt.api.idempotency import idempotent
from srmt.api.inputs import RedirectInput, RoutingExplainFilter
from srmt.api.schema import REFERENCE, problems
from srmt.api.serializers import ServiceRequestDetailSerializer, UtcDateTimeField
from srmt.api.views.base import ApiView
from srmt.core.bilingual import in_language
from srmt.offices.models import Office, offices_by_code
from srmt.service_requests import policies, queries, redirects, routing_facts
from srmt.service_requests.errors import UnknownRequestType
from srmt.service_requests.models import active_request_types
from srmt.service_requests.referrals import contact_details
from srmt.service_requests.routing_models import Referral

TAG = "routing"


class OfficeRefOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class ReferralTargetOut(serializers.Serializer[Any]):
    office = OfficeRefOut()
    country = serializers.CharField()
    contact_details = serializers.CharField()


class ExplanationOut(serializers.Serializer[Any]):
    office = OfficeRefOut()
    rule = serializers.CharField(help_text="Code of the routing rule that decided.")
    reason = serializers.CharField()
    facts = serializers.DictField(help_text="The facts the rule looked at.")
    referral = ReferralTargetOut(
        allow_null=True, help_text="Set when the customer is referred abroad (no SR)."
    )


class ReferralOut(serializers.Serializer[Any]):
    reference = serializers.CharField()
    office = OfficeRefOut()
    country = serializers.CharField()
    reason = serializers.CharField()
    contact_details = serializers.CharField()
    created_at = UtcDateTimeField()


class ReferralResponseOut(serializers.Serializer[Any]):
    referral = ReferralOut()


class AgencyOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_es = serializers.CharField()
    phone = serializers.CharField()
    website = serializers.CharField()
    mailing_address = serializers.CharField()


class RedirectTopicOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_es = serializers.CharField()
    agency = AgencyOut()


def office_ref(office: Office) -> dict[str, str]:
    return {"code": office.code, "name": office.name}


def referral_body(referral: Referral) -> dict[str, object]:
    return {
        "referral": ReferralOut(
            {
                "reference": referral.reference,
                "office": office_ref(referral.office),
                "country": referral.country,
                "reason": in_language(referral.reason, referral.reason_es, get_language()),
                "contact_details": referral.contact_details,
                "created_at": referral.created_at,
            }
        ).data
    }


def explanation(routed: routing_facts.RoutedSubmission) -> dict[str, object]:
    decision = routed.decision
    office = offices_by_code().get(decision.office_code) or Office.objects.get(
        code=decision.office_code
    )
    referral = None
    if decision.is_referral:
        referral = {
            "office": office_ref(office),
            "country": routed.facts.country,
            "contact_details": contact_details(office),
        }
    return {
        "office": office_ref(office),
        "rule": decision.rule,
        "reason": decision.reason_in(get_language()),
        "facts": decision.facts_used,
        "referral": referral,
    }


class RoutingExplainView(ApiView):
    required_capabilities = {"GET": Capability.CREATE}
    query_serializers = {"GET": RoutingExplainFilter}

    @extend_schema(
        tags=[TAG],
        summary="Where a request with these facts would go, and why",
        description="Evaluates the routing rules in force without creating anything. "
        "Malformed input is refused with 400 and a stable code: `invalid_receipt_number`, "
        "`invalid_zip_code`, `unknown_zip_code`, `invalid_country_code`, `unknown_type`. "
        "Without 8 U.S.C. 1367 clearance, the receipt number of a protected case is explained "
        "exactly as if no case record existed.",
        parameters=[RoutingExplainFilter],
        responses={200: ExplanationOut, **problems(400, 403)},
    )
    def get(self, request: Request) -> Response:
        query = RoutingExplainFilter(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if data["type"] and data["type"] not in active_request_types():
            raise UnknownRequestType(
                _("%(code)s is not a type of service request.") % {"code": data["type"]},
                field="type",
            )
        routed = routing_facts.route_as_seen_by(
            signed_in_user(request),
            receipt_number=data["receipt_number"],
            request_type=data["type"],
            zip_code=data["zip"],
            country=data["country"],
        )
        return Response(explanation(routed))


class RedirectView(ApiView):
    @extend_schema(
        tags=["service requests"],
        summary="Redirect the request to another agency",
        description="Closes the request as redirected and sends the customer the agency's "
        "contact details in their language. `topic` is a code from /api/v1/redirect-topics/.",
        parameters=[REFERENCE],
        request=RedirectInput,
        responses={
            200: OpenApiResponse(ServiceRequestDetailSerializer, description="The request."),
            **problems(400, 403, 404, 409, 413, 415, 422),
        },
    )
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        sr = policies.get_request_for_user(request.user, reference)
        body = RedirectInput(data=request.data)
        body.is_valid(raise_exception=True)
        sr = redirects.redirect_request(
            sr,
            actor=signed_in_user(request),
            topic_code=body.validated_data["topic"],
            reason=body.validated_data["reason"],
        )
        data = ServiceRequestDetailSerializer(queries.load_detail(sr)).data
        response = Response(data)
        response["ETag"] = sr.etag
        return response


class RedirectTopicListView(ApiView):
    @extend_schema(
        tags=["reference data"],
        summary="Topics other agencies handle, with their contact details (not paginated)",
        responses={200: RedirectTopicOut(many=True), **problems()},
    )
    def get(self, request: Request) -> Response:
        return Response(RedirectTopicOut(redirects.active_topics(), many=True).data)
