from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryChannel(models.TextChoices):
    """How the agency reaches the person: what pages and the API show as the channel.

    A channel is delivered by SRMT itself when a transport is registered for it
    (notifications.transports: email today), else by a member of staff, who records it."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    MAIL = "mail", _("Letter")
    PHONE = "phone", _("Phone call")
    SECURE_MESSAGE = "secure_message", _("Secure message")


class DeliveryStatus(models.TextChoices):
    # Written by the customer-delivery gate but not yet allowed to leave (ADR 26): nothing
    # sends it until notifications.delivery.release() puts it in the outbox.
    HELD = "held", _("Held")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Letters and phone calls are delivered by a person, who records it.
    RECORDED = "recorded", _("Recorded by staff")


class Audience(models.TextChoices):
    """Who a message is for: a customer (only through the gate, ADR 26) or a member of staff."""

    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Staff")


class MessageKind(models.TextChoices):
    """What a message is. Customer kinds go through notifications.delivery.send_to_customer,
    staff kinds through notifications.internal.notify_staff."""

    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    RESPONSE_INITIAL = "response_initial", _("Initial response")
    RESPONSE_FOLLOW_UP = "response_follow_up", _("Follow-up response")
    RESPONSE_FINAL = "response_final", _("Final response")
    REDIRECT_NOTICE = "redirect_notice", _("Redirect notice")
    REFERRAL_NOTICE = "referral_notice", _("Referral notice")
    ESCALATION_DIGEST = "escalation_digest", _("Escalation digest")
    TRANSFER_ALERT = "transfer_alert", _("Transfer alert")
    # A request assigned or returned to a member of staff who asked for email (ADR 31).
    ASSIGNMENT_ALERT = "assignment_alert", _("Assignment alert")
    # Sign-up verification, password reset and the like, to an online account (ADR 42).
    ACCOUNT_EMAIL = "account_email", _("Account email")
    # "A secure message is waiting": no content, no case details (ADR 45).
    MESSAGE_WAITING = "message_waiting", _("Message waiting")
    # A new online access code, on an Account Acceptance Notice (issue 11, ADR 43): a mailed
    # letter (the `letter` transport), or an email for Form I-134A beneficiaries.
    ACCOUNT_ACCEPTANCE_NOTICE = "account_acceptance_notice", _("Account Acceptance Notice")
    # A customer's request for a new access code was received (its reference, expected date).
    ACCESS_CODE_REQUESTED = "access_code_requested", _("New access code requested")
    # The daily digest of unusual numbers of requests to an office's supervisors (ADR 51).
    DETECTION_DIGEST = "detection_digest", _("Unusual numbers of requests")

    @classmethod
    def response(cls, response_kind: str) -> MessageKind:
        """The message kind carrying a response of `response_kind` (initial, follow_up, final)."""
        return cls(f"response_{response_kind}")


CUSTOMER_KINDS = frozenset(
    {
        MessageKind.ACKNOWLEDGEMENT,
        MessageKind.RESPONSE_INITIAL,
        MessageKind.RESPONSE_FOLLOW_UP,
        MessageKind.RESPONSE_FINAL,
        MessageKind.REDIRECT_NOTICE,
        MessageKind.REFERRAL_NOTICE,
        MessageKind.ACCOUNT_EMAIL,
        MessageKind.MESSAGE_WAITING,
        MessageKind.ACCOUNT_ACCEPTANCE_NOTICE,
        MessageKind.ACCESS_CODE_REQUESTED,
    }
)
STAFF_KINDS = frozenset(
    {
        MessageKind.ESCALATION_DIGEST,
        MessageKind.TRANSFER_ALERT,
        MessageKind.ASSIGNMENT_ALERT,
        MessageKind.DETECTION_DIGEST,
    }
)

# A row in one of these states waits for a delivery attempt (a failed one while it has
# attempts left): the sweep wakes those that are due. A held row is not waiting: it has not
# been allowed to leave.
WAITING_STATUSES = (DeliveryStatus.QUEUED.value, DeliveryStatus.FAILED.value)
