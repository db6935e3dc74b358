"""Redirects: requests about what another agency handles (visas -> State, I-94 -> CBP, ...).

redirect_request() closes the request as redirected, records the topic, and sends the
customer that agency's public contact details in their language.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.notifications import delivery
from srmt.notifications.choices import MessageKind
from srmt.offices.models import RedirectTopic
from srmt.service_requests import core, lifecycle, messages, policies
from srmt.service_requests.choices import Status
from srmt.service_requests.errors import ReasonRequired, UnknownRedirectTopic
from srmt.service_requests.models import ServiceRequest


def active_topics() -> list[RedirectTopic]:
    return list(RedirectTopic.objects.filter(is_active=True).select_related("agency"))


def _topic(code: str) -> RedirectTopic:
    topic = (
        RedirectTopic.objects.filter(code=(code or "").strip(), is_active=True)
        .select_related("agency")
        .first()
    )
    if topic is None:
        raise UnknownRedirectTopic(
            _("Choose a topic from the list of other agencies' topics."), field="topic"
        )
    return topic


def agency_message(
    topic: RedirectTopic, *, reference: str, language: str, name: str = ""
) -> tuple[str, str]:
    """Subject and body telling the customer who can help, in their language."""
    return messages.redirect_message(topic, reference=reference, language=language, name=name)


@transaction.atomic
def redirect_request(
    sr: ServiceRequest, *, actor: User, topic_code: str, reason: str
) -> ServiceRequest:
    """Close the request as redirected to the topic's agency and tell the customer."""
    sr = core.lock(sr)
    policies.require_act(actor, sr, Capability.TRANSITION)
    lifecycle.require(sr.status, Status.REDIRECTED)  # refuses closed requests too
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Give a reason for this change."), field="reason")
    topic = _topic(topic_code)
    channel, address = core.delivery_for(sr.requester)
    subject, body = agency_message(
        topic,
        reference=sr.reference,
        language=sr.requester.language,
        name=sr.requester.name,
    )
    notification = delivery.send_to_customer(
        actor=actor,
        kind=MessageKind.REDIRECT_NOTICE,
        channel=channel,
        to_address=address,
        subject=subject,
        body=body,
        language=sr.requester.language,
        related_reference=sr.reference,
        is_confidential=sr.is_confidential,
    )
    sr.redirect_topic = topic
    core.move(sr, Status.REDIRECTED, actor=actor, reason=reason[:1000])
    sr.save(update_fields=["redirect_topic"])
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_REDIRECTED,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "status": [sr.status_before_move, Status.REDIRECTED],
            "topic": topic.code,
            "agency": topic.agency.code,
            "reason": reason,
            "notification_id": notification.pk,
        },
    )
    return sr
