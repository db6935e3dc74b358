"""Forms of the national QA review pages. They check shape only; srmt.qa.services decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srmt.qa.models import Criterion
from srmt.qa.reports import DIMENSIONS
from srmt.staff.forms import LongTextField, UswdsForm


class DrawSampleForm(UswdsForm):
    week = forms.RegexField(
        label=_("ISO week"),
        regex=r"^\d{4}-W\d{2}$",
        max_length=8,
        help_text=_("For example 2026-W48 (Monday to Sunday)."),
        error_messages={"invalid": _("Give the week as YYYY-Www, for example 2026-W48.")},
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("Any whole number. The same week and seed always draw the same requests."),
    )


class AssignForm(UswdsForm):
    item = forms.TypedChoiceField(label=_("Request"), coerce=int)
    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(
        self,
        *args: Any,
        items: list[tuple[int, str]],
        reviewers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("item", forms.TypedChoiceField).choices = items
        self.field_of("reviewer", forms.TypedChoiceField).choices = reviewers


def level_choices(criterion: Criterion) -> list[tuple[int, str]]:
    return [(value, f"{value} – {criterion.level_label(value)}") for value in criterion.values]


class ScoreForm(UswdsForm):
    """One radio group and an optional comment per criterion, then a general comment."""

    mark_optional = True

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.label,
                help_text=criterion.definition,
                choices=level_choices(criterion),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score.")},
            )
            self.fields[f"comment_{criterion.code}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.label},
                required=False,
                max_length=2_000,
            )
        self.fields["comment"] = LongTextField(
            label=_("General comment"), required=False, max_length=5_000, rows=4
        )

    def pairs(self) -> list[tuple[Any, Any]]:
        return [(self[f"score_{c.code}"], self[f"comment_{c.code}"]) for c in self.criteria]


class DisputeForm(UswdsForm):
    criterion = forms.ChoiceField(label=_("Score you dispute"))
    reason = LongTextField(label=_("Why the score is wrong"), max_length=5_000, rows=4)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_of("criterion", forms.ChoiceField).choices = [
            (c.code, c.label) for c in criteria
        ]


class DecisionForm(UswdsForm):
    value = forms.TypedChoiceField(
        label=_("Decision"), coerce=int, empty_value=None, widget=forms.RadioSelect
    )
    comment = LongTextField(label=_("Explanation to the responder"), max_length=5_000, rows=4)

    def __init__(self, *args: Any, criterion: Criterion, original: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [
            ("", _("Uphold the score (%(value)s)") % {"value": original})
        ]
        choices += [
            (value, _("Change it to %(level)s") % {"level": label})
            for value, label in level_choices(criterion)
            if value != original
        ]
        field = self.field_of("value", forms.TypedChoiceField)
        field.choices = choices
        field.required = False
        self.initial.setdefault("value", "")


MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class DashboardForm(UswdsForm):
    by = forms.ChoiceField(
        label=_("Group by"),
        choices=[
            ("office", _("Office")),
            ("type", _("Request type")),
            ("responder", _("Responder")),
            ("month", _("Month")),
        ],
        required=False,
    )

    since = forms.RegexField(
        label=_("From month"),
        regex=MONTH,
        required=False,
        help_text=_("For example 2026-01."),
        error_messages={"invalid": _("Give the month as YYYY-MM, for example 2026-01.")},
    )
    until = forms.RegexField(
        label=_("To month"),
        regex=MONTH,
        required=False,
        help_text=_("For example 2026-12."),
        error_messages={"invalid": _("Give the month as YYYY-MM, for example 2026-01.")},
    )

    def dimension(self) -> str:
        value = self.cleaned_data.get("by") if self.is_valid() else None
        return value if value in DIMENSIONS else "office"

    def month_range(self) -> tuple[str, str]:
        """The months asked for; a month given wrong is left out (the form shows why)."""
        if not self.is_bound:
            return "", ""
        self.is_valid()
        data = self.cleaned_data
        return data.get("since") or "", data.get("until") or ""
