"""Reads of the template library: what is offered for a request, latest versions, filters."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from srmt.response_templates.models import ResponseTemplate, TemplateVersion


def with_latest(templates: QuerySet[ResponseTemplate]) -> QuerySet[ResponseTemplate]:
    """`templates`, each annotated with `latest_version` (its highest version number)."""
    latest = (
        TemplateVersion.objects.filter(template=OuterRef("pk"))
        .order_by("-version")
        .values("version")[:1]
    )
    return templates.annotate(latest_version=Subquery(latest))


def offered(
    *, office_id: int, request_type: str, response_kind: str = ""
) -> QuerySet[ResponseTemplate]:
    """The active templates offered for a request held by office `office_id`, of type
    `request_type`, for a response of `response_kind` (blank: any kind): national ones and
    the office's own, made for that type (or every type) and that kind (or every kind)."""
    templates = ResponseTemplate.objects.filter(
        Q(office__isnull=True) | Q(office_id=office_id),
        Q(request_type="") | Q(request_type=request_type),
        is_active=True,
        versions__isnull=False,
    ).distinct()
    if response_kind:
        templates = templates.filter(Q(response_kind="") | Q(response_kind=response_kind))
    return with_latest(templates).select_related("office").order_by("name", "code")


def latest_version(template: ResponseTemplate) -> TemplateVersion:
    """The template's newest version (every template has at least one)."""
    return template.versions.order_by("-version").first() or _no_version(template)


def _no_version(template: ResponseTemplate) -> TemplateVersion:
    raise TemplateVersion.DoesNotExist(f"Template {template.code} has no version.")


def filtered(
    templates: QuerySet[ResponseTemplate],
    *,
    office: str = "",
    request_type: str = "",
    response_kind: str = "",
    active: bool | None = None,
) -> QuerySet[ResponseTemplate]:
    """`templates` narrowed by a list's filters (`office`: an office code, or "national"),
    each with its `latest_version`."""
    if office == "national":
        templates = templates.filter(office__isnull=True)
    elif office:
        templates = templates.filter(office__code=office)
    if request_type:
        templates = templates.filter(request_type=request_type)
    if response_kind:
        templates = templates.filter(response_kind=response_kind)
    if active is not None:
        templates = templates.filter(is_active=active)
    return with_latest(templates)
