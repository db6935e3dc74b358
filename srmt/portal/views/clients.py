"""A representative's "Your clients' cases" page (`portal:clients`): the cases on which a
Form G-28 of theirs is in effect (cases.access.represented_cases, ADR 27 and 42). Only
representatives have one; anyone else gets 404. Viewing the list is audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.cases.access import represented_cases
from srmt.cases.choices import REPRESENTATIVE_ROLES
from srmt.portal.access import public_account_required


def case_url(receipt_number: str) -> str:
    """The public case page (portal:case), or its path where that page is not built yet."""
    try:
        return reverse("portal:case", args=[receipt_number])
    except NoReverseMatch:
        return f"/cases/{receipt_number}/"


@public_account_required
@require_safe
def clients(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # public_account_required
    if user.kind != AccountKind.REPRESENTATIVE:
        raise Http404
    cases = list(
        represented_cases(user, on=timezone.localdate())
        .select_related("form_type")
        .prefetch_related("parties__person")
        .order_by("receipt_number")
    )
    rows = []
    for case in cases:
        clients = [p.person.name for p in case.parties.all() if p.role not in REPRESENTATIVE_ROLES]
        rows.append(
            {
                "receipt_number": case.receipt_number,
                "form": case.form_type.code,
                "client": ", ".join(clients),
                "status": case.status_text,
                "url": case_url(case.receipt_number),
            }
        )
    audit.record_views(
        actor=user,
        object_type="case",
        object_ids=[c.receipt_number for c in cases],
        confidential_ids=[c.receipt_number for c in cases if c.is_protected],
    )
    return render(request, "portal/clients.html", {"rows": rows})
