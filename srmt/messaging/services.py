"""The one write path of secure messaging (ADR 45): start a thread, send a message (with
files), mark a thread read, open a file. Every action is atomic and audited.

A message from the agency reaches the customer side only through the delivery gate
(`notifications.delivery.send_to_customer`): one "a message is waiting" notice per account
on the customer side of the thread, to that account's own email address (never a case's
contact details, which someone the applicant fled may know: 8 U.S.C. 1367), in the
account's language, saying nothing but that a message is waiting. While the gate holds a
notice, the message is not shown to the customer (`access.messages_for`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.models import Case
from srmt.messaging import access, files
from srmt.messaging.errors import EmptyMessage, InvalidMessageFile, NotAllowedToMessage
from srmt.messaging.models import Message, MessageAttachment, Thread
from srmt.notifications import delivery
from srmt.notifications.choices import DeliveryChannel, MessageKind
from srmt.service_requests import policies
from srmt.service_requests.models import ServiceRequest

MAX_BODY = 5000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise EmptyMessage(_("Write your message."), field="body")
    if len(body) > MAX_BODY:
        raise EmptyMessage(
            _("Your message is too long. Use at most %(max)d characters.") % {"max": MAX_BODY},
            field="body",
        )
    return body


def _check_files(uploads: Sequence[File[bytes]]) -> list[tuple[File[bytes], str, str]]:
    if len(uploads) > files.MAX_FILES_PER_MESSAGE:
        raise InvalidMessageFile(
            _("You can attach at most %(max)d files to one message.")
            % {"max": files.MAX_FILES_PER_MESSAGE},
            field="attachment",
        )
    return [(upload, *files.check(upload)) for upload in uploads]


@transaction.atomic
def start_thread(
    actor: User,
    *,
    subject: str,
    body: str,
    case: Case | None = None,
    service_request: ServiceRequest | None = None,
    uploads: Sequence[File[bytes]] = (),
) -> Thread:
    """A customer or representative starts a conversation about a case or a request they
    may see (anything else: NotAllowedToMessage, answered 404) and may act on: a customer's
    paper case with status tracking only, and a request on one, are refused (StatusOnlyCase,
    403: policies.require_actionable)."""
    if not access.is_outside(actor):
        raise NotAllowedToMessage("Only the customer side starts a conversation.")
    if (case is None) == (service_request is None):
        raise NotAllowedToMessage("A conversation is about one case or one request.")
    if service_request is not None:
        if not policies.can_view(actor, service_request):
            raise NotAllowedToMessage("No request matches that reference.")
        case = service_request.case
    elif case is not None and not policies.visible_cases(actor).filter(pk=case.pk).exists():
        raise NotAllowedToMessage("No case matches that receipt number.")
    # A customer's paper case with status tracking only, or a request on one (even one staff
    # opened by phone): no conversation online (StatusOnlyCase, ADR 43 revised).
    policies.require_actionable(actor, case)
    subject = (subject or "").strip()
    if not subject:
        raise EmptyMessage(_("Write what your message is about."), field="subject")
    body = _clean_body(body)
    checked = _check_files(uploads)
    now = timezone.now()
    thread = Thread.objects.create(
        case=case,
        service_request=service_request,
        subject=subject[:200],
        started_by=actor,
        is_protected=bool(case is not None and case.is_protected),
        created_at=now,
        last_message_at=now,
    )
    audit.record(
        actor=actor,
        action=AuditAction.MESSAGE_THREAD_STARTED,
        object_type="message_thread",
        object_id=str(thread.pk),
        changes={"protected": thread.is_protected},
    )
    _write(thread, actor=actor, body=body, checked=checked, now=now)
    return thread


@transaction.atomic
def send_message(
    actor: User, thread: Thread, *, body: str, uploads: Sequence[File[bytes]] = ()
) -> Message:
    """A reply in `thread` by someone who may see it (404 otherwise); staff also need the
    capability to respond to customers. An agency reply goes out through the gate."""
    thread = access.get_thread(actor, thread.pk)
    if not access.is_outside(actor) and not access.may_answer(actor):
        raise policies.PermissionDenied(_("Your role does not allow you to answer messages."))
    body = _clean_body(body)
    checked = _check_files(uploads)
    Thread.objects.select_for_update().filter(pk=thread.pk).first()
    return _write(thread, actor=actor, body=body, checked=checked, now=timezone.now())


def _write(
    thread: Thread,
    *,
    actor: User,
    body: str,
    checked: list[tuple[File[bytes], str, str]],
    now: dt.datetime,
) -> Message:
    from_agency = not access.is_outside(actor)
    message = Message.objects.create(
        thread=thread, author=actor, from_agency=from_agency, body=body, created_at=now
    )
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    audit.record(
        actor=actor,
        action=AuditAction.MESSAGE_SENT,
        object_type="message_thread",
        object_id=str(thread.pk),
        changes={"message_id": message.pk, "from_agency": from_agency, "files": len(checked)},
    )
    stored: list[str] = []
    try:
        for upload, content_type, sha256 in checked:
            attachment = MessageAttachment(
                message=message,
                original_name=files.display_name(upload.name or ""),
                content_type=content_type,
                size=upload.size or 0,
                sha256=sha256,
                uploaded_by=actor,
                uploaded_at=now,
            )
            attachment.file.save("upload", upload, save=False)
            stored.append(attachment.file.name or "")
            attachment.save()
            audit.record(
                actor=actor,
                action=AuditAction.MESSAGE_ATTACHMENT_ADDED,
                object_type="message_thread",
                object_id=str(thread.pk),
                changes={
                    "attachment_id": attachment.pk,
                    "sha256": sha256,
                    "size": attachment.size,
                    "content_type": content_type,
                },
            )
        if from_agency:
            for account in customer_side(thread):
                message.notices.add(_notify(thread, account, actor=actor))
    except Exception:
        storage = files.message_storage()
        for name in stored:
            if name:
                storage.delete(name)
        raise
    return message


def customer_side(thread: Thread) -> list[User]:
    """The accounts told of an agency message: who started the thread and every account of
    the customer side that wrote in it, if they may still see it."""
    ids = set(
        Message.objects.filter(thread=thread, from_agency=False).values_list("author", flat=True)
    ) | {thread.started_by_id}
    return [
        account
        for account in User.objects.filter(pk__in=ids).order_by("pk")
        if access.visible_threads(account).filter(pk=thread.pk).exists()
    ]


def _notify(thread: Thread, account: User, *, actor: User) -> int:
    """The "a message is waiting" notice: the account's own email, its language, no content,
    no case details, no receipt number; a link to sign in."""
    link = settings.SRMT_PUBLIC_BASE_URL + reverse("portal:messages")
    language = account.language if account.language in {"en", "es"} else "en"
    with translation.override(language):
        subject = _("You have a new secure message")
        body = _(
            "You have a new secure message in your online account.\n\n"
            "Sign in to read it: %(link)s\n\n"
            "For your privacy, we do not put the message in this email."
        ) % {"link": link}
    notification = delivery.send_to_customer(
        actor=actor,
        kind=MessageKind.MESSAGE_WAITING,
        channel=DeliveryChannel.EMAIL,
        to_address=account.email,
        subject=subject,
        body=body,
        language=language,
        related_reference=thread.reference,
        is_confidential=thread.is_protected,
    )
    return notification.pk


def list_threads(actor: User) -> list[Thread]:
    """The threads `actor` may see, newest first; the list is audited as a view of case data
    (threads on 1367 cases one row each, ADR 16)."""
    threads = list(access.visible_threads(actor).select_related("case", "service_request"))
    if threads:
        audit.record_views(
            actor=actor,
            object_type="message_thread",
            object_ids=[str(t.pk) for t in threads],
            confidential_ids=[str(t.pk) for t in threads if t.is_protected],
        )
    return threads


@transaction.atomic
def open_thread(actor: User, thread_id: int) -> Thread:
    """A thread shown to `actor` (404 if they may not see it): the other side's messages
    they can read are marked read; audited as a view of case data."""
    thread = access.get_thread(actor, thread_id)
    access.unread_for(actor, Thread.objects.filter(pk=thread.pk)).update(read_at=timezone.now())
    audit.record(
        actor=actor,
        action=AuditAction.MESSAGE_THREAD_VIEWED,
        object_type="message_thread",
        object_id=str(thread.pk),
    )
    return thread


@transaction.atomic
def download(actor: User, attachment_id: int) -> FileResponse:
    """A message's file for someone who may read that message (404 otherwise), audited; as
    a download in the type it was checked as, never sniffed, never cached."""
    attachment = access.get_attachment(actor, attachment_id)
    audit.record(
        actor=actor,
        action=AuditAction.MESSAGE_ATTACHMENT_VIEWED,
        object_type="message_thread",
        object_id=str(attachment.message.thread_id),
        changes={"attachment_id": attachment.pk},
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
