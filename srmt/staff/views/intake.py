"""Tier 1 intake: look up the case first, then record a new service request."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.service_requests import policies, referrals
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.staff import selectors
from srmt.staff.expedite_forms import RepeatForm, repeat_form_for
from srmt.staff.forms import IntakeForm, LookupForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views import routing
from srmt.staff.views.common import call_service, refuse, staff_user


def _intake_user(request: HttpRequest) -> User:
    user = staff_user(request)
    if not user.can(Capability.CREATE):
        raise refuse(_("Your role does not allow you to record service requests."))
    return user


@login_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Step 1: the case and its open requests, so a duplicate is not created by mistake."""
    user = _intake_user(request)
    context: dict[str, object] = {"searched": "receipt_number" in request.GET}
    form = LookupForm(request.GET) if context["searched"] else LookupForm()
    if form.is_bound and form.is_valid():
        receipt_number = form.cleaned_data["receipt_number"]
        case = selectors.visible_case(user, receipt_number)
        open_requests = list(selectors.open_requests_on_case(user, receipt_number))
        audit.record(
            actor=user,
            action=AuditAction.CASE_LOOKED_UP,
            object_type="case",
            object_id=receipt_number,
            changes={"found": case is not None, "open_requests": len(open_requests)},
        )
        context.update(receipt_number=receipt_number, case=case, open_requests=open_requests)
    context["form"] = form
    return render(request, "staff/intake_lookup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def new_request(request: HttpRequest) -> HttpResponse:
    """Step 2: the request itself; the service routes it and sets its due dates."""
    user = _intake_user(request)
    types = list(ServiceRequestType.objects.filter(is_active=True))
    if request.method == "GET":
        initial = {"receipt_number": request.GET.get("receipt_number", "")[:40]}
        form = IntakeForm(initial=initial, types=types)
    else:
        form = IntakeForm(request.POST, types=types)
        repeat_form = repeat_form_for(user, form, request.POST)
        if form.is_valid() and "preview" in request.POST:  # where it would go, saving nothing
            preview = routing.intake_preview(form, user=user)
            return _intake_page(request, form, types, preview, repeat_form)
        if form.is_valid() and repeat_form.is_valid():
            submission = replace(form.submission(), repeat=repeat_form.choice())
            outcome = call_service(form, referrals.submit_or_refer, submission, actor=user)
            if outcome is not None and outcome.referral is not None:
                return routing.referral_page(request, outcome.referral)
            if outcome is not None and outcome.service_request is not None:
                return _recorded(request, user, outcome.service_request)
        return _intake_page(request, form, types, None, repeat_form)
    return _intake_page(request, form, types, None)


def _recorded(request: HttpRequest, user: User, sr: ServiceRequest) -> HttpResponse:
    """The confirmation of a saved request, and its detail page if `user` may be told where
    it went (policies.can_see_routing).

    Otherwise (a receipt number without a case record the user may know of, which for staff
    without clearance includes a case protected by 8 U.S.C. 1367, or a request they may not
    see) it is confirmed by its reference alone, the same words either way (ADR 16): naming
    its office could disclose a protected case. The user starts a fresh intake instead.
    """
    if policies.can_see_routing(user, sr):
        messages.success(
            request,
            _("Service request %(reference)s recorded and sent to %(office)s.")
            % {"reference": sr.reference, "office": sr.office.name},
        )
        return redirect("staff:request-detail", reference=sr.reference)
    messages.success(
        request,
        _(
            "Service request %(reference)s recorded. The office responsible for it will "
            "contact the customer."
        )
        % {"reference": sr.reference},
    )
    return redirect("staff:intake-new")


def _intake_page(
    request: HttpRequest,
    form: IntakeForm,
    types: list[ServiceRequestType],
    preview: routing.RoutingPreview | None,
    repeat_form: RepeatForm | None = None,
) -> HttpResponse:
    no_receipt_types = [t for t in types if not t.requires_receipt_number]
    context = {"form": form, "no_receipt_types": no_receipt_types, "preview": preview}
    context["repeat_form"] = repeat_form if repeat_form and repeat_form.candidates else None
    return render(request, "staff/intake_form.html", context)
