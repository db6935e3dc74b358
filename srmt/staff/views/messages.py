"""Secure messages on a request's page (ADR 45): the request's threads and its case's, with
their files, and the answer to one of them (a one-time submission, like every staff form).
A thread on a 1367 case is shown only to 1367-cleared staff of the VAWA/T/U unit; to anyone
else, as to anyone who may not see the request, it does not exist (404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from srmt.messaging import access, services
from srmt.messaging.errors import InvalidMessageFile, NotAllowedToMessage
from srmt.messaging.files import check
from srmt.service_requests import policies
from srmt.service_requests.models import ServiceRequest
from srmt.staff.forms import UswdsForm, textarea
from srmt.staff.submissions import one_time_submission
from srmt.staff.views.common import call_service, staff_user


class MessageReplyForm(UswdsForm):
    thread = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Answer"),
        widget=textarea(6),
        max_length=5000,
        error_messages={"required": _("Write the answer.")},
    )
    attachment = forms.FileField(
        label=_("Attach a file (optional)"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
        required=False,
    )

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                check(upload)
            except InvalidMessageFile as exc:
                raise forms.ValidationError(exc.message) from exc
        return upload


def _page(
    request: HttpRequest,
    sr: ServiceRequest,
    *,
    bound: MessageReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff_user(request)
    threads = list(access.request_threads(user, sr))
    rows = []
    for thread in threads:
        if status == 200:
            services.open_thread(user, thread.pk)
        form = (
            bound
            if bound is not None and bound.data.get("thread") == str(thread.pk)
            else MessageReplyForm(initial={"thread": thread.pk}, prefix=None)
        )
        rows.append(
            {
                "thread": thread,
                "conversation": access.messages_for(user, thread)
                .annotate(held=access.held_notice())
                .prefetch_related("attachments", "author"),
                "form": form,
            }
        )
    return render(
        request,
        "staff/request_messages.html",
        {"sr": sr, "rows": rows, "may_answer": access.may_answer(user)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@one_time_submission
def request_messages(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    sr = policies.get_request_for_user(user, reference)
    if request.method != "POST":
        return _page(request, sr)
    form = MessageReplyForm(request.POST, request.FILES)
    if form.is_valid():
        thread = access.request_threads(user, sr).filter(pk=form.cleaned_data["thread"]).first()
        if thread is None:
            raise Http404(_("No conversation matches that id."))
        upload = form.cleaned_data.get("attachment")
        try:
            sent = call_service(
                form,
                services.send_message,
                user,
                thread,
                body=form.cleaned_data["body"],
                uploads=(upload,) if upload else (),
            )
        except NotAllowedToMessage as exc:
            raise Http404(exc.message) from exc
        if sent is not None:
            flash.success(request, _("Answer sent."))
            return redirect("staff:request-messages", reference=sr.reference)
    return _page(request, sr, bound=form, status=400)


@login_required
@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    try:
        return services.download(staff_user(request), attachment_id)
    except NotAllowedToMessage as exc:
        raise Http404(exc.message) from exc
