"""Letters for the print vendor (ADR 43): one customer message as a PDF, rendered with
fpdf2 (a maintained library; no hand-written PDF). The message carries everything the
letter says: the address block (`to_address`, one line each), the heading (`subject`)
and the text (`body`), already in the person's language; this module only lays it out.

The core PDF fonts cover Latin-1, which holds English and Spanish; any other character is
written without its accent (or as "?") so that a letter is always produced."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF

if TYPE_CHECKING:
    from srmt.notifications.models import Notification


def _latin1(text: str) -> str:
    """`text` in the characters the core fonts have (Latin-1)."""
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            ch = base or "?"
        out.append(ch)
    return "".join(out)


def render_letter(notification: Notification) -> bytes:
    """The letter as PDF bytes (US Letter, one or more pages)."""
    pdf = FPDF(format="Letter", unit="pt")
    pdf.set_title(_latin1(notification.subject))
    pdf.set_author(_latin1(settings.SRMT_AGENCY_NAME))
    pdf.set_creation_date(notification.created_at or timezone.now())
    pdf.set_margins(72, 72, 72)
    pdf.set_auto_page_break(auto=True, margin=72)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=12)
    pdf.multi_cell(0, 16, _latin1(settings.SRMT_AGENCY_NAME), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(24)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 14, _latin1(notification.to_address), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(24)
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.multi_cell(0, 16, _latin1(notification.subject), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 15, _latin1(notification.body), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
