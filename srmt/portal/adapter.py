"""django-allauth's account adapter for customers and representatives (ADR 42).

- Every email allauth sends (address verification, password reset, ...) leaves through
  the customer-delivery gate (ADR 26), in the account's language, as an `account_email`.
- Accounts it creates are customers or representatives, never staff (the sign-up form
  says which); staff accounts get no mail from the public site.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.notifications.choices import DeliveryChannel, MessageKind
from srmt.notifications.delivery import send_to_customer
from srmt.portal.access import PUBLIC_KINDS


def _account_for(email: str, context: dict[str, Any]) -> User | None:
    user = context.get("user")
    if isinstance(user, User):
        return user
    return User.objects.filter(email__iexact=email).order_by("pk").first()


class PublicAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        account = _account_for(email, context)
        if account is not None and account.kind not in PUBLIC_KINDS:
            return  # a staff address: the public site sends staff nothing
        language = account.language if account is not None else translation.get_language()
        language = language if language in ("en", "es") else "en"
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        with translation.override(language):
            subject = render_to_string(f"{template_prefix}_subject.txt", ctx, request)
            subject = self.format_email_subject(" ".join(subject.split()))
            body = render_to_string(f"{template_prefix}_message.txt", ctx, request)
        send_to_customer(
            actor=None,
            kind=MessageKind.ACCOUNT_EMAIL,
            channel=DeliveryChannel.EMAIL,
            to_address=email,
            subject=subject,
            body=body,
            language=language,
            related_reference="",
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # LOGIN_REDIRECT_URL is the staff home; public accounts land on their account page.
        return reverse("portal:account")

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        data = getattr(form, "cleaned_data", {})
        user.kind = (
            AccountKind.REPRESENTATIVE
            if data.get("kind") == AccountKind.REPRESENTATIVE
            else AccountKind.CUSTOMER
        )
        user.role = ""
        user.is_staff = user.is_superuser = False
        user.language = data.get("language") or translation.get_language() or "en"
        return super().save_user(request, user, form, commit=commit)
