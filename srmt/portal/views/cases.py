"""My cases, one case's page, and linking a paper case with an online access code (ADR 43).

Every case page answers 404 for a case the account may not see: its own cases (a linked
person's, or filed online by it) and, for a representative, the cases with a Form G-28 in
effect. 8 U.S.C. 1367 cases follow the same rule: nobody else learns they exist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from srmt.access_codes import services as access_codes
from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases import access, statuses
from srmt.cases.models import Case, CaseQuerySet
from srmt.core.clientip import client_ip
from srmt.core.errors import DomainError
from srmt.core.receipts import normalize_receipt_number
from srmt.erequests.queries import my_requests
from srmt.portal.access import public_account_required
from srmt.service_requests import policies


def my_cases(account: User) -> CaseQuerySet:
    """Every case `account` may see on the public site."""
    own = access.own_cases(account)
    if account.kind == AccountKind.REPRESENTATIVE:
        represented = access.represented_cases(account, on=timezone.localdate())
        return Case.objects.filter(pk__in=own.values("pk")) | Case.objects.filter(
            pk__in=represented.values("pk")
        )
    return own


@require_safe
@public_account_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    cases = list(my_cases(user).select_related("form_type").order_by("receipt_number"))
    audit.record_views(
        actor=user,
        object_type="case",
        object_ids=[c.receipt_number for c in cases],
        confidential_ids=[c.receipt_number for c in cases if c.is_protected],
    )
    # What each case allows this account online (policies.is_actionable: a customer's paper
    # cases without an IOE receipt are status tracking only; a representative acts on every
    # case with their G-28).
    rows = [{"case": c, "full_account": policies.is_actionable(user, c)} for c in cases]
    return render(
        request,
        "portal/cases/list.html",
        {"rows": rows, "is_representative": user.kind == AccountKind.REPRESENTATIVE},
    )


@require_safe
@public_account_required
def case_detail(request: HttpRequest, receipt_number: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        number = normalize_receipt_number(receipt_number)
    except DomainError:
        raise Http404 from None
    case = my_cases(user).select_related("form_type").filter(receipt_number=number).first()
    if case is None:
        raise Http404
    audit.record(actor=user, action=AuditAction.CASE_VIEWED, object_type="case", object_id=number)
    history = list(case.status_changes.order_by("-changed_at", "-id"))
    spanish = get_language() == "es"
    described = statuses.describe_case(case)
    full = policies.is_actionable(user, case)
    context = {
        "case": case,
        "history": history,
        # each change with its official title in the page's language
        "history_rows": [(c, statuses.status_titles(c.status_text)[int(spanish)]) for c in history],
        "status_title": described.title_es if spanish else described.title_en,
        "status_description": described.description_es if spanish else described.description_en,
        "full_account": full,
        # The requests on this case the account may see (those it made, or its clients'):
        # on a status-only case too, where staff opened them by phone (status tracking).
        "requests": list(my_requests(user).filter(case=case)),
    }
    return render(request, "portal/cases/detail.html", context)


class LinkCaseForm(forms.Form):
    receipt_number = forms.CharField(
        label=gettext_lazy("Receipt number"),
        max_length=20,
        help_text=gettext_lazy("3 letters and 10 numbers, for example EAC2190012345."),
    )
    code = forms.CharField(
        label=gettext_lazy("Online access code"),
        max_length=20,
        help_text=gettext_lazy("12 letters and numbers from your Account Acceptance Notice."),
    )

    def clean_receipt_number(self) -> str:
        try:
            return normalize_receipt_number(self.cleaned_data["receipt_number"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


@require_http_methods(["GET", "HEAD", "POST"])
@public_account_required
def link_case(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = LinkCaseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            access_codes.redeem(
                user,
                form.cleaned_data["receipt_number"],
                form.cleaned_data["code"],
                client_ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = 429 if error.http_status == 429 else 400
        else:
            number = form.cleaned_data["receipt_number"]
            messages.success(
                request, _("Your case %(receipt)s is now linked.") % {"receipt": number}
            )
            return redirect("portal:case", receipt_number=number)
    elif request.method == "POST":
        status = 400
    context: dict[str, Any] = {"form": form}
    return render(request, "portal/cases/link.html", context, status=status)
