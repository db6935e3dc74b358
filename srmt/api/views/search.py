"""/api/v1/search: the staff search box for integrations (ADR 29)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.accounts.roles import Capability
from srmt.api.inputs import QueryInput
from srmt.api.schema import problems
from srmt.api.serializers import UtcDateTimeField
from srmt.api.views.base import ApiView
from srmt.audit import services as audit
from srmt.search import queries
from srmt.search.query import MAX_QUERY_LENGTH

TAG = "search"


class SearchFilter(QueryInput):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        help_text="A reference, a receipt number (any format), an email address, a phone "
        "number (any format) or words of a name or description.",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=100, required=False, default=25, help_text="At most 100."
    )


class SearchRequestOut(serializers.Serializer[Any]):
    reference = serializers.CharField()
    type = serializers.CharField(help_text="A request type code.")
    status = serializers.CharField()
    office = serializers.CharField(help_text="The code of the office holding it.")
    receipt_number = serializers.CharField()
    created_at = UtcDateTimeField()


class SearchCaseOut(serializers.Serializer[Any]):
    receipt_number = serializers.CharField()
    form_type = serializers.CharField()
    office = serializers.CharField()
    status_text = serializers.CharField()


class SearchPersonOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    language = serializers.CharField()


class SearchHitOut(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["request", "case", "person"])
    tier = serializers.IntegerField(
        help_text="0: reference or receipt number; 1: email or phone; 2: name; 3: description."
    )
    request = SearchRequestOut(allow_null=True)
    case = SearchCaseOut(allow_null=True)
    person = SearchPersonOut(allow_null=True)


class SearchOut(serializers.Serializer[Any]):
    q = serializers.CharField()
    truncated = serializers.BooleanField(
        help_text="True when a kind of result had more matches than are returned."
    )
    results = SearchHitOut(many=True)


def _hit(hit: queries.Hit) -> dict[str, Any]:
    sr, case, person = hit.request, hit.case, hit.person
    return {
        "kind": hit.kind,
        "tier": hit.tier,
        "request": None
        if sr is None
        else {
            "reference": sr.reference,
            "type": sr.type.code,
            "status": sr.status,
            "office": sr.office.code,
            "receipt_number": sr.receipt_number,
            "created_at": sr.created_at,
        },
        "case": None
        if case is None
        else {
            "receipt_number": case.receipt_number,
            "form_type": case.form_type.code,
            "office": case.office.code,
            "status_text": case.status_text,
        },
        "person": None
        if person is None
        else {
            "id": person.pk,
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "language": person.language,
        },
    }


class SearchView(ApiView):
    required_capabilities = {"GET": Capability.VIEW}
    query_serializers = {"GET": SearchFilter}

    @extend_schema(
        tags=[TAG],
        summary="Search requests, cases and people",
        description="What the staff search box finds, ranked: exact reference or receipt "
        "number first, then exact email or phone, then name similarity, then description "
        "words, the most recent first within each. Only what the caller may see: role and "
        "office scope apply, and without 8 U.S.C. 1367 clearance protected cases, their "
        "people and their requests are not found at all. The requests returned are audited "
        "as a list.",
        parameters=[SearchFilter],
        responses={200: SearchOut, **problems(400, 403)},
    )
    def get(self, request: Request) -> Response:
        query = SearchFilter(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        found = queries.search(request.user, query.validated_data["q"])
        hits = found.hits[: query.validated_data["limit"]]
        shown = [hit.request for hit in hits if hit.request is not None]
        audit.record_views(
            actor=request.user,
            object_type="service_request",
            object_ids=[sr.reference for sr in shown],
            confidential_ids=[sr.reference for sr in shown if sr.is_confidential],
        )
        body = {"q": found.query.text, "truncated": found.truncated or len(found.hits) > len(hits)}
        return Response(SearchOut({**body, "results": [_hit(h) for h in hits]}).data)
