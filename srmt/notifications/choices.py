from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    MAIL = "mail", _("Letter")
    PHONE = "phone", _("Phone call")
    SECURE_MESSAGE = "secure_message", _("Secure message")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Letters and phone calls are delivered by a person, who records it.
    RECORDED = "recorded", _("Recorded by staff")


# Channels SRMT delivers itself; the others are done by staff and recorded.
AUTOMATED_CHANNELS = frozenset({DeliveryChannel.EMAIL})

# A row in one of these states waits for a delivery attempt (a failed one while it has
# attempts left): the sweep wakes those that are due.
WAITING_STATUSES = (DeliveryStatus.QUEUED.value, DeliveryStatus.FAILED.value)
