"""Sign-in, failed sign-in, sign-out and lockout, recorded in the audit log.

Framework plumbing, not domain behaviour (house style 8): Django's auth signals and
django-axes's `user_locked_out` are the only hooks that see every sign-in path (the staff
sign-in page, the admin's, and any other caller of django.contrib.auth.authenticate/login).
They only record; they change nothing.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from srmt.accounts import services
from srmt.accounts.lockout import username_of
from srmt.core.clientip import client_ip

_RECORDED = "_srmt_sign_in_failure_recorded"


def _address(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in, dispatch_uid="srmt.accounts.signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    services.record_sign_in(user, ip_address=_address(request))


@receiver(user_logged_out, dispatch_uid="srmt.accounts.signed_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:  # signing out without a session: nobody to record
        services.record_sign_out(user, ip_address=_address(request))


@receiver(user_login_failed, dispatch_uid="srmt.accounts.sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # `credentials` comes with the password already masked; only the username is read.
    _record_failure_once(request, username_of(request, credentials))


@receiver(user_locked_out, dispatch_uid="srmt.accounts.locked_out")
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    # django-axes sends this from its own user_login_failed receiver, which may run before
    # ours: record the failure that caused the lockout first, whatever the order.
    _record_failure_once(request, username or "")
    services.record_lockout(username or "", ip_address=_address(request))


def _record_failure_once(request: HttpRequest | None, username: str) -> None:
    if request is not None and getattr(request, _RECORDED, False):
        return
    services.record_sign_in_failure(username, ip_address=_address(request))
    if request is not None:
        setattr(request, _RECORDED, True)
