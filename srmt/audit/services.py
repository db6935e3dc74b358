"""audit.record(): the one way to write to the audit log, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from srmt.audit import actions
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.core.requestid import current_api_token_id, current_request_id


class SystemActorLike(Protocol):
    """The system acting (accounts.actors.SystemActor): audited by name, with no user."""

    @property
    def audit_name(self) -> str: ...

    @property
    def is_authenticated(self) -> bool: ...


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | SystemActorLike | None,
    action: AuditAction,
    object_type: str,
    object_id: str,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `changes` holds ids and field values, never copies of documents.

    `action` is a member of AuditAction (srmt.audit.actions); a plain string is refused.

    The request id and the acting API token (if the request was authenticated by one) come
    from the request's context. The system (accounts.actors.SYSTEM) is recorded by its name,
    with no user; None records no actor at all.
    """
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit.record takes an AuditAction, not {action!r}")
    user = None
    if actor is not None and actor.is_authenticated:
        user_model = get_user_model()
        if not isinstance(actor, user_model):
            raise TypeError(f"An audit event's actor is a {user_model.__name__}, not {actor!r}.")
        user = actor
    return AuditEvent.objects.create(
        actor=user,
        actor_username=user.get_username() if user else getattr(actor, "audit_name", ""),
        action=action.value,
        object_type=object_type,
        object_id=str(object_id),
        changes=changes or {},
        request_id=current_request_id.get(),
        api_token_id=current_api_token_id.get(),
    )


def record_views(
    *,
    actor: AbstractBaseUser | AnonymousUser,
    object_type: str,
    object_ids: Iterable[str],
    confidential_ids: Iterable[str] = (),
) -> None:
    """Record that `actor` was shown a list of case-specific objects (one row per list).

    Objects about cases protected by 8 U.S.C. 1367 (`confidential_ids`, a subset) get a row
    each instead, naming only that object: the list's row then names none of them, so the
    audit log can be shown to staff without clearance with those rows left out whole.
    """
    confidential = set(confidential_ids)
    ids = [i for i in object_ids if i not in confidential]
    if ids:
        record(
            actor=actor,
            action=actions.listed(object_type),
            object_type=object_type,
            object_id="*",
            changes={"ids": ids},
        )
    for object_id in sorted(confidential):
        record(
            actor=actor,
            action=actions.listed(object_type),
            object_type=object_type,
            object_id=object_id,
        )
