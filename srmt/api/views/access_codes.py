"""/api/v1/cases/{receipt_number}/access-codes/: the case systems issue online access codes
(ADR 43)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.access_codes import services as access_codes
from srmt.access_codes.choices import Delivery
from srmt.access_codes.errors import NotOnCase
from srmt.accounts.roles import Capability
from srmt.api.authentication import signed_in_user
from srmt.api.idempotency import idempotent
from srmt.api.inputs import StrictInput
from srmt.api.schema import RECEIPT_NUMBER, problems
from srmt.api.views.base import ApiView
from srmt.cases.choices import REPRESENTATIVE_ROLES, PartyRole
from srmt.cases.models import Case, CaseParty
from srmt.cases.services import require_case_writer
from srmt.core.receipts import normalize_receipt_number

TAG = "cases"
OWN_ROLES = [r for r in PartyRole.values if r not in REPRESENTATIVE_ROLES]


class AccessCodeInput(StrictInput):
    role = serializers.ChoiceField(
        choices=OWN_ROLES, help_text="The person's role on the case (not a representative)."
    )
    external_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="The case systems' id of the person, when the role alone is ambiguous.",
    )
    delivery = serializers.ChoiceField(
        choices=Delivery.values,
        required=False,
        allow_null=True,
        default=None,
        help_text="How the Account Acceptance Notice goes out. Left out: mailed letter, or "
        "email for a Form I-134A beneficiary. `none`: only this answer carries the code.",
    )


class AccessCodeOutput(serializers.Serializer[Any]):
    receipt_number = serializers.CharField()
    role = serializers.CharField()
    code = serializers.CharField(help_text="The code, shown this once: only its hash is kept.")
    expires_at = serializers.DateTimeField()
    delivery = serializers.ChoiceField(choices=Delivery.values)


class CaseAccessCodesView(ApiView):
    required_capabilities = {"POST": Capability.MANAGE_CASES}

    @extend_schema(
        tags=[TAG],
        summary="Issue an online access code for a person on a case",
        description="For the case systems' integration account: needs the manage-cases "
        "capability and 8 U.S.C. 1367 clearance (403 `clearance_required` otherwise). The "
        "code replaces the person's earlier codes on the case, is valid 90 days and links "
        "once. The answer carries the code ONCE; a retry with the same Idempotency-Key gets "
        "the same answer. 404 for a receipt number without a case record; 400 `not_on_case` "
        "when no one (or more than one person) has that role on the case.",
        parameters=[RECEIPT_NUMBER],
        request=AccessCodeInput,
        responses={
            201: OpenApiResponse(AccessCodeOutput, description="Issued."),
            **problems(400, 403, 404, 413, 415, 422),
        },
    )
    @idempotent
    def post(self, request: Request, receipt_number: str) -> Response:
        actor = signed_in_user(request)
        number = normalize_receipt_number(receipt_number)
        body = AccessCodeInput(data=request.data)
        body.is_valid(raise_exception=True)
        require_case_writer(actor)
        case = Case.objects.select_related("form_type").filter(receipt_number=number).first()
        if case is None:
            raise Http404(_("No case matches that receipt number."))
        parties = CaseParty.objects.filter(case=case, role=body.validated_data["role"])
        if body.validated_data["external_id"]:
            parties = parties.filter(person__external_id=body.validated_data["external_id"])
        found = list(parties.select_related("person")[:2])
        if len(found) != 1:
            raise NotOnCase(
                str(
                    gettext_lazy(
                        "Name exactly one person on the case: their role, and their "
                        "external_id when more than one person has that role."
                    )
                ),
                field="role",
            )
        issued = access_codes.issue_code(
            case, found[0].person, actor=actor, delivery_method=body.validated_data["delivery"]
        )
        answer = {
            "receipt_number": number,
            "role": found[0].role,
            "code": issued.plaintext,
            "expires_at": issued.code.expires_at,
            "delivery": issued.code.delivery,
        }
        return Response(AccessCodeOutput(answer).data, status=status.HTTP_201_CREATED)
