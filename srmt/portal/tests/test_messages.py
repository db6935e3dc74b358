"""The secure-message pages of the public site (ADR 45): the permission matrix over every
actor kind, two accounts trying each other's threads and files on every route (404, nothing
changed), the pages in English and Spanish with their error states, the menu badge."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from srmt.messaging import services
from srmt.messaging.models import Message, MessageAttachment, Thread
from srmt.messaging.tests.world import EXE, PDF, World, counts, make_world, upload

pytestmark = pytest.mark.django_db

ISOLATION_COVERED = {
    "portal:messages",
    "portal:message-new",
    "portal:message-thread",
    "portal:message-attachment",
}


# The public sign-in (django-allauth) is another part of issue 11: until it lands, public
# sessions are made with Django's model backend, as test_outside_accounts.py does.
PUBLIC_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _message_files(settings, tmp_path):
    settings.SRMT_MESSAGE_FILES_ROOT = tmp_path / "messages"
    if PUBLIC_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PUBLIC_BACKEND]


@pytest.fixture
def world(db) -> World:
    return make_world()


def _client(account: Any | None) -> Client:
    client = Client()
    if account is not None:
        client.force_login(account, backend=None if account.is_agency_staff else PUBLIC_BACKEND)
    return client


def _alice_thread(world: World) -> tuple[Thread, MessageAttachment]:
    thread = services.start_thread(
        world.alice,
        subject="Interview date",
        body="When is my interview?",
        case=world.case_a,
        uploads=[upload("notice.pdf", PDF)],
    )
    return thread, MessageAttachment.objects.get(message__thread=thread)


def _routes(thread: Thread, attachment: MessageAttachment) -> list[tuple[str, str, dict]]:
    return [
        ("GET", reverse("portal:message-thread", args=[thread.pk]), {}),
        ("POST", reverse("portal:message-thread", args=[thread.pk]), {"body": "Let me in"}),
        ("GET", reverse("portal:message-attachment", args=[attachment.pk]), {}),
        ("POST", reverse("portal:message-attachment", args=[attachment.pk]), {}),
    ]


# The answer each kind of actor gets on alice's thread: 200 (GET), 302 after a reply.
MATRIX = {
    "anonymous": ("sign-in", "sign-in", "sign-in"),
    "alice": (200, 302, 200),
    "bob": (404, 404, 404),
    "rita": (200, 302, 200),  # representative with a G-28 on alice's case
    "ray": (404, 404, 404),  # representative without one
    "carla": (404, 404, 404),
    "staff": ("sign-in", "sign-in", "sign-in"),  # staff are nobody on the public pages
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_permission_matrix_on_a_thread(world, who):
    thread, attachment = _alice_thread(world)
    account = (
        None
        if who == "anonymous"
        else world.staff["tier2"]
        if who == "staff"
        else getattr(world, who)
    )
    client = _client(account)
    read, reply, download = MATRIX[who]
    for (method, url, data), expected in zip(
        _routes(thread, attachment)[:3], (read, reply, download), strict=True
    ):
        before = counts()
        response = client.get(url) if method == "GET" else client.post(url, data)
        if expected == "sign-in":
            assert response.status_code == 302
            assert response["Location"].startswith("/account/login/?next=")
            assert counts() == before
        else:
            assert response.status_code == expected, (method, url)
            if expected == 404:
                assert counts() == before


def test_two_customers_cannot_reach_each_others_threads_or_files(world):
    a_thread, a_file = _alice_thread(world)
    b_thread = services.start_thread(
        world.bob,
        subject="Card",
        body="My card did not come.",
        case=world.case_b,
        uploads=[upload("id.pdf", PDF)],
    )
    b_file = MessageAttachment.objects.get(message__thread=b_thread)
    for me, other_thread, other_file in (
        (world.alice, b_thread, b_file),
        (world.bob, a_thread, a_file),
    ):
        client = _client(me)
        for method, url, data in _routes(other_thread, other_file):
            before = counts()
            response = client.get(url) if method == "GET" else client.post(url, data)
            expected = 405 if url.startswith("/messages/files/") and method == "POST" else 404
            assert response.status_code == expected, (me.username, method, url)
            assert counts() == before
        # nor may they start a thread about the other's case or request
        other_case = world.case_b if me == world.alice else world.case_a
        other_sr = world.sr_b if me == world.alice else world.sr_a
        for key in (f"case-{other_case.pk}", f"request-{other_sr.pk}"):
            before = counts()
            response = client.post(
                reverse("portal:message-new"), {"about": key, "subject": "S", "body": "B"}
            )
            assert response.status_code == 404
            assert counts() == before
        inbox = client.get(reverse("portal:messages"))
        assert [row["thread"] for row in inbox.context["rows"]] == (
            [a_thread] if me == world.alice else [b_thread]
        )


def test_start_a_thread_and_reply_with_a_file(world):
    client = _client(world.alice)
    page = client.get(reverse("portal:message-new"))
    assert page.status_code == 200
    keys = [key for key, _label in page.context["form"].fields["about"].choices]
    assert keys == ["", f"case-{world.case_a.pk}", f"request-{world.sr_a.pk}"]
    response = client.post(
        reverse("portal:message-new"),
        {
            "about": f"request-{world.sr_a.pk}",
            "subject": "My interview",
            "body": "When?",
            "attachment": upload("scan.png", PDF, "image/png"),
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:message-thread", args=[thread.pk])
    assert (thread.service_request, thread.case) == (world.sr_a, world.case_a)
    assert MessageAttachment.objects.get().content_type == "application/pdf"
    reply = client.post(
        reverse("portal:message-thread", args=[thread.pk]), {"body": "One more thing."}
    )
    assert reply.status_code == 302
    assert Message.objects.filter(thread=thread).count() == 2


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"body": ""}, "body", "Write your message."),
        (
            {"body": "x", "attachment": ("invoice.pdf", EXE)},
            "attachment",
            "We can only accept PDF, JPEG or PNG files. Please attach one of those.",
        ),
    ],
)
def test_reply_errors_are_plain_and_change_nothing(world, data, field, error):
    thread, _file = _alice_thread(world)
    if "attachment" in data:
        name, content = data["attachment"]
        data = {**data, "attachment": upload(name, content)}
    client = _client(world.alice)
    before = counts()
    response = client.post(reverse("portal:message-thread", args=[thread.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [error]}
    assert counts() == before


def test_too_big_a_file_is_refused_on_the_page(world):
    thread, _file = _alice_thread(world)
    big = PDF + b"0" * (10 * 1024 * 1024 + 1 - len(PDF))
    client = _client(world.alice)
    before = counts()
    response = client.post(
        reverse("portal:message-thread", args=[thread.pk]),
        {"body": "big", "attachment": upload("big.pdf", big)},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "attachment": ["Files can be at most 10 MB. This one is 10.0 MB."]
    }
    assert counts() == before


def test_download_headers(world):
    _thread, attachment = _alice_thread(world)
    response = _client(world.rita).get(reverse("portal:message-attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="notice.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_the_list_is_audited_protected_threads_one_row_each(world):
    from srmt.audit.models import AuditEvent

    services.start_thread(world.carla, subject="A", body="B", case=world.case_p)
    services.start_thread(world.carla, subject="C", body="D", service_request=world.sr_p)
    client = _client(world.carla)
    client.get(reverse("portal:messages"))
    rows = AuditEvent.objects.filter(action="message_thread.listed").order_by("pk")
    ids = sorted(str(t.pk) for t in Thread.objects.all())
    assert [(r.object_id, r.changes) for r in rows] == [(i, {}) for i in ids]


def test_menu_badge_counts_unread_agency_messages(world):
    thread, _file = _alice_thread(world)
    services.send_message(world.staff["tier2"], thread, body="Answer one.")
    services.send_message(world.staff["tier2"], thread, body="Answer two.")
    client = _client(world.alice)
    inbox = client.get(reverse("portal:messages"))
    assert [row["unread"] for row in inbox.context["rows"]] == [2]
    assert "2 new" in inbox.content.decode()
    client.get(reverse("portal:message-thread", args=[thread.pk]))
    inbox = client.get(reverse("portal:messages"))
    assert [row["unread"] for row in inbox.context["rows"]] == [0]
    assert "new<span" not in inbox.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Write a new message"), ("es", "Escriba un mensaje nuevo")]
)
def test_pages_in_both_languages(world, language, heading):
    client = _client(world.alice)
    client.cookies["django_language"] = language
    page = client.get(reverse("portal:message-new"), HTTP_ACCEPT_LANGUAGE=language)
    assert f"<h1>{heading}</h1>" in page.content.decode()
