"""Secure messaging's services (ADR 45): who may start, read and answer a thread; the
delivery gate (held messages invisible, the notice says nothing); 8 U.S.C. 1367 routing and
the safe contact; files judged by content, the size limit and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from srmt.audit.models import AuditEvent
from srmt.messaging import access, files, services
from srmt.messaging.errors import EmptyMessage, InvalidMessageFile, NotAllowedToMessage
from srmt.messaging.models import Message, MessageAttachment, Thread
from srmt.messaging.tests.world import EXE, JPEG, PDF, PNG, World, counts, upload
from srmt.notifications import delivery
from srmt.notifications.choices import DeliveryStatus, MessageKind
from srmt.notifications.models import Notification
from srmt.service_requests import policies

pytestmark = pytest.mark.django_db


def _thread(world: World, who: str = "alice", about: str = "case_a") -> Thread:
    account = getattr(world, who)
    target = getattr(world, about)
    kwargs = {"service_request": target} if about.startswith("sr_") else {"case": target}
    return services.start_thread(
        account, subject="Interview date", body="When is my interview?", **kwargs
    )


# Who may start a thread about what: (account, target) -> allowed.
START = [
    ("alice", "case_a", True),
    ("alice", "sr_a", True),
    ("alice", "case_b", False),
    ("alice", "sr_b", False),
    ("alice", "case_p", False),
    ("bob", "case_a", False),
    ("bob", "case_b", True),
    ("rita", "case_a", True),
    ("rita", "sr_a", True),
    ("rita", "case_b", False),
    ("ray", "case_a", False),
    ("ray", "sr_a", False),
    ("carla", "case_p", True),
    ("carla", "sr_p", True),
]


@pytest.mark.parametrize(("who", "about", "allowed"), START)
def test_who_may_start_a_thread(world, who, about, allowed):
    before = counts()
    if allowed:
        thread = _thread(world, who, about)
        assert thread.started_by == getattr(world, who)
        assert Message.objects.filter(thread=thread, from_agency=False).count() == 1
        assert thread.is_protected is about.endswith("_p")
    else:
        with pytest.raises(NotAllowedToMessage):
            _thread(world, who, about)
        assert counts() == before


@pytest.mark.parametrize("who", ["tier1", "tier2", "vawa", "analyst"])
def test_staff_never_start_a_thread(world, who):
    before = counts()
    with pytest.raises(NotAllowedToMessage):
        services.start_thread(world.staff[who], subject="S", body="B", case=world.case_a)
    assert counts() == before


# Who sees (and may write in) alice's case thread and carla's protected thread.
SEES = {
    # account: (alice's thread, carla's 1367 thread)
    "alice": (True, False),
    "bob": (False, False),
    "rita": (True, False),
    "ray": (False, False),
    "carla": (False, True),
    "tier1": (True, False),
    "tier2": (True, False),
    "esc": (False, False),  # CSC holds alice's case; ESC does not
    "cleared": (True, False),  # cleared, but not of the VAWA/T/U unit
    "vawa": (False, True),
    "vawa_uncleared": (False, False),
    "analyst": (False, False),
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_permission_matrix_reading(world, who):
    ordinary = _thread(world, "alice", "case_a")
    protected = _thread(world, "carla", "case_p")
    account = world.staff.get(who) or getattr(world, who)
    expected = SEES[who]
    for thread, allowed in zip((ordinary, protected), expected, strict=True):
        before = counts()
        if allowed:
            assert services.open_thread(account, thread.pk) == thread
        else:
            with pytest.raises(NotAllowedToMessage):
                services.open_thread(account, thread.pk)
            assert counts() == before


# Who may answer: seeing is not enough for staff, they need to respond to customers.
ANSWERS = {"tier1": False, "tier2": True, "cleared": True, "alice": True, "rita": True}


@pytest.mark.parametrize("who", sorted(ANSWERS))
def test_permission_matrix_answering(world, who):
    thread = _thread(world, "alice", "case_a")
    account = world.staff.get(who) or getattr(world, who)
    before = counts()
    if ANSWERS[who]:
        message = services.send_message(account, thread, body="More details.")
        assert message.from_agency is (who in world.staff)
    else:
        with pytest.raises(policies.PermissionDenied):
            services.send_message(account, thread, body="More details.")
        assert counts() == before


@pytest.mark.parametrize("who", ["bob", "ray", "esc", "vawa", "analyst"])
def test_writing_in_an_unseen_thread_is_404_and_changes_nothing(world, who):
    thread = _thread(world, "alice", "case_a")
    account = world.staff.get(who) or getattr(world, who)
    before = counts()
    with pytest.raises(NotAllowedToMessage):
        services.send_message(account, thread, body="Hello")
    assert counts() == before


def test_representative_loses_the_thread_when_the_g28_is_withdrawn(world):
    from srmt.accounts.actors import SYSTEM
    from srmt.cases import links
    from srmt.cases.models import Representation

    thread = _thread(world, "rita", "case_a")
    links.withdraw_representation(
        Representation.objects.get(account=world.rita),
        withdrawn_on=dt.date(2026, 6, 1),
        actor=SYSTEM,
    )
    with pytest.raises(NotAllowedToMessage):
        services.open_thread(world.rita, thread.pk)
    # alice, whose case it is, still sees it
    assert services.open_thread(world.alice, thread.pk) == thread


def test_agency_answer_notifies_the_customer_side_with_nothing_but_a_waiting_message(world):
    thread = _thread(world, "rita", "case_a")
    services.send_message(world.alice, thread, body="I am the applicant.")
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        services.send_message(world.staff["tier2"], thread, body="Your interview is on 5 May.")
    rows = Notification.objects.filter(kind=MessageKind.MESSAGE_WAITING).order_by("to_address")
    assert [r.to_address for r in rows] == ["alice@example.com", "rita@example.com"]
    for row in rows:
        assert row.subject == "You have a new secure message"
        assert row.body == (
            "You have a new secure message in your online account.\n\n"
            "Sign in to read it: http://127.0.0.1:8000/messages/\n\n"
            "For your privacy, we do not put the message in this email."
        )
        for secret in ("5 May", "interview", "WAC2190000101", "I-130", "Interview date"):
            assert secret not in row.subject + row.body
        assert row.related_reference == thread.reference
        assert row.is_confidential is False
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "rita@example.com"]


def test_1367_notice_goes_only_to_the_safe_contact_in_spanish_and_is_confidential(world):
    thread = _thread(world, "carla", "case_p")
    services.send_message(world.staff["vawa"], thread, body="Su entrevista es el 5 de mayo.")
    row = Notification.objects.get(kind=MessageKind.MESSAGE_WAITING)
    assert row.to_address == "safe.contact@example.org"
    assert not Notification.objects.filter(to_address="known.to.abuser@example.com").exists()
    assert row.language == "es"
    assert row.is_confidential is True
    assert row.subject == "Tiene un nuevo mensaje seguro"
    assert "mayo" not in row.body
    assert "EAC2190000103" not in row.body


@pytest.mark.parametrize("who", ["tier1", "tier2", "cleared", "esc", "vawa_uncleared"])
def test_1367_thread_is_answered_only_by_the_cleared_unit(world, who):
    thread = _thread(world, "carla", "case_p")
    before = counts()
    with pytest.raises(NotAllowedToMessage):
        services.send_message(world.staff[who], thread, body="Hello")
    assert counts() == before
    assert list(access.request_threads(world.staff[who], world.sr_p)) == []


def test_held_agency_message_is_invisible_until_released(world, settings):
    settings.SRMT_RELEASE_POLICY = "srmt.notifications.delivery.HoldAll"
    thread = _thread(world, "alice", "case_a")
    message = services.send_message(world.staff["tier2"], thread, body="Answer.")
    notice = Notification.objects.get(kind=MessageKind.MESSAGE_WAITING)
    assert notice.status == DeliveryStatus.HELD
    assert message not in access.messages_for(world.alice, thread)
    assert access.unread_total(world.alice) == 0
    # staff see what they wrote
    assert message in access.messages_for(world.staff["tier2"], thread)
    settings.SRMT_RELEASE_POLICY = "srmt.notifications.delivery.ReleaseNow"
    assert delivery.release([notice.pk], actor=None) == [notice.pk]
    assert message in access.messages_for(world.alice, thread)
    assert access.unread_total(world.alice) == 1
    services.open_thread(world.alice, thread.pk)
    assert access.unread_total(world.alice) == 0


def test_unread_counts_per_side(world):
    thread = _thread(world, "alice", "case_a")
    services.send_message(world.alice, thread, body="Another thing.")
    staff = world.staff["tier2"]
    assert access.unread_on_request(staff, world.sr_a) == 2  # a case thread shows on sr_a
    assert access.unread_on_request(staff, world.sr_b) == 0
    services.open_thread(staff, thread.pk)
    assert access.unread_on_request(staff, world.sr_a) == 0
    services.send_message(staff, thread, body="Answer.")
    assert access.unread_total(world.alice) == 1
    assert access.unread_total(world.rita) == 1  # the representative on the case, too
    assert access.unread_total(world.bob) == 0


def test_empty_message_refused(world):
    before = counts()
    with pytest.raises(EmptyMessage):
        services.start_thread(world.alice, subject="S", body="   ", case=world.case_a)
    assert counts() == before


# --- files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("letter.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("scan.png", PDF, "application/pdf"),  # named .png, judged a PDF by its content
        ("notes.pdf", b"just some text, not a PDF", None),
        ("invoice.pdf", EXE, None),  # a renamed program
        ("anim.gif", b"GIF89a" + b"\0" * 32, None),
    ],
)
def test_file_type_is_judged_by_content(name, content, expected):
    assert files.content_type_of(content) == expected


@given(st.binary(min_size=1, max_size=64))
@hsettings(max_examples=200, deadline=None)
def test_only_the_three_formats_are_ever_accepted(head):
    assert files.content_type_of(head) in {None, "application/pdf", "image/jpeg", "image/png"}


def test_upload_is_stored_outside_the_web_root_and_audited(world, message_files):
    thread = _thread(world, "alice", "case_a")
    message = services.send_message(
        world.alice, thread, body="Here it is.", uploads=[upload("scan.png", PDF, "image/png")]
    )
    attachment = MessageAttachment.objects.get(message=message)
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "scan.png"
    assert attachment.size == len(PDF)
    path = message_files / attachment.file.name
    assert path.read_bytes() == PDF
    assert "scan" not in attachment.file.name
    event = AuditEvent.objects.get(action="message.attachment_added")
    assert event.changes["attachment_id"] == attachment.pk
    assert event.changes["content_type"] == "application/pdf"


def test_renamed_program_refused_and_nothing_written(world, message_files):
    thread = _thread(world, "alice", "case_a")
    before = counts()
    with pytest.raises(InvalidMessageFile):
        services.send_message(world.alice, thread, body="x", uploads=[upload("doc.pdf", EXE)])
    assert counts() == before
    assert [p for p in message_files.rglob("*") if p.is_file()] == []


def test_size_limit_is_ten_megabytes(world):
    thread = _thread(world, "alice", "case_a")
    at_limit = PDF + b"0" * (files.MAX_FILE_BYTES - len(PDF))
    over = at_limit + b"0"
    assert len(over) == 10 * 1024 * 1024 + 1
    services.send_message(world.alice, thread, body="ok", uploads=[upload("a.pdf", at_limit)])
    before = counts()
    with pytest.raises(InvalidMessageFile) as refused:
        services.send_message(world.alice, thread, body="big", uploads=[upload("b.pdf", over)])
    assert refused.value.message == "Files can be at most 10 MB. This one is 10.0 MB."
    assert counts() == before


def test_download_has_safe_headers_and_is_audited(world):
    thread = _thread(world, "alice", "case_a")
    message = services.send_message(
        world.alice, thread, body="x", uploads=[upload("photo.jpg", JPEG, "image/jpeg")]
    )
    attachment = message.attachments.get()
    response = services.download(world.staff["tier2"], attachment.pk)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="photo.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == JPEG
    event = AuditEvent.objects.get(action="message.attachment_viewed")
    assert event.actor_id == world.staff["tier2"].pk
    assert event.changes == {"attachment_id": attachment.pk}


@pytest.mark.parametrize("who", ["bob", "ray", "esc", "analyst"])
def test_download_refused_to_whoever_may_not_see_the_thread(world, who):
    thread = _thread(world, "alice", "case_a")
    message = services.send_message(world.alice, thread, body="x", uploads=[upload("a.pdf", PDF)])
    account = world.staff.get(who) or getattr(world, who)
    before = counts()
    with pytest.raises(NotAllowedToMessage):
        services.download(account, message.attachments.get().pk)
    assert counts() == before


def test_file_of_a_held_agency_message_is_not_downloadable_by_the_customer(world, settings):
    settings.SRMT_RELEASE_POLICY = "srmt.notifications.delivery.HoldAll"
    thread = _thread(world, "alice", "case_a")
    message = services.send_message(
        world.staff["tier2"], thread, body="See file.", uploads=[upload("a.pdf", PDF)]
    )
    with pytest.raises(NotAllowedToMessage):
        services.download(world.alice, message.attachments.get().pk)
