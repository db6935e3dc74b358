"""The customer-delivery gate (ADR 26): every message that can reach a customer is created
here, and only here.

`send_to_customer` records the message (who acted: a member of staff, or the system when
the actor is None; what kind of message; to whom; through which channel and transport; in
which language; about which request; whether it concerns an 8 U.S.C. 1367 case), asks the
release policy whether it may leave now, and only then puts it in the outbox (ADR 17). A
message the policy holds is written `held`: nothing delivers it, the sweep does not wake
it, until `release` puts it in the outbox, once, with an audit event.

The release policy is a setting (SRMT_RELEASE_POLICY, a dotted path): `ReleaseNow`, the
default, lets everything leave at once; `HoldAll` holds every customer message until it is
released (`srmt release_held`). A sender may also demand a hold (`hold_reason`: a response
held for mandatory supervisory review, ADR 35): such a message is released only by that
sender (`release(..., demanded=True)`, which asks the policy then), never by
`srmt release_held`, and its body may be replaced while it waits (`replace_held_body`).
Messages to staff (digests, alerts) do not pass the gate: notifications.internal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.notifications import services as outbox
from srmt.notifications import transports
from srmt.notifications.choices import CUSTOMER_KINDS, Audience, DeliveryStatus
from srmt.notifications.models import Notification

if TYPE_CHECKING:
    from srmt.accounts.models import User


class NotACustomerMessage(ValueError):
    """The gate carries customer messages only (staff messages: notifications.internal)."""


@dataclass(frozen=True)
class OutgoingMessage:
    """What the release policy decides on: the message as the gate is about to record it."""

    kind: str
    actor: User | None
    channel: str
    transport: str
    to_address: str
    language: str
    related_reference: str
    is_confidential: bool


@dataclass(frozen=True)
class Decision:
    """Whether a message may leave now; when not, why it is held (recorded on the row)."""

    release_now: bool
    hold_reason: str = ""


class ReleasePolicy(Protocol):
    def decide(self, message: OutgoingMessage) -> Decision: ...


class ReleaseNow:
    """Every customer message leaves as soon as its transaction commits (today's rule)."""

    def decide(self, message: OutgoingMessage) -> Decision:
        return Decision(release_now=True)


class HoldAll:
    """Every customer message waits for `release` (an operator stopping all outgoing mail)."""

    def decide(self, message: OutgoingMessage) -> Decision:
        return Decision(release_now=False, hold_reason="Held: every customer message waits.")


def release_policy() -> ReleasePolicy:
    """The configured policy (SRMT_RELEASE_POLICY), read at each message."""
    policy_class = import_string(settings.SRMT_RELEASE_POLICY)
    policy: ReleasePolicy = policy_class()
    return policy


def send_to_customer(
    *,
    actor: User | None,
    kind: str,
    channel: str,
    to_address: str,
    subject: str,
    body: str,
    language: str,
    related_reference: str,
    is_confidential: bool = False,
    transport: str | None = None,
    hold_reason: str | None = None,
    redact: Sequence[str] = (),
) -> Notification:
    """Record a message to a customer and let it leave if the release policy says so.

    The transport is the one registered for `channel` (notifications.transports), or none:
    a member of staff delivers it and records it (phone calls, letters today). Naming a
    `transport` picks it explicitly; a name nobody registered, or one that does not deliver
    `channel`, is refused (transports.UnknownTransport) and nothing is written. Runs in the
    caller's transaction: the message is delivered only after it commits.

    `hold_reason` demands a hold whatever the policy says (the policy is asked again when
    the sender releases it).

    `redact` names secrets in the body (an online access code): once a transport has sent
    the message, the kept body has each of them masked (`services.mask`), so the outbox
    does not go on holding them (ADR 43, Revised). A message a member of staff delivers by
    hand keeps its body: it is what they send."""
    if kind not in CUSTOMER_KINDS:
        raise NotACustomerMessage(f"{kind!r} is not a kind of message to a customer.")
    if transport is None:
        adapter = transports.for_channel(channel)
    else:
        adapter = transports.get(transport)
        if adapter.channel != channel:
            raise transports.UnknownTransport(
                f"Transport {transport!r} delivers {adapter.channel!r}, not {channel!r}."
            )
    delivered_by = adapter.name if adapter is not None and to_address else ""
    if hold_reason is not None:
        decision = Decision(release_now=False, hold_reason=hold_reason)
    else:
        decision = release_policy().decide(
            OutgoingMessage(
                kind=kind,
                actor=actor,
                channel=channel,
                transport=delivered_by,
                to_address=to_address,
                language=language,
                related_reference=related_reference,
                is_confidential=is_confidential,
            )
        )
    notification = outbox.write_message(
        audience=Audience.CUSTOMER,
        kind=kind,
        actor=actor,
        channel=channel,
        to_address=to_address,
        subject=subject,
        body=body,
        language=language,
        related_reference=related_reference,
        is_confidential=is_confidential,
        transport=adapter,
        hold_reason=None if decision.release_now else decision.hold_reason or "Held.",
        hold_demanded=hold_reason is not None,
        secrets=list(redact),
    )
    if notification.status == DeliveryStatus.HELD:
        audit.record(
            actor=actor,
            action=AuditAction.NOTIFICATION_HELD,
            object_type="notification",
            object_id=str(notification.pk),
            changes={
                "kind": kind,
                "related_reference": related_reference,
                "reason": notification.hold_reason,
                "demanded": notification.hold_demanded,
            },
        )
    return notification


@transaction.atomic
def release(
    notification_ids: Iterable[int], *, actor: User | None, demanded: bool = False
) -> list[int]:
    """Put held customer messages in the outbox, each exactly once, with an audit event each
    (`notification.released`, by `actor`, None for the system). Messages not held (already
    released, or never held) are left alone, and so are those held the other way: by
    default the ones the release policy held; with `demanded` the ones their sender demanded
    be held (the sender's own release). A demanded hold is first put to the release policy:
    when the policy holds such messages (HoldAll), the message stays held, now by the policy
    (`notification.held` again), for `srmt release_held`. Returns the ids this call
    released; their delivery is enqueued after commit."""
    at = timezone.now()
    released = []
    for notification_id in sorted(set(notification_ids)):
        if demanded and _policy_holds(notification_id, actor=actor):
            continue
        if not outbox.release_held(notification_id, at=at, demanded=demanded):
            continue
        released.append(notification_id)
        audit.record(
            actor=actor,
            action=AuditAction.NOTIFICATION_RELEASED,
            object_type="notification",
            object_id=str(notification_id),
            changes={"status": [DeliveryStatus.HELD.value, _status_of(notification_id)]},
        )
    return released


@transaction.atomic
def replace_held_body(notification_id: int, *, body: str, actor: User | None) -> bool:
    """Replace the body of a message still held (a reviewer's edit, an author's revision),
    audited (`notification.body_replaced`); returns whether it was held (a message that
    left is never changed)."""
    if not outbox.replace_held_body(notification_id, body=body):
        return False
    audit.record(
        actor=actor,
        action=AuditAction.NOTIFICATION_BODY_REPLACED,
        object_type="notification",
        object_id=str(notification_id),
        changes={"length": len(body)},
    )
    return True


def _policy_holds(notification_id: int, *, actor: User | None) -> bool:
    """Put a message whose demanded hold ends to the release policy; when the policy holds
    it, it stays held by the policy (no longer demanded). Returns whether it stays held."""
    row = Notification.objects.filter(
        pk=notification_id, status=DeliveryStatus.HELD, hold_demanded=True
    ).first()
    if row is None:
        return False
    decision = release_policy().decide(
        OutgoingMessage(
            kind=row.kind,
            actor=row.actor,
            channel=row.channel,
            transport=row.transport,
            to_address=row.to_address,
            language=row.language,
            related_reference=row.related_reference,
            is_confidential=row.is_confidential,
        )
    )
    if decision.release_now:
        return False
    reason = (decision.hold_reason or "Held.")[:200]
    Notification.objects.filter(pk=row.pk, status=DeliveryStatus.HELD).update(
        hold_demanded=False, hold_reason=reason
    )
    audit.record(
        actor=actor,
        action=AuditAction.NOTIFICATION_HELD,
        object_type="notification",
        object_id=str(row.pk),
        changes={"kind": row.kind, "related_reference": row.related_reference, "reason": reason},
    )
    return True


def held_ids() -> list[int]:
    """Every customer message the release policy held, oldest first (not those held at
    their sender's demand: `srmt release_held` never releases a response in review)."""
    return list(
        Notification.objects.filter(status=DeliveryStatus.HELD, hold_demanded=False)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def _status_of(notification_id: int) -> str:
    return str(Notification.objects.values_list("status", flat=True).get(pk=notification_id))
