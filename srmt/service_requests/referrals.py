"""Intake's front door: a request, or a referral for customers living outside the U.S.

submit_or_refer() is what the API and the intake page call. A customer whose country of
residence is outside the U.S. and its territories is referred to the international office
for that country when the routing rules say so (a 1367-protected case still goes to the
VAWA unit): a Referral row records who asked, what, where they were sent and the contact
details given, and no service request is opened. Everything else goes to
services.submit_request. A change of address is then applied to every open case of the
person (address_changes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.offices.jurisdiction import is_in_united_states, normalize_country
from srmt.offices.models import Office
from srmt.service_requests import address_changes, policies, routing_facts, services
from srmt.service_requests.choices import RequestTypeCode
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import clean_requester
from srmt.service_requests.routing_models import Referral


@dataclass(frozen=True)
class IntakeOutcome:
    service_request: ServiceRequest | None
    created: bool
    referral: Referral | None = None


def submit_or_refer(
    data: services.Submission, *, actor: User, idempotency_key: str = "", body_hash: str = ""
) -> IntakeOutcome:
    """Refer a customer abroad, or record the request (see services.submit_request)."""
    policies.require_capability(actor, Capability.CREATE)
    services._resolve_type(data.type)
    country = normalize_country(data.requester.country, field="requester.country")
    if not is_in_united_states(country):
        routed = routing_facts.route_submission(
            receipt_number=data.receipt_number,
            request_type=data.type,
            country=country,
            country_field="requester.country",
        )
        if routed.decision.is_referral:
            return IntakeOutcome(None, False, refer_customer(data, routed, actor=actor))
    sr, created = services.submit_request(
        data, actor=actor, idempotency_key=idempotency_key, body_hash=body_hash
    )
    if created and sr.type.code == RequestTypeCode.CHANGE_OF_ADDRESS:
        address_changes.apply_to_open_cases(sr, actor=actor)
    return IntakeOutcome(sr, created)


def contact_details(office: Office) -> str:
    parts = [office.name, office.address, office.city, office.phone, office.email]
    return "\n".join(p for p in parts if p)


@transaction.atomic
def refer_customer(
    data: services.Submission, routed: routing_facts.RoutedSubmission, *, actor: User
) -> Referral:
    requester = clean_requester(data.requester)
    office = Office.objects.get(code=routed.decision.office_code)
    referral = Referral.objects.create(
        name=requester.name,
        email=requester.email,
        phone=requester.phone,
        language=requester.language,
        country=routed.facts.country,
        request_type=data.type,
        receipt_number=routed.facts.receipt_number,
        channel=data.channel,
        office=office,
        routing_rule_id=routed.decision.rule_id,
        reason=routed.decision.reason,
        reason_es=routed.decision.reason_es,
        contact_details=contact_details(office),
        actor=actor,
        created_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="referral.created",
        object_type="referral",
        object_id=referral.reference,
        changes={
            "office": office.code,
            "country": referral.country,
            "routing_rule": routed.decision.rule,
            "routing_facts": routed.decision.facts_used,
        },
    )
    return referral
