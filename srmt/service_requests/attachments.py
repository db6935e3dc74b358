"""Evidence attachments on service requests: PDF, JPEG or PNG, checked by their content.

The one module for attachments, whichever part of a request they support (an expedite's
evidence today): the checks, the upload, the list and the download, which the API and the
staff pages both answer with `download`.

Files go to the default storage under a random name (models.attachment_path); the original
file name is kept as data only. Files are never served directly: a download is
access-checked (404 for what the user may not see) and audited.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.core.files.base import File
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.service_requests import core, policies
from srmt.service_requests.errors import InvalidAttachment, TooManyAttachments
from srmt.service_requests.models import Attachment, ServiceRequest

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
# Magic bytes at the start of each accepted format; the declared type is not trusted.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def check_upload(upload: File[bytes]) -> None:
    """Refuse an upload that could not be attached (a form checks every file before it
    asks a service to write anything)."""
    _checked(upload)


def _checked(upload: File[bytes]) -> tuple[str, str]:
    """(content type, sha256) of an acceptable upload; refuses anything else."""
    if not upload.size:
        raise InvalidAttachment(_("The file is empty."), field="file")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise InvalidAttachment(
            _("Files can be at most 10 MB; this one is %(size).1f MB.")
            % {"size": upload.size / (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(8))
    if content_type is None:
        raise InvalidAttachment(_("Attach a PDF, JPEG or PNG file."), field="file")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


def _display_name(name: str) -> str:
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return (base or "attachment")[:255]


@transaction.atomic
def add_attachment(sr: ServiceRequest, *, actor: User, upload: File[bytes]) -> Attachment:
    """Store one file of evidence on an open request (at most MAX_ATTACHMENTS)."""
    sr = core.lock(sr)
    policies.require_act(actor, sr, Capability.NOTE)
    return _store(sr, actor=actor, upload=upload)


@transaction.atomic
def add_at_intake(
    sr: ServiceRequest, *, actor: User, uploads: tuple[File[bytes], ...]
) -> list[Attachment]:
    """Store the files given with a new request, in intake's transaction: `actor` has just
    recorded `sr` (which they may not see: a 1367 case without clearance, ADR 16), so no
    other permission is asked. A refused file refuses them all, and the request with them."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise TooManyAttachments(
            _("A request can have at most %(max)d attachments.") % {"max": MAX_ATTACHMENTS},
            field="attachments",
        )
    for upload in uploads:  # every file checked before any is stored
        _checked(upload)
    sr = core.lock(sr)
    return [_store(sr, actor=actor, upload=upload) for upload in uploads]


def _store(sr: ServiceRequest, *, actor: User, upload: File[bytes]) -> Attachment:
    core.require_open(sr)
    if Attachment.objects.filter(service_request=sr).count() >= MAX_ATTACHMENTS:
        raise TooManyAttachments(
            _("A request can have at most %(max)d attachments.") % {"max": MAX_ATTACHMENTS},
            field="file",
        )
    content_type, sha256 = _checked(upload)
    attachment = Attachment(
        service_request=sr,
        original_name=_display_name(upload.name or ""),
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("upload", upload, save=False)
    stored_name = attachment.file.name
    try:
        attachment.save()
        core.bump(sr)
        audit.record(
            actor=actor,
            action=AuditAction.SERVICE_REQUEST_ATTACHMENT_ADDED,
            object_type="service_request",
            object_id=sr.reference,
            changes={"attachment_id": attachment.pk, "sha256": sha256, "size": upload.size},
        )
    except Exception:
        # The row was not written: the stored file must not stay behind without it.
        if stored_name:
            attachment.file.storage.delete(stored_name)
        raise
    return attachment


def attachments_of(sr: ServiceRequest) -> list[Attachment]:
    return list(Attachment.objects.filter(service_request=sr).select_related("uploaded_by"))


def open_attachment(sr: ServiceRequest, attachment_id: int, *, actor: User) -> Attachment:
    """The attachment of a request `actor` can see (checked by the caller), audited."""
    attachment = Attachment.objects.filter(service_request=sr, pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("No attachment matches that id."))
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_ATTACHMENT_VIEWED,
        object_type="service_request",
        object_id=sr.reference,
        changes={"attachment_id": attachment.pk},
    )
    return attachment


def download(actor: User, reference: str, attachment_id: int) -> FileResponse:
    """The attachment `attachment_id` of the request `reference` as a download for `actor`
    (the API's and the staff pages' one answer): 404 unless `actor` may see the request and
    the attachment is the request's; audited; streamed in the type it was checked as, as an
    attachment under its original name, never rendered inline or sniffed (it is evidence,
    not a page), never cached."""
    sr = policies.get_request_for_user(actor, reference)
    attachment = open_attachment(sr, attachment_id, actor=actor)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
