"""Responses to the customer (add_response): a final response closes the request."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.notifications import delivery
from srmt.notifications.choices import MessageKind
from srmt.service_requests import core, form_letters, lifecycle, policies, reasons, template_context
from srmt.service_requests.assessment import record_sent
from srmt.service_requests.choices import ResponseKind, Status
from srmt.service_requests.errors import InvalidResponse
from srmt.service_requests.messages import response_message
from srmt.service_requests.models import Response, ServiceRequest
from srmt.service_requests.services import reviews
from srmt.surveys import services as surveys


@transaction.atomic
def add_response(
    sr: ServiceRequest,
    *,
    actor: User,
    kind: str,
    body: str,
    template: str | None = None,
    override_reason: str = "",
) -> Response:
    """Send a response to the customer. A final response closes the request. A response
    a review rule holds waits for a supervisor (services.reviews): the request moves then.
    `template`: the code of a template offered for the request that the text started from
    (recorded with its latest version); a text still holding a {{ placeholder }} is refused.
    A form letter (form_letters: the new-information check) is sent only with an
    `override_reason`."""
    sr = core.lock(sr)
    policies.require_act(actor, sr, Capability.RESPOND)
    core.require_open(sr)
    text = core.clean_text(body, field="body", error=InvalidResponse)
    _check_response_kind(sr, kind)
    template_code, template_version = template_context.check_response(
        sr, body=text, kind=kind, template=template
    )
    target = Status.CLOSED if kind == ResponseKind.FINAL else Status.RESPONDED
    lifecycle.require(sr.status, target)
    reviews.require_none_in_review(sr)
    checked = form_letters.check_response(
        sr, text, override_reason=override_reason, template_code=template_code
    )
    channel, address = core.delivery_for(sr.requester)
    survey_link = surveys.send(sr, actor=actor) if kind == ResponseKind.FINAL else ""
    subject, message = response_message(sr, kind=kind, body=text, survey_link=survey_link)
    response = Response(
        service_request=sr,
        kind=kind,
        author=actor,
        body=text,
        delivery_channel=channel,
        template_code=template_code,
        template_version=template_version,
        **checked.response_fields(),
    )
    rule = reviews.rule_for(response)  # mandatory supervisory review (ADR 35)
    response.notification = delivery.send_to_customer(
        actor=actor,
        kind=MessageKind.response(kind),
        channel=channel,
        to_address=address,
        subject=subject,
        body=message,
        language=sr.requester.language,
        related_reference=sr.reference,
        is_confidential=sr.is_confidential,
        hold_reason=reviews.hold_reason(rule),
    )
    response.save()
    record_sent(response)
    if rule is not None:  # held: the request moves when a supervisor approves
        reviews.hold(response, rule, actor=actor)
        return response
    now = timezone.now()
    if sr.first_responded_at is None:
        sr.first_responded_at = now
    core.move(sr, target, actor=actor, code=reasons.RESPONSE_SENT, params={"kind": kind}, at=now)
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_RESPONDED,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "kind": kind,
            "response_id": response.pk,
            "channel": channel,
            "status": [sr.status_before_move, sr.status],
            **({"template": [template_code, template_version]} if template_code else {}),
            **checked.audit_changes(),
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
