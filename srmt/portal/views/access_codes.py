"""Asking for a new online access code (ADR 43): the request's reference and the date the
new Account Acceptance Notice should arrive, shown here and emailed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from srmt.access_codes import services as access_codes
from srmt.access_codes.models import AccessCodeRequest
from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.core.errors import DomainError
from srmt.core.receipts import normalize_receipt_number
from srmt.portal.access import public_account_required


class NewCodeForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        max_length=20,
        help_text=_("3 letters and 10 numbers, for example EAC2190012345."),
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("As it appears on your receipt notice."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, help_text=_("For example: 1990-05-17")
    )

    def __init__(self, *args: object, representative: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.representative = representative
        if representative:
            del self.fields["name"]
            del self.fields["date_of_birth"]

    def clean_receipt_number(self) -> str:
        try:
            return normalize_receipt_number(self.cleaned_data["receipt_number"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.representative:
            if not (data.get("name") or "").strip() and "name" not in self.errors:
                self.add_error("name", _("Enter your full name."))
            if data.get("date_of_birth") is None and "date_of_birth" not in self.errors:
                self.add_error("date_of_birth", _("Enter your date of birth."))
        return data


@require_http_methods(["GET", "HEAD", "POST"])
@public_account_required
def request_code(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    representative = user.kind == AccountKind.REPRESENTATIVE
    form = NewCodeForm(request.POST or None, representative=representative)
    status = 200
    if request.method == "POST" and form.is_valid():
        dob = form.cleaned_data.get("date_of_birth")
        try:
            made = access_codes.request_new_code(
                user,
                receipt_number=form.cleaned_data["receipt_number"],
                name=form.cleaned_data.get("name") or "",
                date_of_birth=dob if isinstance(dob, dt.date) else None,
                language=(get_language() or "en")[:2],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = 429 if error.http_status == 429 else 400
        else:
            return redirect("portal:access-code-requested", reference=made.reference)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "portal/access_codes/request.html",
        {"form": form, "representative": representative},
        status=status,
    )


@require_safe
@public_account_required
def requested(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    made = (
        AccessCodeRequest.objects.select_related("case")
        .filter(reference=reference.strip().upper(), requested_by=user)
        .first()
    )
    if made is None:
        raise Http404
    return render(request, "portal/access_codes/requested.html", {"made": made})
