"""Forms of supervisory review on the staff pages (ADR 35): approve (optionally with an
edited text), return with a comment, and the author's resubmission."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from srmt.service_requests.services import MAX_TEXT
from srmt.staff.forms import PanelForm


class ApproveForm(PanelForm):
    panel = "approve"
    body = forms.CharField(
        label=_("Text sent to the customer"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Change it to approve with edits: your text is kept as a new revision beside the "
            "author's, and sent instead."
        ),
    )
    comment = forms.CharField(
        label=_("Comment for the author"),
        required=False,
        max_length=4_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(PanelForm):
    panel = "return"
    comment = forms.CharField(
        label=_("What the author should change"),
        max_length=4_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required. The author revises the response and resubmits it."),
    )


class ResubmitForm(PanelForm):
    panel = "resubmit"
    body = forms.CharField(
        label=_("Revised response to the customer"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
