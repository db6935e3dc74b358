"""The forms of the template library's pages (docs/adr/0033-response-templates.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srmt.offices.models import Office
from srmt.response_templates.models import TEMPLATE_BODY_LENGTH
from srmt.service_requests.choices import ResponseKind
from srmt.service_requests.models import ServiceRequestType
from srmt.staff.forms import UswdsForm, textarea

NATIONAL = "national"


def _kind_choices(blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *ResponseKind.choices]


def _type_choices(blank: Any) -> list[tuple[str, Any]]:
    types = ServiceRequestType.objects.order_by("sort_order", "code")
    return [("", blank), *((t.code, t.name) for t in types)]


class TemplateFilterForm(UswdsForm):
    office = forms.ChoiceField(label=_("Owner"), required=False)
    request_type = forms.ChoiceField(label=_("Request type"), required=False)
    response_kind = forms.ChoiceField(label=_("Kind of response"), required=False)
    language = forms.ChoiceField(
        label=_("Show the wording in"),
        required=False,
        choices=[("en", _("English")), ("es", _("Spanish"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, offices: list[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("office", forms.ChoiceField).choices = [
            ("", _("Any")),
            (NATIONAL, _("National")),
            *((o.code, f"{o.code}: {o.name}") for o in offices),
        ]
        self.field_of("request_type", forms.ChoiceField).choices = _type_choices(_("Any"))
        self.field_of("response_kind", forms.ChoiceField).choices = _kind_choices(_("Any"))


class WordingForm(UswdsForm):
    body_en = forms.CharField(
        label=_("Text in English"),
        max_length=TEMPLATE_BODY_LENGTH,
        widget=textarea(8),
        help_text=_("Write variables as {{ name }}; the list of variables is on this page."),
    )
    body_es = forms.CharField(
        label=_("Text in Spanish"),
        max_length=TEMPLATE_BODY_LENGTH,
        widget=textarea(8),
        help_text=_("The same answer in Spanish, with the same variables."),
    )
    change_note = forms.CharField(
        label=_("What changed and why"),
        max_length=200,
        help_text=_("Shown in the template's history. At most 200 characters."),
    )


class NewTemplateForm(WordingForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_(
            "Lower-case letters, digits and hyphens. Writers and programs name the template "
            "by it; it never changes."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    office = forms.ChoiceField(label=_("Owner"))
    request_type = forms.ChoiceField(label=_("Request type"), required=False)
    response_kind = forms.ChoiceField(label=_("Kind of response"), required=False)
    field_order = ["code", "name", "office", "request_type", "response_kind", "body_en", "body_es"]

    def __init__(self, *args: Any, offices: list[Office], national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners: list[tuple[str, Any]] = [(o.code, f"{o.code}: {o.name}") for o in offices]
        if national:
            owners.insert(0, (NATIONAL, _("National (every office)")))
        self.field_of("office", forms.ChoiceField).choices = owners
        self.field_of("request_type", forms.ChoiceField).choices = _type_choices(
            _("Every request type")
        )
        self.field_of("response_kind", forms.ChoiceField).choices = _kind_choices(
            _("Every kind of response")
        )
        note = self.fields["change_note"]
        note.required = False
        note.help_text = _("Optional for a new template. At most 200 characters.")


class PreviewForm(UswdsForm):
    reference = forms.CharField(
        label=_("Service request reference"),
        max_length=32,
        help_text=_("The template is filled from this request, in its customer's language."),
    )


class ActiveForm(UswdsForm):
    """Deactivating or reactivating takes no input; the form carries refusals."""
