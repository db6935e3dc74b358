"""Routing on staff pages: the intake preview, referrals, redirects and the transfer chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.core.errors import DomainError
from srmt.offices.jurisdiction import country_name
from srmt.offices.models import Office, offices_by_code
from srmt.service_requests import lifecycle, redirects, routing_facts
from srmt.service_requests.choices import Status
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.service_requests.referrals import contact_details
from srmt.service_requests.routing_models import Referral
from srmt.sla.services import deadlines_for
from srmt.staff.forms import IntakeForm
from srmt.staff.routing_forms import RedirectForm
from srmt.staff.selectors import TimelineEntry

# Roles that manage routing see the rule codes; everyone else the plain reason only.
ROUTING_MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def shows_rule_codes(user: User | None) -> bool:
    return user is not None and (user.role in ROUTING_MANAGERS or user.is_superuser)


@dataclass(frozen=True)
class RoutingPreview:
    office: Office
    rule: str
    reason: str
    is_referral: bool
    contact_details: str
    country: str = ""  # the customer's country of residence (ISO alpha-2; '' is the U.S.)
    first_response_due_at: dt.datetime | None = None  # none for a referral
    due_at: dt.datetime | None = None

    @property
    def country_name(self) -> str:
        return country_name(self.country or "US")


def intake_preview(form: IntakeForm, *, user: User | None = None) -> RoutingPreview | None:
    """Where the form's request would go (the same rules intake applies) as `user` may know
    it, and by when it is due, or None with the refusal shown on the form.

    Without 1367 clearance a protected case reads as no case record at all; without a
    `user` the preview is the one for staff without clearance (fails closed).
    """
    data = form.cleaned_data
    try:
        decision = routing_facts.route_as_seen_by(
            user,
            receipt_number=data["receipt_number"],
            request_type=data["type"],
            zip_code=data["requester_zip_code"],
            country=data["requester_country"],
            zip_field="requester_zip_code",
            country_field="requester_country",
        ).decision
    except DomainError as exc:
        form.add_domain_error(exc)
        return None
    office = offices_by_code().get(decision.office_code) or Office.objects.get(
        code=decision.office_code
    )
    deadlines = (
        None
        if decision.is_referral
        else deadlines_for(
            data["type"],
            data["urgency"],
            start=timezone.now(),
            time_zone=office.time_zone,
            office_id=office.pk,
        )
    )
    return RoutingPreview(
        office=office,
        rule=decision.rule,
        reason=decision.reason_in(get_language()),
        is_referral=decision.is_referral,
        contact_details=contact_details(office) if decision.is_referral else "",
        country=data["requester_country"],
        first_response_due_at=deadlines.first_response_due_at if deadlines else None,
        due_at=deadlines.due_at if deadlines else None,
    )


def referral_page(request: HttpRequest, referral: Referral) -> HttpResponse:
    return render(request, "staff/referral_done.html", {"referral": referral})


def transfers(timeline: list[TimelineEntry]) -> list[StatusChange]:
    """The transfers of a request from its timeline (no extra query)."""
    return [
        e.item
        for e in timeline
        if isinstance(e.item, StatusChange) and e.item.to_status == Status.TRANSFERRED
    ]


def can_redirect(sr: ServiceRequest) -> bool:
    return sr.is_open and lifecycle.can_move(sr.status, Status.REDIRECTED)


def redirect_form(data: dict[str, str] | None = None) -> RedirectForm:
    return RedirectForm(data, topics=redirects.active_topics())
