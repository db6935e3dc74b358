"""API: expedite submission, criteria, decision, attachments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import row_counts, valid_submission
from srmt.audit.models import AuditEvent
from srmt.service_requests.models import Attachment, ExpediteRequest
from srmt.testing.factories import make_case

PDF = b"%PDF-1.4\n" + b"p" * 64
Clients = Callable[..., tuple[APIClient, User]]


def expedite_body(receipt: str, criterion: str = "severe_financial_loss") -> dict[str, Any]:
    return valid_submission(
        type="expedite_request",
        receipt_number=receipt,
        expedite={"criterion": criterion, "justification": "The company would lose a contract."},
    )


@pytest.fixture
def submitted(make_client: Clients) -> tuple[str, User]:
    client, user = make_client(Role.TIER1)
    case = make_case()
    response = client.post(
        "/api/v1/service-requests/", expedite_body(case.receipt_number), format="json"
    )
    assert response.status_code == 201, response.data
    return response.data["reference"], user


def test_criteria_in_force(make_client: Clients) -> None:
    client, _user = make_client(Role.TIER1)
    response = client.get("/api/v1/expedite-criteria/?on=2020-01-01")
    assert response.status_code == 200
    assert sorted(c["code"] for c in response.data) == [
        "humanitarian",
        "severe_financial_loss",
        "us_government_interests",
        "uscis_error",
    ]
    assert {c["version"] for c in response.data} == {"2019-05"}


def test_premium_form_is_refused_with_a_stable_code(make_client: Clients) -> None:
    client, _user = make_client(Role.TIER1)
    case = make_case(form="I-765")
    before = row_counts()
    response = client.post(
        "/api/v1/service-requests/", expedite_body(case.receipt_number), format="json"
    )
    assert response.status_code == 400
    assert response.data["code"] == "expedite_not_available"
    assert row_counts() == before
    ok = client.post(
        "/api/v1/service-requests/",
        expedite_body(case.receipt_number, criterion="nonprofit"),
        format="json",
    )
    assert ok.status_code == 201


def test_decision_by_the_office_holding_the_case(
    make_client: Clients, submitted: tuple[str, User]
) -> None:
    reference, _user = submitted
    url = f"/api/v1/service-requests/{reference}/expedite/decision/"
    other, _ = make_client(Role.SUPERVISOR, offices=["CSC"])
    refused = other.post(url, {"approved": True}, format="json")
    assert (refused.status_code, refused.data["code"]) == (403, "permission_denied")
    assert ExpediteRequest.objects.get().status == "pending"
    office, officer = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    no_reason = office.post(url, {"approved": False}, format="json")
    assert (no_reason.status_code, no_reason.data["code"]) == (400, "reason_required")
    denied = office.post(url, {"approved": False, "reason": "No evidence."}, format="json")
    assert denied.status_code == 200
    assert (denied.data["status"], denied.data["decided_by"]) == ("denied", officer.username)
    again = office.post(url, {"approved": True}, format="json")
    assert (again.status_code, again.data["code"]) == (409, "already_decided")
    detail = office.get(f"/api/v1/service-requests/{reference}/")
    assert detail.data["status"] == "closed"
    assert [r["kind"] for r in detail.data["responses"]] == ["final"]
    shown = office.get(f"/api/v1/service-requests/{reference}/expedite/")
    assert shown.data["criterion"]["code"] == "severe_financial_loss"


def test_attachment_upload_and_audited_download(
    make_client: Clients, submitted: tuple[str, User], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    reference, user = submitted
    client = APIClient()
    client.force_authenticate(user)
    url = f"/api/v1/service-requests/{reference}/attachments/"
    bad = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"GIF89a")}, format="multipart")
    assert (bad.status_code, bad.data["code"]) == (400, "invalid_attachment")
    assert Attachment.objects.count() == 0
    created = client.post(url, {"file": SimpleUploadedFile("letter.pdf", PDF)}, format="multipart")
    assert created.status_code == 201
    assert created.data["content_type"] == "application/pdf"
    listed = client.get(url)
    assert [a["original_name"] for a in listed.data] == ["letter.pdf"]
    download = client.get(f"{url}{created.data['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert AuditEvent.objects.filter(action="service_request.attachment_viewed").count() == 1
    outsider, _ = make_client(Role.OFFICE_STAFF, offices=["NSC"])
    assert outsider.get(f"{url}{created.data['id']}/").status_code == 404
    assert client.get(f"{url}999999/").status_code == 404
