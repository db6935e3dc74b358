"""e-Requests and "My requests" (issue 11 §4, ADR 0044).

Every read goes through the domain's access helpers (`erequests.queries`,
`service_requests.policies`): anything the account may not see is a 404, 1367 cases
included. Writes go through `erequests.services`. Every form that writes carries a one-time
token (claimed in the write's transaction), so a double submit does nothing twice.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.cases.errors import StatusOnlyCase
from srmt.core.errors import DomainError
from srmt.core.receipts import normalize_receipt_number
from srmt.erequests import defaults, eligibility, queries, services
from srmt.erequests.errors import NotEligible
from srmt.idempotency import services as idempotency
from srmt.portal.access import public_account_required
from srmt.service_requests import policies
from srmt.service_requests.address_changes import NewAddress
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.service_requests.requesters import RequesterData

TOKEN_FIELD = "submission_token"  # noqa: S105 (a form field name)
_SALT = "srmt.portal.requests.submission-token"


# --- one-time submission tokens -----------------------------------------------------------


def _mint(user: User) -> str:
    return signing.dumps([user.pk, secrets.token_urlsafe(24)], salt=_SALT)


def _token(request: HttpRequest) -> str:
    """The random part of the POSTed token if it is this account's and still valid, or ""."""
    try:
        owner, token = signing.loads(
            request.POST.get(TOKEN_FIELD, ""), salt=_SALT, max_age=idempotency.retention()
        )
    except (signing.BadSignature, ValueError, TypeError):
        return ""
    return token if owner == request.user.pk and isinstance(token, str) else ""


class _AlreadyDone(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


def _once(request: HttpRequest, write: Any) -> str:
    """Run `write()` (returning the URL to land on) at most once per form token."""
    user = request.user
    assert isinstance(user, User)
    token = _token(request)
    if not token:
        raise _FormExpired(
            _("This form could not be checked, so nothing was saved. Please submit it again.")
        )
    with transaction.atomic():
        seen = idempotency.claim_token(user, token)
        if seen is not None:
            raise _AlreadyDone(seen or reverse("portal:requests"))
        url: str = write()
        idempotency.record_result(user, token, url)
    return url


class _FormExpired(DomainError):
    code = "submission_refused"


# --- forms ----------------------------------------------------------------------------------


class ChooseForm(forms.Form):
    def __init__(self, *args: Any, cases: list[str], types: list[ServiceRequestType], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["receipt_number"] = forms.ChoiceField(
            label=gettext_lazy("Your case"), choices=[(c, c) for c in cases]
        )
        self.fields["type"] = forms.ChoiceField(
            label=gettext_lazy("What do you need?"), choices=[(t.code, t.name) for t in types]
        )


class ERequestForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your full name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Tell us what you need"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5_000,
    )

    def __init__(self, *args: Any, type_code: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if type_code == defaults.TYPOGRAPHIC_ERROR:
            self.fields["document"] = forms.CharField(
                label=gettext_lazy(
                    "Which document has the error? (for example, your receipt notice)"
                ),
                max_length=200,
            )
            self.fields["field_name"] = forms.CharField(
                label=gettext_lazy("Which part of it is wrong? (for example, date of birth)"),
                max_length=200,
            )
        if type_code == defaults.CHANGE_OF_ADDRESS:
            self.fields["street"] = forms.CharField(
                label=gettext_lazy("New street address"), max_length=200
            )
            self.fields["unit"] = forms.CharField(
                label=gettext_lazy("Apartment or unit (if any)"), max_length=50, required=False
            )
            self.fields["city"] = forms.CharField(label=gettext_lazy("City"), max_length=100)
            self.fields["state"] = forms.CharField(
                label=gettext_lazy("State (two letters)"), max_length=2
            )
            self.fields["zip_code"] = forms.CharField(label=gettext_lazy("ZIP code"), max_length=10)

    def new_address(self) -> NewAddress | None:
        if "street" not in self.fields:
            return None
        data = self.cleaned_data
        return NewAddress(
            street=data["street"],
            unit=data.get("unit", ""),
            city=data["city"],
            state=data["state"].upper(),
            zip_code=data["zip_code"],
        )


class AddInformationForm(forms.Form):
    information = forms.CharField(
        label=gettext_lazy("What do you want to add?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
    )


# --- helpers --------------------------------------------------------------------------------


def _account(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _self_service_types() -> list[ServiceRequestType]:
    return list(
        ServiceRequestType.objects.filter(code__in=defaults.SELF_SERVICE_TYPES, is_active=True)
    )


def _type_or_404(code: str) -> ServiceRequestType:
    if code not in defaults.SELF_SERVICE_TYPES:
        raise Http404
    found = ServiceRequestType.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise Http404
    return found


def _open_same_type(account: User, receipt_number: str, type_code: str) -> ServiceRequest | None:
    return (
        policies.visible_requests(account)
        .filter(receipt_number=receipt_number, type__code=type_code, status__in=OPEN_STATUSES)
        .order_by("-created_at", "-id")
        .first()
    )


def _audit_views(account: User, requests: list[ServiceRequest]) -> None:
    audit.record_views(
        actor=account,
        object_type="service_request",
        object_ids=[sr.reference for sr in requests],
        confidential_ids=[sr.reference for sr in requests if sr.case and sr.case.is_protected],
    )


# --- pages ----------------------------------------------------------------------------------


@require_safe
@public_account_required
def request_list(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    found = list(queries.my_requests(account)[:200])
    if found:
        _audit_views(account, found)
    return render(request, "portal/requests/list.html", {"service_requests": found})


@require_http_methods(["GET", "HEAD", "POST"])
@public_account_required
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    account = _account(request)
    sr = queries.get_my_request(account, reference)
    form = AddInformationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        url = reverse("portal:request", args=[sr.reference])

        def write() -> str:
            services.add_information(sr, form.cleaned_data["information"], actor=account)
            return url

        try:
            _once(request, write)
        except _AlreadyDone as done:
            return redirect(done.url)
        except DomainError as error:
            form.add_error(None, error.message)
            status = error.http_status if isinstance(error, StatusOnlyCase) else 200
        else:
            messages.success(request, _("We added your information to this request."))
            return redirect(url)
    _audit_views(account, [sr])
    context = {
        "sr": sr,
        # a request on a paper case the account may only follow: read, not added to
        "status_only": (
            policies.status_only_message(sr.case)
            if sr.case is not None and not policies.is_actionable(account, sr.case)
            else ""
        ),
        "responses": queries.sent_responses(sr),
        "next_step": queries.next_step(sr, today=timezone.localdate()),
        "form": form,
        "token": _mint(account),
    }
    return render(request, "portal/requests/detail.html", context, status=status)


@require_safe
@public_account_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Choose a case and a type (a GET form), then go to that e-Request's page."""
    account = _account(request)
    cases = list(
        policies.actionable_cases(account)
        .order_by("receipt_number")
        .values_list("receipt_number", flat=True)
    )
    form = ChooseForm(request.GET or None, cases=cases, types=_self_service_types())
    if form.is_bound and form.is_valid():
        return redirect(
            "portal:request-new-type",
            receipt_number=form.cleaned_data["receipt_number"],
            type_code=form.cleaned_data["type"],
        )
    context = {"form": form, "has_cases": bool(cases), "status_only": _status_only(account)}
    return render(request, "portal/requests/choose.html", context)


def _status_only(account: User) -> list[str]:
    """The receipt numbers of the account's paper cases with status tracking only: the
    choosers leave them out and say so."""
    return list(
        policies.status_only_cases(account)
        .order_by("receipt_number")
        .values_list("receipt_number", flat=True)
    )


@require_http_methods(["GET", "HEAD", "POST"])
@public_account_required
def request_new_type(request: HttpRequest, receipt_number: str, type_code: str) -> HttpResponse:
    account = _account(request)
    request_type = _type_or_404(type_code)
    try:
        number = normalize_receipt_number(receipt_number)
    except DomainError:
        raise Http404 from None
    case = policies.known_case(account, number)
    if case is None:
        raise Http404
    context: dict[str, Any] = {"case": case, "request_type": request_type}
    try:
        policies.require_actionable(account, case)
    except StatusOnlyCase as error:  # a paper case they may only follow, a crafted POST too
        context.update(refusal=error.message, status_only=True)
        return render(request, "portal/requests/refused.html", context, status=403)
    verdict = eligibility.check(case, type_code, today=timezone.localdate())
    if not verdict.eligible:
        context["refusal"] = eligibility.explain(verdict)
        context["verdict"] = verdict
        return render(request, "portal/requests/refused.html", context)
    existing = _open_same_type(account, number, type_code)
    form = ERequestForm(
        request.POST or None, type_code=type_code, initial={"name": _default_name(account)}
    )
    if request.method == "POST" and form.is_valid():
        data = _erequest(request, form, number, type_code, existing)
        sent = _send(request, form, data, context)
        if sent is not None:
            return sent
    if existing is not None:
        context["existing"] = existing
        context["existing_response"] = queries.sent_responses(existing).last()
        context["add_form"] = AddInformationForm()
        context["add_token"] = _mint(account)
    context.update({"form": form, "token": _mint(account)})
    return render(request, "portal/requests/form.html", context)


def _erequest(
    request: HttpRequest,
    form: ERequestForm,
    number: str,
    type_code: str,
    existing: ServiceRequest | None,
) -> services.ERequest:
    account = _account(request)
    return services.ERequest(
        receipt_number=number,
        type=type_code,
        description=form.cleaned_data["description"],
        requester=RequesterData(
            name=form.cleaned_data["name"],
            email=account.email,
            language=request.LANGUAGE_CODE,
            zip_code=form.cleaned_data.get("zip_code", ""),
        ),
        document=form.cleaned_data.get("document", ""),
        field_name=form.cleaned_data.get("field_name", ""),
        new_address=form.new_address(),
        repeat_of=existing.reference if existing is not None else "",
    )


def _send(
    request: HttpRequest, form: ERequestForm, data: services.ERequest, context: dict[str, Any]
) -> HttpResponse | None:
    """Open the request once; the page to answer with, or None to show the form again."""
    account = _account(request)

    def write() -> str:
        sr = services.open_erequest(data, actor=account)
        return reverse("portal:request", args=[sr.reference])

    try:
        url = _once(request, write)
    except _AlreadyDone as done:
        return redirect(done.url)
    except NotEligible as error:
        context["refusal"] = error.message
        return render(request, "portal/requests/refused.html", context)
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, _("We received your request. Keep its reference to follow it."))
    return redirect(url)


def _default_name(account: User) -> str:
    return account.get_full_name() or ""
