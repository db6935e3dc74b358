"""The respond panel's new-information check as the writer types (htmx; ADR 39)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srmt.service_requests import policies
from srmt.staff.assessment_forms import assessed
from srmt.staff.views.common import refuse, staff_user
from srmt.staff.views.request_page import Actions


@login_required
@require_POST
def assess_draft(request: HttpRequest, reference: str) -> HttpResponse:
    """The assessment of the draft in the respond form (its `body` and `template`): the
    score, the warning and the sentences (staff/_assessment_live.html). Whoever may respond
    to the request may ask; the check writes nothing, not even to the audit log."""
    user = staff_user(request)
    sr = policies.get_request_for_user(user, reference)
    if not Actions.for_user(user, sr).respond:
        raise refuse(_("Your role does not allow you to respond to this request."))
    form = assessed(sr, user, request.POST, bound=False)
    return render(request, "staff/_assessment_live.html", {"assessment_form": form})
