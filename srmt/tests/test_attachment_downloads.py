"""An attachment is downloaded the same way from the API and from the staff pages (one
helper, service_requests.attachments.download): access-checked (404 for a request the user
may not see or an id that is not the request's), audited, streamed as an attachment of the
type it was checked as, never sniffed, never cached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import client_for as api_client_for
from srmt.audit.models import AuditEvent
from srmt.service_requests.attachments import add_attachment
from srmt.service_requests.models import Attachment
from srmt.staff.tests.conftest import client_for as page_client_for
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("reference")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SURFACES: dict[str, tuple[Callable[[User], Client], str]] = {
    "api": (api_client_for, "/api/v1/service-requests/{ref}/attachments/{id}/"),
    "page": (page_client_for, "/staff/requests/{ref}/attachments/{id}/"),
}


@pytest.fixture
def evidence(settings: Any, tmp_path: Any) -> tuple[Attachment, Attachment]:
    """An attachment on a request at ESC, and one on another request."""
    settings.MEDIA_ROOT = tmp_path
    clerk = make_user(role=Role.TIER1, offices=["CC-T1"])
    attached = []
    for number in ("EAC2190012345", "EAC2190012346"):
        sr = make_service_request(actor=clerk, receipt_number=make_case(number).receipt_number)
        upload = SimpleUploadedFile("Photo of the letter (1).png", PNG)
        attached.append(add_attachment(sr, actor=clerk, upload=upload))
    return attached[0], attached[1]


def _viewed() -> int:
    return AuditEvent.objects.filter(action="service_request.attachment_viewed").count()


@pytest.mark.parametrize("surface", SURFACES)
def test_a_download_is_the_file_streamed_as_an_attachment_and_audited(
    surface: str, evidence: tuple[Attachment, Attachment]
) -> None:
    attachment, _other = evidence
    make_client, url = SURFACES[surface]
    client = make_client(make_user(role=Role.OFFICE_STAFF, offices=["ESC"]))
    before = _viewed()
    sr = attachment.service_request
    response = client.get(url.format(ref=sr.reference, id=attachment.pk))
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == PNG
    assert {
        name: response[name]
        for name in ("Content-Type", "Content-Disposition", "X-Content-Type-Options")
    } == {
        "Content-Type": "image/png",
        "Content-Disposition": 'attachment; filename="Photo of the letter (1).png"',
        "X-Content-Type-Options": "nosniff",
    }
    assert "no-store" in response["Cache-Control"]
    assert _viewed() - before == 1
    event = AuditEvent.objects.filter(action="service_request.attachment_viewed").last()
    assert (event.object_id, event.changes) == (sr.reference, {"attachment_id": attachment.pk})


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(
    ("offices", "which"),
    [
        (["NSC"], "own"),  # staff of another office: they may not see the request
        (["ESC"], "other"),  # the other request's attachment, under this request
        (["ESC"], "unknown"),
    ],
)
def test_a_download_the_user_may_not_have_is_404_and_not_audited(
    surface: str, offices: list[str], which: str, evidence: tuple[Attachment, Attachment]
) -> None:
    attachment, other = evidence
    make_client, url = SURFACES[surface]
    client = make_client(make_user(role=Role.OFFICE_STAFF, offices=offices))
    before = _viewed()
    attachment_id = {"own": attachment.pk, "other": other.pk, "unknown": 999_999}[which]
    response = client.get(url.format(ref=attachment.service_request.reference, id=attachment_id))
    assert response.status_code == 404
    assert _viewed() == before
