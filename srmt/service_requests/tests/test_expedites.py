"""Expedite requests: criteria versions, intake checks, the decision and attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.notifications.models import Notification
from srmt.service_requests import attachments, expedites, services
from srmt.service_requests.errors import (
    AlreadyDecided,
    CaseRequired,
    ExpediteDetailsRequired,
    ExpediteNotAvailable,
    InvalidAttachment,
    InvalidExpedite,
    ReasonRequired,
    TooManyAttachments,
)
from srmt.service_requests.models import (
    Attachment,
    ExpediteCriterion,
    ExpediteRequest,
    ServiceRequest,
)
from srmt.service_requests.policies import PermissionDenied
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import counts, snapshot
from srmt.testing.factories import make_case, make_user

PDF = b"%PDF-1.7\n" + b"x" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"y" * 50


def submission(receipt_number: str, **expedite: Any) -> services.Submission:
    return services.Submission(
        type="expedite_request",
        channel="phone_tier1",
        description="Caller asks to expedite the case.",
        receipt_number=receipt_number,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language="es"),
        expedite=expedites.ExpediteData(**expedite) if expedite else None,
    )


@pytest.fixture
def tier1(reference: None) -> User:
    return make_user("tier1", role=Role.TIER1)


def submit_expedite(actor: User, *, form: str = "I-130", criterion: str = "severe_financial_loss"):
    case = make_case(form=form)
    sr, _created = services.submit_request(
        submission(case.receipt_number, criterion=criterion, justification="Job loss in May."),
        actor=actor,
    )
    return sr


def test_seeded_criteria_versions(reference: None) -> None:
    def codes(day: dt.date) -> list[str]:
        return sorted(c.code for c in expedites.criteria_in_force(day))

    assert len(codes(dt.date(2018, 1, 1))) == 7
    assert codes(dt.date(2020, 1, 1)) == [
        "humanitarian",
        "severe_financial_loss",
        "us_government_interests",
        "uscis_error",
    ]
    assert codes(dt.date(2026, 11, 2)) == [
        "emergency_humanitarian",
        "nonprofit",
        "severe_financial_loss",
        "us_government_interests",
        "uscis_error",
    ]
    premium = ExpediteCriterion.objects.filter(allowed_for_premium_processing=True)
    assert [(c.code, c.version) for c in premium] == [("nonprofit", "2021-06")]


def test_expedite_is_recorded_with_its_criterion(tier1: User, clock: Any) -> None:
    sr = submit_expedite(tier1)
    expedite = ExpediteRequest.objects.get(service_request=sr)
    assert (expedite.criterion.code, expedite.criterion.version) == (
        "severe_financial_loss",
        "2021-06",
    )
    assert expedite.justification == "Job loss in May."
    assert expedite.status == "pending"
    assert sr.office.code == "ESC"
    assert AuditEvent.objects.filter(action="expedite.requested", object_id=sr.reference).count()


@pytest.mark.parametrize(
    ("_case", "form", "criterion", "error"),
    [
        ("premium form, financial loss", "I-129", "severe_financial_loss", ExpediteNotAvailable),
        ("old criterion no longer in force", "I-130", "dod_national_interest", InvalidExpedite),
        ("unknown criterion", "I-130", "because", InvalidExpedite),
    ],
)
def test_refused_expedites_change_nothing(
    tier1: User, clock: Any, _case: str, form: str, criterion: str, error: type[Exception]
) -> None:
    case = make_case(form=form)
    before = counts()
    with pytest.raises(error):
        services.submit_request(
            submission(case.receipt_number, criterion=criterion, justification="Urgent."),
            actor=tier1,
        )
    assert counts() == before
    assert ExpediteRequest.objects.count() == 0


def test_premium_form_accepts_the_nonprofit_criterion(tier1: User, clock: Any) -> None:
    sr = submit_expedite(tier1, form="I-129", criterion="nonprofit")
    assert sr.expedite.criterion.code == "nonprofit"


def test_expedite_needs_details_and_a_case(tier1: User, clock: Any) -> None:
    case = make_case()
    before = counts()
    with pytest.raises(ExpediteDetailsRequired):
        services.submit_request(submission(case.receipt_number), actor=tier1)
    with pytest.raises(CaseRequired):
        services.submit_request(
            submission("EAC2190099999", criterion="uscis_error", justification="Wrong name."),
            actor=tier1,
        )
    assert counts() == before


def test_expedite_details_refused_on_other_types(tier1: User, clock: Any) -> None:
    case = make_case()
    data = submission(case.receipt_number, criterion="uscis_error", justification="x")
    data = services.Submission(**{**data.__dict__, "type": "general_case_inquiry"})
    with pytest.raises(InvalidExpedite) as excinfo:
        services.submit_request(data, actor=tier1)
    assert excinfo.value.field == "expedite"
    assert ServiceRequest.objects.count() == 0


def test_office_of_the_case_approves_and_customer_is_told(
    tier1: User, officer: User, clock: Any
) -> None:
    sr = submit_expedite(tier1)
    expedite = expedites.decide_expedite(sr, actor=officer, approved=True, reason="")
    sr.refresh_from_db()
    assert (expedite.status, expedite.decided_by) == ("approved", officer)
    assert expedite.decided_at == dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
    assert sr.status == "closed"
    response = sr.responses.get()
    assert response.kind == "final"
    assert response.body == expedites.decision_text(sr, expedite)
    assert sr.receipt_number in response.body
    notification = Notification.objects.exclude(kind="acknowledgement").get(
        related_reference=sr.reference
    )
    assert notification.language == "es"
    assert notification.to_address == "ana@example.com"


def test_denial_needs_a_reason_and_is_sent(tier1: User, officer: User, clock: Any) -> None:
    sr = submit_expedite(tier1)
    before = snapshot(sr)
    with pytest.raises(ReasonRequired):
        expedites.decide_expedite(sr, actor=officer, approved=False, reason="  ")
    assert snapshot(sr) == before
    assert ExpediteRequest.objects.get(service_request=sr).status == "pending"
    expedite = expedites.decide_expedite(
        sr, actor=officer, approved=False, reason="No evidence of the loss."
    )
    assert expedite.status == "denied"
    assert expedite.decision_reason == "No evidence of the loss."
    assert "No evidence of the loss." in sr.responses.get().body


def test_decided_once(tier1: User, officer: User, clock: Any) -> None:
    sr = submit_expedite(tier1)
    expedites.decide_expedite(sr, actor=officer, approved=True)
    before = snapshot(sr)
    with pytest.raises(AlreadyDecided):
        expedites.decide_expedite(sr, actor=officer, approved=False, reason="Changed my mind.")
    assert snapshot(sr) == before
    assert ExpediteRequest.objects.get(service_request=sr).status == "approved"


@pytest.mark.parametrize(
    ("_case", "role", "offices"),
    [
        ("supervisor of another office", Role.SUPERVISOR, ["CSC"]),
        ("administrator (national, no office)", Role.ADMINISTRATOR, []),
        ("office staff elsewhere", Role.OFFICE_STAFF, ["NSC"]),
        ("tier 1 at the office (cannot respond)", Role.TIER1, ["ESC"]),
    ],
)
def test_only_the_office_holding_the_case_decides(
    tier1: User, clock: Any, _case: str, role: str, offices: list[str]
) -> None:
    sr = submit_expedite(tier1)
    actor = make_user(role=role, offices=offices, is_1367_cleared=True)
    before = snapshot(sr)
    with pytest.raises(PermissionDenied):
        expedites.decide_expedite(sr, actor=actor, approved=True)
    assert snapshot(sr) == before
    assert ExpediteRequest.objects.get(service_request=sr).status == "pending"


def test_not_an_expedite(officer: User, clock: Any) -> None:
    from srmt.testing.factories import make_service_request

    sr = make_service_request()
    before = snapshot(sr)
    with pytest.raises(InvalidExpedite):
        expedites.decide_expedite(sr, actor=officer, approved=True)
    assert snapshot(sr) == before


# --- attachments ---------------------------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_attachment_is_stored_under_a_random_name(tier1: User, clock: Any, media: Any) -> None:
    sr = submit_expedite(tier1)
    attachment = attachments.add_attachment(
        sr, actor=tier1, upload=SimpleUploadedFile("../evidence letter.pdf", PDF)
    )
    assert attachment.original_name == "evidence letter.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert len(attachment.sha256) == 64
    assert "evidence" not in attachment.file.name
    assert attachment.file.name.startswith("attachments/")
    with attachment.file.open("rb") as fh:
        assert fh.read() == PDF


@pytest.mark.parametrize(
    ("_case", "content"),
    [
        ("executable renamed to pdf", b"MZ\x90\x00" + b"z" * 20),
        ("empty file", b""),
        ("html", b"<html><script>alert(1)</script>"),
    ],
)
def test_attachment_refused_by_content(
    tier1: User, clock: Any, media: Any, _case: str, content: bytes
) -> None:
    sr = submit_expedite(tier1)
    before = snapshot(sr)
    with pytest.raises(InvalidAttachment):
        attachments.add_attachment(sr, actor=tier1, upload=SimpleUploadedFile("a.pdf", content))
    assert snapshot(sr) == before
    assert Attachment.objects.count() == 0
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_attachment_size_and_count_limits(
    tier1: User, clock: Any, media: Any, monkeypatch: Any
) -> None:
    sr = submit_expedite(tier1)
    big = SimpleUploadedFile("big.png", PNG + b"0" * (10 * 1024 * 1024))
    with pytest.raises(InvalidAttachment):
        attachments.add_attachment(sr, actor=tier1, upload=big)
    for number in range(10):
        attachments.add_attachment(sr, actor=tier1, upload=SimpleUploadedFile(f"{number}.png", PNG))
    before = snapshot(sr)
    with pytest.raises(TooManyAttachments):
        attachments.add_attachment(sr, actor=tier1, upload=SimpleUploadedFile("x.png", PNG))
    assert snapshot(sr) == before
    assert Attachment.objects.filter(service_request=sr).count() == 10
