"""One service request: its page and the actions staff take on it, each from the page.

Each action posts to its own URL; success redirects back to the page with a message, a
refusal draws the page again with the form's errors in its open panel (request_page). Every
action is applied only to the request as the user saw it (collisions).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from srmt.accounts.models import User
from srmt.reviews.models import ResponseReview
from srmt.service_requests import policies, redirects, services
from srmt.service_requests.choices import ResponseKind
from srmt.service_requests.models import ServiceRequest
from srmt.staff import collisions, selectors
from srmt.staff.assessment_forms import OverrideReasonForm, assessed
from srmt.staff.collisions import Guard, guarded
from srmt.staff.forms import AssignForm, NoteForm, ResponseForm, UswdsForm
from srmt.staff.submissions import one_time_submission
from srmt.staff.views import routing
from srmt.staff.views.common import call_service, refuse, staff_user
from srmt.staff.views.request_page import (
    Actions,
    first_panel,
    render_request_page,
    transition_form,
)


def _load(request: HttpRequest, reference: str) -> tuple[User, ServiceRequest, Actions]:
    user = staff_user(request)
    sr = policies.get_request_for_user(user, reference)
    return user, sr, Actions.for_user(user, sr)


@login_required
@require_GET
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user, sr, _actions = _load(request, reference)
    services.record_view(sr, actor=user)
    return render_request_page(request, sr)


@login_required
@require_GET
def request_changes(request: HttpRequest, reference: str) -> HttpResponse:
    """While the page is open (htmx polls it): 204 when the request is still at the version
    the page shows, else who changed what since (staff/_changes_since.html)."""
    sr = policies.get_request_for_user(staff_user(request), reference)
    seen = collisions.seen(request.GET)
    if seen.version is None or seen.version == sr.version:
        return HttpResponse(status=204)
    changes = collisions.changes_since(sr, seen.at, office=sr.office)
    return render(request, "staff/_changes_since.html", {"sr": sr, "changes": changes})


def _refused(
    request: HttpRequest, sr: ServiceRequest, guard: Guard, panel: str, **bound: UswdsForm | None
) -> HttpResponse:
    """The page again with the refused form in its open panel (and, after a collision,
    what changed since the user opened the page)."""
    collision = guard.seen if guard.collided else None
    return render_request_page(request, sr, panel=panel, collision=collision, bound=bound)


def _done(request: HttpRequest, sr: ServiceRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("staff:request-detail", reference=sr.reference)


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def respond(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the request page with the first action open. POST: send a response."""
    user, sr, actions = _load(request, reference)
    if request.method == "GET":
        if not actions.any:
            raise refuse(_("Your role does not allow you to change this request."))
        return render_request_page(request, sr, panel=first_panel(actions))
    if not actions.respond:
        raise refuse(_("Your role does not allow you to respond to this request."))
    form = ResponseForm(request.POST, has_responses=sr.first_responded_at is not None)
    reason = OverrideReasonForm(request.POST)  # a form letter's reason (ADR 39)
    guard = guarded(sr, request)
    sent = (
        call_service(
            form,
            guard(services.add_response),
            sr,
            actor=user,
            override_reason=reason.reason(),
            **form.cleaned_data,
        )
        if form.is_valid() and reason.is_valid()
        else None
    )
    if sent is not None:
        if ResponseReview.objects.filter(response=sent).exists():  # held (ADR 35)
            return _done(
                request, sr, _("Response saved. It waits for a supervisor's review to be sent.")
            )
        if form.cleaned_data["kind"] == ResponseKind.FINAL:
            return _done(request, sr, _("Final response sent. The request is closed."))
        return _done(request, sr, _("Response sent."))
    assessment_form = assessed(sr, user, request.POST, bound=True)
    return _refused(
        request, sr, guard, "respond", response_form=form, assessment_form=assessment_form
    )


@login_required
@require_POST
@one_time_submission
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    user, sr, actions = _load(request, reference)
    if not actions.note:
        raise refuse(_("Your role does not allow you to add notes to this request."))
    form = NoteForm(request.POST)
    guard = guarded(sr, request)
    if (
        form.is_valid()
        and call_service(form, guard(services.add_note), sr, actor=user, **form.cleaned_data)
        is not None
    ):
        return _done(request, sr, _("Internal note added."))
    return _refused(request, sr, guard, "note", note_form=form)


@login_required
@require_POST
@one_time_submission
def transition(request: HttpRequest, reference: str) -> HttpResponse:
    user, sr, actions = _load(request, reference)
    if not actions.transition:
        raise refuse(_("Your role does not allow you to change the status of this request."))
    form = transition_form(sr, request.POST)
    guard = guarded(sr, request)
    if form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            guard(services.transition_request),
            sr,
            actor=user,
            to=data["to"],
            reason=data["reason"],
            office_code=data["office"],
            duplicate_of=data["duplicate_of"],
        )
        if done is not None:
            return _after_transition(request, user, done)
    return _refused(request, sr, guard, "status", transition_form=form)


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
    guard = guarded(sr, request)
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        if call_service(form, guard(services.assign_request), sr, actor=user, assignee=assignee):
            if assignee is None:
                return _done(request, sr, _("The request is back in the office queue."))
            return _done(
                request,
                sr,
                _("Assigned to %(name)s.")
                % {"name": assignee.get_full_name() or assignee.get_username()},
            )
    return _refused(request, sr, guard, "assign", assign_form=form)


@login_required
@require_POST
@one_time_submission
def redirect_request(request: HttpRequest, reference: str) -> HttpResponse:
    """Close the request as redirected to another agency."""
    user, sr, actions = _load(request, reference)
    if not actions.transition:
        raise refuse(_("Your role does not allow you to change the status of this request."))
    form = routing.redirect_form(request.POST)
    guard = guarded(sr, request)
    if form.is_valid():
        done = call_service(
            form,
            guard(redirects.redirect_request),
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
    return _refused(request, sr, guard, "redirect", redirect_form=form)
