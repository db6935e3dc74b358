"""The expedite decision and the evidence of a request, on the request page: the expedite
details, the customer's description and the files come first, then the decision (uploads
and downloads are in staff.views.attachments)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from srmt.service_requests import expedites, policies
from srmt.service_requests.models import ServiceRequest
from srmt.staff.collisions import Guard, guarded
from srmt.staff.expedite_forms import AttachmentForm, DecisionForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views.common import call_service, staff_user
from srmt.staff.views.request_page import render_request_page


def evidence_page(
    request: HttpRequest,
    sr: ServiceRequest,
    *,
    decision_form: DecisionForm | None = None,
    upload_form: AttachmentForm | None = None,
    status: int = 200,
    guard: Guard | None = None,
) -> HttpResponse:
    """The request page with its expedite-and-evidence panel open (a bound form shown as
    sent when it was just refused; the unbound ones only when the user may use them)."""
    return render_request_page(
        request,
        sr,
        panel="expedite",
        status=status,
        collision=guard.seen if guard is not None and guard.collided else None,
        bound={"decision_form": decision_form, "upload_form": upload_form},
    )


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
    guard = guarded(sr, request)
    if form.is_valid():
        done = call_service(
            form,
            guard(expedites.decide_expedite),
            sr,
            actor=user,
            approved=form.approved,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("Decision recorded and sent to the customer."))
            return redirect("staff:request-detail", reference=sr.reference)
    return evidence_page(request, sr, decision_form=form, status=400, guard=guard)
