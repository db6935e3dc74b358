"""The response template library's pages (supervisors; docs/adr/0033-response-templates.md):
list, create, a template's page (text, history, diff between versions, preview filled from
a real request, deactivate), new version; and the respond panel's template picker."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from srmt.accounts.models import User
from srmt.offices.models import Office
from srmt.response_templates import access, queries, services
from srmt.response_templates.diff import word_diff
from srmt.response_templates.models import ResponseTemplate, TemplateVersion
from srmt.response_templates.services import Wording
from srmt.response_templates.variables import BY_WRITER, CATALOGUE
from srmt.service_requests import policies, template_context
from srmt.service_requests import services as request_services
from srmt.service_requests.choices import ResponseKind
from srmt.service_requests.errors import UnknownTemplate
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.staff.forms import ResponseForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.template_forms import (
    NATIONAL,
    ActiveForm,
    NewTemplateForm,
    PreviewForm,
    TemplateFilterForm,
    WordingForm,
)
from srmt.staff.views.common import call_service, refuse, staff_user
from srmt.staff.views.request_page import Actions, render_request_page


def _manager(request: HttpRequest) -> User:
    user = staff_user(request)
    if not access.may_manage_any(user):
        raise refuse(_("Your role does not allow you to manage response templates."))
    return user


def _purpose(template: ResponseTemplate, types: dict[str, str]) -> tuple[str, str]:
    """The template's request type and response kind as the reader's labels ("" for every)."""
    kind = template.response_kind
    kind_label = str(ResponseKind(kind).label) if kind in ResponseKind.values else kind
    return types.get(template.request_type, template.request_type), kind_label


def _type_names() -> dict[str, str]:
    return {t.code: t.name for t in ServiceRequestType.objects.all()}


def _template(user: User, code: str) -> ResponseTemplate:
    return get_object_or_404(access.visible_templates(user), code=code)


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    offices = list(Office.objects.active().order_by("code"))
    form = TemplateFilterForm(request.GET or None, offices=offices)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or "active"
    templates = queries.filtered(
        access.visible_templates(user),
        office=data.get("office", ""),
        request_type=data.get("request_type", ""),
        response_kind=data.get("response_kind", ""),
        active={"active": True, "inactive": False}.get(status),
    ).order_by("name", "code")
    language = data.get("language") or "en"
    rows = []
    types = _type_names()
    for template in templates.prefetch_related("versions"):
        latest = max(template.versions.all(), key=lambda v: v.version)
        rows.append((template, latest, latest.body(language), *_purpose(template, types)))
    context = {
        "form": form,
        "rows": rows,
        "language": language,
        "can_create": access.manageable_offices(user).exists() or access.has_national_scope(user),
    }
    return render(request, "staff/library/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def template_new(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    offices = list(access.manageable_offices(user).order_by("code"))
    national = access.has_national_scope(user)
    form = NewTemplateForm(request.POST or None, offices=offices, national=national)
    if form.is_valid():
        data = form.cleaned_data
        office = None if data["office"] == NATIONAL else Office.objects.get(code=data["office"])
        created = call_service(
            form,
            services.create_template,
            actor=user,
            code=data["code"],
            name=data["name"],
            office=office,
            request_type=data["request_type"],
            response_kind=data["response_kind"],
            wording=Wording(data["body_en"], data["body_es"], data["change_note"]),
        )
        if created is not None:
            messages.success(request, _("Template %(code)s created.") % {"code": created.code})
            return redirect("staff:template-detail", code=created.code)
    return render(request, "staff/library/new.html", {"form": form, "variables": CATALOGUE})


def _diff_pair(
    versions: list[TemplateVersion], request: HttpRequest
) -> tuple[TemplateVersion, TemplateVersion] | None:
    by_number = {v.version: v for v in versions}
    if len(versions) < 2:
        return None
    try:
        old = int(request.GET.get("from", versions[-2].version))
        new = int(request.GET.get("to", versions[-1].version))
    except ValueError:
        return None
    if old not in by_number or new not in by_number or old == new:
        return None
    return by_number[old], by_number[new]


def _preview(user: User, template: ResponseTemplate, request: HttpRequest) -> dict[str, Any]:
    form = PreviewForm(request.GET if "reference" in request.GET else None)
    context: dict[str, Any] = {"preview_form": form}
    if not form.is_valid():
        return context
    reference = form.cleaned_data["reference"]
    try:
        sr = policies.get_request_for_user(user, reference)
    except Http404:
        form.add_error(
            "reference",
            _("No service request you may see matches %(reference)s.") % {"reference": reference},
        )
        return context
    try:
        filled = template_context.fill(sr, template.code, viewer=user)
    except UnknownTemplate:
        form.add_error(
            "reference",
            _("This template is not offered for %(reference)s (its office, type or status).")
            % {"reference": sr.reference},
        )
        return context
    request_services.record_view(sr, actor=user)
    context["preview"] = filled
    context["preview_sr"] = sr
    context["preview_missing"] = _missing(filled.rendered.missing)
    return context


def _missing(names: tuple[str, ...]) -> dict[str, list[Any]]:
    described = {v.name: v for v in CATALOGUE}
    return {
        "to_write": [described[n] for n in names if n in BY_WRITER],
        "no_value": [described[n] for n in names if n not in BY_WRITER],
    }


@login_required
@require_GET
def template_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _manager(request)
    return _detail_page(request, user, _template(user, code))


def _detail_page(
    request: HttpRequest,
    user: User,
    template: ResponseTemplate,
    active_form: ActiveForm | None = None,
) -> HttpResponse:
    versions = list(template.versions.select_related("created_by").order_by("version"))
    pair = _diff_pair(versions, request)
    context: dict[str, Any] = {
        "template": template,
        "purpose": _purpose(template, _type_names()),
        "latest": versions[-1],
        "versions": list(reversed(versions)),
        "can_manage": access.can_manage(user, template.office),
        "active_form": active_form or ActiveForm(),
        "variables": CATALOGUE,
        **_preview(user, template, request),
    }
    if pair is not None:
        old, new = pair
        context["diff"] = {
            "old": old,
            "new": new,
            "en": word_diff(old.body_en, new.body_en),
            "es": word_diff(old.body_es, new.body_es),
        }
    return render(request, "staff/library/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def template_edit(request: HttpRequest, code: str) -> HttpResponse:
    """A new version: the text as it is now to start from, and a change note."""
    user = _manager(request)
    template = _template(user, code)
    if not access.can_manage(user, template.office):
        raise refuse(_("You may not write this template."))
    latest = queries.latest_version(template)
    form = WordingForm(
        request.POST or None, initial={"body_en": latest.body_en, "body_es": latest.body_es}
    )
    if form.is_valid():
        data = form.cleaned_data
        version = call_service(
            form,
            services.add_version,
            template,
            actor=user,
            wording=Wording(data["body_en"], data["body_es"], data["change_note"]),
        )
        if version is not None:
            messages.success(
                request,
                _("Version %(version)d of %(code)s saved. Responses already sent keep theirs.")
                % {"version": version.version, "code": template.code},
            )
            return redirect("staff:template-detail", code=template.code)
    context = {"template": template, "latest": latest, "form": form, "variables": CATALOGUE}
    return render(request, "staff/library/edit.html", context)


@login_required
@require_POST
@one_time_submission
def template_active(request: HttpRequest, code: str) -> HttpResponse:
    user = _manager(request)
    template = _template(user, code)
    active = request.POST.get("active") == "1"
    form = ActiveForm(request.POST)
    done = call_service(form, services.set_active, template, actor=user, active=active)
    if done is None:
        return _detail_page(request, user, template, form)
    if active:
        messages.success(request, _("Template %(code)s is offered again.") % {"code": code})
    else:
        messages.success(request, _("Template %(code)s is no longer offered.") % {"code": code})
    return redirect("staff:template-detail", code=template.code)


@login_required
@require_GET
def respond_with_template(request: HttpRequest, reference: str) -> HttpResponse:
    """The respond form filled from a template offered for the request: the form alone for
    htmx (it replaces the one on the page), else the whole request page with it open."""
    user = staff_user(request)
    sr = policies.get_request_for_user(user, reference)
    if not Actions.for_user(user, sr).respond:
        raise refuse(_("Your role does not allow you to respond to this request."))
    code = request.GET.get("template", "")
    form = _filled_form(user, sr, code)
    if request.headers.get("HX-Request"):
        context = {"sr": sr, "response_form": form, "seen_at": request.GET.get("seen_at", "")}
        context.update(_picker(sr))
        return render(request, "staff/_respond_form.html", context)
    return render_request_page(request, sr, panel="respond", bound={"response_form": form})


def _filled_form(user: User, sr: ServiceRequest, code: str) -> ResponseForm:
    has_responses = sr.first_responded_at is not None
    if not code:
        return ResponseForm(has_responses=has_responses)
    try:
        filled = template_context.fill(sr, code, viewer=user)
    except UnknownTemplate as exc:
        form = ResponseForm(has_responses=has_responses)
        form.template_error = exc.message
        return form
    initial = {"body": filled.rendered.text, "template": filled.template.code}
    form = ResponseForm(has_responses=has_responses, initial=initial)
    first = ResponseKind.FOLLOW_UP if has_responses else ResponseKind.INITIAL
    if filled.template.response_kind in (first, ResponseKind.FINAL):
        form.initial["kind"] = filled.template.response_kind
    form.template_missing = _missing(filled.rendered.missing)
    return form


def _picker(sr: ServiceRequest) -> dict[str, Any]:
    return {"offered_templates": list(template_context.offered_for(sr))}
