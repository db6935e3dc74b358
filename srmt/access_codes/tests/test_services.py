"""Online access codes: hashed, single use, 90 days, bound to case and person, rate limits,
lockout, 8 U.S.C. 1367, new-code requests (ADR 43)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from srmt.access_codes import codes, services
from srmt.access_codes.choices import Delivery
from srmt.access_codes.errors import (
    CannotLink,
    CaseNotFound,
    ExpiredCode,
    LockedOut,
    TooManyAttempts,
    UsedCode,
    WrongCode,
)
from srmt.access_codes.models import AccessCodeAttempt, AccessCodeRequest, OnlineAccessCode
from srmt.access_codes.tests.helpers import issue, paper_case
from srmt.audit.models import AuditEvent
from srmt.cases.errors import ClearanceRequired
from srmt.cases.models import CaseParty, CustomerLink, Person
from srmt.notifications import services as outbox
from srmt.notifications import transports
from srmt.notifications.models import Notification
from srmt.testing.factories import make_customer, make_representative, make_user

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)


def _state() -> tuple[int, int, list[tuple[int | None, bool]]]:
    return (
        CustomerLink.objects.count(),
        OnlineAccessCode.objects.filter(used_at__isnull=False).count(),
        [(c.used_by_id, c.revoked_at is None) for c in OnlineAccessCode.objects.all()],
    )


# --- The code itself ----------------------------------------------------------------------


def test_a_code_is_twelve_unambiguous_characters_in_three_groups() -> None:
    code = codes.new_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert not set("".join(groups)) & set("ILOU")


@given(st.sampled_from(["", " ", "-"]), st.booleans())
def test_how_a_code_is_typed_does_not_matter(separator: str, lower: bool) -> None:
    code = "7KQ2-M9XD-4RTB"
    typed = code.replace("-", separator)
    typed = typed.lower() if lower else typed
    assert codes.normalize(typed) == "7KQ2M9XD4RTB"
    assert codes.matches(typed, "salt", codes.digest(code, "salt"))


@pytest.mark.parametrize("raw", ["", "7KQ2M9XD4RT", "7KQ2M9XD4RTBB", "7KQ2M9XD4RT!"])
def test_malformed_codes_never_match(raw: str) -> None:
    assert codes.normalize(raw) == ""
    assert not codes.matches(raw, "salt", codes.digest(raw, "salt"))


def test_the_code_is_stored_only_as_a_salted_keyed_hash() -> None:
    case, person = paper_case()
    plaintext = issue(case, person)
    row = OnlineAccessCode.objects.get()
    stored = " ".join(str(v) for v in OnlineAccessCode.objects.values_list().get())
    assert codes.normalize(plaintext) not in stored.replace("-", "")
    assert plaintext not in stored
    assert len(row.digest) == 64
    assert len(row.salt) == 32
    assert row.digest != codes.digest(plaintext, "other-salt")
    events = AuditEvent.objects.filter(action="access_code.issued")
    assert plaintext not in str(list(events.values_list("changes", flat=True)))


# --- Redeeming ----------------------------------------------------------------------------


def test_a_code_links_its_person_once() -> None:
    case, person = paper_case()
    plaintext = issue(case, person)
    ana = make_customer("ana")
    link = services.redeem(ana, case.receipt_number.lower(), plaintext.lower(), client_ip="1.2.3.4")
    assert (link.account, link.person, link.method) == (ana, person, "access_code")
    row = OnlineAccessCode.objects.get()
    assert (row.used_by, row.used_at is not None) == (ana, True)
    assert AuditEvent.objects.filter(action="access_code.redeemed", actor=ana).count() == 1
    other = make_customer("other")
    before = _state()
    with pytest.raises(UsedCode):
        services.redeem(other, case.receipt_number, plaintext, client_ip="1.2.3.5")
    assert _state() == before


def test_a_code_expires_after_ninety_days() -> None:
    case, person = paper_case()
    with time_machine.travel(NOW, tick=False):
        plaintext = issue(case, person)
    ana = make_customer("ana")
    with time_machine.travel(NOW + dt.timedelta(days=90), tick=False):
        before = _state()
        with pytest.raises(ExpiredCode):
            services.redeem(ana, case.receipt_number, plaintext, client_ip="1.2.3.4")
        assert _state() == before
    with time_machine.travel(NOW + dt.timedelta(days=89, hours=23), tick=False):
        services.redeem(ana, case.receipt_number, plaintext, client_ip="1.2.3.4")
    assert CustomerLink.objects.get().person == person


def test_a_newer_code_replaces_the_older_one() -> None:
    case, person = paper_case()
    old = issue(case, person)
    new = issue(case, person)
    ana = make_customer("ana")
    with pytest.raises(ExpiredCode):
        services.redeem(ana, case.receipt_number, old, client_ip="")
    services.redeem(ana, case.receipt_number, new, client_ip="")


def test_a_code_is_bound_to_its_case() -> None:
    case, person = paper_case()
    other_case, _ = paper_case("EAC2690000002", name="Luis")
    plaintext = issue(case, person)
    ana = make_customer("ana")
    before = _state()
    with pytest.raises(WrongCode) as refused:
        services.redeem(ana, other_case.receipt_number, plaintext, client_ip="")
    assert refused.value.code == "wrong_access_code"
    with pytest.raises(WrongCode):
        services.redeem(ana, "EAC2699999999", plaintext, client_ip="")
    assert _state() == before


@pytest.mark.parametrize("protected", [False, True])
def test_1367_a_protected_cases_code_works_for_its_person_and_answers_as_wrong_otherwise(
    protected: bool,
) -> None:
    case, person = paper_case(is_protected=protected)
    plaintext = issue(case, person)
    ana = make_customer("ana")
    answers = []
    for receipt, code in [
        (case.receipt_number, "7KQ2-M9XD-4RTB"),
        ("EAC2699999999", "7KQ2-M9XD-4RTB"),
    ]:
        with pytest.raises(WrongCode) as refused:
            services.redeem(ana, receipt, code, client_ip="")
        answers.append((type(refused.value), refused.value.message, refused.value.field))
    assert answers[0] == answers[1]
    assert CustomerLink.objects.count() == 0
    services.redeem(ana, case.receipt_number, plaintext, client_ip="")
    assert CustomerLink.objects.get().person == person


def test_a_person_linked_to_another_account_is_not_linked_again() -> None:
    case, person = paper_case()
    make_customer("first", people=[person])
    plaintext = issue(case, person)
    before = _state()
    with pytest.raises(CannotLink):
        services.redeem(make_customer("second"), case.receipt_number, plaintext, client_ip="")
    assert _state() == before


def test_a_representative_cannot_use_a_code() -> None:
    case, person = paper_case()
    plaintext = issue(case, person)
    rep = make_representative("rep", cases=[case])
    with pytest.raises(CannotLink):
        services.redeem(rep, case.receipt_number, plaintext, client_ip="")
    assert _state() == (0, 0, [(None, True)])


def test_repeated_failures_lock_the_account_out_even_for_the_right_code(settings) -> None:
    settings.SRMT_ACCESS_CODE_FAILURE_LIMIT = 3
    case, person = paper_case()
    plaintext = issue(case, person)
    ana = make_customer("ana")
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            with pytest.raises(WrongCode):
                services.redeem(ana, case.receipt_number, "AAAA-AAAA-AAA" + str(n), client_ip="")
        before = _state()
        with pytest.raises(LockedOut) as locked:
            services.redeem(ana, case.receipt_number, plaintext, client_ip="")
        assert _state() == before
        assert locked.value.code == "access_code_locked_out"
        assert locked.value.extra["retry_after"] == NOW + dt.timedelta(minutes=60)
    # Another account is not locked out; the account is again after the lockout.
    with time_machine.travel(NOW + dt.timedelta(minutes=61), tick=False):
        services.redeem(ana, case.receipt_number, plaintext, client_ip="")
    assert AccessCodeAttempt.objects.filter(succeeded=False).count() == 3


def test_attempts_are_rate_limited_per_client_address(settings) -> None:
    settings.SRMT_ACCESS_CODE_ATTEMPTS_PER_HOUR = 2
    settings.SRMT_ACCESS_CODE_FAILURE_LIMIT = 100
    case, person = paper_case()
    plaintext = issue(case, person)
    with time_machine.travel(NOW, tick=False):
        for n in range(2):
            with pytest.raises(WrongCode):
                services.redeem(
                    make_customer(f"c{n}"),
                    case.receipt_number,
                    "AAAA-AAAA-AAAA",
                    client_ip="9.9.9.9",
                )
        with pytest.raises(TooManyAttempts):
            services.redeem(
                make_customer("c9"), case.receipt_number, plaintext, client_ip="9.9.9.9"
            )
        services.redeem(make_customer("c10"), case.receipt_number, plaintext, client_ip="8.8.8.8")


# --- Issuing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "cleared"),
    [("tier1", True), ("supervisor", True), ("case_system", False), ("administrator", False)],
)
def test_only_the_case_systems_issue_codes(role: str, cleared: bool) -> None:
    case, person = paper_case()
    with pytest.raises(ClearanceRequired):
        services.issue_code(
            case,
            person,
            actor=make_user(role=role, is_1367_cleared=cleared),
            delivery_method="none",
        )
    assert OnlineAccessCode.objects.count() == 0
    system = make_user(role="case_system", is_1367_cleared=True)
    services.issue_code(case, person, actor=system, delivery_method="none")
    assert OnlineAccessCode.objects.get().issued_by == system


@pytest.mark.parametrize(
    ("form", "role", "channel", "transport"),
    [
        ("I-130", "applicant", "mail", "letter"),
        ("I-134A", "beneficiary", "email", "email"),
        ("I-134A", "applicant", "mail", "letter"),
        ("I-485", "beneficiary", "mail", "letter"),
    ],
)
def test_the_notice_is_mailed_except_to_i134a_beneficiaries(
    form: str,
    role: str,
    channel: str,
    transport: str,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
) -> None:
    settings.SRMT_LETTER_SPOOL_DIR = str(tmp_path)
    case, person = paper_case(form=form, role=role, language="es")
    with django_capture_on_commit_callbacks(execute=True):
        plaintext = issue(case, person, delivery=None)  # type: ignore[arg-type]
    notice = Notification.objects.get(kind="account_acceptance_notice")
    assert (notice.channel, notice.transport, notice.status) == (channel, transport, "sent")
    assert notice.language == "es"
    # Once sent, the outbox keeps the notice with the code masked (ADR 43, Revised).
    assert "Código de acceso en línea: XXXX-XXXX-XXXX\n" in notice.body
    assert (plaintext in notice.body, notice.secrets) == (False, [])
    if channel == "mail":
        pdf = PdfReader(io.BytesIO((tmp_path / f"letter-{notice.pk}.pdf").read_bytes()))
        text = "".join(page.extract_text() for page in pdf.pages)
        for part in (plaintext, case.receipt_number, form, "Ana", "05401"):
            assert part in text
    else:
        assert list(tmp_path.iterdir()) == []


def test_the_code_leaves_in_the_email_and_the_outbox_then_keeps_it_masked(
    django_capture_on_commit_callbacks,
) -> None:
    from django.core import mail

    case, person = paper_case(form="I-134A", role="beneficiary")
    with django_capture_on_commit_callbacks() as callbacks:
        plaintext = issue(case, person, delivery=Delivery.EMAIL)
    queued = Notification.objects.get(kind="account_acceptance_notice")
    # Before it leaves: the body carries the code, its masked form waits beside it.
    assert (queued.status, f"Online access code: {plaintext}\n" in queued.body) == (
        "queued",
        True,
    )
    assert queued.secrets == [plaintext]
    for callback in callbacks:
        callback()
    sent = Notification.objects.get(pk=queued.pk)
    assert (sent.status, sent.body, sent.secrets) == (
        "sent",
        queued.body.replace(plaintext, "XXXX-XXXX-XXXX"),
        [],
    )
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    assert f"Online access code: {plaintext}\n" in mail.outbox[0].body


def test_a_notice_that_failed_to_leave_keeps_its_code_for_the_retry(settings, tmp_path) -> None:
    spool = tmp_path / "spool"
    spool.write_text("a file where the spool directory should be")
    settings.SRMT_LETTER_SPOOL_DIR = str(spool)
    case, person = paper_case()
    plaintext = issue(case, person, delivery=Delivery.LETTER)
    notice = Notification.objects.get()
    assert outbox.deliver(notice.pk) == "failed"
    failed = Notification.objects.get(pk=notice.pk)
    assert (failed.status, failed.body, failed.secrets) == ("failed", notice.body, [plaintext])
    spool.unlink()
    assert outbox.deliver(notice.pk) == "sent"
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO((spool / f"letter-{notice.pk}.pdf").read_bytes())).pages
    )
    assert plaintext in text
    assert Notification.objects.get(pk=notice.pk).body == notice.body.replace(
        plaintext, "XXXX-XXXX-XXXX"
    )


def test_the_letter_transport_writes_once(settings, tmp_path) -> None:
    settings.SRMT_LETTER_SPOOL_DIR = str(tmp_path / "spool")
    case, person = paper_case()
    issue(case, person, delivery=Delivery.LETTER)
    notice = Notification.objects.get()
    letter = transports.get("letter")
    letter.deliver(notice)
    first = (tmp_path / "spool" / f"letter-{notice.pk}.pdf").stat().st_mtime_ns
    letter.deliver(notice)
    assert (tmp_path / "spool" / f"letter-{notice.pk}.pdf").stat().st_mtime_ns == first
    assert [p.name for p in (tmp_path / "spool").iterdir()] == [f"letter-{notice.pk}.pdf"]


# --- Requesting a new code ----------------------------------------------------------------


def test_a_customer_requests_a_new_code_with_a_reference_and_an_expected_date(
    settings, tmp_path
) -> None:
    settings.SRMT_LETTER_SPOOL_DIR = str(tmp_path)
    case, person = paper_case()
    ana = make_customer("ana")
    with time_machine.travel(NOW, tick=False):  # Friday 4 December 2026
        request = services.request_new_code(
            ana,
            receipt_number=case.receipt_number,
            name=" ana  PÉREZ",
            date_of_birth=dt.date(1990, 5, 17),
        )
    assert request.reference.startswith("AC-")
    assert len(request.reference) == 12
    # 10 business days: Dec 7-11, 14-18 -> Friday 18 December.
    assert request.expected_on == dt.date(2026, 12, 18)
    assert (request.person, request.on_behalf, request.code.delivery) == (person, False, "letter")
    kinds = sorted(Notification.objects.values_list("kind", "to_address"))
    assert kinds == [
        ("access_code_requested", "ana@example.com"),
        ("account_acceptance_notice", "Ana Pérez\n05401\nUS"),
    ]
    ack = Notification.objects.get(kind="access_code_requested")
    assert request.reference in ack.body
    assert "code" in ack.body


@pytest.mark.parametrize(
    ("name", "dob", "receipt"),
    [
        ("Ana Pérez", dt.date(1990, 5, 18), "EAC2690000001"),
        ("Ana Perez Lopez", dt.date(1990, 5, 17), "EAC2690000001"),
        ("Ana Pérez", dt.date(1990, 5, 17), "EAC2690000009"),
        ("Ana Pérez", None, "EAC2690000001"),
    ],
)
def test_a_request_with_details_that_do_not_match_writes_nothing(
    name: str, dob: dt.date | None, receipt: str
) -> None:
    paper_case()
    with pytest.raises(CaseNotFound) as refused:
        services.request_new_code(
            make_customer("ana"), receipt_number=receipt, name=name, date_of_birth=dob
        )
    assert refused.value.http_status == 404
    assert (AccessCodeRequest.objects.count(), OnlineAccessCode.objects.count()) == (0, 0)
    assert Notification.objects.count() == 0


def test_a_representative_asks_on_behalf_and_the_code_goes_to_the_applicant() -> None:
    case, person = paper_case()
    attorney = Person.objects.create(name="Atty Smith", email="atty@example.com")
    CaseParty.objects.create(case=case, person=attorney, role="attorney", has_g28_on_file=True)
    rep = make_representative("rep", cases=[case])
    request = services.request_new_code(rep, receipt_number=case.receipt_number)
    assert (request.person, request.on_behalf) == (person, True)
    notice = Notification.objects.get(kind="account_acceptance_notice")
    assert notice.to_address == "Ana Pérez\n05401\nUS"
    assert "atty" not in notice.to_address.lower()
    ack = Notification.objects.get(kind="access_code_requested")
    assert ack.to_address == "rep@example.com"
    # The acknowledgement never carries the code.
    assert all(ch not in ack.body for ch in [notice.body.split("Online access code: ")[1][:14]])


def test_a_representative_without_a_g28_gets_the_unknown_answer() -> None:
    case, _person = paper_case()
    rep = make_representative("rep")
    with pytest.raises(CaseNotFound):
        services.request_new_code(rep, receipt_number=case.receipt_number)
    assert AccessCodeRequest.objects.count() == 0


def test_requests_are_limited_per_day(settings) -> None:
    settings.SRMT_ACCESS_CODE_REQUESTS_PER_DAY = 1
    case, _person = paper_case()
    ana = make_customer("ana")
    kwargs = {
        "receipt_number": case.receipt_number,
        "name": "Ana Pérez",
        "date_of_birth": dt.date(1990, 5, 17),
    }
    services.request_new_code(ana, **kwargs)
    with pytest.raises(TooManyAttempts):
        services.request_new_code(ana, **kwargs)
    assert AccessCodeRequest.objects.count() == 1
