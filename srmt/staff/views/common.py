"""Helpers every staff view uses: refusals as 403 pages, service errors as form errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.core.errors import DomainError
from srmt.service_requests import policies
from srmt.staff import submissions
from srmt.staff.forms import UswdsForm

T = TypeVar("T")


def staff_user(request: HttpRequest) -> User:
    """The signed-in member of staff (views are behind login_required)."""
    return cast(User, request.user)


def refuse(message: str = "") -> PermissionDenied:
    return PermissionDenied(message or _("Your role does not allow you to do that."))


def call_service(form: UswdsForm, service: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run one service; a refusal becomes a form error (None), a denied action a 403.

    In a view decorated with `submissions.one_time_submission`, a submission without a
    valid one-time token is refused on the form, and a successful call keeps the token
    claimed (ADR 18)."""
    try:
        with submissions.service_call():
            return service(*args, **kwargs)
    except policies.PermissionDenied as exc:
        raise refuse(exc.message) from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return None
