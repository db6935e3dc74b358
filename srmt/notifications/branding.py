"""The agency's voice in every message to a customer (docs/adr/0032).

Customer messages are signed as the agency (SRMT_AGENCY_* settings), never as this tool.
These helpers give the parts every message shares, in the active language: the greeting,
how to follow up with the reference, the contact center's lines, and the signature. Callers
compose inside `translation.override(customer's language)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Agency:
    """The agency as customers know it: its name, signature and public contact lines."""

    name: str
    signature: str
    phone: str
    tty: str
    web: str


def agency() -> Agency:
    """The configured agency, read at each message (settings may change in tests)."""
    name = settings.SRMT_AGENCY_NAME
    return Agency(
        name=name,
        signature=settings.SRMT_AGENCY_SIGNATURE or name,
        phone=settings.SRMT_AGENCY_PHONE,
        tty=settings.SRMT_AGENCY_TTY,
        web=settings.SRMT_AGENCY_WEB,
    )


def greeting(name: str) -> str:
    """ "Dear Ana Pérez," in English, "Hola, Ana Pérez:" in Spanish; no name: "Hello,"."""
    name = (name or "").strip()
    if not name:
        return _("Hello,")
    return _("Dear %(name)s,") % {"name": name}


def contact_line() -> str:
    """The contact center's phone and TTY lines and the agency's web address."""
    brand = agency()
    return _(
        "Contact center: %(phone)s (TTY %(tty)s). Information and your online account: %(web)s"
    ) % {"phone": brand.phone, "tty": brand.tty, "web": brand.web}


def follow_up_line(reference: str) -> str:
    """How to follow up: call the contact center and quote the reference."""
    brand = agency()
    return _(
        "To follow up, call the contact center at %(phone)s (TTY %(tty)s) and give the "
        "reference %(reference)s."
    ) % {"phone": brand.phone, "tty": brand.tty, "reference": reference}


def signature_lines() -> list[str]:
    """The closing: a courtesy, the signature, and the agency's web address."""
    brand = agency()
    return [_("Sincerely,"), brand.signature, brand.web]
