from __future__ import annotations

import datetime as dt
import time
import unicodedata
from dataclasses import dataclass
from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from srmt.access_codes.services import redeem
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseStatusChange, Person
from srmt.seed.demo import (
    DEMO_CASES,
    DEMO_HELD_RESPONSES,
    DEMO_PROTECTED_CASES,
    DEMO_REQUESTS,
    DemoReport,
    load_demo,
    status_history,
)
from srmt.seed.demo_access import DEMO_ACCESS_CASES, IOE_RECEIPT, PAPER_RECEIPT
from srmt.seed.mix import email_for
from srmt.service_requests.lifecycle import TERMINAL
from srmt.service_requests.models import Response, ServiceRequest, StatusChange
from srmt.testing.factories import make_customer

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


PASSWORD = "demo-password-for-tests"


@dataclass(frozen=True)
class LoadedDemo:
    report: DemoReport
    first: tuple[list[tuple], list[tuple]]  # a load into an empty database, rolled back
    second: tuple[list[tuple], list[tuple]]  # the load the tests below read
    left_by_first: int  # requests left behind by the rolled-back first load


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """The demo, loaded twice for this module's tests (a load takes seconds): once to compare
    (rolled back), then inside an outer transaction that is rolled back at the module's end.
    Each test runs in a savepoint within it, so its writes are undone and the next test sees
    the demo exactly as loaded."""
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )  # as every test has it (conftest.py), which a module-wide fixture comes before
    with django_db_blocker.unblock(), transaction.atomic(), fast_hashing:
        first = _load_and_snapshot()
        left_by_first = ServiceRequest.objects.count()
        report = load_demo(password=PASSWORD, now=NOW)
        yield LoadedDemo(report, first, _snapshot(), left_by_first)
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_demo, settings):
    settings.SRMT_DEMO_PASSWORD = PASSWORD
    return loaded_demo.report


class _Rollback(Exception):
    pass


def _snapshot() -> tuple[list[tuple], list[tuple]]:
    cases = list(
        Case.objects.order_by("receipt_number").values_list(
            "receipt_number", "form_type__code", "office__code", "status_text", "is_protected"
        )
    )
    requests = list(
        ServiceRequest.objects.order_by("id").values_list(
            "type__code", "channel", "status", "receipt_number", "office__code", "created_at"
        )
    )
    return cases, requests


def _load_and_snapshot() -> tuple[list[tuple], list[tuple]]:
    try:
        with transaction.atomic():
            load_demo(password=PASSWORD, now=NOW)
            snapshot = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    return snapshot


def test_demo_is_deterministic(loaded_demo):
    first, second = loaded_demo.first, loaded_demo.second
    assert loaded_demo.left_by_first == 0
    assert len(first[0]) == DEMO_CASES + DEMO_PROTECTED_CASES + DEMO_ACCESS_CASES
    assert len(first[1]) == DEMO_REQUESTS
    assert first == second


def test_demo_creates_users_cases_and_requests(demo):
    assert demo.created is True
    assert (demo.users, demo.cases, demo.requests) == (10, DEMO_CASES + 8, DEMO_REQUESTS)
    assert Case.objects.count() == DEMO_CASES + DEMO_PROTECTED_CASES + DEMO_ACCESS_CASES
    assert ServiceRequest.objects.count() == DEMO_REQUESTS
    assert sum(demo.outcomes.values()) == DEMO_REQUESTS
    users = {u.username: u for u in User.objects.filter(kind="staff").prefetch_related("offices")}
    assert {name: u.role for name, u in users.items()} == {
        "tier1": "tier1",
        "tier2": "tier2",
        "vsc_officer": "office_staff",
        "nsc_officer": "office_staff",
        "supervisor": "supervisor",
        "supervisor2": "supervisor",
        "qa": "qa_reviewer",
        "analyst": "analyst",
        "admin": "administrator",
        "case_system": "case_system",
    }
    assert sorted(o.code for o in users["vsc_officer"].offices.all()) == ["ESC", "ESC-VAWA"]
    assert [o.code for o in users["nsc_officer"].offices.all()] == ["NSC"]
    assert [o.code for o in users["tier1"].offices.all()] == ["CC-T1"]
    # (a set: the users come in no particular order)
    assert {u.username for u in users.values() if u.is_1367_cleared} == {
        "vsc_officer",
        "case_system",
    }
    assert [u.username for u in users.values() if u.is_superuser or u.is_staff] == ["admin"]
    assert all(u.check_password("demo-password-for-tests") for u in users.values())
    protected = Case.objects.filter(is_protected=True)
    assert protected.count() == DEMO_PROTECTED_CASES
    assert set(protected.values_list("office__code", flat=True)) == {"ESC-VAWA"}
    assert ServiceRequest.objects.filter(case__is_protected=True).count() >= DEMO_PROTECTED_CASES


def test_second_run_changes_nothing(demo):
    before = _row_counts()
    output = StringIO()
    call_command("demo", stdout=output)
    assert _row_counts() == before
    assert "Demo data already present; nothing changed." in output.getvalue()
    assert "vsc_officer  office_staff   demo-password-for-tests" in output.getvalue()
    assert "email: attorney@demo.example  password: demo-password-for-tests" in output.getvalue()
    assert "authenticator app setup key: SRMTDEMOATTORNEY2345SRMTDEMOATTY" in output.getvalue()
    assert (
        "  receipt number: IOE0900000002\n  access code:    DEMA-CC3S-2026\n" in output.getvalue()
    )


def test_the_demo_representative_signs_in_with_the_printed_secret_and_sees_a_client(demo):
    client = Client()
    client.post(
        "/account/login/",
        {"login": "attorney@demo.example", "password": "demo-password-for-tests"},
    )
    code = format_hotp_value(hotp_value("SRMTDEMOATTORNEY2345SRMTDEMOATTY", int(time.time()) // 30))
    client.post("/account/2fa/authenticate/", {"code": code})
    page = client.get("/clients/")

    assert page.status_code == 200
    case = Case.objects.filter(is_protected=False).order_by("receipt_number").first()
    assert case.receipt_number in page.content.decode()


def test_the_demo_access_code_links_the_demo_paper_case(demo):
    customer = make_customer("demo-customer")
    link = redeem(customer, demo.access.receipt_number, demo.access.code, client_ip="")
    assert link.person.case_roles.get().case.receipt_number == "IOE0900000002"
    assert Case.objects.get(receipt_number="IOE0900000001").filed_online_by is None


def test_a_demo_loaded_by_an_earlier_release_gets_the_users_it_lacks_and_nothing_else(demo):
    User.objects.filter(username="case_system").update(username="retired_case_system")
    before = _row_counts()
    load_demo(password="demo-password-for-tests", now=NOW)
    after = _row_counts()
    added = User.objects.get(username="case_system")
    assert (added.role, added.is_1367_cleared) == ("case_system", True)
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {"accounts.User": 1}


def test_mix_of_statuses_history_and_timestamps(demo):
    statuses = set(ServiceRequest.objects.values_list("status", flat=True))
    assert {"received", "assigned", "in_progress", "responded", "closed", "transferred"} <= statuses
    assert ServiceRequest.objects.overdue(at=NOW).count() > 0
    closed = ServiceRequest.objects.filter(status="closed")
    assert closed.count() > DEMO_REQUESTS // 3
    assert not closed.filter(closed_at__isnull=True).exists()
    assert (
        not ServiceRequest.objects.exclude(status__in=TERMINAL)
        .filter(closed_at__isnull=False)
        .exists()
    )
    assert Response.objects.filter(kind="final").count() == closed.count()
    oldest = ServiceRequest.objects.order_by("created_at").first()
    assert oldest.created_at < NOW - dt.timedelta(days=90)
    assert not ServiceRequest.objects.filter(created_at__gt=NOW).exists()
    assert not StatusChange.objects.filter(created_at__gt=NOW).exists()
    for sr in ServiceRequest.objects.all()[:50]:
        moments = list(sr.status_changes.values_list("created_at", flat=True))
        assert moments == sorted(moments)
        assert moments[0] == sr.created_at

    # Every row came through the services, so each has its audit event.
    assert AuditEvent.objects.filter(action="service_request.created").count() == DEMO_REQUESTS
    assert AuditEvent.objects.filter(action="case.created").count() == Case.objects.count()
    # Responses held for supervisory review are not sent yet (ADR 35).
    held = Response.objects.filter(review__isnull=False).count()
    assert held == DEMO_HELD_RESPONSES
    assert AuditEvent.objects.filter(action="service_request.responded").count() == (
        Response.objects.count() - held
    )
    assert not AuditEvent.objects.filter(
        occurred_at__lt=timezone.now() - dt.timedelta(hours=1)
    ).exists()


def test_demo_email_addresses_spell_the_peoples_names(demo):
    """Issue 9 section 5: "María Pérez" writes from maria.perez.NNN@example.com."""
    people = list(Person.objects.exclude(email="").values_list("name", "email"))
    assert len(people) > DEMO_CASES
    mismatched = [
        (name, email)
        for name, email in people
        if email.split("@")[0].rsplit(".", 1)[0] != _spelled(name)
    ]
    assert mismatched == []


def _spelled(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return ".".join(folded.split())


def test_email_for_folds_accents_instead_of_dropping_them():
    assert email_for("María Pérez", 12) == "maria.perez.12@example.com"
    assert email_for("José Müller", 7) == "jose.muller.7@example.com"
    assert email_for("Wei Chen", 1) == "wei.chen.1@example.com"


def test_every_demo_case_has_a_history_ending_in_its_status(demo):
    histories: dict[int, list[tuple[str, dt.datetime]]] = {}
    for case_id, text, when in CaseStatusChange.objects.order_by(
        "case", "changed_at", "id"
    ).values_list("case", "status_text", "changed_at"):
        histories.setdefault(case_id, []).append((text, when))
    cases = list(Case.objects.values_list("id", "status_text", "received_on", "receipt_number"))
    assert len(histories) == len(cases)
    for case_id, status_text, received_on, receipt_number in cases:
        history = histories[case_id]
        # the access-code demo's two cases were just received: one status each (ADR 43)
        fewest, most = (1, 1) if receipt_number in (IOE_RECEIPT, PAPER_RECEIPT) else (2, 4)
        assert fewest <= len(history) <= most
        assert history[-1][0] == status_text
        assert history[0][1].date() >= received_on
        assert len({text for text, _when in history}) == len(history)


@pytest.mark.parametrize(
    ("current", "expected_first", "expected_lengths"),
    [
        ("Case Was Received", "Case Accepted By The USCIS Lockbox", {2}),
        (
            "Case Rejected Because I Sent An Incorrect Fee",
            "Case Accepted By The USCIS Lockbox",
            {2},
        ),
        ("Case Was Approved", "Case Was Received", {2, 3, 4}),
        ("Case Is Being Actively Reviewed By USCIS", "Case Was Received", {2, 3}),
    ],
)
def test_status_history_is_plausible(
    current: str, expected_first: str, expected_lengths: set[int]
) -> None:
    received, updated = dt.date(2026, 1, 1), dt.date(2026, 7, 1)
    lengths = set()
    for day in range(60):
        history = status_history(current, received, updated + dt.timedelta(days=day))
        lengths.add(len(history))
        assert (history[0], history[-1]) == (
            (expected_first, received),
            (current, updated + dt.timedelta(days=day)),
        )
        dates = [on for _text, on in history]
        assert dates == sorted(dates)
    assert lengths == expected_lengths


def test_the_demo_has_its_daily_rollups(demo):
    # the load ends with a full rollup build (ADR 0048): every demo request opened once, and
    # the open stock at the end of the last day is the number of requests still open
    from django.db.models import Sum

    from srmt.reporting.models import DailyRollup
    from srmt.reporting.rollups import read
    from srmt.service_requests.lifecycle import OPEN_STATUSES

    assert demo.rollup is not None
    assert demo.rollup.full
    opened = DailyRollup.objects.aggregate(n=Sum("opened"))["n"]
    assert opened == ServiceRequest.objects.count()
    open_now = ServiceRequest.objects.filter(status__in=OPEN_STATUSES).count()
    assert read.open_at_end(NOW.date()) == open_now
