"""The public case status page, /status/ (issue 11 section 1, ADR 0040): both languages, the
1367 equivalence, malformed input, the rate limit, auditing and two accounts."""

from __future__ import annotations

import datetime as dt
import re

import hypothesis
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, CaseStatusChange, Person
from srmt.core.errors import InvalidReceiptNumber
from srmt.core.receipts import normalize_receipt_number
from srmt.testing.factories import make_case, make_customer, make_representative, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]

# The URL names these tests try with two accounts (common brief: isolation).
ISOLATION_COVERED = {"portal:status"}

URL = "/status/"
RECEIPT = "EAC2190012345"
PROTECTED = "EAC2190099999"
UNKNOWN = "EAC2190077777"


# The customers' own sign-in (django-allauth) is another part of issue 11; until it is on
# main, the staff backend drops a customer's session. Django's model backend stands in for it.
CUSTOMER_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _customer_sessions(settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, CUSTOMER_BACKEND]


def _sign_in(client: Client, account) -> None:
    client.force_login(account, backend=CUSTOMER_BACKEND)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _case(receipt: str = RECEIPT, *, is_protected: bool = False) -> Case:
    case = make_case(
        receipt,
        is_protected=is_protected,
        status_text="Case Was Approved",
        status_updated_on=dt.date(2026, 5, 4),
    )
    for text, day in [
        ("Case Was Received", dt.date(2026, 3, 2)),
        ("Case Is Being Actively Reviewed By USCIS", dt.date(2026, 4, 1)),
        ("Case Was Approved", dt.date(2026, 5, 4)),
    ]:
        CaseStatusChange.objects.create(case=case, status_text=text, changed_at=_noon(day))
    person = Person.objects.create(name="Ana Pérez", email="ana@example.com")
    CaseParty.objects.create(case=case, person=person, role="petitioner")
    return case


def _client(language: str = "en", address: str = "203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _main(html: str) -> str:
    """The page's main content as text: tags removed, spaces collapsed."""
    main = html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])
    return re.sub(r"\s+", " ", text).strip()


def test_the_empty_form() -> None:
    response = _client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="usa-form usa-form--large" method="get" action="/status/">' in html
    assert 'name="receipt_number"' in html
    assert "usa-input--error" not in html
    assert reverse("portal:status") == URL


def test_a_case_status_in_english_with_its_history() -> None:
    _case()
    response = _client().get(URL, {"receipt_number": "eac-219-001-2345"})
    assert response.status_code == 200
    text = _main(response.content.decode())
    assert (
        "Receipt number EAC2190012345 Case Was Approved On May 4, 2026, we approved your "
        "Form I-130, Petition for Alien Relative, Receipt Number EAC2190012345. We mailed "
        "you an approval notice." in text
    )
    assert (
        "Date Status May 4, 2026 Case Was Approved April 1, 2026 Case Is Being Actively "
        "Reviewed By USCIS March 2, 2026 Case Was Received"
    ) in text
    # Nothing personal.
    assert "Ana" not in response.content.decode()
    assert "ana@example.com" not in response.content.decode()


def test_a_case_status_in_spanish() -> None:
    _case()
    response = _client("es").get(URL, {"receipt_number": RECEIPT})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    text = _main(html)
    assert (
        "Número de recibo EAC2190012345 Caso Fue Aprobado El 4 de mayo de 2026, aprobamos su "
        "Formulario I-130, Petición de Familiar Extranjero, Número de Recibo EAC2190012345."
    ) in text
    assert (
        "4 de mayo de 2026 Caso Fue Aprobado 1 de abril de 2026 Caso Está Siendo Revisado "
        "Activamente por USCIS 2 de marzo de 2026 Caso Fue Recibido"
    ) in text


def _normalised(html: str, number: str) -> str:
    """The page with the echoed number taken out, and the CSRF token of the language switch
    (masked afresh on every response, even of one URL) replaced by a constant."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return html.replace(number, "NUMBER")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_protected_case_answers_exactly_as_an_unknown_number(
    language: str, signed_in: bool
) -> None:
    _case(PROTECTED, is_protected=True)
    client = _client(language)
    if signed_in:
        _sign_in(client, make_customer("carla"))
    events = AuditEvent.objects.filter(object_type="case").count()
    protected = client.get(URL, {"receipt_number": PROTECTED})
    unknown = client.get(URL, {"receipt_number": UNKNOWN})
    assert (protected.status_code, unknown.status_code) == (404, 404)
    # Every header the same, but the request's id and the clock's own Expires ("now", sent to
    # a signed-in account): both answers carry them alike, and no case decides them.
    assert [
        ("X-Request-ID" in r.headers, "Expires" in r.headers) for r in (protected, unknown)
    ] == [
        (True, signed_in),
        (True, signed_in),
    ]
    headers = [
        {k: v for k, v in r.headers.items() if k not in {"X-Request-ID", "Expires"}}
        for r in (protected, unknown)
    ]
    assert headers[0] == headers[1]
    assert _normalised(protected.content.decode(), PROTECTED) == _normalised(
        unknown.content.decode(), UNKNOWN
    )
    assert PROTECTED in protected.content.decode()
    assert "Ana" not in protected.content.decode()
    assert AuditEvent.objects.filter(object_type="case").count() == events


def test_the_not_found_message() -> None:
    response = _client().get(URL, {"receipt_number": UNKNOWN})
    assert response.status_code == 404
    assert (
        "We could not find this case We have no case status for receipt number "
        "EAC2190077777. Check the number on your notice and try again."
    ) in _main(response.content.decode())


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "EAC123", "12345678901234", "EAC21900123456", "EAC-219-001-234X", "E" * 41,
     "<script>alert(1)</script>", "EAC2190012345; DROP TABLE"],
)  # fmt: skip
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_malformed_number_gets_a_clear_message(raw: str, language: str) -> None:
    _case()
    client = _client(language)
    _sign_in(client, make_customer("dora"))
    events = AuditEvent.objects.count()
    response = client.get(URL, {"receipt_number": raw})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="usa-input usa-input--error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="receipt_number-hint receipt_number-error"' in html
    message = {
        "en": "This is not a receipt number. It should have 3 letters and then 10 numbers.",
        "es": "Este no es un número de recibo. Debe tener 3 letras y luego 10 números.",
    }[language]
    assert f'<span class="usa-error-message" id="receipt_number-error">{message}</span>' in html
    assert "<script>alert" not in html
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "raw", ["EAC2190012345", "eac2190012345", " EAC 219 001 2345 ", "EAC-219-0012345"]
)
def test_receipt_numbers_are_read_as_the_agency_writes_them(raw: str) -> None:
    _case()
    response = _client().get(URL, {"receipt_number": raw})
    assert response.status_code == 200
    assert "Case Was Approved" in _main(response.content.decode())
    assert 'value="EAC2190012345"' in response.content.decode()


def test_a_signed_in_lookup_is_audited_and_an_anonymous_one_is_not() -> None:
    _case()
    _client().get(URL, {"receipt_number": RECEIPT})
    assert AuditEvent.objects.filter(action="case.status_viewed").count() == 0
    customer = make_customer("elena")
    client = _client()
    _sign_in(client, customer)
    client.get(URL, {"receipt_number": RECEIPT})
    event = AuditEvent.objects.get(action="case.status_viewed")
    assert (event.actor, event.object_type, event.object_id) == (customer, "case", RECEIPT)


def test_lookups_over_the_limit_get_a_429_page_and_nothing_recorded(settings) -> None:
    settings.SRMT_STATUS_LOOKUP_RATE = "2/minute"
    _case()
    client = _client()
    _sign_in(client, make_customer("fran"))
    client.get(URL)  # the empty form is not a lookup
    for _ in range(2):
        assert client.get(URL, {"receipt_number": RECEIPT}).status_code == 200
    events = AuditEvent.objects.count()
    response = client.get(URL, {"receipt_number": RECEIPT})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    text = _main(response.content.decode())
    assert text.startswith("Please wait a moment You have asked many times in a short time.")
    assert "Please try again in 1 minute." in text
    assert "Case Was Approved" not in text
    assert AuditEvent.objects.count() == events
    # Malformed and unknown numbers count too (no probing past the limit) ...
    assert client.get(URL, {"receipt_number": "nonsense"}).status_code == 429
    # ... and the limit is per client address.
    assert _client(address="198.51.100.9").get(URL, {"receipt_number": RECEIPT}).status_code == 200


def test_the_429_page_in_spanish(settings) -> None:
    settings.SRMT_STATUS_LOOKUP_RATE = "1/hour"
    client = _client("es")
    client.get(URL, {"receipt_number": UNKNOWN})
    response = client.get(URL, {"receipt_number": UNKNOWN})
    assert response.status_code == 429
    assert 3540 <= int(response["Retry-After"]) <= 3600
    assert "Vuelva a intentarlo en 60 minutos." in _main(response.content.decode())


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_two_accounts_cannot_reach_each_other_through_the_status_page(method: str) -> None:
    # given two customers, each with a protected case of their own
    case_a = _case(PROTECTED, is_protected=True)
    case_b = make_case("EAC2190088888", is_protected=True)
    a, b = make_customer("alma"), make_customer("bruno")
    before = (
        AuditEvent.objects.filter(object_type="case").count(),
        list(Case.objects.values_list("receipt_number", "status_text", "is_protected")),
        CaseStatusChange.objects.count(),
    )
    for account, other in [(a, case_b), (b, case_a)]:
        client = _client()
        _sign_in(client, account)
        # the other's case: exactly an unknown number
        assert client.get(URL, {"receipt_number": other.receipt_number}).status_code == 404
        # writes are refused
        response = getattr(client, method)(f"{URL}?receipt_number={other.receipt_number}")
        assert response.status_code == 405
    assert before == (
        AuditEvent.objects.filter(object_type="case").count(),
        list(Case.objects.values_list("receipt_number", "status_text", "is_protected")),
        CaseStatusChange.objects.count(),
    )


ACTORS = [
    "anonymous",
    "customer on the case",
    "another customer",
    "representative with a G-28",
    "representative without a G-28",
    "staff",
    "staff cleared for 1367",
]


def _actor(kind: str, case: Case):
    person = case.parties.get().person
    return {
        "anonymous": lambda: None,
        "customer on the case": lambda: make_customer("own", people=[person]),
        "another customer": lambda: make_customer("other"),
        "representative with a G-28": lambda: make_representative("rep", cases=[case]),
        "representative without a G-28": lambda: make_representative("rep2"),
        "staff": lambda: make_user("t1", role=Role.TIER1),
        "staff cleared for 1367": lambda: make_user("vsc", role=Role.TIER2, is_1367_cleared=True),
    }[kind]()


@pytest.mark.parametrize("kind", ACTORS)
def test_every_actor_gets_the_public_answer(kind: str) -> None:
    # given a protected case and an ordinary one, and one actor of each kind
    protected, ordinary = _case(PROTECTED, is_protected=True), _case()
    client = _client()
    actor = _actor(kind, protected)
    if actor is not None:
        _sign_in(client, actor)
    # when they look up both
    hidden = client.get(URL, {"receipt_number": PROTECTED})
    unknown = client.get(URL, {"receipt_number": UNKNOWN})
    shown = client.get(URL, {"receipt_number": ordinary.receipt_number})
    # then the protected case is an unknown number to everyone on this public page (the
    # entitled see it on their own pages), and the ordinary one is public status data
    assert (hidden.status_code, unknown.status_code, shown.status_code) == (404, 404, 200)
    assert _normalised(hidden.content.decode(), PROTECTED) == _normalised(
        unknown.content.decode(), UNKNOWN
    )
    assert "Case Was Approved" in _main(shown.content.decode())
    viewed = list(
        AuditEvent.objects.filter(action="case.status_viewed").values_list("object_id", flat=True)
    )
    assert viewed == ([] if actor is None else [RECEIPT])


def _expected_status(raw: str) -> int:
    if "\x00" in raw:
        return 400  # refused before anything reads it (core.middleware.RejectNulMiddleware)
    try:
        normalize_receipt_number(raw)
    except InvalidReceiptNumber:
        return 200  # the form with the malformed-number message
    return 200 if len(raw) > 40 else 404  # too long to be one, else a number nobody filed


@hypothesis.settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=60), st.from_regex(r"\A[A-Za-z]{3}[ -]?[0-9]{10}\Z")))
def test_any_input_gets_a_page_never_an_error(raw: str) -> None:
    with override_settings(SRMT_STATUS_LOOKUP_RATE="100000/minute"):
        response = _client().get(URL, {"receipt_number": raw})
    expected = _expected_status(raw)
    assert response.status_code == expected
    if expected == 200:
        assert 'aria-invalid="true"' in response.content.decode()
