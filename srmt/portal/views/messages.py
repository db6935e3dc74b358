"""Secure messages on the public site (issue 11 §5, ADR 45): the list of conversations with
unread counts, one conversation (read and reply), a new conversation about a case or a
request, and the download of a file. Everything another account owns answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from srmt.accounts.models import User
from srmt.core.errors import DomainError
from srmt.messaging import access, services
from srmt.messaging.errors import NotAllowedToMessage
from srmt.messaging.models import Thread
from srmt.portal.access import is_public_account, public_account_required, sign_in_url
from srmt.portal.message_forms import NewThreadForm, ReplyForm
from srmt.service_requests import policies


def _account(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _uploads(form: ReplyForm) -> tuple[Any, ...]:
    upload = form.cleaned_data.get("attachment")
    return (upload,) if upload else ()


@require_safe
@public_account_required
def inbox(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    threads = access.visible_threads(account)
    unread = dict(
        access.unread_for(account, threads)
        .values("thread")
        .annotate(n=Count("pk"))
        .values_list("thread", "n")
    )
    rows = [
        {"thread": thread, "unread": unread.get(thread.pk, 0)}
        for thread in services.list_threads(account)
    ]
    return render(request, "portal/messages/inbox.html", {"rows": rows})


def _thread_page(
    request: HttpRequest, thread: Thread, form: ReplyForm, *, status: int = 200
) -> HttpResponse:
    account = _account(request)
    conversation = access.messages_for(account, thread).prefetch_related("attachments")
    return render(
        request,
        "portal/messages/thread.html",
        {"thread": thread, "conversation": conversation, "form": form},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@public_account_required
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    account = _account(request)
    try:
        if request.method != "POST":
            return _thread_page(request, services.open_thread(account, thread_id), ReplyForm())
        found = access.get_thread(account, thread_id)
    except NotAllowedToMessage as exc:
        raise Http404(exc.message) from exc
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.send_message(
                account, found, body=form.cleaned_data["body"], uploads=_uploads(form)
            )
        except NotAllowedToMessage as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            flash.success(request, _("Your message was sent."))
            return redirect("portal:message-thread", thread_id=found.pk)
    return _thread_page(request, found, form, status=400)


def _choices(account: User) -> dict[str, Any]:
    """What the account may write about: its cases and its requests, by a stable key."""
    options: dict[str, Any] = {}
    for case in policies.visible_cases(account).select_related("form_type").order_by("pk"):
        options[f"case-{case.pk}"] = case
    for sr in policies.visible_requests(account).select_related("type").order_by("pk"):
        options[f"request-{sr.pk}"] = sr
    return options


def _label(obj: Any) -> str:
    if hasattr(obj, "receipt_number") and not hasattr(obj, "reference"):
        return _("Case %(receipt)s (Form %(form)s)") % {
            "receipt": obj.receipt_number,
            "form": obj.form_type.code,
        }
    return _("Request %(reference)s") % {"reference": obj.reference}


@require_http_methods(["GET", "HEAD", "POST"])
@public_account_required
def new_thread(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    options = _choices(account)
    choices = [(key, _label(obj)) for key, obj in options.items()]
    if request.method != "POST":
        initial = {"about": request.GET.get("about", "")}
        form = NewThreadForm(initial=initial, choices=choices)
        return render(request, "portal/messages/new.html", {"form": form, "empty": not choices})
    about = request.POST.get("about", "")
    if about and about not in options:
        # someone else's case or request, or none at all: the same answer (ADR 16)
        raise Http404(_("No case or request matches that choice."))
    form = NewThreadForm(request.POST, request.FILES, choices=choices)
    if form.is_valid():
        about = options[form.cleaned_data["about"]]
        target = (
            {"service_request": about}
            if form.cleaned_data["about"].startswith("request-")
            else {"case": about}
        )
        try:
            started = services.start_thread(
                account,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                uploads=_uploads(form),
                **target,
            )
        except NotAllowedToMessage as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            flash.success(request, _("Your message was sent."))
            return redirect("portal:message-thread", thread_id=started.pk)
    return render(
        request, "portal/messages/new.html", {"form": form, "empty": not choices}, status=400
    )


@require_safe
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """A message's file (public_account_required, spelled out: a file is streamed)."""
    if not is_public_account(request.user):
        return HttpResponseRedirect(sign_in_url(request))
    try:
        return services.download(_account(request), attachment_id)
    except NotAllowedToMessage as exc:
        raise Http404(exc.message) from exc
