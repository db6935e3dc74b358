"""The public sign-up form (django-allauth's, with who is signing up; ADR 42).

A customer gives their email, a password and their language; a representative also says
whether they are an attorney (bar number and the state of the bar) or an accredited
representative (EOIR number), so that the Forms G-28 the case systems have on file for
them show on their "Your clients' cases" page (cases.g28).
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from srmt.accounts import representatives, services
from srmt.accounts.choices import AccountKind, RepresentativeKind
from srmt.accounts.models import PublicProfile, User
from srmt.cases import g28

KIND_CHOICES = [
    (AccountKind.CUSTOMER.value, _("I am applying for myself or my family")),
    (AccountKind.REPRESENTATIVE.value, _("I am an attorney or accredited representative")),
]
LANGUAGE_CHOICES = [("en", "English"), ("es", "Español")]
STATE_CHOICES = [
    ("", _("Choose a state")),
    *[(s, s) for s in sorted(representatives.US_BAR_STATES)],
]


class PublicSignupForm(SignupForm):  # type: ignore[misc]
    kind = forms.ChoiceField(
        label=_("Who are you?"),
        choices=KIND_CHOICES,
        initial=AccountKind.CUSTOMER.value,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language for our messages"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    representative_kind = forms.ChoiceField(
        label=_("Representatives only: you are"),
        choices=RepresentativeKind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    bar_state = forms.ChoiceField(
        label=_("Attorneys: state of your bar"), choices=STATE_CHOICES, required=False
    )
    representative_number = forms.CharField(
        label=_("Representatives only: bar number or EOIR number"),
        max_length=representatives.NUMBER_MAX_LENGTH + 10,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (translation.get_language() or "en")[:2]
        self.fields["language"].initial = current if current in ("en", "es") else "en"

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()
        if data.get("kind") != AccountKind.REPRESENTATIVE:
            return data
        kind = data.get("representative_kind") or ""
        if not kind:
            self.add_error(
                "representative_kind",
                _("Say whether you are an attorney or an accredited representative."),
            )
            return data
        try:
            key = representatives.key_for(
                kind,
                number=data.get("representative_number") or "",
                state=data.get("bar_state") or "",
            )
        except representatives.InvalidIdentifier:
            if kind == RepresentativeKind.ATTORNEY and not data.get("bar_state"):
                self.add_error("bar_state", _("Choose the state of your bar."))
            else:
                self.add_error(
                    "representative_number",
                    _("Type your number with letters and digits only, such as 4512345."),
                )
            return data
        if PublicProfile.objects.filter(representative_key=key).exists():
            self.add_error(
                "representative_number",
                _("An account already uses this number. Call us if it is yours."),
            )
        return data

    def save(self, request: HttpRequest) -> User:
        with transaction.atomic():
            user: User = super().save(request)
            data = self.cleaned_data
            # Checked in clean(); a sign-up racing for the same number is refused here
            # (InvalidRepresentativeNumber), with nothing written.
            services.create_public_profile(
                user,
                prefs=services.ContactPreferences(language=data["language"]),
                representative_kind=data.get("representative_kind") or "",
                number=data.get("representative_number") or "",
                bar_state=data.get("bar_state") or "",
            )
            g28.match_account(user, actor=None)
        return user
