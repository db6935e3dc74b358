"""Idempotency-Key on every POST that writes or sends (ADR 18).

A retried POST with the same key and body answers what the first one answered, with
`Idempotent-Replayed: true`, and does nothing: no second row, no second email. The same key
with another body or on another path is 422 `idempotency_key_reused`; a refused request
keeps nothing, so the client can retry with the same key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import client_for, row_counts, valid_submission
from srmt.idempotency.models import IdempotencyRecord
from srmt.offices.models import RedirectTopic
from srmt.service_requests.models import Attachment, Response, ServiceRequest
from srmt.service_requests.routing_models import Referral
from srmt.testing.factories import make_service_request, make_user
from srmt.testing.race import run_at_once

PDF = b"%PDF-1.4\n" + b"p" * 64
Clients = Callable[..., tuple[APIClient, User]]


def counts() -> dict[str, int]:
    """Every row a POST could write, and the emails sent."""
    return {
        **row_counts(),
        "Attachment": Attachment.objects.count(),
        "Referral": Referral.objects.count(),
        "emails": len(mail.outbox),
    }


def _url(sr: ServiceRequest, action: str) -> str:
    return f"/api/v1/service-requests/{sr.reference}/{action}/"


def _abroad() -> dict[str, Any]:
    body = valid_submission(receipt_number="", type="complaint")
    body["requester"] = {**body["requester"], "country": "IN"}
    return body


@dataclass(frozen=True)
class Post:
    """One POST endpoint: where to send what (a fresh body each time), and its answer."""

    name: str
    prepare: Callable[[], tuple[str, Callable[[], Any]]]
    status: int
    emails: int
    format: str = "json"


def _on_request(action: str, body: dict[str, Any], **make: Any) -> Callable[[], Any]:
    def prepare() -> tuple[str, Callable[[], Any]]:
        return _url(make_service_request(**make), action), lambda: dict(body)

    return prepare


def _redirect() -> tuple[str, Callable[[], Any]]:
    topic = RedirectTopic.objects.order_by("code").first()
    assert topic is not None
    return _url(make_service_request(), "redirect"), lambda: {
        "topic": topic.code,
        "reason": "Not ours.",
    }


def _upload() -> tuple[str, Callable[[], Any]]:
    url = _url(make_service_request(), "attachments")
    return url, lambda: {"file": SimpleUploadedFile("letter.pdf", PDF)}


POSTS = [
    Post(
        "record a request",
        lambda: ("/api/v1/service-requests/", valid_submission),
        201,
        1,  # the acknowledgement to the requester
    ),
    # the customer is emailed the international office's contact details (ADR 28)
    Post("refer a customer abroad", lambda: ("/api/v1/service-requests/", _abroad), 200, 1),
    Post(
        "send a response",
        _on_request("responses", {"kind": "initial", "body": "We are on it."}),
        201,
        1,
    ),
    Post("add a note", _on_request("notes", {"body": "Called the customer back."}), 201, 0),
    Post("change the status", _on_request("transitions", {"to": "in_progress"}), 200, 0),
    Post("redirect to another agency", _redirect, 200, 1),
    Post(
        "decide an expedite",
        _on_request(
            "expedite/decision",
            {"approved": False, "reason": "No evidence of the loss."},
            type="expedite_request",
        ),
        200,
        1,
    ),
    Post("attach evidence", _upload, 201, 0, format="multipart"),
]


@pytest.fixture
def esc_staff(make_client: Clients, settings: Any, tmp_path: Any) -> tuple[APIClient, User]:
    settings.MEDIA_ROOT = tmp_path
    return make_client(Role.OFFICE_STAFF, offices=["ESC"])


def _post(client: APIClient, url: str, data: Any, fmt: str, key: str = "retry-1") -> Any:
    return client.post(url, data, format=fmt, HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.parametrize("endpoint", POSTS, ids=lambda p: p.name)
def test_a_retried_post_answers_the_same_and_does_nothing_twice(
    esc_staff: tuple[APIClient, User], django_capture_on_commit_callbacks: Any, endpoint: Post
) -> None:
    # given a POST that succeeded (and sent its email, if it sends one)
    client, _user = esc_staff
    url, body = endpoint.prepare()
    before_first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, url, body(), endpoint.format)
    assert first.status_code == endpoint.status, first.content
    assert counts()["emails"] - before_first["emails"] == endpoint.emails
    before = counts()
    # when the client retries it with the same key and body
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = _post(client, url, body(), endpoint.format)
    # then it gets the same answer, marked as a replay, and nothing was done again
    assert again.status_code == endpoint.status
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert (again.get("Location"), again.get("ETag")) == (first.get("Location"), first.get("ETag"))
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert counts() == before
    assert callbacks == []


def test_a_retried_response_sends_the_customer_one_email(
    esc_staff: tuple[APIClient, User], django_capture_on_commit_callbacks: Any
) -> None:
    client, _user = esc_staff
    sr = make_service_request()
    body = {"kind": "initial", "body": "We are on it."}
    answers = []
    for _try in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(_post(client, _url(sr, "responses"), body, "json", key="r-1"))
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.get("Idempotent-Replayed") for a in answers] == [None, "true", "true"]
    assert len({a.content for a in answers}) == 1
    assert Response.objects.filter(service_request=sr).count() == 1
    [email] = mail.outbox
    assert email.to == ["ana@example.com"]


@pytest.mark.parametrize(
    ("_case", "other"),
    [
        ("another body", {"kind": "initial", "body": "Something else."}),
        ("the same body with another kind", {"kind": "final", "body": "We are on it."}),
    ],
)
def test_the_same_key_with_another_body_is_422_and_changes_nothing(
    esc_staff: tuple[APIClient, User],
    django_capture_on_commit_callbacks: Any,
    _case: str,
    other: dict[str, str],
) -> None:
    client, _user = esc_staff
    sr = make_service_request()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _url(sr, "responses"), {"kind": "initial", "body": "We are on it."}, "json")
    before, version = counts(), ServiceRequest.objects.get(pk=sr.pk).version
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refused = _post(client, _url(sr, "responses"), other, "json")
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    body = refused.json()
    assert (body["code"], body["errors"][0]["field"]) == (
        "idempotency_key_reused",
        "Idempotency-Key",
    )
    assert body["detail"] == "This Idempotency-Key was used with a different request body."
    assert (counts(), ServiceRequest.objects.get(pk=sr.pk).version) == (before, version)
    assert callbacks == []


def test_another_file_under_the_same_key_is_422(esc_staff: tuple[APIClient, User]) -> None:
    client, _user = esc_staff
    url, body = _upload()
    _post(client, url, body(), "multipart")
    before = counts()
    other = {"file": SimpleUploadedFile("letter.pdf", PDF + b"changed")}
    refused = _post(client, url, other, "multipart")
    assert (refused.status_code, refused.json()["code"]) == (422, "idempotency_key_reused")
    assert counts() == before


def test_the_same_key_on_another_path_is_422(
    esc_staff: tuple[APIClient, User], django_capture_on_commit_callbacks: Any
) -> None:
    client, _user = esc_staff
    sr, other_sr = make_service_request(), make_service_request()
    body = {"body": "Called the customer back."}
    _post(client, _url(sr, "notes"), body, "json")
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        refused = _post(client, _url(other_sr, "notes"), body, "json")
    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency_key_reused"
    assert refused.json()["detail"] == (
        "This Idempotency-Key was used for another request (another method or path)."
    )
    assert counts() == before


def test_a_refused_post_keeps_nothing_and_the_key_can_be_used_again(
    esc_staff: tuple[APIClient, User], django_capture_on_commit_callbacks: Any
) -> None:
    client, _user = esc_staff
    sr = make_service_request()
    before = counts()
    # a follow-up before any initial response is refused
    refused = _post(client, _url(sr, "responses"), {"kind": "follow_up", "body": "x"}, "json")
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_response")
    assert counts() == before
    # the same key, now with a valid body, does the write
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _post(client, _url(sr, "responses"), {"kind": "initial", "body": "Hi."}, "json")
    assert accepted.status_code == 201
    assert "Idempotent-Replayed" not in accepted
    assert Response.objects.filter(service_request=sr).count() == 1
    assert len(mail.outbox) == 1


def test_keys_belong_to_their_user(
    make_client: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    first, _one = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    second, _two = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    sr = make_service_request()
    body = {"body": "Called the customer back."}
    answers = [_post(client, _url(sr, "notes"), body, "json") for client in (first, second)]
    assert [a.status_code for a in answers] == [201, 201]
    assert [a.get("Idempotent-Replayed") for a in answers] == [None, None]
    assert sr.notes.count() == 2


def test_without_a_key_every_post_is_done(esc_staff: tuple[APIClient, User]) -> None:
    client, _user = esc_staff
    sr = make_service_request()
    for _try in range(2):
        client.post(_url(sr, "notes"), {"body": "Called back."}, format="json")
    assert (sr.notes.count(), IdempotencyRecord.objects.count()) == (2, 0)


@pytest.mark.parametrize("key", ["", "has space", "k" * 256, "clé"])
def test_an_unusable_key_is_400_on_every_post(esc_staff: tuple[APIClient, User], key: str) -> None:
    client, _user = esc_staff
    sr = make_service_request()
    before = counts()
    response = _post(client, _url(sr, "notes"), {"body": "Called back."}, "json", key=key)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_idempotency_key")
    assert counts() == before


# Transactional: each thread has its own connection and sees only committed rows.
@pytest.mark.django_db(transaction=True)
def test_two_retries_at_once_send_one_response(reference: None) -> None:
    # (SQLite: the test database is a file and IMMEDIATE transactions queue the writers)
    user = make_user(role=Role.OFFICE_STAFF, offices=["ESC"])
    sr = make_service_request()
    body = {"kind": "initial", "body": "We are on it."}

    def send(client: APIClient) -> tuple[int, str, bytes]:
        response = _post(client, _url(sr, "responses"), body, "json", key="race-1")
        return (response.status_code, response.get("Idempotent-Replayed", ""), response.content)

    results = run_at_once(send, times=2, prepare=lambda: client_for(user))

    assert sorted((status, replayed) for status, replayed, _c in results) == [
        (201, ""),
        (201, "true"),
    ]
    assert results[0][2] == results[1][2]
    assert Response.objects.filter(service_request=sr).count() == 1
    responses = ("Your service request", "Su solicitud de servicio")
    assert len([m for m in mail.outbox if m.subject.startswith(responses)]) == 1
    assert IdempotencyRecord.objects.count() == 1
    if connection.vendor == "postgresql":
        assert ServiceRequest.objects.get(pk=sr.pk).status == "responded"


# POSTs that write nothing (a draft's assessment, ADR 39): no key to honour, none documented.
POSTS_THAT_WRITE_NOTHING = {
    "/api/v1/service-requests/{reference}/responses/assess",
    # OAuth 2.0's token endpoint (ADR 41): a new token each call, as RFC 6749 and the agency's.
    "/oauth/accesstoken",
}


def test_every_post_documents_the_idempotency_key_and_its_422() -> None:
    out = StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    schema = json.loads(out.getvalue())
    posts = {path: ops["post"] for path, ops in schema["paths"].items() if "post" in ops}
    # With QA's, the review's (ADR 35, 36), the assessment (ADR 39), access codes (ADR 43), the
    # Case Status API's token (ADR 41).
    assert len(posts) == 16
    for path in POSTS_THAT_WRITE_NOTHING:
        post = posts.pop(path)
        assert "Idempotency-Key" not in [p["name"] for p in post.get("parameters", [])]
    for path, post in posts.items():
        headers = [p["name"] for p in post.get("parameters", []) if p["in"] == "header"]
        assert "Idempotency-Key" in headers, path
        assert "422" in post["responses"], path


def test_an_oversized_upload_with_a_key_is_refused_before_it_is_read(
    esc_staff: tuple[APIClient, User],
) -> None:
    client, _user = esc_staff
    url, body = _upload()
    before = counts()
    response = client.post(
        url, body(), format="multipart", HTTP_IDEMPOTENCY_KEY="big", CONTENT_LENGTH="20000000"
    )
    assert (response.status_code, response.json()["code"]) == (413, "request_too_large")
    assert counts() == before
