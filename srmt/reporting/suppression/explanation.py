"""How the public site explains suppression (ADR 47), in English and Spanish (gettext).
The public reports and the data dictionary show these strings."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TITLE: Promise = _("Why some numbers are hidden")

EXPLANATION: Promise = _(
    "To protect the privacy of the people who contact us, we do not show any count from "
    "1 to 10. You will see the letter D in its place. Sometimes we also hide a larger number, "
    "because you could use it with the totals to work out a hidden count. You will see the "
    "letter H in its place. A zero is always shown. We also hide an average, a median or a "
    "rate when fewer than 11 requests are behind it. Before we publish a table, a computer "
    "check makes sure no hidden number can be worked out from the other numbers in any of "
    "our tables."
)

MARKERS: dict[str, Promise] = {
    "D": _("D: hidden to protect privacy (a count from 1 to 10, or too few requests)."),
    "H": _("H: hidden so that a number marked D cannot be worked out from it."),
}
