"""Every write to service requests. Views, API, admin and commands all call these.

Each function is atomic, takes the acting user, checks access, and writes an audit event in
the same transaction. Messages to customers go to the notifications outbox and are sent
after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.actors import Actor
from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.cases.models import Case, Person
from srmt.core.receipts import normalize_receipt_number
from srmt.core.references import new_reference
from srmt.notifications import delivery
from srmt.notifications.choices import DeliveryChannel, MessageKind
from srmt.offices.models import Office, offices_by_code
from srmt.service_requests import clocks, lifecycle, policies, reasons, routing_facts
from srmt.service_requests.choices import Channel, ResponseKind, Status, Urgency
from srmt.service_requests.errors import (
    IdempotencyKeyReused,
    InvalidAssignee,
    InvalidDescription,
    InvalidDuplicate,
    InvalidResponse,
    InvalidTransfer,
    InvalidUrgency,
    ReasonRequired,
    ReceiptNumberRequired,
    RedirectTopicRequired,
    RequestClosed,
    RequesterOutsideUnitedStates,
    StaleVersion,
    UnknownChannel,
    UnknownRequestType,
)
from srmt.service_requests.messages import response_message
from srmt.service_requests.models import (
    InternalNote,
    Response,
    ServiceRequest,
    ServiceRequestType,
    StatusChange,
    SubmissionKey,
    active_request_types,
)
from srmt.service_requests.requesters import RequesterData, clean_requester
from srmt.sla.services import deadlines_for

if TYPE_CHECKING:
    from srmt.service_requests.expedites import ExpediteData
    from srmt.service_requests.repeats import RepeatChoice

MAX_TEXT = 10_000
# References carry 40 random bits; a collision is rare, three in a row practically impossible.
REFERENCE_ATTEMPTS = 3
REASON_REQUIRED = frozenset(
    {Status.TRANSFERRED, Status.REDIRECTED, Status.WITHDRAWN, Status.MERGED, Status.REOPENED}
)


@dataclass(frozen=True)
class Submission:
    type: str
    channel: str
    description: str
    requester: RequesterData
    receipt_number: str = ""
    urgency: str = Urgency.NORMAL
    expedite: ExpediteData | None = None  # for expedite requests (service_requests.expedites)
    repeat: RepeatChoice | None = None  # what to do with likely repeats (.repeats)


# --- intake -------------------------------------------------------------------------------


def submit_request(
    data: Submission, *, actor: Actor, idempotency_key: str = "", body_hash: str = ""
) -> tuple[ServiceRequest, bool]:
    """Record a new request and route it; returns (request, created).

    With an idempotency key, the same key and body return the request made the first time
    (created False); the same key with another body is refused. Staff record requests by
    role; a customer or representative online, about their own or represented case (ADR 27).
    """
    policies.require_may_submit(actor, receipt_number=data.receipt_number, channel=data.channel)
    assert isinstance(actor, User)  # the system records no requests (require_may_submit)
    for attempt in range(REFERENCE_ATTEMPTS):
        # A fresh random reference per attempt; no savepoint around the insert (it costs two
        # round trips on every request): the whole transaction retries on the rare collision.
        reference = new_reference()
        try:
            with transaction.atomic():
                if idempotency_key:
                    existing = _claim_key(actor, idempotency_key, body_hash)
                    if existing is not None:
                        return existing, False
                sr = _create_request(data, actor=actor, reference=reference)
                if idempotency_key:
                    SubmissionKey.objects.filter(user=actor, key=idempotency_key).update(
                        service_request=sr
                    )
                return sr, True
        except IntegrityError:
            collided = ServiceRequest.objects.filter(reference=reference).exists()
            if not collided or attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


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


def _create_request(data: Submission, *, actor: User, reference: str) -> ServiceRequest:
    request_type = _resolve_type(data.type)
    if data.channel not in Channel.values:
        raise UnknownChannel(
            _("%(channel)s is not a channel.") % {"channel": data.channel}, field="channel"
        )
    if data.urgency not in Urgency.values:
        raise InvalidUrgency(_("Urgency is normal or urgent."), field="urgency")
    description = _clean_text(data.description, field="description", error=InvalidDescription)
    requester_data = clean_requester(data.requester)
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
    # Imported here: expedites and repeats build on this module's helpers.
    from srmt.service_requests import intake_extras

    # Checks answer on the case as the actor may know it, so that a 1367 case they are not
    # cleared for is refused or accepted exactly as an unknown receipt number would be;
    # routing and the record use the true case (it still goes to the VAWA/T/U unit).
    extras = intake_extras.check(
        data,
        actor=actor,
        request_type=request_type,
        case=policies.as_known_to(actor, case),
        receipt_number=receipt_number,
    )
    decision = routing_facts.route_submission(
        receipt_number=receipt_number,
        request_type=request_type.code,
        zip_code=requester_data.zip_code,
        country=requester_data.country,
        zip_field="requester.zip_code",
        country_field="requester.country",
        case=case,
    ).decision
    if decision.is_referral:
        raise RequesterOutsideUnitedStates(
            _("The customer lives outside the U.S.: refer them to %(office)s.")
            % {"office": decision.office_code},
            field="requester.country",
            office=decision.office_code,
        )
    office = offices_by_code().get(decision.office_code) or Office.objects.get(
        code=decision.office_code
    )
    now = timezone.now()
    deadlines = deadlines_for(
        request_type.code, data.urgency, start=now, time_zone=office.time_zone, office_id=office.pk
    )
    sr = ServiceRequest.objects.create(
        reference=reference,
        type=request_type,
        channel=data.channel,
        case=case,
        receipt_number=receipt_number,
        requester=_requester_person(requester_data, case),
        description=description,
        urgency=data.urgency,
        status=Status.RECEIVED,
        office=office,
        routing_reason=decision.reason[:300],
        routing_reason_es=decision.reason_es[:300],
        routing_rule_id=decision.rule_id,
        created_by=actor,
        created_at=now,
        first_response_due_at=deadlines.first_response_due_at,
        due_at=deadlines.due_at,
        deadline_policy_id=deadlines.policy_id,
    )
    sr.current_escalation_level = 0  # a new request has reached no rung: no read needed
    StatusChange.objects.create(
        service_request=sr,
        from_status="",
        to_status=Status.RECEIVED,
        actor=actor,
        reason=decision.reason[:1000],
        reason_code=reasons.ROUTED,
        reason_params=reasons.routed_params(decision),
        to_office=office,
        created_at=now,
    )
    audit.record(
        actor=actor,
        action="service_request.created",
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "type": request_type.code,
            "channel": data.channel,
            "receipt_number": receipt_number,
            "office": office.code,
            "routing_rule": decision.rule,
            "routing_facts": decision.facts_used,
            "due_at": sr.due_at.isoformat(),
        },
    )
    intake_extras.apply(sr, extras, actor=actor)
    return sr


def _resolve_type(code: str) -> ServiceRequestType:
    request_type = active_request_types().get(code)
    if request_type is None:
        raise UnknownRequestType(
            _("%(code)s is not a type of service request.") % {"code": code}, field="type"
        )
    return request_type


def _clean_text(value: str, *, field: str, error: type[Exception]) -> str:
    text = (value or "").strip()
    if not text:
        raise error(_("Enter some text."), field=field)  # type: ignore[call-arg]
    if len(text) > MAX_TEXT:
        raise error(
            _("Use at most %(max)d characters (this has %(count)d).")  # type: ignore[call-arg]
            % {"max": MAX_TEXT, "count": len(text)},
            field=field,
        )
    return text


def _requester_person(data: RequesterData, case: Case | None) -> Person:
    if data.email and case is not None:
        known = Person.objects.filter(case_roles__case=case, email__iexact=data.email).first()
        if known is not None:
            return known
    return Person.objects.create(
        name=data.name,
        email=data.email,
        phone=data.phone,
        language=data.language,
        zip_code=data.zip_code,
        sms_consent=data.sms_consent,
        country=(data.country or "US").upper(),
    )


# --- responses and notes ------------------------------------------------------------------


@transaction.atomic
def add_response(sr: ServiceRequest, *, actor: User, kind: str, body: str) -> Response:
    """Send a response to the customer. A final response closes the request."""
    sr = _lock(sr)
    policies.require_act(actor, sr, Capability.RESPOND)
    _require_open(sr)
    text = _clean_text(body, field="body", error=InvalidResponse)
    _check_response_kind(sr, kind)
    target = Status.CLOSED if kind == ResponseKind.FINAL else Status.RESPONDED
    lifecycle.require(sr.status, target)
    channel, address = _delivery_for(sr.requester)
    subject, message = response_message(sr, kind=kind, body=text)
    notification = delivery.send_to_customer(
        actor=actor,
        kind=MessageKind.response(kind),
        channel=channel,
        to_address=address,
        subject=subject,
        body=message,
        language=sr.requester.language,
        related_reference=sr.reference,
        is_confidential=sr.is_confidential,
    )
    response = Response.objects.create(
        service_request=sr,
        kind=kind,
        author=actor,
        body=text,
        delivery_channel=channel,
        notification=notification,
    )
    now = timezone.now()
    if sr.first_responded_at is None:
        sr.first_responded_at = now
    _move(sr, target, actor=actor, code=reasons.RESPONSE_SENT, params={"kind": kind}, at=now)
    audit.record(
        actor=actor,
        action="service_request.responded",
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "kind": kind,
            "response_id": response.pk,
            "channel": channel,
            "status": [sr.status_before_move, sr.status],
        },
    )
    return response


def _check_response_kind(sr: ServiceRequest, kind: str) -> None:
    if kind not in ResponseKind.values:
        raise InvalidResponse(_("A response is initial, follow_up or final."), field="kind")
    has_responses = sr.first_responded_at is not None
    if kind == ResponseKind.INITIAL and has_responses:
        raise InvalidResponse(
            _("An initial response was already sent; send a follow-up."), field="kind"
        )
    if kind == ResponseKind.FOLLOW_UP and not has_responses:
        raise InvalidResponse(_("Send an initial or final response first."), field="kind")


def _delivery_for(person: Person) -> tuple[str, str]:
    if person.email:
        return DeliveryChannel.EMAIL, person.email
    if person.phone:
        return DeliveryChannel.PHONE, person.phone
    return DeliveryChannel.MAIL, ""


@transaction.atomic
def add_note(sr: ServiceRequest, *, actor: User, body: str) -> InternalNote:
    sr = _lock(sr)
    policies.require_act(actor, sr, Capability.NOTE)
    text = _clean_text(body, field="body", error=InvalidResponse)
    note = InternalNote.objects.create(service_request=sr, author=actor, body=text)
    _bump(sr)
    audit.record(
        actor=actor,
        action="service_request.noted",
        object_type="service_request",
        object_id=sr.reference,
        changes={"note_id": note.pk},
    )
    return note


# --- lifecycle ----------------------------------------------------------------------------


@transaction.atomic
def transition_request(
    sr: ServiceRequest,
    *,
    actor: User,
    to: str,
    reason: str = "",
    office_code: str = "",
    duplicate_of: str = "",
) -> ServiceRequest:
    """Move a request by hand (anything but answering it, which add_response does)."""
    sr = _lock(sr)
    policies.require_act(actor, sr, Capability.TRANSITION)
    if to not in Status.values:
        raise lifecycle.InvalidTransition(_("%(to)s is not a status.") % {"to": to}, field="to")
    lifecycle.require_manual(sr.status, to)
    reason = (reason or "").strip()
    if to in REASON_REQUIRED and not reason:
        raise ReasonRequired(_("Give a reason for this change."), field="reason")
    if to == Status.REDIRECTED:  # only redirects.redirect_request, which names the agency
        raise RedirectTopicRequired(
            _("Choose the topic and agency to redirect to (the redirect form)."), field="topic"
        )
    changes: dict[str, Any] = {}
    from_office = sr.office
    if to == Status.TRANSFERRED:
        changes["office"] = [sr.office.code, _transfer_target(sr, office_code).code]
        sr.office = Office.objects.get(code=changes["office"][1])
        sr.assignee = None
    if to == Status.MERGED:
        sr.duplicate_of = _duplicate_target(sr, duplicate_of, actor)
        changes["duplicate_of"] = sr.duplicate_of.reference
    if to == Status.REOPENED:
        sr.closed_at = None
    move = _move(sr, to, actor=actor, reason=reason, from_office=from_office)
    if to == Status.TRANSFERRED:
        from srmt.service_requests import transfers  # builds on this module's helpers

        changes |= transfers.after_transfer(sr, actor=actor, from_office=from_office, transfer=move)
    audit.record(
        actor=actor,
        action="service_request.transitioned",
        object_type="service_request",
        object_id=sr.reference,
        changes={"status": [sr.status_before_move, to], "reason": reason, **changes},
    )
    return sr


def _transfer_target(sr: ServiceRequest, office_code: str) -> Office:
    office = Office.objects.filter(code__iexact=(office_code or "").strip(), is_active=True).first()
    if office is None:
        raise InvalidTransfer(
            _("Choose an active office to transfer the request to."), field="office"
        )
    if office.pk == sr.office_id:
        raise InvalidTransfer(
            _("The request is already at %(office)s.") % {"office": office.code}, field="office"
        )
    return office


def _duplicate_target(sr: ServiceRequest, reference: str, actor: User) -> ServiceRequest:
    original = (
        policies.visible_requests(actor).filter(reference=(reference or "").strip().upper()).first()
    )
    if original is None or original.pk == sr.pk:
        raise InvalidDuplicate(
            _("Give the reference of another request you can see."), field="duplicate_of"
        )
    if original.duplicate_of_id is not None:
        raise InvalidDuplicate(
            _("That request is itself merged into %(ref)s.")
            % {"ref": original.duplicate_of.reference},
            field="duplicate_of",
        )
    return original


@transaction.atomic
def assign_request(sr: ServiceRequest, *, actor: User, assignee: User | None) -> ServiceRequest:
    """Give the request to a member of staff of its office (None returns it to the queue)."""
    sr = _lock(sr)
    policies.require_act(actor, sr, Capability.TRANSITION)
    _require_open(sr)
    if assignee is not None and not policies.can_act(assignee, sr, Capability.RESPOND):
        raise InvalidAssignee(
            _("%(user)s cannot work requests at %(office)s.")
            % {"user": assignee.get_username(), "office": sr.office.code},
            field="assignee",
        )
    old = sr.assignee.get_username() if sr.assignee else None
    sr.assignee = assignee
    if (
        assignee is not None
        and lifecycle.can_move(sr.status, Status.ASSIGNED)
        and sr.status in {Status.RECEIVED, Status.TRANSFERRED, Status.REOPENED}
    ):
        _move(
            sr,
            Status.ASSIGNED,
            actor=actor,
            code=reasons.ASSIGNED,
            params={"user": assignee.get_username()},
        )
    else:
        _bump(sr)
    audit.record(
        actor=actor,
        action="service_request.assigned",
        object_type="service_request",
        object_id=sr.reference,
        changes={"assignee": [old, assignee.get_username() if assignee else None]},
    )
    return sr


@transaction.atomic
def update_request(
    sr: ServiceRequest, *, actor: User, changes: dict[str, Any], expected_version: int | None = None
) -> ServiceRequest:
    """Edit urgency, description or assignee; with expected_version, refuse a stale write."""
    sr = _lock(sr)
    policies.require_act(actor, sr, Capability.TRANSITION)
    if expected_version is not None and expected_version != sr.version:
        raise StaleVersion(_("This request changed since you read it. Reload and try again."))
    _require_open(sr)
    if "assignee" in changes:
        sr = assign_request(sr, actor=actor, assignee=changes["assignee"])
    diff: dict[str, Any] = {}
    if "description" in changes:
        text = _clean_text(changes["description"], field="description", error=InvalidDescription)
        if text != sr.description:
            diff["description"] = "changed"
            sr.description = text
    if "urgency" in changes and changes["urgency"] != sr.urgency:
        if changes["urgency"] not in Urgency.values:
            raise InvalidUrgency(_("Urgency is normal or urgent."), field="urgency")
        diff["urgency"] = [sr.urgency, changes["urgency"]]
        sr.urgency = changes["urgency"]
        clocks.recompute(sr)  # keeps earlier pauses and a clock restarted by a transfer
    if diff:
        _bump(
            sr,
            extra_fields=[
                "description",
                "urgency",
                "first_response_due_at",
                "due_at",
                "deadline_policy",
            ],
        )
        audit.record(
            actor=actor,
            action="service_request.updated",
            object_type="service_request",
            object_id=sr.reference,
            changes=diff,
        )
    return sr


def record_view(sr: ServiceRequest, *, actor: User) -> None:
    """Audit that `actor` was shown this request's case-specific details."""
    audit.record(
        actor=actor,
        action="service_request.viewed",
        object_type="service_request",
        object_id=sr.reference,
    )


# --- helpers ------------------------------------------------------------------------------


def _require_open(sr: ServiceRequest) -> None:
    if not sr.is_open:
        raise RequestClosed(_("This request is closed. Reopen it to change it."))


def _lock(sr: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("type", "office", "requester", "assignee", "case")
        .get(pk=sr.pk)
    )


def _move(
    sr: ServiceRequest,
    to: str,
    *,
    actor: User,
    reason: str = "",
    code: str = "",
    params: dict[str, Any] | None = None,
    from_office: Office | None = None,
    at: dt.datetime | None = None,
) -> StatusChange:
    """Apply a lifecycle move and write its StatusChange row; returns the row.

    `reason` is what a person typed; a reason the system gives is a `code` from
    service_requests.reasons with its `params`, stored with its English text (ADR 0015).
    """
    lifecycle.require(sr.status, to)
    at = at or timezone.now()
    params = params or {}
    if code:
        reason = reasons.english(code, params)
    sr.status_before_move = sr.status  # type: ignore[attr-defined]
    change = StatusChange.objects.create(
        service_request=sr,
        from_status=sr.status,
        to_status=to,
        actor=actor,
        reason=reason[:1000],
        reason_code=code,
        reason_params=params,
        from_office=from_office or sr.office,
        to_office=sr.office,
        created_at=at,
    )
    sr.status = to
    if to in lifecycle.TERMINAL:
        sr.closed_at = at
    clock_fields = clocks.on_status_change(sr, old=sr.status_before_move, new=to, at=at)
    _bump(
        sr,
        extra_fields=[
            "status",
            "office",
            "assignee",
            "closed_at",
            "first_responded_at",
            "duplicate_of",
            *clock_fields,
        ],
    )
    return change


def _bump(sr: ServiceRequest, extra_fields: list[str] | None = None) -> None:
    sr.version += 1
    sr.save(update_fields=["version", "updated_at", "assignee", *(extra_fields or [])])
