"""The redirect form: close a request as redirected to another agency."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srmt.offices.models import RedirectTopic
from srmt.staff.forms import ComboBox, PanelForm, textarea


class RedirectForm(PanelForm):
    panel = "redirect"
    topic = forms.ChoiceField(label=_("What the customer is asking about"), widget=ComboBox)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=textarea(3),
        help_text=_("For the history; the customer gets the agency's contact details."),
    )

    def __init__(self, *args: Any, topics: list[RedirectTopic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("topic", forms.ChoiceField).choices = [("", _("Choose a topic"))] + [
            (t.code, f"{t.name} – {t.agency.name}") for t in topics
        ]
