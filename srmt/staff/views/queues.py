"""Home, work queues and statistics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.service_requests.models import ServiceRequestType
from srmt.staff import selectors
from srmt.staff.forms import OfficeSelectForm, QueueFilterForm
from srmt.staff.views.common import refuse, staff_user

PAGE_SIZE = 25


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send staff to their work queue, and analysts to the statistics."""
    user = staff_user(request)
    office = selectors.default_queue_office(user)
    if office is not None:
        return redirect("staff:queue", office_code=office.code)
    if user.can(Capability.AGGREGATES):
        return redirect("staff:statistics")
    raise refuse()


@login_required
@require_GET
def queue_index(request: HttpRequest) -> HttpResponse:
    """The office selector's target: go to the chosen office's queue."""
    code = request.GET.get("office", "").strip()
    if not code:
        return redirect("staff:home")
    office = get_object_or_404(selectors.queue_offices(staff_user(request)), code=code)
    return redirect("staff:queue", office_code=office.code)


@login_required
@require_GET
def queue(request: HttpRequest, office_code: str) -> HttpResponse:
    user = staff_user(request)
    offices = list(selectors.queue_offices(user))
    office = next((o for o in offices if o.code == office_code), None)
    if office is None:
        raise Http404
    types = list(ServiceRequestType.objects.filter(is_active=True))
    form = QueueFilterForm(request.GET, types=types)
    now = timezone.now()
    rows = selectors.queue_requests(user, office, form.filters(), now=now)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_views(
        actor=user,
        object_type="service_request",
        object_ids=[sr.reference for sr in page],
        confidential_ids=[sr.reference for sr in page if sr.is_confidential],
    )
    context = {
        "office": office,
        "filter_form": form,
        "office_form": OfficeSelectForm(initial={"office": office.code}, offices=offices),
        "page": page,
        "rows": [(sr, sr.is_overdue(now), sr.is_at_risk(now)) for sr in page],
    }
    return render(request, "staff/queue.html", context)


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not user.can(Capability.AGGREGATES):
        raise refuse()
    stats = selectors.statistics(user, now=timezone.now())
    return render(request, "staff/statistics.html", {"stats": stats})
