"""/api/v1/: the response template library (docs/adr/0033-response-templates.md).

GET templates/ lists the templates the caller may use (not paginated: a library is small);
GET service-requests/{reference}/templates/{code} renders one for a request, in the
request's language, so that an integrator can start a response from it and send it with
`"template": "<code>"` beside `"body"`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from srmt.api.authentication import signed_in_user
from srmt.api.inputs import QueryInput
from srmt.api.schema import REFERENCE, problems
from srmt.api.views.base import ApiView
from srmt.response_templates import access, queries
from srmt.response_templates.models import ResponseTemplate
from srmt.response_templates.variables import BY_WRITER, placeholders
from srmt.service_requests import policies, services, template_context
from srmt.service_requests.choices import ResponseKind
from srmt.service_requests.errors import UnknownTemplate

TAG = "response templates"


class TemplateFilter(QueryInput):
    office = serializers.CharField(
        max_length=16, required=False, help_text='An office code, or "national".'
    )
    request_type = serializers.CharField(max_length=64, required=False)
    response_kind = serializers.ChoiceField(choices=ResponseKind.choices, required=False)
    active = serializers.BooleanField(
        required=False, default=True, help_text="false: the inactive templates instead."
    )


class TemplateSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    office = serializers.CharField(source="office.code", read_only=True, allow_null=True)
    request_type = serializers.CharField(read_only=True, help_text="Blank: every type.")
    response_kind = serializers.CharField(read_only=True, help_text="Blank: every kind.")
    is_active = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(source="latest.version", read_only=True)
    body_en = serializers.CharField(source="latest.body_en", read_only=True)
    body_es = serializers.CharField(source="latest.body_es", read_only=True)
    variables = serializers.SerializerMethodField(
        help_text="The variables the latest version uses, in order of first use."
    )

    def get_variables(self, template: ResponseTemplate) -> list[str]:
        latest = template.latest  # type: ignore[attr-defined]
        return placeholders(latest.body_en + "\n" + latest.body_es)


class RenderedTemplateSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    version = serializers.IntegerField()
    language = serializers.CharField()
    body = serializers.CharField(
        help_text="The latest version filled for the request. A variable with no value "
        "for it stays as its placeholder ({{ name }}), to be written before sending."
    )
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text="Variables with no value for this request (left as placeholders).",
    )
    to_write = serializers.ListField(
        child=serializers.CharField(),
        help_text="Of `missing`, the parts the writer always writes (never filled from data).",
    )


def _with_versions(templates: QuerySet[ResponseTemplate]) -> list[ResponseTemplate]:
    rows = list(templates.prefetch_related("versions"))
    for template in rows:
        template.latest = max(template.versions.all(), key=lambda v: v.version)  # type: ignore[attr-defined]
    return rows


class TemplateListView(ApiView):
    query_serializers = {"GET": TemplateFilter}

    @extend_schema(
        tags=[TAG],
        summary="The templates you may use (not paginated)",
        description="National templates and those of the offices you may respond for (all "
        "offices for a national role); each with its latest version in both languages. "
        "Needs the respond or manage-templates capability (403 otherwise).",
        parameters=[TemplateFilter],
        responses={200: TemplateSerializer(many=True), **problems(400, 403)},
    )
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        if not access.may_use_any(user):
            raise PermissionDenied(_("Your role does not allow you to use templates."))
        filters = TemplateFilter(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        templates = queries.filtered(access.visible_templates(user), **filters.validated_data)
        rows = _with_versions(templates.filter(versions__isnull=False).distinct().order_by("code"))
        return Response(TemplateSerializer(rows, many=True).data)


class KindFilter(QueryInput):
    kind = serializers.ChoiceField(
        choices=ResponseKind.choices,
        required=False,
        default="",
        help_text="Only if the template is offered for a response of this kind.",
    )


class RenderedTemplateView(ApiView):
    query_serializers = {"GET": KindFilter}

    @extend_schema(
        tags=[TAG],
        summary="A template filled for a request, in the request's language",
        description="404 when you may not see the request or the template is not offered "
        "for it (national or the request's office, its type, the kind if given); 403 "
        "without the respond or manage-templates capability. Audited as a view of the "
        "request.",
        parameters=[REFERENCE, OpenApiParameter("code", str, OpenApiParameter.PATH), KindFilter],
        responses={200: RenderedTemplateSerializer, **problems(400, 403, 404)},
    )
    def get(self, request: Request, reference: str, code: str) -> Response:
        user = signed_in_user(request)
        sr = policies.get_request_for_user(user, reference)
        if not access.may_use_any(user):
            raise PermissionDenied(_("Your role does not allow you to use templates."))
        filters = KindFilter(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        try:
            filled = template_context.fill(
                sr, code, viewer=user, kind=filters.validated_data["kind"]
            )
        except UnknownTemplate as exc:
            raise Http404(exc.message) from exc
        services.record_view(sr, actor=user)
        missing = list(filled.rendered.missing)
        return Response(
            {
                "code": filled.template.code,
                "version": filled.version.version,
                "language": filled.language,
                "body": filled.rendered.text,
                "missing": missing,
                "to_write": [name for name in missing if name in BY_WRITER],
            }
        )
