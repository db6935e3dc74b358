"""Staff pages: expedite details at intake, the repeat prompt, the decision and evidence."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.service_requests.models import Attachment, ExpediteRequest, ServiceRequest
from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import make_case, make_service_request, make_user

PDF = b"%PDF-1.5\n" + b"q" * 40
FORM = {
    "receipt_number": "EAC2190012345",
    "type": "general_case_inquiry",
    "channel": "phone_tier1",
    "urgency": "normal",
    "description": "Caller asks about the interview again.",
    "requester_name": "Luis Gómez",
    "requester_email": "luis@example.com",
    "requester_phone": "802-555-0123",
    "requester_language": "es",
}


def test_intake_records_an_expedite_with_its_criterion(tier1: Any) -> None:
    make_case("EAC2190012345", form="I-130")
    data = {
        **FORM,
        "type": "expedite_request",
        "expedite_criterion": "emergency_humanitarian",
        "expedite_justification": "Surgery abroad next month.",
        "expedite_customer_deadline": "2099-01-31",
        "expedite_evidence": "A letter from the hospital.",
    }
    response = client_for(tier1).post("/staff/intake/new/", data)
    sr = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert (sr.expedite.criterion.code, sr.expedite.justification) == (
        "emergency_humanitarian",
        "Surgery abroad next month.",
    )


def test_intake_shows_the_expedite_refusal_next_to_the_criterion(tier1: Any) -> None:
    make_case("EAC2190012345", form="I-765")
    data = {
        **FORM,
        "type": "expedite_request",
        "expedite_criterion": "severe_financial_loss",
        "expedite_justification": "Job loss.",
        "expedite_customer_deadline": "2099-01-31",
        "expedite_evidence": "A letter from the employer.",
    }
    response = client_for(tier1).post("/staff/intake/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "expedite_criterion": [
            "Form I-765 can use premium processing, so it is not expedited, except at the "
            "request of a nonprofit organization."
        ]
    }
    assert ServiceRequest.objects.count() == 0


def test_intake_asks_about_repeats_and_links_the_choice(tier1: Any) -> None:
    make_case("EAC2190012345")
    original = make_service_request(actor=tier1, receipt_number="EAC2190012345")
    client = client_for(tier1)
    asked = client.post("/staff/intake/new/", FORM)
    assert asked.status_code == 200
    assert asked.context["repeat_form"].errors == {
        "repeat": ["Choose whether this is a new request or a repeat."]
    }
    assert [c for c, _label in asked.context["repeat_form"].fields["repeat"].choices] == [
        f"link:{original.reference}",
        f"merge:{original.reference}",
        "new",
    ]
    assert ServiceRequest.objects.count() == 1
    assert asked.context["repeat_form"].case_repeat_count == 0
    linked = client.post("/staff/intake/new/", {**FORM, "repeat": f"link:{original.reference}"})
    assert linked.status_code == 302
    new = ServiceRequest.objects.exclude(pk=original.pk).get()
    assert (new.repeat_of, new.repeat_count) == (original, 1)
    merged = client.post("/staff/intake/new/", {**FORM, "repeat": f"merge:{original.reference}"})
    assert merged.status_code == 302
    assert ServiceRequest.objects.filter(status="merged", duplicate_of=original).count() == 1
    fresh = client.post("/staff/intake/new/", {**FORM, "repeat": "new"})
    assert fresh.status_code == 302
    assert ServiceRequest.objects.filter(repeat_of__isnull=True).count() == 2


@pytest.fixture
def expedite_sr(tier1: Any) -> ServiceRequest:
    return make_service_request(
        actor=tier1, type="expedite_request", receipt_number=make_case(office="ESC").receipt_number
    )


def test_office_staff_decide_on_the_expedite_page(
    esc_staff: Any, expedite_sr: ServiceRequest
) -> None:
    supervisor = make_user("csc.supervisor", role=Role.SUPERVISOR, offices=["CSC"])
    url = f"/staff/requests/{expedite_sr.reference}/expedite/"
    page = client_for(esc_staff).get(url)
    assert page.status_code == 200
    assert page.context["decision_form"] is not None
    assert client_for(supervisor).get(url).context["decision_form"] is None
    refused = client_for(supervisor).post(f"{url}decide/", {"decision": "approve"})
    assert refused.status_code == 403
    assert ExpediteRequest.objects.get().status == "pending"
    no_reason = client_for(esc_staff).post(f"{url}decide/", {"decision": "deny"})
    assert no_reason.status_code == 400
    assert no_reason.context["decision_form"].errors == {
        "reason": ["Give the reason for the denial."]
    }
    done = client_for(esc_staff).post(f"{url}decide/", {"decision": "deny", "reason": "No proof."})
    assert done.status_code == 302
    expedite_sr.refresh_from_db()
    assert (expedite_sr.expedite.status, expedite_sr.status) == ("denied", "closed")


def test_evidence_upload_and_download(
    tier1: Any, esc_staff: Any, expedite_sr: ServiceRequest, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(tier1)
    url = f"/staff/requests/{expedite_sr.reference}/attachments/"
    bad = client.post(url, {"file": SimpleUploadedFile("notes.txt", b"hello")})
    assert bad.status_code == 400
    assert bad.context["upload_form"].errors == {"file": ["Attach a PDF, JPEG or PNG file."]}
    ok = client.post(url, {"file": SimpleUploadedFile("proof.pdf", PDF)})
    assert ok.status_code == 302
    attachment = Attachment.objects.get()
    download = client_for(esc_staff).get(f"{url}{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="service_request.attachment_viewed").count() == 1
