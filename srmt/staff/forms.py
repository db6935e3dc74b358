"""Forms of the staff pages. They check shape only; the services enforce the rules."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.cases.choices import Language
from srmt.core.contacts import to_email
from srmt.core.errors import DomainError, InvalidReceiptNumber
from srmt.core.receipts import normalize_receipt_number
from srmt.offices.jurisdiction import country_choices, normalize_zip, zip_states
from srmt.offices.labels import office_choices
from srmt.offices.models import Office
from srmt.service_requests import attachments, expedites
from srmt.service_requests.address_changes import NewAddress, address_problems
from srmt.service_requests.choices import (
    Channel,
    RequestTypeCode,
    ResponseKind,
    Status,
    Urgency,
)
from srmt.service_requests.expedites import ExpediteData
from srmt.service_requests.models import ServiceRequestType
from srmt.service_requests.requesters import RequesterData, normalize_phone
from srmt.service_requests.services import MAX_TEXT, Submission
from srmt.staff import selectors

_WIDGET_CLASSES = {
    "textarea": "usa-textarea",
    "charactercounttextarea": "usa-textarea usa-character-count__field",
    "multiplefileinput": "",
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


class CharacterCountTextarea(forms.Textarea):
    """A textarea in the USWDS character count component. The limit is a `data-maxlength`
    on the component, never a `maxlength` on the textarea, so the browser never cuts a text
    silently: a text over the limit is counted as such and refused with a visible error."""

    template_name = "django/forms/widgets/character_count.html"

    def __init__(self, *, max_length: int = MAX_TEXT, rows: int = 6) -> None:
        super().__init__(attrs={"rows": rows})
        self.max_length = max_length

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.pop("maxlength", None)
        info = f"{widget_attrs.get('id', name)}-info"
        described = str(widget_attrs.get("aria-describedby", "")).split()
        widget_attrs["aria-describedby"] = " ".join([*described, info])
        context["widget"].update(max_length=self.max_length, info_id=info)
        return context


class LongTextField(forms.CharField):
    """Free text of at most `max_length` characters (the services' MAX_TEXT by default),
    counted as it is typed; a longer text is refused with an error naming the limit."""

    def __init__(self, *, max_length: int = MAX_TEXT, rows: int = 6, **kwargs: Any) -> None:
        kwargs.setdefault("widget", CharacterCountTextarea(max_length=max_length, rows=rows))
        super().__init__(**kwargs)
        self.limit = max_length

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and len(value) > self.limit:
            raise forms.ValidationError(
                _("Use at most %(limit)s characters. This text has %(count)s.")
                % {
                    "limit": number_format(self.limit, force_grouping=True),
                    "count": number_format(len(value), force_grouping=True),
                },
                code="max_length",
            )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each checked by the
    attachments' rules (size, type by content) with the form, before anything is written."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [single(item, initial) for item in files]
        if len(cleaned) > attachments.MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(max)d files.") % {"max": attachments.MAX_ATTACHMENTS}
            )
        errors = []
        for upload in cleaned:
            try:
                attachments.check_upload(upload)
            except DomainError as exc:
                errors.append(
                    forms.ValidationError(
                        _("%(name)s: %(problem)s") % {"name": upload.name, "problem": exc.message}
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


# --- queue --------------------------------------------------------------------------------


# Every sortable column of the queue, both ways (selectors.SORT_KEYS; docs/adr/0031).
QUEUE_SORT_CHOICES = [
    ("due", _("Due date, soonest first")),
    ("-due", _("Due date, latest first")),
    ("-created", _("Date received, newest first")),
    ("created", _("Date received, oldest first")),
    ("reference", _("Reference, A to Z")),
    ("-reference", _("Reference, Z to A")),
    ("type", _("Type, A to Z")),
    ("-type", _("Type, Z to A")),
    ("status", _("Status, A to Z")),
    ("-status", _("Status, Z to A")),
    ("channel", _("Channel, A to Z")),
    ("-channel", _("Channel, Z to A")),
    ("language", _("Language, A to Z")),
    ("-language", _("Language, Z to A")),
    ("assignee", _("Assignee, A to Z")),
    ("-assignee", _("Assignee, Z to A")),
    ("office", _("Office, A to Z")),
    ("-office", _("Office, Z to A")),
]
# The queue's query parameters a saved view keeps (filters and sort, not the page).
QUEUE_QUERY_KEYS = (
    "status",
    "type",
    "channel",
    "assigned",
    "overdue",
    "at_risk",
    "flagged",
    "escalated",
    "age",
    "sort",
)


class QueueFilterForm(UswdsForm):
    """The queue page's filters and sort (a GET form; every field optional)."""

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
    # Open for this many days (the dashboards' age buckets drill down here, ADR 0051).
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[
            ("", _("Any age")),
            ("0-7", _("0 to 7 days")),
            ("8-15", _("8 to 15 days")),
            ("16-30", _("16 to 30 days")),
            ("31-60", _("31 to 60 days")),
            ("61+", _("More than 60 days")),
        ],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=QUEUE_SORT_CHOICES)

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
            age=data.get("age", ""),
            sort=data.get("sort") or selectors.SORT_DUE,
        )

    def query(self) -> dict[str, str]:
        """The checked filters and sort as query parameters (what a saved view keeps);
        defaults and invalid values are left out."""
        data = self.cleaned_data if self.is_valid() else {}
        query: dict[str, str] = {}
        for key in QUEUE_QUERY_KEYS:
            value = data.get(key)
            if value is True:
                query[key] = "on"
            elif value and value is not False:
                query[key] = str(value)
        if query.get("sort") == selectors.SORT_DUE:
            del query["sort"]
        return query


class OfficeSelectForm(UswdsForm):
    """The queue page's office picker: a USWDS combo box (a plain select without
    JavaScript) that tells apart offices of the same name (offices.labels)."""

    office = forms.ChoiceField(label=_("Office"))

    def __init__(self, *args: Any, offices: list[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("office", forms.ChoiceField).choices = [
            (code, f"{code} – {label}") for code, label in office_choices(offices)
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
        # The "r" shortcut lands here, past the template picker (staff.js).
        widget=forms.RadioSelect(attrs={"data-shortcut-focus": ""}),
        help_text=_("A final response closes the request."),
    )
    body = forms.CharField(
        label=_("Response to the customer"),
        max_length=MAX_TEXT,
        widget=textarea(8),
        help_text=_("The customer receives this text. Use at most 10,000 characters."),
    )
    # The code of the template the text started from (the template picker sets it).
    template = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # Set by the template picker (staff.views.library): what to tell the writer.
    template_error: str = ""
    template_missing: dict[str, list[Any]] | None = None

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


# Who wins when the person on file differs from what the caller said (ADR 28).
PERSON_CALLER = "caller"
PERSON_ON_FILE = "on_file"


class IntakeForm(UswdsForm):
    """A new request as the caller tells it. Every field is checked here, all at once (the
    email, phone, ZIP code, country, the receipt number a type needs, the expedite and
    address details its type needs), before any routing or referral is decided."""

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
        help_text=_("An urgent request gets the shorter targets of its type's deadline policy."),
    )
    description = LongTextField(
        label=_("What the customer needs"), help_text=_("Use plain words."), rows=6
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
    requester_country = forms.ChoiceField(
        label=_("Country of residence"),
        required=False,
        initial="US",
        widget=ComboBox,
        help_text=_(
            "Type to search. Customers outside the U.S. are referred to an international "
            "office; you see which one before the referral is recorded."
        ),
    )
    address_street = forms.CharField(label=_("Street address"), required=False, max_length=200)
    address_unit = forms.CharField(
        label=_("Apartment, suite or unit"), required=False, max_length=100
    )
    address_city = forms.CharField(label=_("City"), required=False, max_length=100)
    address_state = forms.ChoiceField(label=_("State or territory"), required=False)
    address_zip_code = forms.CharField(
        label=_("ZIP code of the new address"),
        required=False,
        max_length=10,
        help_text=_("In the U.S.: 5 digits, like 05478. Abroad: the postal code, if any."),
    )
    address_country = forms.ChoiceField(
        label=_("Country of the new address"),
        required=False,
        initial="US",
        widget=ComboBox,
    )
    expedite_criterion = forms.ChoiceField(label=_("Expedite criterion"), required=False)
    expedite_customer_deadline = forms.DateField(
        label=_("Date by which the customer needs a decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2027-03-31."),
    )
    expedite_justification = LongTextField(
        label=_("Why the case is urgent"),
        required=False,
        help_text=_("The office holding the case decides."),
        rows=4,
    )
    expedite_evidence = LongTextField(
        label=_("Evidence the customer has or will send"),
        required=False,
        help_text=_("For example a letter from a doctor, or an airline ticket."),
        rows=3,
    )
    attachments = MultipleFileField(
        label=_("Files of evidence"),
        required=False,
        help_text=_(
            "PDF, JPEG or PNG, at most 10 MB each, 10 files at most. They are saved with the "
            "request (not with a referral)."
        ),
    )
    person_choice = forms.ChoiceField(
        label=_("Which details should the request use?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (PERSON_CALLER, _("What the caller just said (the record on file is updated)")),
            (PERSON_ON_FILE, _("The details on file (nothing is changed)")),
        ],
    )

    EXPEDITE_FIELDS = (
        "expedite_criterion",
        "expedite_customer_deadline",
        "expedite_justification",
        "expedite_evidence",
    )
    ADDRESS_FIELDS = (
        "address_street",
        "address_unit",
        "address_city",
        "address_state",
        "address_zip_code",
        "address_country",
    )

    def __init__(self, *args: Any, types: list[ServiceRequestType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.types = {t.code: t for t in types}
        self.field_of("type", forms.ChoiceField).choices = [("", _("Choose a type"))] + [
            (t.code, t.name) for t in types
        ]
        self.field_of("expedite_criterion", forms.ChoiceField).choices = [
            ("", _("Choose a criterion"))
        ] + [(c.code, c.name) for c in expedites.criteria_in_force()]
        countries = country_choices()  # in the active language, the U.S. first
        self.field_of("requester_country", forms.ChoiceField).choices = countries
        self.field_of("address_country", forms.ChoiceField).choices = countries
        self.field_of("address_state", forms.ChoiceField).choices = [("", _("Choose a state"))] + [
            (code, code) for code in zip_states()
        ]

    # --- fields, each on its own so that every error shows at once ---------------------

    def clean_receipt_number(self) -> str:
        value = self.cleaned_data["receipt_number"].strip()
        return _clean_receipt(value) if value else ""

    def clean_requester_email(self) -> str:
        email = to_email(self.cleaned_data["requester_email"])
        if email is None:
            raise forms.ValidationError(_("Enter an email address like name@example.com."))
        return email

    def clean_requester_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["requester_phone"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_requester_zip_code(self) -> str:
        value = str(self.cleaned_data["requester_zip_code"]).strip()
        if value:
            try:
                normalize_zip(value, field="requester_zip_code")
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        request_type = self.types.get(data.get("type") or "")
        if request_type is None:
            return data
        if request_type.requires_receipt_number and data.get("receipt_number") == "":
            self.add_error(
                "receipt_number", _("This type of request needs the case's receipt number.")
            )
        if request_type.code == RequestTypeCode.EXPEDITE_REQUEST:
            self._require_expedite(data)
        if request_type.code == RequestTypeCode.CHANGE_OF_ADDRESS:
            address = self._address(data)
            for field, message in address_problems(address).items():
                self.add_error(f"address_{field}", message)
        return data

    def _require_expedite(self, data: dict[str, Any]) -> None:
        messages = {
            "expedite_criterion": _("Choose the expedite criterion."),
            "expedite_customer_deadline": _(
                "Enter the date by which the customer needs a decision."
            ),
            "expedite_justification": _("Say why the case is urgent."),
            "expedite_evidence": _("Describe the evidence the customer has or will send."),
        }
        for name, message in messages.items():
            if name in data and data[name] in ("", None):
                self.add_error(name, message)
        deadline = data.get("expedite_customer_deadline")
        if deadline is not None and deadline < timezone.localdate():
            self.add_error(
                "expedite_customer_deadline", _("The customer's deadline cannot be in the past.")
            )

    @staticmethod
    def _address(data: dict[str, Any]) -> NewAddress:
        return NewAddress(
            street=data.get("address_street", "").strip(),
            unit=data.get("address_unit", "").strip(),
            city=data.get("address_city", "").strip(),
            state=data.get("address_state", ""),
            zip_code=data.get("address_zip_code", "").strip(),
            country=data.get("address_country") or "US",
        )

    # --- what the services are given ----------------------------------------------------

    def requester(self) -> RequesterData:
        data = self.cleaned_data
        values = {
            "name": data["requester_name"],
            "email": data["requester_email"],
            "phone": data["requester_phone"],
            "language": data["requester_language"],
            "zip_code": data["requester_zip_code"],
            "country": data["requester_country"],
        }
        # What the worker typed, and the language they chose; an empty field says nothing.
        given = frozenset(name for name, value in values.items() if value)
        return RequesterData(**values, given=given)

    def submission(self) -> Submission:
        data = self.cleaned_data
        type_code = data["type"]
        return Submission(
            type=type_code,
            channel=data["channel"],
            description=data["description"],
            receipt_number=data["receipt_number"],
            urgency=data["urgency"],
            requester=self.requester(),
            expedite=ExpediteData(
                data["expedite_criterion"],
                data["expedite_justification"],
                customer_deadline=data["expedite_customer_deadline"],
                evidence=data["expedite_evidence"],
            )
            if type_code == RequestTypeCode.EXPEDITE_REQUEST
            else None,
            keep_person_on_file=data.get("person_choice") == PERSON_ON_FILE,
            new_address=self._address(data)
            if type_code == RequestTypeCode.CHANGE_OF_ADDRESS
            else None,
            attachments=tuple(data.get("attachments") or ()),
        )
