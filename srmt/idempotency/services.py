"""Claim idempotency records and submission tokens in the transaction of the write they
guard; purge them after the retention (ADR 18).

A claim is an INSERT under a unique (user, key) constraint, in a savepoint of the caller's
transaction. Two requests with the same key at once: on PostgreSQL the second INSERT waits
for the first transaction and fails once it commits (or succeeds if it rolled back); SQLite
runs one writing transaction at a time (IMMEDIATE), so the second starts after the first
committed. Either way exactly one request does the write; the other reads what it did.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.idempotency.errors import IdempotencyKeyReused
from srmt.idempotency.models import IdempotencyRecord, SubmissionToken

MAX_PATH = 500


def _require_transaction(what: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(f"{what} must run in the transaction of the write it guards")


def claim_key(
    user: User, key: str, *, method: str, path: str, body_hash: str
) -> tuple[IdempotencyRecord, bool]:
    """Claim `key` for this request: (new record, True); or, when the key was used before
    with the same method, path and body, (its record, with its answer, False).

    The same key with another method, path or body is refused (IdempotencyKeyReused).
    """
    _require_transaction("claim_key")
    path = path[:MAX_PATH]
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=user, key=key, method=method, path=path, body_hash=body_hash
            )
        return record, True
    except IntegrityError:
        # The key's first request has committed (on PostgreSQL the INSERT waited for it).
        seen = IdempotencyRecord.objects.get(user=user, key=key)
    if seen.body_hash != body_hash:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was used with a different request body."),
            field="Idempotency-Key",
        )
    if (seen.method, seen.path) != (method, path):
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was used for another request (another method or path)."),
            field="Idempotency-Key",
        )
    return seen, False


def complete_key(
    record: IdempotencyRecord,
    *,
    status_code: int,
    content_type: str,
    body: str,
    headers: dict[str, Any],
) -> None:
    """Store the answer of the request that claimed `record`, before its write commits."""
    _require_transaction("complete_key")
    record.status_code = status_code
    record.content_type = content_type
    record.body = body
    record.headers = headers
    record.save(update_fields=["status_code", "content_type", "body", "headers"])


def release_key(record: IdempotencyRecord) -> None:
    """The request was refused: keep nothing, so the client can retry with the same key."""
    record.delete()


def claim_token(user: User, token: str) -> str | None:
    """Claim a staff form's one-time token: None when claimed now; when it was claimed
    before, the URL its submission landed on."""
    _require_transaction("claim_token")
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(user=user, token=token, claimed_at=timezone.now())
    except IntegrityError:
        # The token's first submission has committed (on PostgreSQL the INSERT waited).
        return SubmissionToken.objects.get(user=user, token=token).result_url
    return None


def release_token(user: User, token: str) -> None:
    """The submission did nothing (its form had errors): its form may be submitted again."""
    _require_transaction("release_token")
    SubmissionToken.objects.filter(user=user, token=token).delete()


def record_result(user: User, token: str, url: str) -> None:
    """Where the submission that claimed `token` landed (in its transaction)."""
    _require_transaction("record_result")
    SubmissionToken.objects.filter(user=user, token=token).update(result_url=url[:MAX_PATH])


def retention() -> dt.timedelta:
    return dt.timedelta(hours=settings.SRMT_IDEMPOTENCY_RETENTION_HOURS)


@transaction.atomic
def purge_expired(*, at: dt.datetime) -> int:
    """Delete the records and tokens older than the retention at `at`; returns how many.

    A staff form's token expires after the same retention (its signature carries its
    age), so no token can outlive the claim that makes it one-time.
    """
    before = at - retention()
    records, _by_model = IdempotencyRecord.objects.filter(created_at__lt=before).delete()
    tokens, _by_model = SubmissionToken.objects.filter(claimed_at__lt=before).delete()
    return records + tokens
