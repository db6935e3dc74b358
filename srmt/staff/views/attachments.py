"""The evidence attached to a request: upload (the evidence panel of the request page) and
download (service_requests.attachments); both on the request page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from srmt.service_requests import attachments, policies
from srmt.staff.expedite_forms import AttachmentForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views.common import call_service, staff_user
from srmt.staff.views.expedites import evidence_page


@login_required
@require_POST
@one_time_submission
def upload(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    sr = policies.get_request_for_user(user, reference)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        added = call_service(
            form, attachments.add_attachment, sr, actor=user, upload=form.cleaned_data["file"]
        )
        if added is not None:
            messages.success(request, _("File attached."))
            return redirect("staff:request-detail", reference=sr.reference)
    return evidence_page(request, sr, upload_form=form, status=400)


@login_required
@require_GET
def download(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    return attachments.download(staff_user(request), reference, attachment_id)
