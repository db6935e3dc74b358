"""One-time submission tokens: a staff form submitted twice does its work once (ADR 18).

Every form of the staff pages that writes or sends carries a hidden token minted when the
page is rendered. The first submission claims it in the transaction of its service call;
a second one with the same token (Back and submit again, a double click, a second tab)
does nothing and lands where the first one did. A submission without a valid token of
its user is refused on the form, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse

from srmt.accounts import services as accounts
from srmt.accounts.choices import Role
from srmt.accounts.models import ApiToken, User
from srmt.audit.models import AuditEvent
from srmt.idempotency.models import SubmissionToken
from srmt.notifications.models import Notification
from srmt.offices.models import Office
from srmt.response_templates import services as templates
from srmt.response_templates.services import Wording
from srmt.service_requests import services
from srmt.service_requests.models import (
    Attachment,
    InternalNote,
    Response,
    ServiceRequest,
    StatusChange,
)
from srmt.staff import submissions
from srmt.staff import urls as staff_urls
from srmt.testing.factories import make_case, make_service_request, make_user
from srmt.testing.race import run_at_once
from srmt.workspace import services as workspace

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"p" * 64
ALREADY = "This was already submitted, so nothing was done twice."
UNCHECKED = "This form could not be checked, so nothing was saved. Please submit it again."
OTHER_USER = "This form was opened by another user, so nothing was saved. Please submit it again."
EXPIRED = (
    "This form was opened too long ago, so nothing was saved. Check the request to see "
    "whether it was already done, then submit the form again."
)


@dataclass
class World:
    tier1: User
    esc_staff: User
    sr: ServiceRequest
    expedite_sr: ServiceRequest
    api_token_prefix: str = ""
    view_id: int = 0  # a saved queue view of esc_staff (ADR 31)
    supervisor: User | None = None  # ESC's supervisor, who writes ESC's templates (ADR 33)


@pytest.fixture
def world(reference: None, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    tier1 = make_user("tina", role=Role.TIER1, offices=["CC-T1"])
    esc_staff = make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"])
    expedite_sr = make_service_request(
        actor=tier1,
        type="expedite_request",
        receipt_number=make_case(office="ESC").receipt_number,
    )
    # an unread notification for Olga, and a saved view of hers (ADR 31)
    boss = make_user("boss_of_olga", role=Role.SUPERVISOR, offices=["ESC"])
    services.assign_request(expedite_sr, actor=boss, assignee=esc_staff)
    view = workspace.save_view(esc_staff, office=expedite_sr.office, name="Mine", query={})
    templates.create_template(
        actor=boss,
        code=WORLD_TEMPLATE,
        name="ESC letter",
        office=Office.objects.get(code="ESC"),
        wording=Wording("We wrote. {{ action_taken }}", "Escribimos. {{ action_taken }}"),
    )
    return World(
        tier1=tier1,
        esc_staff=esc_staff,
        sr=make_service_request(actor=tier1),
        expedite_sr=expedite_sr,
        view_id=view.pk,
        supervisor=boss,
        api_token_prefix=accounts.create_api_token(
            esc_staff, actor=esc_staff, name="CI"
        ).token.prefix,
    )


def counts() -> dict[str, int]:
    """Everything a staff form can write or send."""
    return {
        "requests": ServiceRequest.objects.count(),
        "responses": Response.objects.count(),
        "notes": InternalNote.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "notifications": Notification.objects.count(),
        "attachments": Attachment.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "tokens": SubmissionToken.objects.count(),
        "emails": len(mail.outbox),
        "versions": sum(ServiceRequest.objects.values_list("version", flat=True)),
        "api_tokens": ApiToken.objects.count(),
        "revoked_api_tokens": ApiToken.objects.filter(revoked_at__isnull=False).count(),
    }


@dataclass(frozen=True)
class StaffForm:
    """One POST form of the staff pages: who uses it, on which page, with what."""

    name: str
    user: str
    page: str  # path template; {sr} and {expedite} are references
    action: str
    data: Callable[[World], dict[str, Any]]
    nth: int = 0  # which form with this action on the page
    answers_with_page: bool = False  # the first submission shows a page, no redirect

    def page_url(self, world: World) -> str:
        return self.page.format(**self._values(world))

    def action_url(self, world: World) -> str:
        return self.action.format(**self._values(world))

    def _values(self, world: World) -> dict[str, str]:
        return {
            "sr": world.sr.reference,
            "expedite": world.expedite_sr.reference,
            "prefix": world.api_token_prefix,
            "view": str(world.view_id),
        }


INTAKE = {
    "type": "general_case_inquiry",
    "channel": "phone_tier1",
    "urgency": "normal",
    "description": "Caller asks about the interview.",
    "requester_name": "Luis Gómez",
    "requester_email": "luis@example.com",
    "requester_phone": "802-555-0123",
    "requester_language": "es",
}
RESPOND = "/staff/requests/{sr}/respond/"
WORLD_TEMPLATE = "world-esc"
EXPEDITE = "/staff/requests/{expedite}/expedite/"

FORMS = [
    StaffForm(
        "record a new request",
        "tier1",
        "/staff/intake/new/",
        "/staff/intake/new/",
        lambda w: {**INTAKE, "receipt_number": make_case(office="ESC").receipt_number},
    ),
    StaffForm(
        "send a response",
        "esc_staff",
        RESPOND,
        RESPOND,
        lambda w: {"kind": "initial", "body": "We are on it."},
    ),
    StaffForm(
        "add a note",
        "esc_staff",
        RESPOND,
        "/staff/requests/{sr}/note/",
        lambda w: {"body": "Called the customer back."},
    ),
    StaffForm(
        "change the status",
        "esc_staff",
        RESPOND,
        "/staff/requests/{sr}/status/",
        lambda w: {"to": "in_progress", "reason": "", "office": "", "duplicate_of": ""},
    ),
    StaffForm(
        "assign to me",
        "esc_staff",
        RESPOND,
        "/staff/requests/{sr}/assign/",
        lambda w: {"assignee": w.esc_staff.pk},
    ),
    StaffForm(
        "save the assignee",
        "esc_staff",
        RESPOND,
        "/staff/requests/{sr}/assign/",
        lambda w: {"assignee": w.esc_staff.pk},
        nth=1,
    ),
    StaffForm(
        "redirect to another agency",
        "esc_staff",
        RESPOND,
        "/staff/requests/{sr}/redirect/",
        lambda w: {"topic": "i94", "reason": "Asks about I-94."},
    ),
    StaffForm(
        "decide the expedite",
        "esc_staff",
        EXPEDITE,
        "/staff/requests/{expedite}/expedite/decide/",
        lambda w: {"decision": "deny", "reason": "No proof of the loss."},
    ),
    StaffForm(
        "attach evidence",
        "tier1",
        EXPEDITE,
        "/staff/requests/{expedite}/attachments/",
        lambda w: {"file": SimpleUploadedFile("proof.pdf", PDF)},
    ),
    StaffForm(
        "create an API token",  # its secret is shown once, on the answer page
        "esc_staff",
        "/staff/account/tokens/",
        "/staff/account/tokens/",
        lambda w: {"name": "Nightly export", "days": "30"},
        answers_with_page=True,
    ),
    StaffForm(
        "revoke an API token",
        "esc_staff",
        "/staff/account/tokens/",
        "/staff/account/tokens/{prefix}/revoke/",
        lambda w: {},
    ),
    # the workspace (ADR 31)
    StaffForm(
        "save a queue view",
        "esc_staff",
        "/staff/queues/ESC/",
        "/staff/queues/ESC/views/",
        lambda w: {"name": "Overdue", "overdue": "on"},
    ),
    StaffForm(
        "rename a queue view",
        "esc_staff",
        "/staff/queues/ESC/",
        "/staff/views/{view}/rename/",
        lambda w: {"name": "Renamed"},
    ),
    StaffForm(
        "delete a queue view",
        "esc_staff",
        "/staff/queues/ESC/",
        "/staff/views/{view}/delete/",
        lambda w: {},
    ),
    StaffForm(
        "act on several requests",  # the answer is a report per request
        "esc_staff",
        "/staff/queues/ESC/",
        "/staff/queues/ESC/bulk/",
        lambda w: {"reference": [w.expedite_sr.reference], "action": "status", "to": "in_progress"},
        answers_with_page=True,
    ),
    StaffForm(
        "mark every notification read",
        "esc_staff",
        "/staff/notifications/",
        "/staff/notifications/read/",
        lambda w: {"all": "1"},
    ),
    StaffForm(
        "turn notification emails on",
        "esc_staff",
        "/staff/notifications/settings/",
        "/staff/notifications/settings/",
        lambda w: {"email": "on"},
    ),
    # the response template library (ADR 33)
    StaffForm(
        "create a template",
        "supervisor",
        "/staff/templates/new/",
        "/staff/templates/new/",
        lambda w: {
            "code": "esc-new",
            "name": "New",
            "office": "ESC",
            "body_en": "Hello. {{ case_details }}",
            "body_es": "Hola. {{ case_details }}",
        },
    ),
    StaffForm(
        "save a new version of a template",
        "supervisor",
        f"/staff/templates/{WORLD_TEMPLATE}/edit/",
        f"/staff/templates/{WORLD_TEMPLATE}/edit/",
        lambda w: {
            "body_en": "We wrote today. {{ action_taken }}",
            "body_es": "Escribimos hoy. {{ action_taken }}",
            "change_note": "Says when",
        },
    ),
    StaffForm(
        "deactivate a template",
        "supervisor",
        f"/staff/templates/{WORLD_TEMPLATE}/",
        f"/staff/templates/{WORLD_TEMPLATE}/active/",
        lambda w: {"active": "0"},
    ),
]


def signed_in(user: User) -> Client:
    """A browser: posts exactly what the test gives it (no token is added)."""
    client = Client()
    client.force_login(user)
    return client


def rendered_token(html: str, action: str, nth: int = 0) -> str:
    """The submission token in the nth form posting to `action` ('' when it has none)."""
    forms = re.findall(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    token = re.search(r'name="submission_token" value="([^"]+)"', forms[nth])
    return token.group(1) if token else ""


def _token_data(form: StaffForm, world: World, token: str | None) -> dict[str, Any]:
    data = form.data(world)
    if token is not None:
        data["submission_token"] = token
    return data


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_a_form_submitted_twice_does_its_work_once(
    world: World, django_capture_on_commit_callbacks: Any, form: StaffForm
) -> None:
    # given the page with the form, as the browser got it
    user = getattr(world, form.user)
    client = signed_in(user)
    page = client.get(form.page_url(world)).content.decode()
    token = rendered_token(page, form.action_url(world), form.nth)
    before = counts()
    # when the form is submitted, then submitted again (Back and submit, a double click)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(form.action_url(world), _token_data(form, world, token))
    after_first = counts()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = client.post(form.action_url(world), _token_data(form, world, token))
    # then the first did the work, the second did nothing and lands where the first did
    assert first.status_code == (200 if form.answers_with_page else 302), first.content[:2000]
    landing = form.action_url(world) if form.answers_with_page else first.url
    assert after_first != before
    assert after_first["tokens"] == before["tokens"] + 1
    assert counts() == after_first
    assert callbacks == []
    assert (second.status_code, second.url) == (302, landing)
    assert ALREADY in client.get(second.url).content.decode()


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
@pytest.mark.parametrize(
    ("_case", "token", "message"),
    [("no token", None, UNCHECKED), ("another user's token", "other", OTHER_USER)],
)
def test_a_submission_without_a_token_of_its_user_is_refused_on_the_form(
    world: World, form: StaffForm, _case: str, token: str | None, message: str
) -> None:
    user = getattr(world, form.user)
    if token == "other":
        token = submissions.mint(make_user("someone", role=Role.SUPERVISOR))
    client = signed_in(user)  # signing in is audited: before the count
    before = counts()
    # when
    refused = client.post(form.action_url(world), _token_data(form, world, token))
    # then the form is shown again with the error, with a new token of its own, and
    # nothing was written
    assert refused.status_code in (200, 400)
    html = refused.content.decode()
    assert message in html
    fresh = rendered_token(html, form.action_url(world), form.nth)
    assert fresh not in ("", token)
    assert counts() == before


@pytest.mark.parametrize(
    ("_case", "token", "message"),
    [
        ("a forged token", "forged:token", UNCHECKED),
        ("a token older than the retention", "expired", EXPIRED),
    ],
)
def test_a_forged_or_expired_token_is_refused(
    world: World, settings: Any, _case: str, token: str, message: str
) -> None:
    settings.SRMT_IDEMPOTENCY_RETENTION_HOURS = 48
    if token == "expired":
        with time_machine.travel(dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=49)):
            token = submissions.mint(world.esc_staff)
    client = signed_in(world.esc_staff)
    before = counts()
    refused = client.post(
        f"/staff/requests/{world.sr.reference}/note/", {"body": "Hi", "submission_token": token}
    )
    assert refused.status_code == 200
    assert message in refused.content.decode()
    assert counts() == before


def test_a_form_shown_again_after_an_error_keeps_its_token(world: World) -> None:
    # given a response form submitted without its text
    client = signed_in(world.esc_staff)
    page = client.get(f"/staff/requests/{world.sr.reference}/respond/").content.decode()
    url = f"/staff/requests/{world.sr.reference}/respond/"
    token = rendered_token(page, url)
    shown_again = client.post(url, {"kind": "initial", "body": "", "submission_token": token})
    assert shown_again.status_code == 200
    assert rendered_token(shown_again.content.decode(), url) == token
    assert SubmissionToken.objects.count() == 0
    # when it is corrected and submitted with the same token
    sent = client.post(url, {"kind": "initial", "body": "Hi.", "submission_token": token})
    # then it is sent
    assert sent.status_code == 302
    assert Response.objects.count() == 1


def test_a_refusal_from_the_service_leaves_the_token_unused(world: World) -> None:
    # a transfer without a reason is refused by the service (its transaction rolls back)
    client = signed_in(world.esc_staff)
    url = f"/staff/requests/{world.sr.reference}/status/"
    token = rendered_token(
        client.get(f"/staff/requests/{world.sr.reference}/respond/").content.decode(), url
    )
    move = {"to": "transferred", "office": "NSC", "duplicate_of": "", "submission_token": token}
    refused = client.post(url, {**move, "reason": ""})
    assert refused.status_code == 200
    assert rendered_token(refused.content.decode(), url) == token
    assert SubmissionToken.objects.count() == 0
    done = client.post(url, {**move, "reason": "The file is at NSC."})
    assert done.status_code == 302
    assert ServiceRequest.objects.get(pk=world.sr.pk).status == "transferred"


# POST forms of supervisory review (ADR 35) and national QA (ADR 36), whose worlds (a held
# response, a drawn sample) are built by their own tests.
DECORATED_ELSEWHERE = {
    "review-approve",
    "review-return",
    "review-resubmit",
    "qa-index",
    "qa-sample",
    "qa-score",
    "qa-dispute",
    "qa-decide",
    "request-messages",  # secure messages (ADR 45): replays in test_messages.py
}


# Staff URLs that take a POST but write nothing (their answers are read, not applied), and so
# need no one-time token: name -> why.
POSTED_READS = {
    "request-respond-assess": "the new-information check of a draft response (ADR 39): a "
    "draft of up to 10,000 characters is posted, not put in a URL; it writes nothing",
}


def test_every_staff_page_that_takes_a_post_is_in_the_table(world: World) -> None:
    # every other staff URL refuses POST: no form can write without a one-time token
    with_forms = {resolve(f.action_url(world)).url_name for f in FORMS}
    values = {
        "reference": world.sr.reference,
        "office_code": "ESC",
        "attachment_id": 1,
        "prefix": world.api_token_prefix,
        "view_id": world.view_id,
        "person_id": world.sr.requester_id,
        "code": WORLD_TEMPLATE,
        # pages that only read: refused before anything is looked up
        "review_id": 1,
        "evaluation_id": 1,
    }
    client = signed_in(make_user("boss", role=Role.ADMINISTRATOR))
    refusing = {}
    for pattern in staff_urls.urlpatterns:
        if pattern.name in with_forms or pattern.name in POSTED_READS:
            continue
        if pattern.name in DECORATED_ELSEWHERE:
            # their forms' replays are tested with their pages (test_reviews, qa tests);
            # here: their POST goes through the same one-time token
            assert getattr(pattern.callback, "one_time_submission", False), pattern.name
            continue
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        refusing[pattern.name] = client.post(
            reverse(f"staff:{pattern.name}", kwargs=kwargs)
        ).status_code
    assert len(with_forms) == 19
    assert set(refusing.values()) == {405}, refusing


# Transactional: each thread has its own connection and sees only committed rows.
@pytest.mark.django_db(transaction=True)
def test_a_double_click_sends_one_response(reference: None) -> None:
    # (SQLite: the test database is a file and IMMEDIATE transactions queue the writers)
    user = make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"])
    sr = make_service_request()
    url = f"/staff/requests/{sr.reference}/respond/"
    token = rendered_token(signed_in(user).get(url).content.decode(), url)
    data = {"kind": "initial", "body": "We are on it.", "submission_token": token}

    def submit(client: Client) -> tuple[int, str]:
        response = client.post(url, data)
        return response.status_code, response["Location"]

    results = run_at_once(submit, times=2, prepare=lambda: signed_in(user))

    assert results == [(302, f"/staff/requests/{sr.reference}/")] * 2
    assert Response.objects.filter(service_request=sr).count() == 1
    assert (
        Notification.objects.filter(related_reference=sr.reference, kind="response_initial").count()
        == 1
    )
    responses = ("Your service request", "Su solicitud de servicio")
    assert len([m for m in mail.outbox if m.subject.startswith(responses)]) == 1
    assert SubmissionToken.objects.get().result_url == f"/staff/requests/{sr.reference}/"
