"""Idempotency-Key on every API POST that writes or sends (ADR 18).

Put `@idempotent` on a view's `post`. With an `Idempotency-Key` header the whole handler
runs in one transaction that first claims (user, key) with the request's method, path and
body hash (srmt.idempotency.services.claim_key), and stores the answer (status, body,
Location, ETag) before it commits. A later request with the same key and body gets that
answer again with `Idempotent-Replayed: true` and does nothing; with another body, method
or path it is refused with 422 `idempotency_key_reused`. A refused request (an exception,
or an answer that is not 2xx) keeps nothing, so the client can retry with the same key.
Without the header nothing changes.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from srmt.api.authentication import signed_in_user
from srmt.api.conditional import body_hash, idempotency_key
from srmt.api.exceptions import RequestTooLarge
from srmt.api.schema import IDEMPOTENCY_KEY
from srmt.idempotency import services as idempotency
from srmt.idempotency.models import IdempotencyRecord

REPLAYED_HEADER = "Idempotent-Replayed"
# The headers of an answer that a replay repeats.
REPLAYED_HEADERS = ("Location", "ETag")

Handler = TypeVar("Handler", bound=Callable[..., HttpResponseBase])


def idempotent(handler: Handler) -> Handler:
    """Honour Idempotency-Key on this POST handler, and document the header."""

    @functools.wraps(handler)
    def post(view: APIView, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = idempotency_key(request)
        if not key:
            return handler(view, request, *args, **kwargs)
        _refuse_oversized(view, request)
        fingerprint = request_body_hash(request)
        with transaction.atomic():
            record, claimed = idempotency.claim_key(
                signed_in_user(request),
                key,
                method=request.method or "POST",
                path=request.path,
                body_hash=fingerprint,
            )
            if not claimed:
                return _replay(record)
            response = handler(view, request, *args, **kwargs)
            _keep_answer(view, request, record, response)
        return response

    return extend_schema(parameters=[IDEMPOTENCY_KEY])(post)  # type: ignore[return-value]


def request_body_hash(request: Request) -> str:
    """sha256 of the canonical JSON of the parsed body; uploaded files count by name, size
    and sha256 of their content, so a retried upload matches whatever its multipart
    boundary."""
    data = request.data
    if isinstance(data, QueryDict):
        data = {name: [_part(value) for value in data.getlist(name)] for name in sorted(data)}
    return body_hash(data)


def _part(value: Any) -> Any:
    if not isinstance(value, UploadedFile):
        return value
    digest = hashlib.sha256()
    for chunk in value.chunks():
        digest.update(chunk)
    value.seek(0)
    return {"name": value.name, "size": value.size, "sha256": digest.hexdigest()}


def _refuse_oversized(view: APIView, request: Request) -> None:
    """A view that limits its upload (`max_upload_bytes`) refuses a larger one before the
    body is read to be hashed, as it does without a key."""
    limit = getattr(view, "max_upload_bytes", None)
    if limit is not None and int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        raise RequestTooLarge()


def _keep_answer(
    view: APIView, request: Request, record: IdempotencyRecord, response: HttpResponseBase
) -> None:
    if not status.is_success(response.status_code):
        idempotency.release_key(record)
        return
    body = _rendered(view, request, response).decode("utf-8")
    idempotency.complete_key(
        record,
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=body,
        headers={name: response[name] for name in REPLAYED_HEADERS if name in response},
    )


def _rendered(view: APIView, request: Request, response: HttpResponseBase) -> bytes:
    """The bytes the client gets: a DRF Response is rendered here as dispatch would."""
    if isinstance(response, Response) and not response.is_rendered:
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        # Response.render() reads renderer_context, which DRF's stubs do not declare.
        response.renderer_context = view.get_renderer_context()  # type: ignore[attr-defined]
        response.render()
    assert isinstance(response, HttpResponse)
    return response.content


def _replay(record: IdempotencyRecord) -> HttpResponse:
    assert record.status_code is not None  # a committed record always has its answer
    response = HttpResponse(
        record.body.encode("utf-8"),
        status=record.status_code,
        content_type=record.content_type or None,
    )
    for name, value in record.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response
