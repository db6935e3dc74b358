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


def _choices(account: User) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the account may write about, by a stable key: its cases and its requests that
    it may act on (policies.actionable_cases), and apart those it may only follow (a
    customer's paper cases with status tracking only, and the requests on them)."""
    options: dict[str, Any] = {}
    follow_only: dict[str, Any] = {}
    for case in policies.visible_cases(account).select_related("form_type").order_by("pk"):
        key = f"case-{case.pk}"
        (options if policies.is_actionable(account, case) else follow_only)[key] = case
    requests = policies.visible_requests(account).select_related("type", "case").order_by("pk")
    for sr in requests:
        key = f"request-{sr.pk}"
        (options if policies.is_actionable(account, sr.case) else follow_only)[key] = sr
    return options, follow_only


def _status_only(follow_only: dict[str, Any]) -> list[str]:
    """The receipt numbers of the cases left out of the choices, for the page to say so."""
    cases = {
        (obj if key.startswith("case-") else obj.case).receipt_number
        for key, obj in follow_only.items()
    }
    return sorted(cases)


def _target(key: str, about: Any) -> dict[str, Any]:
    return {"service_request": about} if key.startswith("request-") else {"case": about}


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
    options, follow_only = _choices(account)
    choices = [(key, _label(obj)) for key, obj in options.items()]
    context: dict[str, Any] = {"empty": not choices, "status_only": _status_only(follow_only)}
    if request.method != "POST":
        initial = {"about": request.GET.get("about", "")}
        context["form"] = NewThreadForm(initial=initial, choices=choices)
        return render(request, "portal/messages/new.html", context)
    about = request.POST.get("about", "")
    if about in follow_only:
        # a case (or a request on one) the account may only follow: the page says why, with
        # the services' words (StatusOnlyCase), and nothing is written
        followed = follow_only[about]
        case = followed.case if about.startswith("request-") else followed
        context["refusal"] = policies.status_only_message(case)
        context["form"] = NewThreadForm(
            initial={k: request.POST.get(k, "") for k in ("subject", "body")}, choices=choices
        )
        return render(request, "portal/messages/new.html", context, status=403)
    if about and about not in options:
        # someone else's case or request, or none at all: the same answer (ADR 16)
        raise Http404(_("No case or request matches that choice."))
    form = NewThreadForm(request.POST, request.FILES, choices=choices)
    context["form"] = form
    if form.is_valid():
        key = form.cleaned_data["about"]
        try:
            started = services.start_thread(
                account,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                uploads=_uploads(form),
                **_target(key, options[key]),
            )
        except NotAllowedToMessage as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            flash.success(request, _("Your message was sent."))
            return redirect("portal:message-thread", thread_id=started.pk)
    return render(request, "portal/messages/new.html", context, status=400)


@require_safe
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """A message's file (public_account_required, spelled out: a file is streamed)."""
    if not is_public_account(request.user):
        return HttpResponseRedirect(sign_in_url(request))
    try:
        return services.download(_account(request), attachment_id)
    except NotAllowedToMessage as exc:
        raise Http404(exc.message) from exc
