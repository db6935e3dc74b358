"""{% submission_token form %}: the hidden one-time token of a staff form (ADR 18)."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from srmt.staff.submissions import TOKEN_FIELD, token_for

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_token(context: dict[str, Any], form: forms.BaseForm | None = None) -> SafeString:
    """Put inside every staff <form method="post"> that writes or sends, next to
    {% csrf_token %}; `form` keeps its token when it is shown again after an error."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        TOKEN_FIELD,
        token_for(context["request"], form),
    )
