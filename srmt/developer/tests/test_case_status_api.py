"""The Case Status API end to end, as an integrator calls it (issue 11 section 6, ADR 0041):
authlib's OAuth 2.0 client against live_server, client credentials by HTTP Basic and by form
fields, the exact bodies, every refusal, the limits, 1367 equivalence, the command, hashing."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from srmt.accounts.actors import SYSTEM
from srmt.accounts.tokens import hash_token
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseStatusChange
from srmt.developer.models import ApiAccessToken, ApiClient
from srmt.developer.services import register_client
from srmt.testing.factories import make_case

# Token-authenticated machine endpoints: no account owns an object here. Two clients asking
# for the same case get the same public status; a token of one client is not the other's.
ISOLATION_COVERED = {"developer:access_token", "developer:case_status", "developer:home"}

RECEIPT = "EAC2190012345"
IOE = "IOE0912345678"
PROTECTED = "EAC2190099999"
UNKNOWN = "EAC2190077777"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _case(receipt: str = RECEIPT, **extra) -> Case:
    case = make_case(receipt, status_text="Case Was Approved", **extra)
    for text, day in [
        ("Case Was Received", dt.date(2026, 3, 2)),
        ("Case Was Approved", dt.date(2026, 5, 4)),
    ]:
        CaseStatusChange.objects.create(case=case, status_text=text, changed_at=_at(day))
    return case


def _session(base: str, new, method: str) -> OAuth2Session:
    session = OAuth2Session(
        new.client.client_id, new.client_secret, token_endpoint_auth_method=method
    )
    session.fetch_token(f"{base}/oauth/accesstoken", grant_type="client_credentials")
    return session


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_an_integrator_gets_a_token_and_a_case_status(live_server, method) -> None:
    _case()
    new = register_client(actor=SYSTEM, name="Law firm app")
    raw = requests.post(
        f"{live_server.url}/oauth/accesstoken",
        data={"grant_type": "client_credentials"},
        auth=(new.client.client_id, new.client_secret),
        timeout=10,
    )
    assert raw.status_code == 200
    token = raw.json()
    assert sorted(token) == ["access_token", "expires_in", "issued_at", "status", "token_type"]
    assert all(isinstance(value, str) for value in token.values())
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == "1799"
    assert token["status"] == "approved"
    assert token["issued_at"].isdigit()
    assert len(token["issued_at"]) == 13

    session = _session(live_server.url, new, method)
    response = session.get(f"{live_server.url}/case-status/{RECEIPT}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["message", "case_status"]
    status = body["case_status"]
    assert list(status) == [
        "receiptNumber", "formType", "submittedDate", "modifiedDate",
        "current_case_status_text_en", "current_case_status_desc_en",
        "current_case_status_text_es", "current_case_status_desc_es", "hist_case_status",
    ]  # fmt: skip
    assert status["receiptNumber"] == RECEIPT
    assert status["formType"] == "I-130"
    assert status["submittedDate"] == "03-02-2026 00:00:00"
    assert status["modifiedDate"] == "05-04-2026 08:00:00"  # noon UTC in New York
    assert status["current_case_status_text_en"] == "Case Was Approved"
    assert status["current_case_status_text_es"] == "Caso Fue Aprobado"
    assert RECEIPT in status["current_case_status_desc_en"]
    assert RECEIPT in status["current_case_status_desc_es"]
    assert status["hist_case_status"] == [
        {"date": "2026-03-02", "completed_text_en": "Case Was Received",
         "completed_text_es": "Caso Fue Recibido"},
    ]  # fmt: skip
    # Neither the secret nor a token is stored, only their SHA-256.
    client = ApiClient.objects.get()
    assert client.secret_hash == hash_token(new.client_secret)
    stored = list(ApiAccessToken.objects.values_list("token_hash", flat=True))
    assert hash_token(session.token["access_token"]) in stored
    assert session.token["access_token"] not in stored
    assert client.answered_count == 1
    event = AuditEvent.objects.get(action="case.status_api_answered")
    assert (event.object_id, event.changes) == (RECEIPT, {"api_client": client.client_id})


def _token(client: Client, new) -> str:
    response = client.post(
        "/oauth/accesstoken",
        {"grant_type": "client_credentials", "client_id": new.client.client_id,
         "client_secret": new.client_secret},
        secure=True,  # OAuth 2 needs TLS (or a loopback address)
    )  # fmt: skip
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def bearer(db):
    new = register_client(actor=SYSTEM, name="App")
    client = Client()
    return client, new, {"HTTP_AUTHORIZATION": f"Bearer {_token(client, new)}"}


@pytest.mark.usefixtures("reference")
def test_an_ioe_receipt_has_no_dates_and_no_history_is_null(bearer) -> None:
    client, _new, headers = bearer
    make_case(IOE, status_text="Case Was Received")
    response = client.get(f"/case-status/{IOE}", **headers)
    assert response.status_code == 200
    status = response.json()["case_status"]
    assert "submittedDate" not in status
    assert "modifiedDate" not in status
    assert status["hist_case_status"] is None
    assert status["receiptNumber"] == IOE


@pytest.mark.usefixtures("reference")
def test_a_protected_case_answers_byte_for_byte_as_an_unknown_one(bearer) -> None:
    client, _new, headers = bearer
    _case(PROTECTED, is_protected=True)
    before = AuditEvent.objects.count()
    unknown = client.get(f"/case-status/{UNKNOWN}", **headers)
    protected = client.get(f"/case-status/{PROTECTED}", **headers)
    assert (unknown.status_code, protected.status_code) == (404, 404)
    assert protected.content == unknown.content
    # all but the request's id and the clock's own Expires (if any), which no case decides
    headers_of = lambda r: {  # noqa: E731
        k: v for k, v in r.headers.items() if k not in {"X-Request-ID", "Expires"}
    }
    assert headers_of(protected) == headers_of(unknown)
    assert json.loads(unknown.content) == {
        "message": "The receipt number was not found.",
        "case_status": None,
    }
    assert AuditEvent.objects.count() == before
    assert ApiClient.objects.get().answered_count == 0


@pytest.mark.parametrize("receipt", ["EAC219001234", "12345", "EAC21900123456", "X" * 41])
def test_a_malformed_receipt_number_is_422(bearer, receipt) -> None:
    client, _new, headers = bearer
    response = client.get(f"/case-status/{receipt}", **headers)
    assert response.status_code == 422
    assert response.json()["case_status"] is None
    assert response.json()["message"].startswith("The receipt number is not valid")


@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer wrong-token", "Basic abc", "Bearer " + "x" * 300],
)
def test_no_valid_token_is_401(bearer, authorization) -> None:
    client, _new, _headers = bearer
    _case()
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get(f"/case-status/{RECEIPT}", **headers)
    assert response.status_code == 401
    assert response.json() == {
        "fault": {"faultstring": "Invalid access token",
                  "detail": {"errorcode": "oauth.v2.InvalidAccessToken"}}
    }  # fmt: skip
    assert ApiClient.objects.get().answered_count == 0


@pytest.mark.usefixtures("reference")
def test_an_expired_or_inactive_clients_token_is_401(bearer, time_machine) -> None:
    client, _new, headers = bearer
    _case()
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1800))
    assert client.get(f"/case-status/{RECEIPT}", **headers).status_code == 401
    time_machine.move_to(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1800))
    assert client.get(f"/case-status/{RECEIPT}", **headers).status_code == 200
    ApiClient.objects.update(is_active=False)
    assert client.get(f"/case-status/{RECEIPT}", **headers).status_code == 401


def test_bad_client_or_grant_gets_the_standard_oauth_error(bearer) -> None:
    client, new, _headers = bearer
    tokens = ApiAccessToken.objects.count()
    wrong = client.post(
        "/oauth/accesstoken",
        {"grant_type": "client_credentials", "client_id": new.client.client_id,
         "client_secret": "wrong"},
        secure=True,
    )  # fmt: skip
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    grant = client.post(
        "/oauth/accesstoken",
        {"grant_type": "password", "client_id": new.client.client_id,
         "client_secret": new.client_secret},
        secure=True,
    )  # fmt: skip
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"
    assert client.get("/oauth/accesstoken").status_code == 405
    insecure = client.post(
        "/oauth/accesstoken",
        {"grant_type": "client_credentials", "client_id": new.client.client_id,
         "client_secret": new.client_secret},
    )  # fmt: skip
    assert insecure.status_code == 400
    assert insecure.json()["error"] == "insecure_transport"
    assert ApiAccessToken.objects.count() == tokens


@pytest.mark.usefixtures("reference")
def test_over_the_rate_a_second_is_429_and_nothing_is_answered(bearer, settings) -> None:
    client, _new, headers = bearer
    settings.SRMT_CASE_STATUS_API_PER_SECOND = 2
    _case()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("srmt.developer.quotas.clock", lambda: 1_800_000_000.5)
        answers = [client.get(f"/case-status/{RECEIPT}", **headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2]["Retry-After"] == "1"
    assert answers[2].json()["fault"]["detail"]["errorcode"] == (
        "policies.ratelimit.SpikeArrestViolation"
    )
    assert ApiClient.objects.get().answered_count == 2
    assert AuditEvent.objects.filter(action="case.status_api_answered").count() == 2


@pytest.mark.usefixtures("reference")
def test_over_the_daily_quota_is_429_until_midnight_utc(bearer, settings) -> None:
    client, _new, headers = bearer
    settings.SRMT_CASE_STATUS_API_PER_DAY = 2
    _case()
    noon = dt.datetime(2027, 1, 5, 12, tzinfo=dt.UTC).timestamp()
    calls = []
    with pytest.MonkeyPatch.context() as patch:
        for offset in range(3):
            patch.setattr("srmt.developer.quotas.clock", lambda o=offset: noon + o)
            calls.append(client.get(f"/case-status/{RECEIPT}", **headers))
        patch.setattr("srmt.developer.quotas.clock", lambda: noon + 12 * 3600)  # the next UTC day
        calls.append(client.get(f"/case-status/{RECEIPT}", **headers))
    assert [c.status_code for c in calls] == [200, 200, 429, 200]
    assert calls[2]["Retry-After"] == str(12 * 3600 - 2)
    assert calls[2].json()["fault"]["detail"]["errorcode"] == "policies.ratelimit.QuotaViolation"
    assert ApiClient.objects.get().answered_count == 3


@pytest.mark.usefixtures("reference")
def test_one_clients_quota_is_not_anothers(bearer, settings) -> None:
    client, _new, headers = bearer
    settings.SRMT_CASE_STATUS_API_PER_DAY = 1
    _case()
    other = register_client(actor=SYSTEM, name="Other")
    other_headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, other)}"}
    assert client.get(f"/case-status/{RECEIPT}", **headers).status_code == 200
    assert client.get(f"/case-status/{RECEIPT}", **headers).status_code == 429
    assert client.get(f"/case-status/{RECEIPT}", **other_headers).status_code == 200


def test_the_command_prints_the_credentials_once_in_two_lines(db) -> None:
    out = io.StringIO()
    call_command("api_client", "Clinic portal", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("client_id: ")
    assert lines[1].startswith("client_secret: ")
    client_id, secret = lines[0].split(": ", 1)[1], lines[1].split(": ", 1)[1]
    stored = ApiClient.objects.get()
    assert (stored.name, stored.client_id) == ("Clinic portal", client_id)
    assert stored.secret_hash == hash_token(secret)
    assert secret not in str(list(ApiClient.objects.values()))
    event = AuditEvent.objects.get(action="api_client.registered")
    assert event.object_id == client_id
    assert secret not in json.dumps(event.changes)


def test_the_admin_registers_a_client_and_shows_the_secret_once(admin_client) -> None:
    response = admin_client.post(
        reverse("admin:developer_apiclient_add"), {"name": "Clinic"}, follow=True
    )
    assert response.status_code == 200
    client = ApiClient.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 2  # the secret, then the admin's "added successfully"
    assert shown[0].startswith("Copy the client secret now; it is not shown again.")
    assert f"client_id: {client.client_id} " in shown[0]
    secret = shown[0].split("client_secret: ")[1]
    assert client.secret_hash == hash_token(secret)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_developer_page(client, settings, language) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("developer:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/oauth/accesstoken" in html
    assert "/case-status/EAC9999103402" in html
    heading = (
        "Case Status API for developers"
        if language == "en"
        else ("API de estado de casos para desarrolladores")
    )
    assert f"<h1>{heading}</h1>" in html
    assert reverse("developer:home") == "/developer/"


@pytest.mark.usefixtures("reference")
def test_two_signed_in_accounts_get_nothing_from_the_api_with_their_sessions() -> None:
    # A session is no credential here: each account tries its own and the other's case.
    from srmt.testing.factories import make_customer

    first, second = make_customer("ana"), make_customer("ben")
    cases = {first: _case(RECEIPT, filed_online_by=first), second: _case(UNKNOWN)}
    Case.objects.filter(receipt_number=UNKNOWN).update(filed_online_by=second)
    answered = AuditEvent.objects.filter(action="case.status_api_answered")
    tokens = ApiAccessToken.objects.count()
    for account in (first, second):
        browser = Client()
        browser.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
        for case in cases.values():
            answer = browser.get(f"/case-status/{case.receipt_number}")
            assert answer.status_code == 401
            assert case.receipt_number.encode() not in answer.content
        token = browser.post(
            "/oauth/accesstoken", {"grant_type": "client_credentials"}, secure=True
        )
        assert token.status_code == 401
        assert browser.get("/developer/").status_code == 200
    assert (answered.count(), ApiAccessToken.objects.count()) == (0, tokens)
