"""The search box's page: requests, cases and people the user may see, ranked (ADR 29)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.search import queries
from srmt.staff.views.common import refuse, staff_user

PAGE_SIZE = 25


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not user.can(Capability.VIEW):
        raise refuse()
    results = queries.search(user, request.GET.get("q", ""))
    page = Paginator(results.hits, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [hit.request for hit in page if hit.request is not None]
    audit.record_views(
        actor=user,
        object_type="service_request",
        object_ids=[sr.reference for sr in shown],
        confidential_ids=[sr.reference for sr in shown if sr.is_confidential],
    )
    context = {"results": results, "page": page, "counts": results.counts()}
    return render(request, "staff/search.html", context)
