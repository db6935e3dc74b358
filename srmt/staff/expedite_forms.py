"""Forms of the expedite, evidence and repeat-choice parts of the staff pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.service_requests import repeats
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.repeats import RepeatChoice
from srmt.service_requests.services import MAX_TEXT
from srmt.staff.forms import IntakeForm, PanelForm, UswdsForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NEW = "new"


class DecisionForm(PanelForm):
    panel = "decide"
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve the expedite")), ("deny", _("Deny the expedite"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to deny. The customer receives it with the decision."),
    )

    @property
    def approved(self) -> bool:
        decision: str = self.cleaned_data["decision"]
        return decision == "approve"


class AttachmentForm(PanelForm):
    panel = "upload"
    file = forms.FileField(
        label=_("File of evidence"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB. A request can have 10 files."),
    )


class RepeatForm(UswdsForm):
    """What to do with open or recent requests like the new one (only when there are some)."""

    repeat = forms.ChoiceField(
        label=_("This case already has requests of this type"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether this is a new request or a repeat.")},
    )

    def __init__(self, *args: Any, candidates: list[ServiceRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.case_repeat_count = 0
        if not candidates:
            del self.fields["repeat"]
            return
        choices: list[tuple[str, StrOrPromise]] = []
        for sr in candidates:
            facts = f"{sr.type.name}, {sr.get_status_display()}, {sr.office.code}"
            choices.append(
                (
                    f"link:{sr.reference}",
                    _("Link as a repeat of %(ref)s (%(facts)s)")
                    % {"ref": sr.reference, "facts": facts},
                )
            )
            if sr.is_open:
                choices.append(
                    (
                        f"merge:{sr.reference}",
                        _("Merge into %(ref)s as a duplicate") % {"ref": sr.reference},
                    )
                )
        choices.append((NEW, _("Record it as a new request")))
        self.field_of("repeat", forms.ChoiceField).choices = choices

    def choice(self) -> RepeatChoice:
        """The caller's choice for the service; with no candidates, ask (the service checks
        again in its transaction)."""
        value = self.cleaned_data.get("repeat") or ""
        action, _sep, reference = value.partition(":")
        if action == "link":
            return RepeatChoice(repeat_of=reference)
        if action == "merge":
            return RepeatChoice(merge_into=reference)
        return RepeatChoice(check="ignore" if value == NEW else "ask")


def repeat_form_for(user: User, form: IntakeForm, data: Any) -> RepeatForm:
    """The repeat choice for a filled-in intake form: its candidates, when it is valid."""
    found: list[ServiceRequest] = []
    if form.is_valid() and form.cleaned_data["receipt_number"]:
        found = repeats.candidates(
            user,
            receipt_number=form.cleaned_data["receipt_number"],
            type_code=form.cleaned_data["type"],
        )
    repeat_form = RepeatForm(data, candidates=found)
    repeat_form.case_repeat_count = (
        repeats.case_repeat_count(user, found[0].receipt_number) if found else 0
    )
    return repeat_form
