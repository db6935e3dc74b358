"""The outcomes page's choices: grouping and period (a GET form; docs/adr/0037)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srmt.outcomes.metrics import GroupBy, InvalidPeriod, Period
from srmt.staff.forms import UswdsForm

GROUP_CHOICES = [
    (GroupBy.OFFICE.value, _("Office")),
    (GroupBy.TYPE.value, _("Type of request")),
    (GroupBy.CHANNEL.value, _("Channel")),
    (GroupBy.LANGUAGE.value, _("Language")),
    (GroupBy.MONTH.value, _("Month")),
]


class OutcomesForm(UswdsForm):
    group_by = forms.ChoiceField(label=_("Group by"), choices=GROUP_CHOICES, required=False)
    start = forms.DateField(
        label=_("From (requests made on or after)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("To (requests made on or before)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = Period.default(today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start") or self.default.start
        end = data.get("end") or self.default.end
        if "start" in self.errors or "end" in self.errors:
            return data
        try:
            data["period"] = Period.checked(start, end)
        except InvalidPeriod as exc:
            self.add_error("end" if exc.field == "to" else "start", exc.message)
        data["group"] = GroupBy(data.get("group_by") or GroupBy.OFFICE)
        return data

    def choice(self) -> tuple[GroupBy, Period]:
        """The grouping and period asked for (the defaults when the form is not valid)."""
        if self.is_valid():
            return self.cleaned_data["group"], self.cleaned_data["period"]
        return GroupBy.OFFICE, self.default
