"""The e-Request without an account: /e-request/ (issue 11 §4, ADR 0044).

A visitor gives the receipt number, their full name and date of birth (checked against the
case's parties by `erequests.identity`: every failure reads the same, 1367 cases included,
and attempts are limited per client address), the request and an email address for the
answer. `erequests.services.open_guest_erequest` checks eligibility without an account and
records the request through intake, the system acting on the visitor's behalf.

The form carries a signed one-time token, claimed in the cache before the write (released
on a refusal), so a double submit records one request. The confirmation page shows only the
reference and the date by which we aim to answer, both read from its own signed link.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from srmt.core.clientip import client_ip
from srmt.core.errors import DomainError
from srmt.erequests import defaults, services
from srmt.erequests.errors import NotEligible
from srmt.erequests.identity import TooManyAttempts
from srmt.erequests.models import Eligibility
from srmt.idempotency import services as idempotency
from srmt.service_requests.models import ServiceRequestType

TOKEN_FIELD = "submission_token"  # noqa: S105 (a form field name)
_SALT = "srmt.portal.guest.submission-token"
_DONE_SALT = "srmt.portal.guest.confirmation"
_CLAIM = "srmt:guest-erequest-token:{}"
_PENDING = "pending"


def guest_types() -> list[ServiceRequestType]:
    """The self-service types the agency allows without an account on some form (data)."""
    codes = set(
        Eligibility.objects.filter(
            is_allowed=True, without_account=True, request_type__in=defaults.SELF_SERVICE_TYPES
        ).values_list("request_type", flat=True)
    )
    return list(ServiceRequestType.objects.filter(code__in=codes, is_active=True))


class GuestForm(forms.Form):
    receipt_number = forms.CharField(
        label=gettext_lazy("Receipt number"),
        help_text=gettext_lazy("13 characters, for example EAC2490012345. It is on your notice."),
        max_length=40,
    )
    name = forms.CharField(label=gettext_lazy("Your full name, as on your notice"), max_length=200)
    date_of_birth = forms.DateField(
        label=gettext_lazy("Your date of birth"),
        help_text=gettext_lazy("For example 1990-04-28 (year-month-day)."),
        input_formats=["%Y-%m-%d", "%m/%d/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=gettext_lazy("Tell us what you need"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5_000,
    )
    email = forms.EmailField(
        label=gettext_lazy("Your email address (we use it if we have none on file)"), max_length=254
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language for our answer"),
        choices=[("en", "English"), ("es", "Español")],
    )

    def __init__(self, *args: Any, types: list[ServiceRequestType], **kw: Any) -> None:
        super().__init__(*args, **kw)
        type_field = forms.ChoiceField(
            label=gettext_lazy("What do you need?"),
            choices=[(t.code, t.name) for t in types],
            widget=forms.RadioSelect,
        )
        # The type comes after the identity fields, before the description.
        fields = list(self.fields.items())
        fields.insert(3, ("type", type_field))
        self.fields = dict(fields)


def _mint() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=_SALT)


def _token(request: HttpRequest) -> str:
    try:
        token = signing.loads(
            request.POST.get(TOKEN_FIELD, ""),
            salt=_SALT,
            max_age=idempotency.retention(),
        )
    except (signing.BadSignature, ValueError, TypeError):
        return ""
    return token if isinstance(token, str) else ""


def _confirmation_url(reference: str, answer_by: str) -> str:
    signed = signing.dumps({"r": reference, "d": answer_by}, salt=_DONE_SALT)
    return reverse("portal:erequest-guest-sent") + "?" + "c=" + signed


@require_http_methods(["GET", "HEAD", "POST"])
def guest_erequest(request: HttpRequest) -> HttpResponse:
    types = guest_types()
    form = GuestForm(
        request.POST or None, types=types, initial={"language": get_language() or "en"}
    )
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        answer = _submit(request, form, context)
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    context["token"] = _mint()
    return render(request, "portal/erequest_guest/form.html", context, status=status)


def _submit(request: HttpRequest, form: GuestForm, context: dict[str, Any]) -> HttpResponse | int:
    """Record the request once: a redirect or a page, or the status to show the form with."""
    token = _token(request)
    if not token:
        form.add_error(
            None,
            _("This form could not be checked, so nothing was saved. Please submit it again."),
        )
        return 200
    key = _CLAIM.format(token)
    timeout = int(idempotency.retention().total_seconds())
    if not cache.add(key, _PENDING, timeout=timeout):
        seen = cache.get(key)
        if seen and seen != _PENDING:
            return redirect(seen)
        form.add_error(None, _("We are already recording this request. Please wait a moment."))
        return 200
    data = form.cleaned_data
    try:
        with transaction.atomic():
            sr = services.open_guest_erequest(
                services.GuestERequest(
                    receipt_number=data["receipt_number"],
                    name=data["name"],
                    date_of_birth=data["date_of_birth"],
                    type=data["type"],
                    description=data["description"],
                    email=data["email"],
                    language=data["language"],
                ),
                client_key=client_ip(request),
            )
    except NotEligible as error:
        cache.delete(key)
        context["refusal"] = error.message
        return render(request, "portal/erequest_guest/refused.html", context)
    except TooManyAttempts as error:
        cache.delete(key)
        form.add_error(None, error.message)
        return 429
    except DomainError as error:
        cache.delete(key)
        form.add_error(None, error.message)
        return 200
    answer_by = timezone.localtime(sr.due_at).date().isoformat()
    url = _confirmation_url(sr.reference, answer_by)
    cache.set(key, url, timeout=timeout)
    return redirect(url)


@require_safe
def guest_erequest_sent(request: HttpRequest) -> HttpResponse:
    """The reference and the date by which we aim to answer, from the signed link only."""
    try:
        found = signing.loads(
            request.GET.get("c", ""), salt=_DONE_SALT, max_age=idempotency.retention()
        )
        reference, answer_by = str(found["r"]), parse_date(str(found["d"]))
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return redirect("portal:erequest-guest")
    if answer_by is None:
        return redirect("portal:erequest-guest")
    context = {"reference": reference, "answer_by": answer_by}
    return render(request, "portal/erequest_guest/sent.html", context)
