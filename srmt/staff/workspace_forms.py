"""Forms of the workspace pages: saved queue views, bulk actions, notification settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.offices.labels import office_choices
from srmt.offices.models import Office
from srmt.service_requests.choices import Status
from srmt.staff.forms import UswdsForm
from srmt.workspace.models import VIEW_NAME_LENGTH

ASSIGN, TRANSFER, STATUS = "assign", "transfer", "status"
UNASSIGN = "-"
MAX_BULK = 100
BULK_STATUSES = (Status.IN_PROGRESS, Status.AWAITING_CUSTOMER, Status.WITHDRAWN)


class SavedViewForm(UswdsForm):
    name = forms.CharField(label=_("Name of the view"), max_length=VIEW_NAME_LENGTH)


class BulkActionForm(UswdsForm):
    """One action for every selected request; each still goes through its own service call."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("", _("- Select -")),
            (ASSIGN, _("Assign")),
            (TRANSFER, _("Transfer to another office")),
            (STATUS, _("Change status")),
        ],
    )
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    office = forms.ChoiceField(label=_("Transfer to office"), required=False)
    to = forms.ChoiceField(label=_("New status"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        help_text=_("Needed for a transfer and for withdrawing."),
    )

    def __init__(self, *args: Any, staff: list[User], offices: list[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {u.get_username(): u for u in staff}
        self.field_of("assignee", forms.ChoiceField).choices = [
            ("", _("- Select -")),
            (UNASSIGN, _("Nobody (back to the office queue)")),
            *[(u.get_username(), u.get_full_name() or u.get_username()) for u in staff],
        ]
        self.field_of("office", forms.ChoiceField).choices = [
            ("", _("- Select -")),
            *[(code, f"{code} – {label}") for code, label in office_choices(offices)],
        ]
        self.field_of("to", forms.ChoiceField).choices = [
            ("", _("- Select -")),
            *[(s.value, s.label) for s in BULK_STATUSES],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == ASSIGN and not data.get("assignee"):
            self.add_error("assignee", _("Choose who to assign the requests to."))
        if action == TRANSFER:
            if not data.get("office"):
                self.add_error("office", _("Choose the office to transfer the requests to."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give a reason for the transfer."))
        if action == STATUS:
            if not data.get("to"):
                self.add_error("to", _("Choose the new status."))
            elif data["to"] == Status.WITHDRAWN and not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give a reason for withdrawing the requests."))
        return data

    def assignee_user(self) -> User | None:
        value = self.cleaned_data.get("assignee", "")
        return None if value == UNASSIGN else self.staff.get(value)


class NotificationSettingsForm(UswdsForm):
    email = forms.BooleanField(
        label=_("Also email me when a request is assigned or returned to me"),
        required=False,
        help_text=_("The notifications always show in SRMT. Emails go to your work address."),
    )
