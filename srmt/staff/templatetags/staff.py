"""Template helpers of the staff pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page, Paginator
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.notifications.choices import DeliveryStatus

register = template.Library()

USWDS_VERSION = "3.14.0"

AUDIT_ACTIONS = {
    "service_request.created": _("Request recorded"),
    "service_request.viewed": _("Request viewed"),
    "service_request.listed": _("Shown in a list"),
    "service_request.responded": _("Response sent"),
    "service_request.noted": _("Internal note added"),
    "service_request.transitioned": _("Status changed"),
    "service_request.assigned": _("Assignee changed"),
    "service_request.updated": _("Request edited"),
}


@register.simple_tag
def uswds(path: str) -> str:
    """URL of a file of the vendored USWDS release."""
    return static(f"vendor/uswds/{USWDS_VERSION}/{path}")


@register.filter
def person(user: User | None) -> str:
    """A member of staff as shown on pages: full name, else username; None is the system."""
    if user is None:
        return str(_("System"))
    return user.get_full_name() or user.get_username()


@register.filter
def audit_action(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))


@register.filter
def delivery_status(response: Any) -> str:
    """The delivery status of a response, in words."""
    return str(DeliveryStatus(response.delivery_status).label)


@register.filter
def can(user: Any, capability: str) -> bool:
    """`{% if user|can:"create" %}`: whether the user's role has this capability."""
    return bool(getattr(user, "is_authenticated", False)) and user.can(Capability(capability))


@register.filter
def page_range(paginator: Paginator[Any], page: Page[Any]) -> Any:
    return paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
