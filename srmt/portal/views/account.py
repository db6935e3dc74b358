"""The account page (`portal:account`): how a customer or representative wants to be
reached, their language and time zone (ADR 42). Email, password and the authenticator app
are django-allauth's pages, linked from here."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from srmt.accounts import services
from srmt.accounts.errors import InvalidContactPreferences
from srmt.accounts.models import PublicProfile, User
from srmt.core.contacts import to_e164
from srmt.portal.access import public_account_required

TIME_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


class ContactPreferencesForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone number"),
        help_text=gettext_lazy(
            "For example, 202-555-0123. Leave it empty if you want no calls or texts."
        ),
        required=False,
        max_length=32,
    )
    sms_consent = forms.BooleanField(
        label=gettext_lazy("Send me text messages about my cases"), required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[("en", "English"), ("es", "Español")],
        widget=forms.RadioSelect,
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"), choices=[(z, z.replace("_", " ")) for z in TIME_ZONES]
    )

    def clean_phone(self) -> str:
        phone = to_e164(self.cleaned_data.get("phone") or "")
        if phone is None:
            raise forms.ValidationError(
                _("Type a phone number with its area code, such as 202-555-0123.")
            )
        return phone


def _initial(account: User) -> dict[str, object]:
    profile = PublicProfile.objects.filter(user=account).first()
    return {
        "phone": profile.phone if profile else "",
        "sms_consent": profile.sms_consent if profile else False,
        "language": account.language,
        "time_zone": profile.time_zone if profile else settings.TIME_ZONE,
    }


@public_account_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # public_account_required
    form = ContactPreferencesForm(request.POST or None, initial=_initial(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_contact_preferences(
                user,
                services.ContactPreferences(
                    phone=data["phone"],
                    sms_consent=data["sms_consent"],
                    language=data["language"],
                    time_zone=data["time_zone"],
                ),
            )
        except InvalidContactPreferences as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            with translation.override(data["language"]):
                messages.success(request, _("We saved your contact preferences."))
            response = HttpResponseRedirect(reverse("portal:account"))
            # The site switches to the account's language too.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                data["language"],
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    profile = PublicProfile.objects.filter(user=user).first()
    return render(request, "portal/account.html", {"form": form, "profile": profile})
