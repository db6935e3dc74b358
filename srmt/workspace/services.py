"""The workspace's one write path: notifications to staff, their email preference, and saved
queue views. The service requests call `request_assigned`, `request_transferred` and
`requests_escalated` inside their own transactions; the review workflow (issue 10) hands a
request back with `request_returned`.

8 U.S.C. 1367: the callers pass only recipients who may see the request today, and this
module refuses, on top, to write a notification about a protected case for anyone who is not
cleared. Its words name the request only to its recipient.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.notifications.choices import MessageKind
from srmt.notifications.internal import notify_staff
from srmt.offices.models import Office
from srmt.workspace.choices import StaffNotificationKind
from srmt.workspace.errors import ViewNameRequired, ViewNameTaken, ViewNotFound
from srmt.workspace.models import (
    VIEW_NAME_LENGTH,
    NotificationPreference,
    SavedQueueView,
    StaffNotification,
)


@dataclass(frozen=True)
class RequestFacts:
    """What the workspace is told about a service request (it does not import them)."""

    reference: str
    url: str
    is_confidential: bool


# --- notifications ------------------------------------------------------------------------


def wants_email(user: User) -> bool:
    return NotificationPreference.objects.filter(user=user, email=True).exists()


def _may_be_told(user: User, sr: RequestFacts) -> bool:
    return user.is_active and (user.is_1367_cleared or not sr.is_confidential)


def previous_assignees(reference: str) -> set[str]:
    """Usernames of everyone the request was ever assigned to (from the audit log)."""
    events = AuditEvent.objects.filter(
        object_type="service_request",
        object_id=reference,
        action=AuditAction.SERVICE_REQUEST_ASSIGNED,
    ).values_list("changes", flat=True)
    names: set[str] = set()
    for changes in events:
        pair = (changes or {}).get("assignee") or [None, None]
        if len(pair) == 2 and pair[1]:
            names.add(str(pair[1]))
    return names


def request_assigned(
    sr: RequestFacts, *, actor: User, assignee: User, previous: User | None
) -> StaffNotification | None:
    """Tell `assignee` a request is theirs now; nothing when they gave it to themselves or
    already had it. Someone it was assigned to before is told it was returned to them.
    Call before the assignment's own audit event (it reads the earlier ones)."""
    if assignee.pk == actor.pk or (previous is not None and previous.pk == assignee.pk):
        return None
    returned = assignee.get_username() in previous_assignees(sr.reference)
    kind = StaffNotificationKind.RETURNED if returned else StaffNotificationKind.ASSIGNED
    return _notify(sr, recipient=assignee, actor=actor, kind=kind)


def request_returned(sr: RequestFacts, *, actor: User, recipient: User) -> StaffNotification | None:
    """Hand a request back to `recipient` (a transfer back, a review sent back): it shows in
    their "Returned to me" list. Nothing when they hand it back to themselves."""
    if recipient.pk == actor.pk:
        return None
    return _notify(sr, recipient=recipient, actor=actor, kind=StaffNotificationKind.RETURNED)


def request_transferred(
    sr: RequestFacts, *, actor: User, may_work: Iterable[User]
) -> list[StaffNotification]:
    """A transfer brought the request back to people who held it before: of `may_work` (staff
    who may work it where it is now), those it was once assigned to are told."""
    held_before = previous_assignees(sr.reference)
    told = []
    for user in may_work:
        if user.get_username() in held_before:
            notification = request_returned(sr, actor=actor, recipient=user)
            if notification is not None:
                told.append(notification)
    return told


def requests_escalated(
    escalated: Sequence[tuple[RequestFacts, int, str]], *, recipients: Iterable[User]
) -> int:
    """In-app notifications of escalations: (request, level, office code) for each of
    `recipients` (the supervisors of that office, who may see it). Supervisors get the
    escalation digest by email already (service_requests.escalations); this adds the list
    in the page. Returns how many were written."""
    rows = [
        StaffNotification(
            recipient=user,
            kind=StaffNotificationKind.ESCALATED,
            reference=sr.reference,
            is_confidential=sr.is_confidential,
            level=level,
            office_code=office_code,
        )
        for user in recipients
        for sr, level, office_code in escalated
        if _may_be_told(user, sr)
    ]
    StaffNotification.objects.bulk_create(rows)
    return len(rows)


def _notify(
    sr: RequestFacts, *, recipient: User, actor: User, kind: StaffNotificationKind
) -> StaffNotification | None:
    if not _may_be_told(recipient, sr):
        return None
    notification = StaffNotification.objects.create(
        recipient=recipient,
        kind=kind,
        reference=sr.reference,
        is_confidential=sr.is_confidential,
        actor=actor,
    )
    if recipient.email and wants_email(recipient):
        _email(notification, sr, recipient=recipient, actor=actor)
    return notification


def _email(
    notification: StaffNotification, sr: RequestFacts, *, recipient: User, actor: User
) -> None:
    language = recipient.language or "en"
    with translation.override(language):
        params = {"reference": sr.reference, "actor": actor.get_full_name() or actor.username}
        if notification.kind == StaffNotificationKind.RETURNED:
            subject = _("Service request %(reference)s was returned to you") % params
            first = _("%(actor)s returned service request %(reference)s to you.") % params
        else:
            subject = _("Service request %(reference)s was assigned to you") % params
            first = _("%(actor)s assigned service request %(reference)s to you.") % params
        body = "\n\n".join(
            [
                first,
                _("Open it in SRMT: %(url)s") % {"url": sr.url},
                _(
                    "You receive this email because you asked for your notifications by "
                    "email. You can turn this off on the notification settings page."
                ),
            ]
        )
    notify_staff(
        kind=MessageKind.ASSIGNMENT_ALERT,
        to_address=recipient.email,
        subject=subject,
        body=body,
        language=language,
        related_reference=sr.reference,
        is_confidential=sr.is_confidential,
    )


@transaction.atomic
def mark_read(user: User, ids: Iterable[int]) -> int:
    """Mark these notifications of `user` read (others' ids are ignored); returns how many."""
    wanted = sorted({int(i) for i in ids})
    unread = StaffNotification.objects.filter(recipient=user, read_at__isnull=True, pk__in=wanted)
    marked = list(unread.values_list("pk", flat=True))
    if not marked:
        return 0
    StaffNotification.objects.filter(pk__in=marked).update(read_at=timezone.now())
    audit.record(
        actor=user,
        action=AuditAction.STAFF_NOTIFICATIONS_READ,
        object_type="user",
        object_id=user.get_username(),
        changes={"notifications": marked},
    )
    return len(marked)


@transaction.atomic
def mark_all_read(user: User, *, visible: Iterable[int] | None = None) -> int:
    """Mark every unread notification of `user` read (of `visible`, when given)."""
    unread = StaffNotification.objects.filter(recipient=user, read_at__isnull=True)
    if visible is not None:
        unread = unread.filter(pk__in=list(visible))
    return mark_read(user, unread.values_list("pk", flat=True))


@transaction.atomic
def set_email_preference(user: User, *, email: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user
    )
    if preference.email != email:
        preference.email = email
        preference.updated_at = timezone.now()
        preference.save(update_fields=["email", "updated_at"])
        audit.record(
            actor=user,
            action=AuditAction.STAFF_NOTIFICATION_PREFERENCE_CHANGED,
            object_type="user",
            object_id=user.get_username(),
            changes={"email": [not email, email]},
        )
    return preference


# --- saved queue views --------------------------------------------------------------------


def _clean_name(owner: User, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ViewNameRequired(_("Give the view a name."), field="name")
    if len(name) > VIEW_NAME_LENGTH:
        raise ViewNameRequired(
            _("Use at most %(max)d characters for the name.") % {"max": VIEW_NAME_LENGTH},
            field="name",
        )
    taken = SavedQueueView.objects.filter(owner=owner, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ViewNameTaken(
            _("You already have a view named “%(name)s”. Choose another name.") % {"name": name},
            field="name",
        )
    return name


def own_view(owner: User, view_id: int) -> SavedQueueView:
    """`owner`'s saved view; another user's is answered as one that does not exist."""
    view = SavedQueueView.objects.select_related("office").filter(pk=view_id, owner=owner).first()
    if view is None:
        raise ViewNotFound(_("There is no such saved view."))
    return view


@transaction.atomic
def save_view(owner: User, *, office: Office, name: str, query: dict[str, Any]) -> SavedQueueView:
    view = SavedQueueView.objects.create(
        owner=owner, office=office, name=_clean_name(owner, name), query=query
    )
    audit.record(
        actor=owner,
        action=AuditAction.QUEUE_VIEW_SAVED,
        object_type="queue_view",
        object_id=str(view.pk),
        changes={"name": view.name, "office": office.code, "query": query},
    )
    return view


@transaction.atomic
def rename_view(owner: User, view_id: int, *, name: str) -> SavedQueueView:
    view = own_view(owner, view_id)
    new_name = _clean_name(owner, name, exclude=view.pk)
    if new_name != view.name:
        old = view.name
        view.name = new_name
        view.updated_at = timezone.now()
        view.save(update_fields=["name", "updated_at"])
        audit.record(
            actor=owner,
            action=AuditAction.QUEUE_VIEW_RENAMED,
            object_type="queue_view",
            object_id=str(view.pk),
            changes={"name": [old, new_name]},
        )
    return view


@transaction.atomic
def delete_view(owner: User, view_id: int) -> None:
    view = own_view(owner, view_id)
    audit.record(
        actor=owner,
        action=AuditAction.QUEUE_VIEW_DELETED,
        object_type="queue_view",
        object_id=str(view.pk),
        changes={"name": view.name, "office": view.office.code},
    )
    view.delete()
