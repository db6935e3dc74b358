"""Secure messages on the staff request page (ADR 45): who sees and answers which thread
(a 1367 thread only for cleared staff of the VAWA/T/U unit; 404 for everyone else), the
one-time submission token, the unread count on the request page, file downloads."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from srmt.messaging import services
from srmt.messaging.models import Message, MessageAttachment
from srmt.messaging.tests.world import EXE, PDF, World, counts, make_world, upload
from srmt.notifications.choices import MessageKind
from srmt.notifications.models import Notification
from srmt.staff import submissions
from srmt.staff.tests.conftest import StaffClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _message_files(settings, tmp_path):
    settings.SRMT_MESSAGE_FILES_ROOT = tmp_path / "messages"


@pytest.fixture
def world(db) -> World:
    return make_world()


def _threads(world: World):
    ordinary = services.start_thread(
        world.alice,
        subject="Interview",
        body="When?",
        service_request=world.sr_a,
        uploads=[upload("a.pdf", PDF)],
    )
    protected = services.start_thread(
        world.carla, subject="Safe", body="Any news?", case=world.case_p
    )
    return ordinary, protected


# (page of sr_a, page of sr_p): the status and the threads listed.
PAGES = {
    "tier1": ((200, ["Interview"]), (404, None)),
    "tier2": ((200, ["Interview"]), (404, None)),
    "cleared": ((200, ["Interview"]), (200, [])),  # sees the request, not the 1367 thread
    "vawa": ((404, None), (200, ["Safe"])),
    "vawa_uncleared": ((404, None), (404, None)),
    "analyst": ((404, None), (404, None)),
}


@pytest.mark.parametrize("who", sorted(PAGES))
def test_who_sees_which_threads(world, who):
    _threads(world)
    client = StaffClient(world.staff[who])
    for sr, (status, subjects) in zip((world.sr_a, world.sr_p), PAGES[who], strict=True):
        response = client.get(reverse("staff:request-messages", args=[sr.reference]))
        assert response.status_code == status, sr.reference
        if subjects is not None:
            assert [row["thread"].subject for row in response.context["rows"]] == subjects


def test_answer_goes_through_the_gate_once(world):
    ordinary, _protected = _threads(world)
    client = Client()
    client.force_login(world.staff["tier2"])
    url = reverse("staff:request-messages", args=[world.sr_a.reference])
    token = submissions.mint(world.staff["tier2"])
    data = {"thread": ordinary.pk, "body": "On 5 May.", submissions.TOKEN_FIELD: token}
    first = client.post(url, data)
    assert first.status_code == 302
    before = counts()
    again = client.post(url, data)  # Back and submit again
    assert again.status_code == 302
    assert counts() == before
    assert Message.objects.filter(thread=ordinary, from_agency=True).count() == 1
    assert Notification.objects.filter(kind=MessageKind.MESSAGE_WAITING).count() == 1


def test_answer_without_token_is_refused_and_changes_nothing(world):
    ordinary, _protected = _threads(world)
    client = Client()
    client.force_login(world.staff["tier2"])
    before = counts()
    response = client.post(
        reverse("staff:request-messages", args=[world.sr_a.reference]),
        {"thread": ordinary.pk, "body": "Hi."},
    )
    assert response.status_code == 400
    assert counts() == before


def test_tier1_sees_but_may_not_answer(world):
    ordinary, _protected = _threads(world)
    client = StaffClient(world.staff["tier1"])
    page = client.get(reverse("staff:request-messages", args=[world.sr_a.reference]))
    assert page.context["may_answer"] is False
    before = counts()
    response = client.post(
        reverse("staff:request-messages", args=[world.sr_a.reference]),
        {"thread": ordinary.pk, "body": "Hi."},
    )
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize("who", ["tier2", "cleared", "esc"])
def test_posting_to_a_1367_thread_through_another_request_is_404(world, who):
    _ordinary, protected = _threads(world)
    client = StaffClient(world.staff[who])
    before = counts()
    response = client.post(
        reverse("staff:request-messages", args=[world.sr_a.reference]),
        {"thread": protected.pk, "body": "Hi."},
    )
    assert response.status_code == 404
    assert counts() == before


def test_vawa_unit_answers_the_protected_thread(world):
    _ordinary, protected = _threads(world)
    client = StaffClient(world.staff["vawa"])
    response = client.post(
        reverse("staff:request-messages", args=[world.sr_p.reference]),
        {"thread": protected.pk, "body": "We are working on it."},
    )
    assert response.status_code == 302
    notice = Notification.objects.get(kind=MessageKind.MESSAGE_WAITING)
    assert (notice.to_address, notice.is_confidential) == ("safe.contact@example.org", True)


def test_bad_file_on_an_answer_is_a_form_error(world):
    ordinary, _protected = _threads(world)
    client = StaffClient(world.staff["tier2"])
    before = counts()
    response = client.post(
        reverse("staff:request-messages", args=[world.sr_a.reference]),
        {"thread": ordinary.pk, "body": "See file.", "attachment": upload("x.pdf", EXE)},
    )
    assert response.status_code == 400
    [row] = response.context["rows"]
    assert row["form"].errors == {
        "attachment": ["We can only accept PDF, JPEG or PNG files. Please attach one of those."]
    }
    assert counts() == before


def test_request_page_shows_the_unread_count_until_opened(world):
    _threads(world)
    client = StaffClient(world.staff["tier2"])
    detail = reverse("staff:request-detail", args=[world.sr_a.reference])
    assert client.get(detail).context["message_unread"] == 1
    client.get(reverse("staff:request-messages", args=[world.sr_a.reference]))
    assert client.get(detail).context["message_unread"] == 0


@pytest.mark.parametrize(("who", "status"), [("tier2", 200), ("esc", 404), ("vawa", 404)])
def test_staff_download(world, who, status):
    _threads(world)
    attachment = MessageAttachment.objects.get()
    response = StaffClient(world.staff[who]).get(
        reverse("staff:message-attachment", args=[attachment.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_held_answer_is_marked_held_for_staff(world, settings):
    settings.SRMT_RELEASE_POLICY = "srmt.notifications.delivery.HoldAll"
    ordinary, _protected = _threads(world)
    services.send_message(world.staff["tier2"], ordinary, body="Held answer.")
    page = StaffClient(world.staff["tier2"]).get(
        reverse("staff:request-messages", args=[world.sr_a.reference])
    )
    [row] = page.context["rows"]
    assert [(m.body, m.held) for m in row["conversation"]] == [
        ("When?", False),
        ("Held answer.", True),
    ]
    assert "Held: the customer does not see it yet" in page.content.decode()
