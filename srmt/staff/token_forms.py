"""The form of the API tokens page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from srmt.staff.forms import UswdsForm


class ApiTokenForm(UswdsForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, so you can tell your tokens apart."),
        error_messages={"required": _("Enter a name for the token.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        maximum = settings.SRMT_API_TOKEN_MAX_DAYS
        self.fields["days"] = forms.IntegerField(
            label=_("Days until it expires"),
            min_value=1,
            max_value=maximum,
            initial=settings.SRMT_API_TOKEN_DAYS,
            help_text=_("From 1 to %(maximum)d days. After that the token stops working.")
            % {"maximum": maximum},
        )


class RevokeForm(UswdsForm):
    """Revoking a token takes no input; the form carries its refusals (a stale page)."""
