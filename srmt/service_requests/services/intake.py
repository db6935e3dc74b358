"""Intake: record a new request and route it (submit_request).

A submission is checked in full before anything is written (fields, then the extras it
carries: expedite details, the caller's choice about repeats), then routed, then stored
with its first StatusChange and audit event, all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.actors import Actor
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.models import Case, Person
from srmt.core.receipts import normalize_receipt_number
from srmt.core.references import new_reference
from srmt.offices.models import Office, offices_by_code
from srmt.offices.routing import RoutingDecision
from srmt.service_requests import core, intake_extras, policies, reasons, requesters, routing_facts
from srmt.service_requests.choices import Channel, RequestTypeCode, Status, Urgency
from srmt.service_requests.errors import (
    IdempotencyKeyReused,
    InvalidDescription,
    InvalidUrgency,
    ReceiptNumberRequired,
    RequesterOutsideUnitedStates,
    UnknownChannel,
)
from srmt.service_requests.messages import send_acknowledgement
from srmt.service_requests.models import (
    ServiceRequest,
    ServiceRequestType,
    StatusChange,
    SubmissionKey,
)
from srmt.service_requests.requesters import IdentifiedRequester, RequesterData, clean_requester
from srmt.service_requests.submission import Submission
from srmt.sla.services import deadlines_for

# References carry 40 random bits; a collision is rare, three in a row practically impossible.
REFERENCE_ATTEMPTS = 3


@dataclass(frozen=True)
class _Fields:
    """A submission's own fields, checked and normalized; `case` is the true case record."""

    request_type: ServiceRequestType
    description: str
    requester: RequesterData
    receipt_number: str
    case: Case | None


def submit_request(
    data: Submission,
    *,
    actor: Actor,
    idempotency_key: str = "",
    body_hash: str = "",
    on_behalf_of: IdentifiedRequester | None = None,
) -> tuple[ServiceRequest, bool]:
    """Record a new request and route it; returns (request, created).

    With an idempotency key, the same key and body return the request made the first time
    (created False); the same key with another body is refused. Staff record requests by
    role; a customer or representative online, about their own or represented case (ADR 27);
    the system only the plain online request of an identified requester (`on_behalf_of`,
    ADR 0044): the requester is that case party, nothing else rides along.
    """
    policies.require_may_submit(
        actor,
        receipt_number=data.receipt_number,
        channel=data.channel,
        on_behalf_of=on_behalf_of,
    )
    if not isinstance(actor, User):
        _require_plain(data, idempotency_key)
    for attempt in range(REFERENCE_ATTEMPTS):
        # A fresh random reference per attempt; no savepoint around the insert (it costs two
        # round trips on every request): the whole transaction retries on the rare collision.
        reference = new_reference()
        try:
            with transaction.atomic():
                if idempotency_key:
                    assert isinstance(actor, User)  # _require_plain
                    existing = _claim_key(actor, idempotency_key, body_hash)
                    if existing is not None:
                        return existing, False
                sr = _create_request(
                    data, actor=actor, reference=reference, on_behalf_of=on_behalf_of
                )
                if idempotency_key:
                    assert isinstance(actor, User)  # _require_plain
                    SubmissionKey.objects.filter(user=actor, key=idempotency_key).update(
                        service_request=sr
                    )
                return sr, True
        except IntegrityError:
            collided = ServiceRequest.objects.filter(reference=reference).exists()
            if not collided or attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _require_plain(data: Submission, idempotency_key: str) -> None:
    """What the system may record for an identified requester: the request alone (no
    expedite, repeat link, attachment, change of address or idempotency key)."""
    extras = data.expedite or data.repeat or data.attachments or data.new_address
    if extras or idempotency_key or data.type == RequestTypeCode.CHANGE_OF_ADDRESS:
        raise policies.PermissionDenied(_("Your role does not allow you to do that."))


def _claim_key(actor: User, key: str, body_hash: str) -> ServiceRequest | None:
    try:
        with transaction.atomic():
            SubmissionKey.objects.create(
                user=actor, key=key, body_hash=body_hash, created_at=timezone.now()
            )
    except IntegrityError:
        # Another transaction holds this key; on PostgreSQL the insert above waited for it
        # to commit, so its request is visible now.
        seen = SubmissionKey.objects.select_related("service_request").get(user=actor, key=key)
        if seen.body_hash != body_hash:
            raise IdempotencyKeyReused(
                _("This Idempotency-Key was used with a different request body."),
                field="Idempotency-Key",
            ) from None
        return seen.service_request
    return None


def _create_request(
    data: Submission,
    *,
    actor: Actor,
    reference: str,
    on_behalf_of: IdentifiedRequester | None = None,
) -> ServiceRequest:
    """Check everything, route, then write: nothing is written before every check passed."""
    fields = _check_fields(data)
    # Checks answer on the case as the actor may know it, so that a 1367 case they are not
    # cleared for is refused or accepted exactly as an unknown receipt number would be;
    # routing and the record use the true case (it still goes to the VAWA/T/U unit).
    user = actor if isinstance(actor, User) else None
    extras = intake_extras.check(
        data,
        actor=user,
        request_type=fields.request_type,
        case=policies.as_known_to(actor, fields.case),
        receipt_number=fields.receipt_number,
    )
    decision = _route(fields)
    office = offices_by_code().get(decision.office_code) or Office.objects.get(
        code=decision.office_code
    )
    sr = _store(
        data, fields, decision, office, actor=actor, reference=reference, on_behalf_of=on_behalf_of
    )
    _audit_created(sr, data, fields, decision, actor=actor, identified=on_behalf_of is not None)
    if user is not None:
        intake_extras.apply(sr, extras, actor=user)
    send_acknowledgement(sr)
    return sr


def _check_fields(data: Submission) -> _Fields:
    request_type = core.resolve_type(data.type)
    if data.channel not in Channel.values:
        raise UnknownChannel(
            _("%(channel)s is not a channel.") % {"channel": data.channel}, field="channel"
        )
    if data.urgency not in Urgency.values:
        raise InvalidUrgency(_("Urgency is normal or urgent."), field="urgency")
    description = core.clean_text(data.description, field="description", error=InvalidDescription)
    requester = clean_requester(data.requester)
    receipt_number = normalize_receipt_number(data.receipt_number) if data.receipt_number else ""
    if request_type.requires_receipt_number and not receipt_number:
        raise ReceiptNumberRequired(
            _("This type of request needs the case's receipt number."), field="receipt_number"
        )
    case = (
        Case.objects.select_related("office").filter(receipt_number=receipt_number).first()
        if receipt_number
        else None
    )
    return _Fields(request_type, description, requester, receipt_number, case)


def _route(fields: _Fields) -> RoutingDecision:
    """The office that takes the request; a customer abroad is refused (refer them)."""
    decision = routing_facts.route_submission(
        receipt_number=fields.receipt_number,
        request_type=fields.request_type.code,
        zip_code=fields.requester.zip_code,
        country=fields.requester.country,
        zip_field="requester.zip_code",
        country_field="requester.country",
        case=fields.case,
    ).decision
    if decision.is_referral:
        raise RequesterOutsideUnitedStates(
            _("The customer lives outside the U.S.: refer them to %(office)s.")
            % {"office": decision.office_code},
            field="requester.country",
            office=decision.office_code,
        )
    return decision


def _store(
    data: Submission,
    fields: _Fields,
    decision: RoutingDecision,
    office: Office,
    *,
    actor: Actor,
    reference: str,
    on_behalf_of: IdentifiedRequester | None = None,
) -> ServiceRequest:
    """The request row, with its deadlines, and its first StatusChange (received, routed)."""
    now = timezone.now()
    user = actor if isinstance(actor, User) else None  # the system is no account
    deadlines = deadlines_for(
        fields.request_type.code,
        data.urgency,
        start=now,
        time_zone=office.time_zone,
        office_id=office.pk,
    )
    sr = ServiceRequest.objects.create(
        reference=reference,
        type=fields.request_type,
        channel=data.channel,
        case=fields.case,
        receipt_number=fields.receipt_number,
        requester=_identified_person(fields.requester, on_behalf_of, actor=actor)
        if on_behalf_of is not None
        else _requester_person(
            fields.requester,
            policies.as_known_to(actor, fields.case),
            actor=actor,
            keep_on_file=data.keep_person_on_file,
        ),
        description=fields.description,
        urgency=data.urgency,
        status=Status.RECEIVED,
        office=office,
        routing_reason=decision.reason[:300],
        routing_reason_es=decision.reason_es[:300],
        routing_rule_id=decision.rule_id,
        created_by=user,
        created_at=now,
        first_response_due_at=deadlines.first_response_due_at,
        due_at=deadlines.due_at,
        deadline_policy_id=deadlines.policy_id,
    )
    # A new request has reached no rung: no read needed (as with_escalation_level annotates).
    sr.__dict__["current_escalation_level"] = 0
    StatusChange.objects.create(
        service_request=sr,
        from_status="",
        to_status=Status.RECEIVED,
        actor=user,
        reason=decision.reason[:1000],
        reason_code=reasons.ROUTED,
        reason_params=reasons.routed_params(decision),
        to_office=office,
        created_at=now,
    )
    return sr


def _audit_created(
    sr: ServiceRequest,
    data: Submission,
    fields: _Fields,
    decision: RoutingDecision,
    *,
    actor: Actor,
    identified: bool = False,
) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_CREATED,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "type": fields.request_type.code,
            "channel": data.channel,
            "receipt_number": fields.receipt_number,
            "office": sr.office.code,
            "routing_rule": decision.rule,
            "routing_facts": decision.facts_used,
            "due_at": sr.due_at.isoformat(),
            **({"on_behalf_of": "identified_requester"} if identified else {}),
        },
    )


def _identified_person(
    data: RequesterData, identified: IdentifiedRequester, *, actor: Actor
) -> Person:
    """The matched case party, with the language just given, and the email address given
    only where none is on file: a visitor without an account proves who they are with facts
    others may know (receipt number, name, date of birth), so they may never redirect the
    answers to someone's address on file (the answer goes there). Audited when changed."""
    person = identified.person
    changed = {
        name: (getattr(person, name), value)
        for name, value in (("email", data.email), ("language", data.language))
        if value and getattr(person, name) != value and not (name == "email" and person.email)
    }
    if changed:
        for name, (_on_file, said) in changed.items():
            setattr(person, name, said)
        person.save(update_fields=list(changed))
        audit.record(
            actor=actor,
            action=AuditAction.PERSON_UPDATED,
            object_type="person",
            object_id=str(person.pk),
            changes={name: [before, after] for name, (before, after) in changed.items()},
        )
    return person


def _requester_person(
    data: RequesterData, case: Case | None, *, actor: Actor, keep_on_file: bool
) -> Person:
    """The case's party with this email address, brought up to date with what the caller
    just said (unless the worker chose to keep the record on file), or a new person.

    `case` is the case as the actor may know of it: a party of a 1367 case is never matched
    for an actor without clearance (a caller could otherwise change a protected person's
    contact details), so the request gets a new person with what the caller said (ADR 28).
    """
    known = requesters.person_on_file(case, data.email)
    if known is None:
        return Person.objects.create(
            name=data.name,
            email=data.email,
            phone=data.phone,
            language=data.language,
            zip_code=data.zip_code,
            sms_consent=data.sms_consent,
            country=(data.country or "US").upper(),
        )
    changed = {} if keep_on_file else requesters.differences(known, data)
    if changed:
        for name, (_on_file, said) in changed.items():
            setattr(known, name, said)
        known.save(update_fields=list(changed))
        audit.record(
            actor=actor,
            action=AuditAction.PERSON_UPDATED,
            object_type="person",
            object_id=str(known.pk),
            changes={name: [before, after] for name, (before, after) in changed.items()},
        )
    return known
