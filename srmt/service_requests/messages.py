"""The words of messages to customers, in the customer's language (docs/adr/0032).

Every message is signed as the agency (notifications.branding), greets the customer by
name, and says how to follow up with the reference; none names this tool. Messages about a
case protected by 8 U.S.C. 1367 never name the confidential unit that works it (ADR 16).

`send_acknowledgement(sr)` (called by intake) and `send_referral_notice(referral)` send
through the customer-delivery gate (notifications.delivery.send_to_customer, ADR 26), in the
caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from srmt.core.bilingual import in_language, is_spanish
from srmt.notifications import branding, delivery
from srmt.notifications.choices import DeliveryChannel, MessageKind

if TYPE_CHECKING:
    from srmt.notifications.models import Notification
    from srmt.offices.models import Office, RedirectTopic
    from srmt.service_requests.models import ServiceRequest
    from srmt.service_requests.routing_models import Referral


def customer_date(value: dt.datetime, *, time_zone: str, language: str) -> str:
    """A deadline as a date in the customer's words: "December 15, 2026" or
    "15 de diciembre de 2026" (the day in the office's time zone)."""
    day = value.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    with translation.override(language):
        pattern = r"j \d\e F \d\e Y" if is_spanish(language) else "F j, Y"
        return str(format_date(day, pattern))


def _closing(reference: str) -> list[str]:
    """How to follow up, and the agency's signature."""
    return ["", branding.follow_up_line(reference), "", *branding.signature_lines()]


def _receipt(sr: ServiceRequest) -> list[str]:
    if not sr.receipt_number:
        return []
    return [_("Receipt number: %(receipt)s") % {"receipt": sr.receipt_number}]


def _where_it_goes(sr: ServiceRequest) -> str:
    """What happens next, in plain words; a protected case's unit is never named."""
    if sr.is_confidential or sr.office.is_confidential:
        return _(
            "It has gone to the office that handles this kind of case, which will contact "
            "you directly."
        )
    return _("It has gone to the %(office)s, which will contact you directly.") % {
        "office": sr.office.name
    }


def acknowledgement_message(sr: ServiceRequest) -> tuple[str, str]:
    """Subject and body telling the requester their request was recorded: the reference,
    where it went, by when the agency aims to answer, and how to escalate if it does not."""
    language = sr.requester.language or "en"
    due = customer_date(sr.due_at, time_zone=sr.office.time_zone, language=language)
    brand = branding.agency()
    with translation.override(language):
        subject = _("We received your request %(reference)s") % {"reference": sr.reference}
        lines = [
            branding.greeting(sr.requester.name),
            "",
            _("We have recorded your service request. Its reference is %(reference)s.")
            % {"reference": sr.reference},
            *_receipt(sr),
            "",
            _("What happens next: %(next)s") % {"next": _where_it_goes(sr)},
            _("We aim to answer by %(date)s.") % {"date": due},
            "",
            _(
                "If you have no answer by then, call the contact center at %(phone)s "
                "(TTY %(tty)s) after %(date)s, give the reference %(reference)s and ask for "
                "your request to be escalated."
            )
            % {"phone": brand.phone, "tty": brand.tty, "date": due, "reference": sr.reference},
            *_closing(sr.reference),
        ]
    return subject, "\n".join(lines)


def response_message(
    sr: ServiceRequest, *, kind: str, body: str, survey_link: str = ""
) -> tuple[str, str]:
    """Subject and body of the message that carries a response to the requester. A final
    response says what to do if the customer disagrees, and links to its satisfaction
    survey (`survey_link`, from surveys.services.send; ADR 0038)."""
    with translation.override(sr.requester.language or "en"):
        subject = _("Your service request %(reference)s") % {"reference": sr.reference}
        if kind == "final":
            closing = [
                _("This is the final response to your request, which is now closed."),
                "",
                _(
                    "If you disagree with this answer, contact us again with the reference "
                    "%(reference)s and ask for a supervisor to review it."
                )
                % {"reference": sr.reference},
                _(
                    "If you disagree with a decision on your case itself, follow the "
                    "instructions in the decision notice: it says whether and how you can "
                    "appeal or ask for the decision to be reopened or reconsidered."
                ),
            ]
            if survey_link:
                closing += ["", *survey_lines(survey_link)]
        else:
            closing = [_("We will write again when there is more to tell you.")]
        lines = [
            branding.greeting(sr.requester.name),
            "",
            body,
            "",
            *closing,
            *_receipt(sr),
            *_closing(sr.reference),
        ]
    return subject, "\n".join(lines)


def survey_lines(link: str) -> list[str]:
    """The invitation to the one-question survey, in the active language."""
    return [
        _("How did we do? Tell us in one question (it takes a minute):"),
        link,
        _("The link works once, for %(days)s days.") % {"days": settings.SRMT_SURVEY_DAYS},
    ]


def redirect_message(
    topic: RedirectTopic, *, reference: str, language: str, name: str = ""
) -> tuple[str, str]:
    """Subject and body telling the customer which other agency can help, in their language."""
    other = topic.agency
    with translation.override(language):
        subject = _("Your request %(reference)s: another agency can help") % {
            "reference": reference
        }
        lines = [
            branding.greeting(name),
            "",
            _(
                "Your question about %(topic)s is handled by %(agency)s, not by us, so we "
                "have closed request %(reference)s. Please contact %(agency)s:"
            )
            % {"topic": topic.name, "agency": other.name, "reference": reference},
        ]
        if other.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": other.phone})
        if other.website:
            lines.append(_("Website: %(url)s") % {"url": other.website})
        if other.mailing_address:
            lines.append(_("Mail: %(address)s") % {"address": other.mailing_address})
        lines += _closing(reference)
    return subject, "\n".join(lines)


def office_contact_lines(office: Office, *, language: str) -> list[str]:
    """An office's public contact details, one labelled line each, in the active language;
    details the office has not published are left out."""
    hours = in_language(office.hours, office.hours_es, language)
    lines = []
    if office.address:
        lines.append(_("Address: %(value)s") % {"value": office.address})
    if office.phone:
        lines.append(_("Phone: %(phone)s") % {"phone": office.phone})
    if office.email:
        lines.append(_("Email: %(value)s") % {"value": office.email})
    if hours:
        lines.append(_("Hours and appointments: %(value)s") % {"value": hours})
    if office.web_page:
        lines.append(_("Web page: %(value)s") % {"value": office.web_page})
    return lines


def referral_message(referral: Referral) -> tuple[str, str]:
    """Subject and body telling a customer abroad which international office serves them,
    with its public contact details and what to do next. No request was opened, so there
    is no request reference."""
    office = referral.office
    language = referral.language or "en"
    brand = branding.agency()
    with translation.override(language):
        subject = _("Where to get help: %(office)s") % {"office": office.name}
        lines = [
            branding.greeting(referral.name),
            "",
            _(
                "Because you live outside the United States, your question is handled by "
                "our international office that serves where you live: the %(office)s. We "
                "have not opened a service request."
            )
            % {"office": office.name},
            "",
            *office_contact_lines(office, language=language),
            "",
            _(
                "What to do next: contact the office by email or phone, or ask for an "
                "appointment as its web page explains."
            ),
        ]
        if referral.receipt_number:
            lines.append(
                _("Have your receipt number ready: %(receipt)s")
                % {"receipt": referral.receipt_number}
            )
        lines += [
            "",
            _(
                "If you have questions about this referral, call the contact center at "
                "%(phone)s (TTY %(tty)s)."
            )
            % {"phone": brand.phone, "tty": brand.tty},
            "",
            *branding.signature_lines(),
        ]
    return subject, "\n".join(lines)


def send_acknowledgement(sr: ServiceRequest) -> Notification | None:
    """Email the requester that their request was recorded (acknowledgement_message), when
    they gave an email address; None when they did not. In the caller's transaction."""
    address = sr.requester.email
    if not address:
        return None
    subject, body = acknowledgement_message(sr)
    return delivery.send_to_customer(
        actor=sr.created_by,
        kind=MessageKind.ACKNOWLEDGEMENT,
        channel=DeliveryChannel.EMAIL,
        to_address=address,
        subject=subject,
        body=body,
        language=sr.requester.language or "en",
        related_reference=sr.reference,
        is_confidential=sr.is_confidential,
    )


def send_referral_notice(referral: Referral) -> Notification | None:
    """Email a customer abroad the international office's public contact details
    (referral_message), when they gave an email address; None when they did not."""
    if not referral.email:
        return None
    subject, body = referral_message(referral)
    return delivery.send_to_customer(
        actor=referral.actor,
        kind=MessageKind.REFERRAL_NOTICE,
        channel=DeliveryChannel.EMAIL,
        to_address=referral.email,
        subject=subject,
        body=body,
        language=referral.language or "en",
        related_reference=referral.reference,
        is_confidential=False,
    )
