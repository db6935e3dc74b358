"""The transport registry: how SRMT delivers a message itself (ADR 26).

A transport is an adapter class registered by name. It says which channel it delivers
(`DeliveryChannel`: email, and later sms, mail, secure_message), sends one message
(`deliver`), maps what happened to a delivery outcome (`outcome_for`: sent, retry later,
rejected for good) and carries its retry policy (`max_attempts`, `retry_delays`). The
delivery task (notifications.tasks) dispatches every outbox row through the registry by the
row's `transport`; a name nobody registered is refused with `UnknownTransport`, never
guessed.

Email and letters are registered: `letter` renders a mailed letter as a PDF and writes it
to the print vendor's spool directory (SRMT_LETTER_SPOOL_DIR, ADR 43). An SMS gateway and
the portal inbox are added as adapters here when they exist. A channel without a
transport (phone calls), or a letter without an address, is delivered by a member of
staff, who records it.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import smtplib
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.mail import EmailMessage

from srmt.notifications.choices import DeliveryChannel
from srmt.notifications.letters import render_letter

if TYPE_CHECKING:
    from srmt.notifications.models import Notification


class UnknownTransport(LookupError):
    """No transport is registered under this name (or for this channel)."""


class Outcome(enum.Enum):
    """What one delivery attempt came to, as the outbox records it."""

    SENT = "sent"  # -> sent
    RETRY = "retry"  # -> failed, due again after the back-off while attempts are left
    REJECTED = "rejected"  # -> failed for good: no attempts are left


class DeliveryError(Exception):
    """A transport could not deliver; `outcome` says whether to try again."""

    def __init__(self, message: str, *, outcome: Outcome = Outcome.RETRY) -> None:
        super().__init__(message)
        self.outcome = outcome


class Transport(ABC):
    """One way SRMT delivers a message. Subclass, set the class attributes, implement
    `deliver`, and `register` the class."""

    name: ClassVar[str]
    channel: ClassVar[str]
    max_attempts: ClassVar[int] = 5
    # Wait before attempt 2, 3, ...; the last delay repeats if there are more attempts.
    retry_delays: ClassVar[tuple[dt.timedelta, ...]] = (dt.timedelta(minutes=1),)
    # Errors `deliver` may raise that `outcome_for` maps; anything else is a bug and raises.
    errors: ClassVar[tuple[type[BaseException], ...]] = (DeliveryError,)

    @abstractmethod
    def deliver(self, notification: Notification) -> None:
        """Send it; return when it has left, raise one of `errors` when it has not."""

    def outcome_for(self, error: BaseException) -> Outcome:
        """The status mapping: what a failed attempt means for the row."""
        if isinstance(error, DeliveryError):
            return error.outcome
        return Outcome.RETRY

    def retry_delay(self, attempts: int) -> dt.timedelta:
        """How long a message waits after its `attempts`-th failed attempt."""
        return self.retry_delays[min(max(attempts, 1), len(self.retry_delays)) - 1]


_REGISTRY: dict[str, Transport] = {}


def register(transport_class: type[Transport]) -> type[Transport]:
    """Register a transport under its name (a class decorator). One transport per name and
    one per channel: which transport delivers a channel is never ambiguous."""
    name = transport_class.name
    if name in _REGISTRY:
        raise ValueError(f"A transport named {name!r} is already registered.")
    if transport_class.channel not in DeliveryChannel.values:
        raise ValueError(f"{transport_class.channel!r} is not a delivery channel.")
    if any(t.channel == transport_class.channel for t in _REGISTRY.values()):
        raise ValueError(f"A transport for {transport_class.channel!r} is already registered.")
    if transport_class.max_attempts < 1 or not transport_class.retry_delays:
        raise ValueError(f"Transport {name!r} needs at least one attempt and one delay.")
    _REGISTRY[name] = transport_class()
    return transport_class


def unregister(name: str) -> None:
    """Remove a transport (tests that register their own take it out again)."""
    get(name)
    del _REGISTRY[name]


def get(name: str) -> Transport:
    """The transport registered as `name`; refuses a name nobody registered."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise UnknownTransport(
            f"No transport is registered as {name!r} (registered: {known})."
        ) from None


def for_channel(channel: str) -> Transport | None:
    """The transport that delivers `channel`, or None when staff deliver it and record it."""
    return next((t for t in _REGISTRY.values() if t.channel == channel), None)


def registered() -> list[str]:
    return sorted(_REGISTRY)


@register
class EmailTransport(Transport):
    """Email through Django's mail backend (SMTP in production), from DEFAULT_FROM_EMAIL.

    Any SMTP or connection error is worth another attempt: 5 attempts, waiting 1, 5, 25 and
    125 minutes between them (ADR 17)."""

    name = "email"
    channel = DeliveryChannel.EMAIL.value
    max_attempts = 5
    retry_delays = (
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=25),
        dt.timedelta(minutes=125),
    )
    errors = (DeliveryError, smtplib.SMTPException, OSError)

    def deliver(self, notification: Notification) -> None:
        if not notification.to_address:
            raise DeliveryError("No email address to send to.", outcome=Outcome.REJECTED)
        EmailMessage(
            subject=notification.subject, body=notification.body, to=[notification.to_address]
        ).send(fail_silently=False)


@register
class LetterTransport(Transport):
    """A mailed letter: the message rendered as a PDF (notifications.letters) and written to
    the print vendor's spool directory (SRMT_LETTER_SPOOL_DIR) as `letter-<id>.pdf`.

    Atomic: written to a temporary file in the same directory, then renamed, so the vendor
    never picks up half a letter. Idempotent: a letter already in the spool is not written
    again (a retried delivery sends nothing twice). A full disk or an unwritable directory
    is worth another attempt."""

    name = "letter"
    channel = DeliveryChannel.MAIL.value
    max_attempts = 5
    retry_delays = (dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))
    errors = (DeliveryError, OSError)

    @staticmethod
    def path_for(notification: Notification) -> Path:
        return Path(settings.SRMT_LETTER_SPOOL_DIR) / f"letter-{notification.pk}.pdf"

    def deliver(self, notification: Notification) -> None:
        if not notification.to_address.strip():
            raise DeliveryError("No postal address to mail to.", outcome=Outcome.REJECTED)
        target = self.path_for(notification)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        pdf = render_letter(notification)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".letter-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pdf)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
