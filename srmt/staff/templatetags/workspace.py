"""The header's notification indicator (docs/adr/0031)."""

from __future__ import annotations

from typing import Any

from django import template

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.staff import home

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int | None:
    """Unread notifications of `user` about requests they may see; None for whoever has no
    notifications (signed out, or a role that sees no requests)."""
    if not isinstance(user, User) or not user.can(Capability.VIEW):
        return None
    return home.unread_count(user)


@register.filter
def get_sort(links: dict[str, Any], key: str) -> Any:
    """The sort link of column `key` (views.queues._sort_links)."""
    return links.get(key, {})
