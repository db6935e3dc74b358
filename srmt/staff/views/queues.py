"""Home, work queues (sorting, saved views, bulk actions, CSV export) and statistics."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.core.errors import DomainError
from srmt.offices.labels import office_label, shared_names
from srmt.offices.models import Office
from srmt.service_requests.models import ServiceRequestType
from srmt.staff import bulk, export, selectors, submissions
from srmt.staff import home as home_reads
from srmt.staff.forms import QUEUE_QUERY_KEYS, OfficeSelectForm, QueueFilterForm, UswdsForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views.common import call_service, refuse, staff_user
from srmt.staff.workspace_forms import (
    MAX_BULK,
    BulkActionForm,
    SavedViewForm,
)
from srmt.workspace import services as workspace
from srmt.workspace.errors import ViewNotFound
from srmt.workspace.models import SavedQueueView

PAGE_SIZE = 25


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The home page of each role (docs/adr/0031); analysts go to the statistics."""
    user = staff_user(request)
    if not user.can(Capability.VIEW):
        if user.can(Capability.AGGREGATES):
            return redirect("staff:statistics")
        raise refuse()
    page = home_reads.home(user, now=timezone.now())
    audit.record_views(
        actor=user,
        object_type="service_request",
        object_ids=page.references,
        confidential_ids=page.confidential_references,
    )
    return render(
        request,
        "staff/home.html",
        {"home": page, "default_office": selectors.default_queue_office(user)},
    )


@login_required
@require_GET
def queue_index(request: HttpRequest) -> HttpResponse:
    """The office selector's target: go to the chosen office's queue."""
    code = request.GET.get("office", "").strip()
    if not code:
        office = selectors.default_queue_office(staff_user(request))
        if office is None:
            return redirect("staff:home")
        return redirect("staff:queue", office_code=office.code)
    office = selectors.queue_offices(staff_user(request)).filter(code=code).first()
    if office is None:
        raise Http404
    return redirect("staff:queue", office_code=office.code)


def _queue_office(user: User, office_code: str) -> tuple[Office, list[Office]]:
    offices = list(selectors.queue_offices(user))
    office = next((o for o in offices if o.code == office_code), None)
    if office is None:
        raise Http404
    return office, offices


def _filter_form(request: HttpRequest) -> QueueFilterForm:
    types = list(ServiceRequestType.objects.filter(is_active=True))
    return QueueFilterForm(request.GET, types=types)


def _sort_links(form: QueueFilterForm) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (ascending first, or the other
    way when it is the current sort) and its aria-sort value."""
    current, descending = selectors.parse_sort(form.filters().sort)
    base = form.query()
    links = {}
    for key in selectors.SORT_KEYS:
        if key == current:
            target = key if descending else f"-{key}"
            state = "descending" if descending else "ascending"
        else:
            target, state = key, ""
        query = {**base, "sort": target}
        if target == selectors.SORT_DUE:
            query.pop("sort")
        links[key] = {"url": "?" + urlencode(query), "aria_sort": state}
    return links


@login_required
@require_GET
def queue(request: HttpRequest, office_code: str) -> HttpResponse:
    user = staff_user(request)
    office, offices = _queue_office(user, office_code)
    form = _filter_form(request)
    now = timezone.now()
    rows = selectors.queue_requests(user, office, form.filters(), now=now)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_views(
        actor=user,
        object_type="service_request",
        object_ids=[sr.reference for sr in page],
        confidential_ids=[sr.reference for sr in page if sr.is_confidential],
    )
    return render(
        request, "staff/queue.html", _queue_context(request, user, office, offices, form, page, now)
    )


def _queue_context(
    request: HttpRequest,
    user: User,
    office: Office,
    offices: list[Office],
    form: QueueFilterForm,
    page: object,
    now: object,
    **extra: object,
) -> dict[str, object]:
    query = form.query()
    views = list(SavedQueueView.objects.filter(owner=user).select_related("office"))
    can_bulk = user.can(Capability.TRANSITION)
    context: dict[str, object] = {
        "office": office,
        "office_name": office_label(office, shared_names=shared_names(offices)),
        "filter_form": form,
        "office_form": OfficeSelectForm(initial={"office": office.code}, offices=offices),
        "page": page,
        "rows": [(sr, sr.is_overdue(now), sr.is_at_risk(now)) for sr in page],  # type: ignore[attr-defined]
        "sort_links": _sort_links(form),
        "query": urlencode(query),
        "saved_views": [(v, _view_query(v)) for v in views],
        "save_form": extra.pop("save_form", None) or SavedViewForm(),
        "view_errors": extra.pop("view_errors", {}),
        "can_bulk": can_bulk,
    }
    if can_bulk:
        context["bulk_form"] = extra.pop("bulk_form", None) or _bulk_form(office, None)
    context.update(extra)
    return context


def _bulk_form(office: Office, data: object) -> BulkActionForm:
    return BulkActionForm(
        data,
        staff=list(selectors.office_assignable_staff(office)),
        offices=list(Office.objects.active()),
    )


@login_required
@require_GET
def export_csv(request: HttpRequest, office_code: str) -> StreamingHttpResponse:
    """The queue under its current filters and sort, every page, as CSV (audited)."""
    user = staff_user(request)
    office, _offices = _queue_office(user, office_code)
    form = _filter_form(request)
    rows = selectors.queue_requests(user, office, form.filters(), now=timezone.now())
    shown = list(export.references(rows))
    confidential = [ref for ref, protected in shown if protected]
    plain = [ref for ref, protected in shown if not protected]
    query = form.query()
    audit.record(
        actor=user,
        action=AuditAction.SERVICE_REQUESTS_EXPORTED,
        object_type="service_request",
        object_id="*",
        changes={"office": office.code, "query": query, "count": len(shown), "ids": plain},
    )
    for reference in sorted(confidential):  # named alone, as audit.record_views does
        audit.record(
            actor=user,
            action=AuditAction.SERVICE_REQUESTS_EXPORTED,
            object_type="service_request",
            object_id=reference,
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        export.lines(rows, language=get_language() or "en"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="srmt-{office.code}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _queue_again(
    request: HttpRequest,
    user: User,
    office: Office,
    query: QueryDict,
    **extra: object,
) -> HttpResponse:
    """The queue page again (filters and page from `query`), with a form's errors: 400."""
    offices = list(selectors.queue_offices(user))
    form = QueueFilterForm(query, types=list(ServiceRequestType.objects.filter(is_active=True)))
    now = timezone.now()
    rows = selectors.queue_requests(user, office, form.filters(), now=now)
    page = Paginator(rows, PAGE_SIZE).get_page(query.get("page"))
    context = _queue_context(request, user, office, offices, form, page, now, **extra)
    return render(request, "staff/queue.html", context, status=400)


def _token_checked(form: UswdsForm) -> bool:
    """Refuse on `form` a submission without a valid one-time token, before a bulk action
    runs its service calls (each of them is checked too)."""
    try:
        with submissions.service_call():
            return True
    except DomainError as exc:
        form.add_domain_error(exc)
        return False


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def bulk_action(request: HttpRequest, office_code: str) -> HttpResponse:
    """POST: one action for the selected requests, a report per request. GET (where a
    submission sent twice lands): a link back to the queue."""
    user = staff_user(request)
    office, _offices = _queue_office(user, office_code)
    if request.method == "GET":
        return render(request, "staff/bulk_result.html", {"office": office, "results": None})
    if not user.can(Capability.TRANSITION):
        raise refuse()
    references = list(
        dict.fromkeys(r.strip().upper() for r in request.POST.getlist("reference") if r.strip())
    )
    form = _bulk_form(office, request.POST)
    valid = form.is_valid()
    if not references:
        form.add_error(None, _("Select at least one request."))
        valid = False
    elif len(references) > MAX_BULK:
        form.add_error(None, _("Select at most %(max)d requests at once.") % {"max": MAX_BULK})
        valid = False
    back = _safe_back(str(request.POST.get("back", "")), office)
    if not (valid and _token_checked(form)):
        query = QueryDict(back.partition("?")[2])
        return _queue_again(request, user, office, query, bulk_form=form)
    data = form.cleaned_data
    results = bulk.apply(
        user,
        references,
        action=data["action"],
        assignee=form.assignee_user(),
        office_code=data.get("office", ""),
        to=data.get("to", ""),
        reason=data.get("reason", ""),
    )
    return render(
        request,
        "staff/bulk_result.html",
        {
            "office": office,
            "results": results,
            "done": sum(r.done for r in results),
            "refused": sum(not r.done for r in results),
            "back": back,
        },
    )


def _safe_back(query: str, office: Office) -> str:
    """The queue the user came from: only its filters, sort and page are kept (never a
    link elsewhere)."""
    base = reverse("staff:queue", args=[office.code])
    given = QueryDict(query.lstrip("?"))
    kept = [(k, given[k]) for k in (*QUEUE_QUERY_KEYS, "page") if given.get(k)]
    return f"{base}?{urlencode(kept)}" if kept else base


@login_required
@require_POST
@one_time_submission
def save_view(request: HttpRequest, office_code: str) -> HttpResponse:
    """Save the queue's current filters and sort under a name."""
    user = staff_user(request)
    office, _offices = _queue_office(user, office_code)
    filters = QueueFilterForm(
        request.POST, types=list(ServiceRequestType.objects.filter(is_active=True))
    )
    form = SavedViewForm(request.POST)
    if form.is_valid():
        view = call_service(
            form,
            workspace.save_view,
            user,
            office=office,
            name=form.cleaned_data["name"],
            query=filters.query(),
        )
        if view is not None:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
            return redirect(_view_url(view))
    query = QueryDict(mutable=True)
    query.update(filters.query())
    return _queue_again(request, user, office, query, save_form=form)


def _view_query(view: SavedQueueView) -> str:
    """The view's query string, its parameters in the queue form's order (PostgreSQL's JSON
    does not keep the order they were stored in)."""
    query = view.query or {}
    return urlencode([(key, query[key]) for key in QUEUE_QUERY_KEYS if query.get(key)])


def _view_url(view: SavedQueueView) -> str:
    base = reverse("staff:queue", args=[view.office.code])
    query = _view_query(view)
    return f"{base}?{query}" if query else base


def _view_page_again(
    request: HttpRequest, user: User, view: SavedQueueView, form: SavedViewForm
) -> HttpResponse:
    """The view's queue again, the refusal shown next to the view's forms."""
    office = view.office
    if not selectors.queue_offices(user).filter(pk=office.pk).exists():
        office = selectors.default_queue_office(user) or office
    return _queue_again(
        request, user, office, QueryDict(_view_query(view)), view_errors={view.pk: form}
    )


@login_required
@require_POST
@one_time_submission
def rename_view(request: HttpRequest, view_id: int) -> HttpResponse:
    user = staff_user(request)
    view = _own_view(user, view_id)
    form = SavedViewForm(request.POST)
    renamed = None
    if form.is_valid():
        renamed = call_service(
            form, workspace.rename_view, user, view.pk, name=form.cleaned_data["name"]
        )
    if renamed is None:
        return _view_page_again(request, user, view, form)
    messages.success(request, _("View renamed."))
    return redirect(_view_url(renamed))


@login_required
@require_POST
@one_time_submission
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    user = staff_user(request)
    view = _own_view(user, view_id)
    form = SavedViewForm({"name": view.name})
    form.is_valid()
    if call_service(form, workspace.delete_view, user, view.pk) is None and form.errors:
        return _view_page_again(request, user, view, form)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect("staff:queue", office_code=view.office.code)


def _own_view(user: User, view_id: int) -> SavedQueueView:
    try:
        return workspace.own_view(user, view_id)
    except ViewNotFound as exc:
        raise Http404 from exc


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not user.can(Capability.AGGREGATES):
        raise refuse()
    stats = selectors.statistics(user, now=timezone.now())
    return render(request, "staff/statistics.html", {"stats": stats})
