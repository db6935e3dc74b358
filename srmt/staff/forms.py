"""Forms of the staff pages. They check shape only; the services enforce the rules."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.cases.choices import Language
from srmt.core.errors import DomainError, InvalidReceiptNumber
from srmt.core.receipts import normalize_receipt_number
from srmt.offices.labels import office_choices
from srmt.offices.models import Office
from srmt.service_requests import expedites
from srmt.service_requests.choices import (
    Channel,
    RequestTypeCode,
    ResponseKind,
    Status,
    Urgency,
)
from srmt.service_requests.expedites import ExpediteData
from srmt.service_requests.models import ServiceRequestType
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.services import MAX_TEXT, Submission
from srmt.staff import selectors

_WIDGET_CLASSES = {
    "textarea": "usa-textarea",
    "select": "usa-select",
    "combobox": "usa-select",
    "checkbox": "usa-checkbox__input",
    "radioselect": "",
}


class UswdsBoundField(BoundField):
    """Adds the USWDS class of each widget, with the error modifier when invalid."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        css = _WIDGET_CLASSES.get(self.widget_type, "usa-input")
        if css and self.errors and css != "usa-checkbox__input":
            css += " usa-input--error"
        if css:
            attrs["class"] = " ".join(filter(None, [str(attrs.get("class") or ""), css]))
        return attrs


_FieldT = TypeVar("_FieldT", bound=forms.Field)


class UswdsForm(forms.Form):
    bound_field_class = UswdsBoundField
    # Label optional fields "(optional)"; filter forms, where every field is optional, don't.
    mark_optional = False

    def field_of(self, name: str, kind: type[_FieldT]) -> _FieldT:
        """The field `name`, which is a `kind` (to set what depends on the data, such as the
        choices of a ChoiceField)."""
        field = self.fields[name]
        if not isinstance(field, kind):
            raise TypeError(f"{type(self).__name__}.{name} is not a {kind.__name__}.")
        return field

    def add_domain_error(self, error: DomainError) -> None:
        """Show a refusal from a service next to the field it is about, or above the form."""
        field = (error.field or "").replace(".", "_")
        self.add_error(field if field in self.fields else None, error.message)


class LoginForm(AuthenticationForm):
    bound_field_class = UswdsBoundField


def textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- queue --------------------------------------------------------------------------------


class QueueFilterForm(UswdsForm):
    status = forms.ChoiceField(label=_("Status"), required=False)
    type = forms.ChoiceField(label=_("Type of request"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    assigned = forms.ChoiceField(
        label=_("Assignee"),
        required=False,
        choices=[
            ("", _("Anyone")),
            (selectors.ASSIGNED_TO_ME, _("Assigned to me")),
            (selectors.UNASSIGNED, _("Unassigned")),
        ],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    at_risk = forms.BooleanField(label=_("At risk only"), required=False)
    flagged = forms.BooleanField(label=_("Flagged only"), required=False)
    escalated = forms.BooleanField(label=_("Escalated only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (selectors.SORT_DUE, _("Due date, soonest first")),
            (selectors.SORT_CREATED, _("Date received, newest first")),
        ],
    )

    def __init__(self, *args: Any, types: list[ServiceRequestType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("status", forms.ChoiceField).choices = [
            (selectors.OPEN, _("Open")),
            (selectors.ALL, _("All")),
            *Status.choices,
        ]
        self.field_of("type", forms.ChoiceField).choices = [("", _("All types"))] + [
            (t.code, t.name) for t in types
        ]
        self.field_of("channel", forms.ChoiceField).choices = [
            ("", _("All channels")),
            *Channel.choices,
        ]

    def filters(self) -> selectors.QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.QueueFilters(
            status=data.get("status") or selectors.OPEN,
            type_code=data.get("type", ""),
            channel=data.get("channel", ""),
            overdue_only=bool(data.get("overdue")),
            at_risk_only=bool(data.get("at_risk")),
            flagged_only=bool(data.get("flagged")),
            escalated_only=bool(data.get("escalated")),
            assigned=data.get("assigned", ""),
            sort=data.get("sort") or selectors.SORT_DUE,
        )


class OfficeSelectForm(UswdsForm):
    office = forms.ChoiceField(label=_("Office"))

    def __init__(self, *args: Any, offices: list[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("office", forms.ChoiceField).choices = [
            (o.code, f"{o.code} – {o.name}") for o in offices
        ]


# --- actions on a request -----------------------------------------------------------------


class PanelForm(UswdsForm):
    """A form of one panel of the request page: its field ids start with the panel's name,
    so that the page's forms never share an id (two have a "body", three a "reason")."""

    panel = "action"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.panel}-%s")
        super().__init__(*args, **kwargs)


class ResponseForm(PanelForm):
    panel = "respond"
    kind = forms.ChoiceField(
        label=_("Kind of response"),
        widget=forms.RadioSelect,
        help_text=_("A final response closes the request."),
    )
    body = forms.CharField(
        label=_("Response to the customer"),
        max_length=MAX_TEXT,
        widget=textarea(8),
        help_text=_("The customer receives this text. Use at most 10,000 characters."),
    )

    def __init__(self, *args: Any, has_responses: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = ResponseKind.FOLLOW_UP if has_responses else ResponseKind.INITIAL
        self.field_of("kind", forms.ChoiceField).choices = [
            (first.value, first.label),
            (ResponseKind.FINAL.value, ResponseKind.FINAL.label),
        ]


class NoteForm(PanelForm):
    panel = "note"
    body = forms.CharField(
        label=_("Internal note"),
        max_length=MAX_TEXT,
        widget=textarea(4),
        help_text=_("Only staff see internal notes. The customer never does."),
    )


class ComboBox(forms.Select):
    """A select that USWDS turns into a searchable combo box (a plain select without
    JavaScript)."""

    template_name = "django/forms/widgets/combo_box.html"


class TransitionForm(PanelForm):
    panel = "status"
    mark_optional = True
    to = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=textarea(3),
        help_text=_("Required to transfer, redirect, withdraw, merge or reopen."),
    )
    office = forms.ChoiceField(
        label=_("Office to transfer to"),
        required=False,
        widget=ComboBox,
        help_text=_("Only when the new status is Transferred. Type to search."),
    )
    duplicate_of = forms.CharField(
        label=_("Reference of the original request"),
        required=False,
        max_length=16,
        help_text=_("Only when the new status is Merged as duplicate. For example SR-7KQ2-M9XD."),
    )

    def __init__(
        self, *args: Any, targets: list[Status], offices: list[Office], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("to", forms.ChoiceField).choices = [(s.value, s.label) for s in targets]
        # Names told apart where two offices share one (the two Portland field offices).
        self.field_of("office", forms.ChoiceField).choices = [("", _("Choose an office"))] + [
            (code, f"{code} – {label}") for code, label in office_choices(offices)
        ]


class StaffChoiceField(forms.ModelChoiceField[User]):
    """Members of staff by name (their username when they have none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class AssignForm(PanelForm):
    panel = "assign"
    assignee = StaffChoiceField(
        label=_("Assignee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody: return it to the office queue"),
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("assignee", StaffChoiceField).queryset = staff


# --- intake -------------------------------------------------------------------------------


def _clean_receipt(value: str) -> str:
    try:
        return normalize_receipt_number(value)
    except InvalidReceiptNumber as exc:
        raise forms.ValidationError(exc.message) from None


class LookupForm(UswdsForm):
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        max_length=40,
        help_text=_("3 letters and 10 digits, for example EAC2190012345."),
    )

    def clean_receipt_number(self) -> str:
        return _clean_receipt(self.cleaned_data["receipt_number"])


class IntakeForm(UswdsForm):
    mark_optional = True
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        required=False,
        max_length=40,
        help_text=_("Leave empty only for requests that are not about one case."),
    )
    type = forms.ChoiceField(label=_("Type of request"))
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE_TIER1
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What the customer needs"),
        max_length=MAX_TEXT,
        widget=textarea(6),
        help_text=_("Use plain words. Use at most 10,000 characters."),
    )
    requester_name = forms.CharField(label=_("Name of the person asking"), max_length=200)
    requester_email = forms.EmailField(label=_("Email address"), required=False)
    requester_phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_("For example 802-555-0123, or +52 55 1234 5678 outside the U.S."),
    )
    requester_language = forms.ChoiceField(
        label=_("Language for responses"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        widget=forms.RadioSelect,
    )
    requester_zip_code = forms.CharField(
        label=_("ZIP code"),
        required=False,
        max_length=10,
        help_text=_(
            "For example 05478 or 05478-1234. Accommodation requests go to the field "
            "office for this ZIP code."
        ),
    )
    requester_country = forms.CharField(
        label=_("Country of residence"),
        required=False,
        max_length=2,
        help_text=_(
            "Two-letter code, for example MX. Leave empty for the U.S. Customers "
            "outside the U.S. are referred to an international office."
        ),
    )
    expedite_criterion = forms.ChoiceField(
        label=_("Expedite criterion"),
        required=False,
        help_text=_("Only for an expedite request."),
    )
    expedite_justification = forms.CharField(
        label=_("Why the case is urgent"),
        required=False,
        max_length=MAX_TEXT,
        widget=textarea(4),
        help_text=_("Only for an expedite request. The office holding the case decides."),
    )

    def __init__(self, *args: Any, types: list[ServiceRequestType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("type", forms.ChoiceField).choices = [("", _("Choose a type"))] + [
            (t.code, t.name) for t in types
        ]
        self.field_of("expedite_criterion", forms.ChoiceField).choices = [
            ("", _("Choose a criterion"))
        ] + [(c.code, c.name) for c in expedites.criteria_in_force()]

    def clean_receipt_number(self) -> str:
        value = self.cleaned_data["receipt_number"].strip()
        return _clean_receipt(value) if value else ""

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            type=data["type"],
            channel=data["channel"],
            description=data["description"],
            receipt_number=data["receipt_number"],
            urgency=data["urgency"],
            requester=RequesterData(
                name=data["requester_name"],
                email=data["requester_email"],
                phone=data["requester_phone"],
                language=data["requester_language"],
                zip_code=data["requester_zip_code"],
                country=data["requester_country"],
            ),
            expedite=ExpediteData(data["expedite_criterion"], data["expedite_justification"])
            if data["type"] == RequestTypeCode.EXPEDITE_REQUEST
            else None,
        )
