"""The customer-delivery gate holds every path that can reach a customer (ADR 26).

With the release policy set to hold everything, each path below is driven the way users and
operators drive it (API, staff pages, management commands, the sweep) and must leave no
customer message in the outbox, no email sent and no delivery enqueued; releasing then sends
each held message exactly once, and a second release sends nothing more.

Paths that reach no customer today (intake, referrals, transfers, the sweep, `srmt
generate`) are rows too, with 0 messages: if one starts writing to customers through the
gate, its row fails and must be updated; if it writes around the gate, test_gate_scan.py
fails. The Django admin is read-only and its only action revokes API tokens
(test_no_admin_action_sends_anything).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import valid_submission
from srmt.audit.models import AuditEvent
from srmt.notifications import delivery
from srmt.notifications import services as outbox
from srmt.notifications.models import Notification
from srmt.seed.demo import DEMO_HELD_RESPONSES
from srmt.service_requests import services
from srmt.service_requests.models import Response, ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.staff.tests.conftest import client_for as staff_client
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("reference")

HOLD_ALL = "srmt.notifications.delivery.HoldAll"
CUSTOMER = "ana@example.com"


@dataclass
class World:
    tier1: User
    officer: User  # office staff of ESC, where the factory's cases are held
    supervisor: User  # every office's supervisor, with an email (digests, transfer alerts)
    admin: User

    def api(self, user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def request(self, **kwargs: Any) -> ServiceRequest:
        return make_service_request(actor=self.tier1, **kwargs)

    def expedite(self) -> ServiceRequest:
        return self.request(
            type="expedite_request", receipt_number=make_case(office="ESC").receipt_number
        )


@pytest.fixture
def world() -> World:
    return World(
        tier1=make_user("tina", role=Role.TIER1, offices=["CC-T1"]),
        officer=make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"]),
        supervisor=make_user("sam", role=Role.SUPERVISOR, email="sam@uscis.example"),
        admin=make_user("ada", role=Role.ADMINISTRATOR),
    )


def _ok(response: Any, status: int = 200) -> None:
    assert response.status_code == status, getattr(response, "data", response)


# --- the paths --------------------------------------------------------------------------
# Each `prepare` runs before the gate holds (what it sends leaves normally); `drive` runs
# while the gate holds everything. `messages`: customer messages the drive writes.


def _api_response(kind: str) -> Callable[[World, Any], None]:
    def drive(w: World, sr: Any) -> None:
        url = f"/api/v1/service-requests/{sr.reference}/responses/"
        _ok(
            w.api(w.officer).post(url, {"kind": kind, "body": "We looked at it."}, format="json"),
            201,
        )

    return drive


def _answered(w: World) -> ServiceRequest:
    sr = w.request()
    return services.add_response(sr, actor=w.officer, kind="initial", body="First.").service_request


def _by_phone(w: World) -> ServiceRequest:
    return w.request(requester=RequesterData(name="Luis Soto", phone="802-555-0199", language="es"))


def _api_redirect(w: World, sr: Any) -> None:
    url = f"/api/v1/service-requests/{sr.reference}/redirect/"
    _ok(w.api(w.officer).post(url, {"topic": "i94", "reason": "Asks about I-94."}, format="json"))


def _api_expedite(w: World, sr: Any) -> None:
    url = f"/api/v1/service-requests/{sr.reference}/expedite/decision/"
    _ok(w.api(w.officer).post(url, {"approved": False, "reason": "No evidence."}, format="json"))


def _page_respond(w: World, sr: Any) -> None:
    page = staff_client(w.officer).post(
        f"/staff/requests/{sr.reference}/respond/", {"kind": "final", "body": "All done."}
    )
    _ok(page, 302)


def _page_redirect(w: World, sr: Any) -> None:
    page = staff_client(w.officer).post(
        f"/staff/requests/{sr.reference}/redirect/", {"topic": "visas", "reason": "Visa question."}
    )
    _ok(page, 302)


def _page_expedite(w: World, sr: Any) -> None:
    page = staff_client(w.officer).post(
        f"/staff/requests/{sr.reference}/expedite/decide/", {"decision": "approve"}
    )
    _ok(page, 302)


def _api_intake(w: World, _sr: Any) -> None:
    _ok(w.api(w.tier1).post("/api/v1/service-requests/", valid_submission(), format="json"), 201)


def _api_referral(w: World, _sr: Any) -> None:
    body = valid_submission(receipt_number="", type="complaint")
    body["requester"] = {**body["requester"], "country": "IN"}
    response = w.api(w.tier1).post("/api/v1/service-requests/", body, format="json")
    _ok(response, 200)
    assert response.json()["referral"]["office"]["code"] == "NDE"


def _api_transfers(w: World, sr: Any) -> None:
    # a request transferred too often alerts the supervisors: staff, not the customer
    url = f"/api/v1/service-requests/{sr.reference}/transitions/"
    for office in ["CSC", "ESC", "CSC"]:
        body = {"to": "transferred", "office": office, "reason": "Wrong office"}
        _ok(w.api(w.admin).post(url, body, format="json"))


def _command_sweep(_w: World, _sr: Any) -> None:
    # 20 days on, the request is escalated and its office's supervisors get a digest
    with time_machine.travel(timezone.now() + dt.timedelta(days=20), tick=False):
        call_command("sweep", stdout=StringIO())


def _command_generate(_w: World, _sr: Any) -> None:
    call_command("generate", requests=5, verbosity=0, stdout=StringIO())


def _command_demo(_w: World, _sr: Any) -> None:
    call_command("demo", stdout=StringIO())


@dataclass(frozen=True)
class Path:
    name: str
    drive: Callable[[World, Any], None]
    messages: int  # customer messages the drive writes (held, then released once each)
    prepare: Callable[[World], Any] = lambda w: w.request()
    emails: int | None = None  # emails released (default: `messages`); phone calls: 0


PATHS = [
    Path("API: initial response", _api_response("initial"), 1),
    Path("API: follow-up response", _api_response("follow_up"), 1, prepare=_answered),
    Path("API: final response", _api_response("final"), 1),
    Path("API: response by phone", _api_response("initial"), 1, prepare=_by_phone, emails=0),
    Path("API: redirect notice", _api_redirect, 1),
    Path("API: expedite decision", _api_expedite, 1, prepare=World.expedite),
    Path("staff page: response", _page_respond, 1),
    Path("staff page: redirect notice", _page_redirect, 1),
    Path("staff page: expedite decision", _page_expedite, 1, prepare=World.expedite),
    Path("API: intake (acknowledgement)", _api_intake, 1),
    Path("API: referral abroad", _api_referral, 1),  # the office's contact details
    Path("API: transfers (supervisors alerted)", _api_transfers, 0),
    Path("command: srmt sweep (supervisors' digest)", _command_sweep, 0),
    Path("command: srmt generate", _command_generate, 0),
]


class Wire:
    """What leaves: emails (locmem) and the delivery tasks enqueued after commit."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.enqueued: list[int] = []
        real = outbox._deliver_later

        def spy(notification_ids: list[int]) -> None:
            self.enqueued.extend(notification_ids)
            real(notification_ids)

        monkeypatch.setattr(outbox, "_deliver_later", spy)

    def reset(self) -> None:
        self.enqueued.clear()
        mail.outbox.clear()

    def customer_emails(self) -> Counter[tuple[str, str]]:
        staff = set(User.objects.exclude(email="").values_list("email", flat=True))
        return Counter((m.to[0], m.subject) for m in mail.outbox if not set(m.to) <= staff)

    def customer_enqueued(self) -> list[int]:
        return sorted(
            Notification.objects.filter(pk__in=self.enqueued, audience="customer").values_list(
                "pk", flat=True
            )
        )


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Wire:
    return Wire(monkeypatch)


def _customer_rows(exclude: set[int]) -> list[Notification]:
    return list(Notification.objects.filter(audience="customer").exclude(pk__in=exclude))


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_the_gate_holds_every_path_and_releases_each_message_once(
    path: Path,
    world: World,
    wire: Wire,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given what the path needs, sent normally
    with django_capture_on_commit_callbacks(execute=True):
        subject = path.prepare(world)
    before = set(Notification.objects.values_list("pk", flat=True))
    wire.reset()
    # when the gate holds everything and the path is driven
    settings.SRMT_RELEASE_POLICY = HOLD_ALL
    with django_capture_on_commit_callbacks(execute=True):
        path.drive(world, subject)
    # then its customer messages are recorded, held, and nothing of them left
    written = _customer_rows(before)
    assert len(written) == path.messages
    assert {(n.status, n.transport != "" or n.channel != "email") for n in written} <= {
        ("held", True)
    }
    assert all(n.hold_reason and n.released_at is None and n.kind for n in written)
    assert wire.customer_emails() == Counter()
    assert wire.customer_enqueued() == []
    assert (
        Notification.objects.filter(audience="customer")
        .exclude(status__in=["held", "sent", "recorded"])
        .count()
        == 0
    )
    # only messages to staff left, if any
    assert all(m.to == ["sam@uscis.example"] for m in mail.outbox)
    # when released
    wire.reset()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_held", "--all", stdout=(out := StringIO()))
    # then each was sent (or put in staff's hands to record) exactly once
    assert out.getvalue() == f"Released {path.messages} held message(s).\n"
    emails = path.messages if path.emails is None else path.emails
    expected = Counter((n.to_address, n.subject) for n in written if n.transport)
    assert sum(expected.values()) == emails
    assert wire.customer_emails() == expected
    assert wire.customer_enqueued() == sorted(n.pk for n in written if n.transport)
    statuses = dict(
        Notification.objects.filter(pk__in=[n.pk for n in written]).values_list("pk", "status")
    )
    assert statuses == {n.pk: "sent" if n.transport else "recorded" for n in written}
    released = AuditEvent.objects.filter(action="notification.released")
    assert sorted(int(e.object_id) for e in released) == sorted(n.pk for n in written)
    assert {e.actor_id for e in released} <= {None}
    # and a second release sends nothing more
    wire.reset()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_held", "--all", stdout=(again := StringIO()))
    assert again.getvalue() == "Released 0 held message(s).\n"
    assert (wire.customer_emails(), wire.enqueued) == (Counter(), [])
    assert released.count() == path.messages


def test_the_demo_command_writes_through_the_gate(
    world: World, wire: Wire, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """`srmt demo` answers its requests through add_response: held like any other; its
    backdated history is released once like the rest."""
    settings.SRMT_RELEASE_POLICY = HOLD_ALL
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=StringIO())
    held = list(Notification.objects.filter(audience="customer"))
    # one message per demo response and one acknowledgement per request with an email,
    # every one held
    acknowledged = ServiceRequest.objects.exclude(requester__email="").count()
    assert len(held) == Response.objects.count() + acknowledged
    assert Response.objects.count() > 0
    assert acknowledged > 0
    assert {n.status for n in held} == {"held"}
    assert (wire.customer_emails(), wire.customer_enqueued()) == (Counter(), [])
    # the demo's responses held for supervisory review (ADR 35) are not the policy's to
    # release: they stay held
    in_review = [n for n in held if n.hold_demanded]
    assert len(in_review) == DEMO_HELD_RESPONSES
    held = [n for n in held if not n.hold_demanded]
    with django_capture_on_commit_callbacks(execute=True):
        released = delivery.release(delivery.held_ids(), actor=world.admin)
    assert sorted(released) == sorted(n.pk for n in held)
    assert {n.status for n in Notification.objects.filter(pk__in=[n.pk for n in in_review])} == {
        "held"
    }
    by_email = [n for n in held if n.transport]
    assert sum(wire.customer_emails().values()) == len(by_email)
    assert wire.customer_enqueued() == sorted(n.pk for n in by_email)
    assert delivery.release([n.pk for n in held], actor=world.admin) == []


def test_the_sweep_never_wakes_a_held_message(
    world: World, wire: Wire, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a response held since long ago
    settings.SRMT_RELEASE_POLICY = HOLD_ALL
    sr = world.request()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_response(sr, actor=world.officer, kind="initial", body="Hello.")
    held = Notification.objects.get(audience="customer", kind="response_initial")
    # when sweeps run days later
    for days in (1, 30):
        with (
            time_machine.travel(timezone.now() + dt.timedelta(days=days), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("sweep", stdout=StringIO())
    # then it is still held and nothing went to the customer
    held.refresh_from_db()
    assert (held.status, held.attempts, held.sent_at) == ("held", 0, None)
    assert (wire.customer_emails(), wire.customer_enqueued()) == (Counter(), [])


def test_a_held_response_is_shown_as_held_and_the_request_moves_on(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Holding changes when a message leaves, not the request: it is answered, and its page
    and the API show the response's delivery as held."""
    settings.SRMT_RELEASE_POLICY = HOLD_ALL
    sr = world.request()
    with django_capture_on_commit_callbacks(execute=True):
        response = services.add_response(sr, actor=world.officer, kind="final", body="Done.")
    sr.refresh_from_db()
    assert (sr.status, response.delivery_status) == ("closed", "held")
    held = response.notification
    assert held is not None
    assert (held.actor, held.kind, held.transport, held.language) == (
        world.officer,
        "response_final",
        "email",
        "es",
    )
    assert (
        AuditEvent.objects.filter(
            action="notification.held", object_id=str(held.pk), actor=world.officer
        ).count()
        == 1
    )
    api = world.api(world.officer).get(f"/api/v1/service-requests/{sr.reference}/")
    assert [r["delivery_status"] for r in api.json()["responses"]] == ["held"]
    page = staff_client(world.officer).get(f"/staff/requests/{sr.reference}/")
    assert "Held" in page.content.decode()


def test_release_takes_each_message_once_even_when_asked_twice_at_once(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sr = world.request()  # its acknowledgement leaves before the gate holds
    settings.SRMT_RELEASE_POLICY = HOLD_ALL
    services.add_response(sr, actor=world.officer, kind="initial", body="Hello.")
    [pk] = delivery.held_ids()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert delivery.release([pk, pk], actor=world.supervisor) == [pk]
        assert delivery.release([pk], actor=world.supervisor) == []
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [[CUSTOMER]]
    assert AuditEvent.objects.filter(action="notification.released").count() == 1


def test_release_leaves_messages_that_were_never_held_alone(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    sr = world.request()
    with django_capture_on_commit_callbacks(execute=True):
        response = services.add_response(sr, actor=world.officer, kind="initial", body="Hi.")
    response.notification.refresh_from_db()
    assert response.delivery_status == "sent"
    assert delivery.held_ids() == []
    assert delivery.release([response.notification_id], actor=None) == []
    assert len(mail.outbox) == 1
    assert not AuditEvent.objects.filter(action__startswith="notification.").exists()


def test_release_held_needs_ids_or_all() -> None:
    from django.core.management import CommandError

    for args in ([], ["--all", "1"]):
        with pytest.raises(CommandError, match="Give notification ids or --all"):
            call_command("release_held", *args, stdout=StringIO())


def test_no_admin_action_sends_anything() -> None:
    """The admin's actions, every one: none writes to customers (a new one needs a row in
    PATHS above)."""
    request = _admin_request()
    actions = {
        (model._meta.label, name)
        for model, model_admin in admin.site._registry.items()
        for name in (model_admin.get_actions(request) or {})
        if name != "delete_selected"  # Django's own; it sends nothing
    }
    assert actions == {
        ("accounts.ApiToken", "revoke_tokens"),
        ("axes.AccessAttempt", "cleanup_expired_attempts"),
        # django-allauth's: marks addresses verified, sends nothing (ADR 42).
        ("account.EmailAddress", "make_verified"),
    }


def _admin_request() -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = make_user("root", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    return request
