"""/api/v1/cases/{receipt_number}/: case records from the agency's case systems."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.api.inputs import CaseInput
from srmt.api.schema import RECEIPT_NUMBER, problems
from srmt.api.serializers import CaseSerializer
from srmt.api.views.base import ApiView
from srmt.audit import services as audit
from srmt.cases import services as cases
from srmt.cases.models import Case, CaseParty, CaseQuerySet
from srmt.core.receipts import normalize_receipt_number

TAG = "cases"


def _cases(qs: CaseQuerySet) -> CaseQuerySet:
    return qs.select_related("form_type", "office").prefetch_related(
        Prefetch("parties", queryset=CaseParty.objects.select_related("person"))
    )


def _case_for(user: User, receipt_number: str) -> Case:
    """The case if `user` may see it (1367 cases need clearance); otherwise 404."""
    case = _cases(Case.objects.visible_to(user)).filter(receipt_number=receipt_number).first()
    if case is None:
        raise Http404(_("No case matches that receipt number."))
    return case


class CaseDetailView(ApiView):
    required_capabilities = {"GET": Capability.VIEW, "PUT": Capability.MANAGE_CASES}

    @extend_schema(
        tags=[TAG],
        summary="One case and the people on it",
        description="Protected (8 U.S.C. 1367) cases are 404 without clearance. Audited.",
        parameters=[RECEIPT_NUMBER],
        responses={200: CaseSerializer, **problems(400, 403, 404)},
    )
    def get(self, request: Request, receipt_number: str) -> Response:
        number = normalize_receipt_number(receipt_number)
        case = _case_for(request.user, number)
        audit.record(actor=request.user, action="case.viewed", object_type="case", object_id=number)
        return Response(CaseSerializer(case).data)

    @extend_schema(
        tags=[TAG],
        summary="Create or update a case (case-system integration)",
        description="Needs the manage-cases capability (administrators). Parties given "
        "replace the case's parties; none given leaves them as they are.",
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
        case, created = cases.upsert_case(body.case_data(number), actor=request.user)
        case = _cases(Case.objects.all()).get(pk=case.pk)
        return Response(
            CaseSerializer(case).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
