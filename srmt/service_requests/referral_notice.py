"""The email that tells a referred customer where to turn: the international office's name
and public contact details, in the customer's language.

The message itself is written by service_requests.messages.send_referral_notice (ADR 32)
and goes through the one gate to customers, notifications.delivery.send_to_customer
(ADR 26), in the caller's transaction, and only when the customer gave an email address.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from srmt.offices.models import Office
from srmt.service_requests import messages
from srmt.service_requests.routing_models import Referral


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
    """Email the referred customer the office to contact (nothing without an email): the
    agency's wording, service_requests.messages.send_referral_notice (ADR 32)."""
    messages.send_referral_notice(referral)
