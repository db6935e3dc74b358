"""The new-information check in the respond panel (issue 10, §2; ADR 39).

As the writer types, htmx posts the draft (views.assessment) and the panel shows the score
and each sentence, new or why not, in words. A form letter needs a reason for sending it
anyway: this form's one field, shown with the warning and sent with the response.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.core.errors import DomainError
from srmt.quality.types import Assessment, Why
from srmt.service_requests import form_letters
from srmt.service_requests.models import ServiceRequest
from srmt.staff.forms import PanelForm, textarea

# Why a sentence is not new, as the writer reads it.
WHY_LABELS: dict[Why, Promise] = {
    Why.TEMPLATE: _("Template wording"),
    Why.PRIOR_RESPONSE: _("Already said in an earlier response"),
    Why.CUSTOMER_REQUEST: _("Repeats what the customer told us"),
    Why.CASE_RECORD: _("Already on the case record"),
    Why.COMMON_PHRASE: _("Phrase sent to many customers"),
    Why.GENERIC: _("Generic, not about this case"),
}
NEW_LABEL = _("New for the customer")


@dataclass(frozen=True)
class SentenceRow:
    text: str
    new: bool
    label: str


class OverrideReasonForm(PanelForm):
    """The reason for sending a form letter anyway; required when the draft is one."""

    panel = "respond"
    override_reason = forms.CharField(
        label=_("Reason for sending it anyway"),
        max_length=form_letters.MAX_REASON,
        required=False,
        widget=textarea(3),
        help_text=_(
            "Say why the customer needs this response as it is. Your reason is recorded with "
            "the response."
        ),
        error_messages={"required": _("Give your reason for sending a form letter anyway.")},
    )

    def __init__(self, *args: Any, assessment: Assessment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["override_reason"].required = bool(assessment and assessment.form_letter)

    def reason(self) -> str:
        """The reason as typed (blank when none, or when the form is invalid)."""
        if not self.is_valid():
            return ""
        return str(self.cleaned_data["override_reason"])

    @property
    def percent(self) -> int:
        return round(self.assessment.new_information * 100) if self.assessment else 0

    @property
    def threshold_percent(self) -> int:
        return round(self.assessment.threshold * 100) if self.assessment else 0

    @property
    def rows(self) -> list[SentenceRow]:
        if self.assessment is None:
            return []
        return [
            SentenceRow(
                text=s.text,
                new=s.new,
                label=str(NEW_LABEL if s.why is None else WHY_LABELS[s.why]),
            )
            for s in self.assessment.sentences
        ]


def assessed(sr: ServiceRequest, user: User, data: QueryDict, *, bound: bool) -> OverrideReasonForm:
    """The panel's assessment of the posted draft (`body`, `template`). `bound`: after a
    refused submission, with the reason as sent and its error; else as the writer types,
    with the reason they have typed and no error yet. Without a draft to assess (blank, too
    long, or the writer may not respond any more) the form carries no assessment."""
    try:
        assessment: Assessment | None = form_letters.assess_draft(
            sr,
            actor=user,
            body=data.get("body", ""),
            template_code=data.get("template", ""),
        )
    except DomainError:
        assessment = None
    if bound:
        form = OverrideReasonForm(data, assessment=assessment)
        form.full_clean()
        return form
    return OverrideReasonForm(
        initial={"override_reason": data.get("override_reason", "")}, assessment=assessment
    )
