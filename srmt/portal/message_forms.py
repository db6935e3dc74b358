"""Forms of the secure-message pages (ADR 45). Shape only: the messaging services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from srmt.core.errors import DomainError
from srmt.messaging import files
from srmt.messaging.errors import InvalidMessageFile


class PortalForm(forms.Form):
    """USWDS classes on the widgets, with the error modifier on invalid fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = ""
            if isinstance(field.widget, forms.FileInput):
                css = "usa-file-input"
            elif isinstance(field.widget, forms.Textarea):
                css = "usa-textarea"
            elif isinstance(field.widget, forms.Select):
                css = "usa-select"
            elif isinstance(field.widget, forms.TextInput):
                css = "usa-input"
            if css:
                field.widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            for name in self.errors:
                if name in self.fields:
                    css = self.fields[name].widget.attrs.get("class", "")
                    if "usa-input--error" not in css:
                        self.fields[name].widget.attrs["class"] = f"{css} usa-input--error"

    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


def _checked_file(upload: Any) -> Any:
    if upload:
        try:
            files.check(upload)
        except InvalidMessageFile as exc:
            raise ValidationError(exc.message) from exc
    return upload


class ReplyForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Write your message.")},
    )
    attachment = forms.FileField(
        label=_("Attach a file (optional)"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
        required=False,
    )

    def clean_attachment(self) -> Any:
        return _checked_file(self.cleaned_data.get("attachment"))


class NewThreadForm(ReplyForm):
    about = forms.ChoiceField(
        label=_("What is your message about?"),
        error_messages={
            "required": _("Choose a case or a request."),
            "invalid_choice": _("Choose a case or a request from the list."),
        },
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        error_messages={"required": _("Write what your message is about.")},
    )
    field_order = ["about", "subject", "body", "attachment"]

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        about = self.fields["about"]
        assert isinstance(about, forms.ChoiceField)
        about.choices = [("", _("- Select -")), *choices]
