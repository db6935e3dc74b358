"""What every public page shows: the agency's name and its real contact lines
(../shared/docs/domain.md, section 3), in the footer of every page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.messaging.access import unread_total


@dataclass(frozen=True)
class ContactLine:
    name: str | Promise
    number: str  # as dialled in the United States
    hours: str | Promise = ""

    @property
    def tel(self) -> str:
        """The `tel:` link's number (E.164)."""
        return "+1" + "".join(ch for ch in self.number if ch.isdigit())


CONTACT_LINES = (
    ContactLine(_("Contact Center"), "800-375-5283"),
    ContactLine(_("Contact Center, TTY"), "800-767-1833"),
    ContactLine(
        _("Military Help Line"), "877-247-4645", _("Monday to Friday, 8 a.m. to 4:30 p.m. Central")
    ),
    ContactLine(_("Premium Processing"), "866-315-5718"),
    ContactLine(_("Hague adoptions"), "877-424-8374"),
)


def public_site(request: HttpRequest) -> dict[str, Any]:
    """Template context for the public pages (added by their views, not globally)."""
    return {
        "agency_name": settings.SRMT_AGENCY_NAME,
        "contact_lines": CONTACT_LINES,
        # Counted only when a page shows the menu (a callable: templates call it).
        "unread_messages": lambda: _unread(request),
    }


def _unread(request: HttpRequest) -> int:
    user = getattr(request, "user", None)
    return unread_total(user) if isinstance(user, User) else 0
