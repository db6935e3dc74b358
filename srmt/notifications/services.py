"""The outbox: write message rows, deliver them after commit, wake the ones no task sent.

The row is the truth, the task only a wake-up (ADR 17): `write_message` writes a row due at
once and enqueues its delivery after commit; `deliver` claims the row with a conditional
UPDATE, so any number of wake-ups send it at most once, and sends it through the row's
registered transport (notifications.transports, ADR 26); a failure makes it due again after
the transport's back-off; `wake_due` (the sweep) enqueues a delivery for every due row that
no task delivered: lost when a worker died between commit and enqueue, or by the broker.

Nothing outside the notifications app writes rows: messages to customers go through the
gate (notifications.delivery.send_to_customer), which may hold them (`held`: written, not
in the outbox) and later `release_held` them; messages to staff through
notifications.internal.notify_staff.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks.base import Task

from srmt.accounts.actors import SYSTEM
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.notifications import transports
from srmt.notifications.choices import WAITING_STATUSES, DeliveryStatus
from srmt.notifications.models import Notification

if TYPE_CHECKING:
    from srmt.accounts.models import User

logger = logging.getLogger(__name__)
# The email transport's retry policy (transports.EmailTransport), which the outbox was built
# with (ADR 17); each transport carries its own.
MAX_ATTEMPTS = transports.EmailTransport.max_attempts
RETRY_DELAYS = transports.EmailTransport.retry_delays


class _DeliveryTask:
    """The task that delivers one notification (notifications.tasks.deliver_notification).

    tasks builds on this module (the task calls `deliver`), so this module does not import
    tasks: the app's ready() hands the task over (set_delivery_task), and no import cycle
    is needed to enqueue it (docs/adr/0025-services-package-and-no-import-cycles.md)."""

    task: Task[[int], str] | None = None


def set_delivery_task(task: Task[[int], str]) -> None:
    _DeliveryTask.task = task


def delivery_task() -> Task[[int], str]:
    if _DeliveryTask.task is None:
        raise ImproperlyConfigured("The notifications app is not ready: no delivery task.")
    return _DeliveryTask.task


def write_message(
    *,
    audience: str,
    kind: str,
    actor: User | None,
    channel: str,
    to_address: str,
    subject: str,
    body: str,
    language: str,
    related_reference: str,
    is_confidential: bool,
    transport: transports.Transport | None,
    hold_reason: str | None = None,
    hold_demanded: bool = False,
    secrets: list[str] | None = None,
) -> Notification:
    """Write one message row. Held (`hold_reason` given): recorded, not in the outbox. Else
    with a transport and an address: queued, delivered after commit. Else: a member of staff
    delivers it and records it (`recorded`, sent now). `secrets` in the body are masked once
    a transport has sent it (`mask_secrets`).

    Only notifications.delivery (customers) and notifications.internal (staff) call this."""
    now = timezone.now()
    automated = transport is not None and bool(to_address)
    if hold_reason is not None:
        status, sent_at = DeliveryStatus.HELD, None
    elif automated:
        status, sent_at = DeliveryStatus.QUEUED, None
    else:
        status, sent_at = DeliveryStatus.RECORDED, now
    notification = Notification.objects.create(
        audience=audience,
        kind=kind,
        actor=actor,
        channel=channel,
        to_address=to_address,
        subject=subject,
        body=body,
        # Only a transport's delivery masks them: what staff deliver by hand is kept.
        secrets=[secret for secret in secrets or [] if secret in body] if automated else [],
        language=language,
        related_reference=related_reference,
        is_confidential=is_confidential,
        transport=transport.name if automated and transport is not None else "",
        max_attempts=transport.max_attempts if transport is not None else MAX_ATTEMPTS,
        status=status,
        sent_at=sent_at,
        next_attempt_at=now,
        hold_reason=(hold_reason or "")[:200],
        hold_demanded=hold_reason is not None and hold_demanded,
    )
    if status == DeliveryStatus.QUEUED:
        transaction.on_commit(lambda: _deliver_later([notification.pk]))
    return notification


def replace_held_body(notification_id: int, *, body: str) -> bool:
    """Replace the body of a message still held (a reviewer's edit, an author's revision
    before release); returns whether it was held. Audited by the caller."""
    changed = Notification.objects.filter(pk=notification_id, status=DeliveryStatus.HELD).update(
        body=body, updated_at=timezone.now()
    )
    return changed == 1


def release_held(notification_id: int, *, at: dt.datetime, demanded: bool = False) -> bool:
    """Put one held message in the outbox: queued (delivered after commit) when it has a
    transport, else recorded for the member of staff who delivers it. One conditional UPDATE
    from `held`, so a message is released at most once however many try; returns whether
    this call released it. Only the rows held the way `demanded` says: a message its sender
    demanded be held is released by that sender only. Audited by the caller
    (notifications.delivery.release)."""
    row = (
        Notification.objects.filter(
            pk=notification_id, status=DeliveryStatus.HELD, hold_demanded=demanded
        )
        .values_list("transport", flat=True)
        .first()
    )
    if row is None:
        return False
    if row:
        changed = Notification.objects.filter(
            pk=notification_id, status=DeliveryStatus.HELD
        ).update(status=DeliveryStatus.QUEUED, next_attempt_at=at, released_at=at)
    else:
        changed = Notification.objects.filter(
            pk=notification_id, status=DeliveryStatus.HELD
        ).update(status=DeliveryStatus.RECORDED, sent_at=at, released_at=at)
    if changed != 1:
        return False
    if row:
        transaction.on_commit(lambda: _deliver_later([notification_id]))
    return True


def deliver(notification_id: int) -> str:
    """Send one queued notification through its transport. Idempotent: a sent, claimed or
    held one is left alone. Returns "sent", "failed" or "skipped"."""
    claimed = Notification.objects.filter(
        pk=notification_id,
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED],
        attempts__lt=F("max_attempts"),
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
    if claimed != 1:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        transport = transports.get(notification.transport)
    except transports.UnknownTransport as exc:
        logger.error("Notification %s cannot be delivered: %s", notification_id, exc)
        _failed(notification, str(exc), delay=dt.timedelta(0), for_good=True)
        return "failed"
    try:
        transport.deliver(notification)
    except transport.errors as exc:
        outcome = transport.outcome_for(exc)
        logger.warning("Notification %s failed (%s): %s", notification_id, outcome.value, exc)
        _failed(
            notification,
            str(exc),
            delay=transport.retry_delay(notification.attempts),
            for_good=outcome is transports.Outcome.REJECTED,
        )
        return "failed"
    sent: dict[str, object] = {"status": DeliveryStatus.SENT, "sent_at": timezone.now()}
    if notification.secrets:
        # The secrets it carried have left: keep only the masked body (ADR 43, Revised).
        sent |= {"body": mask_secrets(notification.body, notification.secrets), "secrets": []}
    Notification.objects.filter(pk=notification_id).update(**sent, last_error="")
    return "sent"


def mask(secret: str) -> str:
    """A secret as it is kept after delivery: every letter and digit an X, the rest as it was
    (an access code keeps its XXXX-XXXX-XXXX shape, so the letter still reads as one)."""
    return re.sub(r"[0-9A-Za-z]", "X", secret)


def mask_secrets(body: str, secrets: list[str]) -> str:
    """`body` with every one of `secrets` masked."""
    for secret in secrets:
        if secret:
            body = body.replace(secret, mask(secret))
    return body


def _failed(notification: Notification, error: str, *, delay: dt.timedelta, for_good: bool) -> None:
    """Mark a claimed row failed: due again after `delay`, or never again (`for_good`: its
    attempts are what it has had, so it is no longer waiting)."""
    fields: dict[str, object] = {
        "status": DeliveryStatus.FAILED,
        "last_error": error[:500],
        "next_attempt_at": timezone.now() + delay,
    }
    if for_good:
        fields["max_attempts"] = F("attempts")
    Notification.objects.filter(pk=notification.pk).update(**fields)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long an email waits after its `attempts`-th failed attempt."""
    return transports.EmailTransport().retry_delay(attempts)


def schedule_retry(notification_id: int) -> dt.datetime | None:
    """Enqueue another attempt of a failed notification when it is next due; returns when.

    Only backends that can defer a task retry by themselves (database, RQ), promptly; on
    every backend the sweep wakes it once it is due (`wake_due`) if no task delivered it.
    """
    deliver_notification = delivery_task()
    row = (
        Notification.objects.filter(pk=notification_id, status=DeliveryStatus.FAILED)
        .values_list("attempts", "max_attempts", "next_attempt_at")
        .first()
    )
    if row is None or row[0] >= row[1]:
        return None
    if not deliver_notification.get_backend().supports_defer:
        return None
    run_after = row[2]
    deliver_notification.using(run_after=run_after).enqueue(notification_id)
    return run_after


@transaction.atomic
def requeue_stalled(*, at: dt.datetime, older_than: dt.timedelta | None = None) -> int:
    """Take back notifications still sending since before `at - older_than`: their worker
    died after the claim. Each is queued again, due at `at`, and delivered after commit (or
    by a later sweep's `wake_due` if that task is lost too), or marked failed once its
    attempts are used up (the attempt that stalled counts). Returns how many.

    `older_than` defaults to SRMT_NOTIFICATION_STALL_SECONDS. One conditional UPDATE: when
    two run at once, on PostgreSQL the second re-checks each row the first changed after the
    first commits, and finds it no longer sending; SQLite serialises writers.
    """
    if older_than is None:
        older_than = dt.timedelta(seconds=settings.SRMT_NOTIFICATION_STALL_SECONDS)
    claimed_before = at - older_than
    taken_back = _take_back_claimed_before(
        claimed_before,
        at=at,
        error=f"Stalled: still sending {older_than.total_seconds():.0f} s after its claim",
    )
    if not taken_back:
        return 0
    requeued = sorted(pk for pk, status in taken_back if status == DeliveryStatus.QUEUED)
    failed = sorted(pk for pk, status in taken_back if status == DeliveryStatus.FAILED)
    audit.record(
        actor=SYSTEM,
        action=AuditAction.NOTIFICATION_STALLED_RECOVERED,
        object_type="notification",
        object_id="*",
        changes={
            "claimed_before": claimed_before.isoformat(),
            "requeued": requeued,
            "failed": failed,
        },
    )
    if requeued:
        transaction.on_commit(lambda: _deliver_later(requeued))
    return len(taken_back)


# Django's update() cannot say which rows it changed; RETURNING can (PostgreSQL, SQLite 3.35+).
# `attempts` on the right-hand side is the value before the update.
_TAKE_BACK_SQL = """
    UPDATE {table}
       SET status = CASE WHEN attempts >= max_attempts THEN %s ELSE %s END, last_error = %s,
           next_attempt_at = %s
     WHERE status = %s AND claimed_at < %s
    RETURNING id, status
"""


def _take_back_claimed_before(
    claimed_before: dt.datetime, *, at: dt.datetime, error: str
) -> list[tuple[int, str]]:
    sql = _TAKE_BACK_SQL.format(table=connection.ops.quote_name(Notification._meta.db_table))
    params = [
        DeliveryStatus.FAILED.value,
        DeliveryStatus.QUEUED.value,
        error[:500],
        connection.ops.adapt_datetimefield_value(at),
        DeliveryStatus.SENDING.value,
        connection.ops.adapt_datetimefield_value(claimed_before),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(pk), str(status)) for pk, status in cursor.fetchall()]


@transaction.atomic
def wake_due(*, at: dt.datetime, limit: int | None = None) -> int:
    """Enqueue a delivery, after commit, for each waiting notification due by `at`; returns
    how many. Waiting: queued, or failed with attempts left (`WAITING_STATUSES`).

    Due means `next_attempt_at` at or before `at - SRMT_OUTBOX_GRACE_SECONDS`, so that a row
    just committed is normally delivered by its own task. At most `limit` rows
    (SRMT_OUTBOX_BATCH by default), the longest waiting first; the rest wait for the next
    sweep. Each row woken is not due again for SRMT_NOTIFICATION_STALL_SECONDS: a task that
    is merely slow is not woken again at every sweep. A wake-up that does race a live task
    sends nothing twice: `deliver` claims the row with a conditional UPDATE, and the loser
    finds it claimed. One UPDATE ... RETURNING; on PostgreSQL a concurrent sweep skips the
    rows this one is waking (SKIP LOCKED).
    """
    if limit is None:
        limit = settings.SRMT_OUTBOX_BATCH
    due_by = at - dt.timedelta(seconds=settings.SRMT_OUTBOX_GRACE_SECONDS)
    again_at = at + dt.timedelta(seconds=settings.SRMT_NOTIFICATION_STALL_SECONDS)
    woken = _push_due_rows(due_by=due_by, again_at=again_at, limit=limit)
    if woken:
        transaction.on_commit(lambda: _deliver_later(woken))
    return len(woken)


_WAKE_SQL = """
    UPDATE {table}
       SET next_attempt_at = %s
     WHERE id IN (
        SELECT id FROM {table}
         WHERE status IN (%s, %s) AND attempts < max_attempts AND next_attempt_at <= %s
         ORDER BY next_attempt_at, id
         LIMIT %s{lock}
     )
    RETURNING id
"""


def _push_due_rows(*, due_by: dt.datetime, again_at: dt.datetime, limit: int) -> list[int]:
    sql = _WAKE_SQL.format(
        table=connection.ops.quote_name(Notification._meta.db_table),
        lock=" FOR UPDATE SKIP LOCKED"
        if connection.features.has_select_for_update_skip_locked
        else "",
    )
    params = [
        connection.ops.adapt_datetimefield_value(again_at),
        *WAITING_STATUSES,
        connection.ops.adapt_datetimefield_value(due_by),
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(int(pk) for (pk,) in cursor.fetchall())


def _deliver_later(notification_ids: list[int]) -> None:
    deliver_notification = delivery_task()
    for notification_id in notification_ids:
        deliver_notification.enqueue(notification_id)
