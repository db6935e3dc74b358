"""The collision warning of the request page: an action is applied only to the request as the
user saw it.

Every action form of the page carries the request's version when the page was drawn
(`seen_version`, the number in its ETag) and that moment (`seen_at`). The action's view runs
the service through `guarded()`: in the view's transaction, the request's row is locked and
its version compared first, so a request someone else changed in the meantime is refused
(StaleVersion, nothing written) and the page shows who changed what since (`changes_since`)
with the request as it is now. The re-shown form carries the new version: sending it again
applies it, knowingly. A form without a version (an API-like client, an old page) is not
checked, as a write without If-Match in the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.offices.models import Office
from srmt.service_requests.errors import StaleVersion
from srmt.service_requests.models import ServiceRequest
from srmt.staff.history import name_of
from srmt.staff.templatetags.times import in_zone

T = TypeVar("T")

VERSION_FIELD = "seen_version"
SEEN_AT_FIELD = "seen_at"

# What someone did, as "<who> <did what> at <when>"; other actions are not changes.
CHANGES = {
    AuditAction.SERVICE_REQUEST_RESPONDED: gettext_lazy("%(who)s sent a response at %(when)s"),
    AuditAction.SERVICE_REQUEST_NOTED: gettext_lazy("%(who)s added an internal note at %(when)s"),
    AuditAction.SERVICE_REQUEST_TRANSITIONED: gettext_lazy(
        "%(who)s changed the status at %(when)s"
    ),
    AuditAction.SERVICE_REQUEST_ASSIGNED: gettext_lazy("%(who)s changed the assignee at %(when)s"),
    AuditAction.SERVICE_REQUEST_UPDATED: gettext_lazy("%(who)s edited the request at %(when)s"),
    AuditAction.SERVICE_REQUEST_REDIRECTED: gettext_lazy(
        "%(who)s redirected the request at %(when)s"
    ),
    AuditAction.SERVICE_REQUEST_ATTACHMENT_ADDED: gettext_lazy(
        "%(who)s attached a file at %(when)s"
    ),
    AuditAction.SERVICE_REQUEST_REPEAT_RECORDED: gettext_lazy(
        "%(who)s recorded a repeat contact at %(when)s"
    ),
    AuditAction.SERVICE_REQUEST_ADDRESS_CHANGE_APPLIED: gettext_lazy(
        "%(who)s applied a change of address at %(when)s"
    ),
    AuditAction.EXPEDITE_DECIDED: gettext_lazy("%(who)s decided the expedite at %(when)s"),
}


@dataclass(frozen=True)
class Seen:
    """What the user saw: the request's version and when the page was drawn."""

    version: int | None
    at: dt.datetime | None


def seen(data: QueryDict) -> Seen:
    """The version and moment a form (or the page's poll) was drawn with (None when absent or
    not valid)."""
    raw = str(data.get(VERSION_FIELD, "")).strip()
    version = int(raw) if raw.isdigit() and len(raw) <= 9 else None
    try:
        at = parse_datetime(str(data.get(SEEN_AT_FIELD, "")).strip())
    except ValueError:
        at = None
    return Seen(version=version, at=at if at is not None and at.tzinfo is not None else None)


class Guard:
    """Runs one service only if the request is still at the version the user saw."""

    def __init__(self, sr: ServiceRequest, seen: Seen) -> None:
        self.sr = sr
        self.seen = seen
        self.collided = False

    def __call__(self, service: Callable[..., T]) -> Callable[..., T]:
        def run(*args: Any, **kwargs: Any) -> T:
            with transaction.atomic():
                if self.seen.version is not None:
                    current = (
                        ServiceRequest.objects.select_for_update(of=("self",))
                        .filter(pk=self.sr.pk)
                        .values_list("version", flat=True)
                        .get()
                    )
                    if current != self.seen.version:
                        self.collided = True
                        raise StaleVersion(
                            _(
                                "Someone changed this request since you opened it, so this "
                                "was not applied. Read what changed, then send it again to "
                                "apply it."
                            )
                        )
                return service(*args, **kwargs)

        return run


def guarded(sr: ServiceRequest, request: HttpRequest) -> Guard:
    return Guard(sr, seen(request.POST))


def changes_since(sr: ServiceRequest, at: dt.datetime | None, *, office: Office) -> list[str]:
    """What was done to `sr` after `at`, one sentence each, oldest first (times in `office`'s
    zone). Without `at`, the last five changes."""
    events = AuditEvent.objects.for_object("service_request", sr.reference).filter(
        action__in=[action.value for action in CHANGES]
    )
    if at is not None:
        rows = list(events.filter(occurred_at__gt=at).select_related("actor").order_by("id"))
    else:
        rows = list(events.select_related("actor").order_by("-id")[:5])[::-1]
    return [
        str(CHANGES[AuditAction(event.action)])
        % {
            "who": name_of(event.actor) if event.actor else event.actor_username or _("System"),
            "when": in_zone(event.occurred_at, office),
        }
        for event in rows
    ]
