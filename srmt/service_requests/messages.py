"""The words of messages to customers, in the customer's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from srmt.service_requests.models import ServiceRequest


def response_message(sr: ServiceRequest, *, kind: str, body: str) -> tuple[str, str]:
    """Subject and body of the message that carries a response to the requester."""
    with translation.override(sr.requester.language or "en"):
        subject = _("Your service request %(reference)s") % {"reference": sr.reference}
        if kind == "final":
            closing = _("This is the final response to your request, which is now closed.")
        else:
            closing = _("We will write again when there is more to tell you.")
        lines = [
            _("Dear %(name)s,") % {"name": sr.requester.name},
            "",
            body,
            "",
            closing,
            _("Please quote %(reference)s if you contact us about this request.")
            % {"reference": sr.reference},
        ]
        if sr.receipt_number:
            lines.append(_("Receipt number: %(receipt)s") % {"receipt": sr.receipt_number})
    return subject, "\n".join(lines)
