"""Dates and times on staff pages: one format throughout, in an office's time zone, labelled.

`{{ value|office_time:office }}` reads "3 Dec 2026, 10:42 EST" ("3 dic 2026, 10:42 EST" in
Spanish), in the time zone of `office` (the request's office on request pages). Pages
without an office use the user's own office: `{% user_time value %}`. `{% countdown due_at
now %}` says how long is left or how late it is ("due in 2 days 4 h", "overdue by 3 h").
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from srmt.offices.models import Office

register = template.Library()

# Day, short month, year, 24-hour time and the zone's abbreviation (EST, CDT, HST...).
DATETIME = "j M Y, H:i T"
DATE = "j M Y"


def zone_of(office: Office | None) -> zoneinfo.ZoneInfo:
    """The office's time zone; the service's (settings.TIME_ZONE) without an office."""
    name = office.time_zone if isinstance(office, Office) and office.time_zone else ""
    name = name or settings.TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def in_zone(value: dt.datetime, office: Office | None) -> str:
    return str(date_format(timezone.localtime(value, zone_of(office)), DATETIME))


@register.filter
def office_time(value: dt.datetime | None, office: Office | None = None) -> str:
    """`value` in `office`'s time zone with its label; "" for no value."""
    if value is None or value == "":
        return ""
    return in_zone(value, office)


@register.filter
def office_date(value: dt.date | dt.datetime | None, office: Office | None = None) -> str:
    """A day in the one date format ("3 Dec 2026"); a moment is read in `office`'s zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, zone_of(office))
    return str(date_format(value, DATE))


def users_office(user: Any) -> Office | None:
    """The first of the user's offices (by code), cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = user.__dict__.get("_srmt_time_office", False)
    if cached is False:
        cached = user.offices.order_by("code").first()
        user.__dict__["_srmt_time_office"] = cached
    return cached  # type: ignore[no-any-return]


@register.simple_tag(takes_context=True)
def user_time(context: template.Context, value: dt.datetime | None) -> str:
    """`value` in the time zone of the signed-in user's office (pages without an office)."""
    if value is None:
        return ""
    return in_zone(value, users_office(context.get("user")))


@register.simple_tag(takes_context=True)
def context_time(context: template.Context, value: dt.datetime | None) -> str:
    """`value` in the zone of the context's `office`, else of its request `sr`'s office, else
    of the signed-in user's office (components/deadline.html, included with either)."""
    if value is None:
        return ""
    office = context.get("office")
    if not isinstance(office, Office):
        sr = context.get("sr")
        office = getattr(sr, "office", None) or users_office(context.get("user"))
    return in_zone(value, office)


def duration(seconds: int) -> str:
    """A length of time in words: "2 days 4 h", "3 h 20 min", "45 min"."""
    minutes = seconds // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        text = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        return f"{text} {_('%(hours)d h') % {'hours': hours}}" if hours else text
    if hours:
        text = _("%(hours)d h") % {"hours": hours}
        return f"{text} {_('%(minutes)d min') % {'minutes': minutes}}" if minutes else text
    if minutes:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("less than a minute")


@register.simple_tag
def countdown(due_at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long until `due_at` from `now` (default: this moment), or how late it is."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    seconds = int((due_at - now).total_seconds())
    if seconds >= 0:
        return _("due in %(duration)s") % {"duration": duration(seconds)}
    return _("overdue by %(duration)s") % {"duration": duration(-seconds)}


@register.filter
def seconds_as_duration(seconds: int | None) -> str:
    """A number of seconds in words (duration), or a dash for none."""
    if seconds is None:
        return "—"
    return duration(int(seconds))
