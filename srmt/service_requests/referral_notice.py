"""The email that tells a referred customer where to turn: the international office's name
and public contact details, in the customer's language.

When `srmt.notifications.customer_messages.send_referral_notice` exists (the agency's
customer messages), it writes the message; until then this module writes a plain one. Either
way it goes through the one gate to customers, notifications.delivery.send_to_customer
(ADR 26), in the caller's transaction, and only when the customer gave an email address.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from srmt.notifications import delivery
from srmt.notifications.choices import DeliveryChannel, MessageKind
from srmt.offices.models import Office
from srmt.service_requests.routing_models import Referral

_CUSTOMER_MESSAGES = "srmt.notifications.customer_messages"


def _agency_writer() -> Callable[[Referral], Any] | None:
    try:
        module = importlib.import_module(_CUSTOMER_MESSAGES)
    except ImportError:
        return None
    writer = getattr(module, "send_referral_notice", None)
    return writer if callable(writer) else None


def contact_lines(office: Office) -> list[str]:
    """The office's public contact details, one per line, labelled in the active language."""
    lines = [office.name]
    if office.address:
        lines.append(office.address)
    if office.city and office.city not in office.address:
        lines.append(office.city)
    if office.phone:
        lines.append(_("Phone: %(phone)s") % {"phone": office.phone})
    if office.email:
        lines.append(_("Email: %(email)s") % {"email": office.email})
    if office.hours:
        lines.append(_("Hours and appointments: %(hours)s") % {"hours": office.hours})
    if office.web_page:
        lines.append(_("Web page: %(url)s") % {"url": office.web_page})
    return lines


def notify_customer_of_referral(referral: Referral) -> None:
    """Email the referred customer the office to contact (nothing without an email)."""
    if not referral.email:
        return
    writer = _agency_writer()
    if writer is not None:
        writer(referral)
        return
    office = referral.office
    with translation.override(referral.language or "en"):
        subject = _("Where to get help with your immigration request")
        body = "\n".join(
            [
                _("Hello %(name)s,") % {"name": referral.name},
                "",
                _(
                    "You told us that you live outside the United States. The office that "
                    "serves you is the %(office)s. Please contact it:"
                )
                % {"office": office.name},
                "",
                *contact_lines(office),
                "",
                _("Reference of this referral: %(reference)s") % {"reference": referral.reference},
            ]
        )
    delivery.send_to_customer(
        actor=referral.actor,
        kind=MessageKind.REFERRAL_NOTICE,
        channel=DeliveryChannel.EMAIL,
        to_address=referral.email,
        subject=subject,
        body=body,
        language=referral.language or "en",
        related_reference=referral.reference,
    )
