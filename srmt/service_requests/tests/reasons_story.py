"""A request whose history holds every kind of status change reason, with the expected text
of each in English and in Spanish (ADR 0015). Used by the service, page and API tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.service_requests.repeats import RepeatChoice
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import make_case, make_user

ROUTED_EN = "The case record places the file at ESC."
ROUTED_ES = "Según el registro del caso, el expediente está en ESC."
TYPED = "Customer sent the missing page; la oficina la revisa."
LEGACY = "Moved by the 2025 import."


@dataclass(frozen=True)
class Story:
    sr: ServiceRequest  # routed, assigned, answered, moved with a typed reason, a legacy row
    merged: ServiceRequest  # a repeat merged into sr
    worker: User
    # (to_status, reason_code, English, Spanish) of sr's history, oldest first
    history: list[tuple[str, str, str, str]]
    merged_history: list[tuple[str, str, str, str]]


def build_story() -> Story:
    """Needs the reference data. Every write runs with Spanish active, as for a Spanish-
    speaking officer: the stored English must not depend on the writer's language."""
    worker = make_user("rosa.esc", role=Role.SUPERVISOR, offices=["ESC"])
    case = make_case(office="ESC")
    requester = RequesterData(name="Ana Pérez", email="ana@example.com", language="es")
    with translation.override("es"):
        sr, _created = services.submit_request(
            services.Submission(
                type="general_case_inquiry",
                channel="phone_tier1",
                description="Caller asks when the interview will be scheduled.",
                receipt_number=case.receipt_number,
                requester=requester,
            ),
            actor=worker,
        )
        sr = services.assign_request(sr, actor=worker, assignee=worker)
        services.add_response(sr, actor=worker, kind="initial", body="We are looking into it.")
        sr.refresh_from_db()
        sr = services.transition_request(sr, actor=worker, to="awaiting_customer", reason=TYPED)
        merged, _created = services.submit_request(
            services.Submission(
                type="general_case_inquiry",
                channel="phone_tier1",
                description="Caller asks again.",
                receipt_number=case.receipt_number,
                requester=requester,
                repeat=RepeatChoice(merge_into=sr.reference),
            ),
            actor=worker,
        )
    StatusChange.objects.create(  # a row written before reasons had codes
        service_request=sr,
        from_status="awaiting_customer",
        to_status="in_progress",
        actor=worker,
        reason=LEGACY,
        from_office=sr.office,
        to_office=sr.office,
        created_at=timezone.now(),
    )
    history = [
        ("received", "routed", ROUTED_EN, ROUTED_ES),
        ("assigned", "assigned", "Assigned to rosa.esc", "Asignada a rosa.esc"),
        ("responded", "response_sent", "Initial response sent", "Respuesta inicial enviada"),
        ("awaiting_customer", "", TYPED, TYPED),
        ("in_progress", "", LEGACY, LEGACY),
    ]
    merged_history = [
        ("received", "routed", ROUTED_EN, ROUTED_ES),
        (
            "merged",
            "repeat_merged",
            f"Repeat contact merged into {sr.reference}",
            f"Contacto repetido combinado con {sr.reference}",
        ),
    ]
    return Story(sr, merged, worker, history, merged_history)


# --- the "transferred too often" flag -----------------------------------------------------

FLAG_TEMPLATE = (
    "Transferred %(count)s times (more than %(limit)s); last %(from_office)s -> %(to_office)s."
)
FLAG_TEMPLATE_ES = (
    "Transferida %(count)s veces (más de %(limit)s); la última, de %(from_office)s a %(to_office)s."
)
FLAG_EN = "Transferred 2 times (more than 1); last CSC -> ESC."
FLAG_ES = "Transferida 2 veces (más de 1); la última, de CSC a ESC."
FLAG_LEGACY = "Transferred 5 times (more than 3); last NSC -> ESC."  # before flags had codes


def flagged_request(settings: Any) -> tuple[ServiceRequest, User]:
    """A request at ESC flagged by a Spanish-speaking supervisor's second transfer (CSC,
    then back to ESC, with SRMT_TRANSFER_FLAG_AFTER = 1), and that supervisor."""
    settings.SRMT_TRANSFER_FLAG_AFTER = 1
    worker = make_user("rosa.flag", role=Role.SUPERVISOR, offices=["ESC"])
    sr, _created = services.submit_request(
        services.Submission(
            type="general_case_inquiry",
            channel="phone_tier1",
            description="Caller asks which office holds the file.",
            receipt_number=make_case(office="ESC").receipt_number,
            requester=RequesterData(name="Ana Pérez", email="ana@example.com"),
        ),
        actor=worker,
    )
    with translation.override("es"):  # the stored English must not depend on the writer
        for office in ("CSC", "ESC"):
            sr = services.transition_request(
                sr, actor=worker, to="transferred", reason="Wrong office.", office_code=office
            )
    return ServiceRequest.objects.get(pk=sr.pk), worker
