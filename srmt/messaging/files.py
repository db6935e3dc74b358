"""Message attachments: PDF, JPEG or PNG up to 10 MB, judged by their content (magic bytes,
read by the maintained `filetype` library, never by the name or the declared type), stored
under `SRMT_MESSAGE_FILES_ROOT` (var/messages by default: outside the web root, never served
directly)."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from srmt.messaging.errors import InvalidMessageFile

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_MESSAGE = 5
ACCEPTED_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
# filetype reads at most the first 8 KiB (its own _NUM_SIGNATURE_BYTES is 8192).
HEAD_BYTES = 8192


class MessageStorage(FileSystemStorage):
    """Files under SRMT_MESSAGE_FILES_ROOT, read at each use (a test may move it); they have
    no URL: only the access-checked download views serve them."""

    @property
    def base_location(self) -> str:
        return str(settings.SRMT_MESSAGE_FILES_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Message files have no URL; they are served by checked views only.")


def message_storage() -> FileSystemStorage:
    """The storage of message files."""
    return MessageStorage()


def stored_name(instance: Any, filename: str) -> str:
    """A random name: the customer's file name is data only (`original_name`)."""
    return f"{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}"


def content_type_of(head: bytes) -> str | None:
    """The accepted type the bytes are, or None (a renamed program, a text file, a GIF)."""
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        return None
    return str(kind.mime)


def display_name(name: str) -> str:
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return (base or "attachment")[:255]


def check(upload: File[bytes]) -> tuple[str, str]:
    """(content type, sha256) of an acceptable file; refuses anything else."""
    size = upload.size or 0
    if not size:
        raise InvalidMessageFile(_("The file is empty."), field="attachment")
    if size > MAX_FILE_BYTES:
        raise InvalidMessageFile(
            _("Files can be at most 10 MB. This one is %(size).1f MB.")
            % {"size": size / (1024 * 1024)},
            field="attachment",
        )
    upload.seek(0)
    content_type = content_type_of(upload.read(HEAD_BYTES))
    if content_type is None:
        raise InvalidMessageFile(
            _("We can only accept PDF, JPEG or PNG files. Please attach one of those."),
            field="attachment",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()
