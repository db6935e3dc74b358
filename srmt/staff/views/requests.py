"""One service request: its detail page and the actions staff take on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.offices.models import Office
from srmt.service_requests import lifecycle, policies, redirects, services
from srmt.service_requests.choices import ResponseKind, Status
from srmt.service_requests.models import ServiceRequest
from srmt.staff import selectors
from srmt.staff.forms import AssignForm, NoteForm, ResponseForm, TransitionForm, UswdsForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views import routing
from srmt.staff.views.common import call_service, refuse, staff_user


@dataclass(frozen=True)
class Actions:
    """What the user may do with the request now; the page shows only these forms."""

    respond: bool
    note: bool
    transition: bool
    assign: bool

    @classmethod
    def for_user(cls, user: User, sr: ServiceRequest) -> Actions:
        can_transition = policies.can_act(user, sr, Capability.TRANSITION)
        return cls(
            respond=sr.is_open and policies.can_act(user, sr, Capability.RESPOND),
            note=policies.can_act(user, sr, Capability.NOTE),
            transition=can_transition and bool(lifecycle.manual_targets(sr.status)),
            assign=can_transition and sr.is_open,
        )

    @property
    def any(self) -> bool:
        return self.respond or self.note or self.transition or self.assign


def _load(request: HttpRequest, reference: str) -> tuple[User, ServiceRequest, Actions]:
    user = staff_user(request)
    sr = policies.get_request_for_user(user, reference)
    return user, sr, Actions.for_user(user, sr)


@login_required
@require_GET
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user, sr, actions = _load(request, reference)
    services.record_view(sr, actor=user)
    now = timezone.now()
    clock = sr.paused_at or now  # a paused request's clocks stopped at paused_at
    context: dict[str, Any] = {
        "sr": sr,
        "actions": actions,
        "overdue": sr.is_overdue(now),
        "at_risk": sr.is_at_risk(now),
        "first_response_overdue": sr.is_open
        and sr.first_responded_at is None
        and sr.first_response_due_at < clock,
        # The escalation rows, read only for a request that reached a rung (annotated level).
        "escalations": list(sr.escalations.select_related("step", "office").order_by("level"))
        if sr.escalation_level
        else [],
        "timeline": selectors.timeline(sr),
        "audit_events": selectors.audit_events(sr),
    }
    context["transfers"] = routing.transfers(context["timeline"])
    return render(request, "staff/request_detail.html", context)


def _transition_targets(sr: ServiceRequest) -> list[Status]:
    """Manual moves; redirecting has its own form, which names the agency."""
    return [s for s in lifecycle.manual_targets(sr.status) if s != Status.REDIRECTED]


def _forms(user: User, sr: ServiceRequest, actions: Actions, **bound: UswdsForm) -> dict[str, Any]:
    """Unbound forms for every allowed action, except the one bound form being re-shown."""
    forms: dict[str, Any] = {}
    if actions.respond:
        forms["response_form"] = ResponseForm(has_responses=sr.first_responded_at is not None)
    if actions.note:
        forms["note_form"] = NoteForm()
    if actions.transition:
        forms["transition_form"] = TransitionForm(
            targets=_transition_targets(sr), offices=list(Office.objects.active())
        )
        if routing.can_redirect(sr):
            forms["redirect_form"] = routing.redirect_form()
    if actions.assign:
        forms["assign_form"] = AssignForm(
            initial={"assignee": sr.assignee_id}, staff=selectors.assignable_staff(sr)
        )
        forms["can_take"] = policies.can_act(user, sr, Capability.RESPOND)
    forms.update(bound)
    return forms


def _actions_page(
    request: HttpRequest, user: User, sr: ServiceRequest, actions: Actions, **bound: UswdsForm
) -> HttpResponse:
    context = {"sr": sr, "actions": actions, **_forms(user, sr, actions, **bound)}
    return render(request, "staff/request_actions.html", context)


def _done(request: HttpRequest, sr: ServiceRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("staff:request-detail", reference=sr.reference)


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def respond(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: every action the user may take. POST: send a response."""
    user, sr, actions = _load(request, reference)
    if request.method == "GET":
        if not actions.any:
            raise refuse(_("Your role does not allow you to change this request."))
        return _actions_page(request, user, sr, actions)
    if not actions.respond:
        raise refuse(_("Your role does not allow you to respond to this request."))
    form = ResponseForm(request.POST, has_responses=sr.first_responded_at is not None)
    if (
        form.is_valid()
        and call_service(form, services.add_response, sr, actor=user, **form.cleaned_data)
        is not None
    ):
        if form.cleaned_data["kind"] == ResponseKind.FINAL:
            return _done(request, sr, _("Final response sent. The request is closed."))
        return _done(request, sr, _("Response sent."))
    return _actions_page(request, user, sr, actions, response_form=form)


@login_required
@require_POST
@one_time_submission
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    user, sr, actions = _load(request, reference)
    if not actions.note:
        raise refuse(_("Your role does not allow you to add notes to this request."))
    form = NoteForm(request.POST)
    if (
        form.is_valid()
        and call_service(form, services.add_note, sr, actor=user, **form.cleaned_data) is not None
    ):
        return _done(request, sr, _("Internal note added."))
    return _actions_page(request, user, sr, actions, note_form=form)


@login_required
@require_POST
@one_time_submission
def transition(request: HttpRequest, reference: str) -> HttpResponse:
    user, sr, actions = _load(request, reference)
    if not actions.transition:
        raise refuse(_("Your role does not allow you to change the status of this request."))
    form = TransitionForm(
        request.POST,
        targets=_transition_targets(sr),
        offices=list(Office.objects.active()),
    )
    if form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            services.transition_request,
            sr,
            actor=user,
            to=data["to"],
            reason=data["reason"],
            office_code=data["office"],
            duplicate_of=data["duplicate_of"],
        )
        if done is not None:
            return _after_transition(request, user, done)
    return _actions_page(request, user, sr, actions, transition_form=form)


def _after_transition(request: HttpRequest, user: User, sr: ServiceRequest) -> HttpResponse:
    message = _("Status changed to %(status)s.") % {"status": sr.get_status_display()}
    if policies.visible_requests(user).filter(pk=sr.pk).exists():
        return _done(request, sr, message)
    # A transfer can take the request out of the user's offices: back to their queue.
    messages.success(request, message)
    return redirect("staff:home")


@login_required
@require_POST
@one_time_submission
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    user, sr, actions = _load(request, reference)
    if not actions.assign:
        raise refuse(_("Your role does not allow you to assign this request."))
    form = AssignForm(request.POST, staff=selectors.assignable_staff(sr))
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        if call_service(form, services.assign_request, sr, actor=user, assignee=assignee):
            if assignee is None:
                return _done(request, sr, _("The request is back in the office queue."))
            return _done(
                request,
                sr,
                _("Assigned to %(name)s.")
                % {"name": assignee.get_full_name() or assignee.get_username()},
            )
    return _actions_page(request, user, sr, actions, assign_form=form)


@login_required
@require_POST
@one_time_submission
def redirect_request(request: HttpRequest, reference: str) -> HttpResponse:
    """Close the request as redirected to another agency (the respond page's form)."""
    user, sr, actions = _load(request, reference)
    if not actions.transition:
        raise refuse(_("Your role does not allow you to change the status of this request."))
    form = routing.redirect_form(request.POST)
    if form.is_valid():
        done = call_service(
            form,
            redirects.redirect_request,
            sr,
            actor=user,
            topic_code=form.cleaned_data["topic"],
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            if done.redirect_topic is None:
                raise RuntimeError(f"{done.reference} was redirected without a topic.")
            return _done(
                request,
                done,
                _("Redirected to %(agency)s. The customer was sent its contact details.")
                % {"agency": done.redirect_topic.agency.name},
            )
    return _actions_page(request, user, sr, actions, redirect_form=form)
