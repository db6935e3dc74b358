"""/api/v1/cases/{receipt_number}/: case records from the agency's case systems."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.roles import Capability
from srmt.api.authentication import signed_in_user
from srmt.api.inputs import CaseInput
from srmt.api.schema import RECEIPT_NUMBER, problems
from srmt.api.serializers import CaseSerializer
from srmt.api.views.base import ApiView
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.models import Case, CaseParty, CaseQuerySet
from srmt.core.receipts import normalize_receipt_number
from srmt.service_requests import policies, protection

TAG = "cases"


def _cases(qs: CaseQuerySet) -> CaseQuerySet:
    return qs.select_related("form_type", "office").prefetch_related(
        Prefetch("parties", queryset=CaseParty.objects.select_related("person"))
    )


class CaseDetailView(ApiView):
    required_capabilities = {"GET": Capability.VIEW, "PUT": Capability.MANAGE_CASES}

    @extend_schema(
        tags=[TAG],
        summary="One case and the people on it",
        description="The scope of service requests applies: national roles read every case, "
        "office roles the cases their offices hold or hold a request on. Protected "
        "(8 U.S.C. 1367) cases need clearance on top. Any other case is 404, exactly as a "
        "receipt number without a case record. Audited.",
        parameters=[RECEIPT_NUMBER],
        responses={200: CaseSerializer, **problems(400, 403, 404)},
    )
    def get(self, request: Request, receipt_number: str) -> Response:
        number = normalize_receipt_number(receipt_number)
        case = _cases(policies.visible_cases(request.user)).filter(receipt_number=number).first()
        if case is None:
            raise Http404(_("No case matches that receipt number."))
        audit.record(
            actor=request.user, action=AuditAction.CASE_VIEWED, object_type="case", object_id=number
        )
        return Response(CaseSerializer(case).data)

    @extend_schema(
        tags=[TAG],
        summary="Create or update a case (case-system integration)",
        description="For the case systems' integration account: needs the manage-cases "
        "capability and 8 U.S.C. 1367 clearance (403 `clearance_required` otherwise, for "
        "every receipt number alike). Parties given replace the case's parties; none given "
        "leaves them as they are. `is_protected` left out keeps the case's protection; "
        "removing it needs `protection_reason`. When a case becomes protected, its open "
        "requests move to the VAWA/T/U unit in the same transaction.",
        parameters=[RECEIPT_NUMBER],
        request=CaseInput,
        responses={
            200: OpenApiResponse(CaseSerializer, description="Updated."),
            201: OpenApiResponse(CaseSerializer, description="Created."),
            **problems(400, 403, 413, 415),
        },
    )
    def put(self, request: Request, receipt_number: str) -> Response:
        number = normalize_receipt_number(receipt_number)
        body = CaseInput(data=request.data)
        body.is_valid(raise_exception=True)
        case, created = protection.record_case(
            body.case_data(number), actor=signed_in_user(request)
        )
        case = _cases(Case.objects.all()).get(pk=case.pk)
        return Response(
            CaseSerializer(case).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
