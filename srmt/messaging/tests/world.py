"""The people and cases of the messaging tests (ADR 45), built by `make_world`.

alice and bob are customers with a case each; carla a VAWA self-petitioner (a 1367 case);
rita an attorney with a Form G-28 on alice's case, ray one without any; staff: tier1 (may
see, may not answer), tier2 (national, answers), esc (office staff of ESC), cleared (a
1367-cleared tier 2 outside the VAWA unit), vawa (1367-cleared office staff of ESC-VAWA),
vawa_uncleared (ESC-VAWA, not cleared), analyst (no view)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.choices import PartyRole
from srmt.cases.models import Case, CaseParty, Person
from srmt.messaging.models import Message, MessageAttachment, Thread
from srmt.notifications.models import Notification
from srmt.service_requests.models import ServiceRequest
from srmt.testing.factories import (
    make_case,
    make_customer,
    make_representative,
    make_service_request,
    make_user,
)

PDF = b"%PDF-1.4\n" + b"p" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 32
EXE = b"MZ\x90\x00" + b"\0" * 64


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class World:
    alice: User
    bob: User
    carla: User
    rita: User
    ray: User
    staff: dict[str, User]
    case_a: Case
    case_b: Case
    case_p: Case
    sr_a: ServiceRequest
    sr_b: ServiceRequest
    sr_p: ServiceRequest


def _party(case: Case, name: str, email: str) -> Person:
    person = Person.objects.create(name=name, email=email)
    CaseParty.objects.create(case=case, person=person, role=PartyRole.APPLICANT)
    return person


def make_world() -> World:
    case_a = make_case("WAC2190000101", office="CSC")
    case_b = make_case("WAC2190000102", office="CSC")
    case_p = make_case("EAC2190000103", office="ESC", form="I-360", is_protected=True)
    # The abuser may know the contact details on the case: they must never be used.
    pa = _party(case_a, "Alice A", "alice.case@example.com")
    pb = _party(case_b, "Bob B", "bob.case@example.com")
    pc = _party(case_p, "Carla C", "known.to.abuser@example.com")
    # Each filed online: the full online account, messages included (ADR 43, revised).
    alice = make_customer("alice", people=[pa], filed_online=[case_a])
    bob = make_customer("bob", people=[pb], filed_online=[case_b])
    carla = make_customer("carla", people=[pc], filed_online=[case_p])
    carla.email = "safe.contact@example.org"
    carla.language = "es"
    carla.save(update_fields=["email", "language"])
    rita = make_representative("rita", cases=[case_a], accepted_on=dt.date(2026, 3, 2))
    ray = make_representative("ray")
    staff = {
        "tier1": make_user("s_tier1", role=Role.TIER1),
        "tier2": make_user("s_tier2", role=Role.TIER2),
        "esc": make_user("s_esc", role=Role.OFFICE_STAFF, offices=["ESC"]),
        "cleared": make_user("s_cleared", role=Role.TIER2, is_1367_cleared=True),
        "vawa": make_user(
            "s_vawa", role=Role.OFFICE_STAFF, offices=["ESC-VAWA"], is_1367_cleared=True
        ),
        "vawa_uncleared": make_user("s_vawa_u", role=Role.OFFICE_STAFF, offices=["ESC-VAWA"]),
        "analyst": make_user("s_analyst", role=Role.ANALYST),
    }
    creator = make_user("s_admin", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    sr_a = make_service_request(actor=creator, receipt_number=case_a.receipt_number)
    sr_b = make_service_request(actor=creator, receipt_number=case_b.receipt_number)
    sr_p = make_service_request(actor=creator, receipt_number=case_p.receipt_number)
    for sr, account in ((sr_a, alice), (sr_b, bob), (sr_p, carla)):
        ServiceRequest.objects.filter(pk=sr.pk).update(created_by=account)
        sr.refresh_from_db()
    return World(alice, bob, carla, rita, ray, staff, case_a, case_b, case_p, sr_a, sr_b, sr_p)


def counts() -> dict[str, int]:
    """Every row a messaging action can write: compare before and after a refusal."""
    return {
        "threads": Thread.objects.count(),
        "messages": Message.objects.count(),
        "attachments": MessageAttachment.objects.count(),
        "unread": Message.objects.filter(read_at__isnull=True).count(),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
    }
