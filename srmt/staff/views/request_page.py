"""The request page: the request, its history, and the actions the user may take on it.

Every action is a panel of the page (a disclosure that works without JavaScript) holding a
normal form that posts to the action's URL. On success the action's view redirects back to
the page with a message; on a refusal it draws the page again (`render_request_page`) with
that form bound, its errors in place and its panel open. Only the actions the user's role
allows are offered; the services refuse everything else anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.erequests.models import AddedInformation
from srmt.messaging import access as message_access
from srmt.offices.models import Office
from srmt.service_requests import attachments, expedites, lifecycle, policies, template_context
from srmt.service_requests.choices import RequestTypeCode, Status
from srmt.service_requests.expedite_models import ExpediteRequest
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.services import reviews as review_flow
from srmt.staff import history, selectors
from srmt.staff.collisions import Seen, changes_since
from srmt.staff.expedite_forms import AttachmentForm, DecisionForm
from srmt.staff.forms import AssignForm, NoteForm, ResponseForm, TransitionForm, UswdsForm
from srmt.staff.review_forms import ResubmitForm
from srmt.staff.views import routing
from srmt.staff.views.common import staff_user

# The panels of the action area, in page order, and their keyboard shortcuts (staff.js).
PANELS = ["respond", "note", "assign", "status", "redirect", "expedite"]


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


def transition_targets(sr: ServiceRequest) -> list[Status]:
    """Manual moves; redirecting has its own form, which names the agency."""
    return [s for s in lifecycle.manual_targets(sr.status) if s != Status.REDIRECTED]


def transition_form(sr: ServiceRequest, data: Any = None) -> TransitionForm:
    return TransitionForm(
        data, targets=transition_targets(sr), offices=list(Office.objects.active())
    )


def _forms(user: User, sr: ServiceRequest, actions: Actions) -> dict[str, Any]:
    """Unbound forms for every allowed action."""
    forms: dict[str, Any] = {}
    if actions.respond:
        forms["response_form"] = ResponseForm(has_responses=sr.first_responded_at is not None)
        forms["offered_templates"] = list(template_context.offered_for(sr))
    if actions.note:
        forms["note_form"] = NoteForm()
    if actions.transition:
        forms["transition_form"] = transition_form(sr)
        if routing.can_redirect(sr):
            forms["redirect_form"] = routing.redirect_form()
    if actions.assign:
        forms["assign_form"] = AssignForm(
            initial={"assignee": sr.assignee_id}, staff=selectors.assignable_staff(sr)
        )
        forms["can_take"] = policies.can_act(user, sr, Capability.RESPOND)
    return forms


def _evidence(user: User, sr: ServiceRequest, expedite: ExpediteRequest | None) -> dict[str, Any]:
    """The expedite decision and the evidence: what to read first, then the controls."""
    can_decide = expedite is not None and not expedite.is_decided and sr.is_open
    can_decide = can_decide and expedites.can_decide(user, sr)
    can_upload = sr.is_open and policies.can_act(user, sr, Capability.NOTE)
    return {
        "expedite": expedite,
        "decision_form": DecisionForm() if can_decide else None,
        "upload_form": AttachmentForm() if can_upload else None,
        "attachments": attachments.attachments_of(sr),
    }


def _review(user: User, sr: ServiceRequest) -> dict[str, Any]:
    """A response in supervisory review (ADR 35), and its author's resubmission form."""
    review = review_flow.in_review_on(sr)
    may_resubmit = (
        review is not None and review.status == "returned" and review.response.author_id == user.pk
    )
    return {
        "review_in_progress": review,
        "review_resubmit_form": ResubmitForm(initial={"body": review.response.body})
        if review is not None and may_resubmit
        else None,
    }


def first_panel(actions: Actions) -> str:
    """The panel a visit to the old "respond or update" address opens."""
    return "respond" if actions.respond else "note"


def request_page_context(
    request: HttpRequest,
    sr: ServiceRequest,
    *,
    panel: str = "",
    bound: Mapping[str, UswdsForm | None] | None = None,
) -> dict[str, Any]:
    user = staff_user(request)
    actions = Actions.for_user(user, sr)
    now = timezone.now()
    clock = sr.paused_at or now  # a paused request's clocks stopped at paused_at
    timeline = selectors.timeline(sr)
    audit_events = list(selectors.audit_events(sr).select_related("actor"))
    escalations = (
        list(sr.escalations.select_related("step", "office").order_by("level"))
        if sr.escalation_level
        else []
    )
    expedite = (
        expedites.expedite_for(sr) if sr.type.code == RequestTypeCode.EXPEDITE_REQUEST else None
    )
    context: dict[str, Any] = {
        "sr": sr,
        "actions": actions,
        "now": now,
        "clock": clock,
        "seen_at": now.isoformat(),
        "overdue": sr.is_overdue(now),
        "at_risk": sr.is_at_risk(now),
        "first_response_overdue": sr.is_open
        and sr.first_responded_at is None
        and sr.first_response_due_at < clock,
        "escalations": escalations,
        "timeline": timeline,
        "history": history.history(
            timeline,
            audit_events=audit_events,
            escalations=escalations,
            expedite=expedite,
            # what the customer added online to this open request (ADR 44)
            added=AddedInformation.objects.filter(service_request=sr).select_related("author"),
        ),
        "whereabouts": history.whereabouts(sr, timeline),
        "audit_events": audit_events,
        "transfers": routing.transfers(timeline),
        **_forms(user, sr, actions),
        **_evidence(user, sr, expedite),
        **_review(user, sr),
        "message_unread": message_access.unread_on_request(user, sr),
    }
    context.update({name: form for name, form in (bound or {}).items() if form is not None})
    context["panel"] = panel
    return context


def render_request_page(
    request: HttpRequest,
    sr: ServiceRequest,
    *,
    panel: str = "",
    status: int = 200,
    collision: Seen | None = None,
    bound: Mapping[str, UswdsForm | None] | None = None,
) -> HttpResponse:
    """The request page as the request is now, with `panel` open and the `bound` forms shown
    as sent. `collision`: what the user had seen when their action was refused because
    someone changed the request since (collisions); the page then says what changed."""
    bound = bound or {}
    if collision is not None or any(form is not None for form in bound.values()):
        sr = policies.get_request_for_user(staff_user(request), sr.reference)  # as it is now
    context = request_page_context(request, sr, panel=panel, bound=bound)
    if collision is not None:
        context["collision_changes"] = changes_since(sr, collision.at, office=sr.office)
        context["collision"] = True
    return render(request, "staff/request_detail.html", context, status=status)
