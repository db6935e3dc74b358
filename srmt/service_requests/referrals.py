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
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from srmt.accounts.actors import Actor
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.offices.jurisdiction import is_in_united_states, normalize_country
from srmt.offices.models import Office
from srmt.service_requests import (
    address_changes,
    attachments,
    core,
    messages,
    policies,
    routing_facts,
    services,
)
from srmt.service_requests.choices import RequestTypeCode
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import IdentifiedRequester, clean_requester
from srmt.service_requests.routing_models import Referral


@dataclass(frozen=True)
class IntakeOutcome:
    service_request: ServiceRequest | None
    created: bool
    referral: Referral | None = None


def submit_or_refer(
    data: services.Submission,
    *,
    actor: Actor,
    idempotency_key: str = "",
    body_hash: str = "",
    on_behalf_of: IdentifiedRequester | None = None,
) -> IntakeOutcome:
    """Refer a customer abroad, or record the request (see services.submit_request).

    Whether to refer is decided on the case as the actor may know of it, so the answer for
    a 1367 case they are not cleared for is the one an unknown receipt number gets (ADR 16).
    Where the true facts keep the request (a protected case goes to the VAWA/T/U unit from
    anywhere), the request is recorded as well, in the same transaction, so the customer is
    not lost: the unit contacts them, and the actor is told only of the referral.
    """
    policies.require_may_submit(
        actor,
        receipt_number=data.receipt_number,
        channel=data.channel,
        on_behalf_of=on_behalf_of,
    )
    if not isinstance(actor, User):  # the system, for an identified requester (ADR 0044)
        sr, created = services.submit_request(data, actor=actor, on_behalf_of=on_behalf_of)
        return IntakeOutcome(sr, created)
    core.resolve_type(data.type)
    country = normalize_country(data.requester.country, field="requester.country")
    if not is_in_united_states(country):
        as_seen = routing_facts.route_as_seen_by(
            actor,
            receipt_number=data.receipt_number,
            request_type=data.type,
            country=country,
            country_field="requester.country",
        )
        if as_seen.decision.is_referral:
            return _refer(data, as_seen, actor=actor, key=idempotency_key, body_hash=body_hash)
    return _record(data, actor=actor, key=idempotency_key, body_hash=body_hash)


@transaction.atomic
def _record(data: services.Submission, *, actor: User, key: str, body_hash: str) -> IntakeOutcome:
    """The request and, for a change of address, its cases: one transaction."""
    address = None
    if data.new_address is not None:
        if data.type != RequestTypeCode.CHANGE_OF_ADDRESS:
            raise address_changes.InvalidAddress(
                _("A new address goes only with a change of address."), field="new_address"
            )
        address = address_changes.clean_address(data.new_address)
    sr, created = services.submit_request(
        data, actor=actor, idempotency_key=key, body_hash=body_hash
    )
    if created and data.attachments:
        attachments.add_at_intake(sr, actor=actor, uploads=data.attachments)
        sr.refresh_from_db(fields=["version", "updated_at"])
    is_address_change = created and sr.type.code == RequestTypeCode.CHANGE_OF_ADDRESS
    if is_address_change:
        receipts = address_changes.apply_to_open_cases(sr, actor=actor, address=address)
        if receipts or address is not None:
            sr.refresh_from_db(fields=["version", "updated_at"])  # the note bumped it
    return IntakeOutcome(sr, created)


@transaction.atomic
def _refer(
    data: services.Submission,
    as_seen: routing_facts.RoutedSubmission,
    *,
    actor: User,
    key: str,
    body_hash: str,
) -> IntakeOutcome:
    truly = routing_facts.route_submission(
        receipt_number=data.receipt_number,
        request_type=data.type,
        country=as_seen.facts.country,
        country_field="requester.country",
    )
    if not truly.decision.is_referral:  # only a case hidden from the actor (8 U.S.C. 1367)
        _record(data, actor=actor, key=key, body_hash=body_hash)
    return IntakeOutcome(None, False, refer_customer(data, as_seen, actor=actor))


def contact_details(office: Office) -> str:
    """The office's public contact details as recorded on a referral (in English, the
    record's language; the pages show them from the office, in the reader's language)."""
    with translation.override("en"):
        return "\n".join([office.name, *messages.office_contact_lines(office, language="en")])


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
        action=AuditAction.REFERRAL_CREATED,
        object_type="referral",
        object_id=referral.reference,
        changes={
            "office": office.code,
            "country": referral.country,
            "routing_rule": routed.decision.rule,
            "routing_facts": routed.decision.facts_used,
        },
    )
    messages.send_referral_notice(referral)  # the office to contact, if there is an email
    return referral
