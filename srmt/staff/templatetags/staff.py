"""Template helpers of the staff pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page, Paginator
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit.actions import AuditAction
from srmt.notifications.choices import DeliveryStatus
from srmt.reporting import dashboards

register = template.Library()

USWDS_VERSION = "3.14.0"

AUDIT_ACTIONS: dict[str, Any] = {
    AuditAction.SERVICE_REQUEST_CREATED: _("Request recorded"),
    AuditAction.SERVICE_REQUEST_VIEWED: _("Request viewed"),
    AuditAction.SERVICE_REQUEST_LISTED: _("Shown in a list"),
    AuditAction.SERVICE_REQUEST_RESPONDED: _("Response sent"),
    AuditAction.SERVICE_REQUEST_NOTED: _("Internal note added"),
    AuditAction.SERVICE_REQUEST_TRANSITIONED: _("Status changed"),
    AuditAction.SERVICE_REQUEST_ASSIGNED: _("Assignee changed"),
    AuditAction.SERVICE_REQUEST_UPDATED: _("Request edited"),
    AuditAction.SERVICE_REQUEST_REDIRECTED: _("Redirected to another agency"),
    AuditAction.SERVICE_REQUEST_REPEAT_RECORDED: _("Repeat contact recorded"),
    AuditAction.SERVICE_REQUEST_ADDRESS_CHANGE_APPLIED: _("Change of address applied"),
    AuditAction.SERVICE_REQUEST_ATTACHMENT_ADDED: _("File attached"),
    AuditAction.SERVICE_REQUEST_ATTACHMENT_VIEWED: _("File opened"),
    AuditAction.EXPEDITE_REQUESTED: _("Expedite requested"),
    AuditAction.EXPEDITE_DECIDED: _("Expedite decided"),
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
    """An audit action in words, never its code (an action without words of its own here:
    its enumeration label; an unknown one: "Other action")."""
    label = AUDIT_ACTIONS.get(action)
    if label is None:
        label = AuditAction(action).label if action in AuditAction.values else _("Other action")
    return str(label)


@register.filter
def delivery_status(response: Any) -> str:
    """The delivery status of a response, in words."""
    return str(DeliveryStatus(response.delivery_status).label)


@register.filter
def can(user: Any, capability: str) -> bool:
    """`{% if user|can:"create" %}`: whether the user's role has this capability."""
    return bool(getattr(user, "is_authenticated", False)) and user.can(Capability(capability))


@register.filter
def sees_dashboards(user: Any) -> bool:
    """`{% if user|sees_dashboards %}`: whether the user may open a dashboard (ADR 51)."""
    return bool(getattr(user, "is_authenticated", False)) and dashboards.may_see_dashboards(user)


@register.filter
def page_range(paginator: Paginator[Any], page: Page[Any]) -> Any:
    return paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
