"""Template filters of the supervisory review pages (ADR 35)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A share of 0..1 as a whole percentage in the active language's format ("60 %" is not
    used: "60%")."""
    if share is None:
        return "—"
    return f"{number_format(round(share * 100), use_l10n=True)}%"
