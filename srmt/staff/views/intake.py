"""Tier 1 intake: look up the case first, then record a new service request."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.choices import Language
from srmt.cases.models import Case
from srmt.offices.jurisdiction import country_name
from srmt.service_requests import policies, referrals, requesters
from srmt.service_requests.choices import RequestTypeCode
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.staff import selectors
from srmt.staff.expedite_forms import RepeatForm, repeat_form_for
from srmt.staff.forms import PERSON_CALLER, IntakeForm, LookupForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views import routing
from srmt.staff.views.common import call_service, refuse, staff_user


def _intake_user(request: HttpRequest) -> User:
    user = staff_user(request)
    if not user.can(Capability.CREATE):
        raise refuse(_("Your role does not allow you to record service requests."))
    return user


@login_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Step 1: the case and its open requests, so a duplicate is not created by mistake."""
    user = _intake_user(request)
    context: dict[str, object] = {"searched": "receipt_number" in request.GET}
    form = LookupForm(request.GET) if context["searched"] else LookupForm()
    if form.is_bound and form.is_valid():
        receipt_number = form.cleaned_data["receipt_number"]
        case = selectors.visible_case(user, receipt_number)
        open_requests = list(selectors.open_requests_on_case(user, receipt_number))
        audit.record(
            actor=user,
            action=AuditAction.CASE_LOOKED_UP,
            object_type="case",
            object_id=receipt_number,
            changes={"found": case is not None, "open_requests": len(open_requests)},
        )
        context.update(receipt_number=receipt_number, case=case, open_requests=open_requests)
    context["form"] = form
    return render(request, "staff/intake_lookup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def new_request(request: HttpRequest) -> HttpResponse:
    """Step 2: the request itself; the service routes it and sets its due dates.

    Nothing is decided before the whole form is valid. Then, before anything is saved, the
    worker sees (and the page stops to show) what would otherwise happen without their
    knowing: a referral abroad, which they confirm with its own button, naming the office
    they were shown; and a person on file whose details differ from what the caller said,
    for them to choose which to keep (ADR 28). "Check where it goes" only shows.
    """
    user = _intake_user(request)
    types = list(ServiceRequestType.objects.filter(is_active=True))
    if request.method == "GET":
        initial = {"receipt_number": request.GET.get("receipt_number", "")[:40]}
        form = IntakeForm(initial=initial, types=types)
        return _intake_page(request, form, types, None)
    form = IntakeForm(request.POST, request.FILES, types=types)
    repeat_form = repeat_form_for(user, form, request.POST)
    if not form.is_valid():
        return _intake_page(request, form, types, None, repeat_form)
    preview = routing.intake_preview(form, user=user)
    differences = _differences(user, form)
    if preview is None or "preview" in request.POST:  # where it would go, saving nothing
        return _intake_page(request, form, types, preview, repeat_form, differences)
    confirmed = request.POST.get("confirm_referral", "") == preview.office.code
    if (preview.is_referral and not confirmed) or (
        differences and not form.cleaned_data.get("person_choice")
    ):
        return _intake_page(request, form, types, preview, repeat_form, differences)
    if repeat_form.is_valid():
        submission = replace(form.submission(), repeat=repeat_form.choice())
        outcome = call_service(form, referrals.submit_or_refer, submission, actor=user)
        if outcome is not None and outcome.referral is not None:
            return routing.referral_page(request, outcome.referral)
        if outcome is not None and outcome.service_request is not None:
            return _recorded(request, user, outcome.service_request)
    return _intake_page(request, form, types, preview, repeat_form, differences)


@dataclass(frozen=True)
class Difference:
    label: str
    on_file: str
    said: str


def _differences(user: User, form: IntakeForm) -> list[Difference]:
    """How the person on the case (as `user` may know it: never a party of a 1367 case they
    are not cleared for) differs from what the caller said, for the worker to choose."""
    data = form.cleaned_data
    case = Case.objects.filter(receipt_number=data["receipt_number"]).first()
    person = requesters.person_on_file(
        policies.as_known_to(user, case) if data["receipt_number"] else None,
        data["requester_email"],
    )
    if person is None:
        return []
    found = requesters.differences(person, form.requester())
    return [
        Difference(_person_label(name), _shown(name, on_file), _shown(name, said))
        for name, (on_file, said) in found.items()
    ]


def _person_label(name: str) -> str:
    labels = {
        "name": _("Name"),
        "phone": _("Phone number"),
        "language": _("Language for responses"),
        "zip_code": _("ZIP code"),
        "country": _("Country of residence"),
        "sms_consent": _("Text messages"),
    }
    return labels[name]


def _shown(name: str, value: str | bool) -> str:
    if name == "language":
        return str(dict(Language.choices).get(str(value), value))
    if name == "country":
        return country_name(str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value or _("(none)")


def _recorded(request: HttpRequest, user: User, sr: ServiceRequest) -> HttpResponse:
    """The confirmation of a saved request, and its detail page if `user` may be told where
    it went (policies.can_see_routing).

    Otherwise (a receipt number without a case record the user may know of, which for staff
    without clearance includes a case protected by 8 U.S.C. 1367, or a request they may not
    see) it is confirmed by its reference alone, the same words either way (ADR 16): naming
    its office could disclose a protected case. The user starts a fresh intake instead.
    """
    if policies.can_see_routing(user, sr):
        messages.success(
            request,
            _("Service request %(reference)s recorded and sent to %(office)s.")
            % {"reference": sr.reference, "office": sr.office.name},
        )
        return redirect("staff:request-detail", reference=sr.reference)
    messages.success(
        request,
        _(
            "Service request %(reference)s recorded. The office responsible for it will "
            "contact the customer."
        )
        % {"reference": sr.reference},
    )
    return redirect("staff:intake-new")


def _intake_page(
    request: HttpRequest,
    form: IntakeForm,
    types: list[ServiceRequestType],
    preview: routing.RoutingPreview | None,
    repeat_form: RepeatForm | None = None,
    differences: list[Difference] | None = None,
) -> HttpResponse:
    no_receipt_types = [t for t in types if not t.requires_receipt_number]
    if differences and form.is_bound and not form.data.get("person_choice"):
        # Shown with its default: what the caller said wins.
        form.data = {**dict(form.data.items()), "person_choice": PERSON_CALLER}
    context = {
        "form": form,
        "no_receipt_types": no_receipt_types,
        "preview": preview,
        "differences": differences or [],
        "show_rule_codes": routing.shows_rule_codes(staff_user(request)),
        "expedite_type": RequestTypeCode.EXPEDITE_REQUEST.value,
        "address_type": RequestTypeCode.CHANGE_OF_ADDRESS.value,
    }
    context["repeat_form"] = repeat_form if repeat_form and repeat_form.candidates else None
    return render(request, "staff/intake_form.html", context)
