"""The expedite-and-evidence page of a request: expedite details and decision, and the
evidence attached to the request (uploaded and downloaded in staff.views.attachments)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from srmt.accounts.roles import Capability
from srmt.service_requests import attachments, expedites, policies
from srmt.service_requests.models import ServiceRequest
from srmt.staff.expedite_forms import AttachmentForm, DecisionForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views.common import call_service, staff_user


def evidence_page(
    request: HttpRequest,
    sr: ServiceRequest,
    *,
    decision_form: DecisionForm | None = None,
    upload_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The expedite-and-evidence page of `sr`, with the forms its user may use (a bound one
    when it was just refused)."""
    user = staff_user(request)
    expedite = expedites.expedite_for(sr)
    can_decide = expedite is not None and not expedite.is_decided and sr.is_open
    can_decide = can_decide and expedites.can_decide(user, sr)
    can_upload = sr.is_open and policies.can_act(user, sr, Capability.NOTE)
    context = {
        "sr": sr,
        "crumb": _("Expedite and evidence"),
        "expedite": expedite,
        "decision_form": (decision_form or DecisionForm()) if can_decide else None,
        "upload_form": (upload_form or AttachmentForm()) if can_upload else None,
        "attachments": attachments.attachments_of(sr),
    }
    return render(request, "staff/expedite.html", context, status=status)


@login_required
@require_GET
def expedite_page(request: HttpRequest, reference: str) -> HttpResponse:
    sr = policies.get_request_for_user(staff_user(request), reference)
    return evidence_page(request, sr)


@login_required
@require_POST
@one_time_submission
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    sr = policies.get_request_for_user(user, reference)
    form = DecisionForm(request.POST)
    if form.is_valid():
        done = call_service(
            form,
            expedites.decide_expedite,
            sr,
            actor=user,
            approved=form.approved,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("Decision recorded and sent to the customer."))
            return redirect("staff:request-expedite", reference=sr.reference)
    return evidence_page(request, sr, decision_form=form, status=400)
